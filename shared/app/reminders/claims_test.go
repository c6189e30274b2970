package reminders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
)

// Unit tests of the claim/queue ordering with in-memory stand-ins; the same paths run against DynamoDB Local and
// the SQS emulator in shared/adapters/dynamo/reminders_test.go.

type memClaims struct {
	mu   sync.Mutex
	keys map[string]time.Time // key -> expiry
}

func newClaims() *memClaims { return &memClaims{keys: map[string]time.Time{}} }

func (m *memClaims) Claim(_ context.Context, keys []string, ttl time.Duration, now time.Time) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var got []string
	for _, key := range keys {
		if exp, held := m.keys[key]; held && !exp.Before(now) {
			continue
		}
		m.keys[key] = now.Add(ttl)
		got = append(got, key)
	}
	return got, nil
}
func (m *memClaims) Keep(_ context.Context, keys []string, ttl time.Duration, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, key := range keys {
		m.keys[key] = now.Add(ttl)
	}
	return nil
}
func (m *memClaims) Release(_ context.Context, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, key := range keys {
		delete(m.keys, key)
	}
	return nil
}
func (m *memClaims) len() int { m.mu.Lock(); defer m.mu.Unlock(); return len(m.keys) }

type memIndex []casefile.Deadline

func (m memIndex) DueBy(context.Context, workdays.Date) ([]casefile.Deadline, float64, error) {
	return m, 0.5, nil
}

type memContacts map[CaseID]contact.Details

func (m memContacts) Contacts(_ context.Context, ids []CaseID) (map[CaseID]contact.Details, error) {
	out := map[CaseID]contact.Details{}
	for _, id := range ids {
		if c, ok := m[id]; ok {
			out[id] = c
		}
	}
	return out, nil
}

type memQueue struct {
	mu   sync.Mutex
	fail int // fail the next n sends
	sent []casework.Message
}

func (q *memQueue) Publish(_ context.Context, msgs ...casework.Message) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.fail > 0 {
		q.fail--
		return errors.New("sqs unavailable")
	}
	q.sent = append(q.sent, msgs...)
	return nil
}

func memRunner(now *time.Time, q *memQueue, claims *memClaims, ds ...casefile.Deadline) Runner {
	if len(ds) == 0 {
		ds = []casefile.Deadline{dl("acknowledge", "2026-11-27", "", casefile.Officer)}
	}
	return Runner{Deadlines: memIndex(ds), Contacts: memContacts{}, Claims: claims, Queue: q, Mailboxes: boxes, Now: func() time.Time { return *now }}
}

// A failed send releases its claims and fails the run, so the scheduler's retry sends the digest.
func TestIdempotencyFailedSendIsRetried(t *testing.T) {
	now, q, claims := time.Date(2026, 11, 27, 7, 0, 1, 0, time.UTC), &memQueue{fail: 1}, newClaims()
	r := memRunner(&now, q, claims)
	if sum, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); err == nil || sum.Sent != 0 || claims.len() != 0 {
		t.Fatalf("failed send: %+v %v, claims %v", sum, err, claims.keys)
	}
	if sum, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); err != nil || sum.Sent != 1 || sum.Digests != 1 || len(q.sent) != 1 {
		t.Fatalf("retry: %+v %v", sum, err)
	}
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); sum.Sent != 0 || sum.AlreadySent != 1 || len(q.sent) != 1 {
		t.Fatalf("third firing sent again: %+v", sum)
	}
}

