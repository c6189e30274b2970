package asbapi_test

import (
	"testing"

	"github.com/councilhousing/backend/shared/testsupport"
)

// resident is the reporter acting on their case with its access token.
func (f fixture) resident(t *testing.T, ref, token, path string, body any) testsupport.Response {
	t.Helper()
	req := testsupport.Request{Route: "POST /asb/reports/{reference}/" + path, Path: map[string]string{"reference": ref}, Token: token}
	if body != nil {
		req.Body = testsupport.JSON(body)
	}
	return f.call(t, req)
}

// ASB-7: a reporter with 3 reports in 6 months (here one case and two further reports of it) asks for a case
// review with the case's token: 400 lists the fields, a wrong token or reference is a 404, fewer reports a 422,
// a second request while one is open a 409; the request is the asb-manager team's deadline and on the timeline;
// only a manager records the outcome; the monthly report counts both.
func TestASB7_CaseReviewRoutes(t *testing.T) {
	f := newFixture()
	ref, token := f.report(t, noise())
	wantProblem(t, f.resident(t, ref, token, "case-review", map[string]any{"reason": "Nothing changes"}), 422, "ASB-7")
	f.report(t, noise())
	f.report(t, noise()) // two further reports of the same problem: three reports in six months
	wantProblem(t, f.resident(t, ref, token, "case-review", map[string]any{"reason": " "}), 400, "", "reason")
	wantProblem(t, f.resident(t, ref, "wrong-token", "case-review", map[string]any{"reason": "Nothing changes"}), 404, "")
	wantProblem(t, f.resident(t, "ASB-0000-0000", token, "case-review", map[string]any{"reason": "Nothing changes"}), 404, "")
	r := f.resident(t, ref, token, "case-review", map[string]any{"reason": "Nothing changes"})
	review, _ := r.Body["caseReview"].(map[string]any)
	if r.Status != 200 || review["dueOn"] != "2026-12-07" || review["outcome"] != nil {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.resident(t, ref, token, "case-review", map[string]any{"reason": "Again"}), 409, "ASB-7")

	got := f.call(t, testsupport.Request{Route: "GET /asb/cases/{reference}", Path: map[string]string{"reference": ref}, Claims: officer})
	found := false
	for _, d := range got.Body["openDeadlines"].([]any) {
		d := d.(map[string]any)
		found = found || (d["name"] == "case-review" && d["team"] == "asb-manager" && d["due"] == "2026-12-07" && d["rule"] == "ASB-7")
	}
	if !found || got.Body["timeline"].([]any)[0].(map[string]any)["action"] != "case-review-requested" {
		t.Fatalf("deadline or timeline: %s", got.Raw)
	}

	outcome := map[string]any{"outcome": "recommendations", "findings": "Visits were missed", "recommendations": []string{"Visit weekly"}}
	wantProblem(t, f.act(t, ref, "case-review/outcome", outcome, officer), 403, "")
	wantProblem(t, f.act(t, ref, "case-review/outcome", map[string]any{"outcome": "perhaps"}, manager), 400, "", "outcome", "findings")
	wantProblem(t, f.act(t, "ASB-0000-0000", "case-review/outcome", outcome, manager), 404, "")
	if r := f.act(t, ref, "case-review/outcome", outcome, manager); r.Status != 200 || r.Body["case"].(map[string]any)["caseReview"].(map[string]any)["outcome"] != "recommendations" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.act(t, ref, "case-review/outcome", outcome, manager), 409, "ASB-7")
	status := f.call(t, testsupport.Request{Route: "GET /asb/reports/{reference}", Path: map[string]string{"reference": ref}, Token: token})
	if status.Body["caseReview"].(map[string]any)["recommendations"].([]any)[0] != "Visit weekly" {
		t.Fatalf("reporter's view: %s", status.Raw)
	}

	month := f.call(t, testsupport.Request{Route: "GET /reports/asb", Query: map[string]string{"month": "2026-11"}, Claims: manager})
	counts := month.Body["caseReviews"].(map[string]any)
	if counts["requested"] != 1.0 || counts["decided"] != 1.0 || counts["outcomes"].(map[string]any)["recommendations"] != 1.0 {
		t.Fatalf("monthly: %s", month.Raw)
	}
}

