package asb

import (
	"errors"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// newCase is a noise report received Monday 23 Nov 2026 10:00: acknowledge by Tue 24, appointment by Thu 26.
func newCase() Case {
	r := report("noise")
	return NewCase("ASB-TEST-0001", r, Assess(r, mondayMorning), ChannelOnline, mondayMorning)
}

func deadlines(c Case) string {
	var out []string
	for _, d := range OpenDeadlines(c) {
		out = append(out, d.Name+"@"+d.Due.String()+"/"+d.Rule)
	}
	return strings.Join(out, " ")
}

// ok fails the test when a transition is refused: ok(t)(c.Acknowledge(...)).
func ok(t *testing.T) func(casefile.Event, error) {
	return func(_ casefile.Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// ASB-3/4/5/8: each deadline lives until its action is done; closing clears them all.
func TestOpenDeadlines_PerState(t *testing.T) {
	c := newCase()
	steps := []struct {
		state string
		do    func(c *Case) error
		want  string
	}{
		{"received", func(c *Case) error { return nil }, "acknowledge@2026-11-24/ASB-4 appointment@2026-11-26/ASB-3"},
		{"acknowledged", func(c *Case) error { _, err := c.Acknowledge(by("o1"), at("2026-11-23T15:00:00Z")); return err }, "appointment@2026-11-26/ASB-3"},
		{"appointment offered", func(c *Case) error {
			_, err := c.OfferAppointment(Appointment{AppointmentOn: "2026-11-27"}, by("o1"), at("2026-11-24T09:00:00Z"))
			return err
		}, ""},
		{"risk assessed (high: review within 7 days)", func(c *Case) error {
			_, err := c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "high", NextReviewOn: "2026-12-04"}, by("o1"), at("2026-11-27T10:00:00Z"))
			return err
		}, "risk-review@2026-12-04/ASB-5"},
		{"two actions", func(c *Case) error {
			if _, _, err := c.AddAction(NewAction{Tool: "mediation", Description: "Offer mediation", DueOn: "2026-12-11"}, by("o1"), at("2026-11-27T10:00:00Z")); err != nil {
				return err
			}
			_, _, err := c.AddAction(NewAction{Tool: "warning-letter", Description: "Write to the household", DueOn: "2026-11-30"}, by("o1"), at("2026-11-27T10:05:00Z"))
			return err
		}, "risk-review@2026-12-04/ASB-5 action:A1@2026-12-11/ASB-8 action:A2@2026-11-30/ASB-8"},
		{"one action done", func(c *Case) error {
			_, err := c.CompleteAction("A2", by("o1"), at("2026-11-30T12:00:00Z"))
			return err
		},
			"risk-review@2026-12-04/ASB-5 action:A1@2026-12-11/ASB-8"},
		{"closed", func(c *Case) error {
			_, err := c.Close(Closure{Outcome: "Resolved", ActionOutcomes: []ActionOutcome{{ID: "A1", Outcome: "Mediation not needed"}}}, by("o1"), at("2026-12-01T10:00:00Z"))
			return err
		}, ""},
		{"reopened", func(c *Case) error {
			_, err := c.Reopen(Reopening{Reason: "New report"}, by("o1"), at("2026-12-02T10:00:00Z"))
			return err
		},
			"risk-review@2026-12-04/ASB-5"},
	}
	for _, s := range steps {
		if err := s.do(&c); err != nil {
			t.Fatalf("%s: %v", s.state, err)
		}
		if got := deadlines(c); got != s.want {
			t.Errorf("%s: deadlines %q, want %q", s.state, got, s.want)
		}
	}
}

func TestOpenDeadlines_OwnerTeamAndFirstMeeting(t *testing.T) {
	c := newCase()
	for _, d := range OpenDeadlines(c) {
		if d.Owner != "" || d.Team != "asb-officer" || d.Manager != "asb-manager" || d.CaseKind != casefile.ASB || d.CaseRef != "ASB-TEST-0001" || d.Label == "" {
			t.Errorf("unassigned deadline %+v", d)
		}
	}
	ok(t)(c.Assign(Assignment{Officer: " officer1 "}, by("manager1"), at("2026-11-23T11:00:00Z")))
	for _, d := range OpenDeadlines(c) {
		if d.Owner != "officer1" {
			t.Errorf("owner %q, want officer1", d.Owner)
		}
	}
	// A risk assessment is made at the first meeting (ASB-5), so it meets the appointment target too.
	ok(t)(c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "standard", NextReviewOn: "2026-12-01"}, by("officer1"), at("2026-11-24T14:00:00Z")))
	if got := deadlines(c); got != "acknowledge@2026-11-24/ASB-4 risk-review@2026-12-01/ASB-5" {
		t.Errorf("after the first meeting: %s", got)
	}
}

