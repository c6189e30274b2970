// Package e2e follows one request through the local cloud's traces: the real asb-report and notifier binaries
// export their spans over OTLP/HTTP to the local cloud's stand-in for the collector (GET /_local/traces).
package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
)

func TestMain(m *testing.M) { emulators.Main(m) }

// A caller's trace (W3C traceparent) continues through the API function, its DynamoDB and SQS calls, and the
// notifier that handles the message it sent; no span carries the reporter's personal data.
func TestOneTraceFromTheAPIToTheConsumer(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "notifier")
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	r := c.Call(t, "POST", "/asb/reports", map[string]any{
		"type": "noise", "description": "Very loud music every night from the flat above.",
		"location": map[string]any{"address": "Flat 4, 12 Example Road", "postcode": "NN1 1AA"}, "ongoing": true,
		"anonymous": false, "risk": map[string]any{},
		"reporter": map[string]any{"name": "Sam Tracer", "email": "sam.tracer@example.org", "preferredContact": "email"},
	}, "traceparent", "00-"+traceID+"-00f067aa0ba902b7-01")
	if r.Status != 201 {
		t.Fatalf("report: %d %s", r.Status, r.Raw)
	}

	var spans []localcloud.Span
	has := func(service, kind, prefix string) bool {
		for _, s := range spans {
			if s.Service == service && s.Kind == kind && strings.HasPrefix(s.Name, prefix) {
				return true
			}
		}
		return false
	}
	localcloud.Eventually(t, 30*time.Second, "the notifier's span in the caller's trace", func() bool {
		got := c.Call(t, "GET", "/_local/traces?traceId="+traceID, nil)
		raw, _ := json.Marshal(got.JSON["spans"])
		spans = nil
		_ = json.Unmarshal(raw, &spans)
		return has("notifier", "consumer", "process notifications")
	})
	for _, want := range []struct{ service, kind, name string }{
		{"asb-report", "server", "POST /asb/reports"},
		{"asb-report", "client", "DynamoDB."},
		{"asb-report", "client", "AmazonSQS.SendMessageBatch"},
		{"notifier", "consumer", "process notifications"},
		{"notifier", "client", "DynamoDB."},
	} {
		if !has(want.service, want.kind, want.name) {
			t.Errorf("no %s %s span %q in trace %s", want.service, want.kind, want.name, traceID)
		}
	}
	raw, _ := json.Marshal(spans)
	for _, personal := range []string{"Sam", "sam.tracer", "Example Road", "loud music"} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("a span carries %q: %s", personal, raw)
		}
	}
	if t.Failed() {
		t.Logf("spans: %s", raw)
	}
}
