package reminders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// DeadlineIndex reads the open deadlines due on or before a day (overdue ones included), by key condition only.
type DeadlineIndex interface {
	DueBy(ctx context.Context, until workdays.Date) (due []casefile.Deadline, consumedCapacity float64, err error)
}

// CaseID names a case.
type CaseID struct {
	Kind casefile.Kind
	Ref  string
}

// ContactBook reads cases' resident contacts (their CONTACT items) in batches; a case with none is absent.
type ContactBook interface {
	Contacts(ctx context.Context, cases []CaseID) (map[CaseID]contact.Details, error)
}

// Claims are once-only markers that expire (the idempotency table), claimed, kept and released in batches.
type Claims interface {
	// Claim records each key that is not held (absent or expired) with an expiry of now+ttl, and returns the keys
	// it recorded; the others are held (sent today, or being sent by a concurrent run). On an error, the keys it
	// returns were claimed all the same.
	Claim(ctx context.Context, keys []string, ttl time.Duration, now time.Time) ([]string, error)
	// Keep extends held keys to ttl from now.
	Keep(ctx context.Context, keys []string, ttl time.Duration, now time.Time) error
	// Release forgets keys.
	Release(ctx context.Context, keys []string) error
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
	Reminders        int     `json:"reminders"`        // items to tell: digest lines (an overdue deadline is one for the officer, one for the manager) and resident messages
	Digests          int     `json:"digests"`          // staff digests queued
	ResidentMessages int     `json:"residentMessages"` // resident messages queued
	Sent             int     `json:"sent"`             // messages queued: Digests + ResidentMessages
	AlreadySent      int     `json:"alreadySent"`      // messages claimed earlier today (a repeated run) or by a concurrent run
	NoContact        int     `json:"noContact"`        // reminders with nobody to go to
	ConsumedCapacity float64 `json:"consumedCapacity"` // read capacity of the deadlines query
}

// Once-per-day marking, per message (a digest, or a resident's message), in two steps so that a crash cannot lose
// a message nor a retry send it twice:
//
//  1. claim the message's id with a short lease (claimLease) before queueing it. A concurrent run (EventBridge
//     Scheduler delivers at least once) finds the lease and skips the message;
//  2. once the message is on the queue, keep the claim for sentTTL, which outlives every retry of that day's run.
//
// If queueing fails, the claims are released at once and the run fails, so the scheduler's retry sends them. If
// the process dies between 1 and 2, the lease runs out before the retry comes (a Lambda lives at most its
// timeout, 60 s), so the retry sends them. Only a death between the queue accepting a message and step 2 can send
// one twice: a repeat, never a loss, and the notifier sends each request id once anyway.
//
// Messages go in chunks of chunkSize (one claim transaction, 10 SendMessageBatch calls, 4 BatchWriteItem calls
// to keep), chunksInFlight at a time.
const (
	claimLease     = 60 * time.Second   // the function's timeout (catalog): no holder outlives it
	sentTTL        = 8 * 24 * time.Hour // longer than any retry of the day's run; DynamoDB TTL then removes it
	chunkSize      = 100                // DynamoDB's most items in one transaction
	chunksInFlight = 4
)

// outgoing is one message of the run and its once-a-day claim.
type outgoing struct {
	claim  string
	req    notification.Request
	digest bool
}

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
	rems := Plan(w, deadlines, r.Mailboxes)
	sum.Reminders = len(rems)
	digests, residents, unaddressed := Digests(today, rems)
	sum.NoContact = len(unaddressed)
	logUnaddressed(ctx, unaddressed)

	var failed []error
	out := make([]outgoing, 0, len(digests)+len(residents))
	for _, d := range digests {
		out = append(out, outgoing{claim: "reminder#" + d.ID, req: d.Request(today, ev.Time), digest: true})
	}
	if len(residents) > 0 {
		toResidents, noContact, err := r.residentMessages(ctx, residents, ev.Time)
		if err != nil {
			failed = append(failed, err)
		}
		out = append(out, toResidents...)
		sum.NoContact += noContact
	}
	failed = append(failed, r.send(ctx, out, &sum)...)
	slog.InfoContext(ctx, "reminders", "today", sum.Today, "due", sum.OpenDue, "reminders", sum.Reminders, "digests", sum.Digests,
		"residentMessages", sum.ResidentMessages, "alreadySent", sum.AlreadySent, "noContact", sum.NoContact, "failed", len(failed),
		"consumedCapacity", consumed)
	return sum, errors.Join(failed...)
}

