package complaints

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Channels a complaint (or a request for stage 2) arrives by. Residents may complain in any way and to any member
// of staff (source §3.1, §3.2): "online" is the public form and the resident's own token; the others are logged by
// a member of staff with the day the complaint reached us, from which every Code timescale runs (CH-4, CH-5).
const (
	ChannelOnline         = "online"
	ChannelPhone          = "phone"
	ChannelLetter         = "letter"
	ChannelEmail          = "email"
	ChannelInPerson       = "in-person"
	ChannelCouncillor     = "councillor"     // a councillor raised it for the resident
	ChannelRepresentative = "representative" // someone else complains for the resident, with their consent (source §3.6)
)

// StaffChannels are the channels a member of staff logs a complaint or an escalation from.
var StaffChannels = []string{ChannelPhone, ChannelLetter, ChannelEmail, ChannelInPerson, ChannelCouncillor, ChannelRepresentative}

// MaxLoggingDelayMonths bounds how long before it is logged a complaint (or an escalation) may have been received:
// the record keeps the true date (source §5.12) and the deadlines run from it, so a complaint logged late is
// overdue at once rather than given new time; a date further back is a typing error.
const MaxLoggingDelayMonths = 12

// LoggedComplaint is a complaint made to a member of staff (POST /complaints/logged): the form's fields, how the
// complaint arrived and the day it reached us (source §3.1, §3.2, §5.12).
type LoggedComplaint struct {
	Submission
	Channel    string `json:"channel" validate:"required,oneof=phone letter email in-person councillor representative"`
	ReceivedOn string `json:"receivedOn" validate:"required,date"` // YYYY-MM-DD, London: the day the complaint reached us
	// AboutServiceRequest is the reference of the service request the resident is unhappy about, if any: the
	// complaint is logged and the request goes on (source §1.5); the service checks it is a service request.
	AboutServiceRequest string `json:"aboutServiceRequest,omitempty" validate:"omitempty,max=64"`
}

// Validate lists every problem with the logged complaint, logged at at.
func (l LoggedComplaint) Validate(at time.Time) error {
	f := validate.Struct(l)
	received, err := workdays.ParseDate(l.ReceivedOn)
	if err == nil {
		receivedOnCheck(f.Add, "receivedOn", received, workdays.Date{}, at)
		if issue, err := workdays.ParseDate(l.IssueDate); err == nil && issue.After(received) {
			f.Add("issueDate", "cannot be after the day the complaint was received (receivedOn)")
		}
	}
	l.Complainant.CheckReachable(&f, "complainant")
	l.Representative.check(&f)
	if l.Representative == nil && l.Channel == ChannelRepresentative {
		f.Add("representative", "is required when the complaint came from a representative (source 004 §3.6)")
	}
	return f.Err()
}

// receivedOnCheck reports a day a complaint or a request reached us that cannot be: after today, before notBefore
// (e.g. the stage 1 response), or over MaxLoggingDelayMonths ago.
func receivedOnCheck(add func(field, format string, args ...any), field string, d, notBefore workdays.Date, at time.Time) {
	today := workdays.DateOf(at)
	switch {
	case d.After(today):
		add(field, "cannot be in the future")
	case d.Before(today.AddMonths(-MaxLoggingDelayMonths)):
		add(field, "must be within the last %d months: log a complaint when it reaches us", MaxLoggingDelayMonths)
	case !notBefore.IsZero() && d.Before(notBefore):
		add(field, "cannot be before %s, when the stage 1 response was sent", notBefore)
	}
}

// receivedInstant is when something received on day d is taken to have arrived: the moment it is logged when
// that is the same day, else the start of d (London). Every timescale counts working days after the day
// (WD-2), so only the day matters; the instant keeps lists and reports in order.
func receivedInstant(d workdays.Date, at time.Time) time.Time {
	if d == workdays.DateOf(at) {
		return at.UTC()
	}
	return d.StartOfDay().UTC()
}

// Log opens a stage 1 complaint that a member of staff took by phone, letter, email, in person, from a councillor
// or from a representative (source §3.1, §3.2). It is received on the day given, not the day it is logged: the
// acknowledgement is due 5 WD after that day (CH-4), and a complaint logged after that is overdue at once.
func Log(ref string, in LoggedComplaint, by casefile.Actor, at time.Time) (Complaint, casefile.Event, error) {
	if err := in.Validate(at); err != nil {
		return Complaint{}, casefile.Event{}, err
	}
	day, _ := workdays.ParseDate(in.ReceivedOn)
	c, details := receive(ref, in.Submission, receivedInstant(day, at), in.Channel)
	t := at.UTC()
	c.LoggedAt, c.LoggedBy, c.Stages[0].LoggedBy = &t, by, by
	c.AboutServiceRequest = strings.TrimSpace(in.AboutServiceRequest)
	details["receivedOn"] = day.String()
	if c.AboutServiceRequest != "" {
		details["aboutServiceRequest"] = c.AboutServiceRequest
	}
	if workdays.DateOf(at).After(c.Stages[0].AcknowledgeBy) {
		details["overdue"] = "Logged after the acknowledgement was due (" + c.Stages[0].AcknowledgeBy.String() + "): acknowledge it now (CH-4)."
	}
	return c, event(at, by, "complaint-logged", "CH-4", details), nil
}

// EscalationRequest is a resident's request for stage 2 made to a member of staff, who logs it for them (POST
// .../escalation-on-behalf): how and on which day it reached us. The resident gives no reason (source §6.12); a
// note of what they said may be kept.
type EscalationRequest struct {
	Channel     string `json:"channel" validate:"required,oneof=phone letter email in-person councillor representative"`
	RequestedOn string `json:"requestedOn" validate:"required,date"` // YYYY-MM-DD, London: the day the request reached us
	Note        string `json:"note,omitempty" validate:"omitempty,max=2000"`
}

// Validate lists every problem, against the stage 1 response date (notBefore) and at.
func (r EscalationRequest) Validate(notBefore workdays.Date, at time.Time) error {
	f := validate.Struct(r)
	if d, err := workdays.ParseDate(r.RequestedOn); err == nil {
		receivedOnCheck(f.Add, "requestedOn", d, notBefore, at)
	}
	return f.Err()
}

// EscalateOnBehalf moves the complaint to stage 2 at a request the resident made by phone, letter, email, in
// person or through someone else, logged by a member of staff (source §3.2, §6.10-6.12): as the resident's own
// request, with no reason needed, acknowledged within 5 WD of the day it reached us (CH-5).
func (c *Complaint) EscalateOnBehalf(in EscalationRequest, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.escalationAllowed(); err != nil {
		return casefile.Event{}, err
	}
	if err := in.Validate(workdays.DateOf(*c.Stages[0].RespondedAt), at); err != nil {
		return casefile.Event{}, err
	}
	day, _ := workdays.ParseDate(in.RequestedOn)
	ev := c.escalate(receivedInstant(day, at), in.Channel, by, at)
	ev.Details["requestedOn"] = day.String()
	if note := strings.TrimSpace(in.Note); note != "" {
		ev.Details["residentSaid"] = note
	}
	return ev, nil
}
