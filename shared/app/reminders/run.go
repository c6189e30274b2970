package reminders

import (
	"context"
	"errors"
	"fmt"
	"github.com/councilhousing/backend/shared/rules/contact"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// DeadlineIndex reads the open deadlines due on or before a day (overdue ones included), by key condition only.
type DeadlineIndex interface {
	DueBy(ctx context.Context, until workdays.Date) (due []casefile.Deadline, consumedCapacity float64, err error)
}

// ContactBook reads a case's resident contact (the CONTACT item); found is false when there is none.
type ContactBook interface {
	Contact(ctx context.Context, kind casefile.Kind, ref string) (c contact.Details, found bool, err error)
}

// Claims are once-only markers that expire (the idempotency table).
type Claims interface {
	// Claim records key unless it is held and unexpired; false when someone holds it.
	Claim(ctx context.Context, key string, ttl time.Duration, now time.Time) (bool, error)
	// Keep extends a held key to ttl from now.
	Keep(ctx context.Context, key string, ttl time.Duration, now time.Time) error
	// Release forgets a key.
	Release(ctx context.Context, key string) error
}

// Runner is the deadline-reminders function.
type Runner struct {
	Deadlines DeadlineIndex
	Contacts  ContactBook
	Claims    Claims
	Queue     casework.Queues
	Mailboxes Mailboxes
	// Now is the real clock, used only for the claims' expiry (DynamoDB's TTL runs on real time). "Today" always
	// comes from the event. Defaults to time.Now.
	Now func() time.Time
}

// Summary is what a run did (the function's result).
type Summary struct {
	Today            string  `json:"today"`
	Skipped          string  `json:"skipped,omitempty"`
	OpenDue          int     `json:"openDeadlinesInWindow"`
	Sent             int     `json:"sent"`
	AlreadySent      int     `json:"alreadySent"`
	NoContact        int     `json:"noContact"`
	ConsumedCapacity float64 `json:"consumedCapacity"`
}

// Once-per-day marking, in two steps so that a crash cannot lose a reminder nor a retry send it twice:
//
//  1. claim the reminder's id with a short lease (claimLease) before queueing it. A concurrent run (EventBridge
//     Scheduler delivers at least once) finds the lease and skips the reminder;
//  2. once the message is on the queue, keep the claim for sentTTL, which outlives every retry of that day's run.
//
// If queueing fails, the claim is released at once and the run fails, so the scheduler's retry sends it. If the
// process dies between 1 and 2, the lease runs out before the retry comes (a Lambda lives at most its timeout,
// 60 s), so the retry sends it. Only a death between the queue accepting the message and step 2 can send one
// reminder twice: a repeat, never a loss, and the notifier sends each request id once anyway.
const (
	claimLease = 60 * time.Second   // the function's timeout (catalog): no holder outlives it
	sentTTL    = 8 * 24 * time.Hour // longer than any retry of the day's run; DynamoDB TTL then removes it
)

// Run sends the morning's reminders. "Today" is the London day of the EventBridge event's time (the scheduled
// time in AWS, the local cloud's clock locally), never the function's own clock (WD-4).
func (r Runner) Run(ctx context.Context, ev events.EventBridgeEvent) (Summary, error) {
	today := workdays.DateOf(ev.Time)
	w := WindowFor(today)
	sum := Summary{Today: today.String(), Skipped: w.Why}
	if w.Skip {
		slog.InfoContext(ctx, "reminders skipped", "today", sum.Today, "why", w.Why)
		return sum, nil
	}
	deadlines, consumed, err := r.Deadlines.DueBy(ctx, w.Until)
	if err != nil {
		return sum, fmt.Errorf("reading the deadlines index: %w", err)
	}
	sum.OpenDue, sum.ConsumedCapacity = len(deadlines), consumed
	var failed []error
	for _, rem := range Plan(w, deadlines, r.Mailboxes) {
		switch outcome, err := r.send(ctx, rem, ev.Time); {
		case err != nil:
			failed = append(failed, err)
		case outcome == sent:
			sum.Sent++
		case outcome == alreadySent:
			sum.AlreadySent++
		default:
			sum.NoContact++
			// names the deadline and the group, never an address (there is none)
			slog.WarnContext(ctx, "reminder has nobody to go to", "reminder", rem.ID, "team", rem.Deadline.Team, "manager", rem.Deadline.Manager)
		}
	}
	slog.InfoContext(ctx, "reminders", "today", sum.Today, "due", sum.OpenDue, "sent", sum.Sent, "alreadySent", sum.AlreadySent,
		"noContact", sum.NoContact, "failed", len(failed), "consumedCapacity", consumed)
	return sum, errors.Join(failed...)
}

type outcome int

const (
	noContact outcome = iota
	sent
	alreadySent
)

// send claims the reminder for the day, queues it and keeps the claim (see claimLease).
func (r Runner) send(ctx context.Context, rem Reminder, at time.Time) (outcome, error) {
	if rem.Kind == ResidentNote {
		c, found, err := r.Contacts.Contact(ctx, rem.Deadline.CaseKind, rem.Deadline.CaseRef)
		if err != nil {
			return noContact, fmt.Errorf("reminder %s: contact: %w", rem.ID, err)
		}
		to := recipient(c)
		if !found || to == nil {
			return noContact, nil
		}
		rem.To = *to
	}
	if rem.To.Email == "" && rem.To.Phone == "" && rem.To.PreferredContact != "letter" {
		return noContact, nil
	}
	key := "reminder#" + rem.ID
	now := r.now()
	fresh, err := r.Claims.Claim(ctx, key, claimLease, now)
	if err != nil {
		return noContact, fmt.Errorf("reminder %s: %w", rem.ID, err)
	}
	if !fresh {
		return alreadySent, nil
	}
	msg := notification.Request{ID: rem.ID, Template: Template(rem), CaseKind: rem.Deadline.CaseKind, CaseRef: rem.Deadline.CaseRef,
		To: rem.To, Personalisation: Personalisation(rem, workdays.DateOf(at)), RequestedAt: at.UTC()}
	queued, err := msg.Message()
	if err == nil {
		err = r.Queue.Publish(ctx, queued)
	}
	if err != nil {
		if rerr := r.Claims.Release(ctx, key); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return noContact, fmt.Errorf("reminder %s: %w", rem.ID, err)
	}
	if err := r.Claims.Keep(ctx, key, sentTTL, now); err != nil {
		// queued: failing the run would only make its retry send it again once the lease runs out
		slog.WarnContext(ctx, "reminder queued but its marker not kept; a retry after the lease may repeat it", "reminder", rem.ID, "error", err.Error())
	}
	return sent, nil
}

func (r Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}
