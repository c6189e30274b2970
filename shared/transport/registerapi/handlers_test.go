package registerapi_test

import (
	"context"
	"encoding/json"
	"fmt"
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

// Handler tests: every register route against the in-memory store and outbox (no emulators). The lists the
// DynamoDB adapter serves from list entries and the byContact index are served here from memory, with the same
// order.

// store is the in-memory store with the lists, the priority list and the find keys.
type store struct {
	*testsupport.Store[register.Record, register.Contact]
}

// page serves a page of summaries; the token is the number already given.
func page(in []register.Record, limit int, token string) ([]registercases.Summary, string, error) {
	from, _ := strconv.Atoi(token)
	from = min(from, len(in))
	to := min(from+limit, len(in))
	next := ""
	if to < len(in) {
		next = strconv.Itoa(to)
	}
	out := []registercases.Summary{}
	for _, r := range in[from:to] {
		out = append(out, registercases.SummaryOf(r))
	}
	return out, next, nil
}

func (s store) PriorityList(_ context.Context, band string, limit int, token string) ([]registercases.Summary, string, error) {
	var in []register.Record
	keys := map[string]string{}
	for _, r := range s.All() {
		if key, listed := register.PriorityKey(r.Reference, r.Decision); listed && r.Decision.BandName() == band {
			in, keys[r.Reference] = append(in, r), key
		}
	}
	slices.SortFunc(in, func(a, b register.Record) int { return strings.Compare(keys[a.Reference], keys[b.Reference]) })
	return page(in, limit, token)
}

func (s store) List(_ context.Context, f registercases.Filter, limit int, token string) ([]registercases.Summary, string, error) {
	var in []register.Record
	for _, r := range s.All() {
		officer := ""
		if r.Council.Officer != nil {
			officer = r.Council.Officer.ID
		}
		if (f.Status == "" || r.Decision.Status == f.Status) && (f.Band == "" || r.Decision.BandName() == f.Band) && (f.Officer == "" || officer == f.Officer) {
			in = append(in, r)
		}
	}
	slices.SortFunc(in, func(a, b register.Record) int {
		c := a.ReceivedAt.Compare(b.ReceivedAt)
		if !f.OldestFirst {
			c = -c
		}
		return c
	})
	return page(in, limit, token)
}

// Find reads the contact the in-memory store keeps with the record (the JSON copy keeps the applicant).
func (s store) Find(_ context.Context, key registercases.FindKey, limit int, token string) ([]registercases.Summary, string, error) {
	var in []register.Record
	for _, r := range s.All() {
		app := r.Application.Applicant
		if key.Field == registercases.FindByEmail && registercases.EmailKey(app.Email) == key.Hash ||
			key.Field == registercases.FindByPostcode && registercases.PostcodeKey(app.Postcode) == key.Hash {
			in = append(in, r)
		}
	}
	slices.SortFunc(in, func(a, b register.Record) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	return page(in, limit, token)
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
	manager map[string]string
}

func newFixture(t *testing.T) *fixture {
	fn, ok := catalog.System().Function("register-application")
	if !ok {
		t.Fatal("no register-application in the catalog")
	}
	s := store{testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })}
	out := &testsupport.Outbox{}
	api := registerapi.API{Service: registercases.Service{Store: s, Outbox: out}, Answers: s}
	return &fixture{t: t, store: s, outbox: out, handler: api.Routes().Handler(fn),
		officer: testsupport.Staff("alloc-1", catalog.GroupAllocationsOfficer), manager: testsupport.Staff("hsm-1", catalog.GroupHousingSolutionsManager)}
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

func (f *fixture) submit(app map[string]any, at time.Time) testsupport.Response {
	f.t.Helper()
	r := f.call(testsupport.Request{Route: "POST /register/applications", Body: testsupport.JSON(app), At: at})
	if r.Status != 201 {
		f.t.Fatalf("apply: %d %s", r.Status, r.Raw)
	}
	return r
}

func (f *fixture) apply(circumstances ...string) (ref, token string) {
	f.t.Helper()
	r := f.submit(application(circumstances...), day)
	return r.Body["reference"].(string), r.Body["accessToken"].(string)
}

// route is the route key of a change on an application, e.g. route("decisions").
func route(change string) string { return "POST /register/applications/{reference}/" + change }

func (f *fixture) officerCall(route, ref, body string) testsupport.Response {
	f.t.Helper()
	return f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Body: body, Claims: f.officer})
}

// must is an officer's change that must succeed.
func (f *fixture) must(change, ref, body string) testsupport.Response {
	f.t.Helper()
	r := f.officerCall(route(change), ref, body)
	if r.Status != 200 {
		f.t.Fatalf("%s: %d %s", change, r.Status, r.Raw)
	}
	return r
}

// decide records a council decision that a code applies.
func (f *fixture) decide(ref, code string) testsupport.Response {
	f.t.Helper()
	return f.must("decisions", ref, `{"decision": "`+code+`", "applies": true, "decidedOn": "2026-11-20", "note": "Decision letter seen"}`)
}

