// Package subjectaccess is the rules of a subject access request (UK GDPR Art 15): a person asks for the personal
// data the council holds about them, and gets it within one month of receipt (Art 12(3)), extendable by two
// further months for complex or numerous requests. The request is a case of its own: logged by the information
// governance team with the day it was received and how the requester's identity was checked, a deadline until
// the response is sent, and an audit trail of every export made for it.
//
// Which records are the person's is found by key (their email address and mobile number, and references the team
// has confirmed), never by searching text; what an export contains is the records' own data and timelines. Third
// parties named inside them (a person reported, a witness) are for the team to redact before sending (Data
// Protection Act 2018 Sch 2 para 16): the export is the team's working copy, not what is posted.
package subjectaccess

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Rule ids cited in reasons and errors.
const (
	RuleTimeLimit = "UK GDPR Art 12(3)" // one month from receipt, extendable by two months
	RuleAccess    = "UK GDPR Art 15"
)

// Statuses.
const (
	StatusOpen      = "open"      // being gathered
	StatusCompleted = "completed" // the response was sent
)

// Group is the staff group that handles subject access requests: information governance (the data protection
// officer's team).
const Group = "information-governance"

// Limits on what a request names.
const (
	MaxReferences   = 20 // records named by reference, beyond those found by contact
	MaxBackdateDays = 30 // a request logged late: received at most this many days before it is logged
)

// Request is one subject access request.
type Request struct {
	Reference string `json:"reference" dynamodbav:"reference"`
	// The requester's identifiers: what the records are found by (normalised by the application layer).
	Email      string        `json:"email,omitempty" dynamodbav:"email,omitempty"`
	Phone      string        `json:"phone,omitempty" dynamodbav:"phone,omitempty"`
	References []string      `json:"references,omitempty" dynamodbav:"references,omitempty"`
	ReceivedOn workdays.Date `json:"receivedOn" dynamodbav:"receivedOn"`
	DueOn      workdays.Date `json:"dueOn" dynamodbav:"dueOn"`
	// IdentityChecked says how the requester's identity was confirmed (Art 12(6)): nothing is exported before.
	IdentityChecked string         `json:"identityChecked" dynamodbav:"identityChecked"`
	Status          string         `json:"status" dynamodbav:"status"`
	LoggedBy        casefile.Actor `json:"loggedBy" dynamodbav:"loggedBy"`
	LoggedAt        time.Time      `json:"loggedAt" dynamodbav:"loggedAt"`
	Exports         int            `json:"exports" dynamodbav:"exports"`
	CompletedOn     *workdays.Date `json:"completedOn,omitempty" dynamodbav:"completedOn,omitempty"`
	HowSent         string         `json:"howSent,omitempty" dynamodbav:"howSent,omitempty"`
}

// Input is POST /subject-access-requests: who is asking (an email address, a mobile number, or both), records
// already known to be theirs, the day the request reached the council and how their identity was checked.
type Input struct {
	Email           string   `json:"email,omitempty" validate:"omitempty,max=320,email"`
	Phone           string   `json:"phone,omitempty" validate:"omitempty,max=30"`
	References      []string `json:"references,omitempty" validate:"omitempty,max=20,dive,max=20"`
	ReceivedOn      string   `json:"receivedOn" validate:"required,date"`
	IdentityChecked string   `json:"identityChecked" validate:"required,max=500"`
}

// Completion is POST /subject-access-requests/{reference}/completion: how the response went to the requester.
type Completion struct {
	HowSent string `json:"howSent" validate:"required,max=500"`
}

// DueOn is one month after the day a request was received (UK GDPR Art 12(3), as the ICO counts it): the same
// day of the next month, or its last day when it has no such day (received 31 January, due 28 February). A due
// day that is not a working day stays as it is: the Regulation counts calendar days.
func DueOn(received workdays.Date) workdays.Date {
	year, month := received.Year, received.Month+1
	if month > time.December {
		year, month = year+1, time.January
	}
	last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return workdays.NewDate(year, month, min(received.Day, last))
}

// New logs a request received on in.ReceivedOn (not in the future, at most MaxBackdateDays before at), identified
// by an email address or a mobile number (or both): 400 listing each problem otherwise.
func New(in Input, ref string, by casefile.Actor, at time.Time) (Request, casefile.Event, error) {
	var f apperr.Fields
	blank := false
	for _, id := range []struct{ field, value string }{{"email", in.Email}, {"phone", in.Phone}} {
		if id.value != "" && strings.TrimSpace(id.value) == "" {
			f.Add(id.field, "must not be blank")
			blank = true
		}
	}
	in.Email, in.Phone = strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone)
	f.Merge("", validate.Struct(in))
	if in.Email == "" && in.Phone == "" && !blank {
		f.Add("email", "or phone is required: the records are found by the requester's email address or mobile number")
	}
	today := workdays.DateOf(at)
	received, err := workdays.ParseDate(in.ReceivedOn)
	if err == nil {
		switch {
		case received.After(today):
			f.Add("receivedOn", "cannot be in the future")
		case received.Before(today.AddDays(-MaxBackdateDays)):
			f.Add("receivedOn", "must be within the last %d days", MaxBackdateDays)
		}
	}
	if err := f.Err(); err != nil {
		return Request{}, casefile.Event{}, err
	}
	r := Request{Reference: ref, Email: in.Email, Phone: in.Phone, References: in.References,
		ReceivedOn: received, DueOn: DueOn(received), IdentityChecked: strings.TrimSpace(in.IdentityChecked), Status: StatusOpen,
		LoggedBy: by, LoggedAt: at.UTC()}
	return r, casefile.NewEvent(at, by, "subject-access-requested", RuleTimeLimit, map[string]any{
		"receivedOn": received.String(), "dueOn": r.DueOn.String(), "byEmail": r.Email != "", "byPhone": r.Phone != "",
		"references": len(r.References)}), nil
}

// Exported records that an export of the person's records was made (who, when, how many records of each kind:
// never their content), for the audit trail.
func (r *Request) Exported(counts map[string]int, by casefile.Actor, at time.Time) casefile.Event {
	r.Exports++
	details := map[string]any{"export": r.Exports}
	for kind, n := range counts {
		details[kind] = n
	}
	return casefile.NewEvent(at, by, "subject-access-exported", RuleAccess, details)
}

// Complete records that the response was sent; a completed request is a conflict.
func (r *Request) Complete(in Completion, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if r.Status == StatusCompleted {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, RuleTimeLimit, "Subject access request %s was completed on %s.",
			r.Reference, r.CompletedOn)
	}
	f := validate.Struct(in)
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	done := workdays.DateOf(at)
	r.Status, r.CompletedOn, r.HowSent = StatusCompleted, &done, strings.TrimSpace(in.HowSent)
	return casefile.NewEvent(at, by, "subject-access-completed", RuleTimeLimit, map[string]any{"dueOn": r.DueOn.String(),
		"onTime": !done.After(r.DueOn)}), nil
}

// OpenDeadlines are the request's deadline until it is completed: the response, due one month after receipt, for
// the information governance team (who are also told when it is overdue).
func OpenDeadlines(r Request) []casefile.Deadline {
	if r.Status != StatusOpen {
		return nil
	}
	return []casefile.Deadline{{CaseKind: casefile.SubjectAccess, CaseRef: r.Reference, Name: "respond", Due: r.DueOn, Rule: RuleTimeLimit,
		Team: Group, Manager: Group, Audience: casefile.Officer, Label: "Send the response to the subject access request (" + RuleTimeLimit + ")"}}
}
