package asbapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/testsupport/routefuzz"
	"github.com/councilhousing/backend/shared/transport/asbapi"
	"github.com/councilhousing/backend/shared/transport/webhook"
)

// Fuzz targets for the JSON bodies of the ASB routes anyone may call: POST /asb/reports (asb-report) and the
// signed out-of-hours webhook (ooh-intake, then ooh-processor). `make test` runs each briefly from these seeds;
// `make fuzz` runs them for longer.

// The README's curl body for an ASB report, and variants near the edges of what is valid.
var reportSeeds = []string{
	`{
  "type": "noise", "description": "Loud music every night after midnight.",
  "location": {"address": "Flat 2, 10 Example Road", "postcode": "NN1 1DE"}, "ongoing": true, "anonymous": false,
  "reporter": {"name": "Alex Resident", "email": "alex@example.org", "preferredContact": "email", "language": "en"},
  "risk": {"vulnerable": false, "feelsUnsafe": false, "childAtRisk": false, "threats": false, "crimeInProgress": false}}`,
	`{"type":"hate-incident","description":"Abuse shouted at my door","location":{"address":"1 A Road","postcode":"nn11de"},
  "occurredAt":"2026-11-22T21:15:00Z","anonymous":true,"risk":{"vulnerable":true,"childAtRisk":true,"threats":true,"crimeInProgress":true}}`,
	`{"type":"domestic-abuse","description":"x","location":{"address":"a","postcode":"GIR 0AA"},"anonymous":true,
  "reporter":{"name":"Dropped","email":"not-an-email","phone":"999"}}`,
	`{"type":"noise","description":"x","location":{"address":"a","postcode":"SW1A 1AA"},
  "reporter":{"name":"Phone Only","phone":"+44 (0)7700 900123","preferredContact":"sms"}}`,
	`{"type":"noise","description":"x","location":{"address":"a","postcode":"SW1A 1AA"},
  "reporter":{"name":"Letters","address":"1 Road","preferredContact":"letter"}}`,
	`{"type":"noise","description":"   ","location":{"address":" ","postcode":"NN1 1DE"},"reporter":{"name":"   ","email":"a@b.co"}}`,
	`{"type":"noise","description":"x","location":{"address":"a","postcode":"NN1 1DE"},"occurredAt":"0001-01-01T00:00:00Z",
  "reporter":{"name":"A","email":"a@b.co"}}`,
	`{"type":"noise","description":"x","location":{"address":"a","postcode":"NN1 1DE"},"occurredAt":"2126-11-23T10:00:00+14:00",
  "reporter":{"name":"A","email":"a@b.co"}}`,
	`{"type":"noise","description":"x","location":{"address":"a","postcode":"NN1 1DE"},"occurredAt":"2026-11-23T10:04:59Z",
  "reporter":{"name":"A","email":"a@b.co","language":"` + strings.Repeat("x", 36) + `"}}`,
	`{"type":"rubbish","description":"` + strings.Repeat("d", 5001) + `","location":{"address":"` + strings.Repeat("a", 301) +
		`","postcode":"XX"},"reporter":{"name":"` + strings.Repeat("n", 201) + `","email":"` + strings.Repeat("e", 250) + `@x.org","phone":"12"}}`,
	`{"type":"noise","description":"x","location":{"address":"a","postcode":"NN1 1DE"},"reporter":{"name":"A","email":"a@b.co","extra":1}}`,
}

