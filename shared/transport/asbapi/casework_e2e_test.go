package asbapi_test

import (
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/localcloud"
)

// Issue 13 through the real asb-report binary and DynamoDB Local: reports logged by officers, timed from when they
// reached us (ASB-2, ASB-4), and one case per problem (ASB-9).
func TestASBStaffLoggedReportsAndOneCasePerProblem(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report")
	wednesday := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c.PinClock(wednesday)
	officer := c.StaffToken(t, "officer1", "asb-officer")
	manager := c.StaffToken(t, "manager1", "asb-manager")
	tenancy := c.StaffToken(t, "someone", "allocations-officer")

	logged := func(channel, receivedAt, address, email string) map[string]any {
		body := noiseReport(email)
		body["location"] = map[string]any{"address": address, "postcode": "NN1 1DE"}
		body["channel"], body["receivedAt"] = channel, receivedAt
		return body
	}

	t.Run("ASB-4: a report logged by an officer with a received time two days ago has targets from that time", func(t *testing.T) {
		body := logged("phone", "2026-11-23T10:00:00Z", "Flat 1, 20 Logged Road", "phoned@example.org") // Monday
		r := c.Call(t, "POST", "/asb/cases", body, "Authorization", officer)
		j := r.JSON
		if r.Status != 201 || j["channel"] != "phone" || j["receivedAt"] != "2026-11-23T10:00:00Z" || j["acknowledgeBy"] != "2026-11-24" ||
			j["appointmentBy"] != "2026-11-26" || j["joined"] != false || j["loggedBy"].(map[string]any)["id"] != "officer1" {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		got := c.Call(t, "GET", "/asb/cases/"+j["reference"].(string), nil, "Authorization", officer)
		deadlines := got.JSON["openDeadlines"].([]any)
		if got.JSON["overdue"] != true || len(deadlines) != 2 || deadlines[0].(map[string]any)["due"] != "2026-11-24" ||
			got.JSON["case"].(map[string]any)["loggedAt"] != "2026-11-25T10:00:00Z" {
			t.Fatalf("logged on Wednesday, the acknowledgement was due on Tuesday: %s", got.Raw)
		}
		if tl := got.JSON["timeline"].([]any)[0].(map[string]any); tl["actorId"] != "officer1" || tl["details"].(map[string]any)["overdue"] == nil {
			t.Fatalf("timeline: %v", tl)
		}
		bad := logged("online", "2026-11-26T10:00:00Z", "x", "phoned@example.org")
		if r := c.Call(t, "POST", "/asb/cases", bad, "Authorization", officer); r.Status != 400 || len(fieldsOf(r)) != 2 {
			t.Fatalf("online channel and a future time: %d %s", r.Status, r.Raw)
		}
		old := logged("letter", "2026-10-01T10:00:00Z", "x", "phoned@example.org")
		if r := c.Call(t, "POST", "/asb/cases", old, "Authorization", officer); r.Status != 400 {
			t.Fatalf("a letter channel and a time two months ago: %d %s", r.Status, r.Raw)
		}
		if r := c.Call(t, "POST", "/asb/cases", body, "Authorization", tenancy); r.Status != 403 {
			t.Fatalf("an allocations officer: %d", r.Status)
		}
		if r := c.Call(t, "POST", "/asb/cases", body); r.Status != 401 {
			t.Fatalf("no token: %d", r.Status)
		}
	})

	t.Run("ASB-9: three reports of the same problem make one case with three incidents, and the month counts one new case", func(t *testing.T) {
		c.PinClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
		first := c.Call(t, "POST", "/asb/reports", func() map[string]any {
			b := noiseReport("first@example.org")
			b["location"] = map[string]any{"address": "Flat 4, 30 Problem Road", "postcode": "NN1 1DE"}
			return b
		}())
		ref := first.JSON["reference"].(string)
		second := c.Call(t, "POST", "/asb/cases", logged("in-person", "2026-12-02T09:00:00Z", "flat 4 30 PROBLEM road", "second@example.org"), "Authorization", officer)
		third := c.Call(t, "POST", "/asb/reports", func() map[string]any {
			b := noiseReport("third@example.org")
			b["location"] = map[string]any{"address": "Flat 4, 30 Problem Road.", "postcode": "nn1 1de"}
			return b
		}())
		for i, r := range []localcloud.Response{second, third} {
			if r.Status != 201 || r.JSON["reference"] != ref || r.JSON["joined"] != true || r.JSON["incident"] != []string{"I2", "I3"}[i] ||
				r.JSON["matchedOn"] != "location" || r.JSON["accessToken"] != nil {
				t.Fatalf("report %d: %d %s", i+2, r.Status, r.Raw)
			}
		}
		got := c.Call(t, "GET", "/asb/cases/"+ref, nil, "Authorization", officer)
		if cs := got.JSON["case"].(map[string]any); cs["furtherReports"] != float64(2) || cs["incidents"] != float64(3) {
			t.Fatalf("case: %s", got.Raw)
		}
		further := 0
		for _, e := range got.JSON["timeline"].([]any) {
			if e.(map[string]any)["action"] == "further-report" {
				further++
			}
		}
		if further != 2 {
			t.Fatalf("timeline: %s", got.Raw)
		}
		if list := c.Call(t, "GET", "/asb/cases?receivedFrom=2026-12-01", nil, "Authorization", officer); len(list.JSON["items"].([]any)) != 1 {
			t.Fatalf("list: %s", list.Raw)
		}
		rep := c.Call(t, "GET", "/reports/asb?month=2026-12", nil, "Authorization", manager)
		if rep.Status != 200 || rep.JSON["newCases"] != float64(1) || rep.JSON["furtherReports"] != float64(2) || rep.JSON["noiseCases"] != float64(1) {
			t.Fatalf("December: %s", rep.Raw)
		}

		// an officer merges a second case of the problem into it, and unlinks a report that was not
		other := c.Call(t, "POST", "/asb/reports", func() map[string]any {
			b := noiseReport("fourth@example.org")
			b["location"] = map[string]any{"address": "Flat 5, 30 Problem Road", "postcode": "NN1 1DE"}
			return b
		}())
		otherRef := other.JSON["reference"].(string)
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/merger", map[string]any{"from": ref, "reason": "x"}, "Authorization", officer); r.Status != 400 {
			t.Fatalf("into itself: %d %s", r.Status, r.Raw)
		}
		m := c.Call(t, "POST", "/asb/cases/"+ref+"/merger", map[string]any{"from": otherRef, "reason": "The music is from flat 4"}, "Authorization", officer)
		if m.Status != 200 || m.JSON["case"].(map[string]any)["furtherReports"] != float64(3) {
			t.Fatalf("merge: %d %s", m.Status, m.Raw)
		}
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/merger", map[string]any{"from": otherRef, "reason": "again"}, "Authorization", officer); r.Status != 409 || r.JSON["rule"] != "ASB-9" {
			t.Fatalf("merged twice: %d %s", r.Status, r.Raw)
		}
		gone := c.Call(t, "GET", "/asb/cases/"+otherRef, nil, "Authorization", officer)
		if cs := gone.JSON["case"].(map[string]any); cs["status"] != "merged" || cs["mergedInto"] != ref || len(gone.JSON["openDeadlines"].([]any)) != 0 {
			t.Fatalf("merged case: %s", gone.Raw)
		}
		u := c.Call(t, "POST", "/asb/cases/"+ref+"/incidents/I3/unlinking", map[string]any{"reason": "Flat 6's dog, not the music"}, "Authorization", officer)
		newRef, _ := u.JSON["newReference"].(string)
		if u.Status != 200 || newRef == "" || u.JSON["case"].(map[string]any)["case"].(map[string]any)["furtherReports"] != float64(2) {
			t.Fatalf("unlink: %d %s", u.Status, u.Raw)
		}
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/incidents/I3/unlinking", map[string]any{"reason": "again"}, "Authorization", officer); r.Status != 409 {
			t.Fatalf("unlinked twice: %d %s", r.Status, r.Raw)
		}
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/incidents/I99/unlinking", map[string]any{"reason": "x"}, "Authorization", officer); r.Status != 404 {
			t.Fatalf("unknown report: %d %s", r.Status, r.Raw)
		}
		split := c.Call(t, "GET", "/asb/cases/"+newRef, nil, "Authorization", officer)
		if cs := split.JSON["case"].(map[string]any); split.Status != 200 || cs["receivedAt"] != "2026-12-02T10:00:00Z" || cs["channel"] != "online" {
			t.Fatalf("the unlinked report's case: %s", split.Raw)
		}
		// the month: the problem (with its merged case and one further report) and the unlinked report's own case
		rep = c.Call(t, "GET", "/reports/asb?month=2026-12", nil, "Authorization", manager)
		if rep.JSON["newCases"] != float64(2) || rep.JSON["furtherReports"] != float64(2) {
			t.Fatalf("December after merge and unlink: %s", rep.Raw)
		}
	})

	t.Run("ASB-3: reclassification recalculates the targets and is audited; ASB-8: no closure with open actions", func(t *testing.T) {
		c.PinClock(time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)) // Monday
		r := c.Call(t, "POST", "/asb/reports", func() map[string]any {
			b := noiseReport("reclass@example.org")
			b["location"] = map[string]any{"address": "Flat 9, 40 Other Road", "postcode": "NN1 1DE"}
			return b
		}())
		ref := r.JSON["reference"].(string)
		if r.JSON["appointmentBy"] != "2026-12-10" {
			t.Fatalf("%s", r.Raw)
		}
		rc := c.Call(t, "POST", "/asb/cases/"+ref+"/reclassification", map[string]any{"type": "physical-violence", "reason": "He pushed her on the stairs"}, "Authorization", officer)
		cs, _ := rc.JSON["case"].(map[string]any)
		if rc.Status != 200 || cs["type"] != "physical-violence" || cs["category"] != "personal" || cs["appointmentBy"] != "2026-12-08" {
			t.Fatalf("reclassify: %d %s", rc.Status, rc.Raw)
		}
		if e := rc.JSON["timeline"].([]any)[0].(map[string]any); e["action"] != "reclassified" || e["rule"] != "ASB-3" || e["actorId"] != "officer1" {
			t.Fatalf("audit: %v", e)
		}
		if bad := c.Call(t, "POST", "/asb/cases/"+ref+"/reclassification", map[string]any{"type": "shouting", "reason": ""}, "Authorization", officer); bad.Status != 400 || len(fieldsOf(bad)) != 2 {
			t.Fatalf("bad: %d %s", bad.Status, bad.Raw)
		}
		c.Call(t, "POST", "/asb/cases/"+ref+"/actions", map[string]any{"tool": "warning-letter", "description": "Write to him", "dueOn": "2026-12-14"}, "Authorization", officer)
		refused := c.Call(t, "POST", "/asb/cases/"+ref+"/closure", map[string]any{"outcome": "Moved away"}, "Authorization", officer)
		if refused.Status != 409 || refused.JSON["rule"] != "ASB-8" {
			t.Fatalf("closure with an open action: %d %s", refused.Status, refused.Raw)
		}
		closed := c.Call(t, "POST", "/asb/cases/"+ref+"/closure", map[string]any{"outcome": "Moved away",
			"actionOutcomes": []any{map[string]any{"id": "A1", "outcome": "Not sent: he moved out"}}}, "Authorization", officer)
		if closed.Status != 200 || closed.JSON["case"].(map[string]any)["actions"].([]any)[0].(map[string]any)["outcome"] != "Not sent: he moved out" {
			t.Fatalf("closure: %d %s", closed.Status, closed.Raw)
		}
	})
}
