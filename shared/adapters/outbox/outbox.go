// Package outbox makes "the change is stored" and "its messages will be sent" one fact: messages (referrals,
// notifications) are written in the same DynamoDB transaction as the change (shared/adapters/dynamo), delivered
// to SQS straight after it, and re-delivered by the outbox-relay function if that delivery failed. Consumers
// are idempotent on the message's own id, so a message delivered twice is harmless; a message is never lost.
//
// The entries are spread over dynamo.OutboxShards partitions by a hash of the message id; the relay reads the
// shards in parallel and clears what it delivered with batched deletes.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
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

// pending is a message with the key of its outbox entry.
type pending struct {
	msg casework.Message
	key map[string]types.AttributeValue
}

// Deliver sends each message and then removes the pending entries of those sent, in batches. A failure leaves
// the entry for the relay, so the caller only logs it: the change itself is already stored.
func (o Outbox) Deliver(ctx context.Context, messages ...casework.Message) error {
	entries := make([]pending, len(messages))
	for i, m := range messages {
		entries[i] = pending{msg: m, key: dynamo.OutboxKey(m)}
	}
	return o.deliver(ctx, entries)
}

func (o Outbox) deliver(ctx context.Context, entries []pending) error {
	var failed []error
	sent := make([]map[string]types.AttributeValue, 0, len(entries))
	for _, e := range entries {
		if err := o.Queues.Publish(ctx, e.msg); err != nil {
			failed = append(failed, fmt.Errorf("outbox %s: %w", e.msg.ID, err))
			continue
		}
		sent = append(sent, e.key)
	}
	if err := o.clear(ctx, sent); err != nil {
		failed = append(failed, err)
	}
	if err := errors.Join(failed...); err != nil {
		slog.ErrorContext(ctx, "outbox delivery failed; the relay will retry", "error", err.Error())
		return err
	}
	return nil
}

// Relay delivers the entries created before olderThan that are still pending (their first delivery failed):
// every shard is read at once, each shard page by page, and each page is sent and cleared before the next is
// read, so a run cut short by its timeout keeps what it did. It returns how many entries it found.
func (o Outbox) Relay(ctx context.Context, olderThan time.Time) (int, error) {
	partitions := dynamo.OutboxPartitions()
	found := make([]int, len(partitions))
	errs := make([]error, len(partitions))
	var wg sync.WaitGroup
	for i, pk := range partitions {
		wg.Go(func() { found[i], errs[i] = o.relayPartition(ctx, pk, olderThan) })
	}
	wg.Wait()
	total := 0
	for _, n := range found {
		total += n
	}
	return total, errors.Join(errs...)
}

func (o Outbox) relayPartition(ctx context.Context, pk string, olderThan time.Time) (int, error) {
	in := &dynamodb.QueryInput{
		TableName: &o.Store.Cases, KeyConditionExpression: aws.String("pk = :p AND sk < :before"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": dynamo.S(pk), ":before": dynamo.S(dynamo.TimeKey(olderThan))},
	}
	found := 0
	var failed []error
	for {
		out, err := o.Store.DB.Query(ctx, in)
		if err != nil {
			return found, errors.Join(append(failed, fmt.Errorf("outbox %s: query: %w", pk, err))...)
		}
		found += len(out.Items)
		entries, err := dynamo.UnmarshalAll[dynamo.OutboxEntry](out.Items)
		if err != nil {
			return found, errors.Join(append(failed, fmt.Errorf("outbox %s: %w", pk, err))...)
		}
		page := make([]pending, len(entries))
		for i, e := range entries {
			// cleared by the key it was read with
			page[i] = pending{msg: e.Message(), key: map[string]types.AttributeValue{"pk": out.Items[i]["pk"], "sk": out.Items[i]["sk"]}}
		}
		if err := o.deliver(ctx, page); err != nil {
			failed = append(failed, err) // left for the next run; carry on with the rest
		}
		if out.LastEvaluatedKey == nil {
			return found, errors.Join(failed...)
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// Grace leaves a just-written entry to its first delivery before the relay takes it.
const Grace = time.Minute

// DynamoDB's most delete requests in one BatchWriteItem, and how often the ones it leaves unprocessed (when
// a partition is busy) are tried again, with a doubling pause from clearRetryPause.
const (
	maxBatchDeletes = 25
	clearAttempts   = 5
	clearRetryPause = 50 * time.Millisecond
)

// clear deletes the entries of sent messages, up to 25 to a request. An entry it cannot delete is sent again by
// the relay, which is harmless (consumers recognise a message by its id).
func (o Outbox) clear(ctx context.Context, keys []map[string]types.AttributeValue) error {
	if len(keys) == 0 {
		return nil
	}
	var failed []error
	for start := 0; start < len(keys); start += maxBatchDeletes {
		chunk := keys[start:min(start+maxBatchDeletes, len(keys))]
		reqs := make([]types.WriteRequest, len(chunk))
		for i, k := range chunk {
			reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: k}}
		}
		if err := deleteBatch(ctx, o.Store.DB, o.Store.Cases, reqs); err != nil {
			failed = append(failed, err)
		}
	}
	return errors.Join(failed...)
}

// deleteBatch runs one BatchWriteItem of deletes, and again for what DynamoDB left unprocessed.
func deleteBatch(ctx context.Context, bw dynamo.API, table string, reqs []types.WriteRequest) error {
	pause := clearRetryPause
	for attempt := 1; ; attempt++ {
		out, err := bw.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil {
			return fmt.Errorf("%d outbox entries sent but not cleared: %w", len(reqs), err)
		}
		reqs = out.UnprocessedItems[table]
		if len(reqs) == 0 {
			return nil
		}
		if attempt == clearAttempts {
			return fmt.Errorf("%d outbox entries sent but not cleared: DynamoDB left them unprocessed %d times", len(reqs), attempt)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d outbox entries sent but not cleared: %w", len(reqs), ctx.Err())
		case <-time.After(pause):
		}
		pause *= 2
	}
}
