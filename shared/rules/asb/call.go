package asb

import (
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Call is an out-of-hours call as the answering service posts it (ASB-10): the report fields and the call's own.
// The validate tags document the call's own fields (the webhook's contract); Validate checks them, with the
// report's, as of the call.
type Call struct {
	Report
	CallID        string `json:"callId" validate:"required,max=100"`
	ReceivedAt    string `json:"receivedAt" validate:"required"`
	Operator      string `json:"operator" validate:"required,max=100"`
	AdvisedPolice bool   `json:"advisedPolice"`
}

// MaxCallAge is how old a call may be when it arrives: the answering service posts each call within minutes
// (and retries for at most a day); anything older is not a live out-of-hours call (ASB-10's timing would make
// its deadlines long overdue on arrival) and belongs in a staff-logged report.
const MaxCallAge = 7 * 24 * time.Hour

// ReceivedTime is when the call was taken (deadlines are timed from it, ASB-10).
func (c Call) ReceivedTime() time.Time {
	t, _ := time.Parse(time.RFC3339, c.ReceivedAt)
	return t.UTC()
}

// Validate lists every problem with the call, as of now (the webhook's arrival). The report is checked as of
// the call (ASB-10: timed from the call), so occurredAt may not be after it. Calls during office hours are
// accepted too: the answering service may take overflow calls, and refusing one would lose a report.
func (c Call) Validate(now time.Time) error {
	var f apperr.Fields
	switch {
	case c.CallID == "":
		f.Add("callId", "is required")
	case len(c.CallID) > 100:
		f.Add("callId", "must have at most 100 characters")
	}
	switch {
	case c.Operator == "":
		f.Add("operator", "is required")
	case len(c.Operator) > 100:
		f.Add("operator", "must have at most 100 characters")
	}
	received := now
	if c.ReceivedAt == "" {
		f.Add("receivedAt", "is required")
	} else if t, err := time.Parse(time.RFC3339, c.ReceivedAt); err != nil {
		f.Add("receivedAt", "must be a date and time in RFC 3339 form, e.g. 2026-11-23T22:40:00Z")
	} else if t.After(now.Add(clockSkew)) {
		f.Add("receivedAt", "cannot be in the future")
	} else if t.Before(now.Add(-MaxCallAge)) {
		f.Add("receivedAt", "cannot be more than %d days ago: the answering service sends calls as they are taken", int(MaxCallAge.Hours()/24))
	} else {
		received = t
	}
	if err := c.Report.Validate(received); err != nil {
		e, _ := apperr.As(err)
		f = append(f, e.Fields...)
	}
	return f.Err()
}
