package dynamo

import (
	"encoding/json"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
)

// OutboxShards is how many partitions the outbox is written across, so that no one partition takes every
// change's messages (with a time-ordered sort key, one partition could never split to spread its load). A
// message of up to 1 KB costs 3 write units over its life: 2 for its put in the change's transaction and 1 for
// its delete once delivered. At DynamoDB's 1,000 write units a second per partition one shard sustains about 330
// messages a second, and 8 about 2,600 (each message is one item, read 5 minutes later by the relay only if its
// first delivery failed). A busy council's day is a few thousand messages, far below any one shard's limit; 8
// keeps the relay's fan-out (one query per shard every 5 minutes, in parallel) small. Changing it needs a
// relay run that reads the old shards too.
const OutboxShards = 8

// OutboxEntry is a message stored with its change until it is delivered (pk = OUTBOX#<shard>, sk = <time>#<id>).
type OutboxEntry struct {
	ID        string          `dynamodbav:"id"` // the message's own id (consumers deduplicate on it)
	Queue     string          `dynamodbav:"queue"`
	Type      string          `dynamodbav:"type"`
	Body      json.RawMessage `dynamodbav:"body"`
	CreatedAt time.Time       `dynamodbav:"createdAt"`
}

// OutboxShard is the shard a message is stored in: a hash of its id, so messages spread evenly over the shards
// and a message's entry can be found again from the message alone.
func OutboxShard(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % OutboxShards)
}

// OutboxPK is the partition key of outbox shard n: "OUTBOX#<n>".
func OutboxPK(shard int) string { return PKOutbox + "#" + strconv.Itoa(shard) }

// OutboxPartitions are the partitions the relay reads: every shard.
func OutboxPartitions() []string {
	out := make([]string, 0, OutboxShards)
	for n := range OutboxShards {
		out = append(out, OutboxPK(n))
	}
	return out
}

// IsOutboxKey says whether a partition key is one of the outbox's shards.
func IsOutboxKey(pk string) bool { return strings.HasPrefix(pk, PKOutbox+"#") }

// OutboxSK is the entry's sort key: pending entries sort by when they were made.
func OutboxSK(m casework.Message) string { return TimeKey(m.At) + "#" + m.ID }

// OutboxKey is the primary key of a message's entry.
func OutboxKey(m casework.Message) map[string]types.AttributeValue {
	return Key(OutboxPK(OutboxShard(m.ID)), OutboxSK(m))
}

// Message is the entry as the application layer sees it.
func (e OutboxEntry) Message() casework.Message {
	return casework.Message{ID: e.ID, Queue: e.Queue, Type: e.Type, Body: e.Body, At: e.CreatedAt}
}

// OutboxWrites are the messages as items for the change's transaction, each in its shard.
func (s *Store) OutboxWrites(messages ...casework.Message) ([]types.TransactWriteItem, error) {
	var writes []types.TransactWriteItem
	for _, m := range messages {
		item, err := Item(OutboxPK(OutboxShard(m.ID)), OutboxSK(m), OutboxEntry{ID: m.ID, Queue: m.Queue, Type: m.Type, Body: m.Body, CreatedAt: m.At.UTC()}, nil)
		if err != nil {
			return nil, err
		}
		writes = append(writes, s.Put(item))
	}
	return writes, nil
}
