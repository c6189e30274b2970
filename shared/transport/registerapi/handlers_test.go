package registerapi_test

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/registerapi"
)

// Handler tests: every register route against the in-memory store and outbox (no emulators).

// store is the in-memory store with the priority list the byEvent index serves in DynamoDB.
type store struct {
	*testsupport.Store[register.Record, register.Contact]
}

func (s store) PriorityList(_ context.Context, band string, limit int, token string) ([]register.Record, string, error) {
	var in []register.Record
	for _, r := range s.All() {
		if r.Decision.Status == register.StatusRegistered && r.Decision.BandName() == band {
			in = append(in, r)
		}
	}
	slices.SortFunc(in, func(a, b register.Record) int {
		return strings.Compare(register.PriorityKey(a.Reference, a.Decision), register.PriorityKey(b.Reference, b.Decision))
	})
	from, _ := strconv.Atoi(token)
	to := min(from+limit, len(in))
	next := ""
	if to < len(in) {
		next = strconv.Itoa(to)
	}
	return in[from:to], next, nil
}

// FindAnswer finds an idempotent answer among those stored (idem.Answers).
func (s store) FindAnswer(_ context.Context, key, hash string, _ time.Time) (*casework.Answer, error) {
	for _, a := range s.Answers {
		if a.Key == key {
			if a.PayloadHash != hash {
				return nil, apperr.New(apperr.Unprocessable, "This Idempotency-Key was already used with a different request body.")
			}
			return &a, nil
		}
	}
	return nil, nil
}

type fixture struct {
	t       *testing.T
	store   store
	outbox  *testsupport.Outbox
	handler testsupport.Handler
	officer map[string]string
}

func newFixture(t *testing.T) *fixture {
	fn, ok := catalog.System().Function("register-application")
	if !ok {
		t.Fatal("no register-application in the catalog")
	}
	s := store{testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })}
	out := &testsupport.Outbox{}
	api := registerapi.API{Service: registercases.Service{Store: s, Outbox: out}, Answers: s}
	return &fixture{t: t, store: s, outbox: out, handler: api.Routes().Handler(fn), officer: testsupport.Staff("alloc-1", catalog.GroupAllocationsOfficer)}
}

// day 2026-11-23 (a Monday), 10:00 London
var day = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func (f *fixture) call(r testsupport.Request) testsupport.Response {
	f.t.Helper()
	if r.At.IsZero() {
		r.At = day
	}
	return testsupport.Call(f.t, f.handler, r)
}

func (f *fixture) apply(circumstances ...string) (ref, token string) {
	f.t.Helper()
	r := f.call(testsupport.Request{Route: "POST /register/applications", Body: testsupport.JSON(application(circumstances...))})
	if r.Status != 201 {
		f.t.Fatalf("apply: %d %s", r.Status, r.Raw)
	}
	return r.Body["reference"].(string), r.Body["accessToken"].(string)
}

func (f *fixture) officerCall(route, ref, body string) testsupport.Response {
	f.t.Helper()
	return f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Body: body, Claims: f.officer})
}

// wantProblem checks a problem answer's status, rule and field names.
func wantProblem(t *testing.T, r testsupport.Response, status int, rule string, fields ...string) {
	t.Helper()
	gotRule, gotFields := r.Problem()
	slices.Sort(gotFields)
	slices.Sort(fields)
	if r.Status != status || gotRule != rule || !slices.Equal(gotFields, fields) || r.Headers["Content-Type"] != "application/problem+json" {
		t.Errorf("want %d rule %q fields %v; got %d rule %q fields %v: %s", status, rule, fields, r.Status, gotRule, gotFields, r.Raw)
	}
}

func lastEvent(t *testing.T, r testsupport.Response) map[string]any {
	t.Helper()
	tl, _ := r.Body["timeline"].([]any)
	if len(tl) == 0 {
		t.Fatalf("no timeline: %s", r.Raw)
	}
	return tl[len(tl)-1].(map[string]any)
}

