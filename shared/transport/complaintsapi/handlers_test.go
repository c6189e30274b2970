package complaintsapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/testsupport"
)

// memComplaints is the complaints store in memory, with the list and the annual report's range.
type memComplaints struct {
	*testsupport.Store[complaints.Complaint, complaints.Contact]
	assessments map[int]versioned
}

func (m memComplaints) List(_ context.Context, status string, limit int, _ string) ([]complaints.Complaint, string, error) {
	var out []complaints.Complaint
	for _, c := range m.All() {
		if status == "" || c.Status == status {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ReceivedAt.After(out[j].ReceivedAt) })
	return out[:min(limit, len(out))], "", nil
}

func (m memComplaints) InFinancialYear(_ context.Context, year int) ([]complaints.Complaint, error) {
	var out []complaints.Complaint
	for _, c := range m.All() {
		if slices.Contains(c.ReportYears(), year) {
			out = append(out, c.Facts())
		}
	}
	return out, nil
}

func (m memComplaints) SelfAssessment(_ context.Context, year int) (*complaints.SelfAssessment, int, error) {
	sa, ok := m.assessments[year]
	if !ok {
		return nil, 0, nil
	}
	return &sa.SelfAssessment, sa.version, nil
}

func (m memComplaints) SaveSelfAssessment(_ context.Context, sa complaints.SelfAssessment, readVersion int) error {
	if m.assessments[sa.Year].version != readVersion {
		return apperr.New(apperr.Conflict, "changed")
	}
	m.assessments[sa.Year] = versioned{sa, readVersion + 1}
	return nil
}

type versioned struct {
	complaints.SelfAssessment
	version int
}

type fixture struct {
	t      *testing.T
	store  memComplaints
	outbox *testsupport.Outbox
	h      testsupport.Handler
}

func newFixture(t *testing.T) *fixture {
	store := memComplaints{testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference }), map[int]versioned{}}
	outbox := &testsupport.Outbox{}
	api := API{Service: complaintcases.Service{Store: store, Outbox: outbox, Homes: 12000, Landlord: landlord}, Answers: noAnswers{}}
	return &fixture{t: t, store: store, outbox: outbox, h: api.Routes().Handler(catalog.MustFunction("complaint-escalation"))}
}

var landlord = complaints.Landlord{Name: "Example Borough Council", Address: "Civic Centre, 1 Example Street, Northtown NN1 1AA",
	Phone: "01632 960000", Email: "housing@council.example"}

type noAnswers struct{}

func (noAnswers) FindAnswer(context.Context, string, string, time.Time) (*casework.Answer, error) {
	return nil, nil
}

var (
	officerA = testsupport.Staff("officer-a", catalog.GroupComplaintsOfficer)
	managerA = testsupport.Staff("manager-a", catalog.GroupComplaintsManager)
	managerB = testsupport.Staff("manager-b", catalog.GroupComplaintsManager)
)

func day(s string) time.Time { t, _ := time.Parse(time.RFC3339, s+"T10:00:00Z"); return t }

func form() map[string]any {
	return map[string]any{"description": "Nobody came to fix the boiler.", "outcomesSought": "Fix it", "serviceArea": "repairs",
		"issueDate": "2026-11-02", "complainant": map[string]any{"name": "Sam Example", "email": "sam@example.org"}}
}

func (f *fixture) call(r testsupport.Request) testsupport.Response {
	return testsupport.Call(f.t, f.h, r)
}

// submitted makes a complaint on Wed 23 Dec 2026 and returns its reference and token.
func (f *fixture) submitted() (string, string) {
	r := f.call(testsupport.Request{Route: "POST /complaints", Body: testsupport.JSON(form()), At: day("2026-12-23")})
	if r.Status != http.StatusCreated {
		f.t.Fatalf("submit: %d %s", r.Status, r.Raw)
	}
	return r.Body["reference"].(string), r.Body["accessToken"].(string)
}

func (f *fixture) staff(route, ref string, claims map[string]string, body map[string]any, at string) testsupport.Response {
	return f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Claims: claims, Body: testsupport.JSON(body), At: day(at)})
}

func (f *fixture) wantProblem(r testsupport.Response, status int, rule string, fields ...string) {
	f.t.Helper()
	gotRule, gotFields := r.Problem()
	if r.Status != status || gotRule != rule || !slices.Equal(gotFields, fields) {
		f.t.Errorf("got %d rule %q fields %v, want %d %q %v: %s", r.Status, gotRule, gotFields, status, rule, fields, r.Raw)
	}
}

