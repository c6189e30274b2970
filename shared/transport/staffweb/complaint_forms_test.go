package staffweb

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

func (c *console_) stored(ref string) complaints.Complaint {
	c.t.Helper()
	st, err := c.cmp.Load(context.Background(), ref)
	if err != nil {
		c.t.Fatal(err)
	}
	return st.Case
}

func (c *console_) post(ref, action string, form url.Values, want int) string {
	c.t.Helper()
	r := c.do("POST", "/staff/complaints/"+ref+"/"+action, form)
	if r.StatusCode != want {
		c.t.Fatalf("%s: %d, want %d\n%s", action, r.StatusCode, want, r.Body)
	}
	return r.Body
}

// A stage response's remedies and outstanding actions are rows of the response form, sent as the API's
// remedies[] and outstandingActions[] to the same Respond: the API's errors for the n-th row filled in are on
// that row's fields (an empty row between them does not count), and completing one is the completion route's
// CompleteItem, offered only while one is open.
func TestResponseRemediesAndCompletingThem(t *testing.T) {
	c := newConsole(t)
	ref := c.complaint("CMP-AAAA-RRRR")
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	c.do("GET", "/staff/complaints/"+ref, nil) // the page's CSRF token
	c.post(ref, "acknowledge", url.Values{"definition": {"The lift is broken"}, "outcomesSought": {"Fix it"}}, http.StatusSeeOther)

	form := c.do("GET", "/staff/complaints/"+ref+"/respond", nil)
	for _, id := range []string{`id="remedies-1-description"`, `id="remedies-3-dueOn-day"`, `name="remedies-2-done"`, `id="outstandingActions-3-description"`} {
		if !strings.Contains(form.Body, id) {
			t.Errorf("the response form lacks %s", id)
		}
	}
	answer := url.Values{"decision": {"upheld"}, "reasons": {"The lift was left broken too long."},
		"remedies-2-description": {"An apology"}, "remedies-2-dueOn-day": {"1"}, "remedies-2-dueOn-month": {"1"}, "remedies-2-dueOn-year": {"2020"},
		"remedies-3-description": {"£50 for the time without a lift"}, "remedies-3-dueOn-day": {"8"}, "remedies-3-dueOn-month": {"12"}, "remedies-3-dueOn-year": {"2026"},
		"outstandingActions-1-dueOn-day": {"15"}, "outstandingActions-1-dueOn-month": {"12"}, "outstandingActions-1-dueOn-year": {"2026"}}
	bad := c.post(ref, "respond", answer, http.StatusUnprocessableEntity)
	for _, want := range []string{`<a href="#remedies-2-dueOn-day">The date of remedy 2 cannot be in the past for something still to be done</a>`,
		`<a href="#outstandingActions-1-description">Enter what outstanding action 1 will do</a>`} {
		if !strings.Contains(bad, want) {
			t.Errorf("error summary lacks %s", want)
		}
	}
	if strings.Contains(bad, `href="#remedies-3-`) || strings.Contains(bad, `href="#rule-error"`) {
		t.Error("an error on a row without one")
	}
	answer.Set("remedies-2-done", "yes") // an apology the response itself gives
	answer.Set("outstandingActions-1-description", "Replace the lift's motor")
	c.post(ref, "respond", answer, http.StatusSeeOther)
	got := c.stored(ref)
	if len(got.Items) != 3 || got.Items[0].ID != "R1" || got.Items[0].Open() || got.Items[1].Description != "£50 for the time without a lift" ||
		got.Items[2].ID != "A1" || got.Items[2].DueOn.String() != "2026-12-15" {
		t.Fatalf("items %+v", got.Items)
	}

	page := c.do("GET", "/staff/complaints/"+ref, nil)
	if !strings.Contains(page.Body, `href="/staff/complaints/`+ref+`/complete-item"`) || !strings.Contains(page.Body, "Replace the lift&#39;s motor") {
		t.Error("the page shows neither the items nor their completion")
	}
	cf := c.do("GET", "/staff/complaints/"+ref+"/complete-item", nil)
	if !strings.Contains(cf.Body, `value="R2"`) || !strings.Contains(cf.Body, `value="A1"`) || strings.Contains(cf.Body, `value="R1"`) ||
		!strings.Contains(cf.Body, "A1: Action – Replace the lift&#39;s motor (due by 2026-12-15)") {
		t.Errorf("the completion form offers\n%s", cf.Body)
	}
	if b := c.post(ref, "complete-item", url.Values{"item": {"R1"}}, http.StatusUnprocessableEntity); !strings.Contains(b, `<a href="#item">The remedy or action is not one this complaint has open</a>`) {
		t.Errorf("a done item: %s", b)
	}
	c.post(ref, "complete-item", url.Values{"item": {"R2"}, "note": {"Paid by BACS"}}, http.StatusSeeOther)
	c.post(ref, "complete-item", url.Values{"item": {"A1"}}, http.StatusSeeOther)
	if got := c.stored(ref); got.Items[1].Open() || got.Items[1].Note != "Paid by BACS" || got.Items[2].Open() {
		t.Errorf("items %+v", got.Items)
	}
	if page := c.do("GET", "/staff/complaints/"+ref, nil); strings.Contains(page.Body, "/complete-item\"") {
		t.Error("completion offered with nothing open")
	}
}