func TestEligibility(t *testing.T) {
	f := newFixture(t)
	const route = "POST /register/eligibility"
	r := f.call(testsupport.Request{Route: route, Body: `{"age": 17, "eligibleImmigrationStatus": true, "circumstances": ["sharing-facilities"]}`})
	if r.Status != 200 || r.Body["eligible"] != true || r.Body["advice"] == "" || r.Body["reasons"] == nil {
		t.Fatalf("eligible: %d %s", r.Status, r.Raw)
	}
	r = f.call(testsupport.Request{Route: route, Body: `{"age": 15, "eligibleImmigrationStatus": true, "circumstances": ["mappa"]}`})
	if r.Status != 200 || r.Body["eligible"] != false || !strings.Contains(r.Raw, `"rule":"HR-E1"`) {
		t.Fatalf("15: %d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: `{"circumstances": ["rich"]}`}), 400, "", "age", "eligibleImmigrationStatus", "circumstances[0]", "circumstances")
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: `{"age": 30, "eligibleImmigrationStatus": true, "income": 1}`}), 400, "", "income")
}

func TestApply(t *testing.T) {
	f := newFixture(t)
	const route = "POST /register/applications"
	app := application("urgent-welfare")
	r := f.call(testsupport.Request{Route: route, Body: testsupport.JSON(app), Header: map[string]string{"Idempotency-Key": "a-1"}})
	if r.Status != 201 || r.Body["status"] != "registered" || r.Body["band"] != "A" || r.Body["effectiveDate"] != "2026-11-23" ||
		r.Body["accessToken"] == "" || !strings.Contains(r.Raw, `"rule":"HR-A"`) {
		t.Fatalf("apply: %d %s", r.Status, r.Raw)
	}
	ref := r.Body["reference"].(string)
	// the HR-D decision letter, stored with the application and delivered, to the applicant's preferred channel
	if len(f.store.Messages) != 1 || len(f.outbox.Delivered) != 1 {
		t.Fatalf("messages: stored %d, delivered %d", len(f.store.Messages), len(f.outbox.Delivered))
	}
	var letter notification.Request
	if err := json.Unmarshal(f.store.Messages[0].Body, &letter); err != nil || letter.Template != notification.ApplicationDecision ||
		letter.CaseRef != ref || letter.To.Email != "jo@example.org" || letter.To.PreferredContact != "email" || letter.Personalisation["band"] != "A" ||
		!strings.Contains(letter.Personalisation["reasons"], "HR-A") {
		t.Fatalf("decision letter: %+v %v", letter, err)
	}
	// the contact is stored in the one shape (contact.Details at the top level) with the household
	st, err := f.store.Load(context.Background(), ref)
	if err != nil || st.Contact == nil || st.Contact.Email != "jo@example.org" || st.Contact.Postcode != "NN1 1DE" || len(st.Contact.Household) != 1 ||
		st.Timeline[0].Action != "applied" || st.Timeline[0].Rule != "HR-D" {
		t.Fatalf("stored: %+v %v", st, err)
	}
	// a retry with the same key is given the same answer; the same key with another body is refused
	again := f.call(testsupport.Request{Route: route, Body: testsupport.JSON(app), Header: map[string]string{"Idempotency-Key": "a-1"}})
	if again.Status != 201 || again.Body["reference"] != ref || again.Headers["Idempotent-Replayed"] != "true" || len(f.store.All()) != 1 {
		t.Fatalf("retry: %d %s", again.Status, again.Raw)
	}
	app["age"] = 37
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: testsupport.JSON(app), Header: map[string]string{"Idempotency-Key": "a-1"}}), 422, "")

	// the register needs the address and postcode that contact.Details leaves optional; officers verify claims
	bad := application("mappa")
	applicant := bad["applicant"].(map[string]any)
	delete(applicant, "address")
	applicant["postcode"] = "XX"
	bad["verified"] = map[string]any{"seekingWork": true}
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: testsupport.JSON(bad)}), 400, "", "applicant.address", "applicant.postcode", "verified")
	bad = application("mappa")
	bad["applicant"].(map[string]any)["nickname"] = "Jo"
	// named by its own name: encoding/json's unknown-field error does not give the path (httpapi)
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: testsupport.JSON(bad)}), 400, "", "nickname")
}