// CH-4: a complaint is received, acknowledged by 4 January and tells the complainant.
func TestCH4_SubmitAndStatus(t *testing.T) {
	f := newFixture(t)
	ref, token := f.submitted()
	if len(f.outbox.Delivered) != 1 || f.outbox.Delivered[0].ID != ref+"#received" {
		t.Errorf("the complainant is told: %+v", f.outbox.Delivered)
	}
	v := f.call(testsupport.Request{Route: "GET /complaints/{reference}", Path: map[string]string{"reference": ref}, Token: token})
	if v.Status != 200 || v.Body["acknowledgeBy"] != "2027-01-04" || v.Body["status"] != "received" {
		t.Errorf("status: %d %s", v.Status, v.Raw)
	}
	wrong := f.call(testsupport.Request{Route: "GET /complaints/{reference}", Path: map[string]string{"reference": ref}, Token: "wrong"})
	unknown := f.call(testsupport.Request{Route: "GET /complaints/{reference}", Path: map[string]string{"reference": "CMP-NOPE"}, Token: token})
	if wrong.Status != 404 || unknown.Status != 404 || wrong.Body["detail"] != "There is no complaint "+ref+", or the access token does not match it." {
		t.Errorf("a wrong token must look like an unknown reference: %s / %s", wrong.Raw, unknown.Raw)
	}
	bad := f.call(testsupport.Request{Route: "POST /complaints", Body: `{"complainant":{"name":" "},"colour":"red"}`})
	f.wantProblem(bad, 400, "", "colour")
	bad = f.call(testsupport.Request{Route: "POST /complaints", Body: `{"complainant":{"name":" "}}`})
	if _, fields := bad.Problem(); bad.Status != 400 || !slices.Contains(fields, "complainant.name") || !slices.Contains(fields, "description") {
		t.Errorf("every field problem listed: %s", bad.Raw)
	}
}

// CH-4, CH-5: extensions longer than the limit need a good reason, at both stages (source 004 §6.4, §6.15).
func TestCH4_CH5_ExtensionWithAGoodReason(t *testing.T) {
	f := newFixture(t)
	ref, token := f.submitted()
	f.staff("POST /complaints/{reference}/acknowledgement", ref, managerA, map[string]any{"definition": "d", "outcomesSought": "o"}, "2026-12-24")
	f.wantProblem(f.staff("POST /complaints/{reference}/extension", ref, managerA, map[string]any{"workingDays": 15, "reason": "surveyor"}, "2026-12-24"), 422, "CH-4")
	ok := f.staff("POST /complaints/{reference}/extension", ref, managerA, map[string]any{"workingDays": 15, "reason": "surveyor", "goodReasonForLonger": "Only surveyor booked for 25 January",
		"keepInformed": map[string]any{"everyWorkingDays": 5, "agreedOn": "2026-12-24"}}, "2026-12-24")
	if ok.Status != 200 || ok.Body["respondBy"] != "2027-02-02" || ok.Body["letter"] == nil {
		t.Fatalf("15 WD with a good reason at stage 1: %d %s", ok.Status, ok.Raw)
	}
	f.staff("POST /complaints/{reference}/response", ref, managerA, map[string]any{"decision": "not-upheld", "reasons": "r"}, "2027-01-08")
	f.call(testsupport.Request{Route: "POST /complaints/{reference}/escalation", Path: map[string]string{"reference": ref}, Token: token, At: day("2027-01-11")})
	f.staff("POST /complaints/{reference}/acknowledgement", ref, managerB, map[string]any{"definition": "d", "outcomesSought": "o"}, "2027-01-11")
	f.wantProblem(f.staff("POST /complaints/{reference}/extension", ref, managerB, map[string]any{"workingDays": 25, "reason": "review"}, "2027-01-12"), 422, "CH-5")
	f.wantProblem(f.staff("POST /complaints/{reference}/extension", ref, managerB, map[string]any{"workingDays": 25, "reason": "review", "goodReasonForLonger": "Independent reviewer"}, "2027-01-12"), 422, "CH-5")
	ok = f.staff("POST /complaints/{reference}/extension", ref, managerB, map[string]any{"workingDays": 25, "reason": "review", "goodReasonForLonger": "Independent reviewer",
		"keepInformed": map[string]any{"everyWorkingDays": 10, "agreedOn": "2027-01-12", "how": "email"}}, "2027-01-12")
	if ok.Status != 200 || ok.Body["respondBy"] != "2027-03-15" {
		t.Fatalf("25 WD with a good reason at stage 2: %d %s", ok.Status, ok.Raw)
	}
}