// ASB-9: an eviction is recorded at closure after a possession action, and counted in the month's report.
func TestASB9_EvictionAtClosure(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	wantProblem(t, f.act(t, ref, "closure", map[string]any{"outcome": "Evicted", "evicted": true}, officer), 400, "", "evicted")
	f.act(t, ref, "actions", map[string]any{"tool": "possession", "description": "Seek possession", "dueOn": "2026-11-27"}, officer)
	if r := f.act(t, ref, "actions/A1/completion", nil, officer); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := f.act(t, ref, "closure", map[string]any{"outcome": "Evicted", "evicted": true}, officer); r.Status != 200 || r.Body["case"].(map[string]any)["evicted"] != true {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	month := f.call(t, testsupport.Request{Route: "GET /reports/asb", Query: map[string]string{"month": "2026-11"}, Claims: manager})
	if month.Body["evictionsForAsb"] != 1.0 {
		t.Fatalf("monthly: %s", month.Raw)
	}
}

// Repeat subjects (source 002): a person reported on two cases is found from the second by key.
func TestASBSubjects_RepeatSubjectAcrossCases(t *testing.T) {
	f := newFixture()
	first, _ := f.report(t, noise())
	other := noise()
	other["type"] = "verbal-abuse" // another problem: a case of its own
	second, _ := f.report(t, other)
	if r := f.act(t, first, "subjects", map[string]any{"name": "Jo Bloggs", "tenant": true}, officer); r.Status != 200 || r.Body["subjectCases"] != nil {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.act(t, second, "subjects", map[string]any{"name": "", "postcode": "x"}, officer), 400, "", "name", "postcode")
	wantProblem(t, f.act(t, "ASB-0000-0000", "subjects", map[string]any{"name": "Jo Bloggs"}, officer), 404, "")
	r := f.act(t, second, "subjects", map[string]any{"name": "jo  bloggs", "postcode": "nn1 1de"}, officer)
	if r.Status != 200 || r.Body["subject"].(map[string]any)["id"] != "S1" || len(r.Body["subjectCases"].([]any)) != 1 || r.Body["subjectCases"].([]any)[0] != first {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.act(t, second, "subjects", map[string]any{"name": "Jo Bloggs"}, officer), 400, "", "name")
}

// Casework records through the routes: officers record witnesses, evidence and costs; the reporter sends diary
// entries with their token (a wrong one: 404); the case counts them.
func TestASBRecords_Routes(t *testing.T) {
	f := newFixture()
	ref, token := f.report(t, noise())
	for _, s := range []struct {
		path string
		body map[string]any
	}{
		{"witnesses", map[string]any{"name": "Sam Neighbour", "willGiveEvidence": true}},
		{"evidence", map[string]any{"kind": "noise-recording", "reference": "rec-1.mp3", "obtainedOn": "2026-11-23"}},
		{"costs", map[string]any{"category": "legal", "amountPence": 45000, "description": "Counsel", "incurredOn": "2026-11-23"}},
	} {
		if r := f.act(t, ref, s.path, s.body, officer); r.Status != 200 {
			t.Fatalf("%s: %d %s", s.path, r.Status, r.Raw)
		}
		wantProblem(t, f.act(t, "ASB-0000-0000", s.path, s.body, officer), 404, "")
	}
	wantProblem(t, f.act(t, ref, "costs", map[string]any{"amountPence": 0}, officer), 400, "", "category", "amountPence", "description", "incurredOn")
	entry := map[string]any{"occurredAt": "2026-11-23T01:30:00Z", "description": "Music until 3am"}
	wantProblem(t, f.resident(t, ref, "wrong", "diary", entry), 404, "")
	wantProblem(t, f.resident(t, ref, token, "diary", map[string]any{"occurredAt": "yesterday"}), 400, "", "occurredAt", "description")
	if r := f.resident(t, ref, token, "diary", entry); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	got := f.call(t, testsupport.Request{Route: "GET /asb/cases/{reference}", Path: map[string]string{"reference": ref}, Claims: officer})
	rec := got.Body["case"].(map[string]any)["records"].(map[string]any)
	if rec["witnesses"] != 1.0 || rec["evidence"] != 1.0 || rec["costs"] != 1.0 || rec["costsPence"] != 45000.0 || rec["diaryEntries"] != 1.0 {
		t.Fatalf("records: %v", rec)
	}
}