// WD-3: a deadline is met on its date, overdue from the day after.
func TestIsOverdue(t *testing.T) {
	c := newCase()
	for today, want := range map[string]bool{"2026-11-23": false, "2026-11-24": false, "2026-11-25": true} {
		if got := IsOverdue(c, day(today)); got != want {
			t.Errorf("new case on %s: overdue %v", today, got)
		}
	}
	ok(t)(c.Acknowledge(by("o1"), at("2026-11-24T10:00:00Z")))
	if IsOverdue(c, day("2026-11-26")) || !IsOverdue(c, day("2026-11-27")) {
		t.Error("the appointment is due on 26 November")
	}
	ok(t)(c.Close(Closure{Outcome: "Withdrawn by the reporter"}, by("o1"), at("2026-11-25T10:00:00Z")))
	if IsOverdue(c, day("2027-01-01")) {
		t.Error("a closed case is never overdue")
	}
}

func TestTransitions(t *testing.T) {
	c := newCase()
	ev, err := c.Assign(Assignment{Officer: "officer1"}, by("manager1"), at("2026-11-23T11:00:00Z"))
	if err != nil || ev.Action != "assigned" || c.Officer != "officer1" || c.Status != StatusReceived {
		t.Fatalf("assign: %+v %v", ev, err)
	}
	ok(t)(c.Acknowledge(by("officer1"), at("2026-11-23T12:00:00Z")))
	ev, err = c.OfferAppointment(Appointment{AppointmentOn: "2026-11-25"}, by("officer1"), at("2026-11-24T09:00:00Z"))
	if err != nil || ev.Rule != "ASB-3" || ev.Details["onTime"] != true || c.Status != StatusInProgress || c.AppointmentOn != day("2026-11-25") {
		t.Fatalf("offer: %+v %v %s", ev, err, c.Status)
	}
	ev, err = c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "medium", NextReviewOn: "2026-12-01"}, by("officer1"), at("2026-11-25T10:00:00Z"))
	if err != nil || ev.Rule != "ASB-5" || c.RiskLevel != "medium" || c.RiskAssessment.AssessedBy != by("officer1") || c.RiskAssessment.NextReviewOn != day("2026-12-01") {
		t.Fatalf("risk: %+v %v", c.RiskAssessment, err)
	}
	// without a date, the review falls due at the end of the level's interval: 25 Nov + 28 days
	ok(t)(c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "standard", NextReviewOn: ""}, by("officer1"), at("2026-11-25T10:00:00Z")))
	if c.RiskAssessment.NextReviewOn != day("2026-12-23") || c.RiskLevel != "standard" {
		t.Fatalf("default review: %s", c.RiskAssessment.NextReviewOn)
	}
	item, ev, err := c.AddAction(NewAction{Tool: "acceptable-behaviour-contract", Description: "Agree an ABC with the household", DueOn: "2026-12-04"}, by("officer1"), at("2026-11-25T11:00:00Z"))
	if err != nil || item.ID != "A1" || ev.Rule != "ASB-8" || len(c.Actions) != 1 {
		t.Fatalf("action: %+v %v", item, err)
	}
	ev, err = c.CompleteAction("A1", by("officer1"), at("2026-12-07T10:00:00Z"))
	if err != nil || ev.Details["onTime"] != false || c.Actions[0].CompletedAt == nil {
		t.Fatalf("complete late: %+v %v", ev, err)
	}
	ev, err = c.LogContact(ContactLog{Method: "phone", With: "reporter", Summary: "Noise has stopped"}, by("officer1"), at("2026-12-08T10:00:00Z"))
	if err != nil || c.ContactsLogged != 1 || ev.Action != "contact-logged" || ev.ActorID != by("officer1").ID || ev.Details["method"] != "phone" || ev.Details["summary"] != "Noise has stopped" {
		t.Fatalf("contacts log: %+v %v", ev, err)
	}
	ev, err = c.Close(Closure{Outcome: "ABC kept; no further reports", Satisfaction: &Satisfaction{Handling: 5, Outcome: 4}}, by("officer1"), at("2026-12-09T10:00:00Z"))
	if err != nil || c.Status != StatusClosed || c.ClosedAt == nil || ev.Details["daysOpen"] != 16 || c.DaysOpen() != 16 {
		t.Fatalf("close: %+v %v", ev, err)
	}
	ev, err = c.Reopen(Reopening{Reason: "A further report from the same reporter"}, by("officer1"), at("2026-12-10T10:00:00Z"))
	if err != nil || ev.Action != "reopened" || c.Status != StatusInProgress || c.ClosedAt != nil || c.Satisfaction != nil || c.ReopenedCount != 1 {
		t.Fatalf("reopen: %+v %v", c, err)
	}
	ok(t)(c.Close(Closure{Outcome: "Resolved", Satisfaction: &Satisfaction{}}, by("officer1"), at("2026-12-11T10:00:00Z")))
	if c.Satisfaction != nil {
		t.Error("an empty rating is no response")
	}
}

