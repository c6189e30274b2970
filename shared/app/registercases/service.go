// Package registercases is the housing register application service: one method per use case of the allocation
// scheme (shared/rules/register), the officers' changes each run through the shared change pipeline
// (shared/app/casework). The JSON API, and the pages to come, are thin transports over it.
package registercases

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Stored is an application as stored.
type Stored = casework.Stored[register.Record, register.Contact]

// Store is what the service needs from storage (shared/adapters/dynamo implements it).
type Store interface {
	casework.Store[register.Record, register.Contact]
	// PriorityList pages through the registered applications of one band in priority order (stars, then the
	// oldest effective date).
	PriorityList(ctx context.Context, band string, limit int, token string) ([]register.Record, string, error)
}

// Service runs the housing register use cases.
type Service struct {
	Store  Store
	Outbox casework.Outbox
}

func (s Service) pipeline() casework.Pipeline[register.Record, register.Contact] {
	return casework.Pipeline[register.Record, register.Contact]{Store: s.Store, Outbox: s.Outbox}
}

// officers may read and change applications.
var officers = []string{catalog.GroupAllocationsOfficer}

// CheckEligibility is the short public pre-screen before the full form.
type CheckEligibility struct {
	Input register.EligibilityCheck
}

// CheckEligibility says whether the applicant may open the full form, why, and what to do next (HR-E1..HR-E3).
// Nothing is stored.
func (s Service) CheckEligibility(_ context.Context, q CheckEligibility) (register.Eligibility, error) {
	if err := q.Input.Validate(); err != nil {
		return register.Eligibility{}, err
	}
	return register.PreScreen(q.Input), nil
}

// Apply is an application from the public form.
type Apply struct {
	Form   register.Application
	At     time.Time               // when it was received: it is assessed as of that London day
	Answer casework.AnswerRecorder // keeps the receipt with the application for a retried request
}

// Receipt is what the applicant is told: the decision with its reasons, and the token to see it again.
type Receipt struct {
	Record      register.Record
	AccessToken string // shown once; stored only as a hash
}

// Apply validates the form, assesses it and stores it with its "applied" timeline entry and the decision letter
// with its reasons (HR-D).
func (s Service) Apply(ctx context.Context, cmd Apply) (Receipt, error) {
	if err := cmd.Form.Validate(workdays.DateOf(cmd.At)); err != nil {
		return Receipt{}, err
	}
	rec, ev := register.NewRecord(ids.NewReference("HR"), cmd.Form, cmd.At)
	contact := register.ContactOf(cmd.Form)
	msg, err := decisionLetter(rec, contact, cmd.At)
	if err != nil {
		return Receipt{}, err
	}
	receipt := Receipt{Record: rec, AccessToken: ids.NewAccessToken()}
	answer, err := cmd.Answer.Record(receipt)
	if err != nil {
		return Receipt{}, err
	}
	stored := Stored{Case: rec, Contact: &contact, TokenHash: ids.HashToken(receipt.AccessToken)}
	return receipt, s.pipeline().Create(ctx, stored, casework.Writes{Events: []casefile.Event{ev}, Messages: []casework.Message{msg}, Answer: answer})
}

// decisionLetter asks the notifier to send the applicant the decision with each reason (HR-D; each reason's text
// cites its rule). It is stored with the application (outbox), so it is sent even if the queue is down.
func decisionLetter(rec register.Record, c register.Contact, at time.Time) (casework.Message, error) {
	reasons := make([]string, len(rec.Decision.Reasons))
	for i, r := range rec.Decision.Reasons {
		reasons[i] = r.Text
	}
	req := notification.Request{ID: rec.Reference + "#decision", Template: notification.ApplicationDecision, CaseKind: casefile.Application,
		CaseRef: rec.Reference, To: notification.ToResident(c.Details), RequestedAt: at.UTC(),
		Personalisation: map[string]string{"reference": rec.Reference, "status": rec.Decision.Status, "band": rec.Decision.BandName(),
			"stars": strconv.Itoa(rec.Decision.Stars), "reasons": strings.Join(reasons, "\n")}}
	return req.Message()
}