// CH-5: the manager who handled stage 1 never handles stage 2, whatever name they type; officers cannot
// handle stage 2 at all (403).
func TestCH5_Stage2ByAnotherManager(t *testing.T) {
	f := newFixture(t)
	ref, token := f.submitted()
	f.staff("POST /complaints/{reference}/acknowledgement", ref, managerA, map[string]any{"definition": "d", "outcomesSought": "o", "handler": "Alex"}, "2026-12-24")
	f.staff("POST /complaints/{reference}/response", ref, managerA, map[string]any{"decision": "not-upheld", "reasons": "r"}, "2027-01-08")
	f.call(testsupport.Request{Route: "POST /complaints/{reference}/escalation", Path: map[string]string{"reference": ref}, Token: token, At: day("2027-01-11")})
	for _, name := range []string{"Alex", "Blake", ""} {
		f.wantProblem(f.staff("POST /complaints/{reference}/acknowledgement", ref, managerA, map[string]any{"definition": "d", "outcomesSought": "o", "handler": name}, "2027-01-11"), 422, "CH-5")
	}
	f.wantProblem(f.staff("POST /complaints/{reference}/acknowledgement", ref, officerA, map[string]any{"definition": "d", "outcomesSought": "o"}, "2027-01-11"), 403, "CH-5")
	if r := f.staff("POST /complaints/{reference}/acknowledgement", ref, managerB, map[string]any{"definition": "d", "outcomesSought": "o", "handler": "Alex"}, "2027-01-11"); r.Status != 200 {
		t.Fatalf("another manager: %d %s", r.Status, r.Raw)
	}
	f.wantProblem(f.staff("POST /complaints/{reference}/response", ref, managerA, map[string]any{"decision": "upheld", "reasons": "r"}, "2027-01-12"), 422, "CH-5")
	final := f.staff("POST /complaints/{reference}/response", ref, managerB, map[string]any{"decision": "upheld", "reasons": "r"}, "2027-01-12")
	if final.Status != 200 || final.Body["status"] != "closed" {
		t.Fatalf("stage 2 response: %d %s", final.Status, final.Raw)
	}
}

// CH-2, CH-1, CH-7: refusals, service requests and related points through their routes; the catalog's
// groups guard every staff route (401, 403).
func TestStaffRoutes(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.submitted()
	f.wantProblem(f.staff("POST /complaints/{reference}/refusal", ref, nil, map[string]any{}, "2026-12-24"), 401, "")
	f.wantProblem(f.staff("POST /complaints/{reference}/refusal", ref, testsupport.Staff("x", catalog.GroupASBOfficer), map[string]any{}, "2026-12-24"), 403, "")
	f.wantProblem(f.staff("POST /complaints/{reference}/refusal", ref, officerA, map[string]any{"exclusion": "too-busy"}, "2026-12-24"), 400, "", "exclusion", "explanation")
	if r := f.staff("POST /complaints/{reference}/related-points", ref, officerA, map[string]any{"points": "And the tap"}, "2026-12-24"); r.Status != 200 || len(r.Body["timeline"].([]any)) != 1 {
		t.Errorf("related points: %d %s", r.Status, r.Raw)
	}
	if r := f.staff("POST /complaints/{reference}/service-request", ref, officerA, map[string]any{"note": "A repair request", "dueOn": "2027-01-08"}, "2026-12-24"); r.Status != 200 || r.Body["status"] != "service-request" {
		t.Errorf("service request: %d %s", r.Status, r.Raw)
	}
	f.wantProblem(f.staff("POST /complaints/{reference}/refusal", ref, officerA, map[string]any{"exclusion": "legal-proceedings", "explanation": "x"}, "2026-12-24"), 409, "CH-1")
	rec := f.call(testsupport.Request{Route: "GET /complaints/{reference}/record", Path: map[string]string{"reference": ref}, Claims: officerA})
	if rec.Status != 200 || rec.Body["contact"].(map[string]any)["email"] != "sam@example.org" {
		t.Errorf("record with the contact in the one shape: %d %s", rec.Status, rec.Raw)
	}
	list := f.call(testsupport.Request{Route: "GET /complaints", Query: map[string]string{"status": "service-request"}, Claims: officerA})
	if list.Status != 200 || len(list.Body["items"].([]any)) != 1 {
		t.Errorf("list: %d %s", list.Status, list.Raw)
	}
	f.wantProblem(f.call(testsupport.Request{Route: "GET /complaints", Query: map[string]string{"status": "lost", "limit": "0"}, Claims: officerA}), 400, "", "status", "limit")
}

