package localcloud

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/golang-jwt/jwt/v5"
	"github.com/robfig/cron/v3"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { emulators.Main(m) }

// testCatalog declares the small functions under testdata/fn; the worker writes what it receives to probeDir.
func testCatalog(probeDir string) catalog.Catalog {
	public := func(method, path string) catalog.Route {
		return catalog.Route{Method: method, Path: path, Auth: catalog.Public}
	}
	return catalog.Catalog{
		Tables: catalog.System().Tables,
		Queues: []catalog.Queue{{Name: "jobs", MaxReceiveCount: 2}},
		Functions: []catalog.Function{
			{Name: "web", MemoryMB: 128, TimeoutSec: 2, LocalConcurrency: 1,
				Routes: []catalog.Route{
					public("GET", "/items/{id}"), public("GET", "/items/special"), public("POST", "/items/{id}"),
					public("GET", "/files/{path+}"), public("POST", "/echo"), public("GET", "/sleep"),
					public("GET", "/crash"), public("GET", "/fail"), public("GET", "/plain"),
					{Method: "POST", Path: "/staff/things", Auth: catalog.Staff, Groups: []string{"officer"}},
					{Method: "POST", Path: "/callbacks/notify", Auth: catalog.Bearer, Secret: catalog.NotifyCallbackToken.Env},
				},
				Secrets: []catalog.Secret{{Env: "TEST_SECRET", LocalDefault: "whsec_local"},
					{Env: catalog.NotifyCallbackToken.Env, LocalDefault: "test-callback-token"}},
				Tables:   map[string]catalog.Access{catalog.CasesTable: catalog.Read},
				Env:      map[string]string{"NOTIFY_BASE_URL": "https://api.notifications.service.gov.uk"},
				LocalEnv: map[string]string{"NOTIFY_BASE_URL": "{{LOCAL_URL}}/_local/notify"}},
			{Name: "worker", MemoryMB: 128, TimeoutSec: 2, LocalConcurrency: 1, Env: map[string]string{"PROBE_OUT": probeDir},
				Queue: &catalog.QueueTrigger{Queue: "jobs", BatchSize: 10, MaxConcurrency: 2, BatchWindowSec: 1}},
			{Name: "tick", MemoryMB: 128, TimeoutSec: 2, LocalConcurrency: 1,
				Schedules: []catalog.Schedule{{Name: "tick-weekday", Cron: "cron(0 7 ? * MON-FRI *)"}}},
		},
	}
}

type testCloud struct {
	*Cloud
	probeDir string
}

