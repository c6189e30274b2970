package registerapi

import (
	"time"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Decision is an application's banding decision with its reasons (HR-D), as the applicant sees it.
type Decision struct {
	Reference          string           `json:"reference"`
	ReceivedAt         time.Time        `json:"receivedAt"`
	Status             string           `json:"status"`
	Band               *string          `json:"band"` // null unless registered
	NeedBand           string           `json:"needBand,omitempty"`
	Stars              int              `json:"stars"`
	Offerable          bool             `json:"offerable"`
	EffectiveDate      *workdays.Date   `json:"effectiveDate"` // null unless registered
	EmergencyExpiresOn *workdays.Date   `json:"emergencyExpiresOn,omitempty"`
	MedicalReviewDue   *workdays.Date   `json:"medicalReviewDue,omitempty"`
	Reasons            decision.Reasons `json:"reasons"`
	Warnings           decision.Reasons `json:"warnings,omitempty"`
}

func decisionOf(r register.Record) Decision {
	d := r.Decision
	return Decision{Reference: r.Reference, ReceivedAt: r.ReceivedAt, Status: d.Status, Band: d.Band, NeedBand: d.NeedBand, Stars: d.Stars,
		Offerable: d.Offerable, EffectiveDate: d.EffectiveDate, EmergencyExpiresOn: d.EmergencyExpiresOn, MedicalReviewDue: d.MedicalReviewDue,
		Reasons: orEmpty(d.Reasons), Warnings: d.Warnings}
}

// Receipt is the answer to a new application (201): the decision and the access token to see it again.
type Receipt struct {
	Decision
	AccessToken string `json:"accessToken"`
}

func receiptOf(r registercases.Receipt) Receipt {
	return Receipt{Decision: decisionOf(r.Record), AccessToken: r.AccessToken}
}

// Record is an application's whole record for allocations officers: the decision, the application, the
// contact details and household, every timeline entry (who, when, what, old and new band) and the open
// deadlines. Officers' changes answer it as saved.
type Record struct {
	Decision
	Version       int                  `json:"version"`
	Application   register.Application `json:"application"`
	Contact       *register.Contact    `json:"contact"`
	Timeline      []casefile.Event     `json:"timeline"`
	OpenDeadlines []casefile.Deadline  `json:"openDeadlines"`
}

func recordOf(st registercases.Stored) Record {
	r := st.Case
	return Record{Decision: decisionOf(r), Version: st.Version, Application: r.Application, Contact: st.Contact,
		Timeline: orEmpty(st.Timeline), OpenDeadlines: orEmpty(register.OpenDeadlines(r.Reference, r.Decision))}
}

// PriorityEntry is an application on the priority list.
type PriorityEntry struct {
	Reference          string         `json:"reference"`
	Band               string         `json:"band"`
	Stars              int            `json:"stars"`
	EffectiveDate      *workdays.Date `json:"effectiveDate"`
	Offerable          bool           `json:"offerable"`
	EmergencyExpiresOn *workdays.Date `json:"emergencyExpiresOn,omitempty"`
	MedicalReviewDue   *workdays.Date `json:"medicalReviewDue,omitempty"`
}

func priorityEntryOf(r register.Record) PriorityEntry {
	d := r.Decision
	return PriorityEntry{Reference: r.Reference, Band: d.BandName(), Stars: d.Stars, EffectiveDate: d.EffectiveDate, Offerable: d.Offerable,
		EmergencyExpiresOn: d.EmergencyExpiresOn, MedicalReviewDue: d.MedicalReviewDue}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
