package browser

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/browsertest"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

// An allocations officer signs in with the keyboard, opens an application from the queue's applications
// awaiting verification and takes it to the end of its life: assigns it to themselves, checks its claim against
// the evidence (an empty check first: the error summary), records the council's decision on the hazard (Band B,
// then Band A), records the offer the applicant accepted and closes the application as housed; axe-core on
// every page and state; the staff API then reads the housed application back.
func TestApplicationInABrowser(t *testing.T) {
	browserPath, axe := browsertest.Prerequisites(t)
	started := time.Now()
	c := localcloud.StartForTest(t, "register-application", catalog.StaffWebFunction)
	c.PinClock(time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC))
	app := c.Call(t, "POST", "/register/applications", map[string]any{
		"applicant": map[string]any{"name": "Jo Applicant", "dateOfBirth": "1990-05-01", "email": "jo.housed@example.org", "address": "1 Example Road", "postcode": "NN1 1DE"},
		"household": []any{map[string]any{"name": "Kim", "dateOfBirth": "2018-02-01", "relationship": "child"}},
		"age":       36, "eligibleImmigrationStatus": true, "circumstances": []string{"sharing-facilities", "hhsrs-category-1"}, "seekingWork": false,
	})
	if app.Status != 201 {
		t.Fatalf("application: %d %s", app.Status, app.Raw)
	}
	ref := app.JSON["reference"].(string)
	c.PinClock(time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)) // Tuesday 24 November 2026

	o := signIn(t, browserPath, axe, c.URL(), "staff-browser-application", catalog.GroupAllocationsOfficer)
	appPath := "/staff/applications/" + ref
	if !eval[bool](o, `document.querySelector('#awaiting-verification') !== null && document.querySelector('a[href="`+appPath+`"]') !== null`) {
		t.Fatal("the application is not on the queue awaiting verification")
	}
	o.checkPage("", "")
	if status := o.Press(`a[href="` + appPath + `"]`); status != http.StatusOK || o.Path() != appPath {
		t.Fatalf("opening the application: %s (%d)", o.Path(), status)
	}
	o.checkPage("", "")
	if eval[bool](o, `document.querySelector('a[href="`+appPath+`/offer"]') !== null`) {
		t.Error("an offer is offered while the application awaits verification")
	}
	submit := func(what string) {
		t.Helper()
		if status := o.Press(`main form button[type=submit]`); status != http.StatusOK || o.Path() != appPath {
			t.Fatalf("%s leads to %s (%d)", what, o.Path(), status)
		}
		if !eval[bool](o, `document.querySelector('.govuk-notification-banner') !== null`) {
			t.Errorf("%s: no confirmation banner", what)
		}
	}
	open := func(action string) {
		t.Helper()
		if status := o.Press(`a[href="` + appPath + `/` + action + `"]`); status != http.StatusOK {
			t.Fatalf("the %s form: %d", action, status)
		}
		o.checkPage("", "")
	}

	// assign: the form offers the officer themselves
	open("assign")
	if got := eval[string](o, `document.querySelector('#officerId').value + ' ' + document.querySelector('#officerName').value`); got != "officer-a Alex Officer" {
		t.Errorf("assign form holds %q", got)
	}
	submit("assigning")

	// the claim check: an empty one first (the error summary), then the licence seen
	open("verify-claim")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty check: %d", status)
	}
	if links := eval[[]string](o, `[...document.querySelectorAll('.govuk-error-summary a')].map(a => a.getAttribute('href'))`); strings.Join(links, " ") != "#claim #verified #note" {
		t.Errorf("error summary links %v", links)
	}
	o.checkPage("errors", "")
	o.Choose("claim", "sharing-facilities")
	o.Choose("verified", "yes")
	o.TypeInto("note", "Seen the licence: the kitchen is shared with another household")
	submit("the check")

	// the council's decision on the hazard: Band A
	open("decide")
	o.Choose("decision", "hhsrs-category-1")
	o.Choose("applies", "yes")
	o.TypeInto("decidedOn-day", "23")
	o.TypeInto("decidedOn-month", "11")
	o.TypeInto("decidedOn-year", "2026")
	o.TypeInto("note", "Damp and mould: a category 1 hazard confirmed on inspection")
	submit("the decision")
	if !eval[bool](o, `(s => /registered/.test(s) && /Band\s*A\b/.test(s))(document.querySelector('.govuk-summary-list').textContent)`) {
		t.Errorf("after the decision the summary reads %q", eval[string](o, `document.querySelector('.govuk-summary-list').textContent`))
	}
	o.checkPage("registered", "")

	// the offer, accepted
	open("offer")
	o.TypeInto("offeredOn-day", "24")
	o.TypeInto("offeredOn-month", "11")
	o.TypeInto("offeredOn-year", "2026")
	o.TypeInto("property", "Flat 2, 5 Park Lane")
	o.Choose("refused", "no")
	submit("the offer")

	// closed as housed
	open("close")
	o.Choose("reason", "housed")
	o.TypeInto("property", "Flat 2, 5 Park Lane")
	o.TypeInto("note", "The tenancy of Flat 2, 5 Park Lane started today")
	submit("the closure")
	if eval[int](o, `document.querySelectorAll('a[href^="`+appPath+`/"]').length`) != 0 {
		t.Error("a closed application still offers actions")
	}
	o.checkPage("closed", "")

	got := c.Call(t, "GET", "/register/applications/"+ref+"/record", nil, "Authorization", c.StaffToken(t, "reader", catalog.GroupHousingSolutionsManager))
	council, _ := got.JSON["council"].(map[string]any)
	closure, _ := council["closure"].(map[string]any)
	officer, _ := council["officer"].(map[string]any)
	offers, _ := council["offers"].([]any)
	if got.Status != 200 || got.JSON["status"] != "closed" || closure["reason"] != "housed" || closure["property"] != "Flat 2, 5 Park Lane" ||
		officer["id"] != "officer-a" || len(offers) != 1 {
		t.Errorf("the API reads %d %s", got.Status, got.Raw)
	}
	t.Logf("axe-core checked %d application pages and states with no violation; %s in all (screenshots in %s)", o.AxeChecks, time.Since(started).Round(time.Second), o.Shots)
}
