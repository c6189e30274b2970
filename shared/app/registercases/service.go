// Package registercases is the housing register application service: one method per use case of the allocation
// scheme (shared/rules/register), each change run through the shared change pipeline (shared/app/casework) and
// each sending the applicant a decision letter with the rules that produced it (HR-D). The JSON API, and the
// pages to come, are thin transports over it.
//
// Who acts: the public (the pre-screen and the application), the applicant with their access token (their
// decision, a change of circumstances, a review of reduced priority; a wrong token answers exactly like an
// unknown reference), allocations officers (every other change, the lists, finding an application) and the
// Housing Solutions Manager (the decision on a review of reduced priority, source 001).
package registercases

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Stored is an application as stored.
type Stored = casework.Stored[register.Record, register.Contact]

// Store is what the service needs from storage (shared/adapters/dynamo implements it). Every read is by key:
// the lists and the priority list read list entries, Find reads an index of hashed contact keys.
type Store interface {
	casework.Store[register.Record, register.Contact]
	// PriorityList pages through the active applications of one band in priority order (stars, then the
	// oldest effective date).
	PriorityList(ctx context.Context, band string, limit int, token string) ([]Summary, string, error)
	// List pages through the applications with the filter's values (newest first, or oldest first).
	List(ctx context.Context, f Filter, limit int, token string) ([]Summary, string, error)
	// Find pages through the applications whose contact has the key (newest first).
	Find(ctx context.Context, key FindKey, limit int, token string) ([]Summary, string, error)
	// CountBands counts the active applications of each band (the entries of each band's priority list).
	CountBands(ctx context.Context) (map[string]int, error)
}

// Service runs the housing register use cases.
type Service struct {
	Store  Store
	Outbox casework.Outbox
}

func (s Service) pipeline() casework.Pipeline[register.Record, register.Contact] {
	return casework.Pipeline[register.Record, register.Contact]{Store: s.Store, Outbox: s.Outbox}
}

// The groups of each kind of staff use case. Allocations officers make every change but the decision on a review
// of reduced priority, which is the Housing Solutions Manager's (source 001); both read applications.
var (
	officers = []string{catalog.GroupAllocationsOfficer}
	managers = []string{catalog.GroupHousingSolutionsManager}
	readers  = []string{catalog.GroupAllocationsOfficer, catalog.GroupHousingSolutionsManager}
)

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

