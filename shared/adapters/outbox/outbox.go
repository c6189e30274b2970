// Package outbox makes "the change is stored" and "its messages will be sent" one fact: messages (referrals,
// notifications) are written in the same DynamoDB transaction as the change, delivered straight after it, and
// re-delivered by the outbox-relay function if that delivery failed. Consumers are idempotent on the message's
// own id, so a message delivered twice is harmless; a message is never lost.
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
)

// partition holds the pending messages: one small partition, queried by key (never scanned).
const partition = "OUTBOX"

// Entry is one pending message.
type Entry struct {
	ID        string          `dynamodbav:"id"` // the message's own id (consumers deduplicate on it)
	Queue     string          `dynamodbav:"queue"`
	Type      string          `dynamodbav:"type"`
	Body      json.RawMessage `dynamodbav:"body"`
	CreatedAt time.Time       `dynamodbav:"createdAt"`
}

// New makes an entry from a message body.
func New(id, queueName, msgType string, body any, at time.Time) (Entry, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return Entry{}, err
	}
	return Entry{ID: id, Queue: queueName, Type: msgType, Body: raw, CreatedAt: at.UTC()}, nil
}

func (e Entry) sk() string { return e.CreatedAt.Format(time.RFC3339Nano) + "#" + e.ID }

// Outbox writes, delivers and relays pending messages.
type Outbox struct {
	Store  *dynamo.Store
	Queues queue.Sender
}

// Writes are the entries as items for the change's transaction.
func (o Outbox) Writes(entries ...Entry) ([]types.TransactWriteItem, error) {
	var writes []types.TransactWriteItem
	for _, e := range entries {
		item, err := dynamo.Item(partition, e.sk(), e, nil)
		if err != nil {
			return nil, err
		}
		writes = append(writes, o.Store.Put(item))
	}
	return writes, nil
}

// Deliver sends each entry and then removes it. A failure leaves the entry for the relay, so the caller only
// logs it: the change itself is already stored.
func (o Outbox) Deliver(ctx context.Context, entries ...Entry) error {
	var failed []error
	for _, e := range entries {
		if err := o.Queues.Send(ctx, e.Queue, queue.Message{Type: e.Type, Body: e.Body}); err != nil {
			failed = append(failed, fmt.Errorf("outbox %s: %w", e.ID, err))
			continue
		}
		if _, err := o.Store.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &o.Store.Cases, Key: dynamo.Key(partition, e.sk())}); err != nil {
			failed = append(failed, fmt.Errorf("outbox %s sent but not cleared: %w", e.ID, err))
		}
	}
	if err := errors.Join(failed...); err != nil {
		slog.ErrorContext(ctx, "outbox delivery failed; the relay will retry", "error", err.Error())
		return err
	}
	return nil
}

// Relay delivers the entries created before olderThan that are still pending (their first delivery failed).
func (o Outbox) Relay(ctx context.Context, olderThan time.Time) (int, error) {
	items, err := o.Store.NewQuery(&dynamodb.QueryInput{
		TableName: &o.Store.Cases, KeyConditionExpression: aws.String("pk = :p AND sk < :before"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(partition), ":before": dynamo.S(olderThan.UTC().Format(time.RFC3339Nano))},
	}).All(ctx)
	if err != nil {
		return 0, err
	}
	entries, err := dynamo.UnmarshalAll[Entry](items)
	if err != nil {
		return 0, err
	}
	return len(entries), o.Deliver(ctx, entries...)
}

// Grace leaves a just-written entry to its first delivery before the relay takes it.
const Grace = time.Minute