func TestStatus(t *testing.T) {
	f := newFixture(t)
	const route = "GET /register/applications/{reference}"
	ref, token := f.apply("mappa")
	r := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Token: token})
	if r.Status != 200 || r.Body["reference"] != ref || r.Body["band"] != "A" || r.Body["accessToken"] != nil || r.Body["application"] != nil {
		t.Fatalf("status: %d %s", r.Status, r.Raw)
	}
	wrong := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Token: "nope"})
	unknown := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": "HR-NONE"}, Token: token})
	wantProblem(t, wrong, 404, "")
	wantProblem(t, unknown, 404, "")
	if strings.ReplaceAll(wrong.Body["detail"].(string), ref, "X") != strings.ReplaceAll(unknown.Body["detail"].(string), "HR-NONE", "X") {
		t.Errorf("a wrong token and an unknown reference must answer alike: %q, %q", wrong.Body["detail"], unknown.Body["detail"])
	}

	// the view is decided as of today: three refusals reduce priority (HR-R) only while they are within 12 months
	for _, d := range []string{"2026-06-01", "2026-09-01", "2026-11-02"} {
		f.officerCall("POST /register/applications/{reference}/offers", ref, `{"offeredOn": "`+d+`", "property": "1 High St", "refused": true}`)
	}
	if r := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Token: token}); r.Body["band"] != "reduced" {
		t.Fatalf("after three refusals: %s", r.Raw)
	}
	later := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Token: token, At: time.Date(2027, 6, 2, 10, 0, 0, 0, time.UTC)})
	if later.Body["band"] != "A" {
		t.Fatalf("a year after the first refusal: %s", later.Raw)
	}
}

func TestRecord(t *testing.T) {
	f := newFixture(t)
	const route = "GET /register/applications/{reference}/record"
	ref, _ := f.apply("homeless-priority-need")
	r := f.officerCall(route, ref, "")
	contact, _ := r.Body["contact"].(map[string]any)
	if r.Status != 200 || r.Body["band"] != "emergency" || r.Body["version"] != float64(1) || len(r.Body["openDeadlines"].([]any)) != 2 ||
		contact["email"] != "jo@example.org" || r.Body["application"].(map[string]any)["age"] != float64(36) || lastEvent(t, r)["action"] != "applied" {
		t.Fatalf("record: %d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}}), 401, "")
	wantProblem(t, f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Claims: testsupport.Staff("asb-1", catalog.GroupASBOfficer)}), 403, "")
	wantProblem(t, f.officerCall(route, "HR-NONE", ""), 404, "")
}

