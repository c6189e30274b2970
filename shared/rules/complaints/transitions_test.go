package complaints

import (
	"fmt"
	"reflect"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// CH-5: whoever acknowledged, extended or answered stage 1 can never acknowledge, extend or answer stage 2,
// whatever name they go by: people are compared by their staff id, never by the name shown or typed.
func TestCH5_Stage1HandlerNeverHandlesStage2(t *testing.T) {
	for _, name := range []string{"officer-a", " OFFICER-A ", "Alex Officer", ""} {
		c := escalated(t) // stage 1 acknowledged and answered by officer-a
		before := c
		_, _, err := c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o", Handler: "manager-b"}, casefile.Actor{ID: "officer-a", Name: name}, at("2027-01-12T10:00:00Z"))
		wantRuleError(t, err, apperr.Unprocessable, "CH-5")
		if e, _ := apperr.As(err); !containsAll(e.Message, "handled stage 1", "cannot acknowledge stage 2") {
			t.Errorf("message does not explain the rule: %q", e.Message)
		}
		if !reflect.DeepEqual(before, c) {
			t.Error("a refused transition changed the complaint")
		}
	}
	// Someone else who happens to share the stage 1 handler's display name may handle stage 2.
	namesake := escalated(t)
	check{t}.ack(namesake.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o"}, casefile.Actor{ID: "manager-z", Name: "officer-a"}, at("2027-01-12T10:00:00Z")))

	c := atStage2(t)
	_, _, err := c.Respond(Response{Decision: "upheld", Reasons: "r"}, casefile.Actor{ID: "officer-a", Name: "Somebody New"}, at("2027-01-20T10:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-5")
	_, _, err = c.Extend(ExtensionRequest{WorkingDays: 5, Reason: "r"}, staff("officer-a"), at("2027-01-20T10:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-5")
	if c.Stages[1].AcknowledgedBy != staff("manager-b") || c.Stages[0].AcknowledgedBy != staff("officer-a") {
		t.Errorf("who acknowledged each stage: %+v, %+v", c.Stages[0].AcknowledgedBy, c.Stages[1].AcknowledgedBy)
	}

	// Extending stage 1 is handling it too.
	extended := acknowledged(t)
	check{t}.letter(extended.Extend(ExtensionRequest{WorkingDays: 5, Reason: "Records"}, staff("officer-x"), at("2027-01-05T10:00:00Z")))
	check{t}.letter(extended.Respond(Response{Decision: "not-upheld", Reasons: "r"}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	check{t}.event(extended.Escalate(at("2027-01-11T10:00:00Z")))
	_, _, err = extended.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o"}, staff("officer-x"), at("2027-01-11T14:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-5")
}

// CH-4: the handler is who letters name; the acting officer when left out.
func TestCH4_HandlerDefaultsToTheActingOfficer(t *testing.T) {
	c := received(t)
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o"}, casefile.Actor{ID: "u-1", Name: "Jo Officer"}, at("2026-12-24T10:00:00Z")))
	if c.Stages[0].Handler != "Jo Officer" || c.Stages[0].AcknowledgedBy.ID != "u-1" {
		t.Errorf("stage 1: handler %q, acknowledged by %+v", c.Stages[0].Handler, c.Stages[0].AcknowledgedBy)
	}
}

// CH-4, CH-5: one extension per stage, at most 10 WD at stage 1 and 20 WD at stage 2 (longer only with a good
// reason, source §6.4/§6.15), counted from the current respondBy, agreed before the response is due.
func TestCH4_CH5_Extensions(t *testing.T) {
	cases := []struct {
		name      string
		from      func(*testing.T) Complaint
		request   ExtensionRequest
		at        string
		respondBy string // "" when refused
		code      apperr.Code
		rule      string
	}{
		{"stage 1, 10 WD from 12 Jan", acknowledged, ExtensionRequest{WorkingDays: 10, Reason: "We need a surveyor"}, "2027-01-05T10:00:00Z", "2027-01-26", "", ""},
		{"stage 1, 5 WD", acknowledged, ExtensionRequest{WorkingDays: 5, Reason: "Records"}, "2027-01-05T10:00:00Z", "2027-01-19", "", ""},
		{"stage 1, on the day the response is due", acknowledged, ExtensionRequest{WorkingDays: 1, Reason: "r"}, "2027-01-12T16:00:00Z", "2027-01-13", "", ""},
		{"stage 1, 11 WD", acknowledged, ExtensionRequest{WorkingDays: 11, Reason: "complex"}, "2027-01-05T10:00:00Z", "", apperr.Unprocessable, "CH-4"},
		{"stage 1, 11 WD with a good reason", acknowledged, ExtensionRequest{WorkingDays: 11, Reason: "complex", GoodReasonForLonger: "The independent surveyor is booked for 26 January",
			KeepInformed: &UpdatePlanInput{EveryWorkingDays: 5, AgreedOn: "2027-01-05"}}, "2027-01-05T10:00:00Z", "2027-01-27", "", ""},
		{"stage 1, after the response was due", acknowledged, ExtensionRequest{WorkingDays: 5, Reason: "late"}, "2027-01-13T09:00:00Z", "", apperr.Unprocessable, "CH-4"},
		{"stage 1, no working days", acknowledged, ExtensionRequest{WorkingDays: 0, Reason: "r"}, "2027-01-05T10:00:00Z", "", apperr.Invalid, ""},
		{"stage 1, no reason", acknowledged, ExtensionRequest{WorkingDays: 5, Reason: "  "}, "2027-01-05T10:00:00Z", "", apperr.Invalid, ""},
		{"stage 2, 20 WD from 8 Feb", atStage2, ExtensionRequest{WorkingDays: 20, Reason: "Independent review"}, "2027-01-20T10:00:00Z", "2027-03-08", "", ""},
		{"stage 2, 21 WD", atStage2, ExtensionRequest{WorkingDays: 21, Reason: "r"}, "2027-01-20T10:00:00Z", "", apperr.Unprocessable, "CH-5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.from(t)
			letter, ev, err := c.Extend(tc.request, staff("manager-b"), at(tc.at))
			if tc.respondBy == "" {
				if tc.code == apperr.Invalid {
					if apperr.CodeOf(err) != apperr.Invalid {
						t.Fatalf("got %v, want invalid", err)
					}
				} else {
					wantRuleError(t, err, tc.code, tc.rule)
				}
				if c.Current().Extension != nil || len(c.Letters) != len(tc.from(t).Letters) {
					t.Error("a refused extension was recorded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := c.Current()
			if s.RespondBy.String() != tc.respondBy || ev.Details["respondBy"] != tc.respondBy || letter.Kind != LetterExtension || letter.Stage != c.Stage {
				t.Fatalf("respondBy %s, want %s; letter %s/%d", s.RespondBy, tc.respondBy, letter.Kind, letter.Stage)
			}
			if s.Extension.BeyondLimit() != (tc.request.GoodReasonForLonger != "") || ev.Details["beyondLimit"] != s.Extension.BeyondLimit() {
				t.Errorf("beyond limit: %+v", s.Extension)
			}
			if _, _, err := c.Extend(ExtensionRequest{WorkingDays: 1, Reason: "again"}, staff("officer-a"), at(tc.at)); err == nil {
				t.Fatal("a second extension at the same stage was allowed")
			} else {
				wantRuleError(t, err, apperr.Unprocessable, stageRule(c.Stage))
			}
		})
	}
}

// CH-4/CH-5: the stage 2 extension is the stage's own: a stage 1 extension does not use it up.
func TestCH5_OneExtensionPerStage(t *testing.T) {
	c := acknowledged(t)
	check{t}.letter(c.Extend(ExtensionRequest{WorkingDays: 5, Reason: "Records"}, staff("officer-a"), at("2027-01-05T10:00:00Z")))
	check{t}.letter(c.Respond(Response{Decision: "not-upheld", Reasons: "r"}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	check{t}.event(c.Escalate(at("2027-01-11T10:00:00Z")))
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o", Handler: "manager-b"}, staff("manager-b"), at("2027-01-11T14:00:00Z")))
	check{t}.letter(c.Extend(ExtensionRequest{WorkingDays: 20, Reason: "Independent review"}, staff("manager-b"), at("2027-01-20T10:00:00Z")))
	if c.Stages[0].RespondBy.String() != "2027-01-19" || c.Stages[1].RespondBy.String() != "2027-03-08" {
		t.Errorf("respondBy per stage: %s, %s", c.Stages[0].RespondBy, c.Stages[1].RespondBy)
	}
}

// CH-6: responses validate their input; stage 1 opens the escalation window, stage 2 closes the complaint.
func TestCH6_Respond(t *testing.T) {
	c := acknowledged(t)
	_, _, err := c.Respond(Response{Decision: "maybe", Reasons: " ", Remedies: []ItemInput{{}}}, staff("officer-a"), at("2027-01-08T10:00:00Z"))
	wantFields(t, err, "decision", "remedies[0].description", "remedies[0].dueOn", "reasons")
	_, ev, err := c.Respond(Response{Decision: "upheld", Reasons: "r"}, staff("officer-a"), at("2027-01-12T16:00:00Z"))
	if err != nil || ev.Details["onTime"] != true || c.Status != StatusResponded || c.EscalateBy.String() != "2027-02-09" || ev.Rule != "CH-6" {
		t.Fatalf("on the respondBy date: %v %v %s %s", err, ev.Details, c.Status, c.EscalateBy)
	}
	late := acknowledged(t)
	if _, ev, _ := late.Respond(Response{Decision: "upheld", Reasons: "r"}, staff("officer-a"), at("2027-01-13T09:00:00Z")); ev.Details["onTime"] != false || late.Stages[0].OnTime() {
		t.Errorf("a day late is late: %v", ev.Details)
	}
	final := closed(t)
	if final.Status != StatusClosed || final.Stages[1].RespondedBy != staff("manager-b") || !final.Stages[1].OnTime() || OpenDeadlines(final) != nil {
		t.Errorf("after the stage 2 response: %+v", final)
	}
}

// CH-2: exclusions are evidenced, never automatic; an out-of-time refusal needs an issue over 12 months old;
// at stage 2 only legal proceedings can stop the review.
func TestCH2_Exclusions(t *testing.T) {
	flagged := func(issueDate string) Complaint {
		s := submission()
		s.IssueDate = issueDate
		c, ev, err := Submit("CMP-OLD", s, at("2026-12-23T10:00:00Z"))
		if err != nil {
			t.Fatal(err)
		}
		if c.HasFlag(FlagPossiblyOutOfTime) != (ev.Details["note"] != nil) {
			t.Errorf("flag and note disagree: %v %v", c.Flags, ev.Details)
		}
		return c
	}
	if c := flagged("2025-12-23"); c.HasFlag(FlagPossiblyOutOfTime) {
		t.Error("exactly 12 months before receipt is within time")
	}
	old := flagged("2025-12-22")
	if !old.HasFlag(FlagPossiblyOutOfTime) || old.Status != StatusReceived || len(OpenDeadlines(old)) != 1 {
		t.Fatalf("an old issue is flagged, never refused automatically: %+v", old)
	}
	check{t}.letter(old.Refuse(RefusalRequest{Exclusion: "older-than-12-months", Explanation: "Repairs finished in June 2025; no good reason for the delay"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	if old.Status != StatusRefused || old.Refusal.Stage != 1 || OpenDeadlines(old) != nil {
		t.Errorf("refused: %+v", old)
	}

	fresh := received(t)
	_, _, err := fresh.Refuse(RefusalRequest{Exclusion: "older-than-12-months", Explanation: "x"}, staff("officer-a"), at("2026-12-24T10:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-2")
	_, _, err = fresh.Refuse(RefusalRequest{Exclusion: "too-busy", Explanation: " "}, staff("officer-a"), at("2026-12-24T10:00:00Z"))
	wantFields(t, err, "exclusion", "explanation")

	declared := submission()
	declared.LegalProceedings = true
	c, _, _ := Submit("CMP-LEGAL", declared, at("2026-12-23T10:00:00Z"))
	if !c.HasFlag(FlagLegalProceedings) || c.Status != StatusReceived {
		t.Errorf("declared proceedings are flagged, not refused: %+v", c)
	}

	ack := acknowledged(t)
	check{t}.letter(ack.Refuse(RefusalRequest{Exclusion: "previously-considered", Explanation: "Answered as CMP-2025-0042"}, staff("officer-a"), at("2027-01-05T10:00:00Z")))

	s2 := escalated(t)
	_, _, err = s2.Refuse(RefusalRequest{Exclusion: "previously-considered", Explanation: "It was considered at stage 1"}, staff("manager-b"), at("2027-01-12T10:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-2")
	letter := check{t}.letter(s2.Refuse(RefusalRequest{Exclusion: "legal-proceedings", Explanation: "Claim form filed on 5 January 2027"}, staff("manager-b"), at("2027-01-12T10:00:00Z")))
	if s2.Refusal.Stage != 2 || letter.Stage != 2 || !containsAll(letter.Text, "stage 2 review") {
		t.Errorf("stage 2 refusal: %+v\n%s", s2.Refusal, letter.Text)
	}
}

// CH-1 (source §1.4): a service request is logged with an owner and a due date, leaves the procedure, and has
// one deadline, its own, until it is done; then none.
func TestCH1_ReclassifyAsServiceRequest(t *testing.T) {
	for _, from := range []func(*testing.T) Complaint{received, acknowledged} {
		c := from(t)
		_, err := c.ReclassifyAsServiceRequest(ServiceRequestNote{Note: " ", DueOn: "2026-12-23"}, staff("officer-a"), at("2026-12-24T10:00:00Z"))
		wantFields(t, err, "note", "dueOn")
		ev := check{t}.event(c.ReclassifyAsServiceRequest(ServiceRequestNote{Note: "Asked for a repair appointment", DueOn: "2027-01-08", Owner: "repairs-1"},
			staff("officer-a"), at("2026-12-24T11:00:00Z")))
		dl := OpenDeadlines(c)
		if c.Status != StatusServiceRequest || c.ServiceRequest != "Asked for a repair appointment" || len(dl) != 1 || dl[0].Name != "service-request" ||
			dl[0].Owner != "repairs-1" || dl[0].Due.String() != "2027-01-08" || dl[0].Rule != "CH-1" || ev.Rule != "CH-1" || ev.Actor != "officer-a" {
			t.Errorf("service request: %+v %+v %+v", c, ev, dl)
		}
	}
}

// CH-1 (source §1.4, §1.5): a service request is monitored until it is done, once; the report counts it in the
// year it was done; only a service request can be completed as one.
func TestCH1_ServiceRequestTrackedToCompletion(t *testing.T) {
	c := serviceRequest(t)
	ev := check{t}.event(c.CompleteServiceRequest(ServiceRequestDone{Outcome: "Appointment booked for 5 January"}, staff("repairs-1"), at("2027-01-04T10:00:00Z")))
	if ev.Action != "service-request-done" || ev.Details["onTime"] != true || OpenDeadlines(c) != nil || c.ServiceRequestRecord.Outcome != "Appointment booked for 5 January" {
		t.Fatalf("done: %+v %+v", ev, c.ServiceRequestRecord)
	}
	_, err := c.CompleteServiceRequest(ServiceRequestDone{Outcome: "again"}, staff("repairs-1"), at("2027-01-04T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-1")
	if r := Annual(2026, []Complaint{c.Facts()}, 0); r.ServiceRequests != 1 || r.ServiceRequestsDone != 1 {
		t.Errorf("report: %+v", r)
	}
	if f := c.Facts(); f.ServiceRequestRecord.Outcome != "" || f.ServiceRequestRecord.DoneAt == nil {
		t.Errorf("facts: %+v", f.ServiceRequestRecord)
	}
	open := acknowledged(t)
	_, err = open.CompleteServiceRequest(ServiceRequestDone{Outcome: "x"}, staff("repairs-1"), at("2027-01-04T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-1")
	blank := serviceRequest(t)
	_, err = blank.CompleteServiceRequest(ServiceRequestDone{Outcome: " "}, staff("repairs-1"), at("2027-01-04T10:00:00Z"))
	wantFields(t, err, "outcome")
}

// CH-7: related points join stage 1 until its response.
func TestCH7_RelatedPoints(t *testing.T) {
	c := received(t)
	check{t}.event(c.AddRelatedPoints(RelatedPoints{Points: "Also the kitchen tap leaks"}, staff("resident"), at("2026-12-23T15:00:00Z")))
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o", Handler: "officer-a"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	ev := check{t}.event(c.AddRelatedPoints(RelatedPoints{Points: "And the bedroom window"}, staff("officer-a"), at("2027-01-05T10:00:00Z")))
	if len(c.RelatedPoints) != 2 || ev.Details["count"] != 2 || ev.Rule != "CH-7" || c.RelatedPoints[1].By != staff("officer-a") {
		t.Fatalf("points: %+v %+v", c.RelatedPoints, ev)
	}
	_, err := c.AddRelatedPoints(RelatedPoints{Points: ""}, staff("officer-a"), at("2027-01-05T10:00:00Z"))
	wantFields(t, err, "points")
	letter := check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r"}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	if !containsAll(letter.Text, "Also the kitchen tap leaks", "And the bedroom window") {
		t.Errorf("the stage 1 response must answer the joined points:\n%s", letter.Text)
	}
	_, err = c.AddRelatedPoints(RelatedPoints{Points: "One more"}, staff("resident"), at("2027-01-09T10:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-7")
	if e, _ := apperr.As(err); !containsAll(e.Message, "new complaint") {
		t.Errorf("message: %q", e.Message)
	}
}

// Acknowledgements list every missing field (blank-only text included).
func TestCH4_AcknowledgementInput(t *testing.T) {
	c := received(t)
	_, _, err := c.Acknowledge(Acknowledgement{Definition: "", OutcomesSought: "  ", Handler: " "}, staff("officer-a"), at("2026-12-24T10:00:00Z"))
	wantFields(t, err, "definition", "outcomesSought", "handler")
	if c.Status != StatusReceived {
		t.Error("an invalid acknowledgement changed the status")
	}
}

// CH-7: a stage 1 complaint holds at most MaxRelatedPoints joined points, so the record stays bounded; the next
// must be a new complaint (422) and leaves the record as it was.
func TestCH7_RelatedPointsAreBounded(t *testing.T) {
	c := received(t)
	for i := range MaxRelatedPoints {
		check{t}.event(c.AddRelatedPoints(RelatedPoints{Points: fmt.Sprintf("Point %d", i+1)}, staff("officer-a"), at("2026-12-23T15:00:00Z")))
	}
	_, err := c.AddRelatedPoints(RelatedPoints{Points: "One more"}, staff("officer-a"), at("2026-12-23T15:00:00Z"))
	wantRuleError(t, err, apperr.Unprocessable, "CH-7")
	if len(c.RelatedPoints) != MaxRelatedPoints {
		t.Errorf("%d points kept", len(c.RelatedPoints))
	}
}
