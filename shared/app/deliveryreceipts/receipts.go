// Package deliveryreceipts is the notify-receipts function's use case: GOV.UK Notify's delivery receipts (the
// status Notify posts to our callback for each email, text or letter it sent for us) recorded on the timeline of
// the case the notification was about, once per Notify id and status, so officers see whether a resident, an
// officer or a partner team was reached.
//
// A receipt names our notification by its reference, which is our request id (the notifier and referral-sender
// send it as Notify's reference); the notifier's records keep where each notification is recorded under that id
// (Records.Sent). A receipt for a reference we never sent (a message sent from Notify's own pages, or another
// service's) is acknowledged and logged without storing anything, so Notify does not retry it.
//
// A receipt never adds the recipient's address to the timeline (the entry written when it was sent already says
// where it went), and logs carry ids, statuses and template names only. A permanent failure is logged with the
// line the stack counts as a GOV.UK Notify permanent failure (its alarm): the address is wrong, and someone must
// reach the person another way and correct their details.
package deliveryreceipts

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Statuses of a delivery receipt (GOV.UK Notify's callback documentation).
const (
	Delivered        = "delivered"
	PermanentFailure = "permanent-failure" // the provider refused it for good: the address or number is wrong
	TemporaryFailure = "temporary-failure" // the inbox was full or the phone off for 72 hours: not delivered
	TechnicalFailure = "technical-failure" // Notify could not pass it to its provider: not sent
)

// Statuses are the statuses a receipt may have.
var Statuses = []string{Delivered, PermanentFailure, TemporaryFailure, TechnicalFailure}

// Timeline actions, one per status.
const (
	ActionDelivered        = "notification-delivered"
	ActionPermanentFailure = "notification-permanently-failed"
	ActionTemporaryFailure = "notification-temporarily-failed"
	ActionTechnicalFailure = "notification-technical-failure"
)

// Actor is who the timeline says recorded it.
const Actor = "govuk-notify"

// LogPermanentFailure is the line the stack counts into the Notify permanent-failures metric (infra/stack
// NotifyUndeliveredMessage, whose test checks this function logs it).
const LogPermanentFailure = "notification not delivered: permanent failure (GOV.UK Notify delivery receipt)"

// logUnknown is a receipt for a notification we have no record of.
const logUnknown = "delivery receipt for no notification of ours: acknowledged, nothing recorded"

// MaxReference is the longest reference we give Notify (our request ids are far shorter): a longer one is not
// ours, and is not looked up.
const MaxReference = 200

// ErrNoRecord is Records.Record's answer when the record the notification was written to is gone (the case was
// erased): nothing is written.
var ErrNoRecord = errors.New("the notification's record no longer exists")

// Receipt is one delivery receipt, as the transport decoded it. It carries no recipient address: the transport
// drops Notify's "to".
type Receipt struct {
	NotifyID         string     // Notify's id for the notification
	Reference        string     // ours: the notification request's id ("" when Notify sent null)
	Status           string     // one of Statuses
	Type             string     // email | sms | letter
	CreatedAt        time.Time  // when we asked Notify to send it
	SentAt           *time.Time // when Notify's provider took it
	CompletedAt      *time.Time // when its status last changed
	ProviderResponse string     // the provider's reason for a failure (texts only), if Notify gives one
}

// At is when the status was reached: completed, else sent, else created.
func (r Receipt) At() time.Time {
	switch {
	case r.CompletedAt != nil:
		return r.CompletedAt.UTC()
	case r.SentAt != nil:
		return r.SentAt.UTC()
	}
	return r.CreatedAt.UTC()
}

// Records finds where a notification was recorded and writes a receipt there (shared/adapters/dynamo
// NotificationReceipts).
type Records interface {
	// Sent is the notification sent with this reference (its id, template, recipient's role, and the case or
	// digest it is recorded under; never its address or content), or false when we have none. One request.
	Sent(ctx context.Context, reference string) (notification.Request, bool, error)
	// Record writes ev next to the notification's record once per (notifyID, status): false when it was already
	// written (Notify sent the receipt again); ErrNoRecord when the record is gone. One request.
	Record(ctx context.Context, sent notification.Request, notifyID, status string, ev casefile.Event) (bool, error)
}

// Outcomes of a receipt.
const (
	Recorded  = "recorded"
	Duplicate = "duplicate" // recorded before: Notify sent it again
	Unknown   = "unknown"   // no notification of ours: acknowledged, nothing stored
)

// Outcome is what became of a receipt.
type Outcome struct {
	Status string // Recorded, Duplicate or Unknown
	Action string // the timeline action, when known
}

// Service records delivery receipts.
type Service struct {
	Records Records
}

// Record records one receipt on its notification's case (or digest) timeline, once per Notify id and status.
func (s Service) Record(ctx context.Context, r Receipt) (Outcome, error) {
	if !ours(r.Reference) {
		slog.InfoContext(ctx, logUnknown, "notifyId", r.NotifyID, "status", r.Status, "type", r.Type)
		return Outcome{Status: Unknown}, nil
	}
	sent, found, err := s.Records.Sent(ctx, r.Reference)
	if err != nil {
		return Outcome{}, err
	}
	if !found {
		slog.InfoContext(ctx, logUnknown, "notifyId", r.NotifyID, "status", r.Status, "type", r.Type)
		return Outcome{Status: Unknown}, nil
	}
	action := ActionOf(r.Status)
	ev := casefile.Event{At: r.At(), Actor: Actor, Action: action, Details: Details(r, sent)}
	recorded, err := s.Records.Record(ctx, sent, r.NotifyID, r.Status, ev)
	switch {
	case errors.Is(err, ErrNoRecord):
		slog.InfoContext(ctx, logUnknown, "notification", sent.ID, "notifyId", r.NotifyID, "status", r.Status, "reason", err.Error())
		return Outcome{Status: Unknown}, nil
	case err != nil:
		return Outcome{}, err
	case !recorded:
		return Outcome{Status: Duplicate, Action: action}, nil
	}
	attrs := []any{"notification", sent.ID, "notifyId", r.NotifyID, "status", r.Status, "type", r.Type, "template", sent.Template,
		"role", string(sent.To.Role)}
	switch r.Status {
	case PermanentFailure:
		slog.WarnContext(ctx, LogPermanentFailure, attrs...)
	case TemporaryFailure, TechnicalFailure:
		slog.WarnContext(ctx, "notification not delivered (GOV.UK Notify delivery receipt)", attrs...)
	default:
		slog.InfoContext(ctx, "notification delivered", attrs...)
	}
	return Outcome{Status: Recorded, Action: action}, nil
}

// ours: a reference we could have given (our ids are short ASCII); anything else is not looked up.
func ours(reference string) bool {
	if reference == "" || len(reference) > MaxReference {
		return false
	}
	for i := 0; i < len(reference); i++ {
		if c := reference[i]; c < '!' || c > '~' {
			return false
		}
	}
	return true
}

// ActionOf is the timeline action of a status.
func ActionOf(status string) string {
	switch status {
	case Delivered:
		return ActionDelivered
	case PermanentFailure:
		return ActionPermanentFailure
	case TemporaryFailure:
		return ActionTemporaryFailure
	}
	return ActionTechnicalFailure
}

// Details are the timeline entry's: which notification (ours and Notify's id), to whom by role, by which
// channel, what happened and when, and for a failure what staff should do. Never the recipient's address.
func Details(r Receipt, sent notification.Request) map[string]any {
	d := map[string]any{"notificationId": sent.ID, "notifyId": r.NotifyID, "status": r.Status, "channel": r.Type,
		"template": sent.Template, "role": string(sent.To.Role), "requestedAt": r.CreatedAt.UTC().Format(time.RFC3339)}
	if r.SentAt != nil {
		d["sentAt"] = r.SentAt.UTC().Format(time.RFC3339)
	}
	if r.CompletedAt != nil {
		d["completedAt"] = r.CompletedAt.UTC().Format(time.RFC3339)
	}
	if r.ProviderResponse != "" {
		d["providerResponse"] = r.ProviderResponse
	}
	if note := note(r.Status, sent.To.Role); note != "" {
		d["note"] = note
	}
	return d
}

// note says what staff should do about a failure, by who was not reached.
func note(status string, role notification.Role) string {
	who := map[notification.Role]string{notification.Resident: "the resident", notification.Duty: "the duty officer",
		notification.Partner: "the partner team"}[role]
	if who == "" {
		who = "the officer or team"
	}
	switch status {
	case PermanentFailure:
		if role == notification.Resident {
			return "Not delivered, and it never will be: the resident's email address or phone number is wrong. Reach them " +
				"another way, and correct their contact details."
		}
		return "Not delivered, and it never will be: the address is wrong. Tell " + who + " another way, and correct the address " +
			"(mailboxes in the configuration)."
	case TemporaryFailure:
		return "Not delivered: the inbox was full or the phone was off for 72 hours. Reach " + who + " another way."
	case TechnicalFailure:
		return "Not sent: GOV.UK Notify had a technical problem. Reach " + who + " another way."
	}
	return ""
}
