package complaintsapi_test

import (
	"encoding/json"
	"fmt"
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
	// Source 004 §5.9: beyond the limit, the response falls outside the Code's timescales: update intervals first.
	if v := c.Call(t, "POST", path+"/extension", long, "Authorization", officer); v.Status != 422 || v.JSON["rule"] != "CH-4" || !strings.Contains(string(v.Raw), "5.9") {
		t.Fatalf("15 WD extension without agreed update intervals: %d %s", v.Status, v.Raw)
	}
	long["keepInformed"] = map[string]any{"everyWorkingDays": 5, "agreedOn": "2026-12-24", "how": "an email from the handler"}
	ext := c.Call(t, "POST", path+"/extension", long, "Authorization", officer)
	if ext.Status != 200 || ext.JSON["respondBy"] != "2027-02-02" || !strings.Contains(string(ext.Raw), "0300 111 3000") {
		t.Fatalf("15 WD extension with a good reason: %d %s", ext.Status, ext.Raw)
	}
	if v := c.Call(t, "POST", path+"/extension", map[string]any{"workingDays": 1, "reason": "again"}, "Authorization", officer); v.Status != 422 {
		t.Fatalf("second extension: %d", v.Status)
	}
	c.PinClock(time.Date(2027, 1, 8, 10, 0, 0, 0, time.UTC))
	resp := c.Call(t, "POST", path+"/response", map[string]any{"decision": "partly-upheld", "reasons": "Two visits were missed",
		"remedies":           []any{map[string]any{"description": "An apology", "dueOn": "2027-01-08", "done": true}, map[string]any{"description": "£50", "dueOn": "2027-01-22"}},
		"outstandingActions": []any{map[string]any{"description": "Replace the boiler", "dueOn": "2027-02-26"}}}, "Authorization", officer)
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
	if rec.Status != 200 || len(rec.JSON["timeline"].([]any)) != 8 || len(rec.JSON["complaint"].(map[string]any)["letters"].([]any)) != 6 {
		t.Fatalf("full record: %d %s", rec.Status, rec.Raw)
	}
	view := c.Call(t, "GET", path, nil, "Authorization", token)
	if len(view.JSON["letters"].([]any)) != 6 || view.JSON["status"] != "closed" {
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

// Issue 14 through the real binaries: a complaint received on 25 March and answered on 8 April is counted in the
// year of each event (CH-10, TSM CH02); a complaint that arrived by letter ten days before it was logged is due
// from the day it arrived (CH-4); acknowledgement letters at both stages carry every item of source §5.6/§5.7 and
// the landlord's details from the configuration; the stage 2 letters list what is open from stage 1; the open
// action joins the reminder digest when overdue and is completed by a staff route (CH-8); a member of staff
// escalates for the resident (CH-5).
func TestIssue14_StaffLoggedComplaintTrackedItemsAndTheYearOfEachEvent(t *testing.T) {
	c := localcloud.StartForTest(t, "complaint-escalation", "notifier", "deadline-reminders")
	officer := c.StaffToken(t, "officer-a", "complaints-officer")
	other := c.StaffToken(t, "officer-c", "complaints-officer")
	managerA := c.StaffToken(t, "manager-a", "complaints-manager")
	manager := c.StaffToken(t, "manager-b", "complaints-manager")
	auth := func(token string) []string { return []string{"Authorization", token} }
	outbox := func() []map[string]any {
		var items []map[string]any
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			items = append(items, it.(map[string]any))
		}
		return items
	}
	letterText := func(r localcloud.Response) string {
		t.Helper()
		l, _ := r.JSON["letter"].(map[string]any)
		if l == nil {
			t.Fatalf("no letter: %d %s", r.Status, r.Raw)
		}
		return l["text"].(string)
	}
	wantIn := func(what, text string, parts ...string) {
		t.Helper()
		for _, p := range parts {
			if !strings.Contains(text, p) {
				t.Errorf("%s lacks %q:\n%s", what, p, text)
			}
		}
	}

	// Complaint A: received Wed 25 March 2026 (2025-26), acknowledged the next day, answered Wed 8 April (2026-27).
	c.PinClock(time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC))
	form := complaint()
	form["issueDate"] = "2026-03-01"
	a := c.Call(t, "POST", "/complaints", form)
	if a.Status != 201 {
		t.Fatalf("complaint A: %d %s", a.Status, a.Raw)
	}
	pathA := "/complaints/" + a.JSON["reference"].(string)
	c.PinClock(time.Date(2026, 3, 26, 10, 0, 0, 0, time.UTC))
	if r := c.Call(t, "POST", pathA+"/acknowledgement", map[string]any{"definition": "Missed repairs", "outcomesSought": "Boiler fixed"}, auth(managerA)...); r.Status != 200 || r.JSON["respondBy"] != "2026-04-13" {
		t.Fatalf("A acknowledged: %d %s", r.Status, r.Raw)
	}
	c.PinClock(time.Date(2026, 4, 8, 10, 0, 0, 0, time.UTC))
	if r := c.Call(t, "POST", pathA+"/response", map[string]any{"decision": "upheld", "reasons": "Visits were missed"}, auth(managerA)...); r.Status != 200 {
		t.Fatalf("A answered: %d %s", r.Status, r.Raw)
	}

	// Complaint B: a letter that arrived on Sun 13 December 2026, logged on Wed 23 December: acknowledge by Fri 18
	// December, already overdue.
	c.PinClock(time.Date(2026, 12, 23, 10, 0, 0, 0, time.UTC))
	logged := complaint()
	logged["channel"], logged["receivedOn"] = "letter", "2026-12-13"
	if r := c.Call(t, "POST", "/complaints/logged", logged, auth(c.StaffToken(t, "asb-1", "asb-officer"))...); r.Status != 403 {
		t.Fatalf("an ASB officer logs a complaint: %d", r.Status)
	}
	b := c.Call(t, "POST", "/complaints/logged", logged, append(auth(officer), "Idempotency-Key", "logged-1")...)
	cb, _ := b.JSON["complaint"].(map[string]any)
	if b.Status != 201 || cb["channel"] != "letter" || cb["receivedAt"] != "2026-12-13T00:00:00Z" || b.JSON["accessToken"] != nil ||
		b.JSON["openDeadlines"].([]any)[0].(map[string]any)["due"] != "2026-12-18" {
		t.Fatalf("logged by staff: %d %s", b.Status, b.Raw)
	}
	if again := c.Call(t, "POST", "/complaints/logged", logged, append(auth(officer), "Idempotency-Key", "logged-1")...); again.JSON["reference"] != b.JSON["reference"] {
		t.Fatalf("an idempotent retry logged a second complaint: %s", again.Raw)
	}
	ref := b.JSON["reference"].(string)
	path := "/complaints/" + ref
	ack := c.Call(t, "POST", path+"/acknowledgement", map[string]any{"definition": "Three boiler repair visits were missed", "outcomesSought": "A working boiler",
		"responsibleFor":    []string{"Booking and attending repairs"},
		"notResponsibleFor": []any{map[string]any{"aspect": "The gas supply", "whoIsResponsible": "The gas network, 0800 111 999"}}}, auth(officer)...)
	if ack.Status != 200 || ack.JSON["respondBy"] != "2027-01-11" {
		t.Fatalf("B acknowledged: %d %s", ack.Status, ack.Raw)
	}
	wantIn("stage 1 acknowledgement", letterText(ack), "We received your complaint on Sunday 13 December 2026 by letter", "Three boiler repair visits were missed",
		"A working boiler", "Booking and attending repairs", "The gas supply: The gas network, 0800 111 999", "Monday 11 January 2027",
		"Example Borough Council", "01632 960000", "housing@council.example", "Housing Ombudsman Service", "0300 111 3000")
	c.PinClock(time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC))
	q := c.Call(t, "POST", path+"/clarification", map[string]any{"question": "Was the second visit on 2 or 3 December?"}, auth(officer)...)
	wantIn("clarification", letterText(q), "Was the second visit on 2 or 3 December?", "Monday 11 January 2027", "01632 960000")
	if r := c.Call(t, "POST", path+"/clarification-answer", map[string]any{"answer": "3 December"}, auth(officer)...); r.Status != 200 {
		t.Fatalf("answer: %d %s", r.Status, r.Raw)
	}

	c.PinClock(time.Date(2027, 1, 8, 10, 0, 0, 0, time.UTC))
	resp := c.Call(t, "POST", path+"/response", map[string]any{"decision": "partly-upheld", "reasons": "Two visits were missed",
		"remedies":           []any{map[string]any{"description": "An apology", "dueOn": "2027-01-08", "done": true}},
		"outstandingActions": []any{map[string]any{"description": "Replace the boiler", "dueOn": "2027-01-29"}}}, auth(officer)...)
	if resp.Status != 200 || resp.JSON["openDeadlines"].([]any)[0].(map[string]any)["name"] != "item:A1" {
		t.Fatalf("B answered: %d %s", resp.Status, resp.Raw)
	}
	wantIn("stage 1 response", letterText(resp), "Replace the boiler (by Friday 29 January 2027)", "You do not have to give a reason", "01632 960000")
	if strings.Contains(letterText(resp), "web page") {
		t.Errorf("the stage 1 letter points to a web page that does not exist:\n%s", letterText(resp))
	}

	// The resident phones on Mon 11 January to ask for stage 2; an officer logs it on the 12th: acknowledge by the 18th.
	c.PinClock(time.Date(2027, 1, 12, 10, 0, 0, 0, time.UTC))
	esc := c.Call(t, "POST", path+"/escalation-on-behalf", map[string]any{"channel": "phone", "requestedOn": "2027-01-11"}, auth(other)...)
	if esc.Status != 200 || esc.JSON["status"] != "escalated" || esc.JSON["openDeadlines"].([]any)[0].(map[string]any)["due"] != "2027-01-18" {
		t.Fatalf("escalated on the resident's behalf: %d %s", esc.Status, esc.Raw)
	}
	c.PinClock(time.Date(2027, 1, 13, 10, 0, 0, 0, time.UTC))
	ack2 := c.Call(t, "POST", path+"/acknowledgement", map[string]any{"definition": "Missed visits, reviewed", "outcomesSought": "A working boiler"}, auth(manager)...)
	if ack2.Status != 200 {
		t.Fatalf("stage 2 acknowledged: %d %s", ack2.Status, ack2.Raw)
	}
	wantIn("stage 2 acknowledgement", letterText(ack2), "You asked us on Monday 11 January 2027", "Missed visits, reviewed",
		"What we agreed at stage 1 and have not yet done", "Replace the boiler (by Friday 29 January 2027)", "01632 960000", "0300 111 3000")
	c.PinClock(time.Date(2027, 1, 20, 10, 0, 0, 0, time.UTC))
	final := c.Call(t, "POST", path+"/response", map[string]any{"decision": "upheld", "reasons": "On review, all three visits failed"}, auth(manager)...)
	wantIn("final response", letterText(final), "Still to be done from our stage 1 response", "Replace the boiler (by Friday 29 January 2027)", "housing-ombudsman.org.uk")
	if final.JSON["status"] != "closed" || strings.Contains(letterText(final), "everything we agreed to do is done") {
		t.Fatalf("final response with an action open: %s", final.Raw)
	}

	// Mon 1 February, 07:00: the action is overdue and in the complaints team's digest.
	c.PinClock(time.Date(2027, 2, 1, 7, 0, 0, 0, time.UTC))
	if fired := c.Call(t, "POST", "/_local/schedules/deadline-reminders-weekday-morning", nil); fired.Status != 200 {
		t.Fatalf("reminders: %d %s", fired.Status, fired.Raw)
	}
	localcloud.Eventually(t, 20*time.Second, "the digest listing the overdue action", func() bool {
		for _, m := range outbox() {
			p, _ := m["personalisation"].(map[string]any)
			if o, _ := p["overdue"].(string); strings.HasPrefix(fmt.Sprint(m["reference"]), "digest#2027-02-01#") && strings.Contains(o, ref+": Complete the agreed action A1") {
				return true
			}
		}
		return false
	})
	c.PinClock(time.Date(2027, 2, 1, 10, 0, 0, 0, time.UTC))
	done := c.Call(t, "POST", path+"/actions/A1/completion", map[string]any{"note": "New boiler fitted"}, auth(officer)...)
	if done.Status != 200 || len(done.JSON["openDeadlines"].([]any)) != 0 {
		t.Fatalf("action completed: %d %s", done.Status, done.Raw)
	}
	wantIn("update", letterText(done), "Replace the boiler (done Monday 1 February 2027)", "New boiler fitted", "Everything we agreed to do about your complaint is now done")
	// The letters went to the complainant through the notifier, as every complaint letter does.
	localcloud.Eventually(t, 20*time.Second, "the letters in the outbox", func() bool {
		n := 0
		for _, m := range outbox() {
			if strings.HasPrefix(fmt.Sprint(m["reference"]), ref+"#letter-") && m["to"] == "sam@example.org" {
				n++
			}
		}
		return n == 6 // acknowledgement, clarification, response, stage 2 acknowledgement, final response, update
	})

	// CH-10: each event in the year it happened.
	report := func(year string) (map[string]any, map[string]any, map[string]any) {
		r := c.Call(t, "GET", "/reports/complaints?year="+year, nil, auth(manager)...)
		if r.Status != 200 {
			t.Fatalf("report %s: %d %s", year, r.Status, r.Raw)
		}
		return r.JSON, r.JSON["stage1"].(map[string]any), r.JSON["stage2"].(map[string]any)
	}
	_, s1, s2 := report("2025")
	if s1["received"] != float64(1) || s1["acknowledged"] != float64(1) || s1["acknowledgedWithinTimescale"] != float64(1) || s1["responded"] != float64(0) ||
		s1["percentWithinTimescale"] != nil || s2["received"] != float64(0) {
		t.Errorf("2025-26: A received and acknowledged, not answered: %v", s1)
	}
	all, s1, s2 := report("2026")
	if s1["received"] != float64(1) || s1["responded"] != float64(2) || s1["respondedWithinTimescale"] != float64(2) || s1["percentWithinTimescale"] != float64(100) ||
		s1["acknowledged"] != float64(1) || s1["acknowledgedWithinTimescale"] != float64(0) || s2["received"] != float64(1) || s2["responded"] != float64(1) ||
		all["outstandingActions"] != float64(1) || all["remediesOffered"] != float64(1) || all["itemsCompleted"] != float64(2) || all["itemsCompletedOnTime"] != float64(1) {
		t.Errorf("2026-27: B received, A and B answered at stage 1 (on time), B at stage 2: %s", mustJSON(all))
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Issue 14 through the real binaries, the rest of it: a complaint made by a representative who gets letters by post
// (source §3.6) for a resident whose adjustments say post, in large print (§5.10): the representative's letter is
// posted through Notify, the resident's is handed to staff on the timeline (Notify cannot print large print); the
// response runs late, so the intervals for keeping the resident informed are recorded and each update is a letter
// (§5.9); unrelated new points are refused as a new complaint (§6.8); the annual report says its self-assessment is
// not filled in until a complaints manager records it, then carries it with the Ombudsman's findings (§8.1).
func TestIssue14_SelfAssessmentKeepingInformedAndLettersTheWayAgreed(t *testing.T) {
	c := localcloud.StartForTest(t, "complaint-escalation", "notifier")
	officer := c.StaffToken(t, "officer-a", "complaints-officer")
	manager := c.StaffToken(t, "manager-b", "complaints-manager")
	auth := func(token string) []string { return []string{"Authorization", token} }
	sent := func(prefix string) []map[string]any {
		var out []map[string]any
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			if m := it.(map[string]any); strings.HasPrefix(fmt.Sprint(m["reference"]), prefix) {
				out = append(out, m)
			}
		}
		return out
	}

	c.PinClock(time.Date(2026, 12, 23, 10, 0, 0, 0, time.UTC))
	form := complaint()
	form["channel"], form["receivedOn"] = "representative", "2026-12-22"
	form["complainant"] = map[string]any{"name": "Sam Example", "email": "sam@example.org", "address": "1 Example Road, Northtown", "postcode": "NN1 1DE"}
	form["representative"] = map[string]any{"name": "Pat Advocate", "address": "2 Advice Lane, Northtown", "postcode": "NN1 2AB", "consent": true,
		"relationship": "advocate", "consentNote": "Signed consent form received 22 December"}
	logged := c.Call(t, "POST", "/complaints/logged", form, auth(officer)...)
	if logged.Status != 201 {
		t.Fatalf("logged: %d %s", logged.Status, logged.Raw)
	}
	ref := logged.JSON["reference"].(string)
	path := "/complaints/" + ref
	if r := c.Call(t, "POST", path+"/adjustments", map[string]any{"agreed": []any{"Letters by post in large print"}, "sendBy": "letter", "format": "large-print",
		"disclosedDisabilities": "Partially sighted", "reviewOn": "2027-03-01"}, auth(officer)...); r.Status != 200 {
		t.Fatalf("adjustments: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", path+"/acknowledgement", map[string]any{"definition": "Missed repairs", "outcomesSought": "Boiler fixed"}, auth(officer)...); r.Status != 200 {
		t.Fatalf("acknowledged: %d %s", r.Status, r.Raw)
	}
	localcloud.Eventually(t, 20*time.Second, "the representative's acknowledgement posted, the resident's handed to staff", func() bool {
		rep := sent(ref + "#letter-1#representative")
		if len(rep) != 1 || rep[0]["type"] != "letter" || !strings.Contains(fmt.Sprint(rep[0]["to"]), "Pat Advocate, 2 Advice Lane, Northtown, NN1 2AB") {
			return false
		}
		tl := c.Call(t, "GET", path+"/timeline?limit=100", nil, auth(officer)...)
		return strings.Contains(string(tl.Raw), `"alternative-format-needed"`) && strings.Contains(string(tl.Raw), `"large-print"`) && len(sent(ref+"#letter-1#")) == 1
	})
	if got := sent(ref + "#letter-1"); len(got) != 1 {
		t.Fatalf("Notify printed the resident's letter in standard print: %v", got)
	}
	// §5.10: the large-print letter is the handler's deadline until they record that it went.
	if r := c.Call(t, "GET", path+"/record", nil, auth(officer)...); !strings.Contains(string(r.Raw), `"letter-format:1"`) {
		t.Fatalf("no deadline for the large-print letter: %s", r.Raw)
	}
	if r := c.Call(t, "POST", path+"/letters/1/sent-in-format", map[string]any{"how": "Posted in large print by the handler"}, auth(officer)...); r.Status != 200 ||
		strings.Contains(string(r.Raw), `"letter-format:1"`) || !strings.Contains(string(r.Raw), `"formatSent"`) {
		t.Fatalf("letter sent in format: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", path+"/letters/1/sent-in-format", map[string]any{"how": "Again"}, auth(officer)...); r.Status != 409 || r.JSON["rule"] != "Code 5.10" {
		t.Fatalf("recorded twice: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", path+"/letters/9/sent-in-format", map[string]any{"how": "Posted"}, auth(officer)...); r.Status != 404 {
		t.Fatalf("no such letter: %d %s", r.Status, r.Raw)
	}

	// §6.8: unrelated points are a new complaint; related ones join.
	if r := c.Call(t, "POST", path+"/related-points", map[string]any{"points": "My parking permit", "unrelated": true}, auth(officer)...); r.Status != 422 || r.JSON["rule"] != "CH-7" ||
		!strings.Contains(fmt.Sprint(r.JSON["detail"]), "new complaint") {
		t.Fatalf("unrelated points: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", path+"/related-points", map[string]any{"points": "The radiators too"}, auth(officer)...); r.Status != 200 {
		t.Fatalf("related points: %d %s", r.Status, r.Raw)
	}

	// §5.9: the response (due Tue 12 January) is late on the 14th: intervals agreed, an update sent.
	c.PinClock(time.Date(2027, 1, 14, 10, 0, 0, 0, time.UTC))
	ki := c.Call(t, "POST", path+"/keep-informed", map[string]any{"everyWorkingDays": 3, "agreedOn": "2027-01-14", "how": "a letter",
		"progress": "The contractor's report is due on Monday"}, auth(officer)...)
	if ki.Status != 200 || !strings.Contains(string(ki.Raw), `"stage1-update"`) || !strings.Contains(fmt.Sprint(ki.JSON["letter"]), "Tuesday 19 January 2027") {
		t.Fatalf("keep informed: %d %s", ki.Status, ki.Raw)
	}
	c.PinClock(time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC))
	if r := c.Call(t, "POST", path+"/response", map[string]any{"decision": "upheld", "reasons": "Visits were missed"}, auth(officer)...); r.Status != 200 {
		t.Fatalf("response: %d %s", r.Status, r.Raw)
	}

	// §8.1: the annual report and its self-assessment section.
	c.PinClock(time.Date(2027, 5, 4, 10, 0, 0, 0, time.UTC))
	report := func() map[string]any {
		r := c.Call(t, "GET", "/reports/complaints?year=2026", nil, auth(manager)...)
		if r.Status != 200 {
			t.Fatalf("report: %d %s", r.Status, r.Raw)
		}
		return r.JSON
	}
	rep := report()
	sa := rep["selfAssessment"].(map[string]any)
	if sa["status"] != "not-recorded" || !strings.Contains(sa["note"].(string), "Not yet filled in") || len(sa["missingSections"].([]any)) != 71 ||
		rep["stage1"].(map[string]any)["lateWithoutAgreedUpdates"] != float64(0) || rep["stage1"].(map[string]any)["responded"] != float64(1) {
		t.Fatalf("before the self-assessment: %s", mustJSON(rep))
	}
	body := map[string]any{"financialYear": 2026, "qualitativeAnalysis": "Repairs drew most complaints; phone complaints doubled",
		"sections": []any{map[string]any{"section": "5.9", "complies": "yes", "evidence": "Update intervals recorded on every late complaint"},
			map[string]any{"section": "6.3", "complies": "no", "evidence": "Policy gives 20 working days", "actions": "New policy from October"}},
		"ombudsmanFindings":     []any{map[string]any{"reference": "HOS-202612345", "decidedOn": "2027-02-01", "finding": "Maladministration: stage 1 late"}},
		"governingBodyResponse": "Noted by the Executive Committee"}
	if r := c.Call(t, "POST", "/reports/complaints/self-assessment", body, auth(officer)...); r.Status != 403 {
		t.Fatalf("an officer records the self-assessment: %d", r.Status)
	}
	if r := c.Call(t, "POST", "/reports/complaints/self-assessment", map[string]any{"financialYear": 2026, "sections": []any{map[string]any{"section": "6.3", "complies": "no"}}},
		auth(manager)...); r.Status != 400 || len(r.JSON["errors"].([]any)) != 2 {
		t.Fatalf("a no without evidence or actions: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", "/reports/complaints/self-assessment", body, auth(manager)...); r.Status != 200 || r.JSON["status"] != "incomplete" || r.JSON["revision"] != float64(1) {
		t.Fatalf("recorded: %d %s", r.Status, r.Raw)
	}
	sa = report()["selfAssessment"].(map[string]any)
	if sa["status"] != "incomplete" || len(sa["missingSections"].([]any)) != 69 || fmt.Sprint(sa["notComplying"]) != "[6.3]" ||
		len(sa["ombudsmanFindings"].([]any)) != 1 || sa["governingBodyResponse"] != "Noted by the Executive Committee" || sa["recordedBy"] == "" {
		t.Fatalf("the report's section: %s", mustJSON(sa))
	}
}
