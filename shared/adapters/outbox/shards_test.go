package outbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
)

// recording is a queue that keeps what it was sent (the relay sends from every shard at once), and refuses the
// messages whose id has the prefix down.
type recording struct {
	mu   sync.Mutex
	sent map[string]int
	down string
}

func (r *recording) Publish(_ context.Context, messages ...casework.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range messages {
		if r.down != "" && strings.HasPrefix(m.ID, r.down) {
			return errors.New("SQS unavailable")
		}
		r.sent[m.ID]++
	}
	return nil
}

// counted is the DynamoDB client with a count of the requests the relay makes, and of its queries in progress at
// once (each takes a little while, as over a network, so that queries made together overlap).
type counted struct {
	*dynamodb.Client
	mu                     sync.Mutex
	queries, inFlight      int
	most, batches, deletes int
}

func (c *counted) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.mu.Lock()
	c.queries++
	c.inFlight++
	c.most = max(c.most, c.inFlight)
	c.mu.Unlock()
	defer func() { c.mu.Lock(); c.inFlight--; c.mu.Unlock() }()
	time.Sleep(20 * time.Millisecond)
	return c.Client.Query(ctx, in, o...)
}

func (c *counted) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	c.mu.Lock()
	c.batches++
	c.mu.Unlock()
	return c.Client.BatchWriteItem(ctx, in, o...)
}

func (c *counted) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.mu.Lock()
	c.deletes++
	c.mu.Unlock()
	return c.Client.DeleteItem(ctx, in, o...)
}

// Messages are spread over every shard by their id, and the relay reads all the shards at once (and the single
// partition of before the sharding), sends every pending message once, clears what it sent with batched deletes
// and leaves what it could not send for its next run.
func TestOutboxIsShardedAndEveryShardIsRelayed(t *testing.T) {
	set := emulators.Shared(t).Fresh(t)
	db := &counted{Client: set.DDB}
	store := &dynamo.Store{DB: db, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

	const n = 240
	var messages []casework.Message
	for i := range n {
		id := fmt.Sprintf("ASB-%04d#received", i)
		if i%10 == 0 {
			id = fmt.Sprintf("late-ASB-%04d#received", i) // refused by the queue on the first run
		}
		m, err := casework.NewMessage(id, catalog.NotificationsQueue, "notification", map[string]string{"id": id}, at.Add(time.Duration(i)*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		messages = append(messages, m)
	}
	for start := 0; start < n; start += 80 { // as changes store them: in their transactions
		writes, err := store.OutboxWrites(messages[start : start+80]...)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Write(ctx, writes); err != nil {
			t.Fatal(err)
		}
	}
	perShard := func() []int {
		var counts []int
		for _, pk := range dynamo.OutboxPartitions() {
			out, err := set.DDB.Query(ctx, &dynamodb.QueryInput{TableName: &store.Cases, KeyConditionExpression: aws.String("pk = :p"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(pk)}, Select: types.SelectCount})
			if err != nil {
				t.Fatal(err)
			}
			counts = append(counts, int(out.Count))
		}
		return counts
	}
	counts := perShard()
	t.Logf("entries per shard (OUTBOX#0..#%d): %v", dynamo.OutboxShards-1, counts)
	even := n / dynamo.OutboxShards
	for shard, c := range counts {
		if c < even/2 || c > even*2 {
			t.Errorf("shard %d holds %d of %d entries, want about %d", shard, c, n, even)
		}
	}

	queue := &recording{sent: map[string]int{}, down: "late-"}
	relay := Outbox{Store: store, Queues: queue}
	found, err := relay.Relay(ctx, at.Add(time.Hour))
	if found != n || err == nil || !strings.Contains(err.Error(), "SQS unavailable") {
		t.Fatalf("first run found %d (want %d) and said %v (want the refused messages)", found, n, err)
	}
	if len(queue.sent) != n-n/10 {
		t.Fatalf("first run sent %d messages, want %d", len(queue.sent), n-n/10)
	}
	if db.queries != dynamo.OutboxShards || db.most < 2 {
		t.Fatalf("%d queries, %d at once: want one per shard (%d), made together", db.queries, db.most, dynamo.OutboxShards)
	}
	t.Logf("first run: %d queries (%d at once), %d BatchWriteItem, %d DeleteItem", db.queries, db.most, db.batches, db.deletes)
	if db.deletes != 0 || db.batches > n/25+dynamo.OutboxShards {
		t.Fatalf("cleared with %d batches and %d single deletes, want batches of up to 25", db.batches, db.deletes)
	}
	left := 0
	for _, c := range perShard() {
		left += c
	}
	if left != n/10 {
		t.Fatalf("%d entries left after the first run, want the %d it could not send", left, n/10)
	}

	queue.down = ""
	if found, err := relay.Relay(ctx, at.Add(time.Hour)); found != n/10 || err != nil {
		t.Fatalf("second run found %d (want %d): %v", found, n/10, err)
	}
	if found, err := relay.Relay(ctx, at.Add(time.Hour)); found != 0 || err != nil {
		t.Fatalf("third run found %d: %v", found, err)
	}
	for _, m := range messages {
		if queue.sent[m.ID] != 1 {
			t.Fatalf("%s was sent %d times", m.ID, queue.sent[m.ID])
		}
	}
}
