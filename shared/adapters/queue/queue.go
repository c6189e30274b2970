// Package queue is the SQS adapter: sending JSON messages to the catalog's queues. (Consuming them is the
// transport shared/transport/sqsbatch.) The functions use its subpackage sqsjson, which sends them with one
// signed request and does not link the SDK's SQS client; Publisher here sends the same batches through an SDK
// client, for tests and tools that already hold one.
package queue

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/shared/adapters/queue/sqsjson"
	"github.com/councilhousing/backend/shared/app/casework"
)

// API is the part of the SDK's SQS client used here.
type API interface {
	SendMessageBatch(context.Context, *sqs.SendMessageBatchInput, ...func(*sqs.Options)) (*sqs.SendMessageBatchOutput, error)
}

// Publisher sends JSON messages to queues named in the catalog, through an SDK client (sqsjson.Publisher's
// batches and checks).
type Publisher struct {
	SQS  API
	URLs map[string]string // queue name -> URL
}

// Message is one message to send: its JSON body and a type attribute.
type Message = sqsjson.Message

// Send puts messages on a queue, in batches of 10, and fails if any message was not accepted.
func (p *Publisher) Send(ctx context.Context, queueName string, msgs ...Message) error {
	return p.publisher().Send(ctx, queueName, msgs...)
}

// Publish sends application messages, each to its own queue (implements casework.Queues).
func (p *Publisher) Publish(ctx context.Context, messages ...casework.Message) error {
	return p.publisher().Publish(ctx, messages...)
}

func (p *Publisher) publisher() *sqsjson.Publisher {
	return &sqsjson.Publisher{Sender: sdkSender{p.SQS}, URLs: p.URLs}
}

type sdkSender struct{ api API }

func (s sdkSender) SendMessageBatch(ctx context.Context, queueURL string, entries []sqsjson.Entry) ([]sqsjson.Failed, error) {
	in := &sqs.SendMessageBatchInput{QueueUrl: &queueURL, Entries: make([]types.SendMessageBatchRequestEntry, len(entries))}
	for i, e := range entries {
		in.Entries[i] = types.SendMessageBatchRequestEntry{
			Id: aws.String(e.ID), MessageBody: aws.String(e.Body),
			MessageAttributes: map[string]types.MessageAttributeValue{"type": {DataType: aws.String("String"), StringValue: aws.String(e.Type)}},
		}
	}
	out, err := s.api.SendMessageBatch(ctx, in)
	if err != nil {
		return nil, err
	}
	failed := make([]sqsjson.Failed, len(out.Failed))
	for i, f := range out.Failed {
		failed[i] = sqsjson.Failed{ID: aws.ToString(f.Id), Code: aws.ToString(f.Code), Message: aws.ToString(f.Message), SenderFault: f.SenderFault}
	}
	return failed, nil
}
