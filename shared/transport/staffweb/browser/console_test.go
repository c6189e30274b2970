package browser

import (
	"flag"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/browsertest"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { emulators.Main(m) }

var updateScreenshots = flag.Bool("update-screenshots", false, "rewrite the README's staff console screenshots in shared/web/screenshots/")

// An officer signs in with the keyboard (the local stand-in's page: pick a user and a group), opens a complaint
// from their work queue and acknowledges it (a wrong answer first: the error summary), with axe-core on every
// page and state; the staff API then reads the acknowledgement back. Each report is run once (its chart, data
// table and CSV link, axe-core), and the complaints report's self-assessment is filled in (selfAssessment).
func TestStaffConsoleInABrowser(t *testing.T) {
	browserPath, axe := browsertest.Prerequisites(t)
	started := time.Now()
	// asb-report for its groups on the stand-in's sign-in page (the ASB report's asb-manager)
	c := localcloud.StartForTest(t, "complaint-escalation", "register-application", "asb-report", catalog.StaffWebFunction)
	c.PinClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)) // received Monday 16th: acknowledge by the 23rd (CH-4)
	r := c.Call(t, "POST", "/complaints", map[string]any{
		"description": "The lift has been broken for a month.\nMy mother cannot get to the flat.", "outcomesSought": "Fix the lift and tell me when",
		"serviceArea": "repairs", "issueDate": "2026-10-20",
		"complainant": map[string]any{"name": "Sam Resident", "email": "sam.browser@example.org", "phone": "07700 900123", "address": "Flat 3, 12 Example Court", "postcode": "NN1 2AB"},
	})
	if r.Status != 201 {
		t.Fatalf("complaint: %d %s", r.Status, r.Raw)
	}
	ref := r.JSON["reference"].(string)
	app := c.Call(t, "POST", "/register/applications", map[string]any{
		"applicant": map[string]any{"name": "Jo Applicant", "dateOfBirth": "1990-05-01", "email": "jo.browser@example.org", "address": "1 Example Road", "postcode": "NN1 1DE"},
		"household": []any{map[string]any{"name": "Kim", "dateOfBirth": "2018-02-01", "relationship": "child"}},
		"age":       36, "eligibleImmigrationStatus": true, "circumstances": []string{"sharing-facilities"}, "seekingWork": false,
	})
	if app.Status != 201 {
		t.Fatalf("application: %d %s", app.Status, app.Raw)
	}
	appRef := app.JSON["reference"].(string)
	for _, area := range []string{"repairs", "lettings", "estate-services"} { // more bars on the complaints report's chart
		if r := c.Call(t, "POST", "/complaints", map[string]any{"description": "Nobody came back to me.", "outcomesSought": "An answer", "serviceArea": area,
			"issueDate": "2026-10-20", "complainant": map[string]any{"name": "Ari Resident", "email": "ari.browser@example.org"}}); r.Status != 201 {
			t.Fatalf("complaint about %s: %d %s", area, r.Status, r.Raw)
		}
	}
	c.PinClock(time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC))

	// the reports' groups (GET /reports/asb, /reports/complaints) too, in the stand-in page's order
	o := signIn(t, browserPath, axe, c.URL(), "staff-browser", catalog.GroupComplaintsOfficer, catalog.GroupAllocationsOfficer,
		catalog.GroupASBManager, catalog.GroupComplaintsManager)
	o.checkPage("", "staff-queue")
	if status := o.Press(`a[href="/staff/complaints/` + ref + `"]`); status != http.StatusOK {
		t.Fatalf("opening the complaint: %d", status)
	}
	o.checkPage("", "staff-complaint")
	if status := o.Press(`a[href="/staff/complaints/` + ref + `/acknowledge"]`); status != http.StatusOK {
		t.Fatalf("the acknowledgement form: %d", status)
	}
	o.checkPage("", "")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty acknowledgement: %d", status)
	}
	if links := eval[[]string](o, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`); strings.Join(links, " ") != "#definition #outcomesSought" {
		t.Errorf("error summary links %v", links)
	}
	o.checkPage("errors", "")
	o.TypeInto("definition", "The lift at Example Court has not worked since October")
	o.TypeInto("outcomesSought", "Repair the lift")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusOK || o.Path() != "/staff/complaints/"+ref {
		t.Fatalf("acknowledging leads to %s (%d)", o.Path(), status)
	}
	if !eval[bool](o, `document.querySelector('.govuk-notification-banner') !== null`) {
		t.Error("no confirmation banner")
	}
	o.checkPage("acknowledged", "")
	// find the application by its reference (typed in lower case), and open its claim check
	if status := o.Press(`a[href="/staff/find"]`); status != http.StatusOK {
		t.Fatalf("find: %d", status)
	}
	o.checkPage("", "")
	o.TypeInto("reference", strings.ToLower(appRef))
	if status := o.Navigate("\r"); status != http.StatusOK || o.Path() != "/staff/applications/"+appRef {
		t.Fatalf("finding %s leads to %s (%d)", appRef, o.Path(), status)
	}
	o.checkPage("", "staff-application")
	if status := o.Press(`a[href="/staff/applications/` + appRef + `/verify-claim"]`); status != http.StatusOK {
		t.Fatalf("claim check form: %d", status)
	}
	o.checkPage("", "")
	// each report once, from the Reports link: its chart and data table, axe-core; the complaints report is the
	// README's screenshot
	for i, rp := range []struct{ path, period, readme string }{
		{"/staff/reports/asb", "November 2026", ""}, {"/staff/reports/complaints", "2026-27", "staff-report"}, {"/staff/reports/register", "24 November 2026", ""},
	} {
		if status := o.Press(`a[href="/staff/reports"]`); status != http.StatusOK {
			t.Fatalf("reports: %d", status)
		}
		if i == 0 {
			o.checkPage("", "")
		}
		if status := o.Press(`a[href="` + rp.path + `"]`); status != http.StatusOK {
			t.Fatalf("%s: %d", rp.path, status)
		}
		if got := eval[string](o, `document.querySelector('#report-period').textContent`); got != rp.period {
			t.Errorf("%s: period %q, want %q", rp.path, got, rp.period)
		}
		if n := eval[int](o, `document.querySelectorAll('.govuk-grid-row svg[role=img]').length`); n == 0 {
			t.Errorf("%s: no chart", rp.path)
		}
		if !eval[bool](o, `document.querySelector('a[download][href*="format=csv"]') !== null`) {
			t.Errorf("%s: no CSV link", rp.path)
		}
		o.checkPage("", rp.readme)
	}
	selfAssessment(t, o)
	rec := c.Call(t, "GET", "/complaints/"+ref+"/record", nil, "Authorization", c.StaffToken(t, "reader", catalog.GroupComplaintsManager))
	stage := rec.JSON["complaint"].(map[string]any)["stages"].([]any)[0].(map[string]any)
	if by, _ := stage["acknowledgedBy"].(map[string]any); by == nil || by["id"] != "officer-a" || stage["definition"] != "The lift at Example Court has not worked since October" {
		t.Errorf("the API reads %v", stage)
	}
	t.Logf("axe-core checked %d pages and states with no violation; %s in all (screenshots in %s)", o.AxeChecks, time.Since(started).Round(time.Second), o.Shots)
}

// selfAssessment fills in part of the landlord's section of the complaints annual report with the keyboard, from
// the report's link (CH-10, source 004 §8.1): a section of chapter 1 that does not comply without what will bring
// it into line is the API's error at that field (axe-core on the error state too), put right and saved to the
// report page, which shows it; then a finding of the Ombudsman, with "add another" (no JavaScript needed) first.
func selfAssessment(t *testing.T, o *officer) {
	t.Helper()
	const form = "/staff/reports/complaints/self-assessment?year=2026"
	follow := func(href string) {
		t.Helper()
		if status := o.Press(`a[href="` + href + `"]`); status != http.StatusOK {
			t.Fatalf("%s: %d", href, status)
		}
	}
	save := func(want int64, what string) {
		t.Helper()
		if status := o.Press(`#save`); status != want || want == http.StatusOK && o.Path() != "/staff/reports/complaints" {
			t.Fatalf("%s leads to %s (%d)", what, o.Path(), status)
		}
	}
	for _, href := range []string{"/staff/reports", "/staff/reports/complaints", form} {
		follow(href)
	}
	o.checkPage("self-assessment", "")
	follow(form + "&part=1")
	o.checkPage("chapter 1", "")
	o.Choose("s1-2-complies", "no")
	o.TypeInto("s1-2-evidence", "Our policy defines a complaint, but the web page uses another definition.")
	save(http.StatusUnprocessableEntity, "a section that does not comply, without what will bring it into line,")
	if links := eval[[]string](o, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`); strings.Join(links, " ") != "#s1-2-actions" {
		t.Errorf("error summary links %v", links)
	}
	o.checkPage("chapter 1 errors", "")
	o.TypeInto("s1-2-actions", "Publish the policy's definition on the web page by January.")
	save(http.StatusOK, "saving chapter 1")
	if got := eval[string](o, `document.querySelector('#self-assessment-sections').innerText`); !strings.Contains(got, "1.2\tNo\tOur policy defines a complaint") {
		t.Errorf("the report shows %q", got)
	}
	o.checkPage("self-assessment recorded", "")
	follow(form)
	follow(form + "&part=ombudsman")
	o.TypeInto("finding-1-reference", "202412345")
	if status := o.Press(`button[value=finding]`); status != http.StatusOK || !eval[bool](o, `document.querySelector('#finding-2-reference') !== null`) {
		t.Fatalf("add another finding: %d", status)
	}
	o.checkPage("another finding", "")
	for _, typed := range [][2]string{{"finding-1-decidedOn-day", "2"}, {"finding-1-decidedOn-month", "10"}, {"finding-1-decidedOn-year", "2026"},
		{"finding-1-finding", "Maladministration in the handling of a repairs complaint."}} {
		o.TypeInto(typed[0], typed[1])
	}
	save(http.StatusOK, "saving the finding")
	if got := eval[string](o, `document.querySelector('#self-assessment-findings').innerText`); !strings.Contains(got, "202412345\t2026-10-02\tMaladministration") {
		t.Errorf("the report's findings read %q", got)
	}
}
