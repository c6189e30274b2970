package registerapi_test

import (
	"slices"
	"strings"
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

// e2e is the register function (and the notifier, so that letters reach the GOV.UK Notify stand-in) behind the
// local gateway, against DynamoDB Local and the SQS emulator.
type e2e struct {
	t       *testing.T
	c       *localcloud.Cloud
	officer string
}

func (e *e2e) apply(app map[string]any) (ref, token string, r localcloud.Response) {
	e.t.Helper()
	r = e.c.Call(e.t, "POST", "/register/applications", app)
	if r.Status != 201 {
		e.t.Fatalf("application: %d %s", r.Status, r.Raw)
	}
	return r.JSON["reference"].(string), "Bearer " + r.JSON["accessToken"].(string), r
}

// staff posts a staff change and checks its status.
func (e *e2e) staff(ref, change string, body map[string]any, status int) localcloud.Response {
	e.t.Helper()
	r := e.c.Call(e.t, "POST", "/register/applications/"+ref+"/"+change, body, "Authorization", e.officer)
	if r.Status != status {
		e.t.Fatalf("%s: %d, want %d: %s", change, r.Status, status, r.Raw)
	}
	return r
}

func (e *e2e) decide(ref, code string) localcloud.Response {
	e.t.Helper()
	return e.staff(ref, "decisions", map[string]any{"decision": code, "applies": true, "decidedOn": "2026-11-20", "note": "Decision letter seen"}, 200)
}

func (e *e2e) priorityList(band string) []string {
	e.t.Helper()
	r := e.c.Call(e.t, "GET", "/register/priority-list?band="+band, nil, "Authorization", e.officer)
	return itemRefs(e.t, r)
}

func itemRefs(t *testing.T, r localcloud.Response) []string {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	out := []string{}
	for _, it := range r.JSON["items"].([]any) {
		out = append(out, it.(map[string]any)["reference"].(string))
	}
	return out
}

// lastEntry is the timeline entry a change recorded, with its details.
func lastEntry(t *testing.T, r localcloud.Response) (map[string]any, map[string]any) {
	t.Helper()
	tl := r.JSON["timeline"].([]any)
	ev := tl[len(tl)-1].(map[string]any)
	d, _ := ev["details"].(map[string]any)
	return ev, d
}

func reasonTexts(r localcloud.Response) string {
	var out []string
	for _, x := range r.JSON["reasons"].([]any) {
		out = append(out, x.(map[string]any)["text"].(string))
	}
	return strings.Join(out, "\n")
}

// Issue 12, through the API: a public application claiming a council-decided circumstance, a medical need and a
// star has a provisional band, is not on the priority list and is not offerable until an officer decides; after
// the officer records the decisions it has the decided band, with reasons naming each rule and decision; it is
// then on the priority list and can be made an offer. Each officer change is audited (who by user id, old and
// new values) and sends the applicant a decision letter.
func TestRegisterFromEligibilityThroughVerificationToAnOffer(t *testing.T) {
	c := localcloud.StartForTest(t, "register-application", "notifier")
	c.PinClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	e := &e2e{t: t, c: c, officer: c.StaffToken(t, "alloc-1", "allocations-officer")}

	el := c.Call(t, "POST", "/register/eligibility", map[string]any{"age": 34, "eligibleImmigrationStatus": true,
		"circumstances": []string{"homeless-priority-need"}, "medicalOrWelfareNeed": true})
	if el.Status != 200 || el.JSON["eligible"] != true {
		t.Fatalf("eligible: %d %s", el.Status, el.Raw)
	}
	if bad := c.Call(t, "POST", "/register/eligibility", map[string]any{"circumstances": []string{"rich"}}); bad.Status != 400 || len(bad.JSON["errors"].([]any)) != 4 { // age, status, the code, and the codes allowed
		t.Fatalf("bad pre-screen: %d %s", bad.Status, bad.Raw)
	}
	// the council's decisions are not fields of the public form
	forged := application("homeless-priority-need")
	forged["medicalAward"] = map[string]any{"severity": "severe", "assessedOn": "2026-11-01"}
	forged["verified"] = map[string]any{"seekingWork": true}
	if r := c.Call(t, "POST", "/register/applications", forged); r.Status != 400 || !strings.Contains(string(r.Raw), "medicalAward") {
		t.Fatalf("a forged award: %d %s", r.Status, r.Raw)
	}

	app := application("homeless-priority-need")
	app["seekingWork"] = true
	app["medicalNeeds"] = []any{map[string]any{"grounds": "medical", "description": "Asthma made worse by damp"}}
	r := c.Call(t, "POST", "/register/applications", app, "Idempotency-Key", "app-1")
	provisional, _ := r.JSON["provisional"].(map[string]any)
	if r.Status != 201 || r.JSON["status"] != "awaiting-verification" || r.JSON["band"] != nil || r.JSON["offerable"] != false ||
		provisional["band"] != "emergency" || len(r.JSON["outstanding"].([]any)) != 3 {
		t.Fatalf("application: %d %s", r.Status, r.Raw)
	}
	if again := c.Call(t, "POST", "/register/applications", app, "Idempotency-Key", "app-1"); again.JSON["reference"] != r.JSON["reference"] {
		t.Fatalf("idempotent retry: %v %s (first %s)", again.Header, again.Raw, r.Raw)
	}
	ref, token := r.JSON["reference"].(string), "Bearer "+r.JSON["accessToken"].(string)
	if v := c.Call(t, "GET", "/register/applications/"+ref, nil, "Authorization", token); v.Status != 200 || v.JSON["status"] != "awaiting-verification" ||
		len(v.JSON["outstanding"].([]any)) != 3 {
		t.Fatalf("resident view: %d %s", v.Status, v.Raw)
	}
	if v := c.Call(t, "GET", "/register/applications/"+ref, nil, "Authorization", "Bearer nope"); v.Status != 404 {
		t.Fatalf("wrong token: %d", v.Status)
	}
	if got := e.priorityList("emergency"); len(got) != 0 {
		t.Fatalf("awaiting verification, yet on the priority list: %v", got)
	}
	// not active: no offer (HR-E2)
	if o := e.staff(ref, "offers", map[string]any{"offeredOn": "2026-11-23", "property": "Flat 1, 2 Low Road"}, 409); o.JSON["rule"] != "HR-E2" {
		t.Fatalf("offer while awaiting verification: %s", o.Raw)
	}
	// the officer's queue, oldest first, and finding the application by the applicant's email or postcode
	if got := itemRefs(t, c.Call(t, "GET", "/register/applications?status=awaiting-verification", nil, "Authorization", e.officer)); !slices.Equal(got, []string{ref}) {
		t.Fatalf("queue: %v", got)
	}
	if got := itemRefs(t, c.Call(t, "GET", "/register/applications?email=JO%40example.org%20", nil, "Authorization", e.officer)); !slices.Equal(got, []string{ref}) {
		t.Fatalf("find by email: %v", got)
	}
	if got := itemRefs(t, c.Call(t, "GET", "/register/applications?postcode=nn11de", nil, "Authorization", e.officer)); !slices.Equal(got, []string{ref}) {
		t.Fatalf("find by postcode: %v", got)
	}
	e.staff(ref, "assignment", map[string]any{"officerId": "alloc-1", "officerName": "Alex Officer"}, 200)

	// the officer records the decisions: homelessness (HR-EM), the adviser's award (HR-M), Jobcentre Plus (HR-S)
	c.PinClock(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	d := e.decide(ref, "homeless-priority-need")
	ev, details := lastEntry(t, d)
	if d.JSON["status"] != "registered" || d.JSON["band"] != "emergency" || d.JSON["offerable"] != true || d.JSON["emergencyExpiresOn"] != "2027-01-05" ||
		ev["actorId"] != "alloc-1" || ev["actor"] != "alloc-1@council.example" || details["oldStatus"] != "awaiting-verification" || details["newStatus"] != "registered" ||
		details["oldBand"] != nil || details["newBand"] != "emergency" || details["oldOfferable"] != false || details["newOfferable"] != true || details["rule"] != "HR-EM" {
		t.Fatalf("homelessness decided: %s", d.Raw)
	}
	m := e.staff(ref, "medical-award", map[string]any{"severity": "severe", "grounds": "medical", "assessedOn": "2026-11-20", "recommendedPropertyType": "Ground floor"}, 200)
	if _, details := lastEntry(t, m); details["oldStars"] != float64(0) || details["newStars"] != float64(1) || details["rule"] != "HR-M" {
		t.Fatalf("medical award: %s", m.Raw)
	}
	v := e.staff(ref, "claims", map[string]any{"claim": "seeking-work", "verified": true, "note": "Jobcentre Plus confirmed"}, 200)
	if v.JSON["band"] != "emergency" || v.JSON["stars"] != float64(2) || len(v.JSON["outstanding"].([]any)) != 0 {
		t.Fatalf("verified: %s", v.Raw)
	}
	text := reasonTexts(v)
	for _, want := range []string{"homeless and in priority need", "as decided by the council's homelessness service", "(HR-EM)",
		"independent adviser recommended a severe", "(HR-M)", "Actively seeking work", "(HR-S)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reasons do not name %q:\n%s", want, text)
		}
	}
	if got := e.priorityList("emergency"); !slices.Equal(got, []string{ref}) {
		t.Fatalf("priority list: %v", got)
	}
	if got := itemRefs(t, c.Call(t, "GET", "/register/applications?officer=alloc-1&band=emergency", nil, "Authorization", e.officer)); !slices.Equal(got, []string{ref}) {
		t.Fatalf("the officer's list: %v", got)
	}
	o := e.staff(ref, "offers", map[string]any{"offeredOn": "2026-11-24", "property": "Flat 1, 2 Low Road"}, 200)
	if _, details := lastEntry(t, o); details["number"] != float64(1) || details["rule"] != "HR-R" {
		t.Fatalf("offer: %s", o.Raw)
	}
	rec := c.Call(t, "GET", "/register/applications/"+ref+"/record", nil, "Authorization", e.officer)
	var audited []string // the officers' entries, newest first (the notifier adds its own as letters are sent)
	for _, it := range rec.JSON["timeline"].([]any) {
		if ev := it.(map[string]any); ev["actorId"] == "alloc-1" {
			audited = append(audited, ev["action"].(string))
		}
	}
	if want := []string{"offer-recorded", "claim-checked", "medical-award-recorded", "council-decision-recorded", "assigned"}; rec.Status != 200 ||
		!slices.Equal(audited, want) || rec.JSON["council"].(map[string]any)["officer"].(map[string]any)["id"] != "alloc-1" {
		t.Fatalf("record: the officers' entries %v, want %v: %s", audited, want, rec.Raw)
	}
	// the applicant was sent a letter with each decision (the application's, and one for each change but the assignment)
	localcloud.Eventually(t, 20*time.Second, "the decision letters", func() bool {
		n := 0
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			if strings.HasPrefix(it.(map[string]any)["reference"].(string), ref+"#decision") {
				n++
			}
		}
		return n == 5
	})
	for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
		if n := it.(map[string]any); n["reference"] == ref+"#decision-5" {
			p := n["personalisation"].(map[string]any)
			if n["to"] != "jo@example.org" || p["band"] != "emergency" || p["change"] != "claim-checked" || !strings.Contains(p["reasons"].(string), "(HR-S)") {
				t.Fatalf("the letter of the verification: %v", n)
			}
		}
	}
}

