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
	// the day before the acknowledgement deadline: a due-soon reminder to the complaints team
	c.PinClock(time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC))
	fired := c.Call(t, "POST", "/_local/schedules/deadline-reminders-weekday-morning", nil)
	if fired.Status != 200 || fired.JSON["sent"] != float64(1) {
		t.Fatalf("schedule: %d %s", fired.Status, fired.Raw)
	}
	localcloud.Eventually(t, 15*time.Second, "the reminder in the outbox", func() bool { return len(outbox()) == 2 })
	newest := outbox()[0]
	if newest["to"] != "complaints@council.example" || !strings.Contains(newest["reference"].(string), "due-soon") ||
		newest["personalisation"].(map[string]any)["due"] != "2026-11-30" {
		t.Fatalf("reminder: %v", newest)
	}
	// firing again on the same day sends nothing twice
	again := c.Call(t, "POST", "/_local/schedules/deadline-reminders-weekday-morning", nil)
	if again.JSON["sent"] != float64(0) || again.JSON["alreadySent"] != float64(1) {
		t.Fatalf("second firing: %s", again.Raw)
	}
	// the notifications are on the complaint's timeline
	officer := c.StaffToken(t, "officer-a", "complaints-officer")
	localcloud.Eventually(t, 10*time.Second, "notifications on the timeline", func() bool {
		rec := c.Call(t, "GET", "/complaints/"+ref+"/record", nil, "Authorization", officer)
		sent := 0
		for _, e := range rec.JSON["timeline"].([]any) {
			if e.(map[string]any)["action"] == "notification-sent" {
				sent++
			}
		}
		return sent == 2
	})
}
