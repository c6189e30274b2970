package staffweb

import (
	"context"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/web"
)

// recordReportView records a report shown or downloaded (console.RecordReportView), once its figures were read:
// which report, its period (the month or year asked for; the London day for a report of now) and the format.
// As a case view, a record that cannot be written fails the page.
func (p *Pages) recordReportView(ctx context.Context, r *web.Request, o Officer, name string, period *web.Field, value, format string) error {
	if period == nil {
		value = workdays.DateOf(r.Now()).String()
	}
	if format == "" {
		format = console.ReportPage
	}
	return p.Console.RecordReportView(ctx, console.ReportView{By: o.Staff().Actor(), At: r.Now(), Report: name, Period: value, Format: format})
}