// FuzzASBReportBody: any body sent to POST /asb/reports, read as the handler reads it and validated, is either
// a valid report that encodes and reads back the same, or an error a caller may be shown (bounded, not 5xx).
// The whole handler, over the in-memory store, never answers 5xx or an unbounded answer; it answers 201 exactly
// for the valid reports (then the case is stored, the reporter can read it with their token, and a retry with
// the same Idempotency-Key gets the same answer without a second case); for the others nothing is stored.
func FuzzASBReportBody(f *testing.F) {
	testsupport.QuietLogs(f)
	for _, s := range append(reportSeeds, testsupport.HostileBodies()...) {
		f.Add(s, "")
	}
	f.Add(reportSeeds[0], "demo-asb-1")
	f.Add(reportSeeds[1], strings.Repeat("k", 256))
	f.Add(reportSeeds[3], " \t")

	f.Fuzz(func(t *testing.T, body, idempotencyKey string) {
		_, valid := routefuzz.Decode(t, body, func(r asb.Report) error { return r.Validate(monday) })

		fx := newFixture()
		req := testsupport.Request{Route: "POST /asb/reports", Body: body, At: monday, Header: map[string]string{"Idempotency-Key": idempotencyKey}}
		resp, err := fx.h(context.Background(), req.Event())
		if err != nil {
			t.Fatal(err)
		}
		answer := testsupport.CheckAnswer(t, resp)
		key := strings.TrimSpace(idempotencyKey)
		switch {
		case valid && len(key) > 255:
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("an Idempotency-Key of %d characters: %d %s", len(key), resp.StatusCode, resp.Body)
			}
		case valid && resp.StatusCode != http.StatusCreated, !valid && resp.StatusCode < 400:
			t.Fatalf("valid=%v but answered %d: %.500s", valid, resp.StatusCode, resp.Body)
		}
		stored := fx.store.All()
		if resp.StatusCode != http.StatusCreated {
			if len(stored) != 0 || len(fx.outbox.Delivered) != 0 {
				t.Fatalf("answered %d but stored %d cases, sent %d messages", resp.StatusCode, len(stored), len(fx.outbox.Delivered))
			}
			return
		}
		ref, _ := answer["reference"].(string)
		if len(stored) != 1 || stored[0].Reference != ref {
			t.Fatalf("201 for %q, stored %d cases", ref, len(stored))
		}
		if token, _ := answer["accessToken"].(string); token != "" {
			r := testsupport.Request{Route: "GET /asb/reports/{reference}", Path: map[string]string{"reference": ref}, Token: token, At: monday}
			view, err := fx.h(context.Background(), r.Event())
			if err != nil || view.StatusCode != http.StatusOK {
				t.Fatalf("the reporter cannot read %s: %d %s", ref, view.StatusCode, view.Body)
			}
			testsupport.CheckAnswer(t, view)
		}
		if key != "" {
			again, err := fx.h(context.Background(), req.Event())
			if err != nil || again.StatusCode != http.StatusCreated || again.Body != resp.Body || len(fx.store.All()) != 1 {
				t.Fatalf("retry with the same Idempotency-Key: %d %s (%d cases)", again.StatusCode, again.Body, len(fx.store.All()))
			}
		}
	})
}

// A Friday night, and the out-of-hours call of the README's curl example taken five minutes before.
var oohNow = time.Date(2026, 11, 20, 22, 45, 0, 0, time.UTC)

var callSeeds = []string{
	`{"callId":"OOH-1763678400","receivedAt":"2026-11-20T22:40:00Z","operator":"op-7","advisedPolice":false,
 "type":"verbal-abuse","description":"Neighbour shouting threats in the stairwell.","ongoing":false,"anonymous":false,
 "location":{"address":"12 Example Court","postcode":"NN1 2AB"},
 "reporter":{"name":"Caller","phone":"07700 900123","preferredContact":"sms"},
 "risk":{"feelsUnsafe":true}}`,
	`{"callId":"OOH-2","receivedAt":"2026-11-13T22:45:00Z","operator":"op-7","type":"noise","description":"x","anonymous":true,
 "location":{"address":"a","postcode":"NN1 1DE"},"occurredAt":"2026-11-13T22:00:00Z"}`,
	`{"callId":"OOH-3","receivedAt":"2026-11-20T22:50:00Z","operator":"op-7","type":"noise","description":"x","anonymous":true,
 "location":{"address":"a","postcode":"NN1 1DE"},"occurredAt":"2026-11-20T22:49:59Z"}`,
	`{"callId":"OOH-4","receivedAt":"0001-01-01T00:00:00Z","operator":"op-7","type":"noise","description":"x","anonymous":true,
 "location":{"address":"a","postcode":"NN1 1DE"}}`,
	`{"callId":"OOH-5","receivedAt":"1900-01-01T00:00:00Z","operator":"op-7","type":"noise","description":"x","anonymous":true,
 "location":{"address":"a","postcode":"NN1 1DE"}}`,
	`{"callId":"` + strings.Repeat("c", 101) + `","receivedAt":"2026-11-20 22:40","operator":"","type":"noise","description":"x",
 "location":{"address":"a","postcode":"NN1 1DE"},"reporter":{"name":"A"}}`,
	`{"callId":"OOH-6","receivedAt":"2026-11-20T22:40:00Z","operator":"op-7","type":"noise","description":"x",
 "location":{"address":"a","postcode":"NN1 1DE"},"reporter":{"name":"A","phone":"07700 900123"},"webhook":"extra"}`,
}

