package register

import (
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Record is a stored application: what the applicant gave (Application) and the council's current decision.
type Record struct {
	Reference   string      `json:"reference" dynamodbav:"reference"`
	ReceivedAt  time.Time   `json:"receivedAt" dynamodbav:"receivedAt"`
	Application Application `json:"application" dynamodbav:"application"`
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

// NewRecord receives an application (the caller has checked it with Application.Validate): it is assessed as of
// the London day it arrived, and the "applied" timeline event carries the decision and its reasons (HR-D).
func NewRecord(ref string, a Application, receivedAt time.Time) (Record, casefile.Event) {
	r := Record{Reference: ref, ReceivedAt: receivedAt.UTC(), Application: a, Decision: Assess(a, workdays.DateOf(receivedAt), nil)}
	ev := casefile.NewEvent(receivedAt, casefile.ByResident, "applied", "HR-D", map[string]any{
		"status": r.Decision.Status, "band": r.Decision.Band, "stars": r.Decision.Stars, "reasons": r.Decision.Reasons})
	return r, ev
}

// AsOf is the record with its decision as of today (e.g. refusals older than 12 months no longer count, HR-R; an
// Emergency period or a medical award may have run out), without changing the stored record. The stored
// decision is the previous one, so the band's effective date is kept.
func (r Record) AsOf(today workdays.Date) Record {
	stored := r.Decision
	r.Decision = Assess(r.Application, today, &stored)
	return r
}