// verify records that a self-declared claim is verified.
func (f *fixture) verify(ref, claim string) testsupport.Response {
	f.t.Helper()
	return f.must("claims", ref, `{"claim": "`+claim+`", "verified": true, "note": "Evidence seen"}`)
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

// lastEvent is the entry a change recorded (its answer's timeline holds it).
func lastEvent(t *testing.T, r testsupport.Response) map[string]any {
	t.Helper()
	tl, _ := r.Body["timeline"].([]any)
	if len(tl) == 0 {
		t.Fatalf("no timeline: %s", r.Raw)
	}
	return tl[len(tl)-1].(map[string]any)
}

func details(t *testing.T, r testsupport.Response) map[string]any {
	t.Helper()
	d, _ := lastEvent(t, r)["details"].(map[string]any)
	return d
}

// letters are the decision letters stored with the changes, in order.
func (f *fixture) letters() []notification.Request {
	f.t.Helper()
	var out []notification.Request
	for _, m := range f.store.Messages {
		var req notification.Request
		if err := json.Unmarshal(m.Body, &req); err != nil {
			f.t.Fatal(err)
		}
		if req.Template == notification.ApplicationDecision {
			out = append(out, req)
		}
	}
	return out
}

// reasons are the texts of a decision's reasons, one per line.
func reasons(body map[string]any) string {
	var out []string
	for _, r := range body["reasons"].([]any) {
		out = append(out, r.(map[string]any)["text"].(string))
	}
	return strings.Join(out, "\n")
}

func refs(t *testing.T, r testsupport.Response) []string {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	out := []string{}
	for _, it := range r.Body["items"].([]any) {
		out = append(out, it.(map[string]any)["reference"].(string))
	}
	return out
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
	r = f.call(testsupport.Request{Route: route, Body: `{"age": 40, "eligibleImmigrationStatus": true, "medicalOrWelfareNeed": true}`})
	if r.Status != 200 || r.Body["eligible"] != true {
		t.Fatalf("a medical need to be assessed: %d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: `{"circumstances": ["rich"]}`}), 400, "", "age", "eligibleImmigrationStatus", "circumstances[0]", "circumstances")
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: `{"age": 30, "eligibleImmigrationStatus": true, "medicalAward": {"severity": "severe"}}`}), 400, "", "medicalAward")
}

// HR-D, issue 12: what the public sends is a claim. A council-decided circumstance gives a provisional band, with
// what the council must decide; the application awaits verification with no decided band and no offers. Nothing
// the public can send sets an award, a verification, a decision, a finding, an exception or a refusal.
func TestHRD_ApplyGivesAProvisionalBandAwaitingVerification(t *testing.T) {
	f := newFixture(t)
	const route = "POST /register/applications"
	app := application("urgent-welfare")
	r := f.call(testsupport.Request{Route: route, Body: testsupport.JSON(app), Header: map[string]string{"Idempotency-Key": "a-1"}})
	provisional, _ := r.Body["provisional"].(map[string]any)
	outstanding, _ := r.Body["outstanding"].([]any)
	if r.Status != 201 || r.Body["status"] != register.StatusAwaitingVerification || r.Body["band"] != nil || r.Body["effectiveDate"] != nil ||
		r.Body["offerable"] != false || provisional["band"] != "A" || len(outstanding) != 1 || r.Body["accessToken"] == "" ||
		outstanding[0].(map[string]any)["claim"] != "urgent-welfare" || outstanding[0].(map[string]any)["rule"] != "HR-A" {
		t.Fatalf("apply: %d %s", r.Status, r.Raw)
	}
	ref := r.Body["reference"].(string)
	// the HR-D decision letter, stored with the application and delivered, to the applicant's preferred channel
	letters := f.letters()
	if len(letters) != 1 || len(f.outbox.Delivered) != 1 {
		t.Fatalf("messages: stored %d, delivered %d", len(letters), len(f.outbox.Delivered))
	}
	l := letters[0]
	if l.ID != ref+"#decision" || l.CaseRef != ref || l.To.Email != "jo@example.org" || l.To.PreferredContact != "email" ||
		l.Personalisation["status"] != register.StatusAwaitingVerification || l.Personalisation["provisional_band"] != "A" ||
		!strings.Contains(l.Personalisation["outstanding"], "(HR-A)") || !strings.Contains(l.Personalisation["rules"], "HR-E2") {
		t.Fatalf("decision letter: %+v", l)
	}
	// the contact is stored in the one shape (contact.Details at the top level) with the household
	st, err := f.store.Load(context.Background(), ref)
	h, _ := f.store.History(context.Background(), ref, 10, "")
	if err != nil || st.Contact == nil || st.Contact.Email != "jo@example.org" || st.Contact.Postcode != "NN1 1DE" || len(st.Contact.Household) != 1 ||
		len(h.Events) != 1 || h.Events[0].Action != "applied" || h.Events[0].Rule != "HR-D" {
		t.Fatalf("stored: %+v %+v %v", st, h, err)
	}
	// a retry with the same key is given the same answer; the same key with another body is refused
	again := f.call(testsupport.Request{Route: route, Body: testsupport.JSON(app), Header: map[string]string{"Idempotency-Key": "a-1"}})
	if again.Status != 201 || again.Body["reference"] != ref || again.Headers["Idempotent-Replayed"] != "true" || len(f.store.All()) != 1 {
		t.Fatalf("retry: %d %s", again.Status, again.Raw)
	}
	app["age"] = 37
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: testsupport.JSON(app), Header: map[string]string{"Idempotency-Key": "a-1"}}), 422, "")

	// the council's decisions are not fields of the public form: each is refused by name
	for _, field := range []string{"medicalAward", "verified", "council", "decisions", "refusedOffers", "reducedPriority", "unacceptableBehaviour",
		"debtException", "debtExceptions", "checks", "status", "band"} {
		bad := application("homeless-priority-need")
		bad[field] = map[string]any{"seekingWork": true}
		wantProblem(t, f.call(testsupport.Request{Route: route, Body: testsupport.JSON(bad)}), 400, "", field)
	}
	// the register needs the address and postcode that contact.Details leaves optional
	bad := application("mappa")
	applicant := bad["applicant"].(map[string]any)
	delete(applicant, "address")
	applicant["postcode"] = "XX"
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: testsupport.JSON(bad)}), 400, "", "applicant.address", "applicant.postcode")
	bad = application("mappa")
	bad["applicant"].(map[string]any)["nickname"] = "Jo"
	// named by its own name: encoding/json's unknown-field error does not give the path (httpapi)
	wantProblem(t, f.call(testsupport.Request{Route: route, Body: testsupport.JSON(bad)}), 400, "", "nickname")
}

