package localcloud

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// traceCollector stands in for the OpenTelemetry collector that, in AWS, the ADOT layer runs beside each
// function: the functions export their spans to it over OTLP/HTTP (JSON) as they would there. It keeps the
// latest spans for GET /_local/traces and prints a line for each request and message the functions handled.
type traceCollector struct {
	mu    sync.Mutex
	spans []Span // oldest first, at most maxSpans
	logf  func(format string, args ...any)
}

// maxSpans bounds what the collector keeps (the oldest go first).
const maxSpans = 20000

// Span is one span as GET /_local/traces lists it.
type Span struct {
	TraceID    string            `json:"traceId"`
	SpanID     string            `json:"spanId"`
	ParentID   string            `json:"parentSpanId,omitempty"`
	Service    string            `json:"service"`
	Name       string            `json:"name"`
	Kind       string            `json:"kind"`
	Failed     bool              `json:"failed,omitempty"`
	Start      time.Time         `json:"start"`
	Ms         float64           `json:"ms"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Links      []string          `json:"links,omitempty"` // span ids
}

// export receives POST /_local/otlp/v1/traces (the path the exporter appends to OTEL_EXPORTER_OTLP_ENDPOINT), in
// OTLP's JSON encoding (ids in hex, 64-bit numbers as strings), as the functions send it.
func (t *traceCollector) export(w http.ResponseWriter, r *http.Request) {
	var req struct {
		ResourceSpans []struct {
			Resource struct {
				Attributes []otlpKeyValue `json:"attributes"`
			} `json:"resource"`
			ScopeSpans []struct {
				Spans []otlpSpan `json:"spans"`
			} `json:"scopeSpans"`
		} `json:"resourceSpans"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<20)).Decode(&req); err != nil {
		http.Error(w, "not an OTLP/JSON trace export: "+err.Error(), http.StatusBadRequest)
		return
	}
	var got []Span
	for _, rs := range req.ResourceSpans {
		service := stringAttrs(rs.Resource.Attributes)["service.name"]
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				got = append(got, s.span(service))
			}
		}
	}
	t.mu.Lock()
	t.spans = append(t.spans, got...)
	if over := len(t.spans) - maxSpans; over > 0 {
		t.spans = append([]Span(nil), t.spans[over:]...)
	}
	t.mu.Unlock()
	for _, s := range got {
		if s.Kind == "server" || s.Kind == "consumer" {
			t.logf("trace %s %s %s %.1f ms%s", s.TraceID, s.Service, s.Name, s.Ms, map[bool]string{true: " FAILED"}[s.Failed])
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// list answers GET /_local/traces: every span kept, or one trace's (?traceId=), in start order.
func (t *traceCollector) list(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("traceId")
	t.mu.Lock()
	out := make([]Span, 0)
	for _, s := range t.spans {
		if id == "" || s.TraceID == id {
			out = append(out, s)
		}
	}
	t.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	writeJSON(w, http.StatusOK, map[string]any{"spans": out})
}

// otlpSpan is a span in OTLP's JSON encoding.
type otlpSpan struct {
	TraceID      string         `json:"traceId"`
	SpanID       string         `json:"spanId"`
	ParentSpanID string         `json:"parentSpanId"`
	Name         string         `json:"name"`
	Kind         int            `json:"kind"`
	Start        string         `json:"startTimeUnixNano"`
	End          string         `json:"endTimeUnixNano"`
	Attributes   []otlpKeyValue `json:"attributes"`
	Links        []struct {
		SpanID string `json:"spanId"`
	} `json:"links"`
	Status struct {
		Code int `json:"code"`
	} `json:"status"`
}

type otlpKeyValue struct {
	Key   string `json:"key"`
	Value struct {
		String *string `json:"stringValue"`
		Int    *string `json:"intValue"`
		Bool   *bool   `json:"boolValue"`
	} `json:"value"`
}

func (s otlpSpan) span(service string) Span {
	start, _ := strconv.ParseInt(s.Start, 10, 64)
	end, _ := strconv.ParseInt(s.End, 10, 64)
	out := Span{TraceID: s.TraceID, SpanID: s.SpanID, ParentID: s.ParentSpanID, Service: service, Name: s.Name, Kind: kindName(s.Kind),
		Failed: s.Status.Code == 2, Start: time.Unix(0, start).UTC(), Ms: float64(end-start) / 1e6, Attributes: stringAttrs(s.Attributes)}
	for _, l := range s.Links {
		out.Links = append(out.Links, l.SpanID)
	}
	return out
}

// kindName is OTLP's span kind (1 internal, 2 server, 3 client, 4 producer, 5 consumer) by name.
func kindName(k int) string {
	if k >= 1 && k <= 5 {
		return []string{"internal", "server", "client", "producer", "consumer"}[k-1]
	}
	return "internal"
}

// stringAttrs are attributes as text (strings, numbers and flags are all the functions record).
func stringAttrs(attrs []otlpKeyValue) map[string]string {
	out := map[string]string{}
	for _, a := range attrs {
		switch v := a.Value; {
		case v.String != nil:
			out[a.Key] = *v.String
		case v.Int != nil:
			out[a.Key] = *v.Int
		case v.Bool != nil:
			out[a.Key] = strconv.FormatBool(*v.Bool)
		}
	}
	return out
}
