package dynamo

import (
	"encoding/json"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
)

// OutboxEntry is a message stored with its change until it is delivered (pk = OUTBOX, sk = <time>#<id>).
type OutboxEntry struct {
	ID        string          `dynamodbav:"id"` // the message's own id (consumers deduplicate on it)
	Queue     string          `dynamodbav:"queue"`
	Type      string          `dynamodbav:"type"`
	Body      json.RawMessage `dynamodbav:"body"`
	CreatedAt time.Time       `dynamodbav:"createdAt"`
}

// OutboxSK is the entry's sort key: pending entries sort by when they were made.
func OutboxSK(m casework.Message) string { return TimeKey(m.At) + "#" + m.ID }

// Message is the entry as the application layer sees it.
func (e OutboxEntry) Message() casework.Message {
	return casework.Message{ID: e.ID, Queue: e.Queue, Type: e.Type, Body: e.Body, At: e.CreatedAt}
}

// OutboxWrites are the messages as items for the change's transaction.
func (s *Store) OutboxWrites(messages ...casework.Message) ([]types.TransactWriteItem, error) {
	var writes []types.TransactWriteItem
	for _, m := range messages {
		item, err := Item(PKOutbox, OutboxSK(m), OutboxEntry{ID: m.ID, Queue: m.Queue, Type: m.Type, Body: m.Body, CreatedAt: m.At.UTC()}, nil)
		if err != nil {
			return nil, err
		}
		writes = append(writes, s.Put(item))
	}
	return writes, nil
}