func TestTransitions_InvalidInput(t *testing.T) {
	now := at("2026-11-24T10:00:00Z")
	cases := []struct {
		name   string
		do     func(c *Case) error
		fields []string
	}{
		{"assign nobody", func(c *Case) error { _, err := c.Assign(Assignment{Officer: " "}, by("m"), now); return err }, []string{"officer"}},
		{"appointment in the past", func(c *Case) error {
			_, err := c.OfferAppointment(Appointment{AppointmentOn: "2026-11-23"}, by("o"), now)
			return err
		}, []string{"appointmentOn"}},
		{"risk level and review today", func(c *Case) error {
			_, err := c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "extreme", NextReviewOn: "2026-11-24"}, by("o"), now)
			return err
		},
			[]string{"level", "nextReviewOn"}},
		{"high risk reviewed after 8 days", func(c *Case) error {
			_, err := c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "high", NextReviewOn: "2026-12-02"}, by("o"), now)
			return err
		},
			[]string{"nextReviewOn"}},
		{"bad action", func(c *Case) error {
			_, _, err := c.AddAction(NewAction{Tool: "thumbscrews", Description: " ", DueOn: "2026-11-23"}, by("o"), now)
			return err
		},
			[]string{"tool", "description", "dueOn"}},
		{"action with no due date", func(c *Case) error {
			_, _, err := c.AddAction(NewAction{Tool: "mediation", Description: "x", DueOn: ""}, by("o"), now)
			return err
		}, []string{"dueOn"}},
		{"bad contact", func(c *Case) error {
			_, err := c.LogContact(ContactLog{Method: "pigeon", With: strings.Repeat("x", 201), Summary: ""}, by("o"), now)
			return err
		},
			[]string{"method", "with", "summary"}},
		{"malformed dates", func(c *Case) error {
			_, _, err := c.AddAction(NewAction{Tool: "mediation", Description: "x", DueOn: "31/12/2026"}, by("o"), now)
			return err
		}, []string{"dueOn"}},
		{"appointment not a date", func(c *Case) error {
			_, err := c.OfferAppointment(Appointment{AppointmentOn: "tomorrow"}, by("o"), now)
			return err
		}, []string{"appointmentOn"}},
		{"nothing given", func(c *Case) error { _, err := c.LogContact(ContactLog{}, by("o"), now); return err }, []string{"method", "summary"}},
		{"bad closure", func(c *Case) error {
			_, err := c.Close(Closure{Outcome: " ", Satisfaction: &Satisfaction{Handling: 6, Outcome: -1}}, by("o"), now)
			return err
		},
			[]string{"outcome", "satisfaction.handling", "satisfaction.outcome"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase()
			before := deadlines(c)
			wantFields(t, tc.do(&c), tc.fields...)
			if deadlines(c) != before || c.Status != StatusReceived {
				t.Error("a refused change altered the case")
			}
		})
	}
	c := newCase()
	ok(t)(c.Close(Closure{Outcome: "done"}, by("o"), now))
	_, err := c.Reopen(Reopening{Reason: ""}, by("o"), now)
	wantFields(t, err, "reason")
}

