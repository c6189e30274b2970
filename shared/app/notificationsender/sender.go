// Package notificationsender is the notifier function: it delivers notification requests from the queue through GOV.UK
// Notify, in the resident's language and by their preferred channel, and records every notification on the
// case's timeline (the case's correspondence record, CH-9). Logs carry ids, template names and error kinds only:
// never an address, a personalisation value or Notify's message text.
//
// Templates (NOTIFY_TEMPLATES, a JSON object) map a logical template name (shared/notification) to a Notify
// template id. Keys are tried in this order, so English is the fallback for a language with no template:
//
//	<template>.<language>.<channel>   e.g. "complaint-received.cy.email"
//	<template>.<language>             e.g. "complaint-received.cy"
//	<template>.en.<channel>, <template>.en
//	<template>.<channel>, <template>  e.g. "complaint-received.sms"
//
// Notify templates are per channel (an email template cannot send a text), so real deployments map
// "<template>.<channel>" or "<template>.<language>.<channel>". With no mapping the id is "<template>.<channel>":
// that is what ships for local use (the catalog sets NOTIFY_TEMPLATES to {}), since the local Notify stand-in
// accepts any template id; real Notify refuses it with a 400, recorded on the timeline as notification-failed.
package notificationsender

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Notify sends one email, text or letter through GOV.UK Notify (shared/adapters/govuknotify.Sender) and returns
// Notify's id for it. A letter's to is its address, one line per line (name first, postcode last: LetterTo).
// Its refusals implement Refusal.
type Notify interface {
	Send(ctx context.Context, channel, to, templateID string, personalisation map[string]string, reference string) (notifyID string, err error)
}

// Refusal is Notify saying no: for good (400, or 403 when our API key is wrong) or for now (429, 5xx).
type Refusal interface {
	error
	AuthFailure() bool // 403: our key is wrong or revoked
	Permanent() bool   // retrying cannot help
	Status() int
	Kind() string // Notify's error kind, never its message text (it may quote personal data)
}

// Records is where the notifier keeps what it did, per notification id: the record entry (on the case's timeline, or
// a digest's under its recipient's key) and, while one delivery is sending it, a lease. Two requests per delivered
// notification: Begin, then Finish.
type Records interface {
	// Begin starts a delivery of req: done when the entry is written (a redelivered message); otherwise held when
	// no other delivery holds the lease, which is now this delivery's until now+d. It also keeps, under the
	// notification's id (Notify's reference), where its record is, so that Notify's delivery receipts find the
	// case (shared/app/deliveryreceipts) however soon they come. One request.
	Begin(ctx context.Context, req notification.Request, d time.Duration, now time.Time) (done, held bool, err error)
	// Finish writes the entry (once per id: an entry already there is kept) and ends the lease. One request.
	Finish(ctx context.Context, req notification.Request, ev casefile.Event) error
	// Abandon ends the lease without an entry: the send failed and the message will be retried.
	Abandon(ctx context.Context, req notification.Request) error
}

// Notifier delivers notifications.
type Notifier struct {
	Records   Records
	Notify    Notify
	Templates map[string]string // NOTIFY_TEMPLATES (see the package comment)
	Now       func() time.Time  // real clock, for leases and the time sent; defaults to time.Now
}

// Channels.
const (
	Email  = "email"
	SMS    = "sms"
	Letter = "letter"
)

// Timeline actions.
const (
	ActionSent          = "notification-sent"
	ActionFailed        = "notification-failed" // Notify refused it for good (400): staff must contact the resident another way
	ActionLetterNotSent = "letter-not-sent"     // the resident asked for letters, but their postal address is incomplete
	// ActionAlternativeFormat: an alternative format was agreed as a reasonable adjustment (source 004 §5.10), which
	// GOV.UK Notify cannot produce; nothing is sent, and staff produce and send the message in that format.
	ActionAlternativeFormat = "alternative-format-needed"
	logAlternativeFormat    = "not sent through Notify: an alternative format was agreed"
	logLetterNotSent        = "letter not sent: the resident's postal address is incomplete"
	noteLetterNotSent       = "The resident asked for letters, but we cannot address one: ask them for their full postal address " +
		"(with postcode), and send this another way meanwhile."
)

// lease is how long one delivery may hold a notification between deciding to send it and recording it. Twice the
// function's timeout (30 s, catalog): no holder outlives it, and the queue's visibility timeout (six times the
// timeout) brings a message back only after it has run out.
const lease = 60 * time.Second

// ErrInFlight sends a message back to the queue while another delivery of the same request holds the lease.
var ErrInFlight = errors.New("another delivery of this message is in flight; retried later")

