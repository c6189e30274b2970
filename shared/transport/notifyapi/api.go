// Package notifyapi is GOV.UK Notify's way in: the callback route Notify posts a delivery receipt to for every
// email, text and letter it sent for us (notify-receipts). It checks the bearer token we gave Notify, decodes and
// bounds the receipt like every other body (every field error listed; but fields Notify may add in future are
// ignored, not refused), drops the recipient's address, and hands the receipt to shared/app/deliveryreceipts.
package notifyapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/deliveryreceipts"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// Route is the callback route (the catalog's notify-receipts function): its URL is what Notify's callback
// settings name.
const Route = "POST /webhooks/govuk-notify/delivery-receipts"

// DeliveryReceipt is Notify's callback body for a delivery receipt. Times are RFC 3339 as Notify writes them
// ("2017-05-14T12:15:30.000000Z"); reference, completed_at, sent_at and provider_response may be null.
type DeliveryReceipt struct {
	ID               string  `json:"id" validate:"required,max=36,uuid"`
	Reference        *string `json:"reference" validate:"omitempty,max=1000"`
	To               string  `json:"to" validate:"required,max=1000"` // read and dropped: never stored or logged
	Status           string  `json:"status" validate:"required,oneof=delivered permanent-failure temporary-failure technical-failure"`
	CreatedAt        string  `json:"created_at" validate:"required,datetime=2006-01-02T15:04:05Z07:00"`
	CompletedAt      *string `json:"completed_at" validate:"omitempty,datetime=2006-01-02T15:04:05Z07:00"`
	SentAt           *string `json:"sent_at" validate:"omitempty,datetime=2006-01-02T15:04:05Z07:00"`
	NotificationType string  `json:"notification_type" validate:"required,oneof=email sms letter"`
	TemplateID       *string `json:"template_id" validate:"omitempty,max=100"` // a UUID from Notify; not read
	TemplateVersion  *int    `json:"template_version" validate:"omitempty,min=0,max=1000000"`
	ProviderResponse *string `json:"provider_response" validate:"omitempty,max=500"`
}

// Answer is the callback's answer (202): what became of the receipt.
type Answer struct {
	Status string `json:"status"`           // recorded | duplicate | unknown (no notification of ours: nothing stored)
	Action string `json:"action,omitempty"` // the timeline entry's action
}

// How far a receipt's times may be from the request's time: Notify sends within minutes (retrying for half an
// hour), a temporary failure after 72 hours of trying; a clock a little ahead is not an error.
const (
	MaxAge  = 30 * 24 * time.Hour
	MaxSkew = time.Hour
)

// Receipts is the notify-receipts function's transport.
type Receipts struct {
	Token   string // NOTIFY_CALLBACK_TOKEN: the bearer token set in Notify's callback settings
	Service deliveryreceipts.Service
}

// Routes are notify-receipts' routes.
func (h Receipts) Routes() httpapi.Routes { return httpapi.Routes{Route: h.receive} }

// Contracts are the route's typed request and answer.
func Contracts() []httpapi.Contract {
	return []httpapi.Contract{{Route: Route, Request: DeliveryReceipt{}, Response: Answer{}, Status: http.StatusAccepted, Extensible: true}}
}

// receive answers 401 (nothing read) to a missing or wrong token, 400 listing every field error, 413 to a body over
// 64 KB, and 202 once the receipt is recorded, was recorded before, or names no notification of ours (nothing is
// stored, and Notify does not retry); a store failure is a 500, which Notify retries.
func (h Receipts) receive(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if !h.authorised(req.BearerToken()) {
		slog.WarnContext(ctx, "delivery receipt refused: missing or wrong bearer token")
		return events.APIGatewayV2HTTPResponse{}, apperr.New(apperr.Unauthorized, "The bearer token is missing or wrong.")
	}
	var body DeliveryReceipt
	if err := req.DecodeExtensibleJSON(&body); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	receipt, err := body.Receipt(req.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out, err := h.Service.Record(ctx, receipt)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.Accepted(Answer{Status: out.Status, Action: out.Action})
}

// authorised compares the token with ours in constant time (of their hashes, so not even the length shows); no
// token configured refuses everything.
func (h Receipts) authorised(token string) bool {
	if h.Token == "" || token == "" {
		return false
	}
	got, want := sha256.Sum256([]byte(token)), sha256.Sum256([]byte(h.Token))
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// Receipt validates the body and makes the use case's receipt (without the recipient's address); every problem
// is a field error.
func (b DeliveryReceipt) Receipt(now time.Time) (deliveryreceipts.Receipt, error) {
	f := validate.Struct(b)
	when := func(field string, v *string) *time.Time {
		if v == nil || slices.ContainsFunc(f, func(e apperr.FieldError) bool { return e.Field == field }) {
			return nil
		}
		t, err := time.Parse(time.RFC3339, *v)
		if err != nil {
			f.Add(field, "must be a date and time in RFC 3339 form, e.g. 2026-11-23T21:15:00.000000Z")
			return nil
		}
		if t.Before(now.Add(-MaxAge)) || t.After(now.Add(MaxSkew)) {
			f.Add(field, "must be within the last 30 days")
			return nil
		}
		return &t
	}
	created := when("created_at", &b.CreatedAt)
	r := deliveryreceipts.Receipt{NotifyID: b.ID, Status: b.Status, Type: b.NotificationType,
		CompletedAt: when("completed_at", b.CompletedAt), SentAt: when("sent_at", b.SentAt)}
	if err := f.Err(); err != nil {
		return deliveryreceipts.Receipt{}, err
	}
	r.CreatedAt = *created
	if b.Reference != nil {
		r.Reference = *b.Reference
	}
	if b.ProviderResponse != nil {
		r.ProviderResponse = *b.ProviderResponse
	}
	return r, nil
}
