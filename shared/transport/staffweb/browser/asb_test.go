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

// An ASB officer signs in with the keyboard, opens a new report from the queue's reports to acknowledge, and
// takes it to closure: the acknowledgement, the ASB-5 check-list, an action on the plan, a closure refused while
// the action is open (ASB-8, in the error summary) and the closure with what came of it; axe-core on every page
// and state; the staff API then reads the closed case back.
func TestASBCaseInABrowser(t *testing.T) {
	browserPath, axe := browsertest.Prerequisites(t)
	started := time.Now()
	c := localcloud.StartForTest(t, "asb-report", catalog.StaffWebFunction)
	c.PinClock(time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)) // Tuesday 24 November 2026
	r := c.Call(t, "POST", "/asb/reports", map[string]any{"type": "noise", "description": "Loud music every night until 3am.\nIt has gone on for weeks.",
		"location": map[string]any{"address": "Flat 4, 10 High Street", "postcode": "NN1 1AA"}, "ongoing": true, "subject": "The tenant of flat 5",
		"reporter": map[string]any{"name": "Riley Reporter", "email": "riley.browser@example.org", "phone": "07700 900456"}})
	if r.Status != 201 {
		t.Fatalf("report: %d %s", r.Status, r.Raw)
	}
	ref := r.JSON["reference"].(string)

	o := signIn(t, browserPath, axe, c.URL(), "staff-browser-asb", catalog.GroupASBOfficer)
	if !eval[bool](o, `document.querySelector('#new-asb-reports') !== null`) {
		t.Fatal("no new ASB reports on the queue")
	}
	o.checkPage("", "")
	casePath := "/staff/asb/" + ref
	if status := o.Press(`a[href="` + casePath + `"]`); status != http.StatusOK || o.Path() != casePath {
		t.Fatalf("opening the case: %s (%d)", o.Path(), status)
	}
	o.checkPage("", "")

	// acknowledge (ASB-4)
	if status := o.Press(`a[href="` + casePath + `/acknowledge"]`); status != http.StatusOK {
		t.Fatalf("the acknowledgement form: %d", status)
	}
	o.checkPage("", "")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusOK || o.Path() != casePath {
		t.Fatalf("acknowledging leads to %s (%d)", o.Path(), status)
	}

	// the ASB-5 check-list: one harm (medium risk)
	if status := o.Press(`a[href="` + casePath + `/risk-assessment"]`); status != http.StatusOK {
		t.Fatalf("the risk assessment form: %d", status)
	}
	o.checkPage("", "")
	for _, q := range []string{"vulnerable", "threatsOrViolence", "feelsUnsafe", "childAtRisk", "immediateRiskOfHarm", "exploitation", "repeatVictim",
		"healthImpact", "hateMotivated", "childrenInHousehold", "languageSupport"} {
		answer := "no"
		if q == "healthImpact" {
			answer = "yes"
		}
		o.Choose(q, answer)
	}
	if status := o.Press(`main form button[type=submit]`); status != http.StatusOK || o.Path() != casePath {
		t.Fatalf("the assessment leads to %s (%d)", o.Path(), status)
	}

	// an action on the plan (ASB-8), due in two weeks
	if status := o.Press(`a[href="` + casePath + `/add-action"]`); status != http.StatusOK {
		t.Fatalf("the action form: %d", status)
	}
	o.checkPage("", "")
	o.Choose("tool", "mediation")
	o.TypeInto("description", "Mediation between the neighbours")
	o.TypeInto("dueOn-day", "8")
	o.TypeInto("dueOn-month", "12")
	o.TypeInto("dueOn-year", "2026")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusOK || o.Path() != casePath {
		t.Fatalf("adding the action leads to %s (%d)", o.Path(), status)
	}
	o.checkPage("planned", "staff-asb")

	// closure: refused while the action is open (ASB-8), then with what came of it
	if status := o.Press(`a[href="` + casePath + `/close"]`); status != http.StatusOK {
		t.Fatalf("the closure form: %d", status)
	}
	o.checkPage("", "")
	o.TypeInto("outcome", "Resolved by mediation")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("closing with an open action: %d", status)
	}
	summary := eval[string](o, `document.querySelector('.govuk-error-summary').innerText`)
	if !strings.Contains(summary, "has open actions (A1)") || !strings.Contains(summary, "(ASB-8)") {
		t.Errorf("error summary %q", summary)
	}
	o.checkPage("errors", "")
	o.TypeInto("action-A1", "Both agreed quiet hours after 11pm")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusOK || o.Path() != casePath {
		t.Fatalf("closing leads to %s (%d)", o.Path(), status)
	}
	if !eval[bool](o, `document.querySelector('.govuk-notification-banner') !== null`) {
		t.Error("no confirmation banner")
	}
	o.checkPage("closed", "")

	got := c.Call(t, "GET", "/asb/cases/"+ref, nil, "Authorization", c.StaffToken(t, "reader", catalog.GroupASBManager))
	cs, _ := got.JSON["case"].(map[string]any)
	if got.Status != 200 || cs["status"] != "closed" || cs["riskLevel"] != "medium" || cs["acknowledgedAt"] == nil {
		t.Errorf("the API reads %d %s", got.Status, got.Raw)
	}
	t.Logf("axe-core checked %d ASB pages and states with no violation; %s in all (screenshots in %s)", o.AxeChecks, time.Since(started).Round(time.Second), o.Shots)
}
