package asbapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/webhook"
)

func TestMain(m *testing.M) { emulators.Main(m) }

func noiseReport(email string) map[string]any {
	return map[string]any{
		"type": "noise", "description": "Very loud music from the flat above every night after midnight.",
		"location": map[string]any{"address": "Flat 2, 10 Example Road", "postcode": "NN1 1DE"},
		"ongoing":  true, "anonymous": false,
		"reporter": map[string]any{"name": "Alex Resident", "email": email, "preferredContact": "email", "language": "en"},
		"risk":     map[string]any{"vulnerable": false, "feelsUnsafe": false, "childAtRisk": false, "threats": false, "crimeInProgress": false},
	}
}

func fieldsOf(r localcloud.Response) []string {
	var out []string
	errs, _ := r.JSON["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["field"].(string))
	}
	return out
}

func receive(t *testing.T, c *localcloud.Cloud, url string) []string {
	out, err := c.SQSClient().ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, m := range out.Messages {
		bodies = append(bodies, aws.ToString(m.Body))
	}
	return bodies
}

func TestASBReportsEndToEnd(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report")
	c.PinClock(time.Date(2026, 12, 24, 11, 0, 0, 0, time.UTC)) // Thursday before Christmas

	t.Run("ASB-3/ASB-4: a report gets its category, risk and working-day dates from the time of receipt", func(t *testing.T) {
		r := c.Call(t, "POST", "/asb/reports", noiseReport("alex@example.org"))
		if r.Status != 201 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		j := r.JSON
		if j["category"] != "nuisance" || j["riskLevel"] != "standard" || j["acknowledgeBy"] != "2026-12-29" || j["appointmentBy"] != "2026-12-31" ||
			j["accessToken"] == nil || !strings.HasPrefix(j["reference"].(string), "ASB-") {
			t.Fatalf("receipt: %s", r.Raw)
		}
		ref, token := j["reference"].(string), j["accessToken"].(string)
		got := c.Call(t, "GET", "/asb/reports/"+ref, nil, "Authorization", "Bearer "+token)
		if got.Status != 200 || got.JSON["status"] != "received" || got.JSON["appointmentBy"] != "2026-12-31" {
			t.Fatalf("public status: %d %s", got.Status, got.Raw)
		}
		wrong := c.Call(t, "GET", "/asb/reports/"+ref, nil, "Authorization", "Bearer nope")
		none := c.Call(t, "GET", "/asb/reports/"+ref, nil)
		unknown := c.Call(t, "GET", "/asb/reports/ASB-0000-0000", nil, "Authorization", "Bearer "+token)
		if wrong.Status != 404 || none.Status != 404 || unknown.Status != 404 {
			t.Fatalf("wrong/missing token or unknown: %d %d %d", wrong.Status, none.Status, unknown.Status)
		}
		if strings.Replace(string(wrong.Raw), ref, "X", 1) != strings.Replace(string(unknown.Raw), "ASB-0000-0000", "X", 1) {
			t.Fatalf("a wrong token must look exactly like an unknown reference:\n%s\n%s", wrong.Raw, unknown.Raw)
		}
	})

	t.Run("bad input lists every field; too large is 413", func(t *testing.T) {
		bad := noiseReport("not-an-email")
		bad["type"] = "shouting"
		delete(bad, "description")
		bad["location"] = map[string]any{"address": "x", "postcode": "ZZZ"}
		r := c.Call(t, "POST", "/asb/reports", bad)
		got := strings.Join(fieldsOf(r), ",")
		if r.Status != 400 || got != "description,location.postcode,reporter.email,type" && !(strings.Contains(got, "type") && strings.Contains(got, "description") && strings.Contains(got, "location.postcode") && strings.Contains(got, "reporter.email")) {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		huge := noiseReport("a@example.org")
		huge["description"] = strings.Repeat("x", 70000)
		if r := c.Call(t, "POST", "/asb/reports", huge); r.Status != 413 {
			t.Fatalf("huge: %d", r.Status)
		}
		if r := c.Call(t, "POST", "/asb/reports", []byte(`{"type": "noise",`)); r.Status != 400 {
			t.Fatalf("broken JSON: %d", r.Status)
		}
	})

	t.Run("Idempotency-Key: same body same answer, other body 422", func(t *testing.T) {
		body := noiseReport("idem@example.org")
		first := c.Call(t, "POST", "/asb/reports", body, "Idempotency-Key", "key-1")
		again := c.Call(t, "POST", "/asb/reports", body, "Idempotency-Key", "key-1")
		if first.Status != 201 || again.Status != 201 || first.JSON["reference"] != again.JSON["reference"] || first.JSON["accessToken"] != again.JSON["accessToken"] {
			t.Fatalf("replay: %s / %s", first.Raw, again.Raw)
		}
		body["description"] = "Something else entirely happened here."
		if r := c.Call(t, "POST", "/asb/reports", body, "Idempotency-Key", "key-1"); r.Status != 422 {
			t.Fatalf("other body: %d %s", r.Status, r.Raw)
		}
	})

	t.Run("ASB-7: the third report in six months by the same contact is eligible for a case review", func(t *testing.T) {
		var last localcloud.Response
		for i := range 3 {
			c.PinClock(time.Date(2026, time.Month(9+i), 10, 10, 0, 0, 0, time.UTC)) // 10 Sep, 10 Oct, 10 Nov
			last = c.Call(t, "POST", "/asb/reports", noiseReport("Repeat@Example.org"))
		}
		review := last.JSON["caseReview"].(map[string]any)
		if review["eligible"] != true || review["reportsInLastSixMonths"] != float64(3) {
			t.Fatalf("case review: %s", last.Raw)
		}
		c.PinClock(time.Date(2027, 3, 20, 10, 0, 0, 0, time.UTC)) // the September report is now over six months old
		r := c.Call(t, "POST", "/asb/reports", noiseReport("repeat@example.org"))
		if rv := r.JSON["caseReview"].(map[string]any); rv["reportsInLastSixMonths"] != float64(3) {
			t.Fatalf("six-month window: %s", r.Raw)
		}
		c.PinClock(time.Date(2026, 12, 24, 11, 0, 0, 0, time.UTC))
	})

	t.Run("ASB-2/ASB-6: anonymous hate incident: no token, no contact, a partner referral and 999 advice", func(t *testing.T) {
		body := noiseReport("")
		body["type"], body["anonymous"] = "hate-incident", true // the reporter object is still sent: it must be dropped
		body["risk"] = map[string]any{"crimeInProgress": true}
		r := c.Call(t, "POST", "/asb/reports", body)
		if r.Status != 201 || r.JSON["accessToken"] != nil || r.JSON["appointmentBy"] != "2026-12-29" || !strings.Contains(string(r.Raw), "999") ||
			!strings.Contains(string(r.Raw), "not kept the contact details") || r.JSON["caseReview"].(map[string]any)["reportsInLastSixMonths"] != float64(0) {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		ref := r.JSON["reference"].(string)
		out, err := c.DynamoClient().GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(c.Resources.Tables[catalog.CasesTable]),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "ASB#" + ref}, "sk": &types.AttributeValueMemberS{Value: "CONTACT"}}})
		if err != nil || out.Item != nil {
			t.Fatalf("anonymous report stored contact data: %v %v", out.Item, err)
		}
		localcloud.Eventually(t, 5*time.Second, "partner referral", func() bool {
			for _, b := range receive(t, c, c.Resources.Queues[catalog.ReferralsQueue]) {
				if strings.Contains(b, ref) && strings.Contains(b, `"kind":"partner"`) {
					return true
				}
			}
			return false
		})
	})
}

