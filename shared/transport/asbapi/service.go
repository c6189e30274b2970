// Package asbapi is the ASB application: the HTTP handlers of asb-report and the submission use case shared
// with the out-of-hours processor. It wires the pure rules (shared/asb) to the store and the queues.
package asbapi

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/asbstore"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// Service holds what the ASB use cases need.
type Service struct {
	Store  asbstore.Store
	Queues queue.Sender
	Homes  int // homes managed, for NM01
}

// Submission is a report to record.
type Submission struct {
	Reference  string // made here when empty
	Report     asb.Report
	Channel    string
	ReceivedAt time.Time
	Actor      string                    // "resident" or "out-of-hours"
	CallID     string                    // out-of-hours calls
	Operator   string                    //
	Police     bool                      // the answering service advised the police
	Idempotent []types.TransactWriteItem // records written with the case (e.g. the out-of-hours call marker)
	Record     idem.Recorder             // stores the answer with the case (Idempotency-Key)
	WithToken  bool                      // give the reporter an access token
}

// Receipt is the answer to a report (the 201 body).
type Receipt struct {
	Reference     string           `json:"reference"`
	Category      asb.Category     `json:"category"`
	RiskLevel     string           `json:"riskLevel"`
	AcknowledgeBy string           `json:"acknowledgeBy"`
	AppointmentBy string           `json:"appointmentBy"`
	CaseReview    asb.CaseReview   `json:"caseReview"`
	AccessToken   string           `json:"accessToken,omitempty"`
	Advice        []string         `json:"advice"`
	Reasons       decision.Reasons `json:"reasons"`
	Channel       string           `json:"channel"`
	CallID        string           `json:"callId,omitempty"`
}

// Submit assesses and stores a valid report in one transaction, then queues referrals and the reporter's
// acknowledgement.
func (s Service) Submit(ctx context.Context, sub Submission) (Receipt, error) {
	r := sub.Report
	dropped := r.Anonymise()
	a := asb.Assess(r, sub.ReceivedAt)
	if dropped {
		a.Advice = append(a.Advice, "You asked to stay anonymous, so we have not kept the contact details you gave. (ASB-2)")
	}
	ref := sub.Reference
	if ref == "" {
		ref = ids.NewReference("ASB")
	}
	c := asb.NewCase(ref, r, a, sub.Channel, sub.ReceivedAt)
	c.CallID, c.Operator, c.AdvisedPolice, c.ReporterKey = sub.CallID, sub.Operator, sub.Police, asbstore.ReporterKey(r.Reporter)
	earlier, err := s.Store.ReportsSince(ctx, r.Reporter, sub.ReceivedAt.AddDate(0, -asb.CaseReviewMonths, 0), sub.ReceivedAt)
	if err != nil {
		return Receipt{}, err
	}
	review := asb.CaseReviewFor(r.Anonymous, earlier)
	token := ""
	if sub.WithToken && !r.Anonymous {
		token = ids.NewAccessToken()
	}
	details := map[string]any{"channel": sub.Channel, "type": r.Type, "category": a.Category, "riskLevel": a.RiskLevel,
		"acknowledgeBy": a.AcknowledgeBy.String(), "appointmentBy": a.AppointmentBy.String(), "reasons": a.Reasons,
		"caseReviewEligible": review.Eligible}
	if sub.CallID != "" {
		details["callId"], details["operator"], details["advisedPolice"] = sub.CallID, sub.Operator, sub.Police
	}
	ev := casefile.Event{At: sub.ReceivedAt, Actor: sub.Actor, Action: "reported", Rule: "ASB-2", Details: details}
	receipt := Receipt{Reference: ref, Category: a.Category, RiskLevel: a.RiskLevel, AcknowledgeBy: a.AcknowledgeBy.String(),
		AppointmentBy: a.AppointmentBy.String(), CaseReview: review, AccessToken: token, Advice: a.Advice,
		Reasons: a.Reasons, Channel: sub.Channel, CallID: sub.CallID}
	answer, err := sub.Record.Writes(receipt)
	if err != nil {
		return Receipt{}, err
	}
	messages, err := followUps(c, r.Reporter)
	if err != nil {
		return Receipt{}, err
	}
	pending, err := s.outbox().Writes(messages...)
	if err != nil {
		return Receipt{}, err
	}
	writes := append(append(append([]types.TransactWriteItem{}, sub.Idempotent...), answer...), pending...)
	tokenHash := ""
	if token != "" {
		tokenHash = ids.HashToken(token)
	}
	if err := s.Store.Records().Create(ctx, c, r.Reporter, tokenHash, writes, ev); err != nil {
		return Receipt{}, err
	}
	_ = s.outbox().Deliver(ctx, messages...) // stored with the case: the relay retries a failed delivery
	return receipt, nil
}

func (s Service) outbox() outbox.Outbox { return outbox.Outbox{Store: s.Store.Store, Queues: s.Queues} }

// followUps are the messages a new case sends: the ASB-6 referrals and the reporter's acknowledgement (none for
// anonymous reports). Their ids are stable, so a re-delivery is recognisable downstream.
func followUps(c asb.Case, reporter *asb.Reporter) ([]outbox.Entry, error) {
	var out []outbox.Entry
	for _, ref := range c.Referrals {
		id := c.Reference + "#" + ref.Kind
		e, err := outbox.New(id, catalog.ReferralsQueue, ref.Kind+"-referral", map[string]any{
			"id": id, "kind": ref.Kind, "rule": ref.Rule, "why": ref.Why,
			"caseRef": c.Reference, "type": c.Type, "riskLevel": c.RiskLevel, "receivedAt": c.ReceivedAt,
		}, c.ReceivedAt)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if reporter == nil || c.Anonymous {
		return out, nil
	}
	msg := notification.Request{
		ID: c.Reference + "#received", Template: notification.ASBReportReceived, CaseKind: casefile.ASB, CaseRef: c.Reference,
		To: notification.Recipient{Role: notification.Resident, Email: reporter.Email, Phone: reporter.Phone,
			PreferredContact: reporter.PreferredContact, Language: reporter.Language},
		Personalisation: map[string]string{"reference": c.Reference, "acknowledge_by": c.AcknowledgeBy.String(),
			"appointment_by": c.AppointmentBy.String(), "type": strings.ReplaceAll(c.Type, "-", " ")},
		RequestedAt: c.ReceivedAt,
	}
	e, err := outbox.New(msg.ID, catalog.NotificationsQueue, notification.QueueMessageType, msg, c.ReceivedAt)
	return append(out, e), err
}