// Issue 12's first "done when", through the handlers: an application claiming a council-decided circumstance, a
// medical need and a star has a provisional band, is not on the priority list and is not offerable until an
// officer decides; after the decisions it has the decided band, with reasons naming each rule and decision.
func TestHRD_ClaimsCountOnceTheCouncilDecides(t *testing.T) {
	f := newFixture(t)
	app := application("homeless-priority-need")
	app["seekingWork"] = true
	app["medicalNeeds"] = []any{map[string]any{"grounds": "medical", "description": "Asthma made worse by damp"}}
	r := f.submit(app, day)
	ref, token := r.Body["reference"].(string), r.Body["accessToken"].(string)
	if r.Body["status"] != register.StatusAwaitingVerification || r.Body["band"] != nil || r.Body["offerable"] != false || r.Body["stars"] != float64(0) ||
		r.Body["provisional"].(map[string]any)["band"] != "emergency" || len(r.Body["outstanding"].([]any)) != 3 {
		t.Fatalf("claims: %s", r.Raw)
	}
	list := f.call(testsupport.Request{Route: "GET /register/priority-list", Query: map[string]string{"band": "emergency"}, Claims: f.officer})
	if got := refs(t, list); len(got) != 0 {
		t.Fatalf("an application awaiting verification is on the priority list: %v", got)
	}
	wantProblem(t, f.officerCall(route("offers"), ref, `{"offeredOn": "2026-11-23", "property": "Flat 1, 2 Low Rd"}`), 409, "HR-E2")

	d := f.decide(ref, "homeless-priority-need")
	if d.Body["status"] != register.StatusRegistered || d.Body["band"] != "emergency" || d.Body["offerable"] != true || details(t, d)["rule"] != "HR-EM" {
		t.Fatalf("homelessness decided: %s", d.Raw)
	}
	m := f.must("medical-award", ref, `{"severity": "severe", "grounds": "medical", "assessedOn": "2026-11-20", "recommendedPropertyType": "Ground floor"}`)
	v := f.verify(ref, "seeking-work")
	if v.Body["band"] != "emergency" || v.Body["stars"] != float64(2) || len(v.Body["outstanding"].([]any)) != 0 || m.Body["stars"] != float64(1) {
		t.Fatalf("award and verification: %s", v.Raw)
	}
	text := reasons(v.Body)
	for _, want := range []string{"as decided by the council's homelessness service", "(HR-EM)", "independent adviser recommended a severe", "(HR-M)",
		"Actively seeking work", "(HR-S)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reasons do not name %q:\n%s", want, text)
		}
	}
	list = f.call(testsupport.Request{Route: "GET /register/priority-list", Query: map[string]string{"band": "emergency"}, Claims: f.officer})
	if got := refs(t, list); !slices.Equal(got, []string{ref}) {
		t.Fatalf("priority list: %v", got)
	}
	// the applicant sees the same, and was sent a letter with each decision
	if s := f.call(testsupport.Request{Route: "GET /register/applications/{reference}", Path: map[string]string{"reference": ref}, Token: token}); s.Body["band"] != "emergency" || s.Body["stars"] != float64(2) {
		t.Fatalf("applicant's view: %s", s.Raw)
	}
	letters := f.letters()
	if len(letters) != 4 || letters[3].ID != ref+"#decision-4" || letters[3].Personalisation["band"] != "emergency" || letters[3].Personalisation["change"] != "claim-checked" ||
		!strings.Contains(letters[3].Personalisation["reasons"], "(HR-S)") || !strings.Contains(letters[1].Personalisation["rules"], "HR-EM") {
		t.Fatalf("letters: %+v", letters)
	}
	if o := f.must("offers", ref, `{"offeredOn": "2026-11-23", "property": "Flat 1, 2 Low Rd"}`); details(t, o)["number"] != float64(1) {
		t.Fatalf("offer: %s", o.Raw)
	}
}

// Every officer transition is audited: who (the staff id from the JWT), when, what, and the old and new status,
// band, stars and offerability.
func TestHRD_EveryOfficerChangeIsAudited(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("mappa", "sharing-facilities")
	changes := []struct{ change, body, action, rule string }{
		{"decisions", `{"decision": "mappa", "applies": true, "decidedOn": "2026-11-20", "note": "MAPPA panel letter"}`, "council-decision-recorded", "HR-A"},
		{"claims", `{"claim": "sharing-facilities", "verified": false, "note": "The tenancy is of the whole house"}`, "claim-checked", "HR-B"},
		{"medical-award", `{"severity": "moderate", "grounds": "welfare", "assessedOn": "2026-11-02"}`, "medical-award-recorded", "HR-M"},
		{"debt", `{"amount": 150, "weeklyRent": 100}`, "debt-updated", "HR-U"},
		{"unacceptable-behaviour", `{"code": "nuisance", "applies": true, "evidence": "Two warnings from the ASB team"}`, "behaviour-recorded", "HR-U"},
		{"debt-exceptions", `{"code": "hate-crime-victim", "applies": true, "evidence": "Police crime number"}`, "debt-exception-recorded", "HR-U1"},
		{"assignment", `{"officerId": "alloc-2", "officerName": "Sam Officer"}`, "assigned", "HR-D"},
		{"closure", `{"reason": "withdrawn", "note": "The applicant wrote to withdraw"}`, "closed", "HR-D"},
	}
	for i, c := range changes {
		r := f.must(c.change, ref, c.body)
		ev := lastEvent(t, r)
		d := details(t, r)
		for _, k := range []string{"oldStatus", "newStatus", "oldBand", "newBand", "oldStars", "newStars", "oldOfferable", "newOfferable"} {
			if _, ok := d[k]; !ok {
				t.Errorf("%s: no %s in %v", c.change, k, d)
			}
		}
		if ev["action"] != c.action || ev["actorId"] != "alloc-1" || ev["actor"] != "alloc-1@council.example" || ev["rule"] != "HR-D" || d["rule"] != c.rule ||
			r.Body["version"] != float64(i+2) {
			t.Errorf("%s: %v", c.change, ev)
		}
	}
	if h := f.call(testsupport.Request{Route: "GET /register/applications/{reference}/timeline", Path: map[string]string{"reference": ref}, Claims: f.officer}); len(h.Body["items"].([]any)) != len(changes)+1 {
		t.Fatalf("timeline: %s", h.Raw)
	}
	// every change but the assignment sent the applicant a letter
	if n := len(f.letters()); n != len(changes) {
		t.Fatalf("%d letters, want %d (the application's and one for each change but the assignment)", n, len(changes))
	}
	// a closed application changes no more
	wantProblem(t, f.officerCall(route("debt"), ref, `{"amount": 0, "weeklyRent": 100}`), 409, "HR-D")
}

