package residentaccess

import (
	"context"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// View is a record as its resident sees it: what it is, where it stands, its dates (each done or to come), the
// letters it holds and the messages we sent them. The page says what happens next from Kind, Status and Stage.
// It carries nothing about other people (no descriptions, officers or other reporters' details).
type View struct {
	Kind      casefile.Kind
	Reference string
	Status    string
	Stage     int           // a complaint's stage (1 or 2)
	About     string        // an ASB case's type, a complaint's service area
	Received  workdays.Date // the London day it reached us
	Dates     []Date
	Letters   []Letter
	Messages  []Message
	// A register application's decided and provisional bands, and what the council will check or decide.
	Band, ProvisionalBand string
	Reasons, Outstanding  []string
	// A complaint the resident may escalate to stage 2 (CH-5, Code 6.12: no reasons asked), and until when
	// without explaining the delay.
	CanEscalate bool
	EscalateBy  workdays.Date
	MergedInto  string // an ASB case merged into another (its reference)
	// A closed ASB case whose satisfaction survey this resident may answer now (ASB-9: its first reporter, or a
	// reporter whose further report joined it, each once), or has answered.
	SurveyOpen, SurveyAnswered bool
}

// Date is a date on a record: a target (Due, Done once met) or a day something happened (On).
type Date struct {
	Name string // acknowledge, appointment, appointment-on, respond, escalate, closed
	Due  workdays.Date
	Done bool
}

// Letter is a letter on a record (a complaint's acknowledgement, response, ...).
type Letter struct {
	Kind, Subject, Text string
	On                  workdays.Date
}

// Message is a message we sent the resident about the record (from its timeline: what, how, when).
type Message struct {
	Template, Channel string
	On                workdays.Date
}

func (s Service) view(ctx context.Context, c Contact, f Found, at time.Time, full bool) (View, error) {
	var v View
	var err error
	switch f.Kind {
	case casefile.ASB:
		v, err = s.asbView(ctx, c, f.Ref)
	case casefile.Complaint:
		v, err = s.complaintView(ctx, f.Ref, at)
	case casefile.Application:
		v, err = s.applicationView(ctx, f.Ref)
	default:
		return View{}, NotYours()
	}
	if err != nil || !full {
		return v, err
	}
	v.Messages, err = s.messages(ctx, c, f)
	return v, err
}

func (s Service) asbView(ctx context.Context, c Contact, ref string) (View, error) {
	st, err := s.ASB.Load(ctx, ref)
	if err != nil {
		return View{}, err
	}
	k := st.Case
	v := View{Kind: casefile.ASB, Reference: k.Reference, Status: k.Status, About: k.Type, Received: workdays.DateOf(k.ReceivedAt), MergedInto: k.MergedInto,
		SurveyOpen: k.SurveyOpenFor(c.Key()), SurveyAnswered: k.SurveyAnsweredBy(c.Key())}
	v.Dates = append(v.Dates, Date{Name: "acknowledge", Due: k.AcknowledgeBy, Done: k.AcknowledgedAt != nil},
		Date{Name: "appointment", Due: k.AppointmentBy, Done: k.AppointmentOfferedAt != nil})
	if !k.AppointmentOn.IsZero() {
		v.Dates = append(v.Dates, Date{Name: "appointment-on", Due: k.AppointmentOn})
	}
	if k.ClosedAt != nil {
		v.Dates = append(v.Dates, Date{Name: "closed", Due: workdays.DateOf(*k.ClosedAt), Done: true})
	}
	return v, nil
}

func (s Service) complaintView(ctx context.Context, ref string, at time.Time) (View, error) {
	st, err := s.Complaints.Load(ctx, ref)
	if err != nil {
		return View{}, err
	}
	c := st.Case
	v := View{Kind: casefile.Complaint, Reference: c.Reference, Status: c.Status, Stage: c.Stage, About: c.ServiceArea, Received: workdays.DateOf(c.ReceivedAt)}
	if len(c.Stages) > 0 {
		cur := c.Current()
		v.Dates = append(v.Dates, Date{Name: "acknowledge", Due: cur.AcknowledgeBy, Done: cur.AcknowledgedAt != nil})
		if !cur.RespondBy.IsZero() {
			v.Dates = append(v.Dates, Date{Name: "respond", Due: cur.RespondBy, Done: cur.RespondedAt != nil})
		}
	}
	// may the resident escalate? ask the rule itself, on a copy (Escalate copies what it changes)
	probe := c
	if _, err := probe.Escalate(at); err == nil {
		v.CanEscalate, v.EscalateBy = true, c.EscalateBy
		if !c.EscalateBy.IsZero() {
			v.Dates = append(v.Dates, Date{Name: "escalate", Due: c.EscalateBy})
		}
	}
	for _, l := range c.Letters {
		v.Letters = append(v.Letters, Letter{Kind: l.Kind, Subject: l.Subject, Text: l.Text, On: workdays.DateOf(l.CreatedAt)})
	}
	return v, nil
}

func (s Service) applicationView(ctx context.Context, ref string) (View, error) {
	st, err := s.Applications.Load(ctx, ref)
	if err != nil {
		return View{}, err
	}
	r := st.Case
	d := r.Decision
	v := View{Kind: casefile.Application, Reference: r.Reference, Status: d.Status, Received: workdays.DateOf(r.ReceivedAt), Band: d.BandName()}
	if d.Provisional.Band != nil {
		v.ProvisionalBand = *d.Provisional.Band
	}
	for _, reason := range d.Reasons {
		v.Reasons = append(v.Reasons, reason.Text)
	}
	for _, o := range d.Outstanding {
		v.Outstanding = append(v.Outstanding, o.Text)
	}
	return v, nil
}

// sentAction is the notifier's timeline entry for a message it sent (notificationsender.ActionSent).
const sentAction = "notification-sent"

// messages are the messages sent to this contact about the record, from the newest page of its timeline
// (another reporter's on a shared ASB case, or a representative's, are not shown).
func (s Service) messages(ctx context.Context, c Contact, f Found) ([]Message, error) {
	var h casework.History
	var err error
	switch f.Kind {
	case casefile.ASB:
		h, err = s.ASB.History(ctx, f.Ref, historyPage, "")
	case casefile.Complaint:
		h, err = s.Complaints.History(ctx, f.Ref, historyPage, "")
	case casefile.Application:
		h, err = s.Applications.History(ctx, f.Ref, historyPage, "")
	}
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, ev := range h.Events {
		role, _ := ev.Details["role"].(string)
		to, _ := ev.Details["to"].(string)
		if ev.Action != sentAction || role != string(notification.Resident) || !c.Holds(contact.Details{Email: to, Phone: to}) {
			continue
		}
		template, _ := ev.Details["template"].(string)
		channel, _ := ev.Details["channel"].(string)
		out = append(out, Message{Template: template, Channel: channel, On: workdays.DateOf(ev.At)})
	}
	return out, nil
}
