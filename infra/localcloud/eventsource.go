package localcloud

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/infra/catalog"
)

// pollQueue is the SQS event source mapping: MaxConcurrency pollers receive batches, invoke the function,
// and delete what succeeded. With ReportBatchItemFailures only the reported messages stay; a function error or
// timeout keeps the whole batch. Kept messages reappear after the visibility timeout, and the emulator moves
// them to the DLQ after maxReceiveCount receives.
func (c *Cloud) pollQueue(ctx context.Context, fn *function, trigger catalog.QueueTrigger) {
	url := c.Resources.Queues[trigger.Queue]
	for range max(trigger.MaxConcurrency, 1) {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			for ctx.Err() == nil {
				if err := c.pollOnce(ctx, fn, trigger, url); err != nil && ctx.Err() == nil {
					c.logf("%s: polling %s: %v", fn.spec.Name, trigger.Queue, err)
					sleep(ctx, time.Second)
				}
			}
		}()
	}
}

func (c *Cloud) pollOnce(ctx context.Context, fn *function, trigger catalog.QueueTrigger, url string) error {
	in := &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(url), MaxNumberOfMessages: int32(trigger.BatchSize), WaitTimeSeconds: 1,
		AttributeNames:              []types.QueueAttributeName{"All"}, // the emulator needs this for ApproximateReceiveCount
		MessageSystemAttributeNames: []types.MessageSystemAttributeName{types.MessageSystemAttributeNameAll},
		MessageAttributeNames:       []string{"All"},
	}
	out, err := c.sqs.ReceiveMessage(ctx, in)
	if err != nil || len(out.Messages) == 0 {
		return err
	}
	ev := c.sqsEvent(trigger.Queue, out.Messages)
	payload, _ := json.Marshal(ev)
	result, err := fn.invoke(ctx, payload)
	if err != nil {
		c.logf("%s: batch of %d failed, all will be retried: %v", fn.spec.Name, len(out.Messages), err)
		c.retrySoon(ctx, url, out.Messages)
		return nil
	}
	var resp events.SQSEventResponse
	_ = json.Unmarshal(result, &resp)
	failed := map[string]bool{}
	for _, f := range resp.BatchItemFailures {
		failed[f.ItemIdentifier] = true
	}
	var done []types.DeleteMessageBatchRequestEntry
	var retry []types.Message
	for i, m := range out.Messages {
		if failed[aws.ToString(m.MessageId)] {
			retry = append(retry, m)
		} else {
			done = append(done, types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
		}
	}
	c.retrySoon(ctx, url, retry)
	if len(done) > 0 {
		_, err = c.sqs.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: done})
	}
	return err
}

func (c *Cloud) sqsEvent(queue string, msgs []types.Message) events.SQSEvent {
	var ev events.SQSEvent
	for _, m := range msgs {
		attrs := map[string]string{}
		for k, v := range m.Attributes {
			attrs[k] = v
		}
		if c.Clock.Pinned() { // the runner's clock is the time AWS would have written
			ms := strconv.FormatInt(c.Clock.Now().UnixMilli(), 10)
			attrs["SentTimestamp"], attrs["ApproximateFirstReceiveTimestamp"] = ms, ms
		}
		msgAttrs := map[string]events.SQSMessageAttribute{}
		for k, v := range m.MessageAttributes {
			msgAttrs[k] = events.SQSMessageAttribute{DataType: aws.ToString(v.DataType), StringValue: v.StringValue, BinaryValue: v.BinaryValue}
		}
		sum := md5.Sum([]byte(aws.ToString(m.Body)))
		ev.Records = append(ev.Records, events.SQSMessage{
			MessageId: aws.ToString(m.MessageId), ReceiptHandle: aws.ToString(m.ReceiptHandle), Body: aws.ToString(m.Body),
			Md5OfBody: hex.EncodeToString(sum[:]), Attributes: attrs, MessageAttributes: msgAttrs,
			EventSource: "aws:sqs", EventSourceARN: "arn:aws:sqs:eu-west-2:000000000000:" + queue, AWSRegion: "eu-west-2",
		})
	}
	return ev
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
		if err != nil {
			c.logf("change visibility: %v", err)
		}
	}
}