// ResidentRequest is the applicant acting with the access token they were given.
type ResidentRequest struct {
	Ref   string
	Token string
	At    time.Time
}

const what = "application"

// Status is the applicant's view of their application, decided as of today (e.g. refusals older than 12 months
// no longer count) without changing the record. A wrong token answers like an unknown reference.
func (s Service) Status(ctx context.Context, q ResidentRequest) (register.Record, error) {
	st, err := s.pipeline().ReadAsResident(ctx, q.Ref, q.Token, what)
	if err != nil {
		return register.Record{}, err
	}
	return st.Case.AsOf(workdays.DateOf(q.At)), nil
}

// Read is an allocations officer opening an application.
type Read struct {
	Ref string
	By  casework.Staff
}

// Record reads an application's whole record: the application and its decision, the contact details, the
// timeline and the open deadlines as stored.
func (s Service) Record(ctx context.Context, q Read) (Stored, error) {
	if err := q.By.Check(officers...); err != nil {
		return Stored{}, err
	}
	return s.Store.Load(ctx, q.Ref)
}

// Officers' changes: who, when, on which application, and the input of the scheme's transition. Each
// re-assesses the application and records who, when, what, and the old and new band (HR-D).
type (
	RecordMedicalAward = casework.Action[register.MedicalAward]
	RecordOffer        = casework.Action[register.Offer]
	UpdateDebt         = casework.Action[register.HousingDebt]
	RecordVerification = casework.Action[register.Verification]
)

// RecordMedicalAward records the independent adviser's recommendation (HR-M).
func (s Service) RecordMedicalAward(ctx context.Context, cmd RecordMedicalAward) (Stored, error) {
	return s.pipeline().Act(ctx, cmd.Ref, cmd.By, officers, func(r *register.Record) (casefile.Event, error) {
		return r.RecordMedicalAward(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordOffer records an offer and any refusal (HR-R: 3 reasonable refusals in 12 months reduce priority).
func (s Service) RecordOffer(ctx context.Context, cmd RecordOffer) (Stored, error) {
	return s.pipeline().Act(ctx, cmd.Ref, cmd.By, officers, func(r *register.Record) (casefile.Event, error) {
		return r.RecordOffer(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// UpdateDebt records the housing debt and repayment plan (HR-R, HR-R1, HR-U).
func (s Service) UpdateDebt(ctx context.Context, cmd UpdateDebt) (Stored, error) {
	return s.pipeline().Act(ctx, cmd.Ref, cmd.By, officers, func(r *register.Record) (casefile.Event, error) {
		return r.UpdateDebt(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordVerification records what an officer checked (HR-S).
func (s Service) RecordVerification(ctx context.Context, cmd RecordVerification) (Stored, error) {
	return s.pipeline().Act(ctx, cmd.Ref, cmd.By, officers, func(r *register.Record) (casefile.Event, error) {
		return r.RecordVerification(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// PriorityList is a page of one band's registered applications for an allocations officer.
type PriorityList struct {
	By    casework.Staff
	Band  string
	Limit int
	Token string
}

// Bands are the bands of the priority list, highest first.
var Bands = []string{register.BandEmergency, register.BandA, register.BandB, register.BandReduced}

// PriorityList serves one band in priority order: stars, then the effective date, oldest first.
func (s Service) PriorityList(ctx context.Context, q PriorityList) ([]register.Record, string, error) {
	if err := q.By.Check(officers...); err != nil {
		return nil, "", err
	}
	if !slices.Contains(Bands, q.Band) {
		var f apperr.Fields
		f.Add("band", "must be one of: %s", strings.Join(Bands, ", "))
		return nil, "", f.Err()
	}
	return s.Store.PriorityList(ctx, q.Band, q.Limit, q.Token)
}
