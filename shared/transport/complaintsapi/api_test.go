package complaintsapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
)

func TestMain(m *testing.M) { emulators.Main(m) }

func complaint() map[string]any {
	return map[string]any{
		"description": "My boiler repair was booked three times and nobody came.", "outcomesSought": "Fix the boiler and apologise",
		"serviceArea": "repairs", "issueDate": "2026-11-02", "legalProceedings": false,
		"complainant": map[string]any{"name": "Sam Example", "email": "sam@example.org", "preferredContact": "email", "language": "en"},
	}
}

func TestComplaintFromSubmissionToStage2Response(t *testing.T) {
	c := localcloud.StartForTest(t, "complaint-escalation")
	c.PinClock(time.Date(2026, 12, 23, 10, 0, 0, 0, time.UTC))
	// Stage 1 is handled by a complaints manager (manager-a), so that CH-5 has to tell two managers apart.
	officer := c.StaffToken(t, "manager-a", "complaints-manager")
	other := c.StaffToken(t, "officer-c", "complaints-officer")
	manager := c.StaffToken(t, "manager-b", "complaints-manager")

	r := c.Call(t, "POST", "/complaints", complaint(), "Idempotency-Key", "c-1")
	if r.Status != 201 || r.JSON["stage"] != float64(1) || r.JSON["status"] != "received" || r.JSON["acknowledgeBy"] != "2027-01-04" {
		t.Fatalf("submit: %d %s", r.Status, r.Raw)
	}
	if again := c.Call(t, "POST", "/complaints", complaint(), "Idempotency-Key", "c-1"); again.JSON["reference"] != r.JSON["reference"] {
		t.Fatalf("idempotent retry made a second complaint: %s", again.Raw)
	}
	ref, token := r.JSON["reference"].(string), "Bearer "+r.JSON["accessToken"].(string)
	path := "/complaints/" + ref

	if v := c.Call(t, "GET", path, nil, "Authorization", token); v.Status != 200 || v.JSON["status"] != "received" {
		t.Fatalf("resident view: %d %s", v.Status, v.Raw)
	}
	for _, h := range [][]string{{"Authorization", "Bearer wrong"}, nil} {
		if v := c.Call(t, "GET", path, nil, h...); v.Status != 404 {
			t.Fatalf("wrong or missing token: %d", v.Status)
		}
	}
	if v := c.Call(t, "POST", path+"/escalation", nil, "Authorization", token); v.Status != 409 || v.JSON["rule"] != "CH-5" {
		t.Fatalf("escalating before the stage 1 response: %d %s", v.Status, v.Raw)
	}
	if v := c.Call(t, "POST", path+"/response", map[string]any{"decision": "upheld", "reasons": "r"}, "Authorization", officer); v.Status != 409 || v.JSON["rule"] != "CH-4" {
		t.Fatalf("responding before acknowledging: %d %s", v.Status, v.Raw)
	}
	c.PinClock(time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC))
	ack := c.Call(t, "POST", path+"/acknowledgement", map[string]any{"definition": "Missed boiler repairs", "outcomesSought": "Boiler fixed", "handler": "Alex Manager"}, "Authorization", officer)
	if ack.Status != 200 || ack.JSON["respondBy"] != "2027-01-12" {
		t.Fatalf("acknowledge: %d %s", ack.Status, ack.Raw)
	}
	// Source 004 §6.4: no more than 10 WD at stage 1 "without good reason" (CH-4).
	long := map[string]any{"workingDays": 15, "reason": "We need an independent surveyor"}
	if v := c.Call(t, "POST", path+"/extension", long, "Authorization", officer); v.Status != 422 || v.JSON["rule"] != "CH-4" {
		t.Fatalf("15 WD extension without a good reason: %d %s", v.Status, v.Raw)
	}
	if v := c.Call(t, "POST", path+"/extension", map[string]any{"workingDays": 5, "reason": "r", "goodReasonForLonger ": "x"}, "Authorization", officer); v.Status != 400 {
		t.Fatalf("a misspelt field must be named, not dropped: %d %s", v.Status, v.Raw)
	}
	long["goodReasonForLonger"] = "The only independent surveyor is booked for 25 January"
	ext := c.Call(t, "POST", path+"/extension", long, "Authorization", officer)
	if ext.Status != 200 || ext.JSON["respondBy"] != "2027-02-02" || !strings.Contains(string(ext.Raw), "0300 111 3000") {
		t.Fatalf("15 WD extension with a good reason: %d %s", ext.Status, ext.Raw)
	}
	if v := c.Call(t, "POST", path+"/extension", map[string]any{"workingDays": 1, "reason": "again"}, "Authorization", officer); v.Status != 422 {
		t.Fatalf("second extension: %d", v.Status)
	}
	c.PinClock(time.Date(2027, 1, 8, 10, 0, 0, 0, time.UTC))
	resp := c.Call(t, "POST", path+"/response", map[string]any{"decision": "partly-upheld", "reasons": "Two visits were missed",
		"remedies": []string{"An apology", "£50"}, "outstandingActions": []string{"Replace the boiler"}}, "Authorization", officer)
	if resp.Status != 200 || resp.JSON["status"] != "responded" || !strings.Contains(string(resp.Raw), "stage 2") {
		t.Fatalf("stage 1 response: %d %s", resp.Status, resp.Raw)
	}
	c.PinClock(time.Date(2027, 1, 11, 10, 0, 0, 0, time.UTC))
	esc := c.Call(t, "POST", path+"/escalation", nil, "Authorization", token)
	if esc.Status != 200 || esc.JSON["stage"] != float64(2) || esc.JSON["status"] != "escalated" || esc.JSON["acknowledgeBy"] != "2027-01-18" {
		t.Fatalf("escalation: %d %s", esc.Status, esc.Raw)
	}
	stage2 := map[string]any{"definition": "Stage 2 review", "outcomesSought": "Boiler fixed", "handler": "Blake Manager"}
	if v := c.Call(t, "POST", path+"/acknowledgement", stage2, "Authorization", other); v.Status != 403 || v.JSON["rule"] != "CH-5" {
		t.Fatalf("stage 2 by an officer: %d %s", v.Status, v.Raw)
	}
	// CH-5: the manager who handled stage 1 can never acknowledge stage 2, whatever handler name is typed.
	for _, name := range []string{"Blake Manager", "manager-b", "Alex Manager", ""} {
		stage2["handler"] = name
		if v := c.Call(t, "POST", path+"/acknowledgement", stage2, "Authorization", officer); v.Status != 422 || v.JSON["rule"] != "CH-5" {
			t.Fatalf("the stage 1 manager acknowledging stage 2 as %q: %d %s", name, v.Status, v.Raw)
		}
	}
	stage2["handler"] = "Alex Manager" // a name is never compared: manager-b may even type the stage 1 handler's
	if v := c.Call(t, "POST", path+"/acknowledgement", stage2, "Authorization", manager); v.Status != 200 || v.JSON["respondBy"] != "2027-02-08" {
		t.Fatalf("stage 2 acknowledgement: %d %s", v.Status, v.Raw)
	}
	// Source 004 §6.15: no more than 20 WD at stage 2 "without good reason" (CH-5); 15 WD with one is accepted.
	if v := c.Call(t, "POST", path+"/extension", map[string]any{"workingDays": 25, "reason": "Independent review"}, "Authorization", manager); v.Status != 422 || v.JSON["rule"] != "CH-5" {
		t.Fatalf("25 WD stage 2 extension without a good reason: %d %s", v.Status, v.Raw)
	}
	if v := c.Call(t, "POST", path+"/response", map[string]any{"decision": "upheld", "reasons": "r"}, "Authorization", officer); v.Status != 422 || v.JSON["rule"] != "CH-5" {
		t.Fatalf("the stage 1 manager answering stage 2: %d %s", v.Status, v.Raw)
	}
	ext2 := c.Call(t, "POST", path+"/extension", map[string]any{"workingDays": 15, "reason": "Independent review",
		"goodReasonForLonger": "The independent reviewer needs the surveyor's report"}, "Authorization", manager)
	if ext2.Status != 200 || ext2.JSON["respondBy"] != "2027-03-01" {
		t.Fatalf("15 WD stage 2 extension with a good reason: %d %s", ext2.Status, ext2.Raw)
	}
	final := c.Call(t, "POST", path+"/response", map[string]any{"decision": "upheld", "reasons": "On review, all three visits failed"}, "Authorization", manager)
	if final.Status != 200 || final.JSON["status"] != "closed" || !strings.Contains(string(final.Raw), "housing-ombudsman.org.uk") {
		t.Fatalf("stage 2 response: %d %s", final.Status, final.Raw)
	}
	if v := c.Call(t, "POST", path+"/escalation", nil, "Authorization", token); v.Status != 409 || v.JSON["rule"] != "CH-3" {
		t.Fatalf("a third stage: %d %s", v.Status, v.Raw)
	}
	rec := c.Call(t, "GET", path+"/record", nil, "Authorization", officer)
	if rec.Status != 200 || len(rec.JSON["timeline"].([]any)) != 8 || len(rec.JSON["complaint"].(map[string]any)["letters"].([]any)) != 4 {
		t.Fatalf("full record: %d %s", rec.Status, rec.Raw)
	}
	view := c.Call(t, "GET", path, nil, "Authorization", token)
	if len(view.JSON["letters"].([]any)) != 4 || view.JSON["status"] != "closed" {
		t.Fatalf("resident view of letters: %s", view.Raw)
	}

	// CH-10: the financial year's figures
	if v := c.Call(t, "GET", "/reports/complaints?year=2026", nil, "Authorization", other); v.Status != 403 {
		t.Fatalf("officer reads the annual report: %d", v.Status)
	}
	rep := c.Call(t, "GET", "/reports/complaints?year=2026", nil, "Authorization", manager)
	s1, s2 := rep.JSON["stage1"].(map[string]any), rep.JSON["stage2"].(map[string]any)
	if rep.Status != 200 || s1["received"] != float64(1) || s1["respondedWithinTimescale"] != float64(1) || s2["received"] != float64(1) ||
		s1["per1000Homes"] != 0.08 || rep.JSON["financialYear"] != "2026-27" {
		t.Fatalf("annual report: %s", rep.Raw)
	}
	if other := c.Call(t, "GET", "/reports/complaints?year=2025", nil, "Authorization", manager); other.JSON["stage1"].(map[string]any)["received"] != float64(0) {
		t.Fatalf("2025-26 holds this complaint: %s", other.Raw)
	}
	if bad := c.Call(t, "POST", "/complaints", map[string]any{"complainant": map[string]any{"email": "x"}}); bad.Status != 400 || len(bad.JSON["errors"].([]any)) < 5 {
		t.Fatalf("bad input: %d %s", bad.Status, bad.Raw)
	}
}
