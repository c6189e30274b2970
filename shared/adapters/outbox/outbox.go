// Package outbox makes "the change is stored" and "its messages will be sent" one fact: messages (referrals,
// notifications) are written in the same DynamoDB transaction as the change (shared/adapters/dynamo), delivered
// to SQS straight after it, and re-delivered by the outbox-relay function if that delivery failed. Consumers
// are idempotent on the message's own id, so a message delivered twice is harmless; a message is never lost.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/casework"
)

// Outbox delivers and relays pending messages; it implements casework.Outbox.
type Outbox struct {
	Store  *dynamo.Store
	Queues casework.Queues
}

var _ casework.Outbox = Outbox{}

// Deliver sends each message and then removes its pending entry. A failure leaves the entry for the relay, so
// the caller only logs it: the change itself is already stored.
func (o Outbox) Deliver(ctx context.Context, messages ...casework.Message) error {
	var failed []error
	for _, m := range messages {
		if err := o.Queues.Publish(ctx, m); err != nil {
			failed = append(failed, fmt.Errorf("outbox %s: %w", m.ID, err))
			continue
		}
		if _, err := o.Store.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &o.Store.Cases, Key: dynamo.Key(dynamo.PKOutbox, dynamo.OutboxSK(m))}); err != nil {
			failed = append(failed, fmt.Errorf("outbox %s sent but not cleared: %w", m.ID, err))
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
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(dynamo.PKOutbox), ":before": dynamo.S(dynamo.TimeKey(olderThan))},
	}).All(ctx)
	if err != nil {
		return 0, err
	}
	entries, err := dynamo.UnmarshalAll[dynamo.OutboxEntry](items)
	if err != nil {
		return 0, err
	}
	messages := make([]casework.Message, len(entries))
	for i, e := range entries {
		messages[i] = e.Message()
	}
	return len(messages), o.Deliver(ctx, messages...)
}

// Grace leaves a just-written entry to its first delivery before the relay takes it.
const Grace = time.Minute
