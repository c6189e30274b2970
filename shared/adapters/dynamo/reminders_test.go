package dynamo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go/middleware"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/govuknotify"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/notificationsender"
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

// seed writes open deadlines as the case functions do (dynamo.DeadlineWrites: the item and its index keys), 25 a
// batch, eight batches at a time.
func seed(t testing.TB, store *dynamo.Store, ds ...casefile.Deadline) {
	t.Helper()
	writes, err := store.DeadlineWrites(nil, ds)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]map[string]types.AttributeValue, len(writes))
	for i, w := range writes {
		items[i] = w.Put.Item
	}
	putAll(t, store, items)
}

// putAll writes items to the cases table with concurrent batch writes.
func putAll(t testing.TB, store *dynamo.Store, items []map[string]types.AttributeValue) {
	t.Helper()
	var wg sync.WaitGroup
	work := make(chan []map[string]types.AttributeValue)
	for range 8 {
		wg.Go(func() {
			for batch := range work {
				var reqs []types.WriteRequest
				for _, it := range batch {
					reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
				}
				in := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{store.Cases: reqs}}
				for len(in.RequestItems[store.Cases]) > 0 {
					out, err := store.DB.(*dynamodb.Client).BatchWriteItem(context.Background(), in)
					if err != nil {
						t.Error(err)
						return
					}
					in.RequestItems = out.UnprocessedItems
				}
			}
		})
	}
	for start := 0; start < len(items); start += 25 {
		work <- items[start:min(start+25, len(items))]
	}
	close(work)
	wg.Wait()
}

func queued(t testing.TB, set *emulators.Set) []notification.Request {
	var out []notification.Request
	url := aws.String(set.Queues[catalog.NotificationsQueue])
	for {
		res, err := set.SQS.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Messages) == 0 {
			return out
		}
		for _, m := range res.Messages {
			var req notification.Request
			if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &req); err != nil {
				t.Fatal(err)
			}
			out = append(out, req)
			_, _ = set.SQS.DeleteMessage(context.Background(), &sqs.DeleteMessageInput{QueueUrl: url, ReceiptHandle: m.ReceiptHandle})
		}
	}
}