// Apply validates the form, assesses it (everything in it is a claim: a provisional band, awaiting
// verification) and stores it with its "applied" timeline entry and the decision letter with its reasons and
// what the council must check or decide (HR-D).
func (s Service) Apply(ctx context.Context, cmd Apply) (Receipt, error) {
	if err := cmd.Form.Validate(workdays.DateOf(cmd.At)); err != nil {
		return Receipt{}, err
	}
	rec, ev := register.NewRecord(ids.NewReference("HR"), cmd.Form, cmd.At)
	contact := register.ContactOf(cmd.Form)
	msg, err := decisionLetter(rec, contact, rec.Reference+"#decision", ev, cmd.At)
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

// decisionLetter asks the notifier to send the applicant a decision (HR-D): the status, the decided band and
// stars with each reason (each reason's text cites its rule), the provisional band, what the council must still
// check or decide, what changed and the rules that produced it. It is stored with the change (outbox), so it is
// sent even if the queue is down; id is stable for the change, so a repeat is sent once.
func decisionLetter(rec register.Record, c register.Contact, id string, ev casefile.Event, at time.Time) (casework.Message, error) {
	d := rec.Decision
	lines := func(n int, text func(int) string) string {
		out := make([]string, n)
		for i := range out {
			out[i] = text(i)
		}
		return strings.Join(out, "\n")
	}
	var rules []string
	seen := map[string]bool{}
	addRule := func(rule string) {
		if rule != "" && !seen[rule] {
			seen[rule] = true
			rules = append(rules, rule)
		}
	}
	if rule, _ := ev.Details["rule"].(string); rule != "" {
		addRule(rule)
	}
	for _, r := range d.Reasons {
		addRule(r.Rule)
	}
	addRule("HR-D")
	provisional := ""
	if d.Provisional.Band != nil {
		provisional = *d.Provisional.Band
	}
	req := notification.Request{ID: id, Template: notification.ApplicationDecision, CaseKind: casefile.Application,
		CaseRef: rec.Reference, To: notification.ToResident(c.Details), RequestedAt: at.UTC(),
		Personalisation: map[string]string{"reference": rec.Reference, "sign_in_path": notification.SignInPath(rec.Reference), "status": d.Status, "band": d.BandName(),
			"stars": strconv.Itoa(d.Stars), "offerable": strconv.FormatBool(d.Offerable),
			"reasons":          lines(len(d.Reasons), func(i int) string { return d.Reasons[i].Text }),
			"provisional_band": provisional, "provisional_stars": strconv.Itoa(d.Provisional.Stars),
			"outstanding": lines(len(d.Outstanding), func(i int) string { return d.Outstanding[i].Text }),
			"change":      ev.Action, "rules": strings.Join(rules, ", ")}}
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
// no longer count) without changing the record: the decided and the provisional band with their reasons, and
// what the council must still check or decide. A wrong token answers like an unknown reference.
func (s Service) Status(ctx context.Context, q ResidentRequest) (register.Record, error) {
	st, err := s.pipeline().ReadAsResident(ctx, q.Ref, q.Token, what)
	if err != nil {
		return register.Record{}, err
	}
	return st.Case.AsOf(workdays.DateOf(q.At)), nil
}

// ResidentChange is the applicant changing their application with their access token.
type ResidentChange[In any] struct {
	ResidentRequest
	Input In
}

// Applicants' changes.
type (
	ChangeCircumstances = ResidentChange[register.CircumstancesChange]
	RequestReview       = ResidentChange[register.ReviewRequest]
)

// ChangeCircumstances records the applicant's change of circumstances (a new address, people joining or
// leaving the household, circumstances that start or end, new medical or welfare needs), re-assessed as claims;
// a new address or household is stored as the contact in the same transaction (HR-D).
func (s Service) ChangeCircumstances(ctx context.Context, cmd ChangeCircumstances) (register.Record, error) {
	saved, err := s.residentChange(ctx, cmd.ResidentRequest, func(r *register.Record) (casefile.Event, error) {
		return r.ChangeCircumstances(cmd.Input, casefile.ByResident, cmd.At)
	})
	return saved.Case, err
}

// RequestReview records the applicant's request for a review of reduced priority (HR-R; source 001: the
// Housing Solutions Manager, the Social Welfare Panel): the manager's task, with its due date.
func (s Service) RequestReview(ctx context.Context, cmd RequestReview) (register.Record, error) {
	saved, err := s.residentChange(ctx, cmd.ResidentRequest, func(r *register.Record) (casefile.Event, error) {
		return r.RequestReview(cmd.Input, casefile.ByResident, cmd.At)
	})
	return saved.Case, err
}

// residentChange runs an applicant's change: only with the application's access token (a wrong token answers
// exactly like an unknown reference); the contact is put back first, so a change of address or household sees
// the whole application and the store keeps the contact it leaves; the decision letter goes to that contact.
func (s Service) residentChange(ctx context.Context, q ResidentRequest, apply func(*register.Record) (casefile.Event, error)) (Stored, error) {
	saved, _, err := s.pipeline().ChangeAsResident(ctx, q.Ref, q.Token, what, func(r *register.Record, before Stored) (casework.Outcome, error) {
		if before.Contact != nil {
			r.SetContact(*before.Contact)
		}
		return outcome(r, before, q.At, apply)
	})
	if err == nil && saved.Case.Application.Applicant.Name != "" {
		contact := register.ContactOf(saved.Case.Application)
		saved.Contact = &contact
	}
	return saved, err
}

// outcome applies a transition and adds the decision letter (HR-D) to the contact the application has after it.
func outcome(r *register.Record, before Stored, at time.Time, apply func(*register.Record) (casefile.Event, error)) (casework.Outcome, error) {
	ev, err := apply(r)
	if err != nil {
		return casework.Outcome{}, err
	}
	out := casework.Outcome{Events: []casefile.Event{ev}}
	contact := before.Contact
	if r.Application.Applicant.Name != "" {
		c := register.ContactOf(r.Application)
		contact = &c
	}
	if contact == nil {
		return out, nil
	}
	msg, err := decisionLetter(*r, *contact, r.Reference+"#decision-"+strconv.Itoa(before.Version+1), ev, at)
	if err != nil {
		return casework.Outcome{}, err
	}
	out.Messages = []casework.Message{msg}
	return out, nil
}

// Read is a member of staff opening an application.
type Read struct {
	Ref string
	By  casework.Staff
}

// Record reads an application's whole record: the application, the council's record and the decision, the
// contact details, the newest page of the timeline and the open deadlines as stored.
func (s Service) Record(ctx context.Context, q Read) (Stored, error) {
	if err := q.By.Check(readers...); err != nil {
		return Stored{}, err
	}
	st, err := s.Store.Load(ctx, q.Ref)
	if err != nil {
		return Stored{}, err
	}
	return s.pipeline().WithHistory(ctx, st, q.Ref)
}

// History is a member of staff paging through an application's timeline (Input: the page's token).
type History = casework.Action[casework.PageRequest]

// History is a page of an application's timeline, newest first (HR-D).
func (s Service) History(ctx context.Context, q History) (casework.History, error) {
	return s.pipeline().History(ctx, q.Ref, q.Input, q.By, readers...)
}

// Staff changes: who, when, on which application, and the input of the scheme's transition. Each re-assesses
// the application, records who (user id), when, what, and the old and new status, band, stars and
// offerability on the timeline, and sends the applicant a decision letter citing the rules (HR-D).
type (
	VerifyClaim           = casework.Action[register.ClaimCheck]
	RecordCouncilDecision = casework.Action[register.CouncilDecision]
	RecordMedicalAward    = casework.Action[register.MedicalAward]
	UpdateDebt            = casework.Action[register.HousingDebt]
	RecordBehaviour       = casework.Action[register.Finding]
	RecordDebtException   = casework.Action[register.Finding]
	Remove                = casework.Action[register.Removal]
	Close                 = casework.Action[register.Closing]
	Assign                = casework.Action[register.Assignment]
	RecordOffer           = casework.Action[register.Offer]
	RecordStatutoryReview = casework.Action[register.StatutoryReviewOutcome]
	DecideReview          = casework.Action[register.ReviewDecision]
)

// VerifyClaim records an officer verifying or rejecting a self-declared claim against its evidence, with a note
// (HR-EM, HR-A, HR-B circumstances; HR-S, HR-CC, HR-W stars).
func (s Service) VerifyClaim(ctx context.Context, cmd VerifyClaim) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.VerifyClaim(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordCouncilDecision records a decision of the council or a partner agency: a council-decided circumstance
// (homelessness acceptance and priority need, decant, emergency landlord transfer, HHSRS hazards, MAPPA, child at
// risk, foster or adoption agreement, ...) or a reduced-priority finding such as intentional homelessness (HR-R).
func (s Service) RecordCouncilDecision(ctx context.Context, cmd RecordCouncilDecision) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.RecordCouncilDecision(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordMedicalAward records the independent adviser's award with its date and recommended property (HR-M).
func (s Service) RecordMedicalAward(ctx context.Context, cmd RecordMedicalAward) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.RecordMedicalAward(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// UpdateDebt records the housing debt and repayment plan as the council confirmed them (HR-R, HR-R1, HR-U).
func (s Service) UpdateDebt(ctx context.Context, cmd UpdateDebt) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.UpdateDebt(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordBehaviour records unacceptable behaviour with its evidence (HR-U): no offer while it applies.
func (s Service) RecordBehaviour(ctx context.Context, cmd RecordBehaviour) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.RecordBehaviour(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordDebtException records an HR-U1 exception with its evidence: an offer may be made despite debt.
func (s Service) RecordDebtException(ctx context.Context, cmd RecordDebtException) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.RecordDebtException(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// Remove takes the applicant off the register at once (HR-E3: violence or threats towards staff or
// contractors).
func (s Service) Remove(ctx context.Context, cmd Remove) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.Remove(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// Close closes the application: withdrawn, housed or no longer eligible (HR-E1, HR-E2), with a reason.
func (s Service) Close(ctx context.Context, cmd Close) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.Close(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// Assign gives the application (and its officers' deadlines) to an allocations officer, by their staff id. It
// decides nothing about the application, so the applicant is sent no letter; the timeline records the old and
// new officer.
func (s Service) Assign(ctx context.Context, cmd Assign) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, false, func(r *register.Record) (casefile.Event, error) {
		return r.Assign(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordOffer records an offer and any refusal (HR-R: 3 reasonable refusals in 12 months reduce priority; a
// refused direct offer says whether a statutory review was asked for, HR-EM). It is refused (409 citing the rule)
// unless the application is active, while HR-U applies, or while the medical award is over 12 months old and not
// reviewed (HR-M).
func (s Service) RecordOffer(ctx context.Context, cmd RecordOffer) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.RecordOffer(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// RecordStatutoryReview records the statutory review of a refused direct offer and its outcome (HR-EM).
func (s Service) RecordStatutoryReview(ctx context.Context, cmd RecordStatutoryReview) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, officers, true, func(r *register.Record) (casefile.Event, error) {
		return r.RecordStatutoryReview(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// DecideReview records the Housing Solutions Manager's decision on a review of reduced priority (HR-R), closing
// the manager's task.
func (s Service) DecideReview(ctx context.Context, cmd DecideReview) (Stored, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, managers, true, func(r *register.Record) (casefile.Event, error) {
		return r.DecideReview(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// staffChange runs a staff change through the pipeline: the actor must be in one of groups (the transport has
// checked the route's; this guards other callers); the transition's timeline entry and, when letter is set, the
// applicant's decision letter are saved with the change in one transaction.
func (s Service) staffChange(ctx context.Context, ref string, by casework.Staff, at time.Time, groups []string, letter bool,
	apply func(*register.Record) (casefile.Event, error)) (Stored, error) {
	saved, _, err := s.pipeline().Change(ctx, ref, func(Stored) error { return by.Check(groups...) },
		func(r *register.Record, before Stored) (casework.Outcome, error) {
			if !letter {
				ev, err := apply(r)
				return casework.Outcome{Events: []casefile.Event{ev}}, err
			}
			return outcome(r, before, at, apply)
		})
	return saved, err
}
