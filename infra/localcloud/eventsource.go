package localcloud

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/shared/catalog"
)

// pollQueue is the SQS event source mapping: MaxConcurrency pollers receive batches, invoke the function,
// and delete what succeeded. With ReportBatchItemFailures only the reported messages stay; a function error or
// timeout keeps the whole batch. Kept messages reappear after the visibility timeout, and the emulator moves
// them to the DLQ after maxReceiveCount receives.
func (c *Cloud) pollQueue(ctx context.Context, fn *function, trigger catalog.QueueTrigger) {
	url := c.Resources.Queues[trigger.Queue]
	for range max(trigger.MaxConcurrency, 1) {
		c.wg.Go(func() {
			idle := time.Duration(0)
			for ctx.Err() == nil {
				got, err := c.pollOnce(ctx, fn, trigger, url)
				switch {
				case err != nil && ctx.Err() == nil:
					c.logf("%s: polling %s: %v", fn.spec.Name, trigger.Queue, err)
					idle = time.Second
				case got:
					idle = 0
				default:
					idle = min(max(2*idle, 50*time.Millisecond), maxIdlePoll)
				}
				sleep(ctx, idle)
			}
		})
	}
}

// maxIdlePoll bounds the wait between polls of an empty queue. The emulator's long poll only returns early
// with a full batch (SQS returns as soon as there is a message), so pollers short-poll and back off instead.
const maxIdlePoll = time.Second

// pollOnce receives one batch and delivers it; it reports whether there was anything to deliver.
func (c *Cloud) pollOnce(ctx context.Context, fn *function, trigger catalog.QueueTrigger, url string) (bool, error) {
	msgs, err := c.receiveBatch(ctx, trigger, url)
	if err != nil || len(msgs) == 0 {
		return false, err
	}
	payload, _ := json.Marshal(sqsEvent{Records: c.sqsRecords(trigger.Queue, msgs)})
	result, err := fn.invoke(ctx, payload)
	if ctx.Err() != nil {
		return true, nil // shutting down: the messages return to the queue on their own
	}
	if err != nil {
		c.logf("%s: batch of %d failed, all will be retried: %v", fn.spec.Name, len(msgs), err)
		c.retrySoon(ctx, url, msgs)
		return true, nil
	}
	done, retry, err := splitBatch(msgs, result)
	if err != nil {
		c.logf("%s: %v; the whole batch of %d will be retried", fn.spec.Name, err, len(msgs))
	}
	c.retrySoon(ctx, url, retry)
	if len(done) > 0 {
		_, err = c.sqs.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: done})
	}
	return true, err
}

// receiveBatch receives up to BatchSize messages; with a batching window it keeps gathering until the batch is
// full or the window has passed, as the event source mapping does.
func (c *Cloud) receiveBatch(ctx context.Context, trigger catalog.QueueTrigger, url string) ([]types.Message, error) {
	msgs, err := c.receive(ctx, url, trigger.BatchSize)
	if err != nil || len(msgs) == 0 || trigger.BatchWindowSec <= 0 {
		return msgs, err
	}
	window := time.Now().Add(time.Duration(trigger.BatchWindowSec) * time.Second)
	for len(msgs) < trigger.BatchSize && time.Now().Before(window) && ctx.Err() == nil {
		sleep(ctx, 100*time.Millisecond)
		more, err := c.receive(ctx, url, trigger.BatchSize-len(msgs))
		if err != nil {
			break // deliver what there is; the rest comes with the next batch
		}
		msgs = append(msgs, more...)
	}
	return msgs, nil
}

func (c *Cloud) receive(ctx context.Context, url string, n int) ([]types.Message, error) {
	out, err := c.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: int32(n), WaitTimeSeconds: 0,
		AttributeNames:              []types.QueueAttributeName{"All"}, // the emulator needs this for ApproximateReceiveCount
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"},
	})
	if err != nil {
		return nil, err
	}
	return out.Messages, nil
}