// Once delivers req at most once under its record's lease (for every sender of messages about a case: the
// notifier, the referral sender): nothing when it is recorded already, ErrInFlight while another delivery holds
// the lease; otherwise send, and the lease ended at once when send recorded nothing, so a retry need not wait.
func Once(ctx context.Context, records Records, req notification.Request, now time.Time, send func() (recorded bool, err error)) error {
	switch done, held, err := records.Begin(ctx, req, lease, now); {
	case err != nil || done:
		return err
	case !held:
		return ErrInFlight
	}
	recorded, err := send()
	if !recorded {
		if aerr := records.Abandon(ctx, req); aerr != nil {
			// the message is retried anyway; the lease runs out by itself
			slog.WarnContext(ctx, "delivery lease not ended", "message", req.ID, "error", aerr.Error())
		}
	}
	return err
}

// Channel chooses how to reach the recipient: letter when they asked for letters; SMS when they prefer texts or
// calls and a phone is known; else email, else SMS; "" when there is no way (an anonymous reporter, ASB-2).
func Channel(to notification.Recipient) string {
	switch to.PreferredContact {
	case Letter:
		return Letter
	case SMS, "phone":
		if to.Phone != "" {
			return SMS
		}
	}
	switch {
	case to.Email != "":
		return Email
	case to.Phone != "":
		return SMS
	}
	return ""
}

// TemplateID finds the Notify template for a language and channel (see the package comment).
func (n Notifier) TemplateID(template, language, channel string) string {
	keys := []string{template + "." + language + "." + channel, template + "." + language,
		template + ".en." + channel, template + ".en", template + "." + channel, template}
	if language == "" {
		keys = keys[2:]
	}
	for _, key := range keys {
		if id := n.Templates[key]; id != "" {
			return id
		}
	}
	return template + "." + channel
}

// Deliver sends one request (a queue message's body), once per Request.ID, with two requests to the records
// (Records.Begin and Finish) besides Notify's:
//   - a record entry for the id means it was delivered (a redelivered message): nothing is sent;
//   - otherwise a lease (see lease) stops a concurrent duplicate delivery from sending it too;
//   - Notify gets reference = Request.ID, so a notification is traceable in Notify by our id. The one window left
//     is a crash after Notify accepted it and before the entry was written: the redelivery, after the lease,
//     sends it again (at least once, never lost); the repeat carries the same reference.
//
// A staff digest (Request.Digest) is one notification like any other: one Notify request, two record requests,
// however many cases it lists.
//
// A request Notify refuses for good (400) is recorded and answers casework.ErrPermanent (acknowledged); rate
// limits, Notify's own failures, network errors and a rejected API key are errors to retry through the queue,
// ending in the DLQ after maxReceiveCount.
func (n Notifier) Deliver(ctx context.Context, body []byte, _ time.Time) error {
	var req notification.Request
	if err := json.Unmarshal(body, &req); err != nil || !req.Valid() {
		return errors.New("the message is not a notification request") // to the DLQ, for a person to read
	}
	channel := Channel(req.To)
	if channel == "" {
		return nil // nobody to tell (e.g. an anonymous reporter): nothing is sent and nothing fails
	}
	return Once(ctx, n.Records, req, n.now(), func() (bool, error) { return n.send(ctx, req, channel) })
}