// Keep-informed intervals (source 004 §5.9) are the same KeepInformed as POST .../keep-informed; a rule's refusal
// cites the rule once (apperr.Rule puts it in the message already).
func TestKeepInformedAndARuleCitedOnce(t *testing.T) {
	c := newConsole(t)
	ref := c.complaint("CMP-AAAA-KKKK")
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	if page := c.do("GET", "/staff/complaints/"+ref, nil); strings.Contains(page.Body, "/keep-informed\"") {
		t.Error("keep-informed offered before the acknowledgement")
	}
	refused := c.post(ref, "keep-informed", url.Values{"everyWorkingDays": {"5"}, "agreedOn-day": {"24"}, "agreedOn-month": {"11"}, "agreedOn-year": {"2026"}},
		http.StatusUnprocessableEntity)
	if !strings.Contains(refused, "(CH-4)") || strings.Contains(refused, "(CH-4) (CH-4)") || !strings.Contains(refused, `href="#rule-error"`) {
		t.Errorf("the refusal cites CH-4 %d times: %s", strings.Count(refused, "(CH-4)"), refused)
	}
	c.post(ref, "acknowledge", url.Values{"definition": {"The lift is broken"}, "outcomesSought": {"Fix it"}}, http.StatusSeeOther)
	if b := c.post(ref, "keep-informed", url.Values{"everyWorkingDays": {"weekly"}}, http.StatusUnprocessableEntity); !strings.Contains(b, `<a href="#everyWorkingDays">The interval must be a whole number</a>`) {
		t.Errorf("a word for the interval: %s", b)
	}
	if b := c.post(ref, "keep-informed", url.Values{"everyWorkingDays": {"30"}}, http.StatusUnprocessableEntity); !strings.Contains(b, `href="#everyWorkingDays"`) || !strings.Contains(b, `href="#agreedOn-day"`) {
		t.Errorf("an interval too long and no day: %s", b)
	}
	c.post(ref, "keep-informed", url.Values{"everyWorkingDays": {"5"}, "agreedOn-day": {"24"}, "agreedOn-month": {"11"}, "agreedOn-year": {"2026"},
		"how": {"A phone call"}, "progress": {"The engineer is booked."}}, http.StatusSeeOther)
	cur := c.stored(ref)
	plan := cur.Current().UpdatePlan
	if plan == nil || plan.EveryWorkingDays != 5 || plan.How != "A phone call" {
		t.Fatalf("plan %+v", plan)
	}
	if page := c.do("GET", "/staff/complaints/"+ref, nil); !strings.Contains(page.Body, "Every 5 working days, agreed on 2026-11-24") {
		t.Error("the page does not show the intervals")
	}
}

