// Package queue is the SQS adapter: sending JSON messages to the catalog's queues, and consuming SQS batches
// with partial batch failures (ReportBatchItemFailures), so one bad message never holds back or repeats the
// others, and a message that can never be processed reaches the DLQ after maxReceiveCount tries.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
)

// API is the part of the SQS client used here.
type API interface {
	SendMessage(context.Context, *sqs.SendMessageInput, ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
	SendMessageBatch(context.Context, *sqs.SendMessageBatchInput, ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
}

// Publisher sends JSON messages to queues named in the catalog.
type Publisher struct {
	SQS  API
	URLs map[string]string // queue name -> URL
}

// NewClient makes an SQS client from the default AWS configuration.
func NewClient(ctx context.Context) (*sqs.Client, error) {
	cfg, err := awsenv.Config(ctx)
	if err != nil {
		return nil, err
	}
	return sqs.NewFromConfig(cfg), nil
}

// PublisherFromEnv finds the URLs of the given queues in the environment (<NAME>_QUEUE_URL).
func PublisherFromEnv(api API, queues ...string) *Publisher {
	urls := map[string]string{}
	for _, q := range queues {
		urls[q] = os.Getenv(catalog.QueueEnv(q))
	}
	return &Publisher{SQS: api, URLs: urls}
}

// Message is one message to send: its JSON body and a type attribute that consumers and operators can see
// without reading the body.
type Message struct {
	Type string
	Body any
}

// Send puts messages on a queue, in batches of 10, and fails if any message was not accepted.
func (p *Publisher) Send(ctx context.Context, queueName string, msgs ...Message) error {
	url := p.URLs[queueName]
	if url == "" {
		return fmt.Errorf("queue %s: no URL configured (%s)", queueName, catalog.QueueEnv(queueName))
	}
	for start := 0; start < len(msgs); start += 10 {
		batch := msgs[start:min(start+10, len(msgs))]
		entries := make([]types.SendMessageBatchRequestEntry, len(batch))
		for i, m := range batch {
			body, err := json.Marshal(m.Body)
			if err != nil {
				return fmt.Errorf("queue %s: %w", queueName, err)
			}
			entries[i] = types.SendMessageBatchRequestEntry{
				Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(string(body)),
				MessageAttributes: map[string]types.MessageAttributeValue{
					"type": {DataType: aws.String("String"), StringValue: aws.String(m.Type)},
				},
			}
		}
		out, err := p.SQS.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: &url, Entries: entries})
		if err != nil {
			return fmt.Errorf("queue %s: %w", queueName, err)
		}
		if len(out.Failed) > 0 {
			return fmt.Errorf("queue %s: %d of %d messages refused (%s)", queueName, len(out.Failed), len(batch), aws.ToString(out.Failed[0].Code))
		}
	}
	return nil
}

// ErrPermanent marks a message that will never succeed however often it is retried (e.g. GOV.UK Notify said
// 400). The handler records why; the message is then acknowledged rather than retried into the DLQ.
var ErrPermanent = errors.New("permanent failure")

// SentAt is when SQS accepted the message (the SentTimestamp attribute, which the local cloud sets from its
// clock), so consumers time things from the event rather than from their own clock.
func SentAt(m events.SQSMessage) time.Time {
	if ms, err := strconv.ParseInt(m.Attributes["SentTimestamp"], 10, 64); err == nil {
		return time.UnixMilli(ms).UTC()
	}
	return time.Now().UTC()
}

// Handle processes each message of a batch and reports the failed ones, so only they are retried.
func Handle(ctx context.Context, ev events.SQSEvent, handle func(context.Context, events.SQSMessage) error) events.SQSEventResponse {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		err := handle(ctx, m)
		switch {
		case err == nil:
		case errors.Is(err, ErrPermanent):
			slog.WarnContext(ctx, "message not processable; acknowledged", "messageId", m.MessageId, "error", err.Error())
		default:
			slog.ErrorContext(ctx, "message failed; will be retried", "messageId", m.MessageId,
				"receiveCount", m.Attributes["ApproximateReceiveCount"], "error", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp
}

// Sender is what the applications need of a publisher (Publisher in production).
type Sender interface {
	Send(ctx context.Context, queueName string, msgs ...Message) error
}