// CH-10: the annual report is for complaints managers, for a financial year.
func TestCH10_AnnualReport(t *testing.T) {
	f := newFixture(t)
	f.submitted()
	r := f.call(testsupport.Request{Route: "GET /reports/complaints", Query: map[string]string{"year": "2026"}, Claims: managerA})
	if r.Status != 200 || r.Body["financialYear"] != "2026-27" || r.Body["stage1"].(map[string]any)["received"] != float64(1) {
		t.Errorf("report: %d %s", r.Status, r.Raw)
	}
	f.wantProblem(f.call(testsupport.Request{Route: "GET /reports/complaints", Query: map[string]string{"year": "26"}, Claims: managerA}), 400, "", "year")
	f.wantProblem(f.call(testsupport.Request{Route: "GET /reports/complaints", Query: map[string]string{"year": "2026"}, Claims: officerA}), 403, "")
}

func (f *fixture) letterTo(i int) map[string]string { return f.request(i).Personalisation }

// request is the i-th notification request in the outbox.
func (f *fixture) request(i int) notification.Request {
	f.t.Helper()
	var req notification.Request
	if err := json.Unmarshal(f.outbox.Delivered[i].Body, &req); err != nil {
		f.t.Fatal(err)
	}
	return req
}

// CH-4 (source §3.1, §3.2, §5.12): complaints staff log a complaint received by letter ten days ago; the
// acknowledgement is due 5 WD from the day it arrived; no access token is given; the complainant is told.
func TestCH4_StaffLogsAComplaint(t *testing.T) {
	f := newFixture(t)
	body := form()
	body["channel"], body["receivedOn"] = "letter", "2026-12-13"
	r := f.call(testsupport.Request{Route: "POST /complaints/logged", Body: testsupport.JSON(body), Claims: officerA, At: day("2026-12-23")})
	c, _ := r.Body["complaint"].(map[string]any)
	if r.Status != http.StatusCreated || c["channel"] != "letter" || c["stages"].([]any)[0].(map[string]any)["acknowledgeBy"] != "2026-12-18" ||
		r.Body["accessToken"] != nil || c["loggedBy"].(map[string]any)["id"] != "officer-a" {
		t.Fatalf("logged: %d %s", r.Status, r.Raw)
	}
	if d := r.Body["openDeadlines"].([]any); len(d) != 1 || d[0].(map[string]any)["due"] != "2026-12-18" {
		t.Errorf("deadline from the day received: %v", d)
	}
	if len(f.outbox.Delivered) != 1 || f.outbox.Delivered[0].ID != c["reference"].(string)+"#received" {
		t.Errorf("the complainant is told: %+v", f.outbox.Delivered)
	}
	body["receivedOn"], body["channel"] = "2026-12-24", "carrier-pigeon"
	f.wantProblem(f.call(testsupport.Request{Route: "POST /complaints/logged", Body: testsupport.JSON(body), Claims: officerA, At: day("2026-12-23")}), 400, "", "channel", "receivedOn")
	f.wantProblem(f.call(testsupport.Request{Route: "POST /complaints/logged", Body: testsupport.JSON(body), Claims: testsupport.Staff("x", catalog.GroupASBOfficer)}), 403, "")
}

// CH-5 (source §6.10-6.12): staff escalate for a resident who phoned; an officer may, as the request is the
// resident's; the stage 2 acknowledgement is 5 WD from the day of the call.
func TestCH5_StaffEscalatesOnTheResidentsBehalf(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.submitted()
	f.staff("POST /complaints/{reference}/acknowledgement", ref, managerA, map[string]any{"definition": "d", "outcomesSought": "o"}, "2026-12-24")
	f.wantProblem(f.staff("POST /complaints/{reference}/escalation-on-behalf", ref, officerA, map[string]any{"channel": "phone", "requestedOn": "2027-01-11"}, "2027-01-12"), 409, "CH-5")
	f.staff("POST /complaints/{reference}/response", ref, managerA, map[string]any{"decision": "not-upheld", "reasons": "r"}, "2027-01-08")
	r := f.staff("POST /complaints/{reference}/escalation-on-behalf", ref, officerA, map[string]any{"channel": "phone", "requestedOn": "2027-01-11", "note": "Still cold"}, "2027-01-12")
	if r.Status != 200 || r.Body["stage"] != float64(2) || r.Body["status"] != "escalated" || r.Body["openDeadlines"].([]any)[0].(map[string]any)["due"] != "2027-01-18" {
		t.Fatalf("escalated on behalf: %d %s", r.Status, r.Raw)
	}
	if last := f.outbox.Delivered[len(f.outbox.Delivered)-1]; last.ID != ref+"#escalated" {
		t.Errorf("the resident is told: %+v", last)
	}
}

