package hostile_test

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

func reflectType(v any) reflect.Type { return reflect.TypeOf(v) }

// scan reads a whole table.
func (r *run) scan(t *testing.T, table string) []map[string]types.AttributeValue {
	t.Helper()
	var items []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(r.c.DynamoClient(), &dynamodb.ScanInput{TableName: aws.String(r.c.Resources.Tables[table]), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		items = append(items, page.Items...)
	}
	return items
}

func s(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// queued is how many messages a queue holds, visible or in flight.
func (r *run) queued(t *testing.T, url string) int {
	t.Helper()
	out, err := r.c.SQSClient().GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages,
			sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible, sqstypes.QueueAttributeNameApproximateNumberOfMessagesDelayed}})
	if err != nil {
		t.Fatalf("queue attributes of %s: %v", url, err)
	}
	n := 0
	for _, v := range out.Attributes {
		i, _ := strconv.Atoi(v)
		n += i
	}
	return n
}

// settled says whether everything the run set going has finished: the queues that have a consumer are empty,
// the outbox holds nothing, no notification is being sent, and every queued out-of-hours call is a case.
func (r *run) settled(t *testing.T) (bool, string) {
	t.Helper()
	for _, q := range catalog.System().Queues {
		if _, consumed := catalog.System().Consumer(q.Name); consumed {
			if n := r.queued(t, r.c.Resources.Queues[q.Name]); n > 0 {
				return false, fmt.Sprintf("%d messages on %s", n, q.Name)
			}
		}
	}
	calls := 0
	for _, it := range r.scan(t, catalog.CasesTable) {
		pk, sk := s(it, "pk"), s(it, "sk")
		switch {
		case dynamo.IsOutboxKey(pk):
			return false, "the outbox holds " + sk
		case strings.HasPrefix(sk, dynamo.SKLease):
			return false, "a notification is being sent: " + pk + " " + sk
		case strings.HasPrefix(pk, dynamo.OnceKey(asbcases.OutOfHoursCall, "")):
			calls++ // a recorded call: a case of its own, or a further report of an open case (ASB-9)
		}
	}
	r.mu.Lock()
	want := len(r.calls)
	r.mu.Unlock()
	if calls < want {
		return false, fmt.Sprintf("%d of %d queued out-of-hours calls are recorded", calls, want)
	}
	return true, ""
}

// eventKey is a timeline entry written by a change: EVENT#<time>#<version>#<n> (notes the notifier adds are
// EVENT#<time>#note#<id>).
var eventKey = regexp.MustCompile(`^EVENT#.+#(\d{6})#\d{2}$`)

