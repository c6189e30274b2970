// Package e2e runs a subject access request (issue 17, UK GDPR Art 15) through the local cloud: the real
// asb-report, complaint-escalation, register-application and subject-access binaries against DynamoDB Local.
package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
)

func TestMain(m *testing.M) { emulators.Main(m) }

type person struct{ name, email, phone, street string }

func asbReport(p person) map[string]any {
	return map[string]any{"type": "noise", "description": "Loud music every night from the flat below " + p.street,
		"location": map[string]any{"address": "Flat 1, " + p.street, "postcode": "NN1 1AA"}, "ongoing": true, "anonymous": false,
		"risk":     map[string]any{},
		"reporter": map[string]any{"name": p.name, "email": p.email, "phone": p.phone, "preferredContact": "email"}}
}

func complaint(p person) map[string]any {
	return map[string]any{"description": "My repair at " + p.street + " was booked three times and nobody came.", "outcomesSought": "Fix it",
		"serviceArea": "repairs", "issueDate": "2026-11-02", "legalProceedings": false,
		"complainant": map[string]any{"name": p.name, "email": p.email, "phone": p.phone, "preferredContact": "email", "language": "en"}}
}

func application(p person) map[string]any {
	return map[string]any{
		"applicant": map[string]any{"name": p.name, "dateOfBirth": "1990-05-01", "email": p.email, "phone": p.phone,
			"address": "1 " + p.street, "postcode": "NN1 1DE", "preferredContact": "email", "language": "en"},
		"age": 36, "eligibleImmigrationStatus": true, "circumstances": []any{"sharing-facilities"}}
}

