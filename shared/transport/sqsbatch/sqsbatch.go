// Package sqsbatch is the transport for SQS-triggered functions: each message of a batch goes to the use case,
// and only the ones that failed are reported (ReportBatchItemFailures), so one bad message never holds back or
// repeats the others, and a message that can never be processed reaches the DLQ after maxReceiveCount tries.
package sqsbatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/logging"
	"github.com/councilhousing/backend/shared/platform/tracing"
)

// SentAt is when SQS accepted the message (the SentTimestamp attribute, which the local cloud sets from its
// clock), so consumers time things from the event rather than from their own clock.
func SentAt(m events.SQSMessage) time.Time {
	if ms, err := strconv.ParseInt(m.Attributes["SentTimestamp"], 10, 64); err == nil {
		return time.UnixMilli(ms).UTC()
	}
	return time.Now().UTC()
}

// Handle processes each message of a batch in turn and reports the failed ones, so only they are retried. A use
// case that returns casework.ErrPermanent has recorded why the message can never succeed: it is acknowledged.
func Handle(ctx context.Context, ev events.SQSEvent, handle func(context.Context, events.SQSMessage) error) events.SQSEventResponse {
	return HandleConcurrently(ctx, ev, 1, nil, handle)
}

// HandleConcurrently is Handle with up to workers messages in progress at once, for use cases whose messages are
// independent of each other. Messages with the same key (e.g. two deliveries of one call) are handled one after
// the other, in the batch's order, so they never race each other; key may be nil, and a message whose key is ""
// has none. The failures are reported in the batch's order, each exactly once; a message not started before ctx
// ended (the function's deadline) is reported as failed without being tried, and a handler that panics fails
// only its own message. Every log line about a message carries its messageId.
func HandleConcurrently(ctx context.Context, ev events.SQSEvent, workers int, key func(events.SQSMessage) string,
	handle func(context.Context, events.SQSMessage) error) events.SQSEventResponse {
	groups := groupByKey(ev.Records, key)
	failed := make([]bool, len(ev.Records)) // each index written by one worker only, read after wg.Wait
	next := make(chan []int)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(groups))) {
		wg.Go(func() {
			for group := range next {
				for _, i := range group {
					failed[i] = !one(ctx, ev.Records[i], handle)
				}
			}
		})
	}
	for _, group := range groups {
		next <- group
	}
	close(next)
	wg.Wait()

	var resp events.SQSEventResponse
	for i, m := range ev.Records {
		if failed[i] {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}

// groupByKey lists the indexes of the records by key, in the batch's order (a record without a key alone).
func groupByKey(records []events.SQSMessage, key func(events.SQSMessage) string) [][]int {
	groups := make([][]int, 0, len(records))
	byKey := map[string]int{}
	for i, m := range records {
		k := ""
		if key != nil {
			k = key(m)
		}
		if g, seen := byKey[k]; seen && k != "" {
			groups[g] = append(groups[g], i)
			continue
		}
		if k != "" {
			byKey[k] = len(groups)
		}
		groups = append(groups, []int{i})
	}
	return groups
}

// one runs the use case for one message and logs its outcome (ids, counts and errors only: never the body);
// false means the message is to be retried. The messageId is on ctx, so it is on every line the use case logs
// too, which tells apart the interleaved lines of messages handled together.
func one(ctx context.Context, m events.SQSMessage, handle func(context.Context, events.SQSMessage) error) (ok bool) {
	ctx = logging.With(ctx, slog.String("messageId", m.MessageId))
	ctx, span := tracing.Message(ctx, queueName(m.EventSourceARN), m)
	defer func() { tracing.EndMessage(span, !ok) }()
	err := ctx.Err() // past the deadline: leave the message for its retry rather than start it
	if err == nil {
		err = protect(ctx, m, handle)
	}
	switch {
	case err == nil:
		return true
	case errors.Is(err, casework.ErrPermanent):
		slog.WarnContext(ctx, "message not processable; acknowledged", "error", err.Error())
		return true
	default:
		slog.ErrorContext(ctx, "message failed; will be retried", "receiveCount", m.Attributes["ApproximateReceiveCount"], "error", err.Error())
		return false
	}
}

// protect turns a panic into the message's failure: in a worker goroutine it would otherwise end the process,
// and with it the whole batch.
func protect(ctx context.Context, m events.SQSMessage, handle func(context.Context, events.SQSMessage) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return handle(ctx, m)
}

// queueName is the last part of a queue's ARN (arn:aws:sqs:region:account:name).
func queueName(arn string) string {
	return arn[strings.LastIndexByte(arn, ':')+1:]
}

// Bodies is the handler of a function whose use case takes each message's body and the time it was sent.
func Bodies(deliver func(ctx context.Context, body []byte, sentAt time.Time) error) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		return Handle(ctx, ev, func(ctx context.Context, m events.SQSMessage) error {
			return deliver(ctx, []byte(m.Body), SentAt(m))
		}), nil
	}
}
