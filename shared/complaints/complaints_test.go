package complaints

import (
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/apperr"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func submission() Submission {
	return Submission{Description: "Nobody came to fix the boiler.", OutcomesSought: "Fix it; apologise", ServiceArea: "repairs",
		IssueDate: "2026-11-01", Complainant: Complainant{Name: "Sam", Email: "sam@example.org", PreferredContact: "email"}}
}

func received(t *testing.T, when string) Complaint {
	c, _ := Receive("CMP-TEST", submission(), at(when))
	return c
}

func ok[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func code(err error) apperr.Code { return apperr.CodeOf(err) }

func rule(err error) string {
	e, _ := apperr.As(err)
	if e == nil {
		return ""
	}
	return e.Rule
}

// CH-4: acknowledge within 5 WD of receipt; respond within 10 WD of the acknowledgement; across holidays.
func TestCH4_Stage1Timescales(t *testing.T) {
	cases := []struct{ received, ackBy, ackOn, respondBy string }{
		{"2026-11-23T10:00:00Z", "2026-11-30", "2026-11-24T10:00:00Z", "2026-12-08"},
		{"2026-12-23T10:00:00Z", "2027-01-04", "2026-12-24T10:00:00Z", "2027-01-12"}, // Christmas and New Year
		{"2027-03-24T23:30:00Z", "2027-04-02", "2027-03-25T10:00:00Z", "2027-04-12"}, // Easter 2027 (26, 29 Mar); 23:30 GMT
		{"2026-03-31T23:30:00Z", "2026-04-10", "2026-04-01T09:00:00Z", "2026-04-17"}, // 00:30 BST on 1 April; Easter 2026 (3, 6 Apr)
	}
	for _, tc := range cases {
		c := received(t, tc.received)
		if got := c.Stages[0].AcknowledgeBy.String(); got != tc.ackBy {
			t.Errorf("received %s: acknowledgeBy %s, want %s", tc.received, got, tc.ackBy)
		}
		ok[any](t)(c.Acknowledge("Missed repairs", "Fix", "officer-a", "officer-a", at(tc.ackOn)))
		if got := c.Stages[0].RespondBy.String(); got != tc.respondBy {
			t.Errorf("acknowledged %s: respondBy %s, want %s", tc.ackOn, got, tc.respondBy)
		}
	}
}

// CH-4/CH-5: one extension per stage, at most 10 WD at stage 1 and 20 WD at stage 2, with the Ombudsman's details.
func TestCH4_CH5_Extensions(t *testing.T) {
	c := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(c.Acknowledge("d", "o", "officer-a", "officer-a", at("2026-11-24T10:00:00Z")))
	if _, _, err := c.Extend(11, "complex", "officer-a", at("2026-11-25T10:00:00Z")); code(err) != apperr.Unprocessable || rule(err) != "CH-4" {
		t.Fatalf("11 WD at stage 1: %v", err)
	}
	if _, _, err := c.Extend(5, "", "officer-a", at("2026-11-25T10:00:00Z")); code(err) != apperr.Invalid {
		t.Fatalf("no reason: %v", err)
	}
	letter, _, err := c.Extend(10, "We need a surveyor's report", "officer-a", at("2026-11-25T10:00:00Z"))
	if err != nil || c.Stages[0].RespondBy.String() != "2026-12-22" {
		t.Fatalf("extension: %v %s", err, c.Stages[0].RespondBy)
	}
	for _, want := range append([]string{"We need a surveyor's report", "Tuesday 22 December 2026"}, Ombudsman...) {
		if !strings.Contains(letter.Text, want) || !strings.Contains(letter.HTML, strings.ReplaceAll(want, "'", "&#39;")) {
			t.Errorf("extension letter lacks %q", want)
		}
	}
	if _, _, err := c.Extend(1, "again", "officer-a", at("2026-11-26T10:00:00Z")); code(err) != apperr.Unprocessable {
		t.Fatalf("second extension: %v", err)
	}
	c = stage2(t)
	if _, _, err := c.Extend(21, "complex", "manager-b", at("2027-01-12T10:00:00Z")); code(err) != apperr.Unprocessable || rule(err) != "CH-5" {
		t.Fatalf("21 WD at stage 2: %v", err)
	}
	ok[Letter](t)(func() (Letter, error) {
		l, _, err := c.Extend(20, "Independent review", "manager-b", at("2027-01-12T10:00:00Z"))
		return l, err
	}())
}

// stage2 is a complaint answered at stage 1 and acknowledged at stage 2 by another handler.
func stage2(t *testing.T) Complaint {
	c := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(c.Acknowledge("Missed repairs", "Fix", "officer-a", "officer-a", at("2026-11-24T10:00:00Z")))
	ok[Letter](t)(func() (Letter, error) {
		l, _, err := c.Respond(Response{Decision: "not-upheld", Reasons: "Appointments were kept"}, "officer-a", at("2026-12-01T10:00:00Z"))
		return l, err
	}())
	ok[any](t)(c.Escalate(at("2026-12-10T10:00:00Z")))
	ok[any](t)(c.Acknowledge("Missed repairs, stage 2", "Fix", "manager-b", "manager-b", at("2026-12-11T10:00:00Z")))
	return c
}

// CH-5: escalation without reasons, 5 WD acknowledgement, 20 WD response, different handler.
func TestCH5_Stage2(t *testing.T) {
	c := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(c.Acknowledge("Missed repairs", "Fix", "officer-a", "officer-a", at("2026-11-24T10:00:00Z")))
	ok[Letter](t)(func() (Letter, error) {
		l, _, err := c.Respond(Response{Decision: "not-upheld", Reasons: "r"}, "officer-a", at("2026-12-01T10:00:00Z"))
		return l, err
	}())
	ok[any](t)(c.Escalate(at("2026-12-23T10:00:00Z")))
	if c.Status != StatusEscalated || c.Stage != 2 || c.Stages[1].AcknowledgeBy.String() != "2027-01-04" || c.LateEscalation {
		t.Fatalf("escalated: %+v", c.Stages[1])
	}
	if _, err := c.Acknowledge("d", "o", "OFFICER-A ", "manager-b", at("2026-12-24T10:00:00Z")); code(err) != apperr.Unprocessable || rule(err) != "CH-5" {
		t.Fatalf("same handler at stage 2: %v", err)
	}
	ok[any](t)(c.Acknowledge("d", "o", "manager-b", "manager-b", at("2026-12-24T10:00:00Z")))
	if got := c.Stages[1].RespondBy.String(); got != "2027-01-26" {
		t.Fatalf("stage 2 respondBy %s, want 2027-01-26", got)
	}
}

// CH-5: a late escalation (over 20 WD after the stage 1 response) is accepted and flagged.
func TestCH5_LateEscalationIsFlaggedNotRefused(t *testing.T) {
	c := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(c.Acknowledge("d", "o", "officer-a", "officer-a", at("2026-11-24T10:00:00Z")))
	ok[Letter](t)(func() (Letter, error) {
		l, _, err := c.Respond(Response{Decision: "upheld", Reasons: "r"}, "officer-a", at("2026-12-01T10:00:00Z"))
		return l, err
	}())
	// 20 WD after Tue 1 Dec 2026 is Thu 31 Dec (25, 28 Dec are holidays): the 31st is in time, 4 Jan is late
	inTime := c
	inTime.Stages = append([]Stage{}, c.Stages...)
	ok[any](t)(inTime.Escalate(at("2026-12-31T16:00:00Z")))
	if inTime.LateEscalation {
		t.Fatal("31 December is within 20 working days")
	}
	ev := ok[any](t)(c.Escalate(at("2027-01-04T09:00:00Z")))
	if !c.LateEscalation || c.Status != StatusEscalated || ev == nil {
		t.Fatalf("late escalation: %+v", c)
	}
}

// CH-3: exactly two stages; CH-2: a refused complaint cannot be escalated; order of the steps.
func TestCH3_ForbiddenTransitions(t *testing.T) {
	c := received(t, "2026-11-23T10:00:00Z")
	if _, _, err := c.Respond(Response{Decision: "upheld", Reasons: "r"}, "x", at("2026-11-24T10:00:00Z")); code(err) != apperr.Conflict || rule(err) != "CH-4" {
		t.Errorf("responding before acknowledging: %v", err)
	}
	if _, err := c.Escalate(at("2026-11-24T10:00:00Z")); code(err) != apperr.Conflict || rule(err) != "CH-5" {
		t.Errorf("escalating before the stage 1 response: %v", err)
	}
	c2 := stage2(t)
	ok[Letter](t)(func() (Letter, error) {
		l, _, err := c2.Respond(Response{Decision: "partly-upheld", Reasons: "r", Remedies: []string{"£50"}}, "manager-b", at("2027-01-05T10:00:00Z"))
		return l, err
	}())
	if c2.Status != StatusClosed {
		t.Fatalf("after stage 2: %s", c2.Status)
	}
	if _, err := c2.Escalate(at("2027-01-06T10:00:00Z")); code(err) != apperr.Conflict || rule(err) != "CH-3" {
		t.Errorf("a third stage: %v", err)
	}
	c3 := stage2(t)
	if _, err := c3.Escalate(at("2027-01-06T10:00:00Z")); code(err) != apperr.Conflict || rule(err) != "CH-3" {
		t.Errorf("escalating at stage 2: %v", err)
	}
	c4 := received(t, "2026-11-23T10:00:00Z")
	c4.Flags = append(c4.Flags, FlagPossiblyOutOfTime)
	ok[Letter](t)(func() (Letter, error) {
		l, _, err := c4.Refuse("older-than-12-months", "Issue in 2024", "officer-a", at("2026-11-24T10:00:00Z"))
		return l, err
	}())
	if _, err := c4.Escalate(at("2026-11-25T10:00:00Z")); code(err) != apperr.Conflict || rule(err) != "CH-2" {
		t.Errorf("escalating a refused complaint: %v", err)
	}
	if _, err := c4.Acknowledge("d", "o", "h", "h", at("2026-11-25T10:00:00Z")); code(err) != apperr.Conflict {
		t.Errorf("acknowledging a refused complaint: %v", err)
	}
	c5 := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(c5.Acknowledge("d", "o", "h", "h", at("2026-11-24T10:00:00Z")))
	if _, err := c5.Acknowledge("d", "o", "h", "h", at("2026-11-24T11:00:00Z")); code(err) != apperr.Conflict {
		t.Errorf("acknowledging twice: %v", err)
	}
}

// CH-2: exclusions are evidenced, never blanket; out-of-time needs an issue over 12 months old.
func TestCH2_Exclusions(t *testing.T) {
	old := submission()
	old.IssueDate = "2025-11-20" // over 12 months before 23 Nov 2026
	c, ev := Receive("CMP-OLD", old, at("2026-11-23T10:00:00Z"))
	if !contains(c.Flags, FlagPossiblyOutOfTime) || c.Status != StatusReceived || ev.Details["note"] == nil {
		t.Fatalf("old issue should be flagged, not refused: %+v", c)
	}
	fresh := received(t, "2026-11-23T10:00:00Z")
	if _, _, err := fresh.Refuse("older-than-12-months", "x", "o", at("2026-11-24T10:00:00Z")); code(err) != apperr.Unprocessable || rule(err) != "CH-2" {
		t.Errorf("refusing a recent issue as out of time: %v", err)
	}
	if _, _, err := fresh.Refuse("too-busy", "", "o", at("2026-11-24T10:00:00Z")); code(err) != apperr.Invalid {
		t.Errorf("unknown exclusion: %v", err)
	}
	letter, ev, err := fresh.Refuse("legal-proceedings", "Claim form filed at Northampton County Court", "o", at("2026-11-24T10:00:00Z"))
	if onTimeline, _ := ev.Details["letter"].(map[string]any); onTimeline["text"] != letter.Text {
		t.Errorf("the refusal letter is not on the timeline: %v", ev.Details)
	}
	if err != nil || !strings.Contains(letter.Text, "legal proceedings") || !strings.Contains(letter.Text, "right to ask the Housing Ombudsman") || !strings.Contains(letter.Text, "0300 111 3000") {
		t.Errorf("refusal letter: %v\n%s", err, letter.Text)
	}
	if OpenDeadlines(fresh) != nil {
		t.Error("a refused complaint has no deadlines")
	}
}

// CH-6: every response states the stage, definition, decision, reasons, remedy, outstanding actions and how to
// escalate; resident text is escaped in HTML.
func TestCH6_ResponseLetterContents(t *testing.T) {
	c := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(c.Acknowledge("Repairs <script>alert(1)</script> not done", "Boiler fixed", "officer-a", "officer-a", at("2026-11-24T10:00:00Z")))
	letter, _, err := c.Respond(Response{Decision: "partly-upheld", Reasons: "Two of three visits were missed",
		Remedies: []string{"An apology", "£75 compensation"}, OutstandingActions: []string{"Replace the boiler by 18 December"}}, "officer-a", at("2026-12-01T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"stage 1 response", "Repairs <script>", "Boiler fixed", "partly upheld", "Two of three visits were missed",
		"£75 compensation", "Replace the boiler by 18 December", "stage 2", "do not have to give a reason", "Thursday 31 December 2026"} {
		if !strings.Contains(letter.Text, want) {
			t.Errorf("stage 1 letter lacks %q:\n%s", want, letter.Text)
		}
	}
	if strings.Contains(letter.HTML, "<script>") || !strings.Contains(letter.HTML, "&lt;script&gt;") {
		t.Error("resident text must be escaped in HTML")
	}
	c2 := stage2(t)
	final, _, err := c2.Respond(Response{Decision: "not-upheld", Reasons: "r"}, "manager-b", at("2027-01-05T10:00:00Z"))
	if err != nil || !strings.Contains(final.Text, "final response") || !strings.Contains(final.Text, "Housing Ombudsman") || !strings.Contains(final.Text, "info@housing-ombudsman.org.uk") {
		t.Errorf("stage 2 letter: %v\n%s", err, final.Text)
	}
}

// CH-1 and CH-7.
func TestCH1_CH7_ServiceRequestsAndRelatedPoints(t *testing.T) {
	c := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(c.AddRelatedPoints("Also the kitchen tap leaks", "officer-a", at("2026-11-24T10:00:00Z")))
	ok[any](t)(c.Acknowledge("d", "o", "officer-a", "officer-a", at("2026-11-24T10:00:00Z")))
	ok[any](t)(c.AddRelatedPoints("And the window", "officer-a", at("2026-11-25T10:00:00Z")))
	ok[Letter](t)(func() (Letter, error) {
		l, _, err := c.Respond(Response{Decision: "upheld", Reasons: "r"}, "o", at("2026-11-26T10:00:00Z"))
		return l, err
	}())
	if _, err := c.AddRelatedPoints("One more", "o", at("2026-11-27T10:00:00Z")); code(err) != apperr.Unprocessable || rule(err) != "CH-7" {
		t.Errorf("points after the stage 1 response: %v", err)
	}
	s := received(t, "2026-11-23T10:00:00Z")
	ok[any](t)(s.ReclassifyAsServiceRequest("Asked for a repair appointment", "officer-a", at("2026-11-24T10:00:00Z")))
	if s.Status != StatusServiceRequest || OpenDeadlines(s) != nil {
		t.Errorf("service request: %+v", s)
	}
	if _, err := s.Escalate(at("2026-11-25T10:00:00Z")); code(err) != apperr.Conflict || rule(err) != "CH-1" {
		t.Errorf("escalating a service request: %v", err)
	}
}

func TestOpenDeadlinesPerStage(t *testing.T) {
	c := received(t, "2026-11-23T10:00:00Z")
	if d := OpenDeadlines(c); len(d) != 1 || d[0].Name != "stage1-acknowledge" || d[0].Due.String() != "2026-11-30" || d[0].Team != OfficerGroup {
		t.Fatalf("%+v", d)
	}
	c2 := stage2(t)
	if d := OpenDeadlines(c2); len(d) != 1 || d[0].Name != "stage2-response" || d[0].Owner != "manager-b" || d[0].Team != ManagerGroup || d[0].Manager != ManagerGroup {
		t.Fatalf("%+v", d)
	}
}

func TestValidation(t *testing.T) {
	s := Submission{IssueDate: "2027-02-30", Complainant: Complainant{PreferredContact: "sms", Email: "bad"}, Representative: &Representative{Name: "Rep"}}
	err := s.Validate(at("2026-11-23T10:00:00Z"))
	e, _ := apperr.As(err)
	got := map[string]bool{}
	for _, f := range e.Fields {
		got[f.Field] = true
	}
	for _, want := range []string{"description", "outcomesSought", "serviceArea", "issueDate", "complainant.name", "complainant.email", "complainant.phone", "representative.consent"} {
		if !got[want] {
			t.Errorf("no error for %s: %v", want, e.Fields)
		}
	}
	byPost := submission()
	byPost.Complainant = Complainant{Name: "Pat", PreferredContact: "letter"}
	if e, _ := apperr.As(byPost.Validate(at("2026-11-23T10:00:00Z"))); e == nil || e.Fields[len(e.Fields)-1].Field != "complainant.address" {
		t.Errorf("letters need a postal address: %v", e)
	}
	byPost.Complainant.Address = "1 Example Road, Northampton NN1 1DE"
	if err := byPost.Validate(at("2026-11-23T10:00:00Z")); err != nil {
		t.Errorf("a complainant reachable only by letter: %v", err)
	}
	future := submission()
	future.IssueDate = "2026-12-01"
	if err := future.Validate(at("2026-11-23T10:00:00Z")); err == nil {
		t.Error("an issue date in the future")
	}
}

// CH-10: a seeded financial year, worked out by hand.
func TestCH10_AnnualReport(t *testing.T) {
	var year []Complaint
	// two stage 1 answered on time, one late (the Christmas one answered after its respondBy)
	a := received(t, "2026-04-10T10:00:00Z")
	ok[any](t)(a.Acknowledge("d", "o", "h1", "h1", at("2026-04-13T10:00:00Z")))
	ok[Letter](t)(func() (Letter, error) {
		l, _, e := a.Respond(Response{Decision: "upheld", Reasons: "r"}, "h1", at("2026-04-20T10:00:00Z"))
		return l, e
	}())
	b := received(t, "2026-12-23T10:00:00Z")
	ok[any](t)(b.Acknowledge("d", "o", "h1", "h1", at("2026-12-24T10:00:00Z"))) // respondBy 12 Jan
	ok[Letter](t)(func() (Letter, error) {
		l, _, e := b.Respond(Response{Decision: "not-upheld", Reasons: "r"}, "h1", at("2027-01-13T10:00:00Z"))
		return l, e
	}())
	ok[any](t)(b.Escalate(at("2027-01-20T10:00:00Z")))
	ok[any](t)(b.Acknowledge("d", "o", "h2", "h2", at("2027-01-21T10:00:00Z")))
	ok[Letter](t)(func() (Letter, error) {
		l, _, e := b.Respond(Response{Decision: "partly-upheld", Reasons: "r", OutstandingActions: []string{"x"}}, "h2", at("2027-02-01T10:00:00Z"))
		return l, e
	}())
	cc := received(t, "2027-03-31T22:30:00Z") // 23:30 BST on 31 March: still this financial year
	cc.ServiceArea = "neighbourhoods"
	sr := received(t, "2026-06-01T10:00:00Z")
	ok[any](t)(sr.ReclassifyAsServiceRequest("repair request", "h1", at("2026-06-02T10:00:00Z")))
	rf := received(t, "2026-07-01T10:00:00Z")
	ok[Letter](t)(func() (Letter, error) {
		l, _, e := rf.Refuse("previously-considered", "Answered in 2025", "h1", at("2026-07-02T10:00:00Z"))
		return l, e
	}())
	year = append(year, a, b, cc, sr, rf)

	r := Annual(2026, year, 12000)
	if r.Year != "2026-27" || r.Stage1.Received != 4 || r.Stage2.Received != 1 || r.ServiceRequests != 1 || r.Refused != 1 ||
		r.RefusedBy["previously-considered"] != 1 || r.ByServiceArea["repairs"] != 3 || r.ByServiceArea["neighbourhoods"] != 1 {
		t.Fatalf("volumes: %+v", r)
	}
	if r.Stage1.Responded != 2 || r.Stage1.RespondedOnTime != 1 || *r.Stage1.PercentOnTime != 50 || r.Stage1.StillOpen != 1 {
		t.Fatalf("CH02 stage 1: %+v", r.Stage1)
	}
	if r.Stage2.Responded != 1 || *r.Stage2.PercentOnTime != 100 || r.Stage2.Outcomes["partly-upheld"] != 1 || r.OutstandingItems != 1 {
		t.Fatalf("CH02 stage 2: %+v", r.Stage2)
	}
	if r.Stage1.Per1000Homes != 0.33 || r.Stage2.Per1000Homes != 0.08 {
		t.Fatalf("CH01: %v %v", r.Stage1.Per1000Homes, r.Stage2.Per1000Homes)
	}
	from, to := FinancialYear(2026)
	if from.Format(time.RFC3339) != "2026-03-31T23:00:00Z" || to.Format(time.RFC3339) != "2027-03-31T23:00:00Z" {
		t.Fatalf("year bounds %s %s", from, to)
	}
}