// Reasonable adjustments (source §5.10) are RecordAdjustments; a letter written after them is owed in their
// format, and recording it sent is RecordFormatSent for that letter's number, offered only while one is owed.
func TestAdjustmentsAndALetterSentInItsFormat(t *testing.T) {
	c := newConsole(t)
	ref := c.complaint("CMP-AAAA-FFFF")
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	c.do("GET", "/staff/complaints/"+ref, nil) // the page's CSRF token
	if b := c.post(ref, "adjustments", url.Values{"format": {"braille-ish"}}, http.StatusUnprocessableEntity); !strings.Contains(b, `href="#reviewOn-day"`) ||
		!strings.Contains(b, `href="#format"`) {
		t.Errorf("an empty review date and a format not offered: %s", b)
	}
	c.post(ref, "adjustments", url.Values{"agreed": {"Letters in large print\n\nCalls in the afternoon"}, "format": {"large-print"},
		"reviewOn-day": {"24"}, "reviewOn-month": {"2"}, "reviewOn-year": {"2027"}}, http.StatusSeeOther)
	adj := c.stored(ref).Adjustments
	if adj == nil || len(adj.Agreed) != 2 || adj.Format != "large-print" || adj.ReviewOn.String() != "2027-02-24" {
		t.Fatalf("adjustments %+v", adj)
	}
	if page := c.do("GET", "/staff/complaints/"+ref, nil); strings.Contains(page.Body, "/format-sent\"") {
		t.Error("format-sent offered with no letter owed")
	}
	c.post(ref, "acknowledge", url.Values{"definition": {"The lift is broken"}, "outcomesSought": {"Fix it"}}, http.StatusSeeOther)
	letters := c.stored(ref).Letters
	n := len(letters)
	if n == 0 || letters[n-1].Format != "large-print" {
		t.Fatalf("letters %+v", letters)
	}
	page := c.do("GET", "/staff/complaints/"+ref, nil)
	if !strings.Contains(page.Body, `href="/staff/complaints/`+ref+`/format-sent"`) || !strings.Contains(page.Body, "Large print, still to send in that format") {
		t.Error("the page does not show the letter owed in large print")
	}
	if b := c.post(ref, "format-sent", url.Values{}, http.StatusUnprocessableEntity); !strings.Contains(b, "Choose the letter you sent") {
		t.Errorf("an empty form: %s", b)
	}
	num := strconv.Itoa(n)
	if b := c.post(ref, "format-sent", url.Values{"letter": {num}}, http.StatusUnprocessableEntity); !strings.Contains(b, `<a href="#how">Enter how you sent it</a>`) {
		t.Errorf("no how: %s", b)
	}
	c.post(ref, "format-sent", url.Values{"letter": {num}, "how": {"Posted in large print"}}, http.StatusSeeOther)
	if l := c.stored(ref).Letters[n-1]; l.FormatSent == nil || l.FormatSent.How != "Posted in large print" {
		t.Errorf("letter %+v", l)
	}
	if b := c.post(ref, "format-sent", url.Values{"letter": {num}, "how": {"Again"}}, http.StatusUnprocessableEntity); !strings.Contains(b, `href="#letter"`) {
		t.Errorf("a letter sent already: %s", b)
	}
}

// Every new form renders for its groups with no missing words, and an empty post is refused with the error
// summary, never a 5xx.
func TestNewComplaintFormsRenderAndRefuseAnEmptyPost(t *testing.T) {
	c := newConsole(t)
	ref := c.complaint("CMP-AAAA-EEEE")
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	for _, name := range []string{"respond", "complete-item", "keep-informed", "adjustments", "format-sent"} {
		a, ok := complaintAction(name)
		if !ok || len(routeGroups(a.Route)) == 0 {
			t.Fatalf("%s: no action or no groups", name)
		}
		if r := c.do("GET", "/staff/complaints/"+ref+"/"+name, nil); r.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", name, r.StatusCode)
		}
		if r := c.do("POST", "/staff/complaints/"+ref+"/"+name, url.Values{}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "govuk-error-summary") {
			t.Errorf("POST %s empty: %d", name, r.StatusCode)
		}
	}
	// an ASB officer has none of them
	c.signIn("officer-b", catalog.GroupASBOfficer)
	for _, name := range []string{"complete-item", "keep-informed", "adjustments", "format-sent"} {
		if r := c.do("GET", "/staff/complaints/"+ref+"/"+name, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("an ASB officer opens %s: %d", name, r.StatusCode)
		}
	}
}

