package asbcases_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/testsupport"
)

var duty = asbcases.DutyOfficer{Email: "duty@northtown.gov.uk", Phone: "07911 123456"}

// saturdayNight is Saturday 28 November 2026, 23:00 London (GMT).
var saturdayNight = time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC)

func service() (asbcases.Service, testsupport.ASBCases, *testsupport.Outbox) {
	store, out := testsupport.NewASBCases(), &testsupport.Outbox{}
	return asbcases.Service{Store: store, Outbox: out, Homes: 12000, Duty: duty}, store, out
}

func report(typ string, risk asb.Risk) asb.Report {
	return asb.Report{Type: typ, Description: "Shouting and banging on my door, Jo Bloggs from number 4.",
		Location: asb.Location{Address: "Flat 2, 10 High Street", Postcode: "NN1 1DE"}, Risk: risk,
		Reporter: &asb.Reporter{Name: "Alex Resident", Email: "alex@example.org", Phone: "07700 900123", PreferredContact: "email"}}
}

// alerts are the duty alerts among the messages, by channel.
func alerts(t *testing.T, msgs []casework.Message) map[string]notification.Request {
	t.Helper()
	out := map[string]notification.Request{}
	for _, m := range msgs {
		var req notification.Request
		if m.Queue != catalog.NotificationsQueue || json.Unmarshal(m.Body, &req) != nil || req.Template != notification.ASBDutyAlert {
			continue
		}
		channel := "email"
		if req.To.Phone != "" {
			channel = "sms"
		}
		out[channel] = req
		for _, personal := range []string{"Alex", "alex@example.org", "07700", "Jo Bloggs", "Shouting"} {
			if strings.Contains(string(m.Body), personal) {
				t.Errorf("the duty alert carries %q: %s", personal, m.Body)
			}
		}
	}
	return out
}

// ASB-4 / ASB-6: a high-risk or crime-in-progress report, from the online form or an out-of-hours call and at any
// hour, alerts the duty officer by email and by text; the alerts are written with the case (its transaction's
// messages) and name the case, the grounds, where, the channel and when, never the reporter.
func TestImmediateDutyAlert(t *testing.T) {
	ctx := context.Background()

	t.Run("ASB-4: a high-risk online report on a Saturday night", func(t *testing.T) {
		svc, store, out := service()
		r, err := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{FeelsUnsafe: true, Threats: true}), At: saturdayNight})
		if err != nil {
			t.Fatal(err)
		}
		got := alerts(t, store.Messages)
		email, sms := got["email"], got["sms"]
		if len(got) != 2 || email.To.Email != duty.Email || email.To.Role != notification.Duty || sms.To.Phone != duty.Phone || sms.To.PreferredContact != "sms" {
			t.Fatalf("alerts %+v", got)
		}
		if email.ID != r.Case.Reference+"#duty-alert#email" || sms.ID != r.Case.Reference+"#duty-alert#sms" || email.CaseRef != r.Case.Reference ||
			!email.RequestedAt.Equal(saturdayNight) {
			t.Errorf("ids and case: %+v", email)
		}
		p := email.Personalisation
		want := map[string]string{"reference": r.Case.Reference, "type": "Noise", "risk_level": "high",
			"grounds": "threats of violence; the reporter feels unsafe", "location": "Flat 2, 10 High Street, NN1 1DE", "channel": "online",
			"received_at": "Sat 28 Nov 2026 23:00 (London time)", "case_path": "/asb/cases/" + r.Case.Reference}
		for k, v := range want {
			if p[k] != v {
				t.Errorf("personalisation[%s] = %q, want %q", k, p[k], v)
			}
		}
		if len(out.Delivered) != len(store.Messages) {
			t.Errorf("delivered %d of the %d messages stored with the case", len(out.Delivered), len(store.Messages))
		}
	})

	t.Run("ASB-6: a crime in progress by an out-of-hours call, received in summer time", func(t *testing.T) {
		svc, store, _ := service()
		call := asb.Call{Report: report("vandalism", asb.Risk{CrimeInProgress: true}), CallID: "OOH-9", ReceivedAt: "2026-07-04T22:10:00Z", Operator: "op-7"}
		if _, err := svc.RecordCall(ctx, asbcases.RecordCall{Call: call, At: time.Date(2026, 7, 4, 22, 12, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		got := alerts(t, store.Messages)
		p := got["sms"].Personalisation
		if len(got) != 2 || p["channel"] != "out-of-hours" || p["risk_level"] != "standard" || p["grounds"] != asb.CrimeInProgressGround ||
			p["received_at"] != "Sat 4 Jul 2026 23:10 (London time)" {
			t.Fatalf("alerts %+v", got)
		}
	})

	t.Run("an anonymous report is alerted too: the alert needs no reporter", func(t *testing.T) {
		svc, store, _ := service()
		r := report("physical-violence", asb.Risk{ChildAtRisk: true})
		r.Anonymous = true
		if _, err := svc.Report(ctx, asbcases.Report{Form: r, At: saturdayNight}); err != nil {
			t.Fatal(err)
		}
		if got := alerts(t, store.Messages); len(got) != 2 {
			t.Fatalf("alerts %+v", got)
		}
	})

	t.Run("no ground, no alert: a hate incident is referred (ASB-6), not alerted", func(t *testing.T) {
		svc, store, _ := service()
		if _, err := svc.Report(ctx, asbcases.Report{Form: report("hate-incident", asb.Risk{}), At: saturdayNight}); err != nil {
			t.Fatal(err)
		}
		if got := alerts(t, store.Messages); len(got) != 0 {
			t.Fatalf("alerts %+v", got)
		}
		var queues []string
		for _, m := range store.Messages {
			queues = append(queues, m.Queue)
		}
		if !slices.Equal(queues, []string{catalog.ReferralsQueue, catalog.NotificationsQueue}) {
			t.Errorf("messages to %v: the referral and the acknowledgement", queues)
		}
	})
}