// A person with an ASB case, a complaint and a register application gets all three in the export, each whole, and
// nothing of another person's; the export is on the request's timeline, and the request is a deadline until done.
func TestSubjectAccessExportHoldsThePersonsRecordsAndNoOneElses(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "complaint-escalation", "register-application", "subject-access")
	c.PinClock(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	sam := person{"Sam Subject", "sam.subject@example.org", "07700 900111", "Acre Lane"}
	other := person{"Alex Other", "alex.other@example.org", "07700 900222", "Birch Road"}

	mine, theirs := map[string]bool{}, map[string]bool{}
	for _, p := range []person{sam, other} {
		for _, create := range []struct {
			path string
			body map[string]any
		}{{"/asb/reports", asbReport(p)}, {"/complaints", complaint(p)}, {"/register/applications", application(p)}} {
			r := c.Call(t, "POST", create.path, create.body)
			if r.Status != 201 {
				t.Fatalf("%s for %s: %d %s", create.path, p.name, r.Status, r.Raw)
			}
			ref := r.JSON["reference"].(string)
			if p == sam {
				mine[ref] = true
			} else {
				theirs[ref] = true
			}
		}
	}

	ig := c.StaffToken(t, "ig-1", "information-governance")
	officer := c.StaffToken(t, "officer-1", "asb-officer")
	body := map[string]any{"email": sam.email, "phone": sam.phone, "receivedOn": "2026-11-30", "identityChecked": "Passport seen at the civic centre"}
	if r := c.Call(t, "POST", "/subject-access-requests", body, "Authorization", officer); r.Status != 403 {
		t.Fatalf("an ASB officer logged a subject access request: %d %s", r.Status, r.Raw)
	}
	logged := c.Call(t, "POST", "/subject-access-requests", body, "Authorization", ig)
	if logged.Status != 201 {
		t.Fatalf("log: %d %s", logged.Status, logged.Raw)
	}
	ref := logged.JSON["reference"].(string)
	if due := logged.JSON["request"].(map[string]any)["dueOn"]; due != "2026-12-30" {
		t.Errorf("due %v, want one month after receipt, 2026-12-30 (UK GDPR Art 12(3))", due)
	}

	var export struct {
		Records []struct {
			Kind      string            `json:"kind"`
			Reference string            `json:"reference"`
			FoundBy   []string          `json:"foundBy"`
			Record    json.RawMessage   `json:"record"`
			Contact   json.RawMessage   `json:"contact"`
			Timeline  []json.RawMessage `json:"timeline"`
		} `json:"records"`
		Notes     []string `json:"notes"`
		Part      int      `json:"part"`
		NextToken string   `json:"nextToken"`
	}
	if r := c.Call(t, "POST", "/subject-access-requests/"+ref+"/export", nil, "Authorization", officer); r.Status != 403 {
		t.Fatalf("an ASB officer exported: %d %s", r.Status, r.Raw)
	}
	r := c.Call(t, "POST", "/subject-access-requests/"+ref+"/export", nil, "Authorization", ig)
	if r.Status != 200 {
		t.Fatalf("export: %d %s", r.Status, r.Raw)
	}
	if err := json.Unmarshal(r.Raw, &export); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	kinds := map[string]bool{}
	for _, rec := range export.Records {
		got[rec.Reference], kinds[rec.Kind] = true, true
		if len(rec.Timeline) == 0 || len(rec.Record) < 10 || !strings.Contains(string(rec.Contact), sam.email) {
			t.Errorf("%s %s is not whole: %d timeline entries, record %d bytes, contact %s", rec.Kind, rec.Reference, len(rec.Timeline), len(rec.Record), rec.Contact)
		}
		var last time.Time
		for _, ev := range rec.Timeline {
			var e struct {
				At time.Time `json:"at"`
			}
			_ = json.Unmarshal(ev, &e)
			if e.At.Before(last) {
				t.Errorf("%s %s: the timeline is not oldest first (%v before %v)", rec.Kind, rec.Reference, last, e.At)
			}
			last = e.At
		}
	}
	for ref := range mine {
		if !got[ref] {
			t.Errorf("the export misses %s (it has %v)", ref, got)
		}
	}
	if len(export.Records) != 3 || len(kinds) != 3 {
		t.Errorf("export: %d records of kinds %v, want an ASB case, a complaint and an application", len(export.Records), kinds)
	}
	for _, leak := range append([]string{other.name, other.email, "900222", other.street}, keys(theirs)...) {
		if strings.Contains(string(r.Raw), leak) {
			t.Errorf("the export holds %q, which is another person's", leak)
		}
	}
	if export.Part != 0 || export.NextToken != "" {
		t.Errorf("a small export came in parts: part %d, nextToken %q", export.Part, export.NextToken)
	}
	if r := c.Call(t, "POST", "/subject-access-requests/"+ref+"/export?nextToken=e30.forged", nil, "Authorization", ig); r.Status != 400 || !strings.Contains(string(r.Raw), "nextToken") {
		t.Errorf("a forged nextToken: %d %s, want 400 naming it", r.Status, r.Raw)
	}
	if len(export.Notes) == 0 {
		t.Error("no notes on redacting third parties before sending")
	}

	html := c.Call(t, "POST", "/subject-access-requests/"+ref+"/export?format=html", nil, "Authorization", ig)
	if html.Status != 200 || !strings.Contains(string(html.Raw), "<h1>Subject access request "+ref) || !strings.Contains(string(html.Raw), sam.email) {
		t.Fatalf("html export: %d %.300s", html.Status, html.Raw)
	}

	read := c.Call(t, "GET", "/subject-access-requests/"+ref, nil, "Authorization", ig)
	timeline, _ := json.Marshal(read.JSON["timeline"])
	if read.Status != 200 || strings.Count(string(timeline), `"subject-access-exported"`) != 2 || strings.Contains(string(timeline), sam.email) {
		t.Errorf("the timeline should record both exports, without the requester's address: %d %s", read.Status, timeline)
	}
	done := c.Call(t, "POST", "/subject-access-requests/"+ref+"/completion", map[string]any{"howSent": "Emailed as an encrypted PDF"}, "Authorization", ig)
	if done.Status != 200 || done.JSON["request"].(map[string]any)["status"] != "completed" {
		t.Fatalf("completion: %d %s", done.Status, done.Raw)
	}
	if again := c.Call(t, "POST", "/subject-access-requests/"+ref+"/completion", map[string]any{"howSent": "Again"}, "Authorization", ig); again.Status != 409 {
		t.Errorf("completed twice: %d %s", again.Status, again.Raw)
	}
	if r := c.Call(t, "POST", "/subject-access-requests", map[string]any{"receivedOn": "2026-12-01", "identityChecked": ""}, "Authorization", ig); r.Status != 400 ||
		!strings.Contains(string(r.Raw), "receivedOn") || !strings.Contains(string(r.Raw), "identityChecked") || !strings.Contains(string(r.Raw), "email") {
		t.Errorf("bad request: %d %s", r.Status, r.Raw)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
