// Package sqsjson sends JSON messages to the catalog's SQS queues, as the functions do: SendMessageBatch over
// SQS's JSON protocol, one SigV4-signed POST per ten messages (platform/awsenv.Service), with the body MD5
// checks the SDK makes. It does not link the SDK's SQS client, whose package inits (generated schemas and
// endpoint tables) cost about 0.5 ms of every cold start for this one call. Package queue does the same through
// an SDK client, for tests that hold one.
package sqsjson

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/tracing"
)

// Entry is one message of a batch: its id within the batch, its body, and its "type" message attribute.
type Entry struct {
	ID, Body, Type string
}

// Failed is an entry SQS did not accept.
type Failed struct {
	ID, Code, Message string
	SenderFault       bool
}

// Sender sends one batch of at most ten messages to a queue, and returns the entries that were refused.
type Sender interface {
	SendMessageBatch(ctx context.Context, queueURL string, entries []Entry) ([]Failed, error)
}

// Client is SQS's SendMessageBatch for the region and credentials of an aws.Config (AWS_ENDPOINT_URL_SQS
// overrides the endpoint, as the local cloud does).
type Client struct{ svc awsenv.Service }

// New returns an SQS client for cfg.
func New(cfg aws.Config) *Client {
	return &Client{awsenv.Service{Config: cfg, Name: "sqs", EnvName: "SQS", Target: "AmazonSQS", JSONVersion: "1.0", QueryCompatible: true}}
}

type attribute struct {
	DataType, StringValue string
}

type requestEntry struct {
	Id                string
	MessageBody       string
	MessageAttributes map[string]attribute
}

// SendMessageBatch implements Sender. An answer whose MD5 of a message body does not match what was sent is an
// error, as in the SDK.
func (c *Client) SendMessageBatch(ctx context.Context, queueURL string, entries []Entry) ([]Failed, error) {
	in := struct {
		QueueUrl string
		Entries  []requestEntry
	}{QueueUrl: queueURL, Entries: make([]requestEntry, len(entries))}
	bodies := make(map[string]string, len(entries))
	for i, e := range entries {
		attrs := map[string]attribute{"type": {DataType: "String", StringValue: e.Type}}
		tracing.Inject(ctx, func(k, v string) { attrs[k] = attribute{DataType: "String", StringValue: v} }) // the consumer continues the trace
		in.Entries[i] = requestEntry{Id: e.ID, MessageBody: e.Body, MessageAttributes: attrs}
		bodies[e.ID] = e.Body
	}
	var out struct {
		Successful []struct {
			Id, MessageId, MD5OfMessageBody string
		}
		Failed []struct {
			Id, Code, Message string
			SenderFault       bool
		}
	}
	if err := c.svc.Call(ctx, "SendMessageBatch", in, &out); err != nil {
		return nil, err
	}
	for _, s := range out.Successful {
		body, ok := bodies[s.Id]
		if !ok || s.MD5OfMessageBody == "" {
			continue
		}
		if sum := md5.Sum([]byte(body)); hex.EncodeToString(sum[:]) != s.MD5OfMessageBody {
			return nil, fmt.Errorf("sqs SendMessageBatch: message %s (%s): body MD5 %s does not match what was sent", s.Id, s.MessageId, s.MD5OfMessageBody)
		}
	}
	failed := make([]Failed, len(out.Failed))
	for i, f := range out.Failed {
		failed[i] = Failed{ID: f.Id, Code: f.Code, Message: f.Message, SenderFault: f.SenderFault}
	}
	return failed, nil
}

// Publisher sends JSON messages to queues named in the catalog.
type Publisher struct {
	Sender Sender
	URLs   map[string]string // queue name -> URL
}

// PublisherFromEnv finds the URLs of the given queues in the environment (<NAME>_QUEUE_URL).
func PublisherFromEnv(s Sender, queues ...string) *Publisher {
	urls := map[string]string{}
	for _, q := range queues {
		urls[q] = os.Getenv(catalog.QueueEnv(q))
	}
	return &Publisher{Sender: s, URLs: urls}
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
		entries := make([]Entry, len(batch))
		for i, m := range batch {
			body, err := json.Marshal(m.Body)
			if err != nil {
				return fmt.Errorf("queue %s: %w", queueName, err)
			}
			entries[i] = Entry{ID: strconv.Itoa(i), Body: string(body), Type: m.Type}
		}
		failed, err := p.Sender.SendMessageBatch(ctx, url, entries)
		if err != nil {
			return fmt.Errorf("queue %s: %w", queueName, err)
		}
		if len(failed) > 0 {
			return fmt.Errorf("queue %s: %d of %d messages refused (%s)", queueName, len(failed), len(batch), failed[0].Code)
		}
	}
	return nil
}

// Publish sends application messages, each to its own queue: each run of consecutive messages to one queue goes
// through Send, in batches of 10 (implements casework.Queues).
func (p *Publisher) Publish(ctx context.Context, messages ...casework.Message) error {
	for start := 0; start < len(messages); {
		end := start + 1
		for end < len(messages) && messages[end].Queue == messages[start].Queue {
			end++
		}
		batch := make([]Message, 0, end-start)
		for _, m := range messages[start:end] {
			batch = append(batch, Message{Type: m.Type, Body: m.Body})
		}
		if err := p.Send(ctx, messages[start].Queue, batch...); err != nil {
			return fmt.Errorf("messages %s to %s: %w", messages[start].ID, messages[end-1].ID, err)
		}
		start = end
	}
	return nil
}
