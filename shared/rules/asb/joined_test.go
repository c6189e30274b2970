package asb

import (
	"fmt"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// joinedCase is an open case of "first"'s report with further reports from the reporters given (keys; "" for an
// anonymous report).
func joinedCase(t *testing.T, keys ...string) Case {
	t.Helper()
	c := NewCase("ASB-J1", report("noise"), Assess(report("noise"), mondayMorning), ChannelOnline, mondayMorning)
	c.ReporterKey = "first"
	for _, k := range keys {
		r := report("noise")
		if k == "" {
			r.Anonymous, r.Reporter = true, nil
		}
		if _, _, _, err := c.AddFurtherReport(IncidentOf(r, ChannelOnline, mondayMorning, k), by("o1"), mondayMorning); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// ASB-9 (source 002: "ensure reporters are kept updated"): a further report's named reporter is kept informed of
// the case; an anonymous one (ASB-2), the first reporter reporting again and the same person twice are not added,
// and a case keeps at most MaxJoinedReporters; an unlinked report's reporter is taken off.
func TestASB9_JoinedReportersKeptInformed(t *testing.T) {
	c := joinedCase(t, "sam", "", "first", "sam", "lee")
	if len(c.Joined) != 2 || c.Joined[0] != (JoinedReporter{Incident: "I2", Key: "sam"}) || c.Joined[1].Incident != "I6" {
		t.Fatalf("joined %+v", c.Joined)
	}
	if _, ok := c.JoinedReporterOf(""); ok {
		t.Error("an empty key is nobody")
	}
	inc := Incident{ID: "I2", Reporter: report("noise").Reporter}
	if _, _, err := c.Unlink(inc, "ASB-NEW", Unlinking{Reason: "Another flat"}, by("o1"), mondayMorning); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.JoinedReporterOf("sam"); ok || len(c.Joined) != 1 {
		t.Fatalf("after unlinking %+v", c.Joined)
	}
	var keys []string
	for i := range MaxJoinedReporters + 3 {
		keys = append(keys, fmt.Sprintf("r%d", i))
	}
	if c := joinedCase(t, keys...); len(c.Joined) != MaxJoinedReporters {
		t.Fatalf("%d joined reporters", len(c.Joined))
	}
}

// ASB-9: each named reporter answers the closed case's survey once for themselves; an open case has no survey; a
// reopened case asks them again; each answer is one response in the month the case closed.
func TestASB9_JoinedReporterAnswersTheSurvey(t *testing.T) {
	c := joinedCase(t, "sam")
	answers := SurveyAnswers{Handling: 2, Outcome: 5}
	if c.SurveyOpenFor("sam") {
		t.Error("an open case has no survey")
	}
	_, err := c.AnswerJoinedSurvey(answers, "sam", mondayMorning)
	wantConflict(t, err, "ASB-9")
	if _, err := c.Close(Closure{Outcome: "Resolved"}, by("o1"), mondayMorning); err != nil {
		t.Fatal(err)
	}
	if !c.SurveyOpenFor("sam") || !c.SurveyOpenFor("first") || c.SurveyOpenFor("lee") || c.SurveyOpenFor("") {
		t.Error("the survey is open to the case's reporters only")
	}
	wantFields(t, func() error {
		_, err := c.AnswerJoinedSurvey(SurveyAnswers{Handling: 6}, "sam", mondayMorning)
		return err
	}(), "handling", "outcome")
	if _, err := c.AnswerJoinedSurvey(answers, "lee", mondayMorning); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("not a reporter: %v", err)
	}
	ev, err := c.AnswerJoinedSurvey(answers, "sam", mondayMorning)
	if err != nil || ev.Rule != "ASB-9" || ev.Details["incident"] != "I2" || c.Satisfaction != nil || c.SurveyOpenFor("sam") {
		t.Fatalf("%v %+v", err, ev)
	}
	_, err = c.AnswerJoinedSurvey(answers, "sam", mondayMorning)
	wantConflict(t, err, "ASB-9")
	if _, err := c.AnswerSurvey(SurveyAnswers{Handling: 5, Outcome: 4}, mondayMorning); err != nil {
		t.Fatal(err)
	}
	r := Monthly("2026-11", nil, []Summary{SummaryOf(c)}, 0)
	if r.SatisfactionHandling.Responses != 2 || r.SatisfactionHandling.Satisfied != 1 || r.SatisfactionOutcome.Satisfied != 2 {
		t.Fatalf("%+v %+v", r.SatisfactionHandling, r.SatisfactionOutcome)
	}
	if _, err := c.Reopen(Reopening{Reason: "It started again"}, by("o1"), mondayMorning); err != nil {
		t.Fatal(err)
	}
	if c.Joined[0].Satisfaction != nil || len(c.JoinedSatisfaction()) != 0 {
		t.Fatalf("reopened %+v", c.Joined)
	}
}
