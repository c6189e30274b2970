package register

import (
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Record is a stored application: what the applicant claims (Application), what the council has checked and
// decided (Council), and the assessment of both (Decision).
type Record struct {
	Reference   string      `json:"reference" dynamodbav:"reference"`
	ReceivedAt  time.Time   `json:"receivedAt" dynamodbav:"receivedAt"`
	Application Application `json:"application" dynamodbav:"application"`
	Council     Council     `json:"council" dynamodbav:"council"`
	Decision    Decision    `json:"decision" dynamodbav:"decision"`
}

// Contact is what the store keeps apart from the assessment: the applicant's contact details at the top level
// (contact.Details, the one shape every case kind's CONTACT item has, so reminders and the notifier read it
// alike), their date of birth and the household. It is personal data and withholds itself from logs.
type Contact struct {
	contact.Details
	DateOfBirth string   `json:"dateOfBirth" dynamodbav:"dateOfBirth"`
	Household   []Member `json:"household" dynamodbav:"household"`
}

// ContactOf is the stored contact of an application.
func ContactOf(a Application) Contact {
	return Contact{Details: a.Applicant.Details, DateOfBirth: a.Applicant.DateOfBirth, Household: a.Household}
}

// SetContact puts the contact, stored apart, back into the application, so a change that needs it (a change
// of address or household, ChangeCircumstances) sees the whole application; ContactOf(r.Application) is then the
// contact to store.
func (r *Record) SetContact(c Contact) {
	r.Application.Applicant = Applicant{Details: c.Details, DateOfBirth: c.DateOfBirth}
	r.Application.Household = append([]Member(nil), c.Household...)
}

// NewRecord receives an application (the caller has checked it with Application.Validate): it is assessed as of
// the London day it arrived. Nothing in it is decided yet, so it is awaiting verification (or not qualifying, or
// ineligible), with a provisional band; the "applied" timeline event carries the decision, the provisional band
// and what is outstanding, with their reasons (HR-D).
func NewRecord(ref string, a Application, receivedAt time.Time) (Record, casefile.Event) {
	r := Record{Reference: ref, ReceivedAt: receivedAt.UTC(), Application: a}
	r.Decision = Assess(a, r.Council, workdays.DateOf(receivedAt), nil)
	r.Decision.decidedAt(receivedAt)
	ev := casefile.NewEvent(receivedAt, casefile.ByResident, "applied", "HR-D", map[string]any{
		"status": r.Decision.Status, "band": r.Decision.Band, "stars": r.Decision.Stars, "reasons": r.Decision.Reasons,
		"provisionalBand": r.Decision.Provisional.Band, "provisionalStars": r.Decision.Provisional.Stars,
		"provisionalReasons": r.Decision.Provisional.Reasons, "outstanding": r.Decision.Outstanding})
	return r, ev
}

// AsOf is the record with its decision as of today (e.g. refusals older than 12 months no longer count, HR-R; an
// Emergency period or a medical award may have run out), without changing the stored record. The stored
// decision is the previous one, so the band's effective date is kept.
func (r Record) AsOf(today workdays.Date) Record {
	stored := r.Decision
	r.Decision = Assess(r.Application, r.Council, today, &stored)
	return r
}

// current is the decision as of today, for the checks a transition makes before changing anything.
func (r Record) current(today workdays.Date) Decision {
	stored := r.Decision
	return Assess(r.Application, r.Council, today, &stored)
}

// open refuses any change to a closed or removed application (409, citing the closure's rule).
func (r Record) open() error {
	cl := r.Council.Closure
	if cl == nil {
		return nil
	}
	if cl.Reason == ClosedRemoved {
		return apperr.Rule(apperr.Conflict, "HR-E3", "The application was removed from the register on %s and cannot change", cl.ClosedOn)
	}
	return apperr.Rule(apperr.Conflict, cl.Rule, "The application was closed (%s) on %s and cannot change", cl.Reason, cl.ClosedOn)
}

// reassess decides the changed application as of today, keeping the band's effective date, and returns the
// event: who, when, what changed (what, with the transition's rule under "rule"), the old and new status, band,
// stars and offerability, the provisional band, and the new decision's reasons and outstanding list (HR-D).
func (r *Record) reassess(today workdays.Date, by casefile.Actor, at time.Time, action string, what map[string]any) casefile.Event {
	before := r.Decision
	r.Decision = Assess(r.Application, r.Council, today, &before)
	r.Decision.decidedAt(at)
	what["oldStatus"], what["newStatus"] = before.Status, r.Decision.Status
	what["oldBand"], what["newBand"] = before.Band, r.Decision.Band
	what["oldStars"], what["newStars"] = before.Stars, r.Decision.Stars
	what["oldOfferable"], what["newOfferable"] = before.Offerable, r.Decision.Offerable
	what["provisionalBand"], what["reasons"], what["outstanding"] = r.Decision.Provisional.Band, r.Decision.Reasons, r.Decision.Outstanding
	return casefile.NewEvent(at, by, action, "HR-D", what)
}
