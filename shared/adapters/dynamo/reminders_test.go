package dynamo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/reminders"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
)

// setup gives a runner on a fresh set of the real emulators' tables and queues (DynamoDB Local, the SQS emulator).
func setup(t testing.TB) (*emulators.Set, *dynamo.Store, reminders.Runner) {
	set := emulators.Shared(t).Fresh(t)
	store := &dynamo.Store{DB: set.DDB, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	pub := &queue.Publisher{SQS: set.SQS, URLs: set.Queues}
	return set, store, dynamo.NewReminderRunner(store, pub, boxes)
}

// seed writes open deadlines as the case functions do (dynamo.DeadlineWrites: the item and its index keys).
func seed(t testing.TB, store *dynamo.Store, ds ...casefile.Deadline) {
	writes, err := store.DeadlineWrites(nil, ds)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(writes); i += 100 {
		if err := store.Write(context.Background(), writes[i:min(i+100, len(writes))]); err != nil {
			t.Fatal(err)
		}
	}
}

func queued(t *testing.T, set *emulators.Set) []notification.Request {
	var out []notification.Request
	for {
		res, err := set.SQS.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(set.Queues[catalog.NotificationsQueue]), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Messages) == 0 {
			return out
		}
		for _, m := range res.Messages {
			var req notification.Request
			_ = json.Unmarshal([]byte(aws.ToString(m.Body)), &req)
			out = append(out, req)
			_, _ = set.SQS.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: aws.String(set.Queues[catalog.NotificationsQueue]), ReceiptHandle: m.ReceiptHandle})
		}
	}
}

// Each kind reaches the queue once per day: firing twice on one day sends nothing twice; the next working day
// reminds again.
func TestRunSendsEachKindOncePerDay(t *testing.T) {
	set, store, r := setup(t)
	seed(t, store, dl("overdue", "2026-11-25", "handler@council.example", casefile.Officer), dl("today", "2026-11-27", "", casefile.Officer),
		dl("soon", "2026-11-30", "", casefile.Officer), dl("far", "2027-02-01", "", casefile.Officer))
	sum, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")) // the sample: Friday 27 November 2026
	if err != nil || sum.Sent != 4 || sum.OpenDue != 3 || sum.Today != "2026-11-27" {
		t.Fatalf("first run: %+v %v", sum, err)
	}
	got := map[string]string{}
	for _, m := range queued(t, set) {
		got[m.ID] = m.Template + " -> " + string(m.To.Role) + " " + m.To.Email
	}
	want := map[string]string{
		"complaint#CMP-1#overdue#overdue#2026-11-27":         "reminder-overdue -> officer handler@council.example",
		"complaint#CMP-1#overdue#overdue-manager#2026-11-27": "reminder-overdue -> manager managers@council.example",
		"complaint#CMP-1#today#due-today#2026-11-27":         "reminder-due-today -> team complaints@council.example",
		"complaint#CMP-1#soon#due-soon#2026-11-27":           "reminder-due-soon -> team complaints@council.example",
	}
	if len(got) != len(want) {
		t.Fatalf("queued %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
	again, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-11-27"))
	if err != nil || again.Sent != 0 || again.AlreadySent != 4 || len(queued(t, set)) != 0 {
		t.Fatalf("second run on the same day sent again: %+v %v", again, err)
	}
	next, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-11-30"))
	if err != nil || next.Sent != 5 { // overdue x2 for each of the three, now all past
		t.Fatalf("the next working day reminds again: %+v %v", next, err)
	}
}

// WD-1: a bank holiday sends nothing, and reads nothing.
func TestRunSkipsBankHolidays(t *testing.T) {
	set, store, r := setup(t)
	seed(t, store, dl("overdue", "2026-12-20", "", casefile.Officer))
	sum, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-12-28")) // Boxing Day substitute
	if err != nil || sum.Skipped == "" || sum.Sent != 0 || sum.OpenDue != 0 || len(queued(t, set)) != 0 {
		t.Fatalf("bank holiday: %+v %v", sum, err)
	}
}

// HR-EM: the Emergency-band applicant is told when two weeks of the six remain, once, through the contact held
// in the application's CONTACT item (contact.Details at the top level, as every case kind stores it).
func TestRunTellsTheResident(t *testing.T) {
	set, store, r := setup(t)
	d := casefile.Deadline{CaseKind: casefile.Application, CaseRef: "HR-1", Name: "emergency-two-weeks-left", Due: workdays.MustParseDate("2026-12-21"),
		Audience: casefile.Resident, Rule: "HR-EM", Team: "allocations-officer", Manager: "allocations-officer", Label: "Two weeks of Emergency status remain"}
	anonymous := d
	anonymous.CaseRef = "HR-2" // no CONTACT item at all
	seed(t, store, d, anonymous)
	contact, _ := dynamo.Item(dynamo.CaseKey(casefile.Application, "HR-1"), dynamo.SKContact,
		map[string]any{"name": "Jo", "email": "jo@example.org", "phone": "07700900123", "preferredContact": "sms", "language": "pl"}, nil)
	if err := store.Write(context.Background(), []types.TransactWriteItem{store.Put(contact)}); err != nil {
		t.Fatal(err)
	}
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-12-18")); sum.Sent != 0 {
		t.Fatalf("too early: %+v", sum)
	}
	sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-12-21"))
	got := queued(t, set)
	want := notification.Recipient{Role: notification.Resident, Email: "jo@example.org", Phone: "07700900123", PreferredContact: "sms", Language: "pl"}
	if sum.Sent != 1 || sum.NoContact != 1 || len(got) != 1 || got[0].To != want || got[0].Template != notification.EmergencyTwoWeeksLeft ||
		got[0].ID != "application#HR-1#emergency-two-weeks-left#resident#2026-12-21" || got[0].Personalisation["due"] != "2026-12-21" {
		t.Fatalf("resident reminder: %+v %+v", sum, got)
	}
	if _, ok := got[0].Personalisation["assigned_to"]; ok {
		t.Errorf("staff detail in a resident's text: %v", got[0].Personalisation)
	}
	if sum, _ := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-12-22")); sum.Sent != 0 {
		t.Fatalf("told twice: %+v", sum)
	}
}