// Source §5.6, §5.7, §3.7: the acknowledgement letter goes to the complainant with the definition, the aspects
// and the landlord's contact details from the service's settings; a clarification request is recorded and sent.
func TestCode5_6_AcknowledgementAndClarificationLetters(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.submitted()
	q := f.staff("POST /complaints/{reference}/clarification", ref, officerA, map[string]any{"question": "Which visit was missed first?"}, "2026-12-23")
	if q.Status != 200 || q.Body["letter"].(map[string]any)["kind"] != "clarification" || len(q.Body["complaint"].(map[string]any)["clarifications"].([]any)) != 1 {
		t.Fatalf("clarification: %d %s", q.Status, q.Raw)
	}
	a := f.staff("POST /complaints/{reference}/clarification-answer", ref, officerA, map[string]any{"answer": "The one on 2 December"}, "2026-12-24")
	if a.Status != 200 || a.Body["complaint"].(map[string]any)["clarifications"].([]any)[0].(map[string]any)["answer"] != "The one on 2 December" {
		t.Fatalf("answer: %d %s", a.Status, a.Raw)
	}
	f.wantProblem(f.staff("POST /complaints/{reference}/clarification-answer", ref, officerA, map[string]any{"answer": "x"}, "2026-12-24"), 409, "CH-9")
	ack := f.staff("POST /complaints/{reference}/acknowledgement", ref, officerA, map[string]any{"definition": "Missed visits", "outcomesSought": "Fixed",
		"notResponsibleFor": []any{map[string]any{"aspect": "The gas meter", "whoIsResponsible": "The gas supplier"}}}, "2026-12-24")
	text, _ := ack.Body["letter"].(map[string]any)["text"].(string)
	for _, want := range []string{"Missed visits", "The gas meter: The gas supplier", "Tuesday 12 January 2027", "01632 960000", "housing@council.example", "0300 111 3000"} {
		if !strings.Contains(text, want) {
			t.Errorf("acknowledgement letter lacks %q:\n%s", want, text)
		}
	}
	if p := f.letterTo(len(f.outbox.Delivered) - 1); p["letter"] != text || !strings.Contains(p["subject"], "logged it at stage 1") {
		t.Errorf("the letter goes to the complainant: %v", p)
	}
}

// CH-8: remedies and actions are tracked; completing one is a staff route naming it; the resident gets an update.
func TestCH8_CompletingAnAction(t *testing.T) {
	f := newFixture(t)
	ref, token := f.submitted()
	f.staff("POST /complaints/{reference}/acknowledgement", ref, officerA, map[string]any{"definition": "d", "outcomesSought": "o"}, "2026-12-24")
	r := f.staff("POST /complaints/{reference}/response", ref, officerA, map[string]any{"decision": "upheld", "reasons": "r",
		"remedies":           []any{map[string]any{"description": "An apology", "dueOn": "2027-01-08", "done": true}},
		"outstandingActions": []any{map[string]any{"description": "Replace the boiler", "dueOn": "2027-01-29", "owner": "gas-1"}}}, "2027-01-08")
	if r.Status != 200 || len(r.Body["complaint"].(map[string]any)["items"].([]any)) != 2 {
		t.Fatalf("response: %d %s", r.Status, r.Raw)
	}
	dl := r.Body["openDeadlines"].([]any)
	if len(dl) != 1 || dl[0].(map[string]any)["name"] != "item:A1" || dl[0].(map[string]any)["owner"] != "gas-1" {
		t.Errorf("the open action is a deadline: %v", dl)
	}
	route := "POST /complaints/{reference}/actions/{actionId}/completion"
	done := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref, "actionId": "A1"}, Claims: officerA,
		Body: `{"note":"New boiler fitted"}`, At: day("2027-01-20")})
	if done.Status != 200 || len(done.Body["openDeadlines"].([]any)) != 0 || done.Body["letter"].(map[string]any)["kind"] != "update" {
		t.Fatalf("completion: %d %s", done.Status, done.Raw)
	}
	again := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref, "actionId": "A1"}, Claims: officerA, Body: `{}`, At: day("2027-01-20")})
	f.wantProblem(again, 409, "CH-8")
	unknown := f.call(testsupport.Request{Route: route, Path: map[string]string{"reference": ref, "actionId": "A7"}, Claims: officerA, Body: `{}`, At: day("2027-01-20")})
	f.wantProblem(unknown, 404, "")
	v := f.call(testsupport.Request{Route: "GET /complaints/{reference}", Path: map[string]string{"reference": ref}, Token: token})
	if items := v.Body["items"].([]any); len(items) != 2 || items[1].(map[string]any)["status"] != "done" {
		t.Errorf("the resident sees the items: %s", v.Raw)
	}
	list := f.call(testsupport.Request{Route: "GET /complaints", Claims: officerA})
	if list.Body["items"].([]any)[0].(map[string]any)["openItems"] != float64(0) {
		t.Errorf("list: %s", list.Raw)
	}
}

