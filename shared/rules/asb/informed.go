package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Keeping the reporter informed (source 002 Priority 7: "ensure reporters are kept updated"; "an active case should
// always have an action plan which the reporter is aware of"; ASB-5 "an action plan agreed with the reporter"):
// the acknowledgement, the appointment, the action plan agreed, each review and the closure are each a message to a
// named reporter (never to an anonymous one, ASB-2); the closure's carries the satisfaction survey (ASB-9).

// ActionPlanAgreement is an officer recording that the action plan was agreed with the reporter
// (POST /asb/cases/{reference}/action-plan/agreement, ASB-5): what they agreed, as the reporter is told it.
type ActionPlanAgreement struct {
	Summary string `json:"summary" validate:"required,max=2000"`
}

// AgreeActionPlan records that the case's open actions were agreed with the reporter (ASB-5); the plan needs at
// least one open action (422 otherwise). It may be agreed again when the plan changes: each agreement is counted.
func (c *Case) AgreeActionPlan(in ActionPlanAgreement, by casefile.Actor, at time.Time) ([]ActionItem, casefile.Event, error) {
	if err := c.mustBeOpen("agree an action plan"); err != nil {
		return nil, casefile.Event{}, err
	}
	if err := check(in, nil); err != nil {
		return nil, casefile.Event{}, err
	}
	var open []ActionItem
	var ids []string
	for _, a := range c.Actions {
		if a.CompletedAt == nil {
			open, ids = append(open, a), append(ids, a.ID)
		}
	}
	if len(open) == 0 {
		return nil, casefile.Event{}, apperr.Rule(apperr.Unprocessable, "ASB-5", "Case %s has no open action to agree with the reporter: add the plan's actions first", c.Reference)
	}
	agreed := at.UTC()
	c.ActionPlanAgreedAt = &agreed
	c.ActionPlanAgreements++
	c.inProgress()
	return open, casefile.NewEvent(at, by, "action-plan-agreed", "ASB-5", map[string]any{"actions": ids, "summary": in.Summary,
		"agreement": c.ActionPlanAgreements}), nil
}

// Source 002 says "we also undertake telephone surveys once a case of ASB has been closed": the survey sent with
// the closure message is an addition (issue 13), and the officer typing the answers given by phone at closure
// (Closure.Satisfaction) stays, as the source's way. RULES.md ASB-9 names the measures, not how they are collected.

// SurveyAnswers are the reporter's answers to the satisfaction survey sent at closure
// (POST /asb/reports/{reference}/satisfaction, ASB-9): 1 (very dissatisfied) to 5 (very satisfied).
type SurveyAnswers struct {
	Handling int    `json:"handling" validate:"required,min=1,max=5"`
	Outcome  int    `json:"outcome" validate:"required,min=1,max=5"`
	Comments string `json:"comments,omitempty" validate:"omitempty,max=2000"` // MaxSurveyComments
}

// MaxSurveyComments bounds the survey's comments (the resident page's text box stops there too).
const MaxSurveyComments = 2000

// Survey sources: the reporter answered the survey themselves, or an officer typed the answers they gave by phone
// at the closure (the fallback).
const (
	SurveyByReporter = "reporter"
	SurveyByOfficer  = "officer"
)

// SurveyResponse says who gave the case's satisfaction answers (Case.Satisfaction), when, and any comments.
type SurveyResponse struct {
	Source     string    `json:"source" dynamodbav:"source"`
	AnsweredAt time.Time `json:"answeredAt" dynamodbav:"answeredAt"`
	Comments   string    `json:"comments,omitempty" dynamodbav:"comments,omitempty"` // at most 2,000 characters
}

// AnswerSurvey records the reporter's own satisfaction answers on their closed case (ASB-9): once per closure
// (answers the officer already recorded from a phone call are the reporter's answer too: 409); an open case has
// no survey yet (409). They count in the month the case closed, like the officer's.
func (c *Case) AnswerSurvey(in SurveyAnswers, at time.Time) (casefile.Event, error) {
	if err := check(in, nil); err != nil {
		return casefile.Event{}, err
	}
	switch {
	case c.Status == StatusMerged:
		return casefile.Event{}, c.mustBeOpen("answer its survey")
	case c.Status != StatusClosed:
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is not closed: the survey is sent when it closes", c.Reference)
	case c.Satisfaction != nil:
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "The survey of case %s was answered on %s", c.Reference, c.surveyDate())
	}
	c.Satisfaction = &Satisfaction{Handling: in.Handling, Outcome: in.Outcome}
	c.Survey = &SurveyResponse{Source: SurveyByReporter, AnsweredAt: at.UTC(), Comments: in.Comments}
	return casefile.NewEvent(at, casefile.ByResident, "survey-answered", "ASB-9", map[string]any{"handling": in.Handling, "outcome": in.Outcome,
		"comments": in.Comments}), nil
}

func (c *Case) surveyDate() string {
	if c.Survey != nil {
		return workdays.DateOf(c.Survey.AnsweredAt).String()
	}
	if c.ClosedAt != nil {
		return workdays.DateOf(*c.ClosedAt).String()
	}
	return "closure"
}

// ActionPlanText is the plan as the reporter is told it: each action's tool and due date, never the officer's
// working description (it may name other people).
func ActionPlanText(actions []ActionItem) string {
	parts := make([]string, len(actions))
	for i, a := range actions {
		parts[i] = fmt.Sprintf("%s by %s", ToolLabel(a.Tool), a.DueOn)
	}
	return strings.Join(parts, "; ")
}

// ToolLabel is a tool's code in words (e.g. "warning letter").
func ToolLabel(tool string) string { return strings.ReplaceAll(tool, "-", " ") }

