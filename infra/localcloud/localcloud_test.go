package localcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/golang-jwt/jwt/v5"
	"github.com/robfig/cron/v3"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/infra/emulators"
)

func TestMain(m *testing.M) { emulators.Main(m) }

var probeDir string

func testCatalog(t *testing.T) catalog.Catalog {
	probeDir = t.TempDir()
	return catalog.Catalog{
		Tables: catalog.System().Tables,
		Queues: []catalog.Queue{{Name: "jobs", MaxReceiveCount: 2}},
		Functions: []catalog.Function{
			{Name: "web", MemoryMB: 128, TimeoutSec: 2, LocalConcurrency: 1,
				Routes: []catalog.Route{
					{Method: "GET", Path: "/items/{id}", Auth: catalog.Public},
					{Method: "GET", Path: "/items/special", Auth: catalog.Public},
					{Method: "POST", Path: "/staff/things", Auth: catalog.Staff, Groups: []string{"officer"}},
					{Method: "GET", Path: "/sleep", Auth: catalog.Public},
				},
				Secrets: []catalog.Secret{{Env: "TEST_SECRET", LocalDefault: "whsec_local"}},
				Tables:  map[string]catalog.Access{catalog.CasesTable: catalog.Read}},
			{Name: "worker", MemoryMB: 128, TimeoutSec: 2, LocalConcurrency: 1, Env: map[string]string{"PROBE_OUT": probeDir},
				Queue: &catalog.QueueTrigger{Queue: "jobs", BatchSize: 10, MaxConcurrency: 2}},
			{Name: "tick", MemoryMB: 128, TimeoutSec: 2, LocalConcurrency: 1,
				Schedules: []catalog.Schedule{{Name: "tick-weekday", Cron: "cron(0 7 ? * MON-FRI *)"}}},
		},
	}
}

var suffixes int

