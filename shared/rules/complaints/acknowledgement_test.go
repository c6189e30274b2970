package complaints

import (
	"reflect"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

var landlord = Landlord{Name: "Example Borough Council", Address: "Civic Centre, 1 Example Street, Northtown NN1 1AA",
	Phone: "01632 960000", Email: "housing@council.example"}

var landlordDetails = []string{"Example Borough Council", "Civic Centre, 1 Example Street, Northtown NN1 1AA", "01632 960000", "housing@council.example"}

func fullAcknowledgement(handler string) Acknowledgement {
	return Acknowledgement{Definition: "Three repair visits to the boiler were booked and nobody came", OutcomesSought: "A working boiler and an apology",
		Handler: handler, ResponsibleFor: []string{"Booking and attending repair visits"},
		NotResponsibleFor: []Aspect{{Aspect: "The gas supply to the building", WhoIsResponsible: "Cadent Gas (0800 111 999)"}}, From: landlord}
}

// Source §5.6, §5.7, §3.7 (CH-4): the stage 1 acknowledgement letter gives the complaint definition (what we
// understand the complaint to be and the outcomes sought), what we are and are not responsible for (and who is),
// the timescale, how to reach us (the landlord settings) and the Ombudsman's details.
func TestCode5_6_5_7_Stage1AcknowledgementLetter(t *testing.T) {
	l, _, _ := Log("CMP-TEST", LoggedComplaint{Submission: submission(), Channel: ChannelPhone, ReceivedOn: "2026-12-22"}, staff("officer-a"), at("2026-12-23T10:00:00Z"))
	c := l
	letter, ev, err := c.Acknowledge(fullAcknowledgement("Alex Officer"), staff("officer-a"), at("2026-12-24T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	wantInLetter(t, letter, append(append([]string{"CMP-TEST", "We received your complaint on Tuesday 22 December 2026 by phone",
		"stage 1", "What we understand your complaint to be: Three repair visits to the boiler were booked and nobody came",
		"The outcome you are looking for: A working boiler and an apology", "What we are responsible for", "Booking and attending repair visits",
		"What we are not responsible for, and who is", "The gas supply to the building: Cadent Gas (0800 111 999) is responsible for this",
		"Alex Officer is handling your complaint", "by Tuesday 12 January 2027, within 10 working days", "If we have misunderstood",
		"contact the Housing Ombudsman at any time"}, landlordDetails...), ombudsmanDetails...)...)
	if letter.Kind != LetterAcknowledgement || letter.Stage != 1 || len(c.Letters) != 1 || ev.Details["letter"] == nil {
		t.Errorf("acknowledgement letter: %+v", letter)
	}
	s := c.Stages[0]
	if !reflect.DeepEqual(s.ResponsibleFor, []string{"Booking and attending repair visits"}) || len(s.NotResponsibleFor) != 1 {
		t.Errorf("the aspects are kept on the stage: %+v", s)
	}
	// Nothing listed as ours: all of it; nothing listed as not ours: no such section.
	bare := received(t)
	plain := check{t}.letter(bare.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	wantInLetter(t, plain, "All of your complaint as set out above", "through our online form", "contact us quoting your complaint reference.")
	if strings.Contains(plain.Text, "not responsible") {
		t.Errorf("no aspects not ours: %s", plain.Text)
	}
}

// Source §5.6, §5.7, §6.11 (CH-5, CH-8): the stage 2 acknowledgement letter repeats every item and lists what is
// still open from the stage 1 response.
func TestCode5_6_5_7_Stage2AcknowledgementListsOpenStage1Actions(t *testing.T) {
	c := acknowledged(t)
	check{t}.letter(c.Respond(Response{Decision: "partly-upheld", Reasons: "r",
		Remedies:           []ItemInput{{Description: "An apology", DueOn: "2027-01-08", Done: true}},
		OutstandingActions: []ItemInput{{Description: "Replace the boiler", DueOn: "2027-01-29"}}, From: landlord}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	check{t}.event(c.Escalate(at("2027-01-11T10:00:00Z")))
	letter, _, err := c.Acknowledge(fullAcknowledgement("Blake Manager"), staff("manager-b"), at("2027-01-12T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	wantInLetter(t, letter, append(append([]string{"stage 2", "You asked us on Monday 11 January 2027 to look at your complaint again",
		"You did not need to give a reason", "someone who did not deal with stage 1", "What we understand your complaint to be",
		"The outcome you are looking for", "The gas supply to the building", "Blake Manager is handling your complaint",
		"final response by Tuesday 9 February 2027, within 20 working days", "What we agreed at stage 1 and have not yet done",
		"Replace the boiler (by Friday 29 January 2027)"}, landlordDetails...), ombudsmanDetails...)...)
	if strings.Contains(letter.Text, "An apology") || letter.Stage != 2 {
		t.Errorf("only what is still open is listed: %s", letter.Text)
	}
}

// Source §5.6: an acknowledgement validates its aspects; every field problem is listed.
func TestCode5_7_AcknowledgementAspectsValidated(t *testing.T) {
	c := received(t)
	in := Acknowledgement{Definition: "d", OutcomesSought: "o", ResponsibleFor: []string{" "}, NotResponsibleFor: []Aspect{{Aspect: "x"}}}
	_, _, err := c.Acknowledge(in, staff("officer-a"), at("2026-12-24T10:00:00Z"))
	wantFields(t, err, "notResponsibleFor[0].whoIsResponsible", "responsibleFor[0]")
}

