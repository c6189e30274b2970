package asbapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/sqsbatch"
	"github.com/councilhousing/backend/shared/transport/webhook"
)

// webhookMemory is how long a webhook id is remembered to refuse repeats (Standard Webhooks senders retry for
// up to a few days).
const webhookMemory = 7 * 24 * time.Hour

// Claims remembers webhook ids already accepted (shared/adapters/dynamo's Store implements it).
type Claims interface {
	// Claim records key once: false when it was already claimed and unexpired.
	Claim(ctx context.Context, key string, ttl time.Duration, now time.Time) (bool, error)
	// Release forgets a claim whose work failed, so a retry is accepted.
	Release(ctx context.Context, key string) error
}

// MaxWebhookIDLength bounds the webhook-id header, which keys the duplicate check (Standard Webhooks ids are
// short, e.g. "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W").
const MaxWebhookIDLength = 200

// WebhookIntake is the ooh-intake function: it verifies the answering service's signature and queues the call.
type WebhookIntake struct {
	Secret string
	Claims Claims
	Queues casework.Queues
}

// Routes are ooh-intake's routes.
func (in WebhookIntake) Routes() httpapi.Routes {
	return httpapi.Routes{"POST /webhooks/out-of-hours": in.receive}
}

// IntakeContracts are ooh-intake's typed request and answer.
func IntakeContracts() []httpapi.Contract {
	return []httpapi.Contract{{Route: "POST /webhooks/out-of-hours", Request: asb.Call{}, Response: Intake{}, Status: http.StatusAccepted}}
}

// receive answers 202 once the call is safely on the ooh-calls queue; 401 with nothing queued for a missing, bad
// or stale signature; 202 again, without queuing, for a repeated webhook-id.
func (in WebhookIntake) receive(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
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
	if len(h.ID) > MaxWebhookIDLength {
		// correctly signed but unusable as a key: a 400 tells the sender not to retry it (a 5xx would)
		var f apperr.Fields
		f.Add("webhook-id", "must have at most %d characters", MaxWebhookIDLength)
		return events.APIGatewayV2HTTPResponse{}, f.Err()
	}
	var call asb.Call
	if err := req.DecodeJSON(&call); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := call.Validate(now); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	claimKey := "webhook#ooh#" + h.ID
	fresh, err := in.Claims.Claim(ctx, claimKey, webhookMemory, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if !fresh {
		return httpapi.Accepted(Intake{Status: "duplicate", WebhookID: h.ID, CallID: call.CallID})
	}
	if err := in.Queues.Publish(ctx, casework.Message{ID: h.ID, Queue: catalog.OOHCallsQueue, Type: "ooh-call", Body: json.RawMessage(body), At: now}); err != nil {
		// Nothing was queued: forget the id so the answering service's retry is accepted.
		if rerr := in.Claims.Release(ctx, claimKey); rerr != nil {
			slog.ErrorContext(ctx, "webhook claim not released", "error", rerr.Error())
		}
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("queue the call: %w", err)
	}
	return httpapi.Accepted(Intake{Status: "queued", WebhookID: h.ID, CallID: call.CallID})
}

// CallQueue is the ooh-processor function: each queued call becomes an ASB case with channel "out-of-hours",
// timed from the call (ASB-10), once per callId. A call that cannot be processed is reported as a batch item
// failure: it is retried and ends in the DLQ after maxReceiveCount, without holding up the rest.
type CallQueue struct {
	Service asbcases.Service
}

// CallWorkers is how many calls of a batch are recorded at once. Each call waits on two or three DynamoDB round
// trips and an SQS send one after another, so a batch of 10 (the catalog's BatchSize) one at a time spends
// nearly all its time waiting; 5 at a time takes two rounds. It stays small because calls are independent but
// not free: with the trigger's MaxConcurrency of 2 it is at most 10 writes to the table at once, and 5 requests
// in flight fit the SDK's pool of 10 idle connections per host, so no call pays for a new TLS connection.
const CallWorkers = 5

// Process handles a batch of queued calls, CallWorkers at a time. Copies of one call in the same batch are handled
// one after the other, in order (two transactions on the same once-only key at the same moment would make
// DynamoDB refuse one with a TransactionConflict, to be retried for nothing), and once one has made or found the
// call's case the others are acknowledged without asking DynamoDB again.
func (q CallQueue) Process(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var made sync.Map // call id -> the reference of its case, for the copies later in the batch
	return sqsbatch.HandleConcurrently(ctx, ev, CallWorkers, callIDOf, func(ctx context.Context, m events.SQSMessage) error {
		return q.processCall(ctx, m, &made)
	}), nil
}

// callIDOf is the call id of a queued call, "" when the message is not one (it fails on its own).
func callIDOf(m events.SQSMessage) string {
	var id struct {
		CallID string `json:"callId"`
	}
	if json.Unmarshal([]byte(m.Body), &id) != nil {
		return ""
	}
	return id.CallID
}

// processCall logs ids and the risk level only: the call's body holds the caller's details.
func (q CallQueue) processCall(ctx context.Context, m events.SQSMessage, made *sync.Map) error {
	var call asb.Call
	if err := json.Unmarshal([]byte(m.Body), &call); err != nil {
		return fmt.Errorf("message %s is not a call: %w", m.MessageId, err)
	}
	cmd := asbcases.RecordCall{Call: call, At: sqsbatch.SentAt(m)}
	if ref, ok := made.Load(call.CallID); ok {
		// a copy of a call this batch has already recorded: the answer RecordCall would give, without its requests
		if err := call.ValidateQueued(cmd.At); err != nil {
			return fmt.Errorf("call in message %s: %w", m.MessageId, err)
		}
		slog.InfoContext(ctx, "call already processed", "reference", ref)
		return nil
	}
	out, err := q.Service.RecordCall(ctx, cmd)
	if err != nil {
		return fmt.Errorf("call in message %s: %w", m.MessageId, err)
	}
	made.Store(call.CallID, out.Reference)
	if out.Duplicate {
		slog.InfoContext(ctx, "call already processed", "reference", out.Reference)
		return nil
	}
	slog.InfoContext(ctx, "out-of-hours case created", "reference", out.Reference, "riskLevel", out.Receipt.Case.RiskLevel)
	return nil
}