func TestMedicalAward(t *testing.T) {
	f := newFixture(t)
	const route = "POST /register/applications/{reference}/medical-award"
	ref, _ := f.apply("sharing-facilities")
	r := f.officerCall(route, ref, `{"severity": "severe", "assessedOn": "2026-11-20"}`)
	ev := lastEvent(t, r)
	details, _ := ev["details"].(map[string]any)
	if r.Status != 200 || r.Body["band"] != "A" || r.Body["medicalReviewDue"] != "2027-11-20" || len(r.Body["openDeadlines"].([]any)) != 1 ||
		ev["action"] != "medical-award-recorded" || ev["rule"] != "HR-D" || ev["actorId"] != "alloc-1" || ev["actor"] != "alloc-1@council.example" ||
		details["rule"] != "HR-M" || details["oldBand"] != "B" || details["newBand"] != "A" {
		t.Fatalf("medical award: %d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.officerCall(route, ref, `{"severity": "critical", "assessedOn": "2026-11-20"}`), 400, "", "severity")
	wantProblem(t, f.officerCall(route, ref, `{"severity": "moderate", "assessedOn": "2026-11-24"}`), 400, "", "assessedOn")
	wantProblem(t, f.officerCall(route, "HR-NONE", `{"severity": "none"}`), 404, "")
}

func TestOffers(t *testing.T) {
	f := newFixture(t)
	const route = "POST /register/applications/{reference}/offers"
	ref, _ := f.apply("mappa")
	for i, d := range []string{"2026-06-01", "2026-09-01", "2026-11-20"} {
		r := f.officerCall(route, ref, `{"offeredOn": "`+d+`", "property": "Flat `+strconv.Itoa(i)+`, 2 Low Rd", "refused": true}`)
		details, _ := lastEvent(t, r)["details"].(map[string]any)
		if r.Status != 200 || details["rule"] != "HR-R" || details["countsTowardsRefusals"] != true {
			t.Fatalf("refusal %d: %d %s", i, r.Status, r.Raw)
		}
		if i == 2 && (r.Body["band"] != "reduced" || r.Body["version"] != float64(4)) {
			t.Fatalf("three reasonable refusals in 12 months: %s", r.Raw)
		}
	}
	wantProblem(t, f.officerCall(route, ref, `{"offeredOn": "2026-11-20"}`), 400, "", "property")
	wantProblem(t, f.officerCall(route, ref, `{"offeredOn": "2026-11-20", "property": "3 Mill Lane", "refusedOn": "2026-11-21"}`), 400, "", "refusedOn")
	wantProblem(t, f.officerCall(route, ref, `{"offeredOn": "2026-11-20", "property": "3 Mill Lane", "refused": "yes"}`), 400, "", "refused")
}

func TestDebt(t *testing.T) {
	f := newFixture(t)
	const route = "POST /register/applications/{reference}/debt"
	app := application("urgent-welfare")
	app["housingDebt"] = map[string]any{"amount": 300, "weeklyRent": 100, "repaymentPlan": map[string]any{"agreed": false, "kept": false}}
	r := f.call(testsupport.Request{Route: "POST /register/applications", Body: testsupport.JSON(app)})
	if r.Body["band"] != "reduced" || r.Body["offerable"] != false {
		t.Fatalf("with 3 weeks' arrears: %s", r.Raw)
	}
	ref := r.Body["reference"].(string)
	d := f.officerCall(route, ref, `{"amount": 0, "weeklyRent": 100}`)
	details, _ := lastEvent(t, d)["details"].(map[string]any)
	if d.Status != 200 || d.Body["band"] != "A" || d.Body["offerable"] != true || details["oldBand"] != "reduced" || details["rule"] != "HR-U" {
		t.Fatalf("debt cleared: %d %s", d.Status, d.Raw)
	}
	wantProblem(t, f.officerCall(route, ref, `{"amount": 50, "weeklyRent": 0}`), 400, "", "weeklyRent")
	wantProblem(t, f.officerCall(route, ref, `{"amount": -1, "weeklyRent": 100}`), 400, "", "amount")
	wantProblem(t, f.officerCall(route, ref, `{"amount": 1000000.01, "weeklyRent": 100, "tenancyEndedOn": "2027-01-01"}`), 400, "", "amount", "tenancyEndedOn")
}

func TestVerification(t *testing.T) {
	f := newFixture(t)
	const route = "POST /register/applications/{reference}/verification"
	app := application("mappa")
	app["seekingWork"] = true
	r := f.call(testsupport.Request{Route: "POST /register/applications", Body: testsupport.JSON(app)})
	ref := r.Body["reference"].(string)
	if r.Body["stars"] != float64(1) {
		t.Fatalf("seeking work: %s", r.Raw)
	}
	v := f.officerCall(route, ref, `{"seekingWork": false}`)
	details, _ := lastEvent(t, v)["details"].(map[string]any)
	if v.Status != 200 || v.Body["stars"] != float64(0) || details["rule"] != "HR-S" || details["seekingWork"] != false || details["newStars"] != float64(0) {
		t.Fatalf("not verified: %d %s", v.Status, v.Raw)
	}
	wantProblem(t, f.officerCall(route, ref, `{}`), 400, "", "verification")
	wantProblem(t, f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Body: `{"working": true}`,
		Claims: testsupport.Staff("c-1", catalog.GroupComplaintsManager)}), 403, "")
}

