// Package e2e runs the README's reminder walkthrough through the local cloud: the real complaint, reminder and
// notifier binaries, the queues, and the Notify stand-in.
package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
)

func TestMain(m *testing.M) { emulators.Main(m) }

func TestComplaintReminderReachesTheOutbox(t *testing.T) {
	c := localcloud.StartForTest(t, "complaint-escalation", "deadline-reminders", "notifier")
	c.PinClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	r := c.Call(t, "POST", "/complaints", map[string]any{
		"description": "Nobody came to fix the boiler.", "outcomesSought": "Fix it", "serviceArea": "repairs", "issueDate": "2026-11-02",
		"complainant": map[string]any{"name": "Sam", "email": "sam@example.org", "preferredContact": "email"},
	})
	if r.Status != 201 || r.JSON["acknowledgeBy"] != "2026-11-30" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	ref := r.JSON["reference"].(string)
	outbox := func() []map[string]any {
		var items []map[string]any
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			items = append(items, it.(map[string]any))
		}
		return items
	}
	localcloud.Eventually(t, 15*time.Second, "the complaint acknowledgement email", func() bool { return len(outbox()) == 1 })
	if got := outbox()[0]; got["to"] != "sam@example.org" || got["reference"] != ref+"#received" {
		t.Fatalf("acknowledgement: %v", got)
	}
	// the day before the acknowledgement deadline: the complaints team's digest lists it, due soon, with its link
	c.PinClock(time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC))
	fired := c.Call(t, "POST", "/_local/schedules/deadline-reminders-weekday-morning", nil)
	if fired.Status != 200 || fired.JSON["sent"] != float64(1) || fired.JSON["digests"] != float64(1) {
		t.Fatalf("schedule: %d %s", fired.Status, fired.Raw)
	}
	localcloud.Eventually(t, 15*time.Second, "the digest in the outbox", func() bool { return len(outbox()) == 2 })
	newest := outbox()[0]
	p, _ := newest["personalisation"].(map[string]any)
	if newest["to"] != "complaints@council.example" || !strings.HasPrefix(newest["reference"].(string), "digest#2026-11-27#") ||
		!strings.Contains(newest["templateId"].(string), "reminder-digest") || p["due_soon_count"] != "1" || p["overdue"] != "None" ||
		!strings.Contains(p["due_soon"].(string), ref) || !strings.Contains(p["due_soon"].(string), "due 2026-11-30") ||
		!strings.Contains(p["due_soon"].(string), "/complaints/"+ref+"/record") {
		t.Fatalf("digest: %v", newest)
	}
	// firing again on the same day sends nothing twice
	again := c.Call(t, "POST", "/_local/schedules/deadline-reminders-weekday-morning", nil)
	if again.JSON["sent"] != float64(0) || again.JSON["alreadySent"] != float64(1) {
		t.Fatalf("second firing: %s", again.Raw)
	}
	// the acknowledgement is on the complaint's timeline; the staff digest is not correspondence with the
	// complainant, so it is recorded under its recipient, not on the timelines of the cases it lists
	officer := c.StaffToken(t, "officer-a", "complaints-officer")
	time.Sleep(time.Second) // the digest is in the outbox: its record is written a moment after
	rec := c.Call(t, "GET", "/complaints/"+ref+"/record", nil, "Authorization", officer)
	var sent []any
	for _, e := range rec.JSON["timeline"].([]any) {
		if e.(map[string]any)["action"] == "notification-sent" {
			sent = append(sent, e)
		}
	}
	if len(sent) != 1 || len(outbox()) != 2 {
		t.Fatalf("timeline notifications %v, outbox %d", sent, len(outbox()))
	}
}