// Source §5.10, §5.14: adjustments are recorded by complaints staff, shown in the list and carried with every
// letter's notification; restrictions are a complaints manager's (403 for officers), each with a review deadline.
func TestCode5_10_5_14_AdjustmentsAndRestrictions(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.submitted()
	adj := f.staff("POST /complaints/{reference}/adjustments", ref, officerA, map[string]any{"agreed": []string{"Letters in large print"},
		"disclosedDisabilities": "Partially sighted", "reviewOn": "2027-03-01"}, "2026-12-23")
	if adj.Status != 200 || adj.Body["complaint"].(map[string]any)["adjustments"].(map[string]any)["reviewOn"] != "2027-03-01" {
		t.Fatalf("adjustments: %d %s", adj.Status, adj.Raw)
	}
	if strings.Contains(testsupport.JSON(adj.Body["timeline"]), "Partially sighted") {
		t.Errorf("special category data on the timeline: %s", adj.Raw)
	}
	list := f.call(testsupport.Request{Route: "GET /complaints", Claims: officerA})
	if flags := list.Body["items"].([]any)[0].(map[string]any)["flags"].([]any); !slices.Contains(flags, any("reasonable-adjustments")) {
		t.Errorf("the list shows the adjustments flag: %v", flags)
	}
	f.staff("POST /complaints/{reference}/acknowledgement", ref, officerA, map[string]any{"definition": "d", "outcomesSought": "o"}, "2026-12-24")
	if p := f.letterTo(len(f.outbox.Delivered) - 1); p["adjustments"] != "Letters in large print" {
		t.Errorf("the letter's notification carries the adjustments: %v", p)
	}
	body := map[string]any{"reasons": "Abusive calls", "scope": "Email to one officer only", "equalityConsidered": "Considered", "reviewOn": "2027-03-01"}
	f.wantProblem(f.staff("POST /complaints/{reference}/restriction", ref, officerA, body, "2026-12-24"), 403, "")
	r := f.staff("POST /complaints/{reference}/restriction", ref, managerA, body, "2026-12-24")
	names := []string{}
	for _, d := range r.Body["openDeadlines"].([]any) {
		names = append(names, d.(map[string]any)["name"].(string))
	}
	if r.Status != 200 || !slices.Contains(names, "restriction-review") || !slices.Contains(names, "adjustments-review") {
		t.Fatalf("restriction: %d %v %s", r.Status, names, r.Raw)
	}
}

// Source §3.6: a complaint made for someone else is written to the resident and the representative, unless the
// resident asked that only the representative be.
func TestCode3_6_RepresentativeAndResidentBothWrittenTo(t *testing.T) {
	f := newFixture(t)
	body := form()
	body["representative"] = map[string]any{"name": "Pat Advocate", "email": "pat@example.org", "consent": true, "relationship": "advocate"}
	r := f.call(testsupport.Request{Route: "POST /complaints", Body: testsupport.JSON(body), At: day("2026-12-23")})
	ref := r.Body["reference"].(string)
	if len(f.outbox.Delivered) != 2 || f.outbox.Delivered[0].ID != ref+"#received" || f.outbox.Delivered[1].ID != ref+"#received#representative" {
		t.Fatalf("both told: %+v", f.outbox.Delivered)
	}
	body["representative"].(map[string]any)["residentNotCopied"] = true
	f.call(testsupport.Request{Route: "POST /complaints", Body: testsupport.JSON(body), At: day("2026-12-23")})
	if len(f.outbox.Delivered) != 3 || !strings.HasSuffix(f.outbox.Delivered[2].ID, "#received#representative") {
		t.Errorf("only the representative: %+v", f.outbox.Delivered[2:])
	}
}

