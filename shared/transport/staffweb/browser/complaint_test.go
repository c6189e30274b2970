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

// A complaints officer takes a complaint from their work queue through stage 1 with the keyboard: the
// acknowledgement, the stage 1 response with a remedy and an action (then on the queue's outstanding complaint
// actions, CH-8, from which the officer goes back to the case), and the resident's request for stage 2 recorded on their
// behalf; acknowledging stage 2 themselves is CH-5's refusal in the error summary (the rule cited once). A
// complaints manager who did not handle stage 1 signs in, finds the complaint, acknowledges stage 2 and sends
// the final response. axe-core on every page and state; the staff API then reads the closed complaint back.
func TestComplaintToClosureInABrowser(t *testing.T) {
	browserPath, axe := browsertest.Prerequisites(t)
	started := time.Now()
	c := localcloud.StartForTest(t, "complaint-escalation", catalog.StaffWebFunction)
	c.PinClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)) // received Monday 16th: acknowledge by the 23rd (CH-4)
	r := c.Call(t, "POST", "/complaints", map[string]any{
		"description": "Nobody came to fix the leak in my kitchen.", "outcomesSought": "Fix the leak and pay for the damage",
		"serviceArea": "repairs", "issueDate": "2026-10-20",
		"complainant": map[string]any{"name": "Pat Resident", "email": "pat.browser@example.org", "address": "Flat 7, 3 Example Court", "postcode": "NN1 2AB"},
	})
	if r.Status != 201 {
		t.Fatalf("complaint: %d %s", r.Status, r.Raw)
	}
	ref := r.JSON["reference"].(string)
	c.PinClock(time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)) // Monday 23rd: the acknowledgement is due today

	o := signIn(t, browserPath, axe, c.URL(), "staff-browser-complaint", catalog.GroupComplaintsOfficer) // Alex Officer, the first user
	o.checkPage("", "")
	casePath := "/staff/complaints/" + ref
	if status := o.Press(`a[href="` + casePath + `"]`); status != http.StatusOK {
		t.Fatalf("opening the complaint from the queue: %d", status)
	}
	o.checkPage("received", "")
	submit := func(what string) {
		t.Helper()
		if status := o.Press(`main form button[type=submit]`); status != http.StatusOK || o.Path() != casePath {
			t.Fatalf("%s leads to %s (%d)", what, o.Path(), status)
		}
		if !eval[bool](o, `document.querySelector('.govuk-notification-banner') !== null`) {
			t.Errorf("%s: no confirmation banner", what)
		}
	}
	open := func(action string) {
		t.Helper()
		if status := o.Press(`a[href="` + casePath + `/` + action + `"]`); status != http.StatusOK {
			t.Fatalf("the %s form: %d", action, status)
		}
	}

	// stage 1: acknowledge (CH-4)
	open("acknowledge")
	o.checkPage("", "")
	o.TypeInto("definition", "The kitchen leak reported in October was not repaired")
	o.TypeInto("outcomesSought", "Repair the leak and pay for the damaged cupboard")
	submit("acknowledging")
	o.checkPage("acknowledged", "")

	// the stage 1 response, with a remedy
	open("respond")
	o.checkPage("", "")
	o.Choose("decision", "upheld")
	o.TypeInto("reasons", "The repair was booked but the job was closed without a visit.")
	o.TypeInto("remedies-1-description", "Repair the leak and replace the cupboard")
	o.TypeInto("remedies-1-dueOn-day", "8")
	o.TypeInto("remedies-1-dueOn-month", "12")
	o.TypeInto("remedies-1-dueOn-year", "2026")
	o.TypeInto("outstandingActions-1-description", "Check the pipes in the flats below")
	o.TypeInto("outstandingActions-1-dueOn-day", "30")
	o.TypeInto("outstandingActions-1-dueOn-month", "11")
	o.TypeInto("outstandingActions-1-dueOn-year", "2026")
	submit("the stage 1 response")
	if !eval[bool](o, `[...document.querySelectorAll('#items ~ table td')].some(td => td.textContent.includes('Repair the leak and replace the cupboard'))`) {
		t.Error("the page does not list the remedy")
	}
	o.checkPage("responded", "")

	// the remedy and the action the response committed to are the queue's outstanding complaint actions (CH-8)
	if status := o.Press(`nav a[href="/staff"]`); status != http.StatusOK {
		t.Fatalf("the queue: %d", status)
	}
	if got := eval[string](o, `[...document.querySelectorAll('#outstanding-actions ~ table')][0].innerText`); !strings.Contains(got, ref+"\tRemedy R1 (CH-8)\t2026-12-08") ||
		!strings.Contains(got, ref+"\tAction A1 (CH-8)\t2026-11-30") {
		t.Errorf("the outstanding actions read %q", got)
	}
	o.checkPage("outstanding actions", "")
	if status := o.Press(`#outstanding-actions ~ table a[href="` + casePath + `"]`); status != http.StatusOK || o.Path() != casePath {
		t.Fatalf("the complaint from its outstanding action: %s (%d)", o.Path(), status)
	}

	// the resident asks for stage 2 by phone: recorded on their behalf
	open("escalate")
	o.checkPage("", "")
	o.Choose("channel", "phone")
	o.TypeInto("requestedOn-day", "23")
	o.TypeInto("requestedOn-month", "11")
	o.TypeInto("requestedOn-year", "2026")
	submit("the escalation")
	o.checkPage("escalated", "")

	// stage 2 is not for who handled stage 1 (CH-5): the rule's refusal, cited once
	open("acknowledge")
	o.TypeInto("definition", "Stage 2: the leak and the damage")
	o.TypeInto("outcomesSought", "Repair and compensation")
	if status := o.Press(`main form button[type=submit]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("acknowledging stage 2 after handling stage 1: %d", status)
	}
	if summary := eval[string](o, `document.querySelector('.govuk-error-summary').innerText`); strings.Count(summary, "(CH-5)") != 1 {
		t.Errorf("error summary %q", summary)
	}
	o.checkPage("errors", "")

	// a complaints manager who did not handle stage 1 signs in and finds the complaint
	if status := o.Press(`form[action="/staff/sign-out"] button`); status != http.StatusOK || o.Path() != "/staff/signed-out" {
		t.Fatalf("signing out leads to %s (%d)", o.Path(), status)
	}
	o.checkPage("", "")
	if status := o.Press(`a[href="/staff/sign-in"]`); status != http.StatusOK || o.Path() != "/_local/oidc/authorize" {
		t.Fatalf("signing in again leads to %s (%d)", o.Path(), status)
	}
	o.Choose("user", "manager-c")
	o.submitSignIn(catalog.GroupComplaintsManager)
	o.checkPage("manager", "")
	if status := o.Press(`a[href="/staff/find"]`); status != http.StatusOK {
		t.Fatalf("find: %d", status)
	}
	o.checkPage("", "")
	o.TypeInto("reference", ref)
	if status := o.Navigate("\r"); status != http.StatusOK || o.Path() != casePath {
		t.Fatalf("finding %s leads to %s (%d)", ref, o.Path(), status)
	}

	// stage 2: acknowledge (CH-5) and the final response
	open("acknowledge")
	o.TypeInto("definition", "Stage 2: the leak and the damage")
	o.TypeInto("outcomesSought", "Repair and compensation")
	submit("acknowledging stage 2")
	o.checkPage("stage 2", "")
	open("respond")
	o.Choose("decision", "partly-upheld")
	o.TypeInto("reasons", "The repair is booked; the cupboard is replaced under remedy R1.")
	submit("the final response")
	if got := eval[string](o, `document.querySelector('.govuk-summary-list .govuk-tag').textContent`); got != "closed" {
		t.Errorf("status %q after the final response", got)
	}
	o.checkPage("closed", "")

	rec := c.Call(t, "GET", "/complaints/"+ref+"/record", nil, "Authorization", c.StaffToken(t, "reader", catalog.GroupComplaintsManager))
	cp, _ := rec.JSON["complaint"].(map[string]any)
	items, _ := cp["items"].([]any)
	stages, _ := cp["stages"].([]any)
	if rec.Status != 200 || cp["status"] != "closed" || len(stages) != 2 || len(items) != 2 {
		t.Fatalf("the API reads %d %s", rec.Status, rec.Raw)
	}
	if it := items[0].(map[string]any); it["id"] != "R1" || it["description"] != "Repair the leak and replace the cupboard" || it["dueOn"] != "2026-12-08" {
		t.Errorf("the remedy reads %v", it)
	}
	if s2 := stages[1].(map[string]any); s2["decision"] != "partly-upheld" || s2["acknowledgedBy"].(map[string]any)["id"] != "manager-c" {
		t.Errorf("stage 2 reads %v", s2)
	}
	t.Logf("axe-core checked %d complaint pages and states with no violation; %s in all (screenshots in %s)", o.AxeChecks, time.Since(started).Round(time.Second), o.Shots)
}