// A complaint made to a member of staff is logged with the same LoggedComplaint as POST /complaints/logged and
// the same Log: the API's errors at the fields (no way to reach the resident at the email field), one the form
// has no field for in the error summary, and the new complaint's page once logged. Only the route's groups see
// the link or the page.
func TestLogAComplaintMadeByPhone(t *testing.T) {
	c := newConsole(t)
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	if q := c.do("GET", "/staff", nil); !strings.Contains(q.Body, `href="/staff/log-complaint"`) {
		t.Error("no link to log a complaint on the queue")
	}
	f := c.do("GET", "/staff/log-complaint", nil)
	if f.StatusCode != http.StatusOK || !strings.Contains(f.Body, `id="receivedOn-day"`) {
		t.Fatalf("the form: %d", f.StatusCode)
	}
	once := onceOf(t, f.Body)
	empty := c.do("POST", "/staff/log-complaint", url.Values{"once": {once}})
	for _, want := range []string{`href="#channel"`, `href="#receivedOn-day"`, `<a href="#name">Enter the resident&#39;s full name</a>`, `href="#serviceArea"`,
		`href="#description"`, `href="#issueDate-day"`, `<a href="#email">The email address or a phone number is required so we can contact them</a>`} {
		if empty.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(empty.Body, want) {
			t.Errorf("an empty form (%d) lacks %s", empty.StatusCode, want)
		}
	}
	form := url.Values{"channel": {"representative"}, "receivedOn-day": {"23"}, "receivedOn-month": {"11"}, "receivedOn-year": {"2026"},
		"name": {"Lee Resident"}, "phone": {"07700 900777"}, "serviceArea": {"repairs"}, "description": {"The boiler keeps failing."},
		"outcomesSought": {"A new boiler"}, "issueDate-day": {"1"}, "issueDate-month": {"11"}, "issueDate-year": {"2026"}, "once": {once}}
	if b := c.do("POST", "/staff/log-complaint", form); b.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(b.Body, `href="#rule-error"`) ||
		!strings.Contains(b.Body, "representative is required when the complaint came from a representative") {
		t.Errorf("from a representative without one: %d", b.StatusCode)
	}
	form.Set("channel", "phone")
	ok := c.do("POST", "/staff/log-complaint", form)
	if ok.StatusCode != http.StatusSeeOther || !strings.HasPrefix(ok.Headers["Location"], "/staff/complaints/CMP-") {
		t.Fatalf("logging: %d %s", ok.StatusCode, ok.Headers["Location"])
	}
	ref := strings.TrimPrefix(ok.Headers["Location"], "/staff/complaints/")
	if got := c.stored(ref); got.Channel != "phone" || got.ServiceArea != "repairs" || got.Stages[0].AcknowledgeBy.String() != "2026-11-30" {
		t.Errorf("logged %+v", got)
	}
	if page := c.do("GET", ok.Headers["Location"], nil); !strings.Contains(page.Body, "Complaint "+ref+" was logged") {
		t.Error("no confirmation on the new complaint's page")
	}
	c.signIn("officer-b", catalog.GroupASBOfficer)
	if q := c.do("GET", "/staff", nil); strings.Contains(q.Body, "/staff/log-complaint") {
		t.Error("an ASB officer is offered to log a complaint")
	}
	if r := c.do("GET", "/staff/log-complaint", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("an ASB officer opens the form: %d", r.StatusCode)
	}
}