func TestStatus(t *testing.T) {
	f := newFixture(t)
	const route = "GET /register/applications/{reference}"
	ref, token := f.apply("mappa")
	r := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Token: token})
	if r.Status != 200 || r.Body["reference"] != ref || r.Body["status"] != register.StatusAwaitingVerification || r.Body["accessToken"] != nil ||
		r.Body["application"] != nil || r.Body["council"] != nil || len(r.Body["outstanding"].([]any)) != 1 {
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
	f.decide(ref, "mappa")
	for _, d := range []string{"2026-06-01", "2026-09-01", "2026-11-02"} {
		f.must("offers", ref, `{"offeredOn": "`+d+`", "property": "1 High St", "refused": true}`)
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
	f.decide(ref, "homeless-priority-need")
	r := f.officerCall(route, ref, "")
	contact, _ := r.Body["contact"].(map[string]any)
	council, _ := r.Body["council"].(map[string]any)
	if r.Status != 200 || r.Body["band"] != "emergency" || r.Body["version"] != float64(2) || len(r.Body["openDeadlines"].([]any)) != 2 ||
		contact["email"] != "jo@example.org" || r.Body["application"].(map[string]any)["age"] != float64(36) || len(council["decisions"].([]any)) != 1 ||
		r.Body["timeline"].([]any)[0].(map[string]any)["action"] != "council-decision-recorded" {
		t.Fatalf("record: %d %s", r.Status, r.Raw)
	}
	// the Housing Solutions Manager reads applications too
	if m := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Claims: f.manager}); m.Status != 200 {
		t.Fatalf("manager: %d %s", m.Status, m.Raw)
	}
	wantProblem(t, f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}}), 401, "")
	wantProblem(t, f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Claims: testsupport.Staff("asb-1", catalog.GroupASBOfficer)}), 403, "")
	wantProblem(t, f.officerCall(route, "HR-NONE", ""), 404, "")
}

// HR-S, HR-CC, HR-W and the self-declared circumstances: an officer verifies or rejects each claim with a note.
func TestHRS_VerifyClaims(t *testing.T) {
	f := newFixture(t)
	app := application("sharing-facilities")
	app["seekingWork"] = true
	ref := f.submit(app, day).Body["reference"].(string)
	v := f.verify(ref, "sharing-facilities")
	if v.Body["status"] != register.StatusRegistered || v.Body["band"] != "B" || v.Body["stars"] != float64(0) || v.Body["provisional"].(map[string]any)["stars"] != float64(1) {
		t.Fatalf("verified: %s", v.Raw)
	}
	no := f.must("claims", ref, `{"claim": "seeking-work", "verified": false, "note": "Jobcentre Plus has no record"}`)
	if no.Body["stars"] != float64(0) || details(t, no)["rule"] != "HR-S" || details(t, no)["verified"] != false || len(no.Body["outstanding"].([]any)) != 0 {
		t.Fatalf("not verified: %s", no.Raw)
	}
	wantProblem(t, f.officerCall(route("claims"), ref, `{}`), 400, "", "claim", "verified", "note")
	wantProblem(t, f.officerCall(route("claims"), ref, `{"claim": "mappa", "verified": true, "note": "x"}`), 400, "", "claim")
	wantProblem(t, f.call(testsupport.Request{Route: route("claims"), Path: map[string]string{"reference": ref}, Body: `{"claim": "seeking-work", "verified": true, "note": "x"}`,
		Claims: testsupport.Staff("c-1", catalog.GroupComplaintsManager)}), 403, "")
}

// HR-EM, HR-R: council decisions, including intentional homelessness, which keeps a homeless applicant out of the
// Emergency band with reduced priority.
func TestHREM_CouncilDecisions(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("homeless-priority-need")
	if h := f.decide(ref, "homeless-priority-need"); h.Body["band"] != "emergency" {
		t.Fatalf("homeless and in priority need: %s", h.Raw)
	}
	r := f.must("decisions", ref, `{"decision": "intentionally-homeless", "applies": true, "decidedOn": "2026-11-20", "note": "Gave up a suitable tenancy"}`)
	if r.Body["band"] != "reduced" || r.Body["status"] != register.StatusRegistered || details(t, r)["rule"] != "HR-R" {
		t.Fatalf("intentionally homeless: %s", r.Raw)
	}
	no := f.must("decisions", ref, `{"decision": "homeless-priority-need", "applies": false, "decidedOn": "2026-11-20", "note": "Not in priority need"}`)
	if !strings.Contains(reasons(no.Body), "Not in priority need") {
		t.Fatalf("the officer's note is shown with the decision: %s", no.Raw)
	}
	wantProblem(t, f.officerCall(route("decisions"), ref, `{"decision": "sharing-facilities", "applies": true, "decidedOn": "2026-11-20", "note": "x"}`), 400, "", "decision")
	wantProblem(t, f.officerCall(route("decisions"), ref, `{"decision": "mappa", "applies": true, "decidedOn": "2026-11-24", "note": "x"}`), 400, "", "decidedOn")
}

