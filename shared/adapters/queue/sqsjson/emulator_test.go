package sqsjson

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
)

func TestMain(m *testing.M) { emulators.Main(m) }

// TestSendsToTheSQSEmulator: the signed JSON request, as the functions send it with the environment the local
// cloud gives them, is accepted by the SQS emulator and the message arrives with its body and type.
func TestSendsToTheSQSEmulator(t *testing.T) {
	set := emulators.Shared(t).Fresh(t)
	for k, v := range set.Vars {
		t.Setenv(k, v)
	}
	cfg, err := awsenv.Config()
	if err != nil {
		t.Fatal(err)
	}
	p := PublisherFromEnv(New(cfg), catalog.NotificationsQueue)
	if err := p.Send(context.Background(), catalog.NotificationsQueue, Message{Type: "reminder-digest", Body: map[string]string{"to": "team"}}); err != nil {
		t.Fatal(err)
	}
	out, err := set.SQS.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(set.Queues[catalog.NotificationsQueue]),
		MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("%v: %d messages", err, len(out.Messages))
	}
	m := out.Messages[0]
	if aws.ToString(m.Body) != `{"to":"team"}` || aws.ToString(m.MessageAttributes["type"].StringValue) != "reminder-digest" {
		t.Errorf("body %s, type %v", aws.ToString(m.Body), aws.ToString(m.MessageAttributes["type"].StringValue))
	}
	p.URLs[catalog.NotificationsQueue] += "-missing"
	if err := p.Send(context.Background(), catalog.NotificationsQueue, Message{Type: "t", Body: 1}); err == nil {
		t.Error("sending to a queue that does not exist succeeded")
	} else {
		t.Logf("missing queue: %v", err)
	}
}
