package asb

import (
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// ASB-5: the action plan is agreed with the reporter: it needs an open action (422 otherwise), is counted each
// time it is agreed, and the reporter is told the tools and dates, not the officer's descriptions.
func TestASB5_ActionPlanAgreedWithTheReporter(t *testing.T) {
	c := reviewable()
	_, _, err := c.AgreeActionPlan(ActionPlanAgreement{Summary: "Mediation first"}, by("o1"), mondayMorning)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Unprocessable || e.Rule != "ASB-5" {
		t.Fatalf("no actions: %v", err)
	}
	if _, _, err := c.AddAction(NewAction{Tool: "warning-letter", Description: "Write to Jo at flat 4", DueOn: "2026-11-27"}, by("o1"), mondayMorning); err != nil {
		t.Fatal(err)
	}
	wantFields(t, func() error {
		_, _, err := c.AgreeActionPlan(ActionPlanAgreement{}, by("o1"), mondayMorning)
		return err
	}(), "summary")
	open, ev, err := c.AgreeActionPlan(ActionPlanAgreement{Summary: "A letter first"}, by("o1"), mondayMorning)
	if err != nil || len(open) != 1 || c.ActionPlanAgreedAt == nil || c.ActionPlanAgreements != 1 || ev.Rule != "ASB-5" {
		t.Fatalf("%v %+v", err, ev)
	}
	if got := ActionPlanText(open); got != "warning letter by 2026-11-27" {
		t.Errorf("plan as told: %q", got)
	}
}

// ASB-9: the reporter answers the survey of their closed case once; the officer's answers at closure (by phone)
// are the fallback and also count as the answer; a reopening clears them.
func TestASB9_ReporterAnswersTheSurvey(t *testing.T) {
	c := reviewable()
	_, err := c.AnswerSurvey(SurveyAnswers{Handling: 4, Outcome: 5}, mondayMorning)
	wantConflict(t, err, "ASB-9")
	ok(t)(c.Close(Closure{Outcome: "Resolved"}, by("o1"), mondayMorning))
	wantFields(t, func() error { _, err := c.AnswerSurvey(SurveyAnswers{Handling: 6}, mondayMorning); return err }(), "handling", "outcome")
	ev, err := c.AnswerSurvey(SurveyAnswers{Handling: 4, Outcome: 5, Comments: "Thank you"}, at("2026-11-30T10:00:00Z"))
	if err != nil || c.Satisfaction == nil || c.Satisfaction.Outcome != 5 || c.Survey.Source != SurveyByReporter || ev.Actor != "resident" {
		t.Fatalf("%v %+v %+v", err, c.Survey, ev)
	}
	if s := SummaryOf(c); s.Satisfaction == nil || s.Satisfaction.Handling != 4 {
		t.Fatalf("the month's measure reads the summary: %+v", s)
	}
	_, err = c.AnswerSurvey(SurveyAnswers{Handling: 1, Outcome: 1}, at("2026-11-30T11:00:00Z"))
	wantConflict(t, err, "ASB-9")

	phoned := reviewable()
	ok(t)(phoned.Close(Closure{Outcome: "Resolved", Satisfaction: &Satisfaction{Handling: 2, Outcome: 3}}, by("o1"), mondayMorning))
	if phoned.Survey == nil || phoned.Survey.Source != SurveyByOfficer {
		t.Fatalf("officer's fallback: %+v", phoned.Survey)
	}
	_, err = phoned.AnswerSurvey(SurveyAnswers{Handling: 5, Outcome: 5}, mondayMorning)
	wantConflict(t, err, "ASB-9")
	ok(t)(phoned.Reopen(Reopening{Reason: "Again"}, by("o1"), mondayMorning))
	if phoned.Survey != nil || phoned.Satisfaction != nil {
		t.Fatal("a reopened case keeps no survey")
	}
}