func TestHRM_MedicalAward(t *testing.T) {
	f := newFixture(t)
	const r = "medical-award"
	app := application()
	app["medicalNeeds"] = []any{map[string]any{"grounds": "welfare", "description": "Needs to be near carers"}}
	ref := f.submit(app, day).Body["reference"].(string)
	m := f.must(r, ref, `{"severity": "severe", "grounds": "welfare", "assessedOn": "2026-11-20", "recommendedPropertyType": "Level access"}`)
	d := details(t, m)
	if m.Body["band"] != "A" || m.Body["medicalReviewDue"] != "2027-11-20" || len(m.Body["openDeadlines"].([]any)) != 1 ||
		d["rule"] != "HR-M" || d["oldBand"] != nil || d["newBand"] != "A" || d["oldStatus"] != register.StatusAwaitingVerification || d["recommendedPropertyType"] != "Level access" {
		t.Fatalf("medical award: %s", m.Raw)
	}
	wantProblem(t, f.officerCall(route(r), ref, `{"severity": "critical", "grounds": "medical", "assessedOn": "2026-11-20"}`), 400, "", "severity")
	wantProblem(t, f.officerCall(route(r), ref, `{"severity": "moderate", "grounds": "medical", "assessedOn": "2026-11-24"}`), 400, "", "assessedOn")
	wantProblem(t, f.officerCall(route(r), "HR-NONE", `{"severity": "none", "grounds": "medical"}`), 404, "")
}

func TestHRU_Debt(t *testing.T) {
	f := newFixture(t)
	app := application("urgent-welfare")
	app["housingDebt"] = map[string]any{"amount": 300, "weeklyRent": 100, "repaymentPlan": map[string]any{"agreed": false, "kept": false}}
	ref := f.submit(app, day).Body["reference"].(string)
	f.decide(ref, "urgent-welfare")
	r := f.officerCall(route("debt"), ref, `{"amount": 300, "weeklyRent": 100}`)
	if r.Body["band"] != "reduced" || r.Body["offerable"] != false {
		t.Fatalf("3 weeks' arrears confirmed: %s", r.Raw)
	}
	d := f.must("debt", ref, `{"amount": 0, "weeklyRent": 100}`)
	if d.Body["band"] != "A" || d.Body["offerable"] != true || details(t, d)["oldBand"] != "reduced" || details(t, d)["rule"] != "HR-U" {
		t.Fatalf("debt cleared: %s", d.Raw)
	}
	wantProblem(t, f.officerCall(route("debt"), ref, `{"amount": 50, "weeklyRent": 0}`), 400, "", "weeklyRent")
	wantProblem(t, f.officerCall(route("debt"), ref, `{"amount": -1, "weeklyRent": 100}`), 400, "", "amount")
	wantProblem(t, f.officerCall(route("debt"), ref, `{"amount": 1000000.01, "weeklyRent": 100, "tenancyEndedOn": "2027-01-01"}`), 400, "", "amount", "tenancyEndedOn")
}

// HR-U: money out of range or not in pounds and pence is a 400 naming the field, never a 500 (1e200 overflowed
// DynamoDB's number type), and never turns a huge debt into offerable.
func TestHRU_DebtAmountsAreRefusedWhenRead(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("mappa")
	for _, body := range []string{`{"amount": 1e200, "weeklyRent": 100}`, `{"amount": -5, "weeklyRent": 100}`, `{"amount": 300.001, "weeklyRent": 100}`,
		`{"amount": 300, "weeklyRent": "lots"}`} {
		r := f.officerCall(route("debt"), ref, body)
		if _, fields := r.Problem(); r.Status != 400 || len(fields) != 1 || !strings.Contains(r.Raw, "an amount in pounds") {
			t.Errorf("%s: %d %s", body, r.Status, r.Raw)
		}
	}
	wantProblem(t, f.officerCall(route("debt"), ref, `{"amount": "999999999.99", "weeklyRent": 100}`), 400, "", "amount")
}

// HR-U, HR-U1: unacceptable behaviour stops offers; a debt exception lets an offer be made despite debt.
func TestHRU_BehaviourAndHRU1_DebtExceptions(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("mappa")
	f.decide(ref, "mappa")
	b := f.must("unacceptable-behaviour", ref, `{"code": "fraud", "applies": true, "evidence": "Conviction 2025"}`)
	if b.Body["offerable"] != false || details(t, b)["oldOfferable"] != true || details(t, b)["newOfferable"] != false {
		t.Fatalf("behaviour: %s", b.Raw)
	}
	wantProblem(t, f.officerCall(route("unacceptable-behaviour"), ref, `{"code": "violence-to-staff", "applies": true, "evidence": "x"}`), 400, "", "code")
	f.must("unacceptable-behaviour", ref, `{"code": "fraud", "applies": false, "evidence": "Conviction quashed"}`)
	f.must("debt", ref, `{"amount": 500, "weeklyRent": 100}`)
	e := f.must("debt-exceptions", ref, `{"code": "domestic-violence-victim", "applies": true, "evidence": "Refuge referral letter"}`)
	if e.Body["offerable"] != true || details(t, e)["rule"] != "HR-U1" || !strings.Contains(reasons(e.Body), "(HR-U1)") {
		t.Fatalf("exception: %s", e.Raw)
	}
	wantProblem(t, f.officerCall(route("debt-exceptions"), ref, `{"code": "nuisance", "applies": true, "evidence": "x"}`), 400, "", "code")
}