// splitBatch applies ReportBatchItemFailures: every message is deleted except those named in
// batchItemFailures. A failure naming no message of the batch fails the whole batch, as in Lambda.
func splitBatch(msgs []types.Message, result []byte) (done []types.DeleteMessageBatchRequestEntry, retry []types.Message, err error) {
	var resp events.SQSEventResponse
	_ = json.Unmarshal(result, &resp) // any other answer (null, a value) reports no failures
	failed := map[string]bool{}
	inBatch := map[string]bool{}
	for _, m := range msgs {
		inBatch[aws.ToString(m.MessageId)] = true
	}
	for _, f := range resp.BatchItemFailures {
		if !inBatch[f.ItemIdentifier] {
			return nil, msgs, fmt.Errorf("batchItemFailures names %q, which is not in the batch", f.ItemIdentifier)
		}
		failed[f.ItemIdentifier] = true
	}
	for i, m := range msgs {
		if failed[aws.ToString(m.MessageId)] {
			retry = append(retry, m)
		} else {
			done = append(done, types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
		}
	}
	return done, retry, nil
}

// sqsEvent and sqsRecord are the event exactly as Lambda's SQS event source sends it.
type sqsEvent struct {
	Records []sqsRecord `json:"Records"`
}

type sqsRecord struct {
	MessageID         string                         `json:"messageId"`
	ReceiptHandle     string                         `json:"receiptHandle"`
	Body              string                         `json:"body"`
	Attributes        map[string]string              `json:"attributes"`
	MessageAttributes map[string]sqsMessageAttribute `json:"messageAttributes"`
	MD5OfBody         string                         `json:"md5OfBody"`
	EventSource       string                         `json:"eventSource"`
	EventSourceARN    string                         `json:"eventSourceARN"`
	AWSRegion         string                         `json:"awsRegion"`
}

type sqsMessageAttribute struct {
	StringValue      *string  `json:"stringValue,omitempty"`
	BinaryValue      []byte   `json:"binaryValue,omitempty"`
	StringListValues []string `json:"stringListValues"`
	BinaryListValues [][]byte `json:"binaryListValues"`
	DataType         string   `json:"dataType"`
}

func (c *Cloud) sqsRecords(queue string, msgs []types.Message) []sqsRecord {
	records := make([]sqsRecord, 0, len(msgs))
	for _, m := range msgs {
		attrs := map[string]string{}
		for k, v := range m.Attributes {
			attrs[k] = v
		}
		if c.Clock.Pinned() { // the runner's clock is the time AWS would have written
			ms := strconv.FormatInt(c.Clock.Now().UnixMilli(), 10)
			attrs["SentTimestamp"], attrs["ApproximateFirstReceiveTimestamp"] = ms, ms
		}
		msgAttrs := map[string]sqsMessageAttribute{}
		for k, v := range m.MessageAttributes {
			msgAttrs[k] = sqsMessageAttribute{DataType: aws.ToString(v.DataType), StringValue: v.StringValue, BinaryValue: v.BinaryValue,
				StringListValues: append([]string{}, v.StringListValues...), BinaryListValues: append([][]byte{}, v.BinaryListValues...)}
		}
		sum := md5.Sum([]byte(aws.ToString(m.Body)))
		records = append(records, sqsRecord{
			MessageID: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body),
			Attributes: attrs, MessageAttributes: msgAttrs, MD5OfBody: hex.EncodeToString(sum[:]),
			EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:" + region + ":" + account + ":" + queue, AWSRegion: region,
		})
	}
	return records
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// retrySoon shortens the wait before failed messages are delivered again, when Options.VisibilityTimeoutSec
// asks for it (tests). Messages in flight keep the queue's own visibility timeout (six times the function's
// timeout), as in AWS, so a slow invocation is never handed to a second poller.
func (c *Cloud) retrySoon(ctx context.Context, url string, msgs []types.Message) {
	if c.opts.VisibilityTimeoutSec <= 0 {
		return
	}
	for _, m := range msgs {
		_, err := c.sqs.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{
			QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: int32(c.opts.VisibilityTimeoutSec),
		})
		if err != nil && ctx.Err() == nil {
			c.logf("change visibility: %v", err)
		}
	}
}
