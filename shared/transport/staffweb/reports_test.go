package staffweb

import (
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/web"
)

// The in-memory stores behind the reports, the register's queue and find by a person: the reads the DynamoDB
// adapters serve from list entries and indexes, served here from memory.
type (
	reportComplaints   struct{ memComplaints }
	reportApplications struct{ memApplications }
)

func (m reportComplaints) InFinancialYear(_ context.Context, year int) ([]complaints.Complaint, error) {
	return m.memComplaints.Store.All(), nil
}

func (m reportApplications) CountBands(context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, r := range m.memApplications.Store.All() {
		if _, listed := register.PriorityKey(r.Reference, r.Decision); listed {
			out[r.Decision.BandName()]++
		}
	}
	return out, nil
}

func (m reportApplications) List(_ context.Context, f registercases.Filter, limit int, _ string) ([]registercases.Summary, string, error) {
	all := m.memApplications.Store.All()
	slices.SortFunc(all, func(a, b register.Record) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	var out []registercases.Summary
	for _, r := range all {
		if r.Decision.Status == f.Status && len(out) < limit {
			out = append(out, registercases.SummaryOf(r))
		}
	}
	return out, "", nil
}

func (m reportApplications) Find(ctx context.Context, key registercases.FindKey, _ int, _ string) ([]registercases.Summary, string, error) {
	var out []registercases.Summary
	for _, r := range m.memApplications.Store.All() {
		st, _ := m.memApplications.Store.Load(ctx, r.Reference)
		if st.Contact != nil && (key.Field == registercases.FindByPostcode && registercases.PostcodeKey(st.Contact.Postcode) == key.Hash ||
			key.Field == registercases.FindByEmail && registercases.EmailKey(st.Contact.Email) == key.Hash) {
			out = append(out, registercases.SummaryOf(r))
		}
	}
	return out, "", nil
}

// withEverything gives the console every service, each on memory, with one case of each kind made by the same
// person (sam@example.org): an ASB report on Monday 23 November 2026, a complaint, and two register
// applications, one decided (Band A) and one awaiting verification.
func (c *console_) withEverything() (asbRef string) {
	c.t.Helper()
	ctx := context.Background()
	asbStore := testsupport.NewASBCases()
	asbSvc := asbcases.Service{Store: asbStore, Outbox: &testsupport.Outbox{}, Homes: 4000}
	cmp := reportComplaints{c.cmp}
	apps := reportApplications{memApplications{Store: testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })}}
	reg := registercases.Service{Store: apps, Outbox: &testsupport.Outbox{}}
	dir := &testsupport.Directory{Sources: []func() []testsupport.Listed{
		func() (out []testsupport.Listed) {
			for _, a := range asbStore.All() {
				if st, _ := asbStore.Load(ctx, a.Reference); st.Contact != nil {
					out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.ASB, Ref: a.Reference}, Contact: *st.Contact, Location: a.Location.Postcode})
				}
			}
			return out
		},
		func() (out []testsupport.Listed) {
			for _, x := range c.cmp.Store.All() {
				if st, _ := c.cmp.Load(ctx, x.Reference); st.Contact != nil {
					out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.Complaint, Ref: x.Reference}, Contact: st.Contact.Details})
				}
			}
			return out
		},
		func() (out []testsupport.Listed) {
			for _, a := range apps.memApplications.Store.All() {
				if st, _ := apps.memApplications.Store.Load(ctx, a.Reference); st.Contact != nil {
					out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.Application, Ref: a.Reference}, Contact: st.Contact.Details})
				}
			}
			return out
		},
	}}
	srv := NewServer(LoadTemplates(), c.sessions, web.Site{Name: "Northtown Council", Phone: "01234 567890"})
	pages := Pages{Web: srv, SignIn: &Provider{Issuer: c.p.iss, ClientID: "console-client", AuthorizeURL: "https://login.example/oauth2/authorize",
		TokenURL: c.p.srv.URL + "/token", KeysURL: c.p.srv.URL + "/jwks.json", SiteURL: "https://housing.example", HTTP: c.p.srv.Client()},
		Console:    console.Service{Deadlines: c.due, Views: c.views, ASB: asbSvc, Register: reg, Contacts: dir, Postcodes: dir, Audit: c.audit},
		Complaints: complaintcases.Service{Store: cmp, Outbox: &testsupport.Outbox{}, Homes: 5000, Landlord: complaints.Landlord{Name: "Northtown Council"}},
		Register:   reg, ASB: asbSvc, Answers: storedAnswers{c.cmp.Store}}
	c.h = srv.Handler(catalog.MustFunction(catalog.StaffWebFunction), pages.Routes())

	r, err := asbSvc.Report(ctx, asbcases.Report{At: c.now.AddDate(0, 0, -1), Form: asb.Report{Type: "noise", Description: "Loud music every night until 3am.",
		Location: asb.Location{Address: "Flat 4, 10 High Street", Postcode: "NN1 1AA"}, Ongoing: true, Reporter: &asb.Reporter{Name: "Sam Resident", Email: "sam@example.org"}}})
	if err != nil {
		e, _ := apperr.As(err)
		c.t.Fatalf("%v %+v", err, e)
	}
	c.complaint("CMP-AAAA-BBBB")
	yes := true
	for i, ref := range []string{"HR-AAAA-BBBB", "HR-AAAA-CCCC"} {
		a := register.Application{Applicant: register.Applicant{Details: contact.Details{Name: "Sam Resident", Email: "sam@example.org", Address: "1 Example Road", Postcode: "NN1 1DE"},
			DateOfBirth: "1990-05-01"}, Age: 36, EligibleImmigrationStatus: true, Circumstances: []string{"mappa"}}
		rec, ev := register.NewRecord(ref, a, c.now.AddDate(0, 0, -10+i))
		evs := []casefile.Event{ev}
		if i == 0 {
			decided, err := rec.RecordCouncilDecision(register.CouncilDecision{Decision: "mappa", Applies: &yes, DecidedOn: "2026-11-20", Note: "MAPPA letter seen"},
				casefile.Actor{ID: "alloc-1"}, c.now)
			if err != nil {
				e, _ := apperr.As(err)
				c.t.Fatalf("deciding: %+v", e)
			}
			evs = append(evs, decided)
		}
		ct := register.ContactOf(a)
		if err := apps.Create(ctx, casework.Stored[register.Record, register.Contact]{Case: rec, Contact: &ct}, casework.Writes{Events: evs}); err != nil {
			c.t.Fatal(err)
		}
	}
	return r.Case.Reference
}