func startCloud(t *testing.T) testCloud {
	t.Helper()
	env := emulators.Shared(t)
	probeDir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := Start(ctx, Options{
		Catalog: testCatalog(probeDir), Addr: "127.0.0.1:0", BinDir: TestBinDir(t),
		PackageOf:      func(name string) string { return "./infra/localcloud/testdata/fn/" + name },
		DynamoEndpoint: env.DynamoEndpoint, SQSEndpoint: env.SQSEndpoint,
		ResourceSuffix: emulators.UniqueSuffix(), VisibilityTimeoutSec: 1, Logf: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	env.DeleteWhenDone(t, c.Resources)
	t.Cleanup(c.Stop)
	if err := c.WaitHealthy(ctx); err != nil {
		t.Fatal(err)
	}
	return testCloud{Cloud: c, probeDir: probeDir}
}

type answer struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func send(t *testing.T, method, url string, body []byte, headers ...string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	a.raw, _ = io.ReadAll(resp.Body)
	_ = json.Unmarshal(a.raw, &a.body)
	return a
}

func sendJSON(t *testing.T, method, url string, v any, headers ...string) answer {
	t.Helper()
	var body []byte
	if v != nil {
		body, _ = json.Marshal(v)
	}
	return send(t, method, url, body, append([]string{"Content-Type", "application/json"}, headers...)...)
}

func dig(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func TestLocalCloud(t *testing.T) {
	c := startCloud(t)

	t.Run("health is up with every function and emulator", func(t *testing.T) {
		a := send(t, "GET", c.URL()+"/_local/health", nil)
		if a.status != 200 || a.body["status"] != "up" || dig(a.body, "functions", "worker", "up") != true ||
			dig(a.body, "functions", "tick", "up") != true || dig(a.body, "emulators", "sqs", "up") != true || dig(a.body, "emulators", "dynamodb", "up") != true {
			t.Fatalf("%d %s", a.status, a.raw)
		}
	})

	t.Run("an HTTP route reaches the function binary and back", func(t *testing.T) {
		a := send(t, "GET", c.URL()+"/items/42?colour=red&colour=blue&size=L", nil, "X-Multi", "a", "Cookie", "session=abc; theme=dark")
		if a.status != 201 || a.header.Get("X-Test") != "yes" || a.header.Get("Set-Cookie") != "seen=1; Path=/" {
			t.Fatalf("%d %v %s", a.status, a.header, a.raw)
		}
		ev := a.body["event"]
		checks := map[string]any{
			"routeKey": dig(ev, "routeKey"), "id": dig(ev, "pathParameters", "id"), "colour": dig(ev, "queryStringParameters", "colour"),
			"raw query": dig(ev, "rawQueryString"), "version": dig(ev, "version"), "stage": dig(ev, "requestContext", "stage"),
			"method": dig(ev, "requestContext", "http", "method"), "header": dig(ev, "headers", "x-multi"),
		}
		want := map[string]any{"routeKey": "GET /items/{id}", "id": "42", "colour": "red,blue", "raw query": "colour=red&colour=blue&size=L",
			"version": "2.0", "stage": "$default", "method": "GET", "header": "a"}
		for k, v := range want {
			if checks[k] != v {
				t.Errorf("%s = %v, want %v", k, checks[k], v)
			}
		}
		if cookies, _ := dig(ev, "cookies").([]any); len(cookies) != 2 || dig(ev, "headers", "cookie") != nil {
			t.Errorf("cookies %v, cookie header %v", cookies, dig(ev, "headers", "cookie"))
		}
		if a.body["functionName"] != "web" || a.body["requestId"] == "" || a.body["deadlineInFuture"] != true ||
			a.body["functionArn"] != "arn:aws:lambda:eu-west-2:000000000000:function:web" || a.body["handler"] != "bootstrap" ||
			a.body["taskRoot"] != a.body["workingDir"] || !strings.HasSuffix(a.body["taskRoot"].(string), "/web") || a.body["tz"] != "UTC" {
			t.Errorf("Lambda environment: %s", a.raw)
		}
		if !strings.HasPrefix(a.body["table"].(string), "cases-t") || a.body["secret"] != "whsec_local" ||
			a.body["notifyURL"] != c.URL()+"/_local/notify" || a.body["dynamoEndpoint"] != c.opts.DynamoEndpoint || a.body["region"] != "eu-west-2" {
			t.Errorf("catalog environment: %s", a.raw)
		}

		posted := sendJSON(t, "POST", c.URL()+"/items/9", map[string]int{"a": 1})
		if dig(posted.body, "event", "body") != `{"a":1}` || dig(posted.body, "event", "isBase64Encoded") != false {
			t.Errorf("JSON body: %s", posted.raw)
		}
		binary := send(t, "POST", c.URL()+"/items/9", []byte{0xff, 0x00, 'x'}, "Content-Type", "application/octet-stream")
		if dig(binary.body, "event", "isBase64Encoded") != true || dig(binary.body, "event", "body") != base64.StdEncoding.EncodeToString([]byte{0xff, 0x00, 'x'}) {
			t.Errorf("binary body: %s", binary.raw)
		}
		if a := send(t, "GET", c.URL()+"/items/special", nil); dig(a.body, "event", "routeKey") != "GET /items/special" {
			t.Errorf("the literal route should win: %v", dig(a.body, "event", "routeKey"))
		}
		if a := send(t, "GET", c.URL()+"/files/a/b.txt", nil); dig(a.body, "event", "pathParameters", "path") != "a/b.txt" {
			t.Errorf("greedy parameter: %s", a.raw)
		}
		if a := send(t, "GET", c.URL()+"/nowhere", nil); a.status != 404 || a.body["message"] != "Not Found" {
			t.Errorf("unknown route: %d %s", a.status, a.raw)
		}
		if a := send(t, "DELETE", c.URL()+"/items/1", nil); a.status != 404 {
			t.Errorf("unknown method: %d", a.status)
		}
		if a := send(t, "GET", c.URL()+"/plain", nil); a.status != 200 || a.header.Get("Content-Type") != "application/json" || a.body["plain"] != "yes" {
			t.Errorf("a bare JSON value: %d %v %s", a.status, a.header, a.raw)
		}
		if a := send(t, "GET", c.URL()+"/fail", nil); a.status != 500 || a.body["message"] != "Internal Server Error" {
			t.Errorf("function error: %d %s", a.status, a.raw)
		}
	})

	t.Run("a staff route needs a good token and passes its claims", func(t *testing.T) {
		url := c.URL() + "/staff/things"
		if a := sendJSON(t, "POST", url, map[string]any{}); a.status != 401 || a.body["message"] != "Unauthorized" {
			t.Fatalf("no token: %d %s", a.status, a.raw)
		}
		forged, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "x", "aud": LocalAudience, "iss": c.issuer(),
			"exp": time.Now().Add(time.Hour).Unix()}).SignedString([]byte("not-the-key"))
		expired, _ := c.signToken(tokenRequest{Sub: "x", Groups: []string{"officer"}}, time.Now().Add(-9*time.Hour))
		for name, tok := range map[string]string{"forged": forged, "expired": expired, "garbage": "abc.def.ghi"} {
			if a := sendJSON(t, "POST", url, map[string]any{}, "Authorization", "Bearer "+tok); a.status != 401 || a.body["message"] != "Unauthorized" {
				t.Errorf("%s token: %d %s", name, a.status, a.raw)
			}
		}
		tok := sendJSON(t, "POST", c.URL()+"/_local/token", map[string]any{"sub": "officer-1", "groups": []string{"officer", "other"}, "email": "o1@council.example"})
		if tok.status != 200 || tok.body["expiresIn"] == nil {
			t.Fatalf("token: %d %s", tok.status, tok.raw)
		}
		a := sendJSON(t, "POST", url, map[string]any{"a": 1}, "Authorization", "Bearer "+tok.body["token"].(string))
		if a.status != 201 || dig(a.body, "event", "body") != `{"a":1}` {
			t.Fatalf("good token: %d %s", a.status, a.raw)
		}
		claims, _ := dig(a.body, "raw", "requestContext", "authorizer", "jwt", "claims").(map[string]any)
		if claims["sub"] != "officer-1" || claims["cognito:groups"] != "[officer other]" || claims["email"] != "o1@council.example" ||
			claims["aud"] != LocalAudience || claims["client_id"] != LocalAudience || claims["iss"] != c.issuer() || claims["exp"] == nil {
			t.Errorf("claims: %v", claims)
		}
		if jwtNode, _ := dig(a.body, "raw", "requestContext", "authorizer", "jwt").(map[string]any); !hasKeyWithNull(jwtNode, "scopes") {
			t.Errorf("scopes should be null as API Gateway sends them: %v", jwtNode)
		}
		if a := send(t, "GET", c.URL()+"/items/1", nil); dig(a.body, "raw", "requestContext", "authorizer") != nil {
			t.Errorf("a public route has no authorizer: %s", a.raw)
		}
	})

	t.Run("a pinned clock is in every kind of event", func(t *testing.T) {
		pinned := time.Date(2026, 12, 24, 10, 0, 0, 0, time.UTC)
		if a := sendJSON(t, "PUT", c.URL()+"/_local/clock", map[string]string{"now": pinned.Format(time.RFC3339)}); a.status != 200 || a.body["pinned"] != true || a.body["now"] != "2026-12-24T10:00:00Z" {
			t.Fatalf("pin: %d %s", a.status, a.raw)
		}
		t.Cleanup(func() { send(t, "DELETE", c.URL()+"/_local/clock", nil) })
		if a := send(t, "GET", c.URL()+"/_local/clock", nil); a.body["now"] != "2026-12-24T10:00:00Z" {
			t.Errorf("clock: %s", a.raw)
		}
		a := send(t, "GET", c.URL()+"/items/1", nil)
		if epoch := dig(a.body, "event", "requestContext", "timeEpoch"); epoch != float64(pinned.UnixMilli()) {
			t.Errorf("timeEpoch %v", epoch)
		}
		if tm := dig(a.body, "event", "requestContext", "time"); tm != "24/Dec/2026:10:00:00 +0000" {
			t.Errorf("time %v", tm)
		}
		ev := send(t, "POST", c.URL()+"/_local/schedules/tick-weekday", nil)
		if ev.status != 200 || ev.body["time"] != "2026-12-24T10:00:00Z" || ev.body["source"] != "aws.scheduler" || ev.body["detail-type"] != "Scheduled Event" {
			t.Errorf("schedule fired on demand: %d %s", ev.status, ev.raw)
		}
		sendJobs(t, c, "clocked")
		if line := c.waitForLine(t, "clocked"); !strings.Contains(line, fmt.Sprint(pinned.UnixMilli())) {
			t.Errorf("SentTimestamp not pinned: %q", line)
		}
		if a := send(t, "DELETE", c.URL()+"/_local/clock", nil); a.body["pinned"] != false {
			t.Errorf("release: %s", a.raw)
		}
		ev = send(t, "POST", c.URL()+"/_local/schedules/tick-weekday", nil)
		if at, _ := time.Parse(time.RFC3339, fmt.Sprint(ev.body["time"])); time.Since(at) > time.Minute {
			t.Errorf("released clock: %s", ev.raw)
		}
		if a := send(t, "POST", c.URL()+"/_local/schedules/nope", nil); a.status != 404 {
			t.Errorf("unknown schedule: %d %s", a.status, a.raw)
		}
	})

	t.Run("a batch item failure is redelivered and ends in the DLQ while its sibling succeeds", func(t *testing.T) {
		sendJobs(t, c, "poison", "healthy")
		c.waitForLine(t, "healthy")
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			out, err := c.sqs.ReceiveMessage(context.Background(), &sqs.ReceiveMessageInput{QueueUrl: aws.String(c.Resources.DLQs["jobs"]), WaitTimeSeconds: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Messages) == 0 {
				continue
			}
			if body := aws.ToString(out.Messages[0].Body); body != "poison" {
				t.Fatalf("DLQ holds %q", body)
			}
			log := c.probe(t, "worker.log")
			if strings.Count(log, "healthy ") != 1 || !strings.Contains(log, "poison") || !regexpMatch(`poison \d+ 2\n`, log) {
				t.Fatalf("want the healthy message once and the poison one delivered twice (maxReceiveCount): %s", log)
			}
			return
		}
		t.Fatal("poison message never reached the DLQ")
	})

	t.Run("the batching window gathers messages into one event", func(t *testing.T) {
		sendJobs(t, c, "w1", "w2", "w3")
		c.waitForLine(t, "w3")
		ev := c.lastEventWith(t, "w3")
		if records, _ := ev["Records"].([]any); len(records) != 3 {
			t.Fatalf("want one event with the three messages: %v", ev)
		}
	})

	t.Run("a function over its timeout is stopped and replaced", func(t *testing.T) {
		start := time.Now()
		if a := send(t, "GET", c.URL()+"/sleep", nil); a.status != 500 || time.Since(start) > 4*time.Second {
			t.Fatalf("timeout: %d after %s", a.status, time.Since(start))
		}
		if a := send(t, "GET", c.URL()+"/items/7", nil); a.status != 201 {
			t.Fatalf("after a timeout: %d", a.status)
		}
		_, err := c.Invoke(context.Background(), "web", []byte(`{"rawPath":"/sleep"}`))
		var fe *FunctionError
		if !errors.As(err, &fe) || fe.Type != "Sandbox.Timedout" {
			t.Fatalf("direct invocation: %v", err)
		}
		if a := send(t, "GET", c.URL()+"/crash", nil); a.status != 500 {
			t.Fatalf("crash: %d", a.status)
		}
		if a := send(t, "GET", c.URL()+"/items/8", nil); a.status != 201 {
			t.Fatalf("after a crash: %d", a.status)
		}
	})

	t.Run("the Notify stand-in checks the JWT, keeps an outbox of emails, texts and letters, and posts delivery receipts", func(t *testing.T) {
		key := catalog.LocalNotifyAPIKey
		serviceID, secret := key[len(key)-73:len(key)-37], key[len(key)-36:]
		sign := func(claims jwt.MapClaims, secret string) string {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(secret))
			return "Bearer " + s
		}
		good := sign(jwt.MapClaims{"iss": serviceID, "iat": time.Now().Unix()}, secret)
		emailURL, smsURL := c.URL()+"/_local/notify/v2/notifications/email", c.URL()+"/_local/notify/v2/notifications/sms"
		send(t, "DELETE", c.URL()+"/_local/outbox", nil)
		for i, to := range []string{"first@example.org", "second@example.org"} {
			a := sendJSON(t, "POST", emailURL, map[string]any{"email_address": to, "template_id": "tmpl-1", "personalisation": map[string]string{"ref": "R1"}, "reference": fmt.Sprint("n", i)}, "Authorization", good)
			if a.status != 201 || a.body["id"] == "" || dig(a.body, "template", "id") != "tmpl-1" || a.body["reference"] != fmt.Sprint("n", i) || dig(a.body, "content", "subject") == nil {
				t.Fatalf("send: %d %s", a.status, a.raw)
			}
		}
		if a := sendJSON(t, "POST", smsURL, map[string]any{"phone_number": "07700 900123", "template_id": "t"}, "Authorization", good); a.status != 201 {
			t.Fatalf("sms: %d %s", a.status, a.raw)
		}
		rejected := map[string]struct {
			auth   string
			body   map[string]any
			status int
			kind   string
		}{
			"wrong secret":    {sign(jwt.MapClaims{"iss": serviceID, "iat": time.Now().Unix()}, "wrong"), map[string]any{"phone_number": "07700900123", "template_id": "t"}, 403, "AuthError"},
			"stale iat":       {sign(jwt.MapClaims{"iss": serviceID, "iat": time.Now().Add(-time.Minute).Unix()}, secret), map[string]any{"phone_number": "07700900123", "template_id": "t"}, 403, "AuthError"},
			"other service":   {sign(jwt.MapClaims{"iss": "someone-else", "iat": time.Now().Unix()}, secret), map[string]any{"phone_number": "07700900123", "template_id": "t"}, 403, "AuthError"},
			"no token":        {"", map[string]any{"phone_number": "07700900123", "template_id": "t"}, 401, "AuthError"},
			"bad number":      {good, map[string]any{"phone_number": "12", "template_id": "t"}, 400, "ValidationError"},
			"no template":     {good, map[string]any{"phone_number": "07700900123"}, 400, "ValidationError"},
			"personalisation": {good, map[string]any{"phone_number": "07700900123", "template_id": "t", "personalisation": "x"}, 400, "ValidationError"},
		}
		for name, r := range rejected {
			a := sendJSON(t, "POST", smsURL, r.body, "Authorization", r.auth)
			errs, _ := a.body["errors"].([]any)
			if a.status != r.status || a.body["status_code"] != float64(r.status) || len(errs) != 1 || dig(errs[0], "error") != r.kind || dig(errs[0], "message") == "" {
				t.Errorf("%s: %d %s", name, a.status, a.raw)
			}
		}
		outbox := send(t, "GET", c.URL()+"/_local/outbox", nil)
		items, _ := outbox.body["items"].([]any)
		if len(items) != 3 || dig(items[0], "type") != "sms" || dig(items[0], "to") != "07700 900123" ||
			dig(items[1], "to") != "second@example.org" || dig(items[1], "templateId") != "tmpl-1" || dig(items[1], "reference") != "n1" ||
			dig(items[1], "personalisation", "ref") != "R1" || dig(items[2], "to") != "first@example.org" || dig(items[2], "createdAt") == nil {
			t.Fatalf("outbox (newest first): %s", outbox.raw)
		}

		// letters: the address as address_line_1.., at least 3 lines, a UK postcode last
		letterURL := c.URL() + "/_local/notify/v2/notifications/letter"
		letter := map[string]any{"template_id": "tmpl-letter", "reference": "L1", "personalisation": map[string]string{
			"address_line_1": "Alex Resident", "address_line_2": "Flat 2, 10 Example Road", "address_line_3": "NN1 1DE", "reference": "ASB-1"}}
		a := sendJSON(t, "POST", letterURL, letter, "Authorization", good)
		if a.status != 201 || a.body["postage"] != "second" || a.body["reference"] != "L1" || dig(a.body, "content", "subject") == nil {
			t.Fatalf("letter: %d %s", a.status, a.raw)
		}
		for name, p := range map[string]map[string]string{
			"two lines":   {"address_line_1": "Alex", "address_line_2": "NN1 1DE"},
			"no postcode": {"address_line_1": "Alex", "address_line_2": "1 Road", "address_line_3": "Northtown"},
			"no lines":    {"name": "Alex"},
		} {
			if a := sendJSON(t, "POST", letterURL, map[string]any{"template_id": "t", "personalisation": p}, "Authorization", good); a.status != 400 {
				t.Errorf("letter with %s: %d %s", name, a.status, a.raw)
			}
		}
		items, _ = send(t, "GET", c.URL()+"/_local/outbox", nil).body["items"].([]any)
		if len(items) != 4 || dig(items[0], "type") != "letter" || dig(items[0], "to") != "Alex Resident, Flat 2, 10 Example Road, NN1 1DE" {
			t.Fatalf("letter in the outbox: %v", items[0])
		}

		// a delivery receipt of an outbox item, posted to the callback route with the bearer token, as Notify does
		receipt := sendJSON(t, "POST", c.URL()+"/_local/notify/receipts", map[string]any{"reference": "n1", "status": "permanent-failure"})
		echoed, _ := dig(receipt.body, "callback", "body", "event").(map[string]any)
		var posted map[string]any
		_ = json.Unmarshal([]byte(fmt.Sprint(echoed["body"])), &posted)
		if receipt.status != 200 || dig(receipt.body, "callback", "status") != float64(201) || echoed["routeKey"] != "POST /callbacks/notify" ||
			dig(echoed, "headers", "authorization") != "Bearer test-callback-token" || posted["id"] != dig(items[2], "id") ||
			posted["reference"] != "n1" || posted["status"] != "permanent-failure" || posted["notification_type"] != "email" ||
			posted["to"] != "second@example.org" || posted["template_id"] != "tmpl-1" || !strings.HasSuffix(fmt.Sprint(posted["completed_at"]), "Z") {
			t.Fatalf("receipt: %d %s", receipt.status, receipt.raw)
		}
		if a := sendJSON(t, "POST", c.URL()+"/_local/notify/receipts", map[string]any{"id": "no-such-id"}); a.status != 404 {
			t.Errorf("unknown id: %d %s", a.status, a.raw)
		}
		if a := sendJSON(t, "POST", c.URL()+"/_local/notify/receipts", map[string]any{}); a.status != 400 {
			t.Errorf("nothing named: %d %s", a.status, a.raw)
		}

		send(t, "DELETE", c.URL()+"/_local/outbox", nil)
		if outbox := send(t, "GET", c.URL()+"/_local/outbox", nil); len(outbox.body["items"].([]any)) != 0 {
			t.Fatalf("outbox after DELETE: %s", outbox.raw)
		}
	})

	t.Run("the runner's events have the shape of the sample events", func(t *testing.T) {
		root, _ := emulators.Root()
		sample := func(file string, typed any) map[string]any {
			data, err := os.ReadFile(filepath.Join(root, "events", file))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, typed); err != nil {
				t.Fatalf("%s does not decode into %T: %v", file, typed, err)
			}
			var generic map[string]any
			_ = json.Unmarshal(data, &generic)
			return generic
		}

		var sampleHTTP events.APIGatewayV2HTTPRequest
		wantHTTP := sample("apigw-http-v2.json", &sampleHTTP)
		gotHTTP := dig(sendJSON(t, "POST", c.URL()+"/echo", map[string]string{"a": "b"}).body, "raw").(map[string]any)
		sameShape(t, "HTTP API event", wantHTTP, gotHTTP)
		decodes(t, gotHTTP, &events.APIGatewayV2HTTPRequest{})

		var sampleSQS events.SQSEvent
		wantSQS := sample("sqs.json", &sampleSQS)
		_, err := c.sqs.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(c.Resources.Queues["jobs"]), MessageBody: aws.String("shaped"),
			MessageAttributes: map[string]sqstypes.MessageAttributeValue{"type": {DataType: aws.String("String"), StringValue: aws.String("ooh-call")}}})
		if err != nil {
			t.Fatal(err)
		}
		c.waitForLine(t, "shaped")
		gotSQS := c.lastEventWith(t, "shaped")
		sameShape(t, "SQS event", wantSQS, gotSQS)
		decodes(t, gotSQS, &events.SQSEvent{})

		var sampleSchedule events.EventBridgeEvent
		wantSchedule := sample("eventbridge-schedule.json", &sampleSchedule)
		gotSchedule := send(t, "POST", c.URL()+"/_local/schedules/tick-weekday", nil).body
		sameShape(t, "schedule event", wantSchedule, gotSchedule)
		decodes(t, gotSchedule, &events.EventBridgeEvent{})
	})
}

