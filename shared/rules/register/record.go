package register

import (
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Record is a stored application: what the applicant gave (Application) and the council's current decision.
type Record struct {
	Reference   string      `json:"reference" dynamodbav:"reference"`
	ReceivedAt  time.Time   `json:"receivedAt" dynamodbav:"receivedAt"`
	Application Application `json:"application" dynamodbav:"application"`
	Decision    Decision    `json:"decision" dynamodbav:"decision"`
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