// HR-E3: removed at once; the application then changes no more.
func TestHRE3_Removal(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("mappa")
	r := f.must("removal", ref, `{"incidentOn": "2026-11-20", "evidence": "Threatened the housing officer at the office"}`)
	if r.Body["status"] != register.StatusRemoved || r.Body["band"] != nil || details(t, r)["rule"] != "HR-E3" {
		t.Fatalf("removal: %s", r.Raw)
	}
	wantProblem(t, f.officerCall(route("decisions"), ref, `{"decision": "mappa", "applies": true, "decidedOn": "2026-11-20", "note": "x"}`), 409, "HR-E3")
	if l := f.letters(); l[len(l)-1].Personalisation["status"] != register.StatusRemoved || !strings.Contains(l[len(l)-1].Personalisation["rules"], "HR-E3") {
		t.Fatalf("removal letter: %+v", l[len(l)-1])
	}
}

func TestHRD_CloseAsHoused(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("mappa")
	wantProblem(t, f.officerCall(route("closure"), ref, `{"reason": "housed", "note": "Tenancy signed"}`), 400, "", "property")
	wantProblem(t, f.officerCall(route("closure"), ref, `{"reason": "no-longer-eligible", "note": "x"}`), 400, "", "rule")
	r := f.must("closure", ref, `{"reason": "housed", "note": "Tenancy signed", "property": "Flat 3, 4 New Road"}`)
	if r.Body["status"] != register.StatusClosed || details(t, r)["property"] != "Flat 3, 4 New Road" {
		t.Fatalf("closure: %s", r.Raw)
	}
}

// Issue 12's offers: refused (409 citing the rule) while HR-U applies, while the medical award is over 12 months
// old and not reviewed (HR-M), and unless the application is active (HR-E2 awaiting verification); three
// reasonable refusals in 12 months reduce priority (HR-R).
func TestHRR_Offers(t *testing.T) {
	f := newFixture(t)
	offer := `{"offeredOn": "2026-11-20", "property": "Flat 2, 1 Example Road"}`

	awaiting, _ := f.apply("mappa")
	wantProblem(t, f.officerCall(route("offers"), awaiting, offer), 409, "HR-E2")

	barred, _ := f.apply("mappa")
	f.decide(barred, "mappa")
	f.must("unacceptable-behaviour", barred, `{"code": "nuisance", "applies": true, "evidence": "Noise abatement notice"}`)
	wantProblem(t, f.officerCall(route("offers"), barred, offer), 409, "HR-U")

	stale, _ := f.apply("sharing-facilities")
	f.verify(stale, "sharing-facilities")
	f.must("medical-award", stale, `{"severity": "moderate", "grounds": "medical", "assessedOn": "2025-06-01"}`)
	wantProblem(t, f.officerCall(route("offers"), stale, offer), 409, "HR-M")
	f.must("medical-award", stale, `{"severity": "moderate", "grounds": "medical", "assessedOn": "2026-11-16"}`) // reviewed
	f.must("offers", stale, offer)

	ref, _ := f.apply("mappa")
	f.decide(ref, "mappa")
	for i, d := range []string{"2026-06-01", "2026-09-01", "2026-11-20"} {
		r := f.must("offers", ref, `{"offeredOn": "`+d+`", "property": "Flat `+strconv.Itoa(i)+`, 2 Low Rd", "refused": true}`)
		if details(t, r)["rule"] != "HR-R" || details(t, r)["countsTowardsRefusals"] != true {
			t.Fatalf("refusal %d: %s", i, r.Raw)
		}
		if i == 2 && r.Body["band"] != "reduced" {
			t.Fatalf("three reasonable refusals in 12 months: %s", r.Raw)
		}
	}
	wantProblem(t, f.officerCall(route("offers"), ref, `{"offeredOn": "2026-11-20"}`), 400, "", "property")
	wantProblem(t, f.officerCall(route("offers"), ref, `{"offeredOn": "2026-11-20", "property": "3 Mill Lane", "refusedOn": "2026-11-21"}`), 400, "", "refusedOn")
	wantProblem(t, f.officerCall(route("offers"), ref, `{"offeredOn": "2026-11-20", "property": "3 Mill Lane", "refused": "yes"}`), 400, "", "refused")
}

// HR-EM: the refusal of a direct offer records whether a statutory review was asked for, and its outcome.
func TestHREM_DirectOfferAndStatutoryReview(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.apply("homeless-priority-need")
	f.decide(ref, "homeless-priority-need")
	wantProblem(t, f.officerCall(route("offers"), ref, `{"offeredOn": "2026-11-23", "property": "Flat 9", "direct": true, "refused": true}`), 400, "", "statutoryReview")
	o := f.must("offers", ref, `{"offeredOn": "2026-11-23", "property": "Flat 9", "direct": true, "refused": true, "statutoryReview": {"requested": true}}`)
	if details(t, o)["rule"] != "HR-EM" {
		t.Fatalf("direct offer: %s", o.Raw)
	}
	s := f.must("statutory-review", ref, `{"offer": 1, "outcome": "unsuitable", "decidedOn": "2026-11-23", "note": "The flat is on the 9th floor"}`)
	if details(t, s)["furtherDirectOfferBy"] != "2026-11-30" || details(t, s)["countsTowardsRefusals"] != false {
		t.Fatalf("statutory review: %s", s.Raw)
	}
	wantProblem(t, f.officerCall(route("statutory-review"), ref, `{"offer": 1, "outcome": "suitable", "decidedOn": "2026-11-23", "note": "again"}`), 409, "HR-EM")
	wantProblem(t, f.officerCall(route("statutory-review"), ref, `{"offer": 2, "outcome": "pending", "note": "x"}`), 400, "", "offer")
}