// Each address gets one digest a day, whatever it holds: firing twice on one day sends nothing twice; the next
// working day reminds again.
func TestRunSendsOneDigestPerAddressOncePerDay(t *testing.T) {
	set, store, r := setup(t)
	seed(t, store, dl("overdue", "2026-11-25", "handler@council.example", casefile.Officer), dl("today", "2026-11-27", "", casefile.Officer),
		dl("soon", "2026-11-30", "", casefile.Officer), dl("far", "2027-02-01", "", casefile.Officer))
	sum, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "")) // the sample: Friday 27 November 2026
	if err != nil || sum.Sent != 3 || sum.Digests != 3 || sum.Reminders != 4 || sum.OpenDue != 3 || sum.Today != "2026-11-27" {
		t.Fatalf("first run: %+v %v", sum, err)
	}
	got := map[string]string{}
	for _, m := range queued(t, set) {
		p := m.Personalisation
		got[m.To.Email] = fmt.Sprintf("%s %s %s: overdue %s, today %s, soon %s", m.ID, m.Template, m.To.Role, p["overdue_count"], p["due_today_count"], p["due_soon_count"])
		if m.Digest == nil || m.Digest.Day != "2026-11-27" || m.CaseRef != "" {
			t.Errorf("%s: not a digest: %+v", m.ID, m)
		}
	}
	id := func(address string) string { return "digest#2026-11-27#" + reminders.RecipientKey(address) }
	want := map[string]string{
		"handler@council.example":    id("handler@council.example") + " reminder-digest officer: overdue 1, today 0, soon 0",
		"managers@council.example":   id("managers@council.example") + " reminder-digest manager: overdue 1, today 0, soon 0",
		"complaints@council.example": id("complaints@council.example") + " reminder-digest team: overdue 0, today 1, soon 1",
	}
	if len(got) != len(want) {
		t.Fatalf("queued %v, want %v", got, want)
	}
	for to, w := range want {
		if got[to] != w {
			t.Errorf("%s: %q, want %q", to, got[to], w)
		}
	}
	again, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-11-27"))
	if err != nil || again.Sent != 0 || again.AlreadySent != 3 || len(queued(t, set)) != 0 {
		t.Fatalf("second run on the same day sent again: %+v %v", again, err)
	}
	next, err := r.Run(context.Background(), testsupport.ReminderSchedule(t, "2026-11-30"))
	if err != nil || next.Digests != 3 || next.Reminders != 5 { // overdue x2 for the two now past, and the one due today
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
	if sum.Sent != 1 || sum.ResidentMessages != 1 || sum.NoContact != 1 || len(got) != 1 || got[0].To != want || got[0].Template != notification.EmergencyTwoWeeksLeft ||
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

// The deadlines index is sharded: deadlines spread over the shards, and DueBy reads them all, in due-date order,
// by key condition only.
func TestDueByReadsEveryShard(t *testing.T) {
	_, store, r := setup(t)
	var ds []casefile.Deadline
	for i := range 200 {
		d := dl(fmt.Sprintf("action:%d", i), workdays.MustParseDate("2026-11-20").AddDays(i%20).String(), "", casefile.Officer)
		d.CaseRef = fmt.Sprintf("CMP-%03d", i%37)
		ds = append(ds, d)
	}
	seed(t, store, ds...)
	perShard := map[string]int{}
	for _, d := range ds {
		perShard[dynamo.DeadlinePK(d)]++
	}
	if len(perShard) != dynamo.DeadlineShards {
		t.Errorf("200 deadlines in %d shards: %v", len(perShard), perShard)
	}
	for shard, n := range perShard {
		if n < 10 || n > 45 {
			t.Errorf("shard %s has %d of 200: %v", shard, n, perShard)
		}
	}
	until := workdays.MustParseDate("2026-11-30")
	got, consumed, err := r.Deadlines.DueBy(context.Background(), until)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, d := range ds {
		if !d.Due.After(until) {
			want = append(want, dynamo.DeadlineSortKey(d))
		}
	}
	sort.Strings(want)
	var keys []string
	for _, d := range got {
		keys = append(keys, dynamo.DeadlineSortKey(d))
	}
	if !slices.Equal(keys, want) || consumed < float64(dynamo.DeadlineShards)*0.5 {
		t.Fatalf("DueBy: %d deadlines (%.1f RCU), want %d in order", len(keys), consumed, len(want))
	}
}

// hideHeld makes the claims' first read see nothing, as if a concurrent run claimed everything just after it: the
// transaction's conditions must still stop the claims of held keys.
type hideHeld struct{ *dynamodb.Client }

func (h hideHeld) BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	return &dynamodb.BatchGetItemOutput{}, nil
}

func TestClaimsInBatches(t *testing.T) {
	_, store, _ := setup(t)
	claims := dynamo.ReminderTables{Store: store}
	ctx, now := context.Background(), time.Now()
	var keys []string
	for i := range 250 {
		keys = append(keys, fmt.Sprintf("reminder#test#%03d", i))
	}
	got, err := claims.Claim(ctx, keys, time.Minute, now)
	if err != nil || len(got) != 250 {
		t.Fatalf("first claim: %d %v", len(got), err)
	}
	if err := claims.Keep(ctx, keys[:200], time.Hour, now); err != nil {
		t.Fatal(err)
	}
	if err := claims.Release(ctx, keys[200:210]); err != nil {
		t.Fatal(err)
	}
	if got, err := claims.Claim(ctx, keys, time.Minute, now); err != nil || !slices.Equal(got, keys[200:210]) {
		t.Fatalf("claim again: %v %v, want the ten released", got, err)
	}
	// the leases (not kept) run out; the kept ones hold
	if got, err := claims.Claim(ctx, keys, time.Minute, now.Add(2*time.Minute)); err != nil || len(got) != 50 {
		t.Fatalf("after the leases: %d %v", len(got), err)
	}
	raced := *store
	raced.DB = hideHeld{store.DB.(*dynamodb.Client)}
	extra := append(slices.Clone(keys[:150]), "reminder#test#new-1", "reminder#test#new-2")
	if got, err := (dynamo.ReminderTables{Store: &raced}).Claim(ctx, extra, time.Minute, now); err != nil || !slices.Equal(got, []string{"reminder#test#new-1", "reminder#test#new-2"}) {
		t.Fatalf("claims the race lost: %v %v", got, err)
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
		var fill []casefile.Deadline
		for i := filled; i < total; i++ {
			fill = append(fill, casefile.Deadline{CaseKind: casefile.ASB, CaseRef: fmt.Sprintf("FILL-%06d", i), Name: "appointment",
				Due: workdays.MustParseDate("2027-06-01").AddDays(i % 300), Team: "asb-officer", Audience: casefile.Officer})
		}
		seed(b, store, fill...)
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
			fmt.Printf("reminder query with %d open deadlines (20 due), %d shards in parallel: %.1f read capacity units\n", total, dynamo.DeadlineShards, c)
		})
	}
	small, large := consumed[1000], consumed[100000]
	if small == 0 || large > small*1.1 || large < small*0.9 {
		b.Fatalf("consumed capacity %.1f at 1,000 and %.1f at 100,000 open deadlines: not within 10%%", small, large)
	}
}