// FuzzOutOfHoursWebhook: any body the answering service (or anyone with the secret) signs and posts to
// POST /webhooks/out-of-hours, with any webhook-id, is answered without a 5xx or an unbounded answer: 401 without
// an id, 400 for an id too long to key the duplicate check or a call that is not valid (then nothing is queued),
// else 202 with the call queued once. A queued call is one the ooh-processor turns into a case (nothing reaches
// the dead-letter queue), and the same webhook again is a 202 duplicate that queues nothing. The same body with a
// wrong signature is a 401 that queues nothing.
func FuzzOutOfHoursWebhook(f *testing.F) {
	testsupport.QuietLogs(f)
	for _, s := range append(callSeeds, testsupport.HostileBodies()...) {
		f.Add(s, "msg_p5jXN8AQM9LWM0D4loKWxJek")
	}
	f.Add(callSeeds[0], "")
	f.Add(callSeeds[0], strings.Repeat("m", asbapi.MaxWebhookIDLength+1))
	f.Add(callSeeds[0], "msg \x00\u202e😀#")

	f.Fuzz(func(t *testing.T, body, id string) {
		call, valid := routefuzz.Decode(t, body, func(c asb.Call) error { return c.Validate(oohNow) })

		queued := &sent{}
		h := asbapi.WebhookIntake{Secret: catalog.LocalWebhookSecret, Claims: &claims{seen: map[string]bool{}}, Queues: queued}.Routes().
			Handler(catalog.MustFunction("ooh-intake"))
		post := func(signature string) events.APIGatewayV2HTTPResponse {
			req := testsupport.Request{Route: "POST /webhooks/out-of-hours", Body: body, At: oohNow, Header: map[string]string{
				"webhook-id": id, "webhook-timestamp": fmt.Sprint(oohNow.Unix()), "webhook-signature": signature}}
			resp, err := h(context.Background(), req.Event())
			if err != nil {
				t.Fatal(err)
			}
			testsupport.CheckAnswer(t, resp)
			return resp
		}
		signature, err := webhook.Sign(catalog.LocalWebhookSecret, id, oohNow, []byte(body))
		if err != nil {
			t.Fatal(err)
		}

		if r := post(strings.Replace(signature, "v1,", "v1,A", 1)); r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("a wrong signature: %d %s", r.StatusCode, r.Body)
		}
		resp := post(signature)
		want := http.StatusAccepted
		switch {
		case len(body) > testsupport.MaxBodyBytesForSeeds:
			want = http.StatusRequestEntityTooLarge
		case id == "":
			want = http.StatusUnauthorized
		case len(id) > asbapi.MaxWebhookIDLength, !valid:
			want = http.StatusBadRequest
		}
		if resp.StatusCode != want {
			t.Fatalf("valid=%v, id of %d bytes: %d, want %d: %.500s", valid, len(id), resp.StatusCode, want, resp.Body)
		}
		if want != http.StatusAccepted {
			if len(queued.messages) != 0 {
				t.Fatalf("answered %d but queued %d calls", resp.StatusCode, len(queued.messages))
			}
			return
		}
		if len(queued.messages) != 1 || string(queued.messages[0].Body) != body {
			t.Fatalf("202 but queued %d calls", len(queued.messages))
		}
		if again := post(signature); again.StatusCode != http.StatusAccepted || !strings.Contains(again.Body, `"duplicate"`) || len(queued.messages) != 1 {
			t.Fatalf("the same webhook again: %d %s, %d queued", again.StatusCode, again.Body, len(queued.messages))
		}

		// ooh-processor: the queued call becomes a case, timed from the call.
		fx := newFixture()
		msg := events.SQSMessage{MessageId: "m1", Body: string(queued.messages[0].Body),
			Attributes: map[string]string{"SentTimestamp": fmt.Sprint(oohNow.Add(time.Second).UnixMilli())}}
		out, err := asbapi.CallQueue{Service: fx.svc}.Process(context.Background(), events.SQSEvent{Records: []events.SQSMessage{msg}})
		if err != nil || len(out.BatchItemFailures) != 0 {
			t.Fatalf("ooh-processor failed an accepted call (it would end in the dead-letter queue): %v %+v", err, out.BatchItemFailures)
		}
		cases := fx.store.All()
		if len(cases) != 1 || cases[0].CallID != call.CallID || cases[0].Channel != "out-of-hours" {
			t.Fatalf("the accepted call %q made %d cases", call.CallID, len(cases))
		}
	})
}
