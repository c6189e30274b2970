package localcloud

import (
	"encoding/hex"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// traceCollector stands in for the OpenTelemetry collector that, in AWS, the ADOT layer runs beside each
// function: the functions export their spans to it over OTLP/HTTP (protobuf) as they would there. It keeps the
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

// export receives POST /_local/otlp/v1/traces (the path the exporter appends to OTEL_EXPORTER_OTLP_ENDPOINT).
func (t *traceCollector) export(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
	var req coltrace.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(body, &req)
	}
	if err != nil {
		http.Error(w, "not an OTLP protobuf trace export: "+err.Error(), http.StatusBadRequest)
		return
	}
	var got []Span
	for _, rs := range req.ResourceSpans {
		service := stringAttrs(rs.GetResource().GetAttributes())["service.name"]
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				got = append(got, spanOf(service, s))
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
	w.Header().Set("Content-Type", "application/x-protobuf")
	out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
	_, _ = w.Write(out)
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

func spanOf(service string, s *tracepb.Span) Span {
	out := Span{TraceID: hex.EncodeToString(s.TraceId), SpanID: hex.EncodeToString(s.SpanId), Service: service, Name: s.Name,
		Kind: kindName(s.Kind), Failed: s.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR,
		Start: time.Unix(0, int64(s.StartTimeUnixNano)).UTC(), Ms: float64(s.EndTimeUnixNano-s.StartTimeUnixNano) / 1e6,
		Attributes: stringAttrs(s.Attributes)}
	if len(s.ParentSpanId) > 0 {
		out.ParentID = hex.EncodeToString(s.ParentSpanId)
	}
	for _, l := range s.Links {
		out.Links = append(out.Links, hex.EncodeToString(l.SpanId))
	}
	return out
}

func kindName(k tracepb.Span_SpanKind) string {
	switch k {
	case tracepb.Span_SPAN_KIND_SERVER:
		return "server"
	case tracepb.Span_SPAN_KIND_CLIENT:
		return "client"
	case tracepb.Span_SPAN_KIND_CONSUMER:
		return "consumer"
	case tracepb.Span_SPAN_KIND_PRODUCER:
		return "producer"
	default:
		return "internal"
	}
}

// stringAttrs are attributes as text (strings, numbers and flags are all the functions record).
func stringAttrs(attrs []*commonpb.KeyValue) map[string]string {
	out := map[string]string{}
	for _, a := range attrs {
		switch v := a.GetValue().GetValue().(type) {
		case *commonpb.AnyValue_StringValue:
			out[a.GetKey()] = v.StringValue
		case *commonpb.AnyValue_IntValue:
			out[a.GetKey()] = strconv.FormatInt(v.IntValue, 10)
		case *commonpb.AnyValue_BoolValue:
			out[a.GetKey()] = strconv.FormatBool(v.BoolValue)
		}
	}
	return out
}
