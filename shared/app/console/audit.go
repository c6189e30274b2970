package console

import (
	"context"
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// The audit of searches and report views, beside the case views (RecordView): HOCS records who searched for
// whom and who looked at which figures. Like a case view, each is recorded after the read it audits succeeded,
// and a page whose audit record cannot be written fails (the audit is not optional); a search that was refused
// (nothing read) is not recorded.

// AuditLog records searches and report views (shared/adapters/dynamo.StaffAudit).
type AuditLog interface {
	RecordSearch(ctx context.Context, s Search) error
	RecordReportView(ctx context.Context, v ReportView) error
}

// Ways of searching, as the audit records them.
const (
	SearchByReference = "reference"
	SearchByPostcode  = "postcode"
	SearchByEmail     = "email"
	SearchByPhone     = "phone"
)

// Search is one member of staff finding cases: how (SearchBy...) and what was found, by kind (for a reference,
// the case it opens). It never holds what was typed: a postcode, an email address or a phone is personal data,
// and its hash could be reversed by trying every postcode; the references found are what the audit needs.
type Search struct {
	By    casefile.Actor
	At    time.Time
	How   string
	Found []Found
}

// Report formats, as the audit records them.
const (
	ReportPage = "page"
	ReportCSV  = "csv"
)

// ReportView is one member of staff opening a report, or downloading it: which report, the period it covers
// (a month, a financial year, or the day of a report of now) and the format.
type ReportView struct {
	By     casefile.Actor
	At     time.Time
	Report string // asb, complaints, register
	Period string
	Format string // ReportPage or ReportCSV
}

// RecordSearch records a search that was made.
func (s Service) RecordSearch(ctx context.Context, q Search) error {
	return s.Audit.RecordSearch(ctx, q)
}

// RecordReportView records a report that was shown or downloaded.
func (s Service) RecordReportView(ctx context.Context, v ReportView) error {
	return s.Audit.RecordReportView(ctx, v)
}