// Forbidden transitions are refused with 409 citing the rule.
func TestTransitions_Forbidden(t *testing.T) {
	now := at("2026-11-24T10:00:00Z")
	c := newCase()
	_, err := c.Reopen(Reopening{Reason: "x"}, by("o"), now)
	wantConflict(t, err, "ASB-9")
	_, _, err = c.AddAction(NewAction{Tool: "mediation", Description: "Offer mediation", DueOn: "2026-12-01"}, by("o"), now)
	if err != nil {
		t.Fatal(err)
	}
	ok(t)(c.CompleteAction("A1", by("o"), now))
	_, err = c.CompleteAction("A1", by("o"), now)
	wantConflict(t, err, "ASB-8")
	if _, err := c.CompleteAction("A9", by("o"), now); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("unknown action: %v", err)
	}
	ok(t)(c.Close(Closure{Outcome: "done"}, by("o"), now))
	_, err = c.Close(Closure{Outcome: "again"}, by("o"), now)
	wantConflict(t, err, "ASB-9")
	onClosed := map[string]func() error{
		"acknowledge": func() error { _, err := c.Acknowledge(by("o"), now); return err },
		"assign":      func() error { _, err := c.Assign(Assignment{Officer: "o2"}, by("m"), now); return err },
		"appointment": func() error {
			_, err := c.OfferAppointment(Appointment{AppointmentOn: "2026-11-30"}, by("o"), now)
			return err
		},
		"risk": func() error {
			_, err := c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "high", NextReviewOn: "2026-11-30"}, by("o"), now)
			return err
		},
		"add action": func() error {
			_, _, err := c.AddAction(NewAction{Tool: "mediation", Description: "x", DueOn: "2026-11-30"}, by("o"), now)
			return err
		},
		"complete": func() error { _, err := c.CompleteAction("A1", by("o"), now); return err },
		"contact": func() error {
			_, err := c.LogContact(ContactLog{Method: "phone", With: "reporter", Summary: "x"}, by("o"), now)
			return err
		},
	}
	for name, do := range onClosed {
		if err := do(); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("%s on a closed case: %v", name, err)
		}
	}
	if c.Status != StatusClosed {
		t.Errorf("status %s", c.Status)
	}
}

// ASB-8: an action plan holds at most MaxActions items, so a case item cannot grow without limit; the next is
// a 422 citing the rule and leaves the plan as it was.
func TestAddAction_ASB8_PlanIsBounded(t *testing.T) {
	c := newCase()
	for i := 0; i < MaxActions; i++ {
		if _, _, err := c.AddAction(NewAction{Tool: "warning-letter", Description: "Warn", DueOn: "2026-12-04"}, by("o1"), at("2026-11-25T11:00:00Z")); err != nil {
			t.Fatalf("action %d: %v", i+1, err)
		}
	}
	_, _, err := c.AddAction(NewAction{Tool: "warning-letter", Description: "Warn", DueOn: "2026-12-04"}, by("o1"), at("2026-11-25T11:00:00Z"))
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Unprocessable || e.Rule != "ASB-8" || len(c.Actions) != MaxActions {
		t.Fatalf("action %d: %v (%d items)", MaxActions+1, err, len(c.Actions))
	}
}