// send delivers by channel and records the outcome (Records.Finish, which also ends the lease); recorded is false
// when it did not get that far.
//
// A letter goes through Notify's letter API to the resident's postal address (name, address lines, postcode);
// without a usable one nothing is sent and the timeline says why (letter-not-sent), for an officer to act on.
//
// A message for someone with an alternative format agreed (large print, braille, audio, easy read: source 004
// §5.10) is not sent: GOV.UK Notify sends email and text as they are written and prints letters from a standard
// template in standard print, so none of these formats can come from it. Sending the standard version instead would
// not be the adjustment agreed; the timeline records alternative-format-needed, with the format and the channel it
// would have gone by, for an officer to produce it (the letter's text is on the case record) and send it.
func (n Notifier) send(ctx context.Context, req notification.Request, channel string) (recorded bool, err error) {
	if format := req.To.Format; format != "" {
		slog.WarnContext(ctx, logAlternativeFormat, "notification", req.ID, "template", req.Template, "format", format)
		return n.record(ctx, req, channel, ActionAlternativeFormat, map[string]any{"format": format, "note": "A reasonable adjustment was agreed: " +
			"send this in " + strings.ReplaceAll(format, "-", " ") + ". GOV.UK Notify cannot produce it, so it was not sent: produce it from the " +
			"case record and send it, then note it on the case (source 004 §5.10)."})
	}
	to := address(req.To, channel)
	if channel == Letter {
		var problem string
		if to, problem = LetterTo(req.To); problem != "" {
			slog.WarnContext(ctx, logLetterNotSent, "notification", req.ID, "template", req.Template, "reason", problem)
			return n.record(ctx, req, channel, ActionLetterNotSent, map[string]any{"reason": problem, "note": noteLetterNotSent})
		}
	}
	templateID := n.TemplateID(req.Template, req.To.Language, channel)
	notifyID, err := n.Notify.Send(ctx, channel, to, templateID, req.Personalisation, req.ID)
	var nerr Refusal
	switch {
	case errors.As(err, &nerr) && nerr.AuthFailure():
		// our key is wrong or revoked: every message fails alike. Not the resident's fault, so nothing goes on the
		// timeline; the message is retried and kept in the DLQ, to be redriven once NOTIFY_API_KEY is fixed.
		slog.ErrorContext(ctx, "ALERT: GOV.UK Notify rejected our API key (403 AuthError): no notification can be sent until NOTIFY_API_KEY is fixed",
			"notification", req.ID, "error", nerr.Kind())
		return false, fmt.Errorf("notify: 403 %s", nerr.Kind())
	case errors.As(err, &nerr) && nerr.Permanent():
		slog.WarnContext(ctx, "notification refused by Notify", "notification", req.ID, "template", req.Template, "status", nerr.Status(), "error", nerr.Kind())
		if recorded, rerr := n.record(ctx, req, channel, ActionFailed, map[string]any{"templateId": templateID, "status": nerr.Status(), "error": nerr.Kind()}); rerr != nil {
			return recorded, rerr
		}
		return true, fmt.Errorf("%w: notify %d %s", casework.ErrPermanent, nerr.Status(), nerr.Kind())
	case err != nil:
		return false, err // 429, 5xx, network: retried through the queue
	}
	return n.record(ctx, req, channel, ActionSent, map[string]any{"templateId": templateID, "notifyId": notifyID, "reference": req.ID})
}

// record writes the entry and ends the lease (one request): for a case, its timeline entry, the case's
// correspondence record (CH-9), read by staff, so it says what went to whom, how and when (logs never do); for a
// digest, what it listed, under its recipient's key (staff reminders are not correspondence with the resident, so
// they are not on each case's timeline).
func (n Notifier) record(ctx context.Context, req notification.Request, channel, action string, details map[string]any) (bool, error) {
	details["template"], details["channel"], details["role"], details["notificationId"] = req.Template, channel, string(req.To.Role), req.ID
	details["to"], details["at"] = address(req.To, channel), n.now().UTC().Format(time.RFC3339)
	if d := req.Digest; d != nil {
		// what it listed: a digest's text carries case references, deadlines and officer ids, no resident's data
		details["day"], details["counts"], details["listed"] = d.Day, digestCounts(d.Counts), digestLists(req.Personalisation)
	}
	// At is the request's time, which makes the entry's key the same however often it is written
	if err := n.Records.Finish(ctx, req, casefile.Event{At: req.RequestedAt, Actor: "notifier", Action: action, Details: details}); err != nil {
		return false, err
	}
	return true, nil
}

// digestCounts and digestLists are a digest's content as the record keeps it (plain maps).
func digestCounts(c notification.DigestCounts) map[string]any {
	return map[string]any{"overdue": c.Overdue, "dueToday": c.DueToday, "dueSoon": c.DueSoon}
}

func digestLists(p map[string]string) map[string]any {
	out := map[string]any{}
	for _, section := range []string{"overdue", "due_today", "due_soon"} {
		if text, ok := p[section]; ok {
			out[section] = text
		}
	}
	return out
}

// LetterTo is a letter's address for Notify.Send, one line per line (contact.Details.PostalAddress), or why
// there is none.
func LetterTo(to notification.Recipient) (string, string) {
	lines, problem := to.PostalDetails().PostalAddress()
	return strings.Join(lines, "\n"), problem
}

// address is where a channel delivers to, as the timeline records it: a letter's is "by post" (the address stays
// in the case's contact details).
func address(to notification.Recipient, channel string) string {
	switch channel {
	case Email:
		return to.Email
	case SMS:
		return to.Phone
	}
	return "by post"
}

func (n Notifier) now() time.Time {
	if n.Now != nil {
		return n.Now()
	}
	return time.Now()
}