// CH-1 (source §1.4, §1.5): a service request has an owner and a due date (a deadline) until it is done; a
// complaint about how it is handled is logged with it named, and the request goes on.
func TestCH1_ServiceRequestTrackedAndComplainedAbout(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.submitted()
	sr := f.staff("POST /complaints/{reference}/service-request", ref, officerA, map[string]any{"note": "Repair appointment", "dueOn": "2027-01-08", "owner": "repairs-1"}, "2026-12-24")
	if d := sr.Body["openDeadlines"].([]any); sr.Status != 200 || len(d) != 1 || d[0].(map[string]any)["owner"] != "repairs-1" {
		t.Fatalf("service request: %d %s", sr.Status, sr.Raw)
	}
	body := form()
	body["channel"], body["receivedOn"], body["aboutServiceRequest"] = "phone", "2026-12-29", ref
	about := f.call(testsupport.Request{Route: "POST /complaints/logged", Body: testsupport.JSON(body), Claims: officerA, At: day("2026-12-29")})
	if about.Status != 201 || about.Body["complaint"].(map[string]any)["aboutServiceRequest"] != ref {
		t.Fatalf("complaint about the service request: %d %s", about.Status, about.Raw)
	}
	other := about.Body["reference"].(string)
	body["aboutServiceRequest"] = other // a complaint, not a service request
	f.wantProblem(f.call(testsupport.Request{Route: "POST /complaints/logged", Body: testsupport.JSON(body), Claims: officerA, At: day("2026-12-29")}), 422, "CH-1")
	still := f.call(testsupport.Request{Route: "GET /complaints/{reference}/record", Path: map[string]string{"reference": ref}, Claims: officerA})
	if len(still.Body["openDeadlines"].([]any)) != 1 {
		t.Errorf("the service request goes on: %s", still.Raw)
	}
	done := f.staff("POST /complaints/{reference}/service-request/completion", ref, officerA, map[string]any{"outcome": "Boiler repaired on 5 January"}, "2027-01-05")
	if done.Status != 200 || len(done.Body["openDeadlines"].([]any)) != 0 {
		t.Fatalf("done: %d %s", done.Status, done.Raw)
	}
	f.wantProblem(f.staff("POST /complaints/{reference}/service-request/completion", ref, officerA, map[string]any{"outcome": "x"}, "2027-01-05"), 409, "CH-1")
}

// Source 004 §5.9 through the routes: intervals for keeping the resident informed while a response is late, each
// update a letter; a response that is not awaited refuses them (409, the stage's rule).
func TestCode5_9_KeepInformedRoute(t *testing.T) {
	f := newFixture(t)
	ref, _ := f.submitted()
	f.wantProblem(f.staff("POST /complaints/{reference}/keep-informed", ref, officerA, map[string]any{"everyWorkingDays": 5, "agreedOn": "2026-12-23"}, "2026-12-23"), 409, "CH-4")
	f.staff("POST /complaints/{reference}/acknowledgement", ref, officerA, map[string]any{"definition": "d", "outcomesSought": "o"}, "2026-12-24")
	f.wantProblem(f.staff("POST /complaints/{reference}/keep-informed", ref, officerA, map[string]any{"progress": "x"}, "2027-01-13"), 400, "", "everyWorkingDays", "agreedOn")
	r := f.staff("POST /complaints/{reference}/keep-informed", ref, officerA, map[string]any{"everyWorkingDays": 3, "agreedOn": "2027-01-13", "how": "by phone",
		"progress": "The contractor's report is due on Friday"}, "2027-01-13")
	d := r.Body["openDeadlines"].([]any)
	if r.Status != 200 || len(d) != 2 || d[1].(map[string]any)["name"] != "stage1-update" || d[1].(map[string]any)["due"] != "2027-01-18" ||
		!strings.Contains(r.Body["letter"].(map[string]any)["text"].(string), "The contractor's report is due on Friday") {
		t.Fatalf("keep informed: %d %s", r.Status, r.Raw)
	}
	if last := f.outbox.Delivered[len(f.outbox.Delivered)-1]; last.ID != ref+"#letter-2" {
		t.Errorf("the letter goes to the resident: %+v", last)
	}
}