// requests counts the requests a client sends (each attempt), by operation.
type requests struct {
	mu   sync.Mutex
	byOp map[string]int
}

func (r *requests) option(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("countRequests",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			r.mu.Lock()
			r.byOp[awsmiddleware.GetOperationName(ctx)]++
			r.mu.Unlock()
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}

// take returns the count so far and starts again.
func (r *requests) take() (total int, byOp map[string]int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	byOp, r.byOp = r.byOp, map[string]int{}
	for _, n := range byOp {
		total += n
	}
	return total, byOp
}

func newRequests() *requests { return &requests{byOp: map[string]int{}} }

func ops(byOp map[string]int) string {
	var parts []string
	for op, n := range byOp {
		parts = append(parts, fmt.Sprintf("%s %d", op, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// notifyStandIn answers like GOV.UK Notify and counts what each address was sent.
type notifyStandIn struct {
	mu  sync.Mutex
	got map[string]int // address -> messages
	srv *httptest.Server
}

func newNotify(b *testing.B) *notifyStandIn {
	n := &notifyStandIn{got: map[string]int{}}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		to, _ := body["email_address"].(string)
		if to == "" {
			to, _ = body["phone_number"].(string)
		}
		ref, _ := body["reference"].(string)
		n.mu.Lock()
		n.got[to]++
		n.mu.Unlock()
		w.WriteHeader(201)
		_, _ = w.Write([]byte(`{"id":"notify-1","reference":"` + ref + `","content":{},"uri":"u","template":{"id":"t","version":1,"uri":"u"}}`))
	}))
	b.Cleanup(n.srv.Close)
	return n
}

func (n *notifyStandIn) take() map[string]int {
	n.mu.Lock()
	defer n.mu.Unlock()
	got := n.got
	n.got = map[string]int{}
	return got
}

// benchCouncil is the benchmark's council: 20,000 open deadlines due by Monday 30 November 2026 (half overdue,
// a quarter due on Friday 27th, a quarter on Monday 30th) over ASB cases, complaints and applications; 200
// officers known by id in the mailboxes and 40 by email address as owner, a tenth unassigned (to the team
// mailboxes); and 550 Emergency-band applicants owed their two-weeks-left message on the 27th, 500 with a contact.
func benchCouncil() (ds []casefile.Deadline, boxes reminders.Mailboxes, contacts []map[string]any) {
	boxes = reminders.Mailboxes{
		"asb-officer": "asb-team@council.example", "asb-manager": "asb-managers@council.example",
		"complaints-officer": "complaints@council.example", "complaints-manager": "complaints-managers@council.example",
		"allocations-officer": "allocations@council.example",
	}
	for i := range 200 {
		boxes[fmt.Sprintf("officer-%03d", i)] = fmt.Sprintf("officer%03d@council.example", i)
	}
	kinds := []struct {
		kind                casefile.Kind
		prefix, team, manag string
		rule, label         string
	}{
		{casefile.ASB, "ASB", "asb-officer", "asb-manager", "ASB-4", "Acknowledge the report"},
		{casefile.ASB, "ASB", "asb-officer", "asb-manager", "ASB-5", "Hold the first appointment"},
		{casefile.Complaint, "CMP", "complaints-officer", "complaints-manager", "CH-4", "Acknowledge the complaint"},
		{casefile.Application, "HR", "allocations-officer", "allocations-officer", "HR-V", "Verify the application"},
	}
	friday := workdays.MustParseDate("2026-11-27")
	const residents, withContact = 550, 500
	for i := range 20000 - residents {
		k := kinds[i%len(kinds)]
		var due workdays.Date
		switch i % 4 {
		case 0, 1:
			due = friday.AddDays(-1 - i%40) // overdue by up to 40 days
		case 2:
			due = friday
		default:
			due = friday.AddDays(3)
		}
		owner := ""
		switch {
		case i%10 == 9:
		case i%7 == 0:
			owner = fmt.Sprintf("officer%03d.direct@council.example", i%40)
		default:
			owner = fmt.Sprintf("officer-%03d", i%200)
		}
		ds = append(ds, casefile.Deadline{CaseKind: k.kind, CaseRef: fmt.Sprintf("%s-B%06d", k.prefix, i/2), Name: fmt.Sprintf("%s-%d", strings.ToLower(k.rule), i%2),
			Due: due, Rule: k.rule, Owner: owner, Team: k.team, Manager: k.manag, Audience: casefile.Officer, Label: k.label})
	}
	for i := range residents {
		ref := fmt.Sprintf("HR-E%05d", i)
		ds = append(ds, casefile.Deadline{CaseKind: casefile.Application, CaseRef: ref, Name: "emergency-two-weeks-left", Due: friday, Rule: "HR-EM",
			Team: "allocations-officer", Manager: "allocations-officer", Audience: casefile.Resident, Label: "Two weeks of Emergency status remain"})
		if i < withContact {
			contacts = append(contacts, map[string]any{"pk": dynamo.CaseKey(casefile.Application, ref), "sk": dynamo.SKContact,
				"name": "Resident", "email": fmt.Sprintf("resident%05d@example.org", i), "preferredContact": "email"})
		}
	}
	return ds, boxes, contacts
}

// expectedRecipients works out, independently of the reminders package, who must get a message on a day: the
// staff address holding each deadline due by the next working day, and the manager's when it is overdue; each
// resident with a contact whose message falls due that day.
func expectedRecipients(ds []casefile.Deadline, boxes reminders.Mailboxes, contacts []map[string]any, today workdays.Date) map[string]bool {
	until := workdays.NextWorkingDay(today)
	since := today.AddDays(-1)
	for !workdays.IsWorkingDay(since) {
		since = since.AddDays(-1)
	}
	address := map[string]string{}
	for _, c := range contacts {
		address[c["pk"].(string)] = c["email"].(string)
	}
	want := map[string]bool{}
	for _, d := range ds {
		switch {
		case d.Due.After(until):
		case d.Audience == casefile.Resident:
			if a := address[dynamo.CaseKey(d.CaseKind, d.CaseRef)]; a != "" && d.Due.After(since) && !d.Due.After(today) {
				want[a] = true
			}
		default:
			switch {
			case strings.Contains(d.Owner, "@"):
				want[strings.ToLower(d.Owner)] = true
			case boxes[d.Owner] != "":
				want[boxes[d.Owner]] = true
			default:
				want[boxes[d.Team]] = true
			}
			if d.Due.Before(today) {
				want[boxes[d.Manager]] = true
			}
		}
	}
	return want
}

// BenchmarkReminderRun is issue 10's reminder run: 20,000 deadlines due, against DynamoDB Local and the SQS
// emulator, then the notifier delivering what the run queued (to a Notify stand-in). Each iteration is the next
// working day's run (the first with the residents' messages; on later days everything is overdue). It prints the
// run's requests per reminder, its DynamoDB and SQS requests, its time, and the digests and messages sent, and
// fails unless every recipient gets exactly one message and a second run the same day sends nothing.
func BenchmarkReminderRun(b *testing.B) {
	set := emulators.Shared(b).Fresh(b)
	ddbCount, sqsCount, notifierCount := newRequests(), newRequests(), newRequests()
	counted := func(c *requests) *dynamodb.Client {
		return dynamodb.New(set.DDB.Options(), func(o *dynamodb.Options) { o.APIOptions = append(slices.Clone(o.APIOptions), c.option) })
	}
	tables := func(db dynamo.API) *dynamo.Store {
		return &dynamo.Store{DB: db, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	}
	ds, council, contacts := benchCouncil()
	seed(b, tables(set.DDB), ds...)
	var contactItems []map[string]types.AttributeValue
	for _, c := range contacts {
		it, err := dynamo.Marshal(c)
		if err != nil {
			b.Fatal(err)
		}
		contactItems = append(contactItems, it)
	}
	putAll(b, tables(set.DDB), contactItems)

	sqsClient := sqs.New(set.SQS.Options(), func(o *sqs.Options) { o.APIOptions = append(slices.Clone(o.APIOptions), sqsCount.option) })
	runner := dynamo.NewReminderRunner(tables(counted(ddbCount)), &queue.Publisher{SQS: sqsClient, URLs: set.Queues}, council)
	notify := newNotify(b)
	client, err := govuknotify.New(notify.srv.URL, catalog.LocalNotifyAPIKey)
	if err != nil {
		b.Fatal(err)
	}
	notifier := notificationsender.Notifier{Records: dynamo.NotificationRecords{Store: tables(counted(notifierCount))}, Notify: govuknotify.Sender{Client: client},
		Templates: map[string]string{}}
	timeout := time.Duration(catalog.MustFunction("deadline-reminders").TimeoutSec) * time.Second

	type row struct {
		day                                  string
		due, reminders, digests, residents   int
		run                                  time.Duration
		ddb, sqs                             int
		ddbOps, sqsOps                       string
		notifierPerMessage                   float64
		notifierDDB                          int
		againSent, againDDB, againSQS, items int
		largest, bytes                       int
	}
	var rows []row
	day := workdays.MustParseDate("2026-11-27")
	for b.Loop() {
		ev := testsupport.ReminderSchedule(b, day.String())
		ddbCount.take()
		sqsCount.take()
		start := time.Now()
		sum, err := runner.Run(context.Background(), ev)
		elapsed := time.Since(start)
		if err != nil {
			b.Fatalf("%s: %v", day, err)
		}
		b.StopTimer()
		ddb, ddbOps := ddbCount.take()
		sq, sqsOps := sqsCount.take()
		r := row{day: day.String(), due: sum.OpenDue, reminders: sum.Reminders, digests: sum.Digests, residents: sum.ResidentMessages, run: elapsed,
			ddb: ddb, sqs: sq, ddbOps: ops(ddbOps), sqsOps: ops(sqsOps)}
		if sum.OpenDue != len(ds) {
			b.Fatalf("%s: %d deadlines due, want %d", day, sum.OpenDue, len(ds))
		}
		if elapsed > timeout {
			b.Fatalf("%s: the run took %s, over the function's timeout of %s", day, elapsed, timeout)
		}

		// the notifier delivers what was queued, as its SQS trigger would
		msgs := queued(b, set)
		notifierCount.take()
		var wg sync.WaitGroup
		work := make(chan notification.Request)
		for range 8 {
			wg.Go(func() {
				for req := range work {
					body, _ := json.Marshal(req)
					if err := notifier.Deliver(context.Background(), body, req.RequestedAt); err != nil {
						b.Errorf("deliver %s: %v", req.ID, err)
					}
				}
			})
		}
		for _, m := range msgs {
			if m.Digest != nil {
				for _, section := range []string{"overdue", "due_today", "due_soon"} {
					if text := m.Personalisation[section]; text != "None" {
						r.items += strings.Count(text, "\n") + 1
					}
				}
			}
			body, _ := json.Marshal(m)
			r.largest, r.bytes = max(r.largest, len(body)), r.bytes+len(body)
			work <- m
		}
		close(work)
		wg.Wait()
		r.notifierDDB, _ = notifierCount.take()
		r.notifierPerMessage = float64(r.notifierDDB) / float64(max(1, len(msgs)))

		// every recipient exactly one message
		got := notify.take()
		want := expectedRecipients(ds, council, contacts, day)
		for to, n := range got {
			if n != 1 || !want[strings.ToLower(to)] {
				b.Errorf("%s: %s got %d messages (expected a recipient: %v)", day, to, n, want[strings.ToLower(to)])
			}
		}
		for to := range want {
			if got[to] == 0 {
				b.Errorf("%s: %s got nothing", day, to)
			}
		}
		if len(msgs) != len(want) || sum.Sent != len(want) {
			b.Errorf("%s: %d queued, %d sent, want one each for %d recipients", day, len(msgs), sum.Sent, len(want))
		}
		if b.Failed() {
			b.FailNow()
		}

		// a second run the same day sends nothing
		again, err := runner.Run(context.Background(), ev)
		if err != nil || again.Sent != 0 || again.AlreadySent != sum.Sent {
			b.Fatalf("%s: second run: %+v %v", day, again, err)
		}
		r.againSent = len(queued(b, set))
		r.againDDB, _ = ddbCount.take()
		r.againSQS, _ = sqsCount.take()
		if r.againSent != 0 || len(notify.take()) != 0 {
			b.Fatalf("%s: a second run the same day queued %d messages", day, r.againSent)
		}
		rows = append(rows, r)
		day = workdays.NextWorkingDay(day)
		b.StartTimer()
	}

	last := rows[len(rows)-1]
	b.ReportMetric(float64(last.ddb+last.sqs)/float64(last.reminders), "requests/reminder")
	b.ReportMetric(last.run.Seconds(), "run-s")
	fmt.Printf("\nreminder run, %d deadlines due (DynamoDB Local and the SQS emulator; the function's timeout is %s):\n", len(ds), timeout)
	fmt.Printf("%-10s %6s %9s %7s %9s %6s %8s %5s %10s %11s %12s %13s %16s\n", "day", "due", "reminders", "digests", "residents", "run", "DynamoDB", "SQS",
		"req/remind", "req/message", "notifier/msg", "with notifier", "2nd run sent")
	for _, r := range rows {
		msgs := r.digests + r.residents
		fmt.Printf("%-10s %6d %9d %7d %9d %5.1fs %8d %5d %10.4f %11.2f %12.2f %13.4f %6d (%d+%d req)\n", r.day, r.due, r.reminders, r.digests, r.residents,
			r.run.Seconds(), r.ddb, r.sqs, float64(r.ddb+r.sqs)/float64(r.reminders), float64(r.ddb+r.sqs)/float64(msgs), r.notifierPerMessage,
			float64(r.ddb+r.sqs+r.notifierDDB)/float64(r.reminders), r.againSent, r.againDDB, r.againSQS)
	}
	fmt.Println("  req/remind: the run's DynamoDB and SQS requests per reminder (a digest line or a resident's message); req/message: per message queued;")
	fmt.Println("  notifier/msg: the notifier's DynamoDB requests per message; with notifier: the run's and the notifier's requests per reminder")
	fmt.Printf("  requests of the run on %s: DynamoDB %s; SQS %s\n", last.day, last.ddbOps, last.sqsOps)
	fmt.Printf("  messages on %s: %d lines listed in the digests, %.1f KB queued in all, the largest %.1f KB\n", last.day, last.items,
		float64(last.bytes)/1024, float64(last.largest)/1024)
}

var boxes = reminders.Mailboxes{
	"complaints-officer": "complaints@council.example", "complaints-manager": "managers@council.example",
	"asb-officer": "asb@council.example", "officer-a": "officer.a@council.example",
}

func dl(name, due, owner string, aud casefile.Audience) casefile.Deadline {
	return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: "CMP-1", Name: name, Due: workdays.MustParseDate(due), Owner: owner,
		Team: "complaints-officer", Manager: "complaints-manager", Audience: aud, Rule: "CH-4", Label: "Acknowledge the complaint"}
}
