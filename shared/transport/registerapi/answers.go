package registerapi

import (
	"time"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Decision is an application's decision with its reasons (HR-D), as the applicant sees it: the decided status,
// band and stars (only what the council has checked or decided counts), the provisional band the claims would
// give once confirmed, and what the council must still check or decide.
type Decision struct {
	Reference          string                 `json:"reference"`
	ReceivedAt         time.Time              `json:"receivedAt"`
	Status             string                 `json:"status"`
	Band               *string                `json:"band"` // null unless registered (the active register)
	NeedBand           string                 `json:"needBand,omitempty"`
	Stars              int                    `json:"stars"`
	Offerable          bool                   `json:"offerable"`
	EffectiveDate      *workdays.Date         `json:"effectiveDate"` // null unless registered
	EmergencyExpiresOn *workdays.Date         `json:"emergencyExpiresOn,omitempty"`
	MedicalReviewDue   *workdays.Date         `json:"medicalReviewDue,omitempty"`
	Reasons            decision.Reasons       `json:"reasons"`
	Warnings           decision.Reasons       `json:"warnings,omitempty"`
	Provisional        Provisional            `json:"provisional"`
	Outstanding        []register.Outstanding `json:"outstanding"`
}

// Provisional is the band and stars the claims would give once the council confirmed them all, with the
// reasons. It decides nothing: no priority list, no offers.
type Provisional struct {
	Band    *string          `json:"band"`
	Stars   int              `json:"stars"`
	Reasons decision.Reasons `json:"reasons"`
}

func decisionOf(r register.Record) Decision {
	d := r.Decision
	return Decision{Reference: r.Reference, ReceivedAt: r.ReceivedAt, Status: d.Status, Band: d.Band, NeedBand: d.NeedBand, Stars: d.Stars,
		Offerable: d.Offerable, EffectiveDate: d.EffectiveDate, EmergencyExpiresOn: d.EmergencyExpiresOn, MedicalReviewDue: d.MedicalReviewDue,
		Reasons: orEmpty(d.Reasons), Warnings: d.Warnings, Outstanding: orEmpty(d.Outstanding),
		Provisional: Provisional{Band: d.Provisional.Band, Stars: d.Provisional.Stars, Reasons: orEmpty(d.Provisional.Reasons)}}
}

// Receipt is the answer to a new application (201): the decision and the access token to see it again.
type Receipt struct {
	Decision
	AccessToken string `json:"accessToken"`
}

func receiptOf(r registercases.Receipt) Receipt {
	return Receipt{Decision: decisionOf(r.Record), AccessToken: r.AccessToken}
}

// Record is an application's whole record for staff: the decision, the application as the applicant declared
// it, the council's record (checks, decisions, award, debt, findings, offers, reviews, officer, closure), the
// contact details and household, the timeline (who by user id, when, what, the old and new status, band, stars
// and offerability) and the open deadlines. Staff changes answer it as saved.
type Record struct {
	Decision
	Version           int                  `json:"version"`
	Application       register.Application `json:"application"`
	Council           register.Council     `json:"council"`
	Contact           *register.Contact    `json:"contact"`
	Timeline          []casefile.Event     `json:"timeline"`                    // newest first: a read's newest page, or the entries a change recorded
	TimelineNextToken string               `json:"timelineNextToken,omitempty"` // GET .../timeline?nextToken= gives the next page
	OpenDeadlines     []casefile.Deadline  `json:"openDeadlines"`
}

func recordOf(st registercases.Stored) Record {
	r := st.Case
	a := r.Application
	a.Applicant, a.Household = register.Applicant{}, nil // they are the contact's
	return Record{Decision: decisionOf(r), Version: st.Version, Application: a, Council: r.Council, Contact: st.Contact,
		Timeline: orEmpty(st.Timeline), TimelineNextToken: st.TimelineNext, OpenDeadlines: orEmpty(register.OpenDeadlines(r))}
}

// Summary is an application in the officers' lists and search results.
type Summary struct {
	Reference          string          `json:"reference"`
	ReceivedAt         time.Time       `json:"receivedAt"`
	Status             string          `json:"status"`
	Band               *string         `json:"band"`            // the decided band; null unless registered
	ProvisionalBand    *string         `json:"provisionalBand"` // what the claims would give once confirmed
	Stars              int             `json:"stars"`
	Offerable          bool            `json:"offerable"`
	EffectiveDate      *workdays.Date  `json:"effectiveDate"`
	EmergencyExpiresOn *workdays.Date  `json:"emergencyExpiresOn,omitempty"`
	MedicalReviewDue   *workdays.Date  `json:"medicalReviewDue,omitempty"`
	Outstanding        []string        `json:"outstanding"` // the claims the council must still check or decide
	Officer            *casefile.Actor `json:"officer,omitempty"`
}

func summaryOf(s registercases.Summary) Summary {
	return Summary{Reference: s.Reference, ReceivedAt: s.ReceivedAt, Status: s.Status, Band: s.Band, ProvisionalBand: s.ProvisionalBand,
		Stars: s.Stars, Offerable: s.Offerable, EffectiveDate: s.EffectiveDate, EmergencyExpiresOn: s.EmergencyExpiresOn,
		MedicalReviewDue: s.MedicalReviewDue, Outstanding: orEmpty(s.Outstanding), Officer: s.Officer}
}

// PriorityEntry is an application on the priority list.
type PriorityEntry struct {
	Reference          string          `json:"reference"`
	Band               string          `json:"band"`
	Stars              int             `json:"stars"`
	EffectiveDate      *workdays.Date  `json:"effectiveDate"`
	Offerable          bool            `json:"offerable"`
	EmergencyExpiresOn *workdays.Date  `json:"emergencyExpiresOn,omitempty"`
	MedicalReviewDue   *workdays.Date  `json:"medicalReviewDue,omitempty"`
	Officer            *casefile.Actor `json:"officer,omitempty"`
}

func priorityEntryOf(s registercases.Summary) PriorityEntry {
	band := ""
	if s.Band != nil {
		band = *s.Band
	}
	return PriorityEntry{Reference: s.Reference, Band: band, Stars: s.Stars, EffectiveDate: s.EffectiveDate, Offerable: s.Offerable,
		EmergencyExpiresOn: s.EmergencyExpiresOn, MedicalReviewDue: s.MedicalReviewDue, Officer: s.Officer}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// RegisterReport is the housing register's size by band (GET /reports/register): the active applications on
// each band's priority list on a London day, highest need first.
type RegisterReport struct {
	AsOf  workdays.Date `json:"asOf"`
	Bands []BandSize    `json:"bands"`
	Total int           `json:"total"`
}

// BandSize is one band's number of active applications.
type BandSize struct {
	Band         string `json:"band"`
	Applications int    `json:"applications"`
}

func registerReportOf(r registercases.RegisterSize) RegisterReport {
	out := RegisterReport{AsOf: r.AsOf, Bands: make([]BandSize, len(r.Bands)), Total: r.Total}
	for i, b := range r.Bands {
		out.Bands[i] = BandSize{Band: b.Band, Applications: b.Applications}
	}
	return out
}
