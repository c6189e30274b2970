package complaints

import (
	"html"
	"strings"
	"testing"
)

var ombudsmanDetails = []string{"Housing Ombudsman Service", "PO Box 152, Liverpool L33 7WQ", "0300 111 3000",
	"info@housing-ombudsman.org.uk", "www.housing-ombudsman.org.uk"}

// wantInLetter checks that the text and the HTML both say each thing (the HTML with resident text escaped).
func wantInLetter(t *testing.T, l Letter, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(l.Text, p) {
			t.Errorf("%s letter text lacks %q:\n%s", l.Kind, p, l.Text)
		}
		if !strings.Contains(l.HTML, html.EscapeString(p)) {
			t.Errorf("%s letter HTML lacks %q:\n%s", l.Kind, html.EscapeString(p), l.HTML)
		}
	}
}

// CH-6 (source §6.9): the stage 1 response states the stage, definition, decision, reasons, remedies,
// outstanding actions and how to escalate to stage 2 (within 20 WD, by when, no reason needed).
func TestCH6_Stage1ResponseLetter(t *testing.T) {
	c := received(t)
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "Repairs to the boiler were not done", OutcomesSought: "Boiler fixed & an apology", Handler: "officer-a"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	letter, ev, err := c.Respond(Response{Decision: "partly-upheld", Reasons: "Two of three visits were missed",
		Remedies:           []ItemInput{{Description: "An apology", DueOn: "2027-01-08", Done: true}, {Description: "£75 compensation", DueOn: "2027-01-22"}},
		OutstandingActions: []ItemInput{{Description: "Replace the boiler", DueOn: "2027-01-29"}}}, staff("officer-a"), at("2027-01-08T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	wantInLetter(t, letter, "stage 1 response", "Repairs to the boiler were not done", "Boiler fixed & an apology", "partly upheld",
		"Two of three visits were missed", "An apology (done Friday 8 January 2027)", "£75 compensation (by Friday 22 January 2027)",
		"Replace the boiler (by Friday 29 January 2027)",
		"stage 2", "You do not have to give a reason", "within 20 working days", "Friday 5 February 2027", "CMP-TEST")
	if strings.Contains(letter.Text, "Ombudsman") || letter.Kind != LetterResponse || letter.Stage != 1 || !letter.CreatedAt.Equal(at("2027-01-08T10:00:00Z")) {
		t.Errorf("stage 1 letter: %+v", letter)
	}
	if onTimeline, _ := ev.Details["letter"].(map[string]any); onTimeline["text"] != letter.Text || len(c.Letters) != 2 || c.Letters[1].Text != letter.Text {
		t.Error("the letter must be kept on the record and on the timeline (CH-9)")
	}
}

// CH-6 (source §6.19): the stage 2 response is the final one and points to the Housing Ombudsman; no remedy
// or outstanding action is said plainly.
func TestCH6_Stage2ResponseLetter(t *testing.T) {
	c := atStage2(t)
	letter := check{t}.letter(c.Respond(Response{Decision: "not-upheld", Reasons: "The visits were kept"}, staff("manager-b"), at("2027-02-01T10:00:00Z")))
	wantInLetter(t, letter, append([]string{"stage 2 response", "final response", "Missed boiler repairs, reviewed", "not upheld",
		"The visits were kept", "None offered.", "None: everything we agreed to do is done.", "Housing Ombudsman to review"}, ombudsmanDetails...)...)
	if strings.Contains(letter.Text, "You do not have to give a reason") || letter.Stage != 2 {
		t.Error("the final response must not offer another stage (CH-3)")
	}
}

// CH-4/CH-5 (source §6.5, §6.16): the extension letter gives the reason, the old and new dates and the
// Ombudsman's contact details.
func TestCH4_ExtensionLetter(t *testing.T) {
	c := acknowledged(t)
	letter := check{t}.letter(c.Extend(ExtensionRequest{WorkingDays: 11, Reason: "We need a surveyor's report",
		GoodReasonForLonger: "The only surveyor is away until 25 January", KeepInformed: &UpdatePlanInput{EveryWorkingDays: 5, AgreedOn: "2027-01-05"}},
		staff("officer-a"), at("2027-01-05T10:00:00Z")))
	wantInLetter(t, letter, append([]string{"We need a surveyor's report", "The only surveyor is away until 25 January",
		"longer than the usual limit of 10 working days", "Tuesday 12 January 2027", "Wednesday 27 January 2027",
		"we will update you at least every 5 working days", "Tuesday 12 January 2027"}, ombudsmanDetails...)...)
	if letter.Kind != LetterExtension || letter.Stage != 1 || len(c.Letters) != 2 {
		t.Errorf("extension letter: %+v", letter)
	}
}

// CH-2 (source §2.4): the refusal letter explains the exclusion and the right to go to the Ombudsman.
func TestCH2_RefusalLetter(t *testing.T) {
	c := received(t)
	letter := check{t}.letter(c.Refuse(RefusalRequest{Exclusion: "legal-proceedings", Explanation: "Claim form filed at Northampton County Court"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	wantInLetter(t, letter, append([]string{"legal proceedings about this matter have started at court", "Claim form filed at Northampton County Court",
		"right to ask the Housing Ombudsman"}, ombudsmanDetails...)...)
	if letter.Kind != LetterRefusal || letter.Stage != 1 {
		t.Errorf("refusal letter: %+v", letter)
	}
}

// Resident and officer text never injects markup into the HTML letter.
func TestLettersEscapeHTML(t *testing.T) {
	c := received(t)
	check{t}.event(c.AddRelatedPoints(RelatedPoints{Points: `<img src=x onerror="alert(1)">`}, staff("resident"), at("2026-12-23T12:00:00Z")))
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "<script>alert(1)</script> repairs", OutcomesSought: `<a href="http://evil">click</a>`, Handler: "officer-a"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	letter := check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "</p><h1>hacked</h1>", Remedies: []ItemInput{{Description: "<b>£50</b>", DueOn: "2027-01-20"}}}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	for _, raw := range []string{"<script>", "<img", `<a href`, "<h1>hacked", "<b>£50"} {
		if strings.Contains(letter.HTML, raw) {
			t.Errorf("HTML contains raw %q", raw)
		}
	}
	for _, escaped := range []string{"&lt;script&gt;", "&lt;img", "&lt;a href=", "&lt;/p&gt;&lt;h1&gt;hacked", "&lt;b&gt;£50"} {
		if !strings.Contains(letter.HTML, escaped) {
			t.Errorf("HTML lacks escaped %q:\n%s", escaped, letter.HTML)
		}
	}
	if !strings.Contains(letter.Text, "<script>alert(1)</script> repairs") {
		t.Error("the plain text keeps the words as written")
	}
}
