package registerapi_test

import (
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
)

func TestMain(m *testing.M) { emulators.Main(m) }

func application(circumstances ...string) map[string]any {
	return map[string]any{
		"applicant": map[string]any{"name": "Jo Applicant", "dateOfBirth": "1990-05-01", "email": "jo@example.org", "address": "1 Example Road",
			"postcode": "NN1 1DE", "language": "en"},
		"household": []any{map[string]any{"name": "Kid", "dateOfBirth": "2018-02-01", "relationship": "child"}},
		"age":       36, "eligibleImmigrationStatus": true, "circumstances": circumstances, "seekingWork": false,
	}
}

func TestRegisterFromEligibilityToPriorityList(t *testing.T) {
	c := localcloud.StartForTest(t, "register-application")
	c.PinClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	officer := c.StaffToken(t, "alloc-1", "allocations-officer")

	el := c.Call(t, "POST", "/register/eligibility", map[string]any{"age": 17, "eligibleImmigrationStatus": true, "circumstances": []string{"sharing-facilities"}})
	if el.Status != 200 || el.JSON["eligible"] != true {
		t.Fatalf("eligible: %d %s", el.Status, el.Raw)
	}
	if no := c.Call(t, "POST", "/register/eligibility", map[string]any{"age": 15, "eligibleImmigrationStatus": true, "circumstances": []string{"mappa"}}); no.JSON["eligible"] != false {
		t.Fatalf("15: %s", no.Raw)
	}
	if bad := c.Call(t, "POST", "/register/eligibility", map[string]any{"circumstances": []string{"rich"}}); bad.Status != 400 || len(bad.JSON["errors"].([]any)) != 4 { // age, status, the code, and the codes allowed
		t.Fatalf("bad pre-screen: %d %s", bad.Status, bad.Raw)
	}

	// Band A need with 3 weeks' arrears: reduced priority and no offers (HR-R, HR-U)
	app := application("urgent-welfare")
	app["housingDebt"] = map[string]any{"amount": 300, "weeklyRent": 100, "repaymentPlan": map[string]any{"agreed": false, "kept": false}}
	r := c.Call(t, "POST", "/register/applications", app, "Idempotency-Key", "app-1")
	if r.Status != 201 || r.JSON["status"] != "registered" || r.JSON["band"] != "reduced" || r.JSON["offerable"] != false || r.JSON["effectiveDate"] != "2026-11-23" {
		t.Fatalf("application: %d %s", r.Status, r.Raw)
	}
	if again := c.Call(t, "POST", "/register/applications", app, "Idempotency-Key", "app-1"); again.JSON["reference"] != r.JSON["reference"] {
		t.Fatalf("idempotent retry: %v %s (first %s)", again.Header, again.Raw, r.Raw)
	}
	ref, token := r.JSON["reference"].(string), "Bearer "+r.JSON["accessToken"].(string)
	if v := c.Call(t, "GET", "/register/applications/"+ref, nil, "Authorization", token); v.Status != 200 || v.JSON["band"] != "reduced" {
		t.Fatalf("resident view: %d %s", v.Status, v.Raw)
	}
	if v := c.Call(t, "GET", "/register/applications/"+ref, nil, "Authorization", "Bearer nope"); v.Status != 404 {
		t.Fatalf("wrong token: %d", v.Status)
	}

	// the debt is cleared: Band A again, offerable; the timeline records old and new band
	c.PinClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	d := c.Call(t, "POST", "/register/applications/"+ref+"/debt", map[string]any{"amount": 0, "weeklyRent": 100}, "Authorization", officer)
	if d.Status != 200 || d.JSON["band"] != "A" || d.JSON["offerable"] != true || d.JSON["effectiveDate"] != "2026-12-01" {
		t.Fatalf("debt cleared: %d %s", d.Status, d.Raw)
	}
	tl := d.JSON["timeline"].([]any)
	last := tl[len(tl)-1].(map[string]any)["details"].(map[string]any)
	if ev := tl[len(tl)-1].(map[string]any); last["oldBand"] != "reduced" || last["newBand"] != "A" || ev["actor"] != "alloc-1@council.example" || ev["actorId"] != "alloc-1" {
		t.Fatalf("timeline: %v", ev)
	}
	// the contact is stored in the one shape every case kind has: contact.Details at the top level
	if contact, _ := d.JSON["contact"].(map[string]any); contact["email"] != "jo@example.org" || contact["postcode"] != "NN1 1DE" || len(contact["household"].([]any)) != 1 {
		t.Fatalf("contact: %v", d.JSON["contact"])
	}

	// more applications for the Band A priority list: stars first, then the oldest effective date
	starred := application("mappa")
	starred["seekingWork"] = true
	s := c.Call(t, "POST", "/register/applications", starred)
	c.PinClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	later := c.Call(t, "POST", "/register/applications", application("cannot-find-own"))
	if s.JSON["stars"] != float64(1) || later.JSON["band"] != "A" {
		t.Fatalf("applications: %s %s", s.Raw, later.Raw)
	}
	list := c.Call(t, "GET", "/register/priority-list?band=A", nil, "Authorization", officer)
	items := list.JSON["items"].([]any)
	order := []string{}
	for _, it := range items {
		order = append(order, it.(map[string]any)["reference"].(string))
	}
	want := []string{s.JSON["reference"].(string), ref, later.JSON["reference"].(string)}
	if len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Fatalf("priority list %v, want %v", order, want)
	}
	page := c.Call(t, "GET", "/register/priority-list?band=A&limit=2", nil, "Authorization", officer)
	if next := page.JSON["nextToken"]; next == nil {
		t.Fatalf("no next page: %s", page.Raw)
	} else if rest := c.Call(t, "GET", "/register/priority-list?band=A&limit=2&nextToken="+next.(string), nil, "Authorization", officer); len(rest.JSON["items"].([]any)) != 1 {
		t.Fatalf("second page: %s", rest.Raw)
	}
	if v := c.Call(t, "GET", "/register/priority-list?band=Z", nil, "Authorization", officer); v.Status != 400 {
		t.Fatalf("bad band: %d", v.Status)
	}

	// a severe medical award moves a Band B applicant to Band A with a medical review deadline
	b := c.Call(t, "POST", "/register/applications", application("sharing-facilities"))
	bref := b.JSON["reference"].(string)
	m := c.Call(t, "POST", "/register/applications/"+bref+"/medical-award", map[string]any{"severity": "severe", "assessedOn": "2026-11-30"}, "Authorization", officer)
	if m.Status != 200 || m.JSON["band"] != "A" || m.JSON["medicalReviewDue"] != "2027-11-30" || len(m.JSON["openDeadlines"].([]any)) != 1 {
		t.Fatalf("medical award: %d %s", m.Status, m.Raw)
	}
	// three reasonable refusals in 12 months: reduced priority
	for _, day := range []string{"2026-06-01", "2026-09-01", "2026-12-01"} {
		o := c.Call(t, "POST", "/register/applications/"+bref+"/offers", map[string]any{"offeredOn": day, "property": "Flat 2, 1 Example Road", "refused": true}, "Authorization", officer)
		if o.Status != 200 {
			t.Fatalf("offer: %d %s", o.Status, o.Raw)
		}
	}
	if o := c.Call(t, "POST", "/register/applications/"+bref+"/offers", map[string]any{"offeredOn": "2026-12-01", "refused": true}, "Authorization", officer); o.Status != 400 {
		t.Fatalf("an offer without its property: %d %s", o.Status, o.Raw)
	}
	rec := c.Call(t, "GET", "/register/applications/"+bref+"/record", nil, "Authorization", officer)
	if rec.JSON["band"] != "reduced" || len(rec.JSON["timeline"].([]any)) != 5 {
		t.Fatalf("after three refusals: %s", rec.Raw)
	}
	// an emergency applicant has its expiry and the resident's reminder in the deadlines index
	e := c.Call(t, "POST", "/register/applications", application("homeless-priority-need"))
	if e.JSON["band"] != "emergency" || e.JSON["emergencyExpiresOn"] != "2027-01-13" {
		t.Fatalf("emergency: %s", e.Raw)
	}
	bad := application("homeless", "mappa")
	bad["age"] = -3
	bad["medicalAward"] = map[string]any{"severity": "severe", "assessedOn": "2030-01-01"} // in the future
	if v := c.Call(t, "POST", "/register/applications", bad); v.Status != 400 || len(v.JSON["errors"].([]any)) < 3 {
		t.Fatalf("bad application: %d %s", v.Status, v.Raw)
	}
}
