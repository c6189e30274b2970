// Package notifier is the notifier function: it delivers notification requests from the queue through GOV.UK
// Notify, in the resident's language and by their preferred channel, and records every notification on the
// case's timeline. Bodies and addresses are never logged.
package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/dynamo"
	"github.com/councilhousing/backend/shared/notification"
	"github.com/councilhousing/backend/shared/notify"
	"github.com/councilhousing/backend/shared/queue"
)

// Sender is the part of the Notify client the notifier uses.
type Sender interface {
	SendEmail(ctx context.Context, e notify.Email) (*notify.Sent, error)
	SendSMS(ctx context.Context, s notify.SMS) (*notify.Sent, error)
}

// Notifier delivers notifications.
type Notifier struct {
	Store  *dynamo.Store
	Notify Sender
	// Templates maps "<template>.<language>.<channel>", "<template>.<channel>" or "<template>" to a Notify template
	// id (NOTIFY_TEMPLATES). Unmapped templates use "<template>.<channel>" as the id, which the local Notify
	// stand-in accepts and real Notify refuses with a 400 (recorded on the timeline as a failure).
	Templates map[string]string
}

// Handle processes a batch with partial batch failures: a message Notify refuses for good (400) is recorded and
// acknowledged; rate limits, Notify's own failures and our configuration errors are retried through the queue
// and end in the DLQ after maxReceiveCount.
func (n Notifier) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	return queue.Handle(ctx, ev, n.deliver), nil
}

// Channel chooses how to reach the recipient: their preferred contact when it is possible, else email.
func Channel(to notification.Recipient) string {
	switch to.PreferredContact {
	case "letter":
		return "letter"
	case "sms", "phone":
		if to.Phone != "" {
			return "sms"
		}
	}
	switch {
	case to.Email != "":
		return "email"
	case to.Phone != "":
		return "sms"
	}
	return ""
}

// TemplateID finds the template for a language and channel, falling back to English and then to the template
// alone.
func (n Notifier) TemplateID(template, language, channel string) string {
	for _, key := range []string{template + "." + language + "." + channel, template + ".en." + channel, template + "." + channel, template} {
		if id, ok := n.Templates[key]; ok && id != "" {
			return id
		}
	}
	return template + "." + channel
}

func (n Notifier) deliver(ctx context.Context, m events.SQSMessage) error {
	var req notification.Request
	if err := json.Unmarshal([]byte(m.Body), &req); err != nil || req.ID == "" || req.Template == "" {
		return fmt.Errorf("message %s is not a notification request", m.MessageId)
	}
	channel := Channel(req.To)
	if channel == "" {
		return nil // nobody to tell (e.g. an anonymous reporter): nothing is sent and nothing fails
	}
	if done, err := n.Store.Noted(ctx, req.CaseKind, req.CaseRef, req.ID, req.RequestedAt); err != nil || done {
		return err // already delivered (a redelivered message): send nothing twice
	}
	record := func(action string, details map[string]any) error {
		// the timeline is the case's correspondence record (CH-9), read by staff: it says to whom; logs never do
		details["template"], details["channel"], details["role"], details["notificationId"] = req.Template, channel, req.To.Role, req.ID
		details["to"] = address(req.To, channel)
		return n.Store.Note(ctx, req.CaseKind, req.CaseRef, req.ID, casefile.Event{At: req.RequestedAt, Actor: "notifier", Action: action, Details: details})
	}
	if channel == "letter" {
		return record("letter-to-post", map[string]any{"note": "The resident asked for letters: print and post it."})
	}
	templateID := n.TemplateID(req.Template, req.To.Language, channel)
	var sent *notify.Sent
	var err error
	if channel == "email" {
		sent, err = n.Notify.SendEmail(ctx, notify.Email{EmailAddress: req.To.Email, TemplateID: templateID, Personalisation: req.Personalisation, Reference: req.ID})
	} else {
		sent, err = n.Notify.SendSMS(ctx, notify.SMS{PhoneNumber: req.To.Phone, TemplateID: templateID, Personalisation: req.Personalisation, Reference: req.ID})
	}
	var nerr *notify.Error
	switch {
	case errors.As(err, &nerr) && nerr.Permanent():
		slog.WarnContext(ctx, "notification refused by Notify", "case", req.CaseRef, "template", req.Template, "status", nerr.StatusCode)
		if rerr := record("notification-failed", map[string]any{"status": nerr.StatusCode, "error": nerr.Errors[0].Error}); rerr != nil {
			return rerr
		}
		return fmt.Errorf("%w: %s", queue.ErrPermanent, nerr.Errors[0].Error)
	case err != nil:
		return err
	}
	return record("notification-sent", map[string]any{"notifyId": sent.ID, "templateId": templateID})
}

// address is where a channel delivers to.
func address(to notification.Recipient, channel string) string {
	switch channel {
	case "email":
		return to.Email
	case "sms":
		return to.Phone
	}
	return "by post"
}
