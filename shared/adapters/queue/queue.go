// Package queue is the SQS adapter: sending JSON messages to the catalog's queues. (Consuming them is the
// transport shared/transport/sqsbatch.)
package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
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

// Publish sends application messages, each to its own queue, in batches per queue (implements
// casework.Queues).
func (p *Publisher) Publish(ctx context.Context, messages ...casework.Message) error {
	for _, m := range messages {
		if err := p.Send(ctx, m.Queue, Message{Type: m.Type, Body: m.Body}); err != nil {
			return fmt.Errorf("message %s: %w", m.ID, err)
		}
	}
	return nil
}
