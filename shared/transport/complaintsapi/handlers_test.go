package complaintsapi

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/testsupport"
)

// memComplaints is the complaints store in memory, with the list and the annual report's range.
type memComplaints struct {
	*testsupport.Store[complaints.Complaint, complaints.Contact]
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

func (m memComplaints) ReceivedBetween(_ context.Context, from, to time.Time) ([]complaints.Complaint, error) {
	var out []complaints.Complaint
	for _, c := range m.All() {
		if !c.ReceivedAt.Before(from) && c.ReceivedAt.Before(to) {
			out = append(out, c)
		}
	}
	return out, nil
}

type fixture struct {
	t      *testing.T
	store  memComplaints
	outbox *testsupport.Outbox
	h      testsupport.Handler
}

func newFixture(t *testing.T) *fixture {
	store := memComplaints{testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference })}
	outbox := &testsupport.Outbox{}
	api := API{Service: complaintcases.Service{Store: store, Outbox: outbox, Homes: 12000}, Answers: noAnswers{}}
	return &fixture{t: t, store: store, outbox: outbox, h: api.Routes().Handler(catalog.MustFunction("complaint-escalation"))}
}

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
	ok := f.staff("POST /complaints/{reference}/extension", ref, managerA, map[string]any{"workingDays": 15, "reason": "surveyor", "goodReasonForLonger": "Only surveyor booked for 25 January"}, "2026-12-24")
	if ok.Status != 200 || ok.Body["respondBy"] != "2027-02-02" || ok.Body["letter"] == nil {
		t.Fatalf("15 WD with a good reason at stage 1: %d %s", ok.Status, ok.Raw)
	}
	f.staff("POST /complaints/{reference}/response", ref, managerA, map[string]any{"decision": "not-upheld", "reasons": "r"}, "2027-01-08")
	f.call(testsupport.Request{Route: "POST /complaints/{reference}/escalation", Path: map[string]string{"reference": ref}, Token: token, At: day("2027-01-11")})
	f.staff("POST /complaints/{reference}/acknowledgement", ref, managerB, map[string]any{"definition": "d", "outcomesSought": "o"}, "2027-01-11")
	f.wantProblem(f.staff("POST /complaints/{reference}/extension", ref, managerB, map[string]any{"workingDays": 25, "reason": "review"}, "2027-01-12"), 422, "CH-5")
	ok = f.staff("POST /complaints/{reference}/extension", ref, managerB, map[string]any{"workingDays": 25, "reason": "review", "goodReasonForLonger": "Independent reviewer"}, "2027-01-12")
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
	if r := f.staff("POST /complaints/{reference}/service-request", ref, officerA, map[string]any{"note": "A repair request"}, "2026-12-24"); r.Status != 200 || r.Body["status"] != "service-request" {
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