// Source §5.6 (CH-4, CH-5): a question to the resident is recorded on the case and written to them, at either
// stage until it is answered; their answer is recorded too; a complaint holds at most MaxClarifications.
func TestCode5_6_Clarification(t *testing.T) {
	c := received(t)
	letter, ev, err := c.AskForClarification(ClarificationRequest{Question: "Which of the three visits was on a Saturday?", From: landlord}, staff("officer-a"), at("2026-12-23T12:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	wantInLetter(t, letter, append([]string{"We need to check something", "stage 1 complaint", "Which of the three visits was on a Saturday?",
		"We will still acknowledge your complaint by Monday 4 January 2027", "To reply, contact us quoting your complaint reference:"}, landlordDetails...)...)
	if letter.Kind != LetterClarification || ev.Action != "clarification-requested" || ev.Rule != "CH-4" || len(c.Clarifications) != 1 || len(c.Letters) != 1 {
		t.Errorf("clarification: %+v %+v", ev, c.Clarifications)
	}
	ans, err := c.AnswerClarification(ClarificationAnswer{Answer: "The second one, 12 December"}, staff("officer-a"), at("2026-12-24T09:00:00Z"))
	if err != nil || ans.Rule != "CH-9" || c.Clarifications[0].Answer != "The second one, 12 December" || c.Clarifications[0].RecordedBy != staff("officer-a") {
		t.Errorf("answer: %v %+v", err, c.Clarifications)
	}
	_, err = c.AnswerClarification(ClarificationAnswer{Answer: "again"}, staff("officer-a"), at("2026-12-24T09:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-9")
	_, _, err = c.AskForClarification(ClarificationRequest{Question: " "}, staff("officer-a"), at("2026-12-24T09:00:00Z"))
	wantFields(t, err, "question")

	full := received(t)
	for range MaxClarifications {
		check{t}.letter(full.AskForClarification(ClarificationRequest{Question: "q"}, staff("officer-a"), at("2026-12-23T12:00:00Z")))
	}
	before := full
	_, _, err = full.AskForClarification(ClarificationRequest{Question: "q"}, staff("officer-a"), at("2026-12-23T12:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-4")
	if !reflect.DeepEqual(before, full) {
		t.Error("a refused question changed the complaint")
	}

	done := answered(t)
	_, _, err = done.AskForClarification(ClarificationRequest{Question: "q"}, staff("officer-a"), at("2027-01-09T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-4")
	stage2 := atStage2(t)
	if l := (check{t}).letter(stage2.AskForClarification(ClarificationRequest{Question: "q"}, staff("manager-b"), at("2027-01-12T10:00:00Z"))); l.Stage != 2 ||
		!strings.Contains(l.Text, "We will still send you our response by Monday 8 February 2027") {
		t.Errorf("stage 2 question: %s", l.Text)
	}
}

// Issue 14: letters say only true things. None points to a web page (there are none for residents yet); every
// one names how to reach the landlord.
func TestLettersNameOnlyWaysToReachUsThatExist(t *testing.T) {
	c := received(t)
	check{t}.letter(c.AskForClarification(ClarificationRequest{Question: "q", From: landlord}, staff("officer-a"), at("2026-12-23T12:00:00Z")))
	check{t}.letter(c.Acknowledge(fullAcknowledgement("h"), staff("officer-a"), at("2026-12-24T10:00:00Z")))
	check{t}.letter(c.Extend(ExtensionRequest{WorkingDays: 5, Reason: "r", From: landlord}, staff("officer-a"), at("2027-01-05T10:00:00Z")))
	check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r", OutstandingActions: []ItemInput{{Description: "Fix", DueOn: "2027-02-01"}}, From: landlord},
		staff("officer-a"), at("2027-01-08T10:00:00Z")))
	check{t}.letter(c.CompleteItem(ItemCompletion{ID: "A1", From: landlord}, staff("officer-a"), at("2027-01-09T10:00:00Z")))
	check{t}.event(c.Escalate(at("2027-01-11T10:00:00Z")))
	check{t}.letter(c.Acknowledge(fullAcknowledgement("h2"), staff("manager-b"), at("2027-01-11T14:00:00Z")))
	check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r", From: landlord}, staff("manager-b"), at("2027-02-01T10:00:00Z")))
	refused := received(t)
	check{t}.letter(refused.Refuse(RefusalRequest{Exclusion: "legal-proceedings", Explanation: "x", From: landlord}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	letters := append(c.Letters, refused.Letters...)
	if len(letters) != 8 {
		t.Fatalf("%d letters", len(letters))
	}
	for _, l := range letters {
		lower := strings.ToLower(strings.ReplaceAll(l.Text, "Website: www.housing-ombudsman.org.uk", ""))
		for _, bad := range []string{"web page", "webpage", "website", "online account", "http", "www."} {
			if strings.Contains(lower, bad) {
				t.Errorf("%s letter refers to %q:\n%s", l.Kind, bad, l.Text)
			}
		}
		if !strings.Contains(l.Text, "quoting your complaint reference") || !strings.Contains(l.Text, "01632 960000") {
			t.Errorf("%s letter does not say how to reach us:\n%s", l.Kind, l.Text)
		}
	}
}
