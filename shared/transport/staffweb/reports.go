package staffweb

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/reportview"
	"github.com/councilhousing/backend/shared/transport/web"
)

// The reports: each page mirrors the JSON report route (whose groups may open it) and calls the same service
// method with the same period, laid out by reportview (charts as SVG with their data tables, headline figures
// with their rule ids) and downloadable as the same figures in CSV (?format=csv).
const (
	asbReportRoute        = "GET /reports/asb"
	complaintsReportRoute = "GET /reports/complaints"
	registerReportRoute   = "GET /reports/register"
)

// reportPage is one report of the console: where it is, its title, and the JSON route it mirrors.
type reportPage struct {
	Path, TitleKey, DescriptionKey, Route string
}

var reportPages = []reportPage{
	{"/staff/reports/asb", "staff.reports.asb.title", "staff.reports.asb.description", asbReportRoute},
	{"/staff/reports/complaints", "staff.reports.complaints.title", "staff.reports.complaints.description", complaintsReportRoute},
	{"/staff/reports/register", "staff.reports.register.title", "staff.reports.register.description", registerReportRoute},
}

// reportsIndex lists the reports the officer's groups may open (none is a page that says so).
func (p *Pages) reportsIndex(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	var allowed []reportPage
	for _, rp := range reportPages {
		if o.Staff().In(routeGroups(rp.Route)...) {
			allowed = append(allowed, rp)
		}
	}
	return p.render(r, o, http.StatusOK, "reports", "staff.reports.title", web.Form{}, allowed)
}

// reportView is a report page's data: the report (nil when the period asked for is not one), the form to pick
// the period, and the CSV download link.
type reportView struct {
	Name   string // asb, complaints, register
	Path   string
	Report *reportview.Report
	CSV    string
	// Period is the form's field name ("" for a report of now, with no period to pick).
	Period string
	// SelfAssessment is the complaints report's link to record the landlord's section of the year, for those
	// whose groups may (selfassessment.go).
	SelfAssessment string
}

// Fields of the period forms: the same query parameters as the JSON routes, validated by the same services.
var (
	monthField = web.Field{Name: "month", Kind: web.Text, Key: "staff.reports.asb.month", Paths: []string{"month"}, MaxLength: 7,
		Width: "govuk-input--width-5"}
	yearField = web.Field{Name: "year", Kind: web.Text, Key: "staff.reports.complaints.year", Paths: []string{"year"}, MaxLength: 4,
		Width: "govuk-input--width-4"}
)

// asbReport is the ASB-9 monthly measures and NM01 of a London month (this month unless one is asked for).
func (p *Pages) asbReport(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	month, asked := r.Event.QueryStringParameters["month"]
	if !asked {
		month = workdays.DateOf(r.Now()).String()[:7]
	}
	month = cut(month, 20)
	m, err := p.ASB.MonthlyReport(ctx, asbcases.MonthlyReport{By: o.Staff(), Month: month})
	return p.showReport(ctx, r, o, "asb", &monthField, month, err, func() reportview.Report { return reportview.ASBMonthly(m) })
}

// complaintsReport is the CH-10 annual report of a financial year (the one today is in unless one is asked
// for): TSM CH01, CH02 and the time within the Code's timescales.
func (p *Pages) complaintsReport(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	typed, asked := r.Event.QueryStringParameters["year"]
	if !asked {
		today := workdays.DateOf(r.Now()).String()
		y, _ := strconv.Atoi(today[:4])
		if today[5:7] < "04" {
			y-- // January to March: the financial year that began last April
		}
		typed = strconv.Itoa(y)
	}
	typed = cut(typed, 20)
	year, err := strconv.Atoi(typed)
	if err != nil {
		year = 0 // the service names the field, as for the JSON route
	}
	a, err := p.Complaints.AnnualReport(ctx, complaintcases.Report{By: o.Staff(), Year: year})
	return p.showReport(ctx, r, o, "complaints", &yearField, typed, err, func() reportview.Report { return reportview.ComplaintsAnnual(a) })
}

// bandLabels are the bands as the report names them, highest need first.
var bandLabels = map[string]string{"emergency": "staff.reports.register.band.emergency", "A": "staff.reports.register.band.A",
	"B": "staff.reports.register.band.B", "reduced": "staff.reports.register.band.reduced"}

// registerReport is the active register's size by band, now.
func (p *Pages) registerReport(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	size, err := p.Register.BandSizes(ctx, registercases.BandReport{By: o.Staff(), At: r.Now()})
	return p.showReport(ctx, r, o, "register", nil, "", err, func() reportview.Report {
		bands := make([]reportview.BandCount, len(size.Bands))
		for i, b := range size.Bands {
			bands[i] = reportview.BandCount{Label: r.T(bandLabels[b.Band]), Count: b.Applications}
		}
		return reportview.RegisterBands(size.AsOf.StartOfDay().Format("2 January 2006"), bands)
	})
}

// showReport answers a report: the page, or its CSV (?format=csv) as a download named by the report. A period
// the service refuses is the page's error summary, linked to the field (400); any other error is the error page.
func (p *Pages) showReport(ctx context.Context, r *web.Request, o Officer, name string, period *web.Field, value string, err error, layout func() reportview.Report) (web.Response, error) {
	format := r.Query("format")
	if format != "" && format != "csv" {
		return web.Response{}, apperr.New(apperr.Invalid, "There is no such format of the report.")
	}
	if err != nil && !(period != nil && apperr.CodeOf(err) == apperr.Invalid) {
		return web.Response{}, err
	}
	v := reportView{Name: name, Path: "/staff/reports/" + name}
	var fields []web.Field
	answers := map[string][]string{}
	q := url.Values{"format": {"csv"}}
	if period != nil {
		v.Period, fields, answers[period.Name] = period.Name, []web.Field{*period}, []string{value}
		q.Set(period.Name, value)
	}
	form := web.BuildForm(r, fields, answers, err)
	for i := range form.Fields {
		form.Fields[i].Heading = false
	}
	if err != nil {
		if e, ok := apperr.As(err); ok && len(form.Errors) == 0 { // not the period's field: show it at the field all the same
			msg := e.Message
			if len(e.Fields) > 0 {
				msg = r.T(period.Key+".name") + " " + e.Fields[0].Message
			}
			form.Errors = append(form.Errors, web.ErrorLink{Text: msg, Href: "#" + period.Name})
		}
		return p.render(r, o, http.StatusBadRequest, "report", "staff.reports."+name+".title", form, v)
	}
	rep := layout()
	if err := p.recordReportView(ctx, r, o, name, period, value, format); err != nil { // audit.go
		return web.Response{}, err
	}
	if format == "csv" {
		var out bytes.Buffer
		if err := rep.WriteCSV(&out); err != nil {
			return web.Response{}, err
		}
		return web.Response{StatusCode: http.StatusOK, Body: out.String(), Headers: map[string]string{
			"Content-Type":        "text/csv; charset=utf-8",
			"Content-Disposition": `attachment; filename="` + rep.Filename() + `"`, // Filename is [a-z0-9-] and .csv only
		}}, nil
	}
	v.Report, v.CSV = &rep, v.Path+"?"+q.Encode()
	if name == "complaints" && o.Staff().In(routeGroups(selfAssessmentRoute)...) {
		v.SelfAssessment = selfAssessmentPath + "?" + url.Values{"year": {value}}.Encode()
	}
	return p.render(r, o, http.StatusOK, "report", "staff.reports."+name+".title", form, v)
}
