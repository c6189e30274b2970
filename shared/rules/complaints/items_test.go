package complaints

import (
	"reflect"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// respondedWithItems is stage 1 answered on Fri 8 Jan 2027 with an apology given in the letter, £50 to be paid
// by 22 January (owned by finance-1) and the boiler to be replaced by 29 January (owned by the responder).
func respondedWithItems(t *testing.T) Complaint {
	c := acknowledged(t)
	check{t}.letter(c.Respond(Response{Decision: "partly-upheld", Reasons: "Two visits were missed",
		Remedies:           []ItemInput{{Description: "An apology", DueOn: "2027-01-08", Done: true}, {Description: "£50 for the missed visits", DueOn: "2027-01-22", Owner: "finance-1"}},
		OutstandingActions: []ItemInput{{Description: "Replace the boiler", DueOn: "2027-01-29"}}, From: landlord}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	return c
}

// CH-8 (source §6.6, §6.17, §7.3): the remedies and actions of a response are tracked items with an owner, a due
// date and a status; the open ones are deadlines of the complaint (so they join the reminder digests), after the
// response and after the complaint is closed.
func TestCH8_RemediesAndActionsAreTrackedItems(t *testing.T) {
	c := respondedWithItems(t)
	want := []struct{ id, kind, owner, due, status string }{
		{"R1", ItemRemedy, "officer-a", "2027-01-08", ItemDone}, {"R2", ItemRemedy, "finance-1", "2027-01-22", ItemOpen},
		{"A1", ItemAction, "officer-a", "2027-01-29", ItemOpen},
	}
	if len(c.Items) != len(want) {
		t.Fatalf("items %+v", c.Items)
	}
	for i, w := range want {
		it := c.Items[i]
		if it.ID != w.id || it.Kind != w.kind || it.Owner != w.owner || it.DueOn.String() != w.due || it.Status != w.status || it.Stage != 1 {
			t.Errorf("item %d: %+v, want %+v", i, it, w)
		}
	}
	if c.Stages[0].Remedies[1] != "£50 for the missed visits" || c.Stages[0].OutstandingActions[0] != "Replace the boiler" {
		t.Errorf("the stage keeps what its letter said: %+v", c.Stages[0])
	}
	dl := OpenDeadlines(c)
	if len(dl) != 2 || dl[0].Name != "item:R2" || dl[0].Owner != "finance-1" || dl[0].Due.String() != "2027-01-22" || dl[0].Rule != "CH-8" ||
		dl[0].Team != OfficerGroup || dl[0].Manager != ManagerGroup || dl[0].Audience != casefile.Officer || dl[1].Name != "item:A1" {
		t.Fatalf("open items as deadlines: %+v", dl)
	}
	if strings.Contains(dl[0].Label, "£50") {
		t.Errorf("a deadline's label names the item, not what it says: %q", dl[0].Label)
	}
	// the queue's outstanding actions read each item back from its deadline, and nothing else as one
	for i, want := range [][2]string{{"R2", ItemRemedy}, {"A1", ItemAction}} {
		if id, kind, ok := ItemOfDeadline(dl[i]); !ok || id != want[0] || kind != want[1] {
			t.Errorf("ItemOfDeadline(%s) = %s %s %v, want %v", dl[i].Name, id, kind, ok, want)
		}
	}
	other := dl[0]
	other.Name = "stage1-response"
	if _, _, ok := ItemOfDeadline(other); ok {
		t.Error("a stage's deadline read as an item's")
	}

	// Completing an item: a letter to the resident with what is still open; the deadline goes.
	letter, ev, err := c.CompleteItem(ItemCompletion{ID: "R2", Note: "Paid into your rent account", From: landlord}, staff("finance-1"), at("2027-01-20T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	wantInLetter(t, letter, "An update on your complaint", "£50 for the missed visits (done Wednesday 20 January 2027)", "Paid into your rent account",
		"Still to be done", "Replace the boiler (by Friday 29 January 2027)", "01632 960000")
	if letter.Kind != LetterUpdate || ev.Action != "item-completed" || ev.Rule != "CH-8" || ev.Details["onTime"] != true || ev.Details["stillOpen"] != 1 {
		t.Errorf("completion: %+v %+v", letter, ev)
	}
	if d := OpenDeadlines(c); len(d) != 1 || d[0].Name != "item:A1" {
		t.Errorf("after R2: %+v", d)
	}

	// Stage 2: its items belong to the managers; the final response lists what is open from stage 1 and never
	// says everything is done while anything is open.
	check{t}.event(c.Escalate(at("2027-01-21T10:00:00Z")))
	check{t}.letter(c.Acknowledge(Acknowledgement{Definition: "d2", OutcomesSought: "o2", From: landlord}, staff("manager-b"), at("2027-01-21T14:00:00Z")))
	final := check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r2", From: landlord}, staff("manager-b"), at("2027-01-25T10:00:00Z")))
	wantInLetter(t, final, "Still to be done from our stage 1 response", "Replace the boiler (by Friday 29 January 2027)", "None new")
	if strings.Contains(final.Text, "everything we agreed to do is done") {
		t.Errorf("the final letter says everything is done while an action is open:\n%s", final.Text)
	}
	if c.Status != StatusClosed || len(OpenDeadlines(c)) != 1 {
		t.Errorf("closed with an open action: %s %+v", c.Status, OpenDeadlines(c))
	}
	// A closed complaint's action is still completed, with a letter saying everything is now done.
	done := check{t}.letter(c.CompleteItem(ItemCompletion{ID: "A1", From: landlord}, staff("officer-a"), at("2027-02-01T10:00:00Z")))
	wantInLetter(t, done, "Everything we agreed to do about your complaint is now done.")
	if OpenDeadlines(c) != nil || c.Items[2].CompletedOnTime() {
		t.Errorf("after A1 (done 3 days late): %+v %+v", OpenDeadlines(c), c.Items[2])
	}
}

// CH-8: completing what is done already (409), what does not exist (404), on a refused complaint (409 CH-2).
func TestCH8_CompletionRefusals(t *testing.T) {
	c := respondedWithItems(t)
	before := c
	_, _, err := c.CompleteItem(ItemCompletion{ID: "R1"}, staff("officer-a"), at("2027-01-09T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-8")
	_, _, err = c.CompleteItem(ItemCompletion{ID: "A9"}, staff("officer-a"), at("2027-01-09T10:00:00Z"))
	if apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("unknown item: %v", err)
	}
	_, _, err = c.CompleteItem(ItemCompletion{ID: "A1", Note: strings.Repeat("x", 2001)}, staff("officer-a"), at("2027-01-09T10:00:00Z"))
	wantFields(t, err, "note")
	if !reflect.DeepEqual(before, c) {
		t.Error("a refused completion changed the complaint")
	}
	r := refused(t)
	_, _, err = r.CompleteItem(ItemCompletion{ID: "A1"}, staff("officer-a"), at("2027-01-09T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-2")
}

// CH-8 (source §7.3, issue 10): a response's items need a description and a due date not in the past (unless done
// with the response) nor over MaxItemDueMonths ahead; a complaint tracks at most MaxItems (422 CH-8).
func TestCH8_ItemsValidatedAndBounded(t *testing.T) {
	c := acknowledged(t)
	_, _, err := c.Respond(Response{Decision: "upheld", Reasons: "r", Remedies: []ItemInput{{Description: "x", DueOn: "2027-01-07"}, {Description: "y", DueOn: "2027-01-07", Done: true}},
		OutstandingActions: []ItemInput{{Description: "z", DueOn: "2029-01-09"}, {DueOn: "soon"}}}, staff("officer-a"), at("2027-01-08T10:00:00Z"))
	wantFields(t, err, "outstandingActions[1].description", "outstandingActions[1].dueOn", "remedies[0].dueOn", "outstandingActions[0].dueOn")

	many := func(n int) []ItemInput {
		out := make([]ItemInput, n)
		for i := range out {
			out[i] = ItemInput{Description: "item", DueOn: "2027-03-01"}
		}
		return out
	}
	c = acknowledged(t)
	check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r", Remedies: many(10), OutstandingActions: many(10)}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	check{t}.event(c.Escalate(at("2027-01-11T10:00:00Z")))
	check{t}.letter(c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o"}, staff("manager-b"), at("2027-01-11T14:00:00Z")))
	before := c
	_, _, err = c.Respond(Response{Decision: "upheld", Reasons: "r", Remedies: many(5), OutstandingActions: many(6)}, staff("manager-b"), at("2027-01-12T10:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-8")
	if !reflect.DeepEqual(before, c) {
		t.Error("a refused response changed the complaint")
	}
	check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r", Remedies: many(5), OutstandingActions: many(5)}, staff("manager-b"), at("2027-01-12T10:00:00Z")))
	if len(c.Items) != MaxItems || c.Items[29].ID != "A15" || c.Items[29].Stage != 2 || OpenDeadlines(c)[29].Team != ManagerGroup {
		t.Errorf("30 items: last %+v", c.Items[29])
	}
}

// CH-10: the list entry's facts keep the items (for the report) without what they say.
func TestCH10_FactsKeepItemsWithoutText(t *testing.T) {
	c := respondedWithItems(t)
	f := c.Facts()
	if len(f.Items) != 3 || f.Items[1].Description != "" || f.Items[1].DueOn != c.Items[1].DueOn || c.Items[1].Description == "" {
		t.Errorf("facts: %+v", f.Items)
	}
}