// Issue 12: an offer is refused (409 citing the rule) while HR-U applies and while the medical award is over 12
// months old and not reviewed (HR-M); three reasonable refusals in 12 months reduce priority (HR-R); the
// applicant's change of circumstances and review request, and the Housing Solutions Manager's decision.
func TestRegisterOffersRefusedAndTheApplicantsChanges(t *testing.T) {
	c := localcloud.StartForTest(t, "register-application")
	c.PinClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	e := &e2e{t: t, c: c, officer: c.StaffToken(t, "alloc-1", "allocations-officer")}
	offer := map[string]any{"offeredOn": "2026-11-23", "property": "Flat 2, 1 Example Road"}

	// HR-U: unacceptable behaviour
	barred, _, _ := e.apply(application("mappa"))
	e.decide(barred, "mappa")
	b := e.staff(barred, "unacceptable-behaviour", map[string]any{"code": "nuisance", "applies": true, "evidence": "Noise abatement notice"}, 200)
	if _, details := lastEntry(t, b); details["oldOfferable"] != true || details["newOfferable"] != false {
		t.Fatalf("behaviour: %s", b.Raw)
	}
	if o := e.staff(barred, "offers", offer, 409); o.JSON["rule"] != "HR-U" {
		t.Fatalf("offer while HR-U applies: %s", o.Raw)
	}
	// HR-M: a medical award over 12 months old, not reviewed
	stale, _, _ := e.apply(application("sharing-facilities"))
	e.staff(stale, "claims", map[string]any{"claim": "sharing-facilities", "verified": true, "note": "Licence agreement seen"}, 200)
	e.staff(stale, "medical-award", map[string]any{"severity": "moderate", "grounds": "medical", "assessedOn": "2025-06-01"}, 200)
	if o := e.staff(stale, "offers", offer, 409); o.JSON["rule"] != "HR-M" {
		t.Fatalf("offer with a stale award: %s", o.Raw)
	}
	e.staff(stale, "medical-award", map[string]any{"severity": "moderate", "grounds": "medical", "assessedOn": "2026-11-16"}, 200)
	e.staff(stale, "offers", offer, 200)

	// three reasonable refusals in 12 months: reduced priority (HR-R)
	ref, token, _ := e.apply(application("urgent-welfare"))
	e.decide(ref, "urgent-welfare")
	for _, day := range []string{"2026-06-01", "2026-09-01", "2026-11-20"} {
		e.staff(ref, "offers", map[string]any{"offeredOn": day, "property": "Flat 2, 1 Example Road", "refused": true}, 200)
	}
	if got := e.priorityList("reduced"); !slices.Equal(got, []string{ref}) {
		t.Fatalf("reduced band: %v", got)
	}
	// the applicant asks for a review: the Housing Solutions Manager's task, decided by the manager only
	rv := c.Call(t, "POST", "/register/applications/"+ref+"/review-request", map[string]any{"grounds": "Two of the flats were unsuitable for my wheelchair"},
		"Authorization", token)
	if rv.Status != 200 || rv.JSON["band"] != "reduced" {
		t.Fatalf("review request: %d %s", rv.Status, rv.Raw)
	}
	if wrong := c.Call(t, "POST", "/register/applications/"+ref+"/review-request", map[string]any{"grounds": "x"}, "Authorization", "Bearer nope"); wrong.Status != 404 {
		t.Fatalf("a wrong token: %d %s", wrong.Status, wrong.Raw)
	}
	decision := map[string]any{"review": 1, "outcome": "overturned", "note": "The refused flats were not suitable"}
	if r := c.Call(t, "POST", "/register/applications/"+ref+"/review-decision", decision, "Authorization", e.officer); r.Status != 403 {
		t.Fatalf("an officer deciding the review: %d %s", r.Status, r.Raw)
	}
	manager := c.StaffToken(t, "hsm-1", "housing-solutions-manager")
	d := c.Call(t, "POST", "/register/applications/"+ref+"/review-decision", decision, "Authorization", manager)
	if ev, details := lastEntry(t, d); d.Status != 200 || d.JSON["band"] != "A" || ev["actorId"] != "hsm-1" || details["oldBand"] != "reduced" || details["newBand"] != "A" {
		t.Fatalf("review decision: %d %s", d.Status, d.Raw)
	}
	// the applicant moves: the new address is a claim again, stored as the contact, and what the application is found by
	ch := c.Call(t, "POST", "/register/applications/"+ref+"/circumstances", map[string]any{
		"address": map[string]any{"address": "5 New Street", "postcode": "NN2 2BB"}, "circumstances": []string{"hhsrs-category-1"}}, "Authorization", token)
	if ch.Status != 200 || ch.JSON["provisional"].(map[string]any)["band"] != "A" || len(ch.JSON["outstanding"].([]any)) != 1 {
		t.Fatalf("change of circumstances: %d %s", ch.Status, ch.Raw)
	}
	rec := c.Call(t, "GET", "/register/applications/"+ref+"/record", nil, "Authorization", e.officer)
	if contact := rec.JSON["contact"].(map[string]any); contact["postcode"] != "NN2 2BB" || contact["address"] != "5 New Street" || len(contact["household"].([]any)) != 1 {
		t.Fatalf("the contact after the move: %s", rec.Raw)
	}
	if got := itemRefs(t, c.Call(t, "GET", "/register/applications?postcode=NN2%202BB", nil, "Authorization", e.officer)); !slices.Equal(got, []string{ref}) {
		t.Fatalf("found by the new postcode: %v", got)
	}
	// removal (HR-E3): it then changes no more
	e.staff(barred, "removal", map[string]any{"incidentOn": "2026-11-20", "evidence": "Threatened the housing officer"}, 200)
	if r := e.staff(barred, "closure", map[string]any{"reason": "withdrawn", "note": "x"}, 409); r.JSON["rule"] != "HR-E3" {
		t.Fatalf("a change after removal: %s", r.Raw)
	}
}