func startCloud(t *testing.T) *Cloud {
	t.Helper()
	env := emulators.Shared(t)
	suffixes++
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := Start(ctx, Options{
		Catalog: testCatalog(t), Addr: "127.0.0.1:0",
		PackageOf:      func(name string) string { return "./infra/localcloud/testdata/fn/" + name },
		DynamoEndpoint: env.DynamoEndpoint, SQSEndpoint: env.SQSEndpoint,
		ResourceSuffix: fmt.Sprintf("-lc%d-%d", os.Getpid(), suffixes), VisibilityTimeoutSec: 1,
		Logf: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	if err := c.WaitHealthy(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

func call(t *testing.T, method, url, token string, body any) (int, map[string]any, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, resp.Header
}

func dig(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[p]
	}
	return v
}

func TestLocalCloud(t *testing.T) {
	c := startCloud(t)

	t.Run("health is up with every function and emulator", func(t *testing.T) {
		status, body, _ := call(t, "GET", c.URL()+"/_local/health", "", nil)
		if status != 200 || body["status"] != "up" || dig(body, "functions", "worker", "up") != true || dig(body, "emulators", "sqs", "up") != true {
			t.Fatalf("%d %v", status, body)
		}
	})

	t.Run("an HTTP route reaches the function binary and back", func(t *testing.T) {
		status, body, hdr := call(t, "GET", c.URL()+"/items/42?colour=red&colour=blue", "", nil)
		if status != 201 || hdr.Get("X-Test") != "yes" {
			t.Fatalf("%d %v", status, body)
		}
		ev := body["event"].(map[string]any)
		if ev["routeKey"] != "GET /items/{id}" || dig(ev, "pathParameters", "id") != "42" ||
			dig(ev, "queryStringParameters", "colour") != "red,blue" || ev["version"] != "2.0" ||
			dig(ev, "requestContext", "stage") != "$default" || dig(ev, "requestContext", "http", "method") != "GET" {
			t.Fatalf("event: %v", ev)
		}
		if body["functionName"] != "web" || body["requestId"] == "" || body["deadlineInFuture"] != true ||
			!strings.HasPrefix(body["table"].(string), "cases-lc") || body["secret"] != "whsec_local" {
			t.Fatalf("lambda environment: %v", body)
		}
		if _, body, _ := call(t, "GET", c.URL()+"/items/special", "", nil); dig(body, "event", "routeKey") != "GET /items/special" {
			t.Fatalf("literal route should win: %v", dig(body, "event", "routeKey"))
		}
		if status, _, _ := call(t, "GET", c.URL()+"/nowhere", "", nil); status != 404 {
			t.Fatalf("unknown route: %d", status)
		}
	})

	t.Run("a staff route needs a good token and passes its claims", func(t *testing.T) {
		if status, body, _ := call(t, "POST", c.URL()+"/staff/things", "", map[string]any{}); status != 401 || body["message"] != "Unauthorized" {
			t.Fatalf("no token: %d %v", status, body)
		}
		forged, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "aud": LocalAudience, "iss": c.issuer(),
			"exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte("not-the-key"))
		if status, _, _ := call(t, "POST", c.URL()+"/staff/things", forged, map[string]any{}); status != 401 {
			t.Fatalf("forged token: %d", status)
		}
		_, tok, _ := call(t, "POST", c.URL()+"/_local/token", "", map[string]any{"sub": "officer-1", "groups": []string{"officer", "other"}, "email": "o1@council.example"})
		status, body, _ := call(t, "POST", c.URL()+"/staff/things", tok["token"].(string), map[string]any{"a": 1})
		claims := dig(body, "event", "requestContext", "authorizer", "jwt", "claims")
		if status != 201 || dig(body, "event", "body") != `{"a":1}` {
			t.Fatalf("good token: %d %v", status, body)
		}
		cl := claims.(map[string]any)
		if cl["sub"] != "officer-1" || cl["cognito:groups"] != "[officer other]" || cl["email"] != "o1@council.example" {
			t.Fatalf("claims: %v", cl)
		}
	})

	t.Run("a pinned clock is in every kind of event", func(t *testing.T) {
		pinned := time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC)
		if status, body, _ := call(t, "PUT", c.URL()+"/_local/clock", "", map[string]string{"now": pinned.Format(time.RFC3339)}); status != 200 || body["pinned"] != true {
			t.Fatalf("pin: %d %v", status, body)
		}
		defer call(t, "DELETE", c.URL()+"/_local/clock", "", nil)
		_, body, _ := call(t, "GET", c.URL()+"/items/1", "", nil)
		if epoch := dig(body, "event", "requestContext", "timeEpoch"); epoch != float64(pinned.UnixMilli()) {
			t.Errorf("timeEpoch %v", epoch)
		}
		status, ev, _ := call(t, "POST", c.URL()+"/_local/schedules/tick-weekday", "", nil)
		if status != 200 || ev["time"] != "2026-12-24T10:00:00Z" || ev["source"] != "aws.scheduler" {
			t.Errorf("schedule fired on demand: %d %v", status, ev)
		}
		sendJob(t, c, "clocked")
		line := waitForLine(t, "clocked")
		if !strings.Contains(line, fmt.Sprint(pinned.UnixMilli())) {
			t.Errorf("SentTimestamp not pinned: %q", line)
		}
	})

	t.Run("a batch item failure is redelivered and ends in the DLQ while its sibling succeeds", func(t *testing.T) {
		sendJob(t, c, "poison", "healthy")
		waitForLine(t, "healthy")
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			out, err := c.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(c.Resources.DLQs["jobs"]), WaitTimeSeconds: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Messages) > 0 {
				if aws.ToString(out.Messages[0].Body) != "poison" {
					t.Fatalf("DLQ holds %q", aws.ToString(out.Messages[0].Body))
				}
				if log, _ := os.ReadFile(filepath.Join(probeDir, "worker.log")); strings.Count(string(log), "healthy") != 1 {
					t.Fatalf("the healthy message was processed more than once: %s", log)
				}
				return
			}
		}
		t.Fatal("poison message never reached the DLQ")
	})

	t.Run("a function over its timeout is stopped and replaced", func(t *testing.T) {
		start := time.Now()
		if status, _, _ := call(t, "GET", c.URL()+"/sleep", "", nil); status != 500 || time.Since(start) > 4*time.Second {
			t.Fatalf("timeout: %d after %s", status, time.Since(start))
		}
		if status, _, _ := call(t, "GET", c.URL()+"/items/7", "", nil); status != 201 {
			t.Fatalf("after timeout: %d", status)
		}
	})

	t.Run("the Notify stand-in checks the JWT and keeps an outbox", func(t *testing.T) {
		key := catalog.LocalNotifyAPIKey
		good, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": key[len(key)-73 : len(key)-37], "iat": time.Now().Unix()}).SignedString([]byte(key[len(key)-36:]))
		bad, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": key[len(key)-73 : len(key)-37], "iat": time.Now().Unix()}).SignedString([]byte("wrong"))
		for i, to := range []string{"first@example.org", "second@example.org"} {
			status, body, _ := call(t, "POST", c.URL()+"/_local/notify/v2/notifications/email", good,
				map[string]any{"email_address": to, "template_id": "tmpl-1", "personalisation": map[string]string{"ref": "R1"}, "reference": fmt.Sprint("n", i)})
			if status != 201 || body["id"] == "" || dig(body, "template", "id") != "tmpl-1" {
				t.Fatalf("send: %d %v", status, body)
			}
		}
		status, body, _ := call(t, "POST", c.URL()+"/_local/notify/v2/notifications/sms", bad, map[string]any{"phone_number": "07700900123", "template_id": "t"})
		if status != 403 || dig(body, "status_code") != float64(403) || body["errors"].([]any)[0].(map[string]any)["error"] != "AuthError" {
			t.Fatalf("bad JWT: %d %v", status, body)
		}
		status, body, _ = call(t, "POST", c.URL()+"/_local/notify/v2/notifications/sms", good, map[string]any{"phone_number": "12", "template_id": "t"})
		if status != 400 {
			t.Fatalf("bad number: %d %v", status, body)
		}
		_, outbox, _ := call(t, "GET", c.URL()+"/_local/outbox", "", nil)
		items := outbox["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["to"] != "second@example.org" || items[0].(map[string]any)["type"] != "email" {
			t.Fatalf("outbox: %v", outbox)
		}
	})
}

