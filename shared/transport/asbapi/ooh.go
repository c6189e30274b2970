package asbapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/webhook"
)

// webhookMemory is how long a webhook id is remembered to refuse repeats (Standard Webhooks senders retry for
// up to a few days).
const webhookMemory = 7 * 24 * time.Hour

// Intake is the ooh-intake function: it verifies the answering service's signature and queues the call.
type Intake struct {
	Secret string
	Store  *dynamo.Store // the idempotency table: webhook ids already accepted
	Queues queue.Sender
}

// Routes are ooh-intake's routes.
func (in Intake) Routes() httpapi.Routes {
	return httpapi.Routes{"POST /webhooks/out-of-hours": in.receive}
}

// receive answers 202 once the call is safely on the ooh-calls queue; 401 with nothing queued for a missing, bad
// or stale signature; 202 again, without queuing, for a repeated webhook-id.
func (in Intake) receive(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	body, err := req.Body()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	h := webhook.Headers{ID: req.Header("webhook-id"), Timestamp: req.Header("webhook-timestamp"), Signature: req.Header("webhook-signature")}
	now := req.Now()
	if err := webhook.Verify(in.Secret, h, body, now); err != nil {
		slog.WarnContext(ctx, "webhook refused", "reason", err.Error())
		return events.APIGatewayV2HTTPResponse{}, apperr.New(apperr.Unauthorized, "The webhook signature is missing, wrong or more than 5 minutes old.")
	}
	var call asb.Call
	if err := req.DecodeJSON(&call); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := call.Validate(now); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	claimKey := "webhook#ooh#" + h.ID
	fresh, err := in.Store.Claim(ctx, claimKey, webhookMemory, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if !fresh {
		return httpapi.Accepted(map[string]any{"status": "duplicate", "webhookId": h.ID, "callId": call.CallID})
	}
	msg := queue.Message{Type: "ooh-call", Body: json.RawMessage(body)}
	if err := in.Queues.Send(ctx, catalog.OOHCallsQueue, msg); err != nil {
		// Nothing was queued: forget the id so the answering service's retry is accepted.
		if rerr := in.Store.Release(ctx, claimKey); rerr != nil {
			slog.ErrorContext(ctx, "webhook claim not released", "error", rerr.Error())
		}
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("queue the call: %w", err)
	}
	return httpapi.Accepted(map[string]any{"status": "queued", "webhookId": h.ID, "callId": call.CallID})
}

// ProcessCalls is the ooh-processor function: each queued call becomes an ASB case with channel
// "out-of-hours", timed from the call (ASB-10), once per callId. A call that cannot be processed is reported as
// a batch item failure: it is retried and ends in the DLQ after maxReceiveCount, without holding up the rest.
func (s Service) ProcessCalls(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return queue.Handle(ctx, ev, s.processCall), nil
}

func (s Service) processCall(ctx context.Context, m events.SQSMessage) error {
	var call asb.Call
	if err := json.Unmarshal([]byte(m.Body), &call); err != nil {
		return fmt.Errorf("message %s is not a call: %w", m.MessageId, err)
	}
	if err := call.Validate(queue.SentAt(m)); err != nil {
		return fmt.Errorf("call in message %s is invalid: %w", m.MessageId, err)
	}
	existing, err := s.Store.CallCase(ctx, call.CallID)
	if err != nil {
		return err
	}
	if existing != "" {
		slog.InfoContext(ctx, "call already processed", "reference", existing)
		return nil
	}
	ref := ids.NewReference("ASB")
	receipt, err := s.Submit(ctx, Submission{
		Reference: ref, Report: call.Report, Channel: "out-of-hours", ReceivedAt: call.ReceivedTime(), Actor: "out-of-hours",
		CallID: call.CallID, Operator: call.Operator, Police: call.AdvisedPolice,
		Idempotent: []types.TransactWriteItem{s.Store.CallMarker(call.CallID, ref)},
	})
	if errors.Is(err, dynamo.ErrConditionFailed) {
		return nil // a concurrent delivery of the same call made the case
	}
	if err != nil {
		return err
	}
	slog.InfoContext(ctx, "out-of-hours case created", "reference", receipt.Reference, "riskLevel", receipt.RiskLevel)
	return nil
}