// ASB-8: a case does not close while actions are open, unless each is closed with what came of it.
func TestASB8_ClosureRefusedWhileActionsAreOpen(t *testing.T) {
	c := newCase()
	for _, a := range []NewAction{{Tool: "mediation", Description: "Offer mediation", DueOn: "2026-12-11"},
		{Tool: "warning-letter", Description: "Write to the household", DueOn: "2026-11-30"}} {
		if _, _, err := c.AddAction(a, by("o1"), mondayMorning); err != nil {
			t.Fatal(err)
		}
	}
	ok(t)(c.CompleteAction("A2", by("o1"), mondayMorning))
	_, err := c.Close(Closure{Outcome: "Resolved"}, by("o1"), mondayMorning)
	wantConflict(t, err, "ASB-8")
	_, err = c.Close(Closure{Outcome: "Resolved", ActionOutcomes: []ActionOutcome{{ID: "A2", Outcome: "x"}, {ID: "A9", Outcome: "x"}, {ID: "A1"}}}, by("o1"), mondayMorning)
	wantFields(t, err, "actionOutcomes[0].id", "actionOutcomes[1].id", "actionOutcomes[2].outcome")
	if c.Status == StatusClosed {
		t.Fatal("closed")
	}
	ev, err := c.Close(Closure{Outcome: "Resolved", ActionOutcomes: []ActionOutcome{{ID: "A1", Outcome: "Both parties declined mediation"}}}, by("o1"), mondayMorning)
	if err != nil || c.Actions[0].Outcome != "Both parties declined mediation" || c.Actions[0].CompletedAt == nil || ev.Details["actionOutcomes"] == nil {
		t.Fatalf("%v %+v %+v", err, c.Actions, ev)
	}
}

// ASB-3: reclassifying recalculates the category and the appointment target from receipt, audited; a new
// referral ground raises its referral (ASB-6).
func TestASB3_ReclassificationRecalculatesTargets(t *testing.T) {
	c := newCase() // noise, received Monday 23 Nov: appointment by Thu 26 (3 WD)
	raised, ev, err := c.Reclassify(Reclassification{Type: "hate-incident", Reason: "Racist abuse with the music"}, by("o1"), at("2026-11-24T10:00:00Z"))
	if err != nil || c.Type != "hate-incident" || c.Category != Personal || c.AppointmentBy != day("2026-11-24") ||
		len(raised) != 1 || raised[0].Kind != PartnerReferral || ev.Action != "reclassified" || ev.Rule != "ASB-3" {
		t.Fatalf("%v %+v %v %+v", err, c, raised, ev)
	}
	if from := ev.Details["from"].(map[string]any); from["type"] != "noise" || from["appointmentBy"] != "2026-11-26" {
		t.Fatalf("audit %+v", ev.Details)
	}
	raised, _, err = c.Reclassify(Reclassification{Type: "garden", Reason: "It was the garden"}, by("o1"), at("2026-11-24T10:00:00Z"))
	if err != nil || c.Category != Environmental || c.AppointmentBy != day("2026-11-30") || len(raised) != 0 {
		t.Fatalf("%v %+v", err, c)
	}
	_, _, err = c.Reclassify(Reclassification{Type: "garden", Reason: ""}, by("o1"), mondayMorning)
	wantFields(t, err, "type", "reason")
	_, _, err = c.Reclassify(Reclassification{Type: "shouting", Reason: "x"}, by("o1"), mondayMorning)
	wantFields(t, err, "type")
	ok(t)(c.Close(Closure{Outcome: "Resolved"}, by("o1"), mondayMorning))
	_, _, err = c.Reclassify(Reclassification{Type: "noise", Reason: "x"}, by("o1"), mondayMorning)
	wantConflict(t, err, "ASB-9")
}
