package asbapi_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/asbapi"
)

// countingDB is the DynamoDB client with a count of the requests made through it, by operation, and a once-only
// key whose transaction fails as if DynamoDB were unavailable for that call.
type countingDB struct {
	*dynamodb.Client
	down string // pk of a once-only key

	mu     sync.Mutex
	counts map[string]int
}

func (c *countingDB) count(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[op]++
}

// take returns the counts so far and starts again from zero.
func (c *countingDB) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.counts
	c.counts = map[string]int{}
	return out
}

func (c *countingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.count("GetItem")
	return c.Client.GetItem(ctx, in, o...)
}

func (c *countingDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.count("PutItem")
	return c.Client.PutItem(ctx, in, o...)
}

func (c *countingDB) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.count("Query")
	return c.Client.Query(ctx, in, o...)
}

func (c *countingDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.count("DeleteItem")
	return c.Client.DeleteItem(ctx, in, o...)
}

func (c *countingDB) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	c.count("BatchWriteItem")
	return c.Client.BatchWriteItem(ctx, in, o...)
}

func (c *countingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.count("TransactWriteItems")
	for _, it := range in.TransactItems {
		if it.Put != nil && c.down != "" {
			if pk, _ := it.Put.Item["pk"].(*types.AttributeValueMemberS); pk != nil && pk.Value == c.down {
				return nil, errors.New("DynamoDB unavailable")
			}
		}
	}
	return c.Client.TransactWriteItems(ctx, in, o...)
}

func total(counts map[string]int) int {
	n := 0
	for _, v := range counts {
		n += v
	}
	return n
}

func show(counts map[string]int) string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf("%s %d", op, counts[op]))
	}
	return fmt.Sprintf("%d (%s)", total(counts), strings.Join(parts, ", "))
}

// Against DynamoDB Local and the SQS emulator: what one call costs in DynamoDB requests (printed with -v), and a
// concurrent batch with duplicates and failures reporting exactly the failed records. A new call makes no read
// before its transaction: the once-only key's condition is the duplicate check.
func TestOutOfHoursCallRequests(t *testing.T) {
	set := emulators.Shared(t).Fresh(t)
	db := &countingDB{Client: set.DDB, counts: map[string]int{}}
	store := &dynamo.Store{DB: db, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	svc := asbcases.Service{Store: dynamo.NewASBCases(store), Outbox: outbox.Outbox{Store: store, Queues: &queue.Publisher{SQS: set.SQS, URLs: set.Queues}}, Homes: 12000}
	q := asbapi.CallQueue{Service: svc}
	ctx := context.Background()
	process := func(t *testing.T, ev events.SQSEvent) []string {
		t.Helper()
		resp, err := q.Process(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		return failed(resp)
	}
	cases := func() map[string]string { // call id -> reference, read past the counter
		out, err := set.DDB.Scan(ctx, &dynamodb.ScanInput{TableName: &store.Cases, FilterExpression: aws.String("sk = :case"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":case": dynamo.S(dynamo.SKCase)}})
		if err != nil {
			t.Fatal(err)
		}
		byCall := map[string]string{}
		for _, it := range out.Items {
			data := it["data"].(*types.AttributeValueMemberM).Value
			call, ref := data["callId"].(*types.AttributeValueMemberS).Value, data["reference"].(*types.AttributeValueMemberS).Value
			if byCall[call] != "" {
				t.Fatalf("two cases for call %s", call)
			}
			byCall[call] = ref
		}
		return byCall
	}
	anonymous := func(id string) events.SQSMessage {
		call := noiseReport("")
		delete(call, "reporter")
		call["location"] = map[string]any{"address": "Flat " + id + ", 10 Example Road", "postcode": "NN1 1DE"}
		call["anonymous"], call["callId"], call["receivedAt"], call["operator"], call["advisedPolice"] = true, id, "2026-11-20T22:40:00Z", "op-7", false
		return events.SQSMessage{Body: testsupport.JSON(call), Attributes: queuedCall(id).Attributes}
	}

	// a new call from a named caller: the ASB-7 count of their earlier reports, the ASB-9 look-up of an open case
	// of the same problem (one key query, keys only), the transaction (case, contact, timeline, deadlines, outbox,
	// once-only key, match entries), and the delivered acknowledgement's entry cleared
	if f := process(t, batchOf(queuedCall("OOH-1"))); len(f) != 0 {
		t.Fatalf("failures %v", f)
	}
	named := db.take()
	t.Logf("new call, named caller:    %s", show(named))
	if named["GetItem"] != 0 || total(named) != 4 {
		t.Errorf("a new call made %s, want 4 requests and no item read before its transaction", show(named))
	}

	if f := process(t, batchOf(anonymous("OOH-ANON"))); len(f) != 0 {
		t.Fatalf("failures %v", f)
	}
	anon := db.take()
	t.Logf("new call, anonymous:       %s", show(anon))
	if total(anon) != 2 || anon["TransactWriteItems"] != 1 {
		t.Errorf("an anonymous call made %s, want the ASB-9 look-up and its transaction only", show(anon))
	}

	// the same call delivered again (the answering service resent it): no second case, acknowledged
	first := cases()["OOH-1"]
	if f := process(t, batchOf(queuedCall("OOH-1"))); len(f) != 0 {
		t.Fatalf("a redelivered call failed: %v", f)
	}
	again := db.take()
	t.Logf("redelivered call:          %s", show(again))
	if got := cases(); len(got) != 2 || got["OOH-1"] != first {
		t.Fatalf("cases after the redelivery: %v", got)
	}

	// a full batch, CallWorkers at a time: new calls, copies of one, a poison call and a call DynamoDB refuses
	db.down = dynamo.OnceKey(asbcases.OutOfHoursCall, "OOH-DOWN")
	poison := events.SQSMessage{Body: `{"callId": "OOH-POISON", "type": "not-a-type"}`}
	ev := batchOf(queuedCall("OOH-2"), queuedCall("OOH-3"), queuedCall("OOH-2"), poison, queuedCall("OOH-4"),
		queuedCall("OOH-DOWN"), queuedCall("OOH-5"), queuedCall("OOH-1"), queuedCall("OOH-6"), queuedCall("OOH-2"))
	if got, want := process(t, ev), []string{"m3", "m5"}; !slices.Equal(got, want) {
		t.Fatalf("batch item failures %v, want %v", got, want)
	}
	batch := db.take()
	t.Logf("batch of 10 (5 new calls, 3 copies, 2 failing): %s", show(batch))
	if batch["GetItem"] != 1 {
		t.Errorf("the batch made %s: only the copy of OOH-1, made by an earlier batch, reads which case it made", show(batch))
	}
	got := cases()
	for _, id := range []string{"OOH-1", "OOH-ANON", "OOH-2", "OOH-3", "OOH-4", "OOH-5", "OOH-6"} {
		if got[id] == "" {
			t.Errorf("no case for %s", id)
		}
	}
	if len(got) != 7 || got["OOH-1"] != first {
		t.Fatalf("cases: %v", got)
	}
	// nothing left in the outbox: every acknowledgement was delivered and its entry cleared
	if n, err := (outbox.Outbox{Store: store, Queues: &queue.Publisher{SQS: set.SQS, URLs: set.Queues}}).Relay(ctx, callSentAt.AddDate(1, 0, 0)); err != nil || n != 0 {
		t.Fatalf("the outbox holds %d entries: %v", n, err)
	}
}
