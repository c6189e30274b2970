// Package referralsender is the referral-sender function's use case: it delivers the ASB-6 referrals a new case
// puts on the referrals queue (shared/app/asbcases followUps) to the partner mailbox of their kind, hate
// incidents to the council's partner and safeguarding concerns to the safeguarding team, as a GOV.UK Notify
// email with a template per kind, and records each delivery on the case's timeline ("referral-sent", with the
// partner and Notify's id).
//
// It delivers and records as the notifier does (shared/app/notificationsender), through the same ports and
// adapters: once per referral id (a record entry means done; a lease stops a concurrent duplicate), temporary
// failures retried through the queue (SQS redelivery, batchItemFailures), a permanent refusal (400) recorded as
// "referral-failed", logged with the line the stack counts as a Notify permanent failure (its alarm), and not
// retried into the DLQ. Logs carry ids, template names and error kinds only.
package referralsender

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
	"github.com/councilhousing/backend/shared/app/notificationsender"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Referral is a message on the referrals queue, as a new case writes it (asbcases followUps).
type Referral struct {
	ID         string    `json:"id"`   // "<case reference>#<kind>": unique and stable, so a repeat is sent once
	Kind       string    `json:"kind"` // asb.PartnerReferral | asb.SafeguardingReferral
	Rule       string    `json:"rule"`
	Why        string    `json:"why"`
	CaseRef    string    `json:"caseRef"`
	Type       string    `json:"type"`
	RiskLevel  string    `json:"riskLevel"`
	ReceivedAt time.Time `json:"receivedAt"`
}

// Valid says whether the message names a referral of a case.
func (r Referral) Valid() bool {
	return r.ID != "" && r.Kind != "" && r.CaseRef != "" && !r.ReceivedAt.IsZero()
}

// Template is the Notify template of a referral kind, e.g. "asb-referral-partner" (mapped by email only: the
// partners are mailboxes).
func Template(kind string) string { return "asb-referral-" + kind }

// Templates are the templates of every referral kind (the catalog requires each by email).
func Templates() []string {
	return []string{Template(asb.PartnerReferral), Template(asb.SafeguardingReferral)}
}

// Timeline actions.
const (
	ActionSent   = "referral-sent"
	ActionFailed = "referral-failed" // Notify refused it for good: the team must be told another way, now
)

// Actor is who the timeline says sent it.
const Actor = "referral-sender"

// Log lines the stack counts into the Notify permanent-failures metric (infra/stack NotifyRefusedMessage and
// NotifyKeyRejectedMessage, whose tests check these lines are logged).
const (
	logRefused     = "notification refused by Notify"
	logKeyRejected = "ALERT: GOV.UK Notify rejected our API key (403 AuthError): no referral can be sent until referral-sender's NOTIFY_API_KEY is fixed"
)

// Cases reads an ASB case (shared/adapters/dynamo ASBCases). The referral reads the case, never its contact.
type Cases interface {
	Load(ctx context.Context, ref string) (casework.Stored[asb.Case, asb.Reporter], error)
}

// Sender delivers referrals.
type Sender struct {
	Cases     Cases
	Records   notificationsender.Records // the notifier's records: the timeline entry and the lease, per referral id
	Notify    notificationsender.Notify
	Templates map[string]string // notifyTemplates: "asb-referral-<kind>.email" -> Notify template id
	Partners  map[string]string // mailboxes.partners: referral kind -> mailbox
	Teams     map[string]string // mailboxes.teams: the ASB team's mailbox (and officers'), the partner's contact
	Now       func() time.Time  // real clock, for leases and the time sent; defaults to time.Now
}

// Deliver sends one referral (a queue message's body) to its kind's partner mailbox, once per Referral.ID:
// a record entry for the id means it was delivered (nothing is sent); otherwise a lease stops a concurrent
// duplicate. Notify gets reference = the referral id. A referral Notify refuses for good (400) is recorded on the
// timeline and answers casework.ErrPermanent (acknowledged, alarmed); rate limits, Notify's own failures,
// network errors, a rejected API key and a store that cannot be read are errors to retry through the queue,
// ending in the DLQ after maxReceiveCount (alarmed too). An unreadable message, or one of a kind with no mailbox,
// is an error: it goes to the DLQ for a person to read.
func (s Sender) Deliver(ctx context.Context, body []byte, _ time.Time) error {
	var ref Referral
	if err := json.Unmarshal(body, &ref); err != nil || !ref.Valid() {
		return errors.New("the message is not a referral") // to the DLQ, for a person to read
	}
	to := s.Partners[ref.Kind]
	if to == "" {
		return fmt.Errorf("no partner mailbox for referral kind %q (mailboxes.partners)", ref.Kind)
	}
	req := record(ref, to)
	// once per referral, under the notifier's lease (twice the function's timeout)
	return notificationsender.Once(ctx, s.Records, req, s.now(), func() (bool, error) { return s.send(ctx, ref, req) })
}

// record is the referral as the notifier's records know a message about a case: its id, case and time (the key
// of its timeline entry and lease), and where it goes.
func record(ref Referral, to string) notification.Request {
	return notification.Request{ID: ref.ID, Template: Template(ref.Kind), CaseKind: casefile.ASB, CaseRef: ref.CaseRef,
		To: notification.Recipient{Role: notification.Partner, Email: to}, RequestedAt: ref.ReceivedAt}
}