func TestASBStaffCaseManagement(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report")
	c.PinClock(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC))
	officer := c.StaffToken(t, "officer1", "asb-officer")
	manager := c.StaffToken(t, "manager1", "asb-manager")
	tenant := c.StaffToken(t, "someone", "allocations-officer")

	var refs []string
	for i, typ := range []string{"noise", "noise", "garden", "hate-incident"} {
		body := noiseReport("staff@example.org")
		body["type"] = typ
		// four problems at four flats (the same problem at one flat would be one case, ASB-9)
		body["location"] = map[string]any{"address": fmt.Sprintf("Flat %d, 10 Example Road", i+1), "postcode": "NN1 1DE"}
		r := c.Call(t, "POST", "/asb/reports", body)
		if r.Status != 201 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		refs = append(refs, r.JSON["reference"].(string))
	}
	if r := c.Call(t, "GET", "/asb/cases", nil); r.Status != 401 {
		t.Fatalf("no token: %d", r.Status)
	}
	if r := c.Call(t, "GET", "/asb/cases", nil, "Authorization", tenant); r.Status != 403 {
		t.Fatalf("wrong group: %d", r.Status)
	}
	list := c.Call(t, "GET", "/asb/cases?type=noise", nil, "Authorization", officer)
	if items := list.JSON["items"].([]any); list.Status != 200 || len(items) != 2 || items[0].(map[string]any)["type"] != "noise" {
		t.Fatalf("list: %d %s", list.Status, list.Raw)
	}
	if r := c.Call(t, "GET", "/asb/cases?status=lost", nil, "Authorization", officer); r.Status != 400 {
		t.Fatalf("bad filter: %d", r.Status)
	}
	page := c.Call(t, "GET", "/asb/cases?limit=3", nil, "Authorization", officer)
	next := page.JSON["nextToken"]
	if len(page.JSON["items"].([]any)) != 3 || next == nil {
		t.Fatalf("page: %s", page.Raw)
	}
	if rest := c.Call(t, "GET", "/asb/cases?limit=3&nextToken="+next.(string), nil, "Authorization", officer); len(rest.JSON["items"].([]any)) != 1 {
		t.Fatalf("second page: %s", rest.Raw)
	}

	ref := refs[0]
	steps := []struct {
		path   string
		body   any
		status int
	}{
		{"/acknowledgement", nil, 200},
		{"/acknowledgement", nil, 409},
		{"/assignment", map[string]any{"officer": "officer1@council.example"}, 200},
		{"/appointment", map[string]any{"appointmentOn": "2026-11-04"}, 200},
		{"/risk-assessment", map[string]any{"level": "extreme"}, 400},
		{"/risk-assessment", map[string]any{"checklist": checklist("threatsOrViolence")}, 200},
		{"/actions", map[string]any{"tool": "mediation", "description": "Offer mediation", "dueOn": "2026-11-20"}, 200},
		{"/actions/A1/completion", nil, 200},
		{"/contacts", map[string]any{"method": "phone", "with": "reporter", "summary": "Agreed mediation date"}, 200},
	}
	for _, s := range steps {
		if r := c.Call(t, "POST", "/asb/cases/"+ref+s.path, s.body, "Authorization", officer); r.Status != s.status {
			t.Fatalf("%s: %d %s", s.path, r.Status, r.Raw)
		}
	}
	got := c.Call(t, "GET", "/asb/cases/"+ref, nil, "Authorization", officer)
	deadlines := got.JSON["openDeadlines"].([]any)
	if len(deadlines) != 1 || deadlines[0].(map[string]any)["name"] != "risk-review" || deadlines[0].(map[string]any)["due"] != "2026-11-09" {
		t.Fatalf("open deadlines: %s", got.Raw)
	}
	if tl := got.JSON["timeline"].([]any); len(tl) != 8 {
		t.Fatalf("timeline has %d entries: %s", len(tl), got.Raw)
	}
	// the deadlines index holds exactly the case's open deadlines
	mine := 0
	for shard := range dynamo.DeadlineShards {
		idx, err := c.DynamoClient().Query(context.Background(), &dynamodb.QueryInput{
			TableName: aws.String(c.Resources.Tables[catalog.CasesTable]), IndexName: aws.String(catalog.IndexDeadlines),
			KeyConditionExpression:    aws.String("duePk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: dynamo.DeadlineShard(shard)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range idx.Items {
			if it["caseRef"].(*types.AttributeValueMemberS).Value == ref {
				mine++
			}
		}
	}
	if mine != 1 {
		t.Fatalf("deadlines index has %d items for the case, want 1", mine)
	}
	c.PinClock(time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC))
	overdue := c.Call(t, "GET", "/asb/cases?overdue=true", nil, "Authorization", officer)
	if items := overdue.JSON["items"].([]any); len(items) != 4 {
		t.Fatalf("overdue: %s", overdue.Raw)
	}
	closeBody := map[string]any{"outcome": "Mediation worked", "satisfaction": map[string]any{"handling": 5, "outcome": 4}}
	if r := c.Call(t, "POST", "/asb/cases/"+ref+"/closure", closeBody, "Authorization", officer); r.Status != 200 {
		t.Fatalf("close: %d %s", r.Status, r.Raw)
	}
	if r := c.Call(t, "POST", "/asb/cases/"+ref+"/closure", closeBody, "Authorization", officer); r.Status != 409 {
		t.Fatalf("close twice: %d", r.Status)
	}

	// ASB-9: the month's report, by the manager only
	if r := c.Call(t, "GET", "/reports/asb?month=2026-11", nil, "Authorization", officer); r.Status != 403 {
		t.Fatalf("officer reads the report: %d", r.Status)
	}
	if r := c.Call(t, "GET", "/reports/asb?month=November", nil, "Authorization", manager); r.Status != 400 {
		t.Fatalf("bad month: %d", r.Status)
	}
	rep := c.Call(t, "GET", "/reports/asb?month=2026-11", nil, "Authorization", manager)
	j := rep.JSON
	if rep.Status != 200 || j["newCases"] != float64(4) || j["casesClosed"] != float64(1) || j["noiseCases"] != float64(2) ||
		j["averageDaysToClose"] != float64(14) {
		t.Fatalf("report: %s", rep.Raw)
	}
	if sat := j["satisfactionWithCaseHandling"].(map[string]any); sat["percent"] != float64(100) {
		t.Fatalf("satisfaction: %s", rep.Raw)
	}
	if other := c.Call(t, "GET", "/reports/asb?month=2026-10", nil, "Authorization", manager); other.JSON["newCases"] != float64(0) {
		t.Fatalf("October: %s", other.Raw)
	}
}

