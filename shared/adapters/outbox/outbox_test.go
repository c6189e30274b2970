package outbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { emulators.Main(m) }

type downQueue struct{}

func (downQueue) Publish(context.Context, ...casework.Message) error {
	return errors.New("SQS unavailable")
}

// A message stored with a change is delivered at once, or, if the queue was down, by the relay: never lost.
func TestMessagesStoredWithTheChangeAreDeliveredOnce(t *testing.T) {
	set := emulators.Shared(t).Fresh(t)
	store := &dynamo.Store{DB: set.DDB, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	up := Outbox{Store: store, Queues: &queue.Publisher{SQS: set.SQS, URLs: set.Queues}}
	down := Outbox{Store: store, Queues: downQueue{}}
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	ctx := context.Background()

	first, _ := casework.NewMessage("ASB-1#partner", catalog.ReferralsQueue, "partner-referral", map[string]string{"id": "ASB-1#partner"}, at)
	second, _ := casework.NewMessage("ASB-2#safeguarding", catalog.ReferralsQueue, "safeguarding-referral", map[string]string{"id": "ASB-2#safeguarding"}, at)
	writes, err := store.OutboxWrites(first, second)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Write(ctx, writes); err != nil {
		t.Fatal(err)
	}
	if err := up.Deliver(ctx, first); err != nil {
		t.Fatal(err)
	}
	if err := down.Deliver(ctx, second); err == nil {
		t.Fatal("a failed delivery must be reported")
	}
	if n, _ := up.Relay(ctx, at.Add(-time.Second)); n != 0 {
		t.Fatalf("the relay took an entry younger than its cut-off: %d", n)
	}
	n, err := up.Relay(ctx, at.Add(time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("relay: %d %v", n, err)
	}
	if again, _ := up.Relay(ctx, at.Add(time.Hour)); again != 0 {
		t.Fatalf("relayed twice: %d", again)
	}
	out, err := set.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(set.Queues[catalog.ReferralsQueue]), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	if err != nil || len(out.Messages) != 2 {
		t.Fatalf("queued %d messages, want both referrals once: %v", len(out.Messages), err)
	}
}
