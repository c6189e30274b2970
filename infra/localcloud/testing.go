package localcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/catalog"
)

var (
	testBinOnce sync.Once
	testBin     string
	testBinErr  error
)

// TestBinDir is this test binary's own folder of built functions, removed by emulators.Main: test binaries
// running in parallel never replace each other's (or `make run`'s) binaries, and the clouds of one test
// binary reuse what is already built.
func TestBinDir(t testing.TB) string {
	t.Helper()
	testBinOnce.Do(func() {
		if testBin, testBinErr = os.MkdirTemp("", "localcloud-bin-"); testBinErr == nil {
			emulators.OnExit(func() { _ = os.RemoveAll(testBin) })
		}
	})
	if testBinErr != nil {
		t.Fatal(testBinErr)
	}
	return testBin
}

// StartForTest runs the named catalog functions (all when none are named) as the local cloud does, against the
// test binary's shared emulators with fresh tables and queues, and stops it when the test ends.
func StartForTest(t testing.TB, functions ...string) *Cloud {
	t.Helper()
	sys := catalog.System()
	if len(functions) > 0 {
		var keep []catalog.Function
		for _, name := range functions {
			f, ok := sys.Function(name)
			if !ok {
				t.Fatalf("no function %s in the catalog", name)
			}
			keep = append(keep, f)
		}
		sys.Functions = keep
	}
	env := emulators.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c, err := Start(ctx, Options{
		Catalog: sys, Addr: "127.0.0.1:0", DynamoEndpoint: env.DynamoEndpoint, SQSEndpoint: env.SQSEndpoint,
		BinDir: TestBinDir(t), ResourceSuffix: emulators.UniqueSuffix(), VisibilityTimeoutSec: 1, Logf: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	env.DeleteWhenDone(t, c.Resources)
	t.Cleanup(c.Stop)
	if err := c.WaitHealthy(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

// Response is an HTTP answer with its body decoded as JSON (when it is JSON).
type Response struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

// Call sends a request to the cloud; body is marshalled as JSON unless it is already []byte.
func (c *Cloud) Call(t testing.TB, method, path string, body any, headers ...string) Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.URL()+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	_ = json.Unmarshal(raw, &out.JSON)
	return out
}

// StaffToken returns a local JWT for a member of staff.
func (c *Cloud) StaffToken(t testing.TB, sub string, groups ...string) string {
	t.Helper()
	r := c.Call(t, "POST", "/_local/token", map[string]any{"sub": sub, "email": sub + "@council.example", "groups": groups})
	if r.Status != 200 {
		t.Fatalf("token: %d %s", r.Status, r.Raw)
	}
	return "Bearer " + r.JSON["token"].(string)
}

// PinClock pins the local clock.
func (c *Cloud) PinClock(at time.Time) { c.Clock.Pin(at) }

// Eventually polls check until it returns true or the timeout passes.
func Eventually(t testing.TB, timeout time.Duration, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if check() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// SQSClient is a client of the cloud's SQS emulator.
func (c *Cloud) SQSClient() *sqs.Client { return c.sqs }

// DynamoClient is a client of the cloud's DynamoDB Local.
func (c *Cloud) DynamoClient() *dynamodb.Client {
	ddb, _ := emulators.Clients(c.opts.DynamoEndpoint, c.opts.SQSEndpoint)
	return ddb
}
