package asbapi_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
)

// Issue 13 (casework records read back, reporters of further reports kept informed) through the real asb-report
// binary and DynamoDB Local: each kind of record is read by key in the case's partition, newest first, a signed
// page at a time; a reporter whose further report joined the case hears of its updates in a message of their own
// (ASB-9), with their own check-progress and survey links.
func TestASBCaseworkRecordsReadBackAndJoinedReportersInformed(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report")
	c.PinClock(time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC)) // a Wednesday
	officer := c.StaffToken(t, "officer1", "asb-officer")
	queue := c.Resources.Queues[catalog.NotificationsQueue]
	sent := func() []notification.Request { // queued since the last look (nothing consumes the queue here)
		var out []notification.Request
		for {
			bodies := receive(t, c, queue)
			if len(bodies) == 0 {
				return out
			}
			for _, b := range bodies {
				var r notification.Request
				if err := json.Unmarshal([]byte(b), &r); err != nil {
					t.Fatal(err)
				}
				out = append(out, r)
			}
		}
	}
	at := func(address string, email string) map[string]any {
		b := noiseReport(email)
		b["location"] = map[string]any{"address": address, "postcode": "NN1 1DE"}
		return b
	}
	first := c.Call(t, "POST", "/asb/reports", at("Flat 3, 50 Records Road", "first@records.example"))
	ref, token := first.JSON["reference"].(string), first.JSON["accessToken"].(string)
	joined := c.Call(t, "POST", "/asb/reports", at("flat 3 50 records road", "joined@records.example"))
	if joined.Status != 201 || joined.JSON["reference"] != ref || joined.JSON["incident"] != "I2" {
		t.Fatalf("further report: %d %s", joined.Status, joined.Raw)
	}
	other := c.Call(t, "POST", "/asb/reports", at("Flat 8, 50 Records Road", "other@records.example")).JSON["reference"].(string)
	sent() // the acknowledgements
	get := func(path string, query url.Values, auth string) localcloud.Response {
		t.Helper()
		if len(query) > 0 {
			path += "?" + query.Encode()
		}
		return c.Call(t, "GET", path, nil, "Authorization", auth)
	}
	items := func(r localcloud.Response) []map[string]any {
		var out []map[string]any
		for _, it := range r.JSON["items"].([]any) {
			out = append(out, it.(map[string]any))
		}
		return out
	}

	t.Run("each kind of record is read back, newest first, a signed page at a time", func(t *testing.T) {
		posts := []struct {
			path string
			body map[string]any
		}{
			{"witnesses", map[string]any{"name": "Sam Neighbour", "willGiveEvidence": true}},
			{"witnesses", map[string]any{"name": "Lee Neighbour", "statement": "Heard it at 2am", "willGiveEvidence": false}},
			{"evidence", map[string]any{"kind": "noise-recording", "reference": "rec-1.mp3", "obtainedOn": "2026-12-08"}},
			{"costs", map[string]any{"category": "legal", "amountPence": 45000, "description": "Counsel", "incurredOn": "2026-12-08"}},
			{"costs", map[string]any{"category": "cctv", "amountPence": 1999, "description": "Camera hire", "incurredOn": "2026-12-09"}},
			{"subjects", map[string]any{"name": "Jo Bloggs", "tenant": true}},
		}
		for _, p := range posts {
			if r := c.Call(t, "POST", "/asb/cases/"+ref+"/"+p.path, p.body, "Authorization", officer); r.Status != 200 {
				t.Fatalf("%s: %d %s", p.path, r.Status, r.Raw)
			}
		}
		if r := c.Call(t, "POST", "/asb/cases/"+other+"/subjects", map[string]any{"name": "jo  bloggs"}, "Authorization", officer); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if r := c.Call(t, "POST", "/asb/reports/"+ref+"/diary", map[string]any{"occurredAt": "2026-12-09T01:30:00Z", "description": "Music until 3am"},
			"Authorization", "Bearer "+token); r.Status != 200 {
			t.Fatalf("diary: %d %s", r.Status, r.Raw)
		}

		base := "/asb/cases/" + ref
		page1 := get(base+"/witnesses", url.Values{"limit": {"1"}}, officer)
		next, _ := page1.JSON["nextToken"].(string)
		if page1.Status != 200 || len(items(page1)) != 1 || items(page1)[0]["id"] != "W2" || items(page1)[0]["record"].(map[string]any)["statement"] != "Heard it at 2am" ||
			items(page1)[0]["addedBy"].(map[string]any)["id"] != "officer1" || next == "" {
			t.Fatalf("witnesses page 1: %d %s", page1.Status, page1.Raw)
		}
		page2 := get(base+"/witnesses", url.Values{"limit": {"1"}, "nextToken": {next}}, officer)
		if page2.Status != 200 || len(items(page2)) != 1 || items(page2)[0]["id"] != "W1" {
			t.Fatalf("witnesses page 2: %d %s", page2.Status, page2.Raw)
		}
		if last, _ := page2.JSON["nextToken"].(string); last != "" { // DynamoDB cannot tell a full page was the last
			if end := get(base+"/witnesses", url.Values{"limit": {"1"}, "nextToken": {last}}, officer); end.Status != 200 || len(items(end)) != 0 || end.JSON["nextToken"] != nil {
				t.Fatalf("witnesses page 3: %d %s", end.Status, end.Raw)
			}
		}
		// a token is for its case and kind only
		if r := get("/asb/cases/"+other+"/witnesses", url.Values{"nextToken": {next}}, officer); r.Status != 400 || !strings.Contains(string(r.Raw), "nextToken") {
			t.Fatalf("another case's token: %d %s", r.Status, r.Raw)
		}
		if r := get(base+"/evidence", url.Values{"nextToken": {next}}, officer); r.Status != 400 {
			t.Fatalf("another kind's token: %d %s", r.Status, r.Raw)
		}
		if r := get(base+"/witnesses", url.Values{"limit": {"21"}}, officer); r.Status != 400 || fieldsOf(r)[0] != "limit" {
			t.Fatalf("limit 21: %d %s", r.Status, r.Raw)
		}
		costs := get(base+"/costs", nil, officer)
		if costs.Status != 200 || costs.JSON["totalPence"] != 46999.0 || costs.JSON["count"] != 2.0 || len(items(costs)) != 2 || items(costs)[0]["id"] != "C2" {
			t.Fatalf("costs: %d %s", costs.Status, costs.Raw)
		}
		if ev := get(base+"/evidence", nil, officer); ev.Status != 200 || len(items(ev)) != 1 || items(ev)[0]["record"].(map[string]any)["reference"] != "rec-1.mp3" {
			t.Fatalf("evidence: %d %s", ev.Status, ev.Raw)
		}
		if d := get(base+"/diary", nil, officer); d.Status != 200 || len(items(d)) != 1 || items(d)[0]["record"].(map[string]any)["description"] != "Music until 3am" {
			t.Fatalf("diary: %d %s", d.Status, d.Raw)
		}
		inc := get(base+"/incidents", nil, officer)
		if inc.Status != 200 || len(items(inc)) != 1 || items(inc)[0]["id"] != "I2" || items(inc)[0]["reporter"].(map[string]any)["email"] != "joined@records.example" {
			t.Fatalf("incidents: %d %s", inc.Status, inc.Raw)
		}
		subjects := get(base+"/subjects", nil, officer)
		if subjects.Status != 200 || len(items(subjects)) != 1 || items(subjects)[0]["id"] != "S1" || items(subjects)[0]["otherCases"].([]any)[0] != other {
			t.Fatalf("subjects: %d %s", subjects.Status, subjects.Raw)
		}
		if r := get(base+"/costs", nil, c.StaffToken(t, "someone", "allocations-officer")); r.Status != 403 {
			t.Fatalf("other staff: %d", r.Status)
		}
		if r := get("/asb/cases/ASB-0000-0000/incidents", nil, officer); r.Status != 404 {
			t.Fatalf("no such case: %d %s", r.Status, r.Raw)
		}
	})

	t.Run("ASB-9: the joined reporter hears of the appointment and the closure, each reporter in a message of their own", func(t *testing.T) {
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/appointment", map[string]any{"appointmentOn": "2026-12-11"}, "Authorization", officer); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/closure", map[string]any{"outcome": "The music stopped"}, "Authorization", officer); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		to := map[string]map[string]notification.Request{}
		for _, r := range sent() {
			if to[r.Template] == nil {
				to[r.Template] = map[string]notification.Request{}
			}
			to[r.Template][r.To.Email] = r
		}
		for _, template := range []string{notification.ASBAppointment, notification.ASBCaseClosed} {
			mine, theirs := to[template]["first@records.example"], to[template]["joined@records.example"]
			if len(to[template]) != 2 || mine.ID == theirs.ID || theirs.Personalisation["further_report"] == "" || mine.Personalisation["further_report"] != "" ||
				theirs.Personalisation["sign_in_path"] != notification.SignInPath(ref) {
				t.Fatalf("%s: %+v", template, to[template])
			}
			if strings.Contains(string(mustJSON(t, theirs)), "first@records.example") || strings.Contains(string(mustJSON(t, mine)), "joined@records.example") {
				t.Fatalf("%s: one reporter's contact in another's message", template)
			}
		}
		if p := to[notification.ASBCaseClosed]["joined@records.example"].Personalisation; p["survey_path"] != "/progress/"+ref+"#survey" {
			t.Fatalf("the joined reporter's survey link: %v", p)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