func TestPriorityList(t *testing.T) {
	f := newFixture(t)
	const route = "GET /register/priority-list"
	plain, _ := f.apply("mappa")
	starred := application("cannot-find-own")
	starred["seekingWork"] = true
	s := f.call(testsupport.Request{Route: "POST /register/applications", Body: testsupport.JSON(starred), At: day.Add(24 * time.Hour)})
	later := f.call(testsupport.Request{Route: "POST /register/applications", Body: testsupport.JSON(application("urgent-welfare")), At: day.Add(48 * time.Hour)})
	f.apply("sharing-facilities") // Band B: not on the Band A list

	list := f.call(testsupport.Request{Route: route, Query: map[string]string{"band": "A"}, Claims: f.officer})
	var order []any
	for _, it := range list.Body["items"].([]any) {
		order = append(order, it.(map[string]any)["reference"])
	}
	want := []any{s.Body["reference"], plain, later.Body["reference"]}
	if list.Status != 200 || !slices.Equal(order, want) || list.Body["nextToken"] != nil {
		t.Fatalf("priority list %v, want %v: %s", order, want, list.Raw)
	}
	page := f.call(testsupport.Request{Route: route, Query: map[string]string{"band": "A", "limit": "2"}, Claims: f.officer})
	next, _ := page.Body["nextToken"].(string)
	rest := f.call(testsupport.Request{Route: route, Query: map[string]string{"band": "A", "limit": "2", "nextToken": next}, Claims: f.officer})
	if len(page.Body["items"].([]any)) != 2 || next == "" || len(rest.Body["items"].([]any)) != 1 {
		t.Fatalf("pages: %s then %s", page.Raw, rest.Raw)
	}
	wantProblem(t, f.call(testsupport.Request{Route: route, Query: map[string]string{"band": "Z"}, Claims: f.officer}), 400, "", "band")
	wantProblem(t, f.call(testsupport.Request{Route: route, Query: map[string]string{"band": "A", "limit": "0"}, Claims: f.officer}), 400, "", "limit")
	wantProblem(t, f.call(testsupport.Request{Route: route, Query: map[string]string{"band": "A"}}), 401, "")
}

// HR-U: money out of range or not in pounds and pence is a 400 naming the field, never a 500 (1e200 overflowed
// DynamoDB's number type), and never turns a huge debt into offerable.
func TestHRU_DebtAmountsAreRefusedWhenRead(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("mappa")
	for _, body := range []string{`{"amount": 1e200, "weeklyRent": 100}`, `{"amount": -5, "weeklyRent": 100}`, `{"amount": 300.001, "weeklyRent": 100}`,
		`{"amount": 300, "weeklyRent": "lots"}`} {
		r := f.officerCall("POST /register/applications/{reference}/debt", ref, body)
		if _, fields := r.Problem(); r.Status != 400 || len(fields) != 1 || !strings.Contains(r.Raw, "an amount in pounds") {
			t.Errorf("%s: %d %s", body, r.Status, r.Raw)
		}
	}
	wantProblem(t, f.officerCall("POST /register/applications/{reference}/debt", ref, `{"amount": "999999999.99", "weeklyRent": 100}`), 400, "", "amount")
}
