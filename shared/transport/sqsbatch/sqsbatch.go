// Package sqsbatch is the transport for SQS-triggered functions: each message of a batch goes to the use case,
// and only the ones that failed are reported (ReportBatchItemFailures), so one bad message never holds back or
// repeats the others, and a message that can never be processed reaches the DLQ after maxReceiveCount tries.
package sqsbatch

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/casework"
)

// SentAt is when SQS accepted the message (the SentTimestamp attribute, which the local cloud sets from its
// clock), so consumers time things from the event rather than from their own clock.
func SentAt(m events.SQSMessage) time.Time {
	if ms, err := strconv.ParseInt(m.Attributes["SentTimestamp"], 10, 64); err == nil {
		return time.UnixMilli(ms).UTC()
	}
	return time.Now().UTC()
}

// Handle processes each message of a batch and reports the failed ones, so only they are retried. A use case
// that returns casework.ErrPermanent has recorded why the message can never succeed: it is acknowledged.
func Handle(ctx context.Context, ev events.SQSEvent, handle func(context.Context, events.SQSMessage) error) events.SQSEventResponse {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		err := handle(ctx, m)
		switch {
		case err == nil:
		case errors.Is(err, casework.ErrPermanent):
			slog.WarnContext(ctx, "message not processable; acknowledged", "messageId", m.MessageId, "error", err.Error())
		default:
			slog.ErrorContext(ctx, "message failed; will be retried", "messageId", m.MessageId,
				"receiveCount", m.Attributes["ApproximateReceiveCount"], "error", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}

// Bodies is the handler of a function whose use case takes each message's body and the time it was sent.
func Bodies(deliver func(ctx context.Context, body []byte, sentAt time.Time) error) func(context.Context, events.SQSEvent) (events.SQSEventResponse, error) {
	return func(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
		return Handle(ctx, ev, func(ctx context.Context, m events.SQSMessage) error {
			return deliver(ctx, []byte(m.Body), SentAt(m))
		}), nil
	}
}