// csvCells reads a CSV answer's cells, row by row joined with commas.
func csvCells(t *testing.T, body string) []string {
	t.Helper()
	rd := csv.NewReader(strings.NewReader(body))
	rd.FieldsPerRecord = -1
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	var out []string
	for _, row := range rows {
		out = append(out, strings.Join(row, ","))
	}
	return out
}

func wantReport(t *testing.T, r web.Response, title string, want ...string) {
	t.Helper()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d\n%s", title, r.StatusCode, r.Body)
	}
	for _, w := range append([]string{"<h1 class=\"govuk-heading-l\">" + title + "</h1>", `<svg class="app-chart"`, `role="img"`, `<desc id=`,
		`<table class="govuk-table">`, `scope="row"`, "?format=csv"}, want...) {
		if !strings.Contains(r.Body, w) {
			t.Errorf("%s: no %q", title, w)
		}
	}
}

// Each report is a page for the groups of the JSON report route it mirrors: its charts (SVG with a title and
// a description) each with the table of its data beside it, its headline figures with their rule ids, and a
// CSV download of the same figures; anyone else gets the 403 page and no link to it.
func TestReportsRenderForTheirRouteGroupsOnly(t *testing.T) {
	c := newConsole(t)
	c.withEverything()

	c.signIn("asb-manager-1", catalog.GroupASBManager)
	idx := c.do("GET", "/staff/reports", nil)
	if idx.StatusCode != http.StatusOK || !strings.Contains(idx.Body, `href="/staff/reports/asb"`) || strings.Contains(idx.Body, `href="/staff/reports/complaints"`) {
		t.Errorf("reports for an ASB manager: %d\n%s", idx.StatusCode, idx.Body)
	}
	asbPage := c.do("GET", "/staff/reports/asb?month=2026-11", nil)
	wantReport(t, asbPage, "ASB monthly measures", "November 2026", "New cases by type, November 2026", "NM01", "ASB-9",
		`href="/staff/reports/asb?format=csv&amp;month=2026-11"`, `<th scope="row" class="govuk-table__header">Noise</th>`)
	if now := c.do("GET", "/staff/reports/asb", nil); !strings.Contains(now.Body, "November 2026") { // this month by default
		t.Errorf("default month: %d", now.StatusCode)
	}
	dl := c.do("GET", "/staff/reports/asb?month=2026-11&format=csv", nil)
	if dl.StatusCode != http.StatusOK || dl.Headers["Content-Type"] != "text/csv; charset=utf-8" ||
		dl.Headers["Content-Disposition"] != `attachment; filename="asb-monthly-measures-november-2026.csv"` {
		t.Fatalf("CSV: %d %v", dl.StatusCode, dl.Headers)
	}
	cells := csvCells(t, dl.Body)
	for _, want := range []string{"ASB monthly measures,November 2026", "New cases,1,ASB-9", "Noise,1", "ASB cases per 1,000 homes,0.25,NM01"} {
		if !slices.Contains(cells, want) {
			t.Errorf("CSV has no row %q:\n%s", want, dl.Body)
		}
	}
	for _, path := range []string{"/staff/reports/complaints", "/staff/reports/register"} {
		if r := c.do("GET", path, nil); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "You do not have access to this page") {
			t.Errorf("%s for an ASB manager: %d", path, r.StatusCode)
		}
	}

	c.signIn("cm-1", catalog.GroupComplaintsManager)
	cmp := c.do("GET", "/staff/reports/complaints?year=2026", nil)
	wantReport(t, cmp, "Complaints annual report", "2026-27", "TSM CH01", "TSM CH02", "Responses within the Code&#39;s timescales, 2026-27",
		"Stage 1 complaints by service area, 2026-27", `<th scope="row" class="govuk-table__header">Repairs</th>`)
	cells = csvCells(t, c.do("GET", "/staff/reports/complaints?year=2026&format=csv", nil).Body)
	for _, want := range []string{"Stage 1 complaints received per 1,000 homes,0.2,TSM CH01", "Repairs,1", "Received,1,0"} {
		if !slices.Contains(cells, want) {
			t.Errorf("complaints CSV has no row %q: %q", want, cells)
		}
	}
	if r := c.do("GET", "/staff/reports/asb", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("ASB report for a complaints manager: %d", r.StatusCode)
	}

	for _, g := range []string{catalog.GroupAllocationsOfficer, catalog.GroupHousingSolutionsManager} {
		c.signIn("reg-1", g)
		reg := c.do("GET", "/staff/reports/register", nil)
		wantReport(t, reg, "Housing register by band", "24 November 2026", `<th scope="row" class="govuk-table__header">Band A</th>`,
			"Applications on the housing register by band, 24 November 2026")
		cells = csvCells(t, c.do("GET", "/staff/reports/register?format=csv", nil).Body)
		for _, want := range []string{"Active applications,1,", "Emergency,0", "Band A,1", "Band B,0", "Reduced priority,0"} {
			if !slices.Contains(cells, want) {
				t.Errorf("register CSV has no row %q: %q", want, cells)
			}
		}
	}

	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	if r := c.do("GET", "/staff/reports", nil); r.StatusCode != http.StatusOK || strings.Contains(r.Body, `href="/staff/reports/`) {
		t.Errorf("reports for a complaints officer: %d", r.StatusCode)
	}
	for _, path := range []string{"/staff/reports/asb", "/staff/reports/complaints?year=2026", "/staff/reports/register", "/staff/reports/asb?format=csv"} {
		if r := c.do("GET", path, nil); r.StatusCode != http.StatusForbidden || r.Headers["Content-Type"] != "text/html; charset=utf-8" {
			t.Errorf("%s for a complaints officer: %d %v", path, r.StatusCode, r.Headers)
		}
	}
	c.cookie = ""
	if r := c.do("GET", "/staff/reports/register", nil); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Headers["Location"], "/staff/sign-in?") {
		t.Errorf("signed out: %d %v", r.StatusCode, r.Headers)
	}
}

