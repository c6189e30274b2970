package reminders

import (
	"context"
	"errors"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/testsupport"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Pure unit tests of the claim/queue ordering with in-memory stand-ins; the same paths run against DynamoDB
// Local and the SQS emulator in run_test.go.

type memClaims map[string]time.Time // key -> expiry

func (m memClaims) Claim(_ context.Context, key string, ttl time.Duration, now time.Time) (bool, error) {
	if exp, held := m[key]; held && !exp.Before(now) {
		return false, nil
	}
	m[key] = now.Add(ttl)
	return true, nil
}
func (m memClaims) Keep(_ context.Context, key string, ttl time.Duration, now time.Time) error {
	m[key] = now.Add(ttl)
	return nil
}
func (m memClaims) Release(_ context.Context, key string) error { delete(m, key); return nil }

type memIndex []casefile.Deadline

func (m memIndex) DueBy(context.Context, workdays.Date) ([]casefile.Deadline, float64, error) {
	return m, 0.5, nil
}

type noContacts struct{}

func (noContacts) Contact(context.Context, casefile.Kind, string) (contact.Details, bool, error) {
	return contact.Details{}, false, nil
}

type memQueue struct {
	fail int // fail the next n sends
	sent []casework.Message
}

func (q *memQueue) Publish(_ context.Context, msgs ...casework.Message) error {
	if q.fail > 0 {
		q.fail--
		return errors.New("sqs unavailable")
	}
	q.sent = append(q.sent, msgs...)
	return nil
}

func memRunner(now *time.Time, q *memQueue, claims memClaims) Runner {
	return Runner{Deadlines: memIndex{dl("acknowledge", "2026-11-27", "", casefile.Officer)}, Contacts: noContacts{}, Claims: claims,
		Queue: q, Mailboxes: boxes, Now: func() time.Time { return *now }}
}

// A failed send releases its claim and fails the run, so the scheduler's retry sends the reminder.
func TestIdempotencyFailedSendIsRetried(t *testing.T) {
	now, q, claims := time.Date(2026, 11, 27, 7, 0, 1, 0, time.UTC), &memQueue{fail: 1}, memClaims{}
	r := memRunner(&now, q, claims)
	if sum, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); err == nil || sum.Sent != 0 || len(claims) != 0 {
		t.Fatalf("failed send: %+v %v, claims %v", sum, err, claims)
	}
	if sum, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); err != nil || sum.Sent != 1 || len(q.sent) != 1 {
		t.Fatalf("retry: %+v %v", sum, err)
	}
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); sum.Sent != 0 || sum.AlreadySent != 1 || len(q.sent) != 1 {
		t.Fatalf("third firing sent again: %+v", sum)
	}
}

// A run that died between its claim and its send holds only a lease: a retry after the lease sends the
// reminder; a concurrent run within the lease does not.
func TestIdempotencyLeaseOfADeadRun(t *testing.T) {
	now, q, claims := time.Date(2026, 11, 27, 7, 0, 1, 0, time.UTC), &memQueue{}, memClaims{}
	key := "reminder#complaint#CMP-1#acknowledge#due-today#2026-11-27"
	_, _ = claims.Claim(context.Background(), key, claimLease, now) // the dead run's claim
	r := memRunner(&now, q, claims)
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); sum.Sent != 0 || sum.AlreadySent != 1 {
		t.Fatalf("within the lease: %+v", sum)
	}
	now = now.Add(claimLease + time.Second)
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); sum.Sent != 1 || len(q.sent) != 1 {
		t.Fatalf("after the lease: %+v", sum)
	}
	if exp := claims[key]; !exp.Equal(now.Add(sentTTL)) {
		t.Fatalf("sent marker expires %s, want %s", exp, now.Add(sentTTL))
	}
}

func TestSampleScheduleEventIsAFridayMorning(t *testing.T) {
	if ev := testsupport.ReminderSchedule(t, ""); workdays.DateOf(ev.Time).String() != "2026-11-27" || ev.Source != "aws.scheduler" {
		t.Fatalf("sample event: %s %s", ev.Source, ev.Time)
	}
}