// HR-D: the applicant changes their circumstances with their access token; what changed is a claim again; a new
// address is the contact the letter goes to, and is what the application is found by.
func TestHRD_ChangeOfCircumstances(t *testing.T) {
	f := newFixture(t)
	const change = "POST /register/applications/{reference}/circumstances"
	ref, token := f.apply("sharing-facilities")
	f.verify(ref, "sharing-facilities")
	body := `{"address": {"address": "5 New Street", "postcode": "NN2 2BB"}, "householdJoined": [{"name": "Ash", "dateOfBirth": "2026-10-01", "relationship": "child"}],
		"circumstances": ["hhsrs-category-1"], "note": "We moved in with my sister"}`
	r := f.call(testsupport.Request{Route: change, Path: map[string]string{"reference": ref}, Token: token, Body: body})
	if r.Status != 200 || r.Body["status"] != register.StatusAwaitingVerification || r.Body["provisional"].(map[string]any)["band"] != "A" ||
		r.Body["council"] != nil || len(r.Body["outstanding"].([]any)) != 2 {
		t.Fatalf("change: %d %s", r.Status, r.Raw)
	}
	rec := f.officerCall("GET /register/applications/{reference}/record", ref, "")
	ev := rec.Body["timeline"].([]any)[0].(map[string]any)
	if ev["action"] != "circumstances-changed" || ev["actor"] != "resident" || ev["details"].(map[string]any)["recheck"] == nil {
		t.Fatalf("timeline: %v", ev)
	}
	if l := f.letters(); l[len(l)-1].ID != ref+"#decision-3" || l[len(l)-1].Personalisation["change"] != "circumstances-changed" {
		t.Fatalf("letter: %+v", l[len(l)-1])
	}
	wrong := f.call(testsupport.Request{Route: change, Path: map[string]string{"reference": ref}, Token: "nope", Body: body})
	unknown := f.call(testsupport.Request{Route: change, Path: map[string]string{"reference": "HR-NONE"}, Token: token, Body: body})
	wantProblem(t, wrong, 404, "")
	wantProblem(t, unknown, 404, "")
	if strings.ReplaceAll(wrong.Body["detail"].(string), ref, "X") != strings.ReplaceAll(unknown.Body["detail"].(string), "HR-NONE", "X") {
		t.Errorf("a wrong token and an unknown reference must answer alike: %q, %q", wrong.Body["detail"], unknown.Body["detail"])
	}
	wantProblem(t, f.call(testsupport.Request{Route: change, Path: map[string]string{"reference": ref}, Token: token, Body: `{}`}), 400, "", "change")
	wantProblem(t, f.call(testsupport.Request{Route: change, Path: map[string]string{"reference": ref}, Token: token, Body: `{"householdLeft": ["Nobody"]}`}), 400, "", "householdLeft[0]")
}

// HR-R, source 001: the applicant asks for a review of reduced priority; it is the Housing Solutions Manager's
// task (a deadline), and only the manager decides it.
func TestHRR_ReviewOfReducedPriority(t *testing.T) {
	f := newFixture(t)
	const request = "POST /register/applications/{reference}/review-request"
	ref, token := f.apply("mappa")
	f.decide(ref, "mappa")
	ask := func(body string) testsupport.Response {
		return f.call(testsupport.Request{Route: request, Path: map[string]string{"reference": ref}, Token: token, Body: body})
	}
	wantProblem(t, ask(`{"grounds": "I was never told"}`), 409, "HR-R")
	f.must("decisions", ref, `{"decision": "asb-or-damage", "applies": true, "decidedOn": "2026-11-20", "note": "Damage to the communal door"}`)
	r := ask(`{"grounds": "The damage was done by a visitor I had reported", "channel": "written"}`)
	if r.Status != 200 || r.Body["band"] != "reduced" || !strings.Contains(reasons(r.Body), "Housing Solutions Manager") {
		t.Fatalf("review request: %d %s", r.Status, r.Raw)
	}
	rec := f.officerCall("GET /register/applications/{reference}/record", ref, "")
	var task map[string]any
	for _, d := range rec.Body["openDeadlines"].([]any) {
		if d.(map[string]any)["name"] == register.DeadlineReducedPriorityReview {
			task = d.(map[string]any)
		}
	}
	if task == nil || task["team"] != catalog.GroupHousingSolutionsManager || task["due"] != "2027-01-21" {
		t.Fatalf("the manager's task: %s", rec.Raw)
	}
	decision := `{"review": 1, "outcome": "overturned", "note": "The visitor was reported to the police"}`
	wantProblem(t, f.officerCall(route("review-decision"), ref, decision), 403, "")
	d := f.call(testsupport.Request{Route: route("review-decision"), Path: map[string]string{"reference": ref}, Body: decision, Claims: f.manager})
	if d.Status != 200 || d.Body["band"] != "A" || lastEvent(t, d)["actorId"] != "hsm-1" || details(t, d)["oldBand"] != "reduced" || len(d.Body["openDeadlines"].([]any)) != 0 {
		t.Fatalf("review decision: %d %s", d.Status, d.Raw)
	}
	again := f.call(testsupport.Request{Route: route("review-decision"), Path: map[string]string{"reference": ref}, Body: decision, Claims: f.manager})
	wantProblem(t, again, 409, "HR-R")
	// the manager makes no officer's change
	wantProblem(t, f.call(testsupport.Request{Route: route("debt"), Path: map[string]string{"reference": ref}, Body: `{"amount": 0, "weeklyRent": 1}`, Claims: f.manager}), 403, "")
}