// residentMessages reads the residents' contacts in one batch and addresses their messages; noContact counts
// those nobody can be written to (an anonymous reporter, ASB-2, or no CONTACT item).
func (r Runner) residentMessages(ctx context.Context, rems []Reminder, at time.Time) (out []outgoing, noContact int, err error) {
	ids := make([]CaseID, len(rems))
	for i, rem := range rems {
		ids[i] = CaseID{Kind: rem.Deadline.CaseKind, Ref: rem.Deadline.CaseRef}
	}
	contacts, err := r.Contacts.Contacts(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("residents' contacts: %w", err)
	}
	for i, rem := range rems {
		c, found := contacts[ids[i]]
		to := recipient(c)
		if !found || to == nil {
			noContact++
			continue
		}
		out = append(out, outgoing{claim: "reminder#" + rem.ID, req: ResidentRequest(rem, *to, at)})
	}
	return out, noContact, nil
}

// send claims, queues and keeps the messages chunk by chunk, a few chunks at once.
func (r Runner) send(ctx context.Context, out []outgoing, sum *Summary) []error {
	var (
		mu     sync.Mutex
		failed []error
		wg     sync.WaitGroup
		chunks = make(chan []outgoing)
	)
	for range chunksInFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range chunks {
				digests, residents, held, err := r.sendChunk(ctx, chunk)
				mu.Lock()
				sum.Digests += digests
				sum.ResidentMessages += residents
				sum.Sent += digests + residents
				sum.AlreadySent += held
				if err != nil {
					failed = append(failed, err)
				}
				mu.Unlock()
			}
		}()
	}
	for start := 0; start < len(out); start += chunkSize {
		chunks <- out[start:min(start+chunkSize, len(out))]
	}
	close(chunks)
	wg.Wait()
	return failed
}

// sendChunk claims the chunk's messages for the day, queues the ones it claimed and keeps their claims (see
// claimLease).
func (r Runner) sendChunk(ctx context.Context, chunk []outgoing) (digests, residents, held int, err error) {
	keys := make([]string, len(chunk))
	byKey := make(map[string]outgoing, len(chunk))
	for i, o := range chunk {
		keys[i], byKey[o.claim] = o.claim, o
	}
	now := r.now()
	claimed, err := r.Claims.Claim(ctx, keys, claimLease, now)
	if err != nil {
		return 0, 0, 0, r.release(ctx, claimed, fmt.Errorf("claiming %d reminder messages: %w", len(keys), err))
	}
	msgs := make([]casework.Message, 0, len(claimed))
	for _, k := range claimed {
		msg, err := byKey[k].req.Message()
		if err != nil {
			return 0, 0, 0, r.release(ctx, claimed, fmt.Errorf("reminder message %s: %w", byKey[k].req.ID, err))
		}
		msgs = append(msgs, msg)
	}
	if len(msgs) > 0 {
		if err := r.Queue.Publish(ctx, msgs...); err != nil {
			return 0, 0, 0, r.release(ctx, claimed, fmt.Errorf("queueing %d reminder messages: %w", len(msgs), err))
		}
		if err := r.Claims.Keep(ctx, claimed, sentTTL, now); err != nil {
			// queued: failing the run would only make its retry send them again once the lease runs out
			slog.WarnContext(ctx, "reminders queued but their markers not kept; a retry after the lease may repeat them", "messages", len(claimed), "error", err.Error())
		}
	}
	for _, k := range claimed {
		if byKey[k].digest {
			digests++
		} else {
			residents++
		}
	}
	return digests, residents, len(keys) - len(claimed), nil
}

// release gives back claims after a failure, so the scheduler's retry sends them.
func (r Runner) release(ctx context.Context, claimed []string, err error) error {
	if len(claimed) == 0 {
		return err
	}
	if rerr := r.Claims.Release(ctx, claimed); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// logUnaddressed names the teams and manager groups with no mailbox, once each, never an address (there is none).
func logUnaddressed(ctx context.Context, rems []Reminder) {
	groups := map[string]int{}
	for _, rem := range rems {
		group := rem.Deadline.Team
		if rem.Kind == OverdueManager {
			group = rem.Deadline.Manager
		}
		groups[group]++
	}
	for group, n := range groups {
		slog.WarnContext(ctx, "reminders have nobody to go to: no mailbox for the group", "group", group, "reminders", n)
	}
}

func (r Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}