// A period the service refuses is the GOV.UK error summary linked to the field (400), with no figures and no
// download; so is a format there is none of.
func TestReportsBadPeriodShowsTheErrorSummary(t *testing.T) {
	c := newConsole(t)
	c.withEverything()
	c.signIn("manager", catalog.GroupASBManager, catalog.GroupComplaintsManager)
	for _, tc := range []struct{ path, field string }{
		{"/staff/reports/asb?month=2026-13", "month"}, {"/staff/reports/asb?month=", "month"}, {"/staff/reports/asb?month=%3Cscript%3E", "month"},
		{"/staff/reports/complaints?year=twenty", "year"}, {"/staff/reports/complaints?year=1999", "year"},
		{"/staff/reports/asb?month=2026-13&format=csv", "month"},
	} {
		r := c.do("GET", tc.path, nil)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, `class="govuk-error-summary"`) || !strings.Contains(r.Body, `<a href="#`+tc.field+`">`) ||
			strings.Contains(r.Body, "<svg") || strings.Contains(r.Body, "format=csv") || strings.Contains(r.Body, "<script>") {
			t.Errorf("%s: %d\n%s", tc.path, r.StatusCode, r.Body)
		}
	}
	if r := c.do("GET", "/staff/reports/asb?month=2026-11&format=xlsx", nil); r.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown format: %d", r.StatusCode)
	}
}