func hasKeyWithNull(m map[string]any, key string) bool {
	v, ok := m[key]
	return ok && v == nil
}

func regexpMatch(pattern, s string) bool {
	return regexp.MustCompile(pattern).MatchString(s)
}

// sameShape compares the key paths of two events: values differ, names and nesting must not. Maps whose keys
// are data (headers, parameters, claims, message attribute names) count as one key.
func sameShape(t *testing.T, what string, want, got map[string]any) {
	t.Helper()
	w, g := keyPaths(want, ""), keyPaths(got, "")
	for _, p := range w {
		if !slices.Contains(g, p) {
			t.Errorf("%s: the runner leaves out %s", what, p)
		}
	}
	for _, p := range g {
		if !slices.Contains(w, p) {
			t.Errorf("%s: the runner adds %s", what, p)
		}
	}
}

var dataKeyed = []string{"headers", "queryStringParameters", "pathParameters", "stageVariables", "claims", "detail"}

func keyPaths(v any, prefix string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			path := prefix + "." + k
			switch {
			case slices.Contains(dataKeyed, k):
				out = append(out, path)
			case k == "messageAttributes":
				out = append(out, path)
				for _, attr := range x[k].(map[string]any) {
					out = append(out, keyPaths(attr, path+".*")...)
					break
				}
			default:
				out = append(out, path)
				out = append(out, keyPaths(child, path)...)
			}
		}
	case []any:
		if len(x) > 0 {
			out = append(out, keyPaths(x[0], prefix+"[]")...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func decodes(t *testing.T, v map[string]any, typed any) {
	t.Helper()
	data, _ := json.Marshal(v)
	if err := json.Unmarshal(data, typed); err != nil {
		t.Errorf("the runner's event does not decode into %T: %v", typed, err)
	}
}

func sendJobs(t *testing.T, c testCloud, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		if _, err := c.sqs.SendMessage(context.Background(), &sqs.SendMessageInput{QueueUrl: aws.String(c.Resources.Queues["jobs"]), MessageBody: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
}

func (c testCloud) probe(t *testing.T, name string) string {
	data, _ := os.ReadFile(filepath.Join(c.probeDir, name))
	return string(data)
}

func (c testCloud) waitForLine(t *testing.T, body string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(c.probe(t, "worker.log"), "\n") {
			if strings.HasPrefix(line, body+" ") {
				return line
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the worker never processed %q", body)
	return ""
}

func (c testCloud) lastEventWith(t *testing.T, body string) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(c.probe(t, "events.jsonl")), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		var ev map[string]any
		if json.Unmarshal([]byte(lines[i]), &ev) == nil && strings.Contains(lines[i], `"body":"`+body+`"`) {
			return ev
		}
	}
	t.Fatalf("no event with %q", body)
	return nil
}

// Until start-up has finished, health answers 503 in its usual shape and the API 503.
func TestHealthWhileStarting(t *testing.T) {
	c := &Cloud{opts: Options{Catalog: testCatalog(t.TempDir())}}
	rec := httptest.NewRecorder()
	c.health(rec, httptest.NewRequest("GET", "/_local/health", nil))
	var h Health
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil || rec.Code != 503 || h.Status == "up" || len(h.Functions) != 3 || h.Functions["web"].Up || len(h.Emulators) != 2 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	rec = httptest.NewRecorder()
	c.whenReady(c.serveAPI)(rec, httptest.NewRequest("GET", "/items/1", nil))
	if rec.Code != 503 {
		t.Fatalf("API while starting: %d", rec.Code)
	}
}

func TestCronSpec(t *testing.T) {
	for aws, want := range map[string]string{
		"cron(0 7 ? * MON-FRI *)":   "0 7 * * MON-FRI",
		"cron(0/5 * * * ? *)":       "0/5 * * * *",
		"cron(30 9 ? * 2-6 *)":      "30 9 * * 1-5",
		"cron(0 12 ? * 1,7 2026)":   "0 12 * * 0,6",
		"cron(0 8 1 * ? 2026-2027)": "0 8 1 * *",
	} {
		got, _, err := cronSpec(aws)
		if err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", aws, got, err, want)
		}
		if _, err := cron.ParseStandard(got); err != nil {
			t.Errorf("%s: robfig rejects %q: %v", aws, got, err)
		}
	}
	for _, f := range catalog.System().Functions {
		for _, s := range f.Schedules {
			spec, _, err := cronSpec(s.Cron)
			if _, perr := cron.ParseStandard(spec); err != nil || perr != nil {
				t.Errorf("%s: %v %v", s.Cron, err, perr)
			}
		}
	}
	for _, bad := range []string{"rate(5 minutes)", "cron(0 7 L * ? *)", "cron(0 7 * *)"} {
		if _, _, err := cronSpec(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if !inYears("*", 2026) || !inYears("2025-2027", 2026) || !inYears("2024,2026", 2026) || inYears("2027", 2026) {
		t.Error("year field")
	}
}

// A failure that names no message of the batch fails the whole batch, as in Lambda.
func TestSplitBatch(t *testing.T) {
	msgs := []sqstypes.Message{{MessageId: aws.String("a"), ReceiptHandle: aws.String("ra")}, {MessageId: aws.String("b"), ReceiptHandle: aws.String("rb")}}
	done, retry, err := splitBatch(msgs, []byte(`{"batchItemFailures":[{"itemIdentifier":"b"}]}`))
	if err != nil || len(done) != 1 || aws.ToString(done[0].ReceiptHandle) != "ra" || len(retry) != 1 {
		t.Fatalf("%v %v %v", done, retry, err)
	}
	if done, retry, err := splitBatch(msgs, []byte(`null`)); err != nil || len(done) != 2 || len(retry) != 0 {
		t.Fatalf("no failures: %v %v %v", done, retry, err)
	}
	if done, retry, err := splitBatch(msgs, []byte(`{"batchItemFailures":[{"itemIdentifier":""}]}`)); err == nil || len(done) != 0 || len(retry) != 2 {
		t.Fatalf("unknown id: %v %v %v", done, retry, err)
	}
}

func TestFlattenClaim(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string
	}{{"x", "x"}, {[]any{"a", "b"}, "[a b]"}, {float64(1787996002), "1787996002"}, {true, "true"}} {
		if got := flattenClaim(c.in); got != c.want {
			t.Errorf("%v: %q, want %q", c.in, got, c.want)
		}
	}
}