// Reporters whose further reports joined the case (ASB-9: one case per problem) are kept informed of its updates
// like the first reporter: source 002 says "ensure reporters are kept updated", every reporter, while RULES.md
// ASB-2 speaks of "the reporter" (the source wins: each named reporter of the case is told). Never an anonymous
// one (ASB-2), and each gets a message of their own, with nothing of any other reporter.

// MaxJoinedReporters bounds the joined reporters a case tells of its updates (each an entry on the case); a
// further reporter beyond them still has their acknowledgement, which names the case, and check progress.
const MaxJoinedReporters = 20

// JoinedReporter is a named reporter whose further report joined the case: the report that holds their contact
// details (the case keeps none, ASB-2), the hash of their contact (asb.ContactKey, to tell each person once;
// "" when they gave only a postal address) and their own answers to the survey at closure (ASB-9).
// Never in JSON (Case.Joined is not): the store keeps it with the case.
type JoinedReporter struct {
	Incident     string        `dynamodbav:"incident"`
	Key          string        `dynamodbav:"key,omitempty"`
	Satisfaction *Satisfaction `dynamodbav:"satisfaction,omitempty"`
	AnsweredAt   *time.Time    `dynamodbav:"answeredAt,omitempty"`
}

// keepInformed adds a further report's reporter to those the case tells of its updates: not an anonymous one, not
// the first reporter again, not the same person twice, and at most MaxJoinedReporters (false when not added).
func (c *Case) keepInformed(in Incident) bool {
	if in.Anonymous || in.Reporter == nil || len(c.Joined) >= MaxJoinedReporters {
		return false
	}
	if k := in.ReporterKey; k != "" && (k == c.ReporterKey || slices.ContainsFunc(c.Joined, func(j JoinedReporter) bool { return j.Key == k })) {
		return false
	}
	c.Joined = append(c.Joined, JoinedReporter{Incident: in.ID, Key: in.ReporterKey})
	return true
}

// stopInforming takes an unlinked report's reporter off the case's joined reporters (their report is now a case of
// its own, which tells them). Should the same person have a further report still in the case, they are told again
// only if they report again: the entry names one report, and the case keeps no list of every report's reporter.
func (c *Case) stopInforming(incident string) {
	c.Joined = slices.DeleteFunc(c.Joined, func(j JoinedReporter) bool { return j.Incident == incident })
}

// JoinedReporterOf is the joined reporter whose contact has key (false when none, or key is "").
func (c Case) JoinedReporterOf(key string) (JoinedReporter, bool) {
	i := slices.IndexFunc(c.Joined, func(j JoinedReporter) bool { return key != "" && j.Key == key })
	if i < 0 {
		return JoinedReporter{}, false
	}
	return c.Joined[i], true
}

// SurveyOpenFor says whether the reporter whose contact has key may answer the closed case's survey now: the first
// reporter until the case has its answers, a joined reporter until they gave theirs (ASB-9).
func (c Case) SurveyOpenFor(key string) bool {
	if c.Status != StatusClosed || key == "" {
		return false
	}
	if key == c.ReporterKey {
		return c.Satisfaction == nil
	}
	j, ok := c.JoinedReporterOf(key)
	return ok && j.Satisfaction == nil
}

// SurveyAnsweredBy says whether the reporter whose contact has key has answered the closed case's survey (the first
// reporter: the case has its answers, theirs or the officer's from a phone call).
func (c Case) SurveyAnsweredBy(key string) bool {
	if c.Status != StatusClosed || key == "" {
		return false
	}
	if key == c.ReporterKey {
		return c.Satisfaction != nil
	}
	j, ok := c.JoinedReporterOf(key)
	return ok && j.Satisfaction != nil
}

// AnswerJoinedSurvey records a joined reporter's own satisfaction answers on the closed case (ASB-9), once per
// closure: each reporter's answers are one response in the month the case closed (JoinedSatisfaction), so the
// first reporter's, or the officer's from a phone call, are not overwritten.
func (c *Case) AnswerJoinedSurvey(in SurveyAnswers, key string, at time.Time) (casefile.Event, error) {
	if err := check(in, nil); err != nil {
		return casefile.Event{}, err
	}
	i := slices.IndexFunc(c.Joined, func(j JoinedReporter) bool { return key != "" && j.Key == key })
	switch {
	case i < 0:
		return casefile.Event{}, apperr.NotFoundf("There is no ASB report %s of yours.", c.Reference)
	case c.Status == StatusMerged:
		return casefile.Event{}, c.mustBeOpen("answer its survey")
	case c.Status != StatusClosed:
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is not closed: the survey is sent when it closes", c.Reference)
	case c.Joined[i].Satisfaction != nil:
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "You answered the survey of case %s on %s", c.Reference,
			workdays.DateOf(*c.Joined[i].AnsweredAt).String())
	}
	answered := at.UTC()
	c.Joined[i].Satisfaction, c.Joined[i].AnsweredAt = &Satisfaction{Handling: in.Handling, Outcome: in.Outcome}, &answered
	return casefile.NewEvent(at, casefile.ByResident, "survey-answered", "ASB-9", map[string]any{"handling": in.Handling, "outcome": in.Outcome,
		"comments": in.Comments, "incident": c.Joined[i].Incident}), nil
}

// JoinedSatisfaction are the joined reporters' survey answers, for the monthly measures (Summary).
func (c Case) JoinedSatisfaction() []Satisfaction {
	var out []Satisfaction
	for _, j := range c.Joined {
		if j.Satisfaction != nil {
			out = append(out, *j.Satisfaction)
		}
	}
	return out
}