// checkStorage: nothing half-written. After the run (and what it set going) has settled, the cases table holds
// exactly the records the 2xx answers created, each whole: its case item, its contact (unless anonymous), a
// timeline with one change for each version the case is at, and one version for each 2xx change; nothing
// else but once-only keys of existing cases; nothing in the outbox or dead-letter queues.
func (r *run) checkStorage(t *testing.T) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		ok, why := r.settled(t)
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("not settled after 60 s: %s", why)
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, q := range catalog.System().Queues {
		if n := r.queued(t, r.c.Resources.DLQs[q.Name]); n > 0 {
			t.Errorf("%d messages went to %s's dead-letter queue: accepted, then lost", n, q.Name)
		}
	}

	type record struct {
		pk                      string
		hasCase, hasContact     bool
		anonymous               bool
		version                 int
		callID                  string
		versions                map[int]bool
		notes, deadlines, other int
		lists                   int
		hasListAll              bool
	}
	records := map[string]*record{} // by reference
	byPK := map[string]*record{}
	var onceRefs []string
	notified := map[string]string{} // a notification's NOTIFIED# partition -> the record it is written to
	for _, it := range r.scan(t, catalog.CasesTable) {
		pk, sk := s(it, "pk"), s(it, "sk")
		if strings.HasPrefix(pk, "ONCE#") {
			onceRefs = append(onceRefs, pk+" -> "+s(it, "reference"))
			continue
		}
		if strings.HasPrefix(pk, dynamo.PKNotified) {
			// where a notification sent about a case is recorded, for GOV.UK Notify's delivery receipts; no receipt
			// is posted in this run (the receipts route's example names no notification of ours)
			if sk != dynamo.SKNotified {
				t.Errorf("a delivery receipt was recorded: %s %s", pk, sk)
			}
			notified[pk] = s(it, "record")
			continue
		}
		if strings.HasPrefix(pk, dynamo.PKRetention) || strings.HasPrefix(pk, dynamo.PKRetentionRun) {
			continue // the retention job's place in its lists and its runs' records (no case; a scheduled run may write them)
		}
		if strings.HasPrefix(pk, dynamo.PKComplaintsReport) {
			// a year's self-assessment for the complaints annual report (source 004 §8.1), apart from any case
			if sk != dynamo.SKSelfAssessment {
				t.Errorf("a complaints report item of no known shape: %s %s", pk, sk)
			}
			continue
		}
		kind, ref, ok := strings.Cut(pk, "#")
		if !ok || ref == "" || strings.ToUpper(kind) != kind {
			t.Errorf("an item outside any case: pk %q sk %q", pk, sk)
			continue
		}
		rec := byPK[pk]
		if rec == nil {
			rec = &record{pk: pk, versions: map[int]bool{}}
			byPK[pk] = rec
			if records[ref] != nil {
				t.Errorf("reference %s is stored under two kinds: %s and %s", ref, records[ref].pk, pk)
			}
			records[ref] = rec
		}
		switch {
		case sk == dynamo.SKCase:
			rec.hasCase = true
			var env struct {
				Version int `dynamodbav:"version"`
				Data    struct {
					Anonymous bool   `dynamodbav:"anonymous"`
					CallID    string `dynamodbav:"callId"`
				} `dynamodbav:"data"`
			}
			if err := attributevalue.UnmarshalMap(it, &env); err != nil {
				t.Errorf("case item of %s: %v", pk, err)
			}
			rec.version, rec.anonymous, rec.callID = env.Version, env.Data.Anonymous, env.Data.CallID
			if _, erased := it[dynamo.AttrAnonymised]; erased {
				rec.anonymous = true // anonymised (retention or erasure): its contact is gone by design
			}
		case sk == dynamo.SKContact:
			rec.hasContact = true
		case strings.HasPrefix(sk, dynamo.SKEvent):
			if m := eventKey.FindStringSubmatch(sk); m != nil {
				v, _ := strconv.Atoi(m[1])
				rec.versions[v] = true
			} else {
				rec.notes++
			}
		case strings.HasPrefix(sk, dynamo.SKDeadline):
			rec.deadlines++
		case strings.HasPrefix(sk, dynamo.SKList):
			rec.lists++
			if !strings.HasSuffix(s(it, dynamo.AttrListPK), "#"+dynamo.ShardOf(ref)) || it["summary"] == nil {
				t.Errorf("%s has a list entry %q off its shard or without its summary", pk, sk)
			}
			if sk == dynamo.SKList+"all" {
				rec.hasListAll = true
			}
		case strings.HasPrefix(sk, dynamo.SKFind):
			// a lookup item (find by postcode or phone): its keys and nothing else, so no personal text
			for name := range it {
				if name != "pk" && name != "sk" && name != dynamo.AttrContactPK && name != dynamo.AttrContactSK {
					t.Errorf("%s's lookup item %q holds %q besides its keys", pk, sk, name)
				}
			}
		case strings.HasPrefix(sk, dynamo.SKMatch), strings.HasPrefix(sk, dynamo.SKItem), strings.HasPrefix(sk, dynamo.SKSubject):
			// an open ASB case's match entries, and a case's items of their own (further reports, ASB-9), and an
			// ASB case's subject entries (persons reported, by key)
		default:
			rec.other++
			t.Errorf("%s holds an item of no known shape: %q", pk, sk)
		}
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	created := map[string]bool{}
	calls := map[string]bool{}
	for fn, refs := range r.created {
		for ref := range refs {
			created[ref] = true
			if records[ref] == nil {
				t.Errorf("%s answered 2xx with reference %s, which is not stored", fn, ref)
			}
		}
	}
	// an out-of-hours call that joined an open case of the same problem (ASB-9) is recorded by its once-only key
	// on that case, one change of it
	joinedCalls := map[string]int{}
	for _, once := range onceRefs {
		key, ref, _ := strings.Cut(once, " -> ")
		id := strings.TrimPrefix(key, dynamo.OnceKey(asbcases.OutOfHoursCall, ""))
		if rec := records[ref]; rec != nil && r.calls[id] && rec.callID != id {
			joinedCalls[ref]++
			calls[id] = true
		}
	}
	for ref, rec := range records {
		switch {
		case !rec.hasCase:
			t.Errorf("%s has items but no case item (half-written or orphaned): %d events, %d deadlines, %d list entries", rec.pk, len(rec.versions)+rec.notes, rec.deadlines, rec.lists)
			continue
		case !rec.hasListAll:
			t.Errorf("%s is in no list: it has no unfiltered list entry", rec.pk)
		case created[ref]:
		case rec.callID != "" && r.calls[rec.callID]:
			calls[rec.callID] = true
		default:
			t.Errorf("%s is stored, but no 2xx answer created it (call id %q)", rec.pk, rec.callID)
		}
		// a subject access request keeps its requester's identifiers in the request itself: it has no contact item
		if !rec.hasContact && !rec.anonymous && !strings.HasPrefix(rec.pk, dynamo.KindKey(casefile.SubjectAccess)+"#") {
			t.Errorf("%s has no contact item", rec.pk)
		}
		want := 1 + r.changes[ref] + joinedCalls[ref]
		if rec.version != want {
			t.Errorf("%s is at version %d, but 1 + %d changes answered 2xx (+ %d calls joined it)", rec.pk, rec.version, r.changes[ref], joinedCalls[ref])
		}
		var versions []int
		for v := range rec.versions {
			versions = append(versions, v)
		}
		sort.Ints(versions)
		if len(versions) != rec.version || len(versions) > 0 && (versions[0] != 1 || versions[len(versions)-1] != rec.version) {
			t.Errorf("%s is at version %d but its timeline has the changes of versions %v", rec.pk, rec.version, versions)
		}
	}
	for id := range r.calls {
		if !calls[id] {
			t.Errorf("out-of-hours call %q was queued (202) but is not a case", id)
		}
	}
	for pk, record := range notified {
		if byPK[record] == nil || !byPK[record].hasCase {
			t.Errorf("%s keeps a notification recorded on %q, which is no stored case", pk, record)
		}
	}
	for _, once := range onceRefs {
		_, ref, _ := strings.Cut(once, " -> ")
		if records[ref] == nil {
			t.Errorf("once-only key of no case: %s", once)
		}
	}

	// the idempotency table: one answer per Idempotency-Key a 2xx create used, one claim per webhook id accepted
	answers, claims := 0, map[string]bool{}
	for _, it := range r.scan(t, catalog.IdempotencyTable) {
		pk := s(it, "pk")
		switch {
		case strings.HasPrefix(pk, "idem#"):
			answers++
		case strings.HasPrefix(pk, "webhook#"):
			claims[pk] = true
		}
	}
	if answers != len(r.idemKeys) {
		t.Errorf("%d idempotent answers stored, but %d Idempotency-Keys were answered 2xx", answers, len(r.idemKeys))
	}
	var unclaimed []string
	for id := range r.webhooks {
		if !claims["webhook#ooh#"+id] {
			unclaimed = append(unclaimed, id)
		}
	}
	if len(claims) != len(r.webhooks) || len(unclaimed) > 0 {
		t.Errorf("%d webhook ids claimed, %d answered 202; not claimed: %q", len(claims), len(r.webhooks), unclaimed)
	}
	t.Logf("cases table: %d records (%d out-of-hours calls), %d once-only keys; %d idempotent answers, %d webhook claims",
		len(records), len(calls), len(onceRefs), answers, len(claims))
}

// checkLogs: no function logged an error or a panic for anything the run sent.
func (r *run) checkLogs(t *testing.T) {
	r.logMu.Lock()
	defer r.logMu.Unlock()
	var bad []string
	for _, l := range r.logs {
		if strings.Contains(l, `"level":"ERROR"`) || strings.Contains(l, "level=ERROR") || strings.Contains(l, "panic") {
			bad = append(bad, l)
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d error lines in the functions' logs, e.g.:\n%s", len(bad), strings.Join(bad[:min(len(bad), 20)], "\n"))
	}
}