// Officers' work: the queue awaiting verification oldest first, lists by band, status and officer, and finding
// an application by reference, email or postcode (normalised).
func TestLists(t *testing.T) {
	f := newFixture(t)
	const list = "GET /register/applications"
	var awaiting []string
	for i := range 3 {
		app := application("mappa")
		app["applicant"].(map[string]any)["email"] = fmt.Sprintf("applicant%d@example.org", i)
		awaiting = append(awaiting, f.submit(app, day.Add(time.Duration(i)*time.Hour)).Body["reference"].(string))
	}
	decided, _ := f.apply("mappa")
	f.decide(decided, "mappa")
	f.must("assignment", decided, `{"officerId": "alloc-2", "officerName": "Sam Officer"}`)

	get := func(q map[string]string) []string {
		t.Helper()
		return refs(t, f.call(testsupport.Request{Route: list, Query: q, Claims: f.officer}))
	}
	if got := get(map[string]string{"status": register.StatusAwaitingVerification}); !slices.Equal(got, awaiting) {
		t.Errorf("awaiting verification, oldest first: %v, want %v", got, awaiting)
	}
	if got := get(map[string]string{"status": register.StatusAwaitingVerification, "order": "newest"}); got[0] != awaiting[2] {
		t.Errorf("newest first: %v", got)
	}
	if got := get(map[string]string{"band": "A"}); !slices.Equal(got, []string{decided}) {
		t.Errorf("band A: %v", got)
	}
	if got := get(map[string]string{"officer": "alloc-2", "status": register.StatusRegistered}); !slices.Equal(got, []string{decided}) {
		t.Errorf("officer: %v", got)
	}
	if got := get(map[string]string{"limit": "2"}); len(got) != 2 {
		t.Errorf("a page: %v", got)
	}
	if got := get(map[string]string{"email": "  Applicant1@EXAMPLE.org "}); !slices.Equal(got, []string{awaiting[1]}) {
		t.Errorf("by email: %v", got)
	}
	if got := get(map[string]string{"postcode": "nn11de"}); len(got) != 4 {
		t.Errorf("by postcode: %v", got)
	}
	if got := get(map[string]string{"reference": strings.ToLower(decided)}); !slices.Equal(got, []string{decided}) {
		t.Errorf("by reference: %v", got)
	}
	if got := get(map[string]string{"reference": "HR-NONE"}); len(got) != 0 {
		t.Errorf("an unknown reference: %v", got)
	}
	item := f.call(testsupport.Request{Route: list, Query: map[string]string{"reference": decided}, Claims: f.officer}).Body["items"].([]any)[0].(map[string]any)
	if item["band"] != "A" || item["officer"].(map[string]any)["id"] != "alloc-2" || item["provisionalBand"] != "A" || item["status"] != register.StatusRegistered {
		t.Errorf("summary: %v", item)
	}
	wantProblem(t, f.call(testsupport.Request{Route: list, Query: map[string]string{"status": "open", "band": "Z", "order": "up"}, Claims: f.officer}), 400, "", "status", "band", "order")
	wantProblem(t, f.call(testsupport.Request{Route: list, Query: map[string]string{"email": "a@b.c", "status": "registered"}, Claims: f.officer}), 400, "", "status")
	wantProblem(t, f.call(testsupport.Request{Route: list, Query: map[string]string{"email": "a@b.c", "postcode": "NN1 1DE"}, Claims: f.officer}), 400, "", "query")
	wantProblem(t, f.call(testsupport.Request{Route: list}), 401, "")
	if m := f.call(testsupport.Request{Route: list, Claims: f.manager}); m.Status != 200 {
		t.Errorf("the manager's list: %d %s", m.Status, m.Raw)
	}
}

func TestPriorityList(t *testing.T) {
	f := newFixture(t)
	const list = "GET /register/priority-list"
	plain, _ := f.apply("mappa")
	f.decide(plain, "mappa")
	starred := application("cannot-find-own")
	starred["seekingWork"] = true
	s := f.submit(starred, day.Add(24*time.Hour)).Body["reference"].(string)
	f.call(testsupport.Request{Route: route("decisions"), Path: map[string]string{"reference": s}, Claims: f.officer, At: day.Add(24 * time.Hour),
		Body: `{"decision": "cannot-find-own", "applies": true, "decidedOn": "2026-11-20", "note": "Adult social care assessment"}`})
	f.call(testsupport.Request{Route: route("claims"), Path: map[string]string{"reference": s}, Claims: f.officer, At: day.Add(24 * time.Hour),
		Body: `{"claim": "seeking-work", "verified": true, "note": "Jobcentre Plus confirmed"}`})
	later, _ := f.apply("urgent-welfare")
	f.call(testsupport.Request{Route: route("decisions"), Path: map[string]string{"reference": later}, Claims: f.officer, At: day.Add(48 * time.Hour),
		Body: `{"decision": "urgent-welfare", "applies": true, "decidedOn": "2026-11-20", "note": "Welfare assessment"}`})
	f.apply("mappa") // awaiting verification: on no priority list
	b, _ := f.apply("sharing-facilities")
	f.verify(b, "sharing-facilities") // Band B: not on the Band A list

	got := refs(t, f.call(testsupport.Request{Route: list, Query: map[string]string{"band": "A"}, Claims: f.officer}))
	if want := []string{s, plain, later}; !slices.Equal(got, want) {
		t.Fatalf("priority list %v, want %v", got, want)
	}
	page := f.call(testsupport.Request{Route: list, Query: map[string]string{"band": "A", "limit": "2"}, Claims: f.officer})
	next, _ := page.Body["nextToken"].(string)
	rest := f.call(testsupport.Request{Route: list, Query: map[string]string{"band": "A", "limit": "2", "nextToken": next}, Claims: f.officer})
	if len(page.Body["items"].([]any)) != 2 || next == "" || len(rest.Body["items"].([]any)) != 1 {
		t.Fatalf("pages: %s then %s", page.Raw, rest.Raw)
	}
	wantProblem(t, f.call(testsupport.Request{Route: list, Query: map[string]string{"band": "Z"}, Claims: f.officer}), 400, "", "band")
	wantProblem(t, f.call(testsupport.Request{Route: list, Query: map[string]string{"band": "A", "limit": "0"}, Claims: f.officer}), 400, "", "limit")
	wantProblem(t, f.call(testsupport.Request{Route: list, Query: map[string]string{"band": "A"}}), 401, "")
}
