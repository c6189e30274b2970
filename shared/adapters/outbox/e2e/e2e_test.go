// Package e2e runs the outbox-relay function's real binary in the local cloud: a message stored with a change
// whose first delivery failed reaches its queue on the relay's next run, once.
package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { emulators.Main(m) }

func TestRelayDeliversWhatAChangeStoredButCouldNotSend(t *testing.T) {
	c := localcloud.StartForTest(t, "outbox-relay")
	stored := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	store := &dynamo.Store{DB: c.DynamoClient(), Cases: c.Resources.Tables[catalog.CasesTable]}
	msg, err := casework.NewMessage("ASB-RELAY-1#safeguarding", catalog.ReferralsQueue, "safeguarding-referral", map[string]string{"caseRef": "ASB-RELAY-1"}, stored)
	if err != nil {
		t.Fatal(err)
	}
	writes, err := store.OutboxWrites(msg) // as a change's transaction writes it; its delivery then "failed"
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Write(context.Background(), writes); err != nil {
		t.Fatal(err)
	}

	c.PinClock(stored.Add(30 * time.Second)) // within the grace the first delivery has: not relayed yet
	if r := c.Call(t, "POST", "/_local/schedules/outbox-relay-every-5-minutes", nil); r.Status != 200 || r.JSON["relayed"] != float64(0) {
		t.Fatalf("relay inside the grace period: %d %s", r.Status, r.Raw)
	}
	c.PinClock(stored.Add(5 * time.Minute))
	if r := c.Call(t, "POST", "/_local/schedules/outbox-relay-every-5-minutes", nil); r.Status != 200 || r.JSON["relayed"] != float64(1) {
		t.Fatalf("relay: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", "/_local/schedules/outbox-relay-every-5-minutes", nil); r.JSON["relayed"] != float64(0) {
		t.Fatalf("relayed twice: %s", r.Raw)
	}
	out, err := c.SQSClient().ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(c.Resources.Queues[catalog.ReferralsQueue]), MaxNumberOfMessages: 10, WaitTimeSeconds: 2})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("the referral reached its queue %d times: %v", len(out.Messages), err)
	}
}