// Source 004 §8.1 through the routes: a complaints manager records the year's self-assessment, and the annual
// report carries it; before that the report says it is not filled in. Officers can do neither.
func TestCode8_1_SelfAssessmentRouteAndReport(t *testing.T) {
	f := newFixture(t)
	report := func() map[string]any {
		r := f.call(testsupport.Request{Route: "GET /reports/complaints", Query: map[string]string{"year": "2026"}, Claims: managerA, At: day("2027-05-04")})
		if r.Status != 200 {
			t.Fatalf("report: %d %s", r.Status, r.Raw)
		}
		return r.Body["selfAssessment"].(map[string]any)
	}
	if s := report(); s["status"] != "not-recorded" || !strings.Contains(s["note"].(string), "Not yet filled in") {
		t.Fatalf("before: %v", s)
	}
	body := map[string]any{"financialYear": 2026, "sections": []any{map[string]any{"section": "6.3", "complies": "no", "evidence": "Policy says 20 WD", "actions": "New policy"}},
		"ombudsmanReports": []any{map[string]any{"title": "Annual landlord performance report 2026-27", "published": "2027-04-30", "summary": "Two findings"}}}
	f.wantProblem(f.call(testsupport.Request{Route: "POST /reports/complaints/self-assessment", Body: testsupport.JSON(body), Claims: officerA, At: day("2027-05-04")}), 403, "")
	r := f.call(testsupport.Request{Route: "POST /reports/complaints/self-assessment", Body: testsupport.JSON(body), Claims: managerA, At: day("2027-05-04")})
	if r.Status != 200 || r.Body["status"] != "incomplete" || r.Body["revision"] != float64(1) {
		t.Fatalf("recorded: %d %s", r.Status, r.Raw)
	}
	if s := report(); s["status"] != "incomplete" || len(s["notComplying"].([]any)) != 1 || len(s["ombudsmanReports"].([]any)) != 1 {
		t.Fatalf("after: %v", s)
	}
	body["sections"] = []any{map[string]any{"section": "6.18", "complies": "maybe"}}
	f.wantProblem(f.call(testsupport.Request{Route: "POST /reports/complaints/self-assessment", Body: testsupport.JSON(body), Claims: managerA, At: day("2027-05-04")}),
		400, "", "sections[0].complies", "sections[0].evidence", "sections[0].section")
}

// recipient is the addressee of the i-th message in the outbox.
func (f *fixture) recipient(i int) notification.Recipient { return f.request(i).To }

// Source 004 §5.10 and §3.6 through the routes: letters go the way agreed (post instead of email, in large print)
// to the resident, and to a representative by post; an adjustment the contact details cannot carry is refused.
func TestCode5_10_Code3_6_LettersSentTheWayAgreed(t *testing.T) {
	f := newFixture(t)
	body := form()
	body["complainant"] = map[string]any{"name": "Sam Example", "email": "sam@example.org", "address": "1 Example Road", "postcode": "NN1 1DE"}
	body["representative"] = map[string]any{"name": "Pat Advocate", "address": "2 Advice Lane, Northtown", "postcode": "NN1 2AB", "consent": true}
	r := f.call(testsupport.Request{Route: "POST /complaints", Body: testsupport.JSON(body), At: day("2026-12-23")})
	ref := r.Body["reference"].(string)
	if rep := f.recipient(1); r.Status != 201 || rep.PreferredContact != "letter" || rep.Name != "Pat Advocate" || rep.Postcode != "NN1 2AB" || rep.Email != "" {
		t.Fatalf("the representative by post: %d %+v", r.Status, rep)
	}
	f.wantProblem(f.staff("POST /complaints/{reference}/adjustments", ref, officerA, map[string]any{"agreed": []any{}, "sendBy": "sms", "reviewOn": "2027-02-01"}, "2026-12-24"), 400, "", "sendBy")
	ok := f.staff("POST /complaints/{reference}/adjustments", ref, officerA, map[string]any{"agreed": []any{"Letters by post, in large print"}, "sendBy": "letter",
		"format": "large-print", "reviewOn": "2027-02-01"}, "2026-12-24")
	if ok.Status != 200 {
		t.Fatalf("adjustments: %d %s", ok.Status, ok.Raw)
	}
	n := len(f.outbox.Delivered)
	f.staff("POST /complaints/{reference}/acknowledgement", ref, officerA, map[string]any{"definition": "d", "outcomesSought": "o"}, "2026-12-24")
	resident, rep := f.recipient(n), f.recipient(n+1)
	if resident.PreferredContact != "letter" || resident.Format != "large-print" || resident.Address != "1 Example Road" || rep.Format != "" || rep.PreferredContact != "letter" {
		t.Errorf("the acknowledgement: resident %+v, representative %+v", resident, rep)
	}
}
