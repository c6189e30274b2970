package asbcases

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// tellReporter is the message that tells a named reporter of a step of their case (source 002: "ensure reporters
// are kept updated"), through the notifications queue in the change's own transaction (the outbox); none for an
// anonymous report (ASB-2). Its id is the case's and suffix, so a re-delivery is recognisable downstream.
func tellReporter(c asb.Case, reporter *asb.Reporter, template, suffix string, extra map[string]string, at time.Time) ([]casework.Message, error) {
	if reporter == nil || c.Anonymous {
		return nil, nil
	}
	m, err := reporterMessage(c, *reporter, template, c.Reference+"#"+suffix, extra, at)
	if err != nil {
		return nil, err
	}
	return []casework.Message{m}, nil
}

func reporterMessage(c asb.Case, reporter asb.Reporter, template, id string, extra map[string]string, at time.Time) (casework.Message, error) {
	personalisation := map[string]string{"reference": c.Reference, "type": strings.ReplaceAll(c.Type, "-", " ")}
	for k, v := range extra {
		personalisation[k] = v
	}
	req := notification.Request{ID: id, Template: template, CaseKind: casefile.ASB, CaseRef: c.Reference,
		To: notification.ToResident(reporter), Personalisation: personalisation, RequestedAt: at}
	return req.Message()
}

// telling is what a staff transition tells the case's reporters: a template, the message id's suffix and the
// personalisation (joined replaces some of it for joined reporters: what was said to the first reporter alone);
// survey adds each reporter's own survey link. A zero telling tells nothing.
type telling struct {
	template, suffix string
	extra, joined    map[string]string
	survey           bool
}

// joinedNote is what each message to a joined reporter adds: why they hear of this case.
func joinedNote(ref string) string {
	return "Your report was added to case " + ref + ", about the same problem."
}

// tellReporters are the messages that tell the case's named reporters of a step, each a message of its own with
// nothing of any other reporter: the first reporter (the case's contact; none when anonymous, ASB-2) and each
// joined reporter (asb.Case.Joined: the contact on their further report, read by key), each with their own
// check-progress link (sign_in_path, when their contact can sign in: an email address or a mobile) and, at closure,
// their own survey link while their survey is open (ASB-9).
func (s Service) tellReporters(ctx context.Context, c asb.Case, first *asb.Reporter, t telling, at time.Time) ([]casework.Message, error) {
	links := func(key string, extra map[string]string) map[string]string {
		out := map[string]string{"sign_in_path": ""}
		for k, v := range extra {
			out[k] = v
		}
		if key != "" {
			out["sign_in_path"] = notification.SignInPath(c.Reference)
		}
		if t.survey {
			out["survey_path"] = ""
			if c.SurveyOpenFor(key) {
				out["survey_path"] = notification.SurveyPagePath(c.Reference)
			}
		}
		return out
	}
	out, err := tellReporter(c, first, t.template, t.suffix, links(c.ReporterKey, t.extra), at)
	if err != nil {
		return nil, err
	}
	for _, j := range c.Joined {
		inc, err := s.Store.Incident(ctx, c.Reference, j.Incident)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue // no longer kept (e.g. erased): nobody to tell
		}
		if err != nil {
			return nil, err
		}
		if inc.Anonymous || inc.Reporter == nil {
			continue
		}
		extra := links(j.Key, t.extra)
		for k, v := range t.joined {
			extra[k] = v
		}
		extra["further_report"] = joinedNote(c.Reference)
		m, err := reporterMessage(c, *inc.Reporter, t.template, c.Reference+"#"+j.Incident+"#"+t.suffix, extra, at)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// actTelling runs one staff transition like act and, in the same change, tells the reporters what tell says.
func (s Service) actTelling(ctx context.Context, ref string, by casework.Staff, at time.Time, apply func(*asb.Case) (casefile.Event, error),
	tell func(c asb.Case, ev casefile.Event) telling) (Record, error) {
	saved, _, err := s.pipeline().Change(ctx, ref, func(Stored) error { return by.Check(staff...) },
		func(c *asb.Case, before Stored) (casework.Outcome, error) {
			ev, err := apply(c)
			if err != nil {
				return casework.Outcome{}, err
			}
			out := casework.Outcome{Events: []casefile.Event{ev}}
			if t := tell(*c, ev); t.template != "" {
				out.Messages, err = s.tellReporters(ctx, *c, before.Contact, t, at)
			}
			return out, err
		})
	if err != nil {
		return Record{}, err
	}
	return recordOf(saved, at), nil
}

// AgreeActionPlan is an officer recording the action plan agreed with the reporter (ASB-5).
type AgreeActionPlan = casework.Action[asb.ActionPlanAgreement]

// AgreeActionPlan records that the open actions were agreed with the reporter (ASB-5) and sends them the plan:
// each action's tool and due date (not the officer's descriptions), with what was agreed.
func (s Service) AgreeActionPlan(ctx context.Context, cmd AgreeActionPlan) (Record, error) {
	var plan []asb.ActionItem
	return s.actTelling(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) {
		open, ev, err := c.AgreeActionPlan(cmd.Input, cmd.By.Actor(), cmd.At)
		plan = open
		return ev, err
	}, func(c asb.Case, _ casefile.Event) telling {
		// the summary is the officer's words agreed with the first reporter (it may name people): joined reporters
		// get the plan's actions without it
		return telling{template: notification.ASBActionPlan, suffix: "action-plan#" + strconv.Itoa(c.ActionPlanAgreements),
			extra:  map[string]string{"actions": asb.ActionPlanText(plan), "summary": cmd.Input.Summary},
			joined: map[string]string{"summary": "The officer agreed these actions with the first person to report the problem."}}
	})
}

// SurveyPath is the survey's address on the API, for the closure message's survey link (the Notify template
// holds the site's address before it): the reporter answers with their case's access token.
func SurveyPath(ref string) string { return "/asb/reports/" + ref + "/satisfaction" }

// AnswerSurvey is the reporter answering the satisfaction survey of their closed case with its access token.
type AnswerSurvey = ResidentChange[asb.SurveyAnswers]

// AnswerSurvey records the reporter's satisfaction with the handling and the outcome of their closed case (ASB-9),
// once; it counts in the month the case closed. The reporter comes with the case's token (the JSON API) or signed in
// to check progress (ProvenKey: the first reporter, or a joined reporter answering for themselves). A wrong token, or
// a contact that is no reporter of the case, answers like an unknown reference.
func (s Service) AnswerSurvey(ctx context.Context, cmd AnswerSurvey) (asb.Case, error) {
	saved, _, err := s.pipeline().ChangeAsHolder(ctx, cmd.Ref, cmd.holds, what, func(c *asb.Case, _ Stored) (casework.Outcome, error) {
		answer := c.AnswerSurvey
		if cmd.ProvenKey != "" && cmd.ProvenKey != c.ReporterKey { // a joined reporter: their own answers
			answer = func(in asb.SurveyAnswers, at time.Time) (casefile.Event, error) {
				return c.AnswerJoinedSurvey(in, cmd.ProvenKey, at)
			}
		}
		ev, err := answer(cmd.Input, cmd.At)
		return casework.Outcome{Events: []casefile.Event{ev}}, err
	})
	return saved.Case, err
}