// A run that died between its claim and its send holds only a lease: a retry after the lease sends the digest;
// a concurrent run within the lease does not.
func TestIdempotencyLeaseOfADeadRun(t *testing.T) {
	now, q, claims := time.Date(2026, 11, 27, 7, 0, 1, 0, time.UTC), &memQueue{}, newClaims()
	key := "reminder#digest#2026-11-27#" + RecipientKey("complaints@council.example")
	_, _ = claims.Claim(context.Background(), []string{key}, claimLease, now) // the dead run's claim
	r := memRunner(&now, q, claims)
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); sum.Sent != 0 || sum.AlreadySent != 1 {
		t.Fatalf("within the lease: %+v", sum)
	}
	now = now.Add(claimLease + time.Second)
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); sum.Sent != 1 || len(q.sent) != 1 {
		t.Fatalf("after the lease: %+v", sum)
	}
	if exp := claims.keys[key]; !exp.Equal(now.Add(sentTTL)) {
		t.Fatalf("sent marker expires %s, want %s", exp, now.Add(sentTTL))
	}
}

// Re-run safety: with a thousand deadlines over many officers (more messages than one chunk), a second run the
// same day, and two runs at once, send nothing twice; every address has exactly one digest; the next working day
// sends again.
func TestRerunTheSameDaySendsNothing(t *testing.T) {
	var ds []casefile.Deadline
	box := Mailboxes{"complaints-officer": "complaints@council.example", "complaints-manager": "managers@council.example"}
	for i := range 1000 {
		d := dl(fmt.Sprintf("d%d", i), []string{"2026-11-20", "2026-11-27", "2026-11-30"}[i%3], fmt.Sprintf("officer%03d@council.example", i%300), casefile.Officer)
		d.CaseRef = fmt.Sprintf("CMP-%04d", i)
		ds = append(ds, d)
	}
	resident := dl("emergency-two-weeks-left", "2026-11-27", "", casefile.Resident)
	resident.CaseKind, resident.CaseRef = casefile.Application, "HR-1"
	ds = append(ds, resident)
	now, q, claims := time.Date(2026, 11, 27, 7, 0, 1, 0, time.UTC), &memQueue{}, newClaims()
	r := memRunner(&now, q, claims, ds...)
	r.Mailboxes = box
	r.Contacts = memContacts{{casefile.Application, "HR-1"}: {Name: "Jo", Email: "jo@example.org"}}

	var wg sync.WaitGroup
	sums := make([]Summary, 2)
	for i := range sums { // two deliveries of the schedule at once
		wg.Go(func() {
			var err error
			if sums[i], err = r.Run(context.Background(), testsupport.ReminderSchedule(t, "")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	// 300 officers and the managers' mailbox, and the resident
	if got := sums[0].Sent + sums[1].Sent; got != 302 || sums[0].Digests+sums[1].Digests != 301 || sums[0].ResidentMessages+sums[1].ResidentMessages != 1 {
		t.Fatalf("two concurrent runs sent %d in all: %+v %+v", got, sums[0], sums[1])
	}
	if sums[0].AlreadySent+sums[1].AlreadySent != 302 || sums[0].Reminders != 1000+334+1 {
		t.Fatalf("already sent: %+v %+v", sums[0], sums[1])
	}
	perAddress := map[string]int{}
	for _, m := range q.sent {
		var req notification.Request
		if err := json.Unmarshal(m.Body, &req); err != nil {
			t.Fatal(err)
		}
		perAddress[req.To.Email]++
	}
	if len(perAddress) != 302 {
		t.Fatalf("%d addresses got messages, want 302", len(perAddress))
	}
	for to, n := range perAddress {
		if n != 1 {
			t.Errorf("%s got %d messages", to, n)
		}
	}
	again, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, ""))
	if err != nil || again.Sent != 0 || again.AlreadySent != 302 || len(q.sent) != 302 {
		t.Fatalf("a second run the same day: %+v %v", again, err)
	}
	next, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-11-30"))
	if err != nil || next.Digests != 301 || next.ResidentMessages != 0 {
		t.Fatalf("the next working day: %+v %v", next, err)
	}
}

func TestSampleScheduleEventIsAFridayMorning(t *testing.T) {
	if ev := testsupport.ReminderSchedule(t, ""); workdays.DateOf(ev.Time).String() != "2026-11-27" || ev.Source != "aws.scheduler" {
		t.Fatalf("sample event: %s %s", ev.Source, ev.Time)
	}
}
