package reminders

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/dynamo"
	"github.com/councilhousing/backend/shared/notification"
	"github.com/councilhousing/backend/shared/queue"
	"github.com/councilhousing/backend/shared/workdays"
)

func TestMain(m *testing.M) { emulators.Main(m) }

func setup(t testing.TB) (*emulators.Set, Runner) {
	set := emulators.Shared(t).Fresh(t)
	store := &dynamo.Store{DB: set.DDB, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	pub := &queue.Publisher{SQS: set.SQS, URLs: set.Queues}
	return set, Runner{Store: store, Queues: pub, Mailboxes: boxes}
}

func seed(t testing.TB, r Runner, ds ...casefile.Deadline) {
	writes, err := r.Store.DeadlineWrites(nil, ds)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(writes); i += 100 {
		if err := r.Store.Write(context.Background(), writes[i:min(i+100, len(writes))]); err != nil {
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

func fire(day string) events.EventBridgeEvent {
	t, _ := time.Parse(time.RFC3339, day+"T07:00:00Z")
	return events.EventBridgeEvent{Source: "aws.scheduler", Time: t}
}

func TestRunSendsEachKindOncePerDay(t *testing.T) {
	set, r := setup(t)
	seed(t, r, dl("overdue", "2026-11-25", "handler@council.example", casefile.Officer), dl("today", "2026-11-27", "", casefile.Officer),
		dl("soon", "2026-11-30", "", casefile.Officer), dl("far", "2027-02-01", "", casefile.Officer))
	sum, err := r.Run(context.Background(), fire("2026-11-27"))
	if err != nil || sum.Sent != 4 || sum.OpenDue != 3 {
		t.Fatalf("first run: %+v %v", sum, err)
	}
	got := queued(t, set)
	kinds := map[string]int{}
	for _, m := range got {
		kinds[m.Template]++
	}
	if kinds[notification.ReminderOverdue] != 2 || kinds[notification.ReminderDueToday] != 1 || kinds[notification.ReminderDueSoon] != 1 {
		t.Fatalf("queued: %+v", kinds)
	}
	again, err := r.Run(context.Background(), fire("2026-11-27"))
	if err != nil || again.Sent != 0 || again.AlreadySent != 4 || len(queued(t, set)) != 0 {
		t.Fatalf("second run on the same day sent again: %+v %v", again, err)
	}
	next, _ := r.Run(context.Background(), fire("2026-11-30"))
	if next.Sent == 0 {
		t.Fatalf("the next working day reminds again: %+v", next)
	}
}

func TestRunSkipsBankHolidays(t *testing.T) {
	set, r := setup(t)
	seed(t, r, dl("overdue", "2026-12-20", "", casefile.Officer))
	sum, err := r.Run(context.Background(), fire("2026-12-28")) // Boxing Day substitute
	if err != nil || sum.Skipped == "" || sum.Sent != 0 || len(queued(t, set)) != 0 {
		t.Fatalf("bank holiday: %+v %v", sum, err)
	}
}

// HR-EM: the Emergency-band applicant is told when two weeks of the six remain, once.
func TestRunTellsTheResident(t *testing.T) {
	set, r := setup(t)
	d := casefile.Deadline{CaseKind: casefile.Application, CaseRef: "HR-1", Name: "emergency-two-weeks-left", Due: workdays.MustParseDate("2026-12-21"),
		Audience: casefile.Resident, Rule: "HR-EM", Team: "allocations-officer", Manager: "allocations-officer"}
	seed(t, r, d)
	contact, _ := dynamo.Item(dynamo.CaseKey(casefile.Application, "HR-1"), dynamo.SKContact, map[string]any{"applicant": map[string]any{"email": "jo@example.org", "language": "pl"}}, nil)
	if err := r.Store.Write(context.Background(), []types.TransactWriteItem{r.Store.Put(contact)}); err != nil {
		t.Fatal(err)
	}
	if sum, _ := r.Run(context.Background(), fire("2026-12-18")); sum.Sent != 0 {
		t.Fatalf("too early: %+v", sum)
	}
	sum, _ := r.Run(context.Background(), fire("2026-12-21"))
	got := queued(t, set)
	if sum.Sent != 1 || len(got) != 1 || got[0].To.Email != "jo@example.org" || got[0].To.Language != "pl" || got[0].Template != notification.EmergencyTwoWeeksLeft {
		t.Fatalf("resident reminder: %+v %+v", sum, got)
	}
	if sum, _ := r.Run(context.Background(), fire("2026-12-22")); sum.Sent != 0 {
		t.Fatalf("told twice: %+v", sum)
	}
}

// BenchmarkReminderQuery shows the morning query's cost depends on the deadlines due, not on how many are open:
// 1,000 and then 100,000 open deadlines with the same 20 due.
func BenchmarkReminderQuery(b *testing.B) {
	_, r := setup(b)
	due := workdays.MustParseDate("2026-11-27")
	var ds []casefile.Deadline
	for i := range 20 {
		ds = append(ds, casefile.Deadline{CaseKind: casefile.ASB, CaseRef: fmt.Sprintf("DUE-%02d", i), Name: "acknowledge", Due: due, Team: "asb-officer", Manager: "asb-manager", Audience: casefile.Officer})
	}
	seed(b, r, ds...)
	filled := 20
	consumed := map[int]float64{}
	for _, total := range []int{1000, 100000} {
		fill(b, r, filled, total)
		filled = total
		b.Run(fmt.Sprintf("open=%d", total), func(b *testing.B) {
			var c float64
			for b.Loop() {
				got, cap, err := r.Due(context.Background(), due)
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
func fill(b *testing.B, r Runner, from, total int) {
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
						map[string]types.AttributeValue{"duePk": dynamo.S(catalog.DeadlinesPK), "dueSk": dynamo.S(dynamo.DeadlineSortKey(d))})
					reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
				}
				in := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{r.Store.Cases: reqs}}
				for len(in.RequestItems[r.Store.Cases]) > 0 {
					out, err := r.Store.DB.(*dynamodb.Client).BatchWriteItem(context.Background(), in)
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
