package tracing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
)

// otlpJSON exports spans over OTLP/HTTP in its JSON encoding (POST <endpoint>/v1/traces, application/json), which
// the OpenTelemetry collector (the ADOT layer in AWS) accepts as it does protobuf.
//
// Why not the OpenTelemetry project's otlptracehttp exporter: it links the gRPC stack and the protobuf runtime
// (its configuration and status types come from there), which nearly doubled every function's binary (10 MB to
// 19 MB) and its cold start, the cost issue 10 measures. The JSON encoding needs only encoding/json and net/http,
// which the functions link anyway.
type otlpJSON struct {
	url    string
	client *http.Client
}

// newOTLPJSON reads the endpoint as OpenTelemetry's variables give it: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the
// full URL), else OTEL_EXPORTER_OTLP_ENDPOINT with /v1/traces appended, else the collector's default on localhost.
func newOTLPJSON() *otlpJSON {
	url := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
	if url == "" {
		base := os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT")
		if base == "" {
			base = "http://localhost:4318"
		}
		url = strings.TrimSuffix(base, "/") + "/v1/traces"
	}
	return &otlpJSON{url: url, client: &http.Client{Timeout: 2 * time.Second}}
}

// ExportSpans sends one request with every span, under the provider's resource (a Lambda function has one).
func (e *otlpJSON) ExportSpans(ctx context.Context, resource []attribute.KeyValue, spans []spanData) error {
	if len(spans) == 0 {
		return nil
	}
	body, err := json.Marshal(exportRequest(resource, spans))
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("OTLP export: HTTP %d from the collector", resp.StatusCode)
	}
	return nil
}

// The OTLP/JSON shapes (opentelemetry-proto's JSON mapping: ids in hex, 64-bit numbers as strings, enums as numbers).
type (
	jsonExport struct {
		ResourceSpans []jsonResourceSpans `json:"resourceSpans"`
	}
	jsonResourceSpans struct {
		Resource   jsonResource     `json:"resource"`
		ScopeSpans []jsonScopeSpans `json:"scopeSpans"`
	}
	jsonResource struct {
		Attributes []jsonKeyValue `json:"attributes"`
	}
	jsonScopeSpans struct {
		Scope jsonScope  `json:"scope"`
		Spans []jsonSpan `json:"spans"`
	}
	jsonScope struct {
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
	}
	jsonSpan struct {
		TraceID      string         `json:"traceId"`
		SpanID       string         `json:"spanId"`
		ParentSpanID string         `json:"parentSpanId,omitempty"`
		Name         string         `json:"name"`
		Kind         int            `json:"kind"`
		Start        string         `json:"startTimeUnixNano"`
		End          string         `json:"endTimeUnixNano"`
		Attributes   []jsonKeyValue `json:"attributes,omitempty"`
		Links        []jsonLink     `json:"links,omitempty"`
		Status       jsonStatus     `json:"status"`
	}
	jsonLink struct {
		TraceID string `json:"traceId"`
		SpanID  string `json:"spanId"`
	}
	jsonStatus struct {
		Code    int    `json:"code,omitempty"` // 0 unset, 1 ok, 2 error
		Message string `json:"message,omitempty"`
	}
	jsonKeyValue struct {
		Key   string    `json:"key"`
		Value jsonValue `json:"value"`
	}
	jsonValue struct {
		String *string  `json:"stringValue,omitempty"`
		Int    *string  `json:"intValue,omitempty"`
		Bool   *bool    `json:"boolValue,omitempty"`
		Double *float64 `json:"doubleValue,omitempty"`
	}
)

func exportRequest(resource []attribute.KeyValue, spans []spanData) jsonExport {
	scopes := map[string]*jsonScopeSpans{}
	var order []string
	for i := range spans {
		s := &spans[i]
		ss := scopes[s.scope]
		if ss == nil {
			ss = &jsonScopeSpans{Scope: jsonScope{Name: s.scope, Version: s.scopeV}}
			scopes[s.scope] = ss
			order = append(order, s.scope)
		}
		ss.Spans = append(ss.Spans, spanJSON(s))
	}
	rs := jsonResourceSpans{Resource: jsonResource{Attributes: attributesJSON(resource)}}
	for _, name := range order {
		rs.ScopeSpans = append(rs.ScopeSpans, *scopes[name])
	}
	return jsonExport{ResourceSpans: []jsonResourceSpans{rs}}
}

func spanJSON(s *spanData) jsonSpan {
	out := jsonSpan{TraceID: s.sc.TraceID().String(), SpanID: s.sc.SpanID().String(), Name: s.name, Kind: int(s.kind),
		Start: strconv.FormatInt(s.start.UnixNano(), 10), End: strconv.FormatInt(s.end.UnixNano(), 10), Attributes: attributesJSON(s.attrs)}
	if s.parent.SpanID().IsValid() {
		out.ParentSpanID = s.parent.SpanID().String()
	}
	for _, l := range s.links {
		out.Links = append(out.Links, jsonLink{TraceID: l.SpanContext.TraceID().String(), SpanID: l.SpanContext.SpanID().String()})
	}
	switch s.status {
	case codes.Ok:
		out.Status.Code = 1
	case codes.Error:
		out.Status = jsonStatus{Code: 2, Message: s.description}
	}
	return out
}

func attributesJSON(attrs []attribute.KeyValue) []jsonKeyValue {
	out := make([]jsonKeyValue, 0, len(attrs))
	for _, a := range attrs {
		var v jsonValue
		switch a.Value.Type() {
		case attribute.BOOL:
			b := a.Value.AsBool()
			v.Bool = &b
		case attribute.INT64:
			i := strconv.FormatInt(a.Value.AsInt64(), 10)
			v.Int = &i
		case attribute.FLOAT64:
			f := a.Value.AsFloat64()
			v.Double = &f
		default:
			s := a.Value.Emit()
			v.String = &s
		}
		out = append(out, jsonKeyValue{Key: string(a.Key), Value: v})
	}
	return out
}