func sendJob(t *testing.T, c *Cloud, bodies ...string) {
	for _, b := range bodies {
		if _, err := c.sqs.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(c.Resources.Queues["jobs"]), MessageBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
}

func waitForLine(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(filepath.Join(probeDir, "worker.log"))
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, prefix+" ") {
				return line
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("worker never processed %q", prefix)
	return ""
}

func TestCronSpec(t *testing.T) {
	got, err := cronSpec("cron(0 7 ? * MON-FRI *)")
	if err != nil || got != "0 7 * * MON-FRI" {
		t.Fatalf("%q %v", got, err)
	}
	for _, s := range catalog.System().Functions {
		for _, sch := range s.Schedules {
			spec, err := cronSpec(sch.Cron)
			if _, perr := cron.ParseStandard(spec); err != nil || perr != nil {
				t.Errorf("%s: %v %v", sch.Cron, err, perr)
			}
		}
	}
	if _, err := cronSpec("rate(5 minutes)"); err == nil {
		t.Fatal("rate() accepted")
	}
}

// The sample events in events/ decode into the aws-lambda-go types with the fields the runner writes.
func TestSampleEvents(t *testing.T) {
	root, _ := emulators.Root()
	var http2 events.APIGatewayV2HTTPRequest
	var sqsEv events.SQSEvent
	var sched events.EventBridgeEvent
	for file, v := range map[string]any{"apigw-http-v2.json": &http2, "sqs.json": &sqsEv, "eventbridge-schedule.json": &sched} {
		data, err := os.ReadFile(filepath.Join(root, "events", file))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	if http2.Version != "2.0" || http2.RequestContext.TimeEpoch == 0 || http2.RouteKey == "" {
		t.Errorf("apigw sample: %+v", http2.RequestContext)
	}
	if len(sqsEv.Records) == 0 || sqsEv.Records[0].Attributes["SentTimestamp"] == "" {
		t.Errorf("sqs sample: %+v", sqsEv)
	}
	if sched.Source != "aws.scheduler" || sched.Time.IsZero() {
		t.Errorf("schedule sample: %+v", sched)
	}
}
