// Package e2e runs issue 17's GOV.UK Notify delivery receipts and letters through the local cloud: the real
// asb-report, notifier and notify-receipts binaries, DynamoDB Local, the SQS emulator and the GOV.UK Notify
// stand-in, which keeps what it is sent (GET /_local/outbox) and posts delivery receipts to the callback route with
// the bearer token, as Notify does (POST /_local/notify/receipts).
package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/app/deliveryreceipts"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/notifyapi"
)

func TestMain(m *testing.M) { emulators.Main(m) }

var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // Monday 23 November 2026, 10:00 London

func TestDeliveryReceiptsAndLetters(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "notifier", catalog.NotifyReceiptsFunction)
	c.PinClock(monday)
	officer := c.StaffToken(t, "officer1", catalog.GroupASBOfficer)
	callback := "/" + strings.SplitN(notifyapi.Route, " /", 2)[1]

	reports := 0
	report := func(reporter map[string]any) string { // each about a flat of its own: a case of its own, not a further report (ASB-9)
		t.Helper()
		reports++
		r := c.Call(t, "POST", "/asb/reports", map[string]any{
			"type": "noise", "description": "Loud music every night after midnight.",
			"location": map[string]any{"address": fmt.Sprintf("Flat %d, 10 Example Road", reports), "postcode": "NN1 1DE"}, "ongoing": true, "anonymous": false,
			"reporter": reporter, "risk": map[string]any{},
		})
		if r.Status != 201 {
			t.Fatalf("report: %d %s", r.Status, r.Raw)
		}
		return r.JSON["reference"].(string)
	}
	sent := func(reference string) map[string]any { // the Notify stand-in's item with this reference
		t.Helper()
		var item map[string]any
		localcloud.Eventually(t, 30*time.Second, "Notify to get "+reference, func() bool {
			for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
				if it.(map[string]any)["reference"] == reference {
					item = it.(map[string]any)
					return true
				}
			}
			return false
		})
		return item
	}
	timeline := func(ref string) map[string][]map[string]any { // the staff case view's entries, by action
		t.Helper()
		r := c.Call(t, "GET", "/asb/cases/"+ref, nil, "Authorization", officer)
		if r.Status != 200 {
			t.Fatalf("case %s: %d %s", ref, r.Status, r.Raw)
		}
		out := map[string][]map[string]any{}
		for _, e := range r.JSON["timeline"].([]any) {
			entry := e.(map[string]any)
			out[entry["action"].(string)] = append(out[entry["action"].(string)], entry)
		}
		return out
	}
	receipt := func(reference, status string) map[string]any { // the stand-in posts Notify's receipt; what the route answered
		t.Helper()
		r := c.Call(t, "POST", "/_local/notify/receipts", map[string]any{"reference": reference, "status": status})
		if r.Status != 200 {
			t.Fatalf("receipt: %d %s", r.Status, r.Raw)
		}
		return r.JSON["callback"].(map[string]any)
	}

	t.Run("a permanent failure to a resident reaches the case timeline once, where officers see it, without the address", func(t *testing.T) {
		ref := report(map[string]any{"name": "Alex Resident", "email": "alex.resident@example.org", "preferredContact": "email"})
		email := sent(ref + "#received")
		localcloud.Eventually(t, 10*time.Second, "notification-sent", func() bool { return len(timeline(ref)["notification-sent"]) == 1 })

		c.PinClock(monday.Add(2 * time.Minute))
		answer := receipt(ref+"#received", deliveryreceipts.PermanentFailure)
		body, _ := answer["body"].(map[string]any)
		if answer["status"] != float64(202) || body["status"] != "recorded" || body["action"] != deliveryreceipts.ActionPermanentFailure {
			t.Fatalf("callback answered %v", answer)
		}
		// Notify sends it again: recorded once
		if again := receipt(ref+"#received", deliveryreceipts.PermanentFailure); again["body"].(map[string]any)["status"] != "duplicate" {
			t.Fatalf("again: %v", again)
		}
		tl := timeline(ref)
		failed := tl[deliveryreceipts.ActionPermanentFailure]
		if len(failed) != 1 {
			t.Fatalf("timeline %v", tl)
		}
		d := failed[0]["details"].(map[string]any)
		if failed[0]["actor"] != deliveryreceipts.Actor || d["notifyId"] != email["id"] || d["notificationId"] != ref+"#received" ||
			d["role"] != "resident" || d["channel"] != "email" || d["status"] != "permanent-failure" ||
			!strings.Contains(d["note"].(string), "Reach them another way") || failed[0]["at"] != "2026-11-23T10:02:00Z" {
			t.Fatalf("entry %v", failed[0])
		}
		if raw, _ := json.Marshal(failed[0]); strings.Contains(string(raw), "alex.resident@example.org") {
			t.Errorf("the receipt's entry repeats the address: %s", raw)
		}

		receipt(ref+"#received", deliveryreceipts.Delivered)
		if got := timeline(ref)[deliveryreceipts.ActionDelivered]; len(got) != 1 {
			t.Fatalf("delivered: %v", got)
		}
	})

	t.Run("the callback refuses a wrong token and stores nothing for a notification that is not ours", func(t *testing.T) {
		body := map[string]any{"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "ASB-0000-0000#received", "to": "someone@example.org",
			"status": "delivered", "created_at": "2026-11-23T10:00:00.000000Z", "completed_at": "2026-11-23T10:01:00.000000Z",
			"sent_at": nil, "notification_type": "email"}
		if r := c.Call(t, "POST", callback, body, "Authorization", "Bearer not-the-token"); r.Status != 401 {
			t.Fatalf("wrong token: %d %s", r.Status, r.Raw)
		}
		if r := c.Call(t, "POST", callback, body); r.Status != 401 {
			t.Fatalf("no token: %d %s", r.Status, r.Raw)
		}
		r := c.Call(t, "POST", callback, body, "Authorization", "Bearer "+catalog.LocalNotifyCallbackToken)
		if r.Status != 202 || r.JSON["status"] != "unknown" {
			t.Fatalf("not ours: %d %s", r.Status, r.Raw)
		}
		// a field Notify may add in future is ignored; a field we read is checked
		body["cost_in_pounds"] = 0.03
		if r := c.Call(t, "POST", callback, body, "Authorization", "Bearer "+catalog.LocalNotifyCallbackToken); r.Status != 202 {
			t.Fatalf("a field Notify added: %d %s", r.Status, r.Raw)
		}
		body["status"] = "opened"
		if r := c.Call(t, "POST", callback, body, "Authorization", "Bearer "+catalog.LocalNotifyCallbackToken); r.Status != 400 ||
			!strings.Contains(string(r.Raw), `"status"`) || strings.Contains(string(r.Raw), "cost_in_pounds") {
			t.Fatalf("malformed: %d %s", r.Status, r.Raw)
		}
	})

	t.Run("a resident who prefers post gets a letter through Notify's letter API; without a postcode, the timeline says why", func(t *testing.T) {
		ref := report(map[string]any{"name": "Lee Resident", "email": "lee@example.org", "address": "Flat 3, 12 Example Court, Northtown",
			"postcode": "nn1 2ab", "preferredContact": "letter"}) // a named reporter always gives an email or phone too (ASB-4, ASB-7)
		letter := sent(ref + "#received")
		p := letter["personalisation"].(map[string]any)
		if letter["type"] != "letter" || letter["to"] != "Lee Resident, Flat 3, 12 Example Court, Northtown, NN1 2AB" ||
			letter["templateId"] != "placeholder-asb-report-received.letter" || p["address_line_1"] != "Lee Resident" ||
			p["address_line_5"] != "NN1 2AB" || p["reference"] != ref {
			t.Fatalf("letter %v", letter)
		}
		localcloud.Eventually(t, 10*time.Second, "the letter on the timeline", func() bool { return len(timeline(ref)["notification-sent"]) == 1 })
		d := timeline(ref)["notification-sent"][0]["details"].(map[string]any)
		if d["channel"] != "letter" || d["to"] != "by post" || d["notifyId"] != letter["id"] {
			t.Fatalf("entry %v", d)
		}

		none := report(map[string]any{"name": "Kim Resident", "phone": "07700 900456", "address": "4 Example Lane", "preferredContact": "letter"})
		localcloud.Eventually(t, 30*time.Second, "letter-not-sent", func() bool { return len(timeline(none)["letter-not-sent"]) == 1 })
		if d := timeline(none)["letter-not-sent"][0]["details"].(map[string]any); d["reason"] != "no UK postcode in the postal address" {
			t.Fatalf("letter-not-sent %v", d)
		}
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			if it.(map[string]any)["reference"] == none+"#received" {
				t.Fatalf("sent without a postcode: %v", it)
			}
		}
	})
}
