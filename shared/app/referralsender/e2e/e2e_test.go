// Package e2e runs issue 13's referrals and alerts through the local cloud: the real asb-report, ooh-intake,
// ooh-processor, notifier and referral-sender binaries, DynamoDB Local, the SQS emulator and the GOV.UK Notify
// stand-in (GET /_local/outbox), with the example configuration's mailboxes.
package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/webhook"
)

func TestMain(m *testing.M) { emulators.Main(m) }

// The example configuration's addresses (infra/config/example.json), which the local cloud gives the functions.
const (
	partnerMailbox      = "community-safety@partner.example.org"
	safeguardingMailbox = "safeguarding@council.example"
	dutyMailbox         = "duty-officer@council.example"
	dutyMobile          = "07700 900999"
)

// reporter is a named reporter: none of these may reach a partner or the duty officer.
var reporter = map[string]any{"name": "Alex Resident", "email": "alex.resident@example.org", "phone": "07700 900123", "preferredContact": "email"}

var personal = []string{"Alex", "alex.resident@example.org", "07700 900123", "07700900123", "Jo Bloggs", "shouting"}

func TestReferralsAndDutyAlertsReachPeople(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "ooh-intake", "ooh-processor", "notifier", "referral-sender")
	saturdayNight := time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC) // Saturday 28 November 2026, 23:00 London
	c.PinClock(saturdayNight)
	officer := c.StaffToken(t, "officer1", catalog.GroupASBOfficer)

	outbox := func() map[string]map[string]any { // by Notify reference (our message id)
		items := map[string]map[string]any{}
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			item := it.(map[string]any)
			ref, _ := item["reference"].(string)
			items[ref] = item
		}
		return items
	}
	waitFor := func(what, reference string) map[string]any {
		t.Helper()
		localcloud.Eventually(t, 30*time.Second, what, func() bool { return outbox()[reference] != nil })
		item := outbox()[reference]
		raw, _ := json.Marshal(item)
		for _, p := range personal {
			if strings.Contains(string(raw), p) {
				t.Errorf("%s carries the reporter's %q: %s", what, p, raw)
			}
		}
		return item
	}
	timeline := func(ref string) map[string][]map[string]any { // entries by action
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

	t.Run("ASB-6: a hate-incident report reaches the council partner's mailbox and is on the case timeline", func(t *testing.T) {
		r := c.Call(t, "POST", "/asb/reports", map[string]any{
			"type": "hate-incident", "description": "Jo Bloggs keeps shouting racist abuse at my family in the stairwell.",
			"location": map[string]any{"address": "Flat 2, 10 Example Road", "postcode": "NN1 1DE"}, "ongoing": true, "anonymous": false,
			"reporter": reporter, "risk": map[string]any{},
		})
		if r.Status != 201 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		ref := r.JSON["reference"].(string)
		sent := waitFor("the partner referral", ref+"#partner")
		p := sent["personalisation"].(map[string]any)
		if sent["type"] != "email" || sent["to"] != partnerMailbox || sent["templateId"] != "placeholder-asb-referral-partner.email" ||
			p["reference"] != ref || p["type"] != "Hate related incidents" || p["location"] != "Flat 2, 10 Example Road, NN1 1DE" ||
			p["contact"] != "asb-team@council.example" || p["received_at"] != "Sat 28 Nov 2026 23:00 (London time)" {
			t.Fatalf("referral email %v", sent)
		}
		localcloud.Eventually(t, 10*time.Second, "referral-sent on the timeline", func() bool { return len(timeline(ref)["referral-sent"]) == 1 })
		entry := timeline(ref)["referral-sent"][0]
		d := entry["details"].(map[string]any)
		if entry["actor"] != "referral-sender" || entry["rule"] != "ASB-6" || d["notifyId"] != sent["id"] || d["to"] != partnerMailbox ||
			d["partner"] != "the council's hate-crime partner" || d["kind"] != "partner" {
			t.Fatalf("timeline entry %v", entry)
		}
		// no ground of danger: no duty alert, only the reporter's acknowledgement besides the referral (both are
		// written with the case, so once the acknowledgement has gone an alert would have gone too)
		localcloud.Eventually(t, 30*time.Second, "the reporter's acknowledgement", func() bool { return outbox()[ref+"#received"] != nil })
		if got := outbox(); got[ref+"#duty-alert#email"] != nil || got[ref+"#duty-alert#sms"] != nil {
			t.Fatalf("outbox for %s: %v", ref, got)
		}
	})

	t.Run("ASB-4/ASB-6: a domestic-abuse call with threats and a crime in progress, at 23:00 on a Saturday, alerts the duty officer within a minute and is referred to safeguarding", func(t *testing.T) {
		call := map[string]any{
			"callId": "OOH-SAT-1", "receivedAt": "2026-11-28T22:58:00Z", "operator": "op-7", "advisedPolice": true,
			"type": "domestic-abuse", "description": "Caller says her partner Jo Bloggs is shouting threats at her now.",
			"location": map[string]any{"address": "12 Example Court", "postcode": "NN1 2AB"}, "ongoing": true, "anonymous": false,
			"reporter": reporter, "risk": map[string]any{"threats": true, "crimeInProgress": true},
		}
		body, _ := json.Marshal(call)
		sig, err := webhook.Sign(catalog.LocalWebhookSecret, "msg_sat_1", saturdayNight, body)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r := c.Call(t, "POST", "/webhooks/out-of-hours", body,
			"webhook-id", "msg_sat_1", "webhook-timestamp", fmt.Sprint(saturdayNight.Unix()), "webhook-signature", sig)
		if r.Status != 202 {
			t.Fatalf("webhook: %d %s", r.Status, r.Raw)
		}
		var ref string
		localcloud.Eventually(t, 60*time.Second, "the duty officer's email and text", func() bool {
			for reference := range outbox() {
				if strings.HasSuffix(reference, "#duty-alert#email") && outbox()[strings.TrimSuffix(reference, "email")+"sms"] != nil {
					ref = strings.TrimSuffix(reference, "#duty-alert#email")
					return true
				}
			}
			return false
		})
		if took := time.Since(start); took > time.Minute {
			t.Errorf("the duty officer was alerted after %s", took)
		}
		email, sms := waitFor("the duty alert email", ref+"#duty-alert#email"), waitFor("the duty alert text", ref+"#duty-alert#sms")
		p := email["personalisation"].(map[string]any)
		if email["type"] != "email" || email["to"] != dutyMailbox || email["templateId"] != "placeholder-asb-duty-alert.email" ||
			sms["type"] != "sms" || sms["to"] != dutyMobile || sms["templateId"] != "placeholder-asb-duty-alert.sms" ||
			p["channel"] != "out-of-hours" || p["type"] != "Domestic abuse" || p["risk_level"] != "high" ||
			!strings.Contains(p["grounds"].(string), "threats of violence") || !strings.Contains(p["grounds"].(string), "a crime in progress") ||
			p["location"] != "12 Example Court, NN1 2AB" || p["received_at"] != "Sat 28 Nov 2026 22:58 (London time)" {
			t.Fatalf("duty alerts %v / %v", email, sms)
		}
		referral := waitFor("the safeguarding referral", ref+"#safeguarding")
		if referral["to"] != safeguardingMailbox || referral["templateId"] != "placeholder-asb-referral-safeguarding.email" {
			t.Fatalf("safeguarding referral %v", referral)
		}
		localcloud.Eventually(t, 10*time.Second, "the referral and the alerts on the timeline", func() bool {
			tl := timeline(ref)
			return len(tl["referral-sent"]) == 1 && len(tl["notification-sent"]) == 3 // the alerts, and the caller's acknowledgement
		})
		tl := timeline(ref)
		if d := tl["referral-sent"][0]["details"].(map[string]any); d["notifyId"] != referral["id"] || d["partner"] != "the safeguarding team" {
			t.Fatalf("referral entry %v", d)
		}
		roles := map[string]int{}
		for _, e := range tl["notification-sent"] {
			roles[e["details"].(map[string]any)["role"].(string)]++
		}
		if roles["duty-officer"] != 2 || roles["resident"] != 1 {
			t.Fatalf("notifications on the timeline by role: %v", roles)
		}
		if reported := tl["reported"][0]["details"].(map[string]any); reported["dutyAlert"] == nil {
			t.Errorf("the report's entry does not say the duty officer was alerted: %v", reported)
		}
	})

	t.Run("ASB-6: a crime in progress alone, from the online form, alerts the duty officer", func(t *testing.T) {
		r := c.Call(t, "POST", "/asb/reports", map[string]any{
			"type": "vandalism", "description": "Someone is smashing the bin store door right now, shouting at passers-by.",
			"location": map[string]any{"address": "Bin store, Example Court", "postcode": "NN1 2AB"}, "ongoing": true, "anonymous": true,
			"risk": map[string]any{"crimeInProgress": true},
		})
		if r.Status != 201 || r.JSON["riskLevel"] != "standard" || !strings.Contains(string(r.Raw), "999") {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		ref := r.JSON["reference"].(string)
		email, sms := waitFor("the duty alert email", ref+"#duty-alert#email"), waitFor("the duty alert text", ref+"#duty-alert#sms")
		if p := sms["personalisation"].(map[string]any); email["to"] != dutyMailbox || sms["to"] != dutyMobile || p["channel"] != "online" ||
			p["risk_level"] != "standard" || !strings.HasPrefix(p["grounds"].(string), "a crime in progress") {
			t.Fatalf("duty alerts %v / %v", email, sms)
		}
	})
}
