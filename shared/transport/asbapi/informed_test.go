package asbapi_test

import (
	"encoding/json"
	"testing"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/testsupport"
)

// sentSince are the notification requests delivered after the first n messages.
func (f fixture) sentSince(t *testing.T, n int) []notification.Request {
	t.Helper()
	var out []notification.Request
	for _, m := range f.outbox.Delivered[n:] {
		var r notification.Request
		if err := json.Unmarshal(m.Body, &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// oneSent checks that exactly one message went since n, to the reporter, with template and the personalisation
// given; it returns the new count.
func (f fixture) oneSent(t *testing.T, n int, template string, want map[string]string) int {
	t.Helper()
	sent := f.sentSince(t, n)
	if len(sent) != 1 || sent[0].Template != template || sent[0].To.Email != "alex@example.org" {
		t.Fatalf("want one %s to the reporter, sent %+v", template, sent)
	}
	for k, v := range want {
		if sent[0].Personalisation[k] != v {
			t.Errorf("%s: %s = %q, want %q", template, k, sent[0].Personalisation[k], v)
		}
	}
	return len(f.outbox.Delivered)
}

// ASB-5, ASB-9 (source 002: "ensure reporters are kept updated"): the named reporter hears of the appointment,
// the action plan agreed, each review and the closure with the survey, which they answer with the case's token;
// their answers count in the month's satisfaction measures.
func TestASB5_ReporterKeptInformed(t *testing.T) {
	f := newFixture()
	ref, token := f.report(t, noise())
	n := len(f.outbox.Delivered) // the acknowledgement

	f.act(t, ref, "appointment", map[string]any{"appointmentOn": "2026-11-25"}, officer)
	n = f.oneSent(t, n, notification.ASBAppointment, map[string]string{"appointment_on": "2026-11-25", "reference": ref})

	f.act(t, ref, "risk-assessment", map[string]any{"checklist": checklist()}, officer)
	if len(f.outbox.Delivered) != n {
		t.Fatal("the first assessment is not a review")
	}
	f.act(t, ref, "risk-assessment", map[string]any{"checklist": checklist("repeatVictim")}, officer)
	n = f.oneSent(t, n, notification.ASBReview, map[string]string{"next_review_on": "2026-12-07"})

	wantProblem(t, f.act(t, ref, "action-plan/agreement", map[string]any{"summary": "A letter"}, officer), 422, "ASB-5")
	f.act(t, ref, "actions", map[string]any{"tool": "warning-letter", "description": "Write to Jo at flat 4", "dueOn": "2026-11-27"}, officer)
	wantProblem(t, f.act(t, ref, "action-plan/agreement", map[string]any{"summary": ""}, officer), 400, "", "summary")
	wantProblem(t, f.act(t, "ASB-0000-0000", "action-plan/agreement", map[string]any{"summary": "A letter"}, officer), 404, "")
	if r := f.act(t, ref, "action-plan/agreement", map[string]any{"summary": "A letter first"}, officer); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	n = f.oneSent(t, n, notification.ASBActionPlan, map[string]string{"actions": "warning letter by 2026-11-27", "summary": "A letter first"})

	survey := map[string]any{"handling": 4, "outcome": 5, "comments": "Thank you"}
	wantProblem(t, f.resident(t, ref, token, "satisfaction", survey), 409, "ASB-9")
	f.act(t, ref, "actions/A1/completion", nil, officer)
	f.act(t, ref, "closure", map[string]any{"outcome": "The music stopped"}, officer)
	n = f.oneSent(t, n, notification.ASBCaseClosed, map[string]string{"outcome": "The music stopped", "survey_path": "/progress/" + ref + "#survey", "sign_in_path": "/progress/sign-in?ref=" + ref})

	wantProblem(t, f.resident(t, ref, token, "satisfaction", map[string]any{"handling": 0, "outcome": 6, "comments": string(make([]byte, 2001))}), 400, "",
		"handling", "outcome", "comments")
	wantProblem(t, f.resident(t, ref, "wrong", "satisfaction", survey), 404, "")
	r := f.resident(t, ref, token, "satisfaction", survey)
	if r.Status != 200 || r.Body["satisfaction"].(map[string]any)["outcome"] != 5.0 || r.Body["surveyPath"] != nil {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.resident(t, ref, token, "satisfaction", survey), 409, "ASB-9")
	month := f.call(t, testsupport.Request{Route: "GET /reports/asb", Query: map[string]string{"month": "2026-11"}, Claims: manager})
	if h := month.Body["satisfactionWithCaseHandling"].(map[string]any); h["responses"] != 1.0 || h["satisfied"] != 1.0 {
		t.Fatalf("monthly: %s", month.Raw)
	}
	got := f.call(t, testsupport.Request{Route: "GET /asb/cases/{reference}", Path: map[string]string{"reference": ref}, Claims: officer})
	if s := got.Body["case"].(map[string]any)["survey"].(map[string]any); s["source"] != "reporter" || s["comments"] != "Thank you" {
		t.Fatalf("survey: %s", got.Raw)
	}
}

// ASB-2: an anonymous reporter is told nothing (there is no one to tell).
func TestASB2_AnonymousReporterIsNotMessaged(t *testing.T) {
	f := newFixture()
	body := noise()
	body["anonymous"] = true
	delete(body, "reporter")
	ref, _ := f.report(t, body)
	n := len(f.outbox.Delivered)
	f.act(t, ref, "appointment", map[string]any{"appointmentOn": "2026-11-25"}, officer)
	f.act(t, ref, "closure", map[string]any{"outcome": "No further reports"}, officer)
	if len(f.outbox.Delivered) != n {
		t.Fatalf("messages for an anonymous report: %+v", f.sentSince(t, n))
	}
}
