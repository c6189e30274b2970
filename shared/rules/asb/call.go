package asb

import (
	"fmt"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Call is an out-of-hours call as the answering service posts it (ASB-10): the report fields and the call's own.
// The validate tags document the call's own fields (the webhook's contract); Validate checks them, with the
// report's, as of the call.
type Call struct {
	Report
	CallID        string `json:"callId" validate:"required,max=100"`
	ReceivedAt    string `json:"receivedAt" validate:"required,max=40"`
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
func (c Call) Validate(now time.Time) error { return c.validate(now, MaxCallAge) }

// QueueAllowance is the longest a call the webhook accepted can take to reach the ooh-calls queue: ooh-intake's
// whole run, which Lambda stops at 15 minutes at most. ooh-processor checks a call as of SQS's SentTimestamp
// (later than the webhook's arrival), so it allows this on top of MaxCallAge.
const QueueAllowance = 15 * time.Minute

// ValidateQueued checks a call taken from the queue, sent there at sentAt: as Validate, with the age limit
// widened by QueueAllowance, so that a call accepted at the very edge of MaxCallAge is not refused when it is
// processed and lost to the dead-letter queue (found by FuzzOutOfHoursWebhook).
func (c Call) ValidateQueued(sentAt time.Time) error {
	return c.validate(sentAt, MaxCallAge+QueueAllowance)
}

func (c Call) validate(now time.Time, maxAge time.Duration) error {
	var f apperr.Fields
	switch { // text of only spaces is no text: it would be a call id (and a once-only key) of nothing
	case blank(c.CallID):
		f.Add("callId", "is required")
	case len(c.CallID) > 100:
		f.Add("callId", "must have at most 100 characters")
	}
	switch {
	case blank(c.Operator):
		f.Add("operator", "is required")
	case len(c.Operator) > 100:
		f.Add("operator", "must have at most 100 characters")
	}
	received := receivedAtCheck(&f, "receivedAt", c.ReceivedAt, now, maxAge,
		fmt.Sprintf("cannot be more than %d days ago: the answering service sends calls as they are taken", int(MaxCallAge.Hours()/24)))
	if err := c.Report.Validate(received); err != nil {
		e, _ := apperr.As(err)
		f = append(f, e.Fields...)
	}
	return f.Err()
}