func signed(t *testing.T, id string, at time.Time, body []byte) []string {
	sig, err := webhook.Sign(catalog.LocalWebhookSecret, id, at, body)
	if err != nil {
		t.Fatal(err)
	}
	return []string{"webhook-id", id, "webhook-timestamp", fmt.Sprint(at.Unix()), "webhook-signature", sig}
}

func TestOutOfHoursIntake(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "ooh-intake", "ooh-processor")
	// the webhook arrives on Saturday 21 November 2026 at 02:00 (the gateway's and the queue's clock)
	now := time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)
	c.PinClock(now)
	call := noiseReport("caller@example.org")
	call["callId"], call["receivedAt"], call["operator"], call["advisedPolice"] = "OOH-1", "2026-11-20T22:40:00Z", "op-7", false
	body, _ := json.Marshal(call)
	officer := c.StaffToken(t, "officer1", "asb-officer")
	oohCases := func() []any {
		r := c.Call(t, "GET", "/asb/cases?channel=out-of-hours", nil, "Authorization", officer)
		return r.JSON["items"].([]any)
	}

	t.Run("bad, stale and missing signatures are refused with nothing queued", func(t *testing.T) {
		bad := signed(t, "msg_bad", now, body)
		bad[5] = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
		for name, h := range map[string][]string{"bad": bad, "stale": signed(t, "msg_old", now.Add(-6*time.Minute), body), "missing": nil} {
			if r := c.Call(t, "POST", "/webhooks/out-of-hours", body, h...); r.Status != 401 {
				t.Fatalf("%s: %d %s", name, r.Status, r.Raw)
			}
		}
		if msgs := receive(t, c, c.Resources.Queues[catalog.OOHCallsQueue]); len(msgs) != 0 {
			t.Fatalf("queued after refusal: %v", msgs)
		}
	})

	t.Run("ASB-10: a signed call becomes one case timed from the call, even when replayed", func(t *testing.T) {
		r := c.Call(t, "POST", "/webhooks/out-of-hours", body, signed(t, "msg_1", now, body)...)
		if r.Status != 202 || r.JSON["status"] != "queued" {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		again := c.Call(t, "POST", "/webhooks/out-of-hours", body, signed(t, "msg_1", now.Add(time.Second), body)...)
		if again.Status != 202 || again.JSON["status"] != "duplicate" {
			t.Fatalf("replay: %d %s", again.Status, again.Raw)
		}
		// a new delivery id for the same call still makes no second case (idempotent on callId)
		if r := c.Call(t, "POST", "/webhooks/out-of-hours", body, signed(t, "msg_2", now, body)...); r.Status != 202 {
			t.Fatalf("second id: %d", r.Status)
		}
		localcloud.Eventually(t, 15*time.Second, "the out-of-hours case", func() bool { return len(oohCases()) == 1 })
		time.Sleep(1500 * time.Millisecond)
		items := oohCases()
		if len(items) != 1 {
			t.Fatalf("%d cases for one call", len(items))
		}
		item := items[0].(map[string]any)
		// received Friday 20 Nov 22:40 UTC: acknowledge Monday 23 Nov, appointment (3 WD) Wednesday 25 Nov
		if item["callId"] != "OOH-1" || item["acknowledgeBy"] != "2026-11-23" || item["appointmentBy"] != "2026-11-25" {
			t.Fatalf("case: %v", item)
		}
	})

	t.Run("a poison call ends in the DLQ while the rest of its batch succeeds", func(t *testing.T) {
		good := noiseReport("second@example.org")
		good["callId"], good["receivedAt"], good["operator"] = "OOH-2", "2026-11-21T01:00:00Z", "op-7"
		good["location"] = map[string]any{"address": "Flat 7, 12 Example Court", "postcode": "NN1 2AB"} // another problem (ASB-9)
		goodBody, _ := json.Marshal(good)
		for _, b := range []string{`{"callId": "OOH-POISON", "type": "not-a-type"}`, string(goodBody)} {
			if _, err := c.SQSClient().SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(c.Resources.Queues[catalog.OOHCallsQueue]), MessageBody: aws.String(b)}); err != nil {
				t.Fatal(err)
			}
		}
		localcloud.Eventually(t, 30*time.Second, "poison call in the DLQ", func() bool {
			for _, b := range receive(t, c, c.Resources.DLQs[catalog.OOHCallsQueue]) {
				if strings.Contains(b, "OOH-POISON") {
					return true
				}
			}
			return false
		})
		if n := len(oohCases()); n != 2 {
			t.Fatalf("%d out-of-hours cases, want 2", n)
		}
	})
}