// Find by a person: an email address finds the complaint and the application the officer's groups let them
// open (each linked to its page), and nothing of a kind they may not open; a postcode finds applications; a
// phone number is normalised; what is none of them is the error summary.
func TestFindByEmailFindsAComplaintAndAnApplication(t *testing.T) {
	c := newConsole(t)
	asbRef := c.withEverything()
	c.signIn("officer-a", catalog.GroupComplaintsOfficer, catalog.GroupAllocationsOfficer)
	r := c.do("GET", "/staff/find?reference=+Sam%40Example.ORG+", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("find by email: %d\n%s", r.StatusCode, r.Body)
	}
	for _, want := range []string{`href="/staff/complaints/CMP-AAAA-BBBB"`, `href="/staff/applications/HR-AAAA-BBBB"`, `href="/staff/applications/HR-AAAA-CCCC"`,
		"Complaints (1)", "Housing register applications (2)", `value=" Sam@Example.ORG "`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("find by email: no %q", want)
		}
	}
	if strings.Contains(r.Body, asbRef) || strings.Contains(r.Body, "ASB cases (") {
		t.Error("a complaints and allocations officer is shown an ASB case")
	}
	c.signIn("officer-b", catalog.GroupComplaintsOfficer)
	if r := c.do("GET", "/staff/find?reference=sam%40example.org", nil); !strings.Contains(r.Body, "CMP-AAAA-BBBB") || strings.Contains(r.Body, "HR-AAAA") {
		t.Errorf("a complaints officer's find: %d", r.StatusCode)
	}
	if r := c.do("GET", "/staff/find?reference=nn1+1de", nil); r.StatusCode != http.StatusOK || strings.Contains(r.Body, "HR-AAAA") ||
		!strings.Contains(r.Body, "Complaints (0)") {
		t.Errorf("a complaints officer's find by postcode (complaints only, none at it): %d", r.StatusCode)
	}
	c.signIn("asb-1", catalog.GroupASBOfficer)
	if r := c.do("GET", "/staff/find?reference=sam%40example.org", nil); !strings.Contains(r.Body, asbRef) || strings.Contains(r.Body, "CMP-AAAA") {
		t.Errorf("an ASB officer's find: %d\n%s", r.StatusCode, r.Body)
	}
	c.signIn("alloc-1", catalog.GroupAllocationsOfficer)
	if r := c.do("GET", "/staff/find?reference=nn1+1de", nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `href="/staff/applications/HR-AAAA-BBBB"`) ||
		!strings.Contains(r.Body, "Found by postcode") || strings.Contains(r.Body, "no postcode key") {
		t.Errorf("find by postcode: %d\n%s", r.StatusCode, r.Body)
	}
	if r := c.do("GET", "/staff/find?reference=07700+900123", nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Found by phone number") {
		t.Errorf("find by phone: %d", r.StatusCode)
	}
	for _, bad := range []string{"sam%40", "0770", "%3Cscript%3E"} {
		r := c.do("GET", "/staff/find?reference="+bad, nil)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `<a href="#reference">`) || strings.Contains(r.Body, "<script>") {
			t.Errorf("find %s: %d\n%s", bad, r.StatusCode, r.Body)
		}
	}
}

// The register's queue: an allocations officer's work queue lists the applications awaiting verification,
// oldest first, linked to their pages; a complaints officer's does not.
func TestQueueListsApplicationsAwaitingVerification(t *testing.T) {
	c := newConsole(t)
	c.withEverything()
	c.signIn("alloc-1", catalog.GroupAllocationsOfficer)
	q := c.do("GET", "/staff", nil)
	if q.StatusCode != http.StatusOK || !strings.Contains(q.Body, `id="awaiting-verification"`) || !strings.Contains(q.Body, `href="/staff/applications/HR-AAAA-CCCC"`) ||
		strings.Contains(q.Body, `href="/staff/applications/HR-AAAA-BBBB"`) {
		t.Errorf("queue: %d\n%s", q.StatusCode, q.Body)
	}
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	if q := c.do("GET", "/staff", nil); strings.Contains(q.Body, `id="awaiting-verification"`) {
		t.Error("a complaints officer has the register's queue")
	}
}