// BenchmarkReminderQuery shows the morning query's cost depends on the deadlines due, not on how many are open:
// 1,000 and then 100,000 open deadlines with the same 20 due.
func BenchmarkReminderQuery(b *testing.B) {
	_, store, r := setup(b)
	due := workdays.MustParseDate("2026-11-27")
	var ds []casefile.Deadline
	for i := range 20 {
		ds = append(ds, casefile.Deadline{CaseKind: casefile.ASB, CaseRef: fmt.Sprintf("DUE-%02d", i), Name: "acknowledge", Due: due, Team: "asb-officer", Manager: "asb-manager", Audience: casefile.Officer})
	}
	seed(b, store, ds...)
	filled := 20
	consumed := map[int]float64{}
	for _, total := range []int{1000, 100000} {
		fill(b, store, filled, total)
		filled = total
		b.Run(fmt.Sprintf("open=%d", total), func(b *testing.B) {
			var c float64
			for b.Loop() {
				got, cap, err := r.Deadlines.DueBy(context.Background(), due)
				if err != nil || len(got) != 20 {
					b.Fatalf("due: %d %v", len(got), err)
				}
				c = cap
			}
			consumed[total] = c
			b.ReportMetric(c, "RCU/query")
			fmt.Printf("reminder query with %d open deadlines (20 due): %.1f read capacity units\n", total, c)
		})
	}
	small, large := consumed[1000], consumed[100000]
	if small == 0 || large > small*1.1 || large < small*0.9 {
		b.Fatalf("consumed capacity %.1f at 1,000 and %.1f at 100,000 open deadlines: not within 10%%", small, large)
	}
}

// fill adds open deadlines due far in the future until there are total, with concurrent batch writes.
func fill(b *testing.B, store *dynamo.Store, from, total int) {
	b.Helper()
	var wg sync.WaitGroup
	work := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range work {
				var reqs []types.WriteRequest
				for i := start; i < min(start+25, total); i++ {
					d := casefile.Deadline{CaseKind: casefile.ASB, CaseRef: fmt.Sprintf("FILL-%06d", i), Name: "appointment",
						Due: workdays.MustParseDate("2027-06-01").AddDays(i % 300), Team: "asb-officer", Audience: casefile.Officer}
					item, _ := dynamo.Item(dynamo.CaseKey(d.CaseKind, d.CaseRef), dynamo.SKDeadline+d.Name, d,
						map[string]types.AttributeValue{dynamo.AttrDuePK: dynamo.S(dynamo.DeadlinesPK), dynamo.AttrDueSK: dynamo.S(dynamo.DeadlineSortKey(d))})
					reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
				}
				in := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{store.Cases: reqs}}
				for len(in.RequestItems[store.Cases]) > 0 {
					out, err := store.DB.(*dynamodb.Client).BatchWriteItem(context.Background(), in)
					if err != nil {
						b.Error(err)
						return
					}
					in.RequestItems = out.UnprocessedItems
				}
			}
		}()
	}
	for start := from; start < total; start += 25 {
		work <- start
	}
	close(work)
	wg.Wait()
}

var boxes = reminders.Mailboxes{
	"complaints-officer": "complaints@council.example", "complaints-manager": "managers@council.example",
	"asb-officer": "asb@council.example", "officer-a": "officer.a@council.example",
}

func dl(name, due, owner string, aud casefile.Audience) casefile.Deadline {
	return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: "CMP-1", Name: name, Due: workdays.MustParseDate(due), Owner: owner,
		Team: "complaints-officer", Manager: "complaints-manager", Audience: aud, Rule: "CH-4", Label: "Acknowledge the complaint"}
}