// send reads the case, sends the email and records the outcome (which ends the lease); recorded is false when it
// did not get that far.
func (s Sender) send(ctx context.Context, ref Referral, req notification.Request) (recorded bool, err error) {
	st, err := s.Cases.Load(ctx, ref.CaseRef)
	if err != nil {
		return false, fmt.Errorf("referral %s: case: %w", ref.ID, err)
	}
	templateID := notificationsender.Notifier{Templates: s.Templates}.TemplateID(req.Template, "", notificationsender.Email)
	details := map[string]any{"referralId": ref.ID, "kind": ref.Kind, "partner": PartnerName(ref.Kind), "to": req.To.Email,
		"template": req.Template, "templateId": templateID}
	notifyID, err := s.Notify.Send(ctx, notificationsender.Email, req.To.Email, templateID, Content(ref, st.Case, s.contact(st.Case)), ref.ID)
	var nerr notificationsender.Refusal
	switch {
	case errors.As(err, &nerr) && nerr.AuthFailure():
		slog.ErrorContext(ctx, logKeyRejected, "referral", ref.ID, "error", nerr.Kind())
		return false, fmt.Errorf("notify: 403 %s", nerr.Kind())
	case errors.As(err, &nerr) && nerr.Permanent():
		slog.WarnContext(ctx, logRefused, "referral", ref.ID, "template", req.Template, "status", nerr.Status(), "error", nerr.Kind())
		details["status"], details["error"] = nerr.Status(), nerr.Kind()
		if recorded, rerr := s.record(ctx, ref, req, ActionFailed, details); rerr != nil {
			return recorded, rerr
		}
		return true, fmt.Errorf("%w: notify %d %s", casework.ErrPermanent, nerr.Status(), nerr.Kind())
	case err != nil:
		return false, err // 429, 5xx, network: retried through the queue
	}
	details["notifyId"] = notifyID
	return s.record(ctx, ref, req, ActionSent, details)
}

// record writes the timeline entry and ends the lease (one request). At is the referral's time, which makes the
// entry's key the same however often it is written; details["at"] is when it was sent.
func (s Sender) record(ctx context.Context, ref Referral, req notification.Request, action string, details map[string]any) (bool, error) {
	details["at"] = s.now().UTC().Format(time.RFC3339)
	rule := ref.Rule
	if rule == "" {
		rule = "ASB-6"
	}
	if err := s.Records.Finish(ctx, req, casefile.Event{At: req.RequestedAt, Actor: Actor, Action: action, Rule: rule, Details: details}); err != nil {
		return false, err
	}
	return true, nil
}

// contact is who the partner reaches about the case: the assigned officer's mailbox when mailboxes.teams maps
// their staff id, else the ASB officers' team mailbox.
func (s Sender) contact(c asb.Case) string {
	if box := s.Teams[c.Officer]; c.Officer != "" && box != "" {
		return box
	}
	return s.Teams[catalog.GroupASBOfficer]
}

// PartnerName is who a referral kind goes to, for the timeline and the email.
func PartnerName(kind string) string {
	switch kind {
	case asb.PartnerReferral:
		return "the council's hate-crime partner"
	case asb.SafeguardingReferral:
		return "the safeguarding team"
	}
	return kind
}

// Content is the referral email's personalisation: what the partner needs to act, namely what kind of
// referral and why (ASB-6), the ASB type, the risk level and its grounds, where, when and by which channel it
// was reported, the case reference, and the officer or team to contact.
//
// It never carries the reporter's name or contact details, nor the report's free-text description (which often
// names people), for either kind:
//   - hate incidents: source 003 says "Anything hate related is reported to NBC so that they can liaise with
//     each other": the council partner's purpose is liaison between the two organisations about the incident,
//     for which the incident, its place and the officer to liaise with are enough; the reporter gave their
//     details to the landlord, and the partner reaches them, if at all, through the officer (UK GDPR data
//     minimisation, Article 5(1)(c));
//   - safeguarding: source 002 commits to "Ensure any safeguarding issues are swiftly identified and referred in
//     line with our procedure", and its case management system "is also used for safeguarding cases of
//     concern": the safeguarding team reads the person's details in the case itself, by its reference and under
//     its access controls, rather than from a copy in a mailbox; the urgent cases have already alerted the duty
//     officer (asb.ImmediateAlert), who has the case.
func Content(ref Referral, c asb.Case, contact string) map[string]string {
	label := c.Type
	if rule, ok := asb.TypeRuleOf(c.Type); ok {
		label = rule.Label
	}
	grounds := strings.Join(asb.RiskGrounds(c.Risk), "; ")
	if grounds == "" {
		grounds = "none given in the report"
	}
	officer := c.Officer
	if officer == "" {
		officer = "not yet assigned: contact the ASB team"
	}
	return map[string]string{
		"reference": c.Reference, "referral": PartnerName(ref.Kind), "why": ref.Why, "rule": ref.Rule,
		"type": label, "category": string(c.Category), "risk_level": c.RiskLevel, "risk_grounds": grounds,
		"location": c.Location.Address + ", " + c.Location.Postcode, "channel": c.Channel,
		"received_at": c.ReceivedAt.In(workdays.London).Format("Mon 2 Jan 2006 15:04") + " (London time)",
		"officer":     officer, "contact": contact, "case_path": "/asb/cases/" + c.Reference,
	}
}

func (s Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}
