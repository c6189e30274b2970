package asbcases

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
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
	personalisation := map[string]string{"reference": c.Reference, "type": strings.ReplaceAll(c.Type, "-", " ")}
	for k, v := range extra {
		personalisation[k] = v
	}
	req := notification.Request{ID: c.Reference + "#" + suffix, Template: template, CaseKind: casefile.ASB, CaseRef: c.Reference,
		To: notification.ToResident(*reporter), Personalisation: personalisation, RequestedAt: at}
	m, err := req.Message()
	if err != nil {
		return nil, err
	}
	return []casework.Message{m}, nil
}

// telling is what a staff transition tells the reporter: a template, the message id's suffix and the
// personalisation; a zero telling tells nothing.
type telling struct {
	template, suffix string
	extra            map[string]string
}

// actTelling runs one staff transition like act and, in the same change, tells the reporter what tell says.
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
				out.Messages, err = tellReporter(*c, before.Contact, t.template, t.suffix, t.extra, at)
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
		return telling{notification.ASBActionPlan, "action-plan#" + strconv.Itoa(c.ActionPlanAgreements),
			map[string]string{"actions": asb.ActionPlanText(plan), "summary": cmd.Input.Summary}}
	})
}

// SurveyPath is the survey's address on the API, for the closure message's survey link (the Notify template
// holds the site's address before it): the reporter answers with their case's access token.
func SurveyPath(ref string) string { return "/asb/reports/" + ref + "/satisfaction" }

// AnswerSurvey is the reporter answering the satisfaction survey of their closed case with its access token.
type AnswerSurvey = ResidentChange[asb.SurveyAnswers]

// AnswerSurvey records the reporter's satisfaction with the handling and the outcome of their closed case (ASB-9),
// once; it counts in the month the case closed. A wrong token answers like an unknown reference.
func (s Service) AnswerSurvey(ctx context.Context, cmd AnswerSurvey) (asb.Case, error) {
	saved, _, err := s.pipeline().ChangeAsResident(ctx, cmd.Ref, cmd.Token, what, func(c *asb.Case, _ Stored) (casework.Outcome, error) {
		ev, err := c.AnswerSurvey(cmd.Input, cmd.At)
		return casework.Outcome{Events: []casefile.Event{ev}}, err
	})
	return saved.Case, err
}
