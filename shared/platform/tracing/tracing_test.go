package tracing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/councilhousing/backend/shared/platform/logging"
)

const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// recorder is an exporter that keeps spans in memory for a test.
type recorder struct {
	p       *tracerProvider
	mu      sync.Mutex
	spans   []spanData
	exports int
}

func (r *recorder) export(_ context.Context, _ []attribute.KeyValue, spans []spanData) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, spans...)
	r.exports++
	return nil
}

// get flushes the provider and returns every span exported so far.
func (r *recorder) get(t *testing.T) []spanData {
	t.Helper()
	if err := r.p.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]spanData(nil), r.spans...)
}

// record installs a provider (as Setup would) whose spans the returned recorder keeps.
func record(t *testing.T) *recorder {
	r := &recorder{}
	r.p = newProvider(r.export, attribute.String("service.name", "test"))
	install(t, r.p)
	return r
}

// install makes tp the global provider and p the one Flush flushes, until the test ends.
func install(t *testing.T, tp trace.TracerProvider) {
	prevGlobal, prev := otel.GetTracerProvider(), provider
	otel.SetTracerProvider(tp)
	provider, _ = tp.(*tracerProvider)
	t.Cleanup(func() { otel.SetTracerProvider(prevGlobal); provider = prev })
}

func TestAnAPIRequestContinuesTheCallersTrace(t *testing.T) {
	exp := record(t)
	h := Invocations("asb-report", func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (int, error) {
		Name(ctx, "POST", "/asb/reports")
		Status(ctx, 201)
		return 0, nil
	})
	if _, err := h(context.Background(), events.APIGatewayV2HTTPRequest{Headers: map[string]string{"traceparent": traceparent}}); err != nil {
		t.Fatal(err)
	}
	spans := exp.get(t)
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.sc.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || s.parent.SpanID().String() != "00f067aa0ba902b7" ||
		s.kind != trace.SpanKindServer || s.name != "POST /asb/reports" {
		t.Errorf("span %s kind %v trace %s parent %s", s.name, s.kind, s.sc.TraceID(), s.parent.SpanID())
	}
	if exp.exports != 1 {
		t.Errorf("the invocation's spans were exported in %d requests, want 1 (flushed at its end)", exp.exports)
	}
}

func TestAMessageContinuesTheSendersTrace(t *testing.T) {
	exp := record(t)
	sender, span := Tracer().Start(context.Background(), "send")
	attrs := map[string]events.SQSMessageAttribute{}
	Inject(sender, func(k, v string) { attrs[k] = events.SQSMessageAttribute{StringValue: &v, DataType: "String"} })
	span.End()
	if attrs["traceparent"].StringValue == nil {
		t.Fatalf("no traceparent attribute: %v", attrs)
	}
	invocation, inv := Tracer().Start(context.Background(), "invocation")
	_, msg := Message(invocation, "notifications", events.SQSMessage{MessageId: "m1", MessageAttributes: attrs})
	EndMessage(msg, true)
	inv.End()
	var got *spanData
	for _, s := range exp.get(t) {
		if s.name == "process notifications" {
			got = &s
		}
	}
	if got == nil {
		t.Fatal("no message span")
	}
	if got.sc.TraceID() != span.SpanContext().TraceID() || got.parent.SpanID() != span.SpanContext().SpanID() {
		t.Errorf("message span is not the sender's child: %s under %s", got.sc.TraceID(), got.parent.SpanID())
	}
	if len(got.links) != 1 || got.links[0].SpanContext.SpanID() != inv.SpanContext().SpanID() {
		t.Errorf("message span is not linked to the invocation: %v", got.links)
	}
	if got.status.String() != "Error" || got.description != "left for retry" || got.kind != trace.SpanKindConsumer {
		t.Errorf("a message left for retry should mark its span failed: %v %q", got.status, got.description)
	}
}

// Every log line written inside a span carries its trace and span ids (so a line leads to its trace in X-Ray).
func TestLogLinesCarryTheTraceID(t *testing.T) {
	record(t)
	var buf bytes.Buffer
	log := slog.New(logging.Redacting(slog.NewJSONHandler(&buf, nil)))
	ctx, span := Tracer().Start(context.Background(), "x")
	log.InfoContext(ctx, "hello")
	span.End()
	if !strings.Contains(buf.String(), `"traceId":"`+span.SpanContext().TraceID().String()+`"`) || !strings.Contains(buf.String(), `"spanId":"`) {
		t.Errorf("log line without trace ids: %s", buf.String())
	}
}

func TestExportingFollowsOpenTelemetrysVariables(t *testing.T) {
	for _, tc := range []struct {
		exporter, endpoint string
		want               bool
	}{{"", "", false}, {"none", "http://localhost:4318", false}, {"otlp", "", true}, {"", "http://localhost:4318", true}, {"console", "", false}} {
		t.Setenv("OTEL_TRACES_EXPORTER", tc.exporter)
		t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", tc.endpoint)
		t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
		if got := exporting(); got != tc.want {
			t.Errorf("OTEL_TRACES_EXPORTER=%q endpoint %q: exporting %v, want %v", tc.exporter, tc.endpoint, got, tc.want)
		}
	}
}

// remote is the context a propagator gives for an incoming traceparent.
func remote(tp string) context.Context {
	return propagation.TraceContext{}.Extract(context.Background(), propagation.MapCarrier{"traceparent": tp})
}

// A span's ids, parent and sampling follow the SDK's ParentBased(AlwaysOn): a new trace for a root, the parent's
// trace for a child (local or remote), a span id of its own always, recorded unless its parent was not sampled.
func TestSpansTakeTheirTraceFromTheirParent(t *testing.T) {
	exp := record(t)
	local, localSpan := Tracer().Start(context.Background(), "local parent")
	defer localSpan.End()
	unsampledLocal, _ := Tracer().Start(remote("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), "unsampled local parent")
	for _, tc := range []struct {
		name      string
		ctx       context.Context
		opts      []trace.SpanStartOption
		parent    trace.SpanContext // zero: a root
		recording bool
	}{
		{"root", context.Background(), nil, trace.SpanContext{}, true},
		{"child of a local span", local, nil, localSpan.SpanContext(), true},
		{"child of a sampled remote parent", remote(traceparent), nil, trace.SpanContextFromContext(remote(traceparent)), true},
		{"child of an unsampled remote parent", remote("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), nil,
			trace.SpanContextFromContext(remote("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")), false},
		{"child of an unsampled local span", unsampledLocal, nil, trace.SpanContextFromContext(unsampledLocal), false},
		{"new root under a parent", local, []trace.SpanStartOption{trace.WithNewRoot()}, trace.SpanContext{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, span := Tracer().Start(tc.ctx, tc.name, tc.opts...)
			sc := span.SpanContext()
			if trace.SpanFromContext(ctx) != span {
				t.Error("the context does not carry the span")
			}
			if !sc.IsValid() || sc.IsRemote() {
				t.Errorf("span context %v: valid %v remote %v", sc, sc.IsValid(), sc.IsRemote())
			}
			if sc.SpanID() == tc.parent.SpanID() {
				t.Errorf("the span reuses its parent's span id %s", sc.SpanID())
			}
			if tc.parent.IsValid() && sc.TraceID() != tc.parent.TraceID() {
				t.Errorf("trace %s, want the parent's %s", sc.TraceID(), tc.parent.TraceID())
			}
			if !tc.parent.IsValid() && sc.TraceID() == localSpan.SpanContext().TraceID() {
				t.Errorf("a root span continues trace %s", sc.TraceID())
			}
			if span.IsRecording() != tc.recording || sc.IsSampled() != tc.recording {
				t.Errorf("recording %v sampled %v, want %v", span.IsRecording(), sc.IsSampled(), tc.recording)
			}
			if span.TracerProvider() != exp.p {
				t.Error("the span's provider is not the one that made it")
			}
			before := len(exp.get(t))
			span.End()
			spans := exp.get(t)
			if !tc.recording {
				if len(spans) != before {
					t.Errorf("a span that is not sampled was exported")
				}
				return
			}
			if len(spans) != before+1 {
				t.Fatalf("%d spans exported, want 1", len(spans)-before)
			}
			if got := spans[len(spans)-1]; !got.parent.Equal(tc.parent) || !got.sc.Equal(sc) || got.name != tc.name || got.kind != trace.SpanKindInternal {
				t.Errorf("exported %q kind %v context %v parent %v, want parent %v", got.name, got.kind, got.sc, got.parent, tc.parent)
			}
		})
	}
}

func TestIDsAreUnique(t *testing.T) {
	record(t)
	traces, spans := map[trace.TraceID]bool{}, map[trace.SpanID]bool{}
	for range 20000 {
		_, s := Tracer().Start(context.Background(), "x")
		sc := s.SpanContext()
		if !sc.TraceID().IsValid() || !sc.SpanID().IsValid() || traces[sc.TraceID()] || spans[sc.SpanID()] {
			t.Fatalf("invalid or repeated ids: %v", sc)
		}
		traces[sc.TraceID()], spans[sc.SpanID()] = true, true
	}
}

// A trace the caller did not sample is not recorded, but passes on to the messages the function sends: with
// this provider as the SDK did (the same trace, unsampled, under the function's span id), and with none installed
// (tracing off) unchanged.
func TestAnUnsampledTraceStillPropagates(t *testing.T) {
	const unsampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
	for _, tc := range []struct {
		name     string
		provider func(t *testing.T) *recorder
		want     func(sc trace.SpanContext) string
	}{
		{"exporting", record, func(sc trace.SpanContext) string {
			return "00-4bf92f3577b34da6a3ce929d0e0e4736-" + sc.SpanID().String() + "-00"
		}},
		{"not exporting", func(t *testing.T) *recorder { install(t, noop.NewTracerProvider()); return nil }, func(trace.SpanContext) string { return unsampled }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp := tc.provider(t)
			var sent string
			h := Invocations("asb-report", func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (int, error) {
				ctx, call := Call(ctx, "SQS", "SendMessage")
				Inject(ctx, func(k, v string) {
					if k == "traceparent" {
						sent = v
					}
				})
				if call.IsRecording() {
					t.Error("a span under an unsampled trace records")
				}
				End(call, nil)
				if want := tc.want(trace.SpanContextFromContext(ctx)); sent != want {
					t.Errorf("sent traceparent %q, want %q", sent, want)
				}
				return 0, nil
			})
			if _, err := h(context.Background(), events.APIGatewayV2HTTPRequest{Headers: map[string]string{"traceparent": unsampled}}); err != nil {
				t.Fatal(err)
			}
			if exp != nil && len(exp.get(t)) != 0 {
				t.Errorf("spans of an unsampled trace were exported")
			}
		})
	}
}

// A span records what it is told until it ends, once: what comes after End, a second End included, is ignored.
func TestASpanRecordsUntilItEnds(t *testing.T) {
	exp := record(t)
	start := time.Unix(1700000000, 0)
	_, s := Tracer().Start(context.Background(), "first", trace.WithTimestamp(start), trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("a", "1"), attribute.String("", "invalid key"), attribute.Int("b", 2)))
	s.SetAttributes(attribute.String("a", "3"), attribute.Bool("c", true))
	s.SetName("second")
	s.AddLink(trace.Link{}) // nothing to link: dropped
	s.SetStatus(codes.Error, "first failure")
	s.SetStatus(codes.Unset, "")
	s.SetStatus(codes.Error, "second failure")
	s.End(trace.WithTimestamp(start.Add(time.Second)))
	s.End()
	s.SetName("after end")
	s.SetAttributes(attribute.Int("d", 4))
	s.SetStatus(codes.Ok, "")
	if s.IsRecording() {
		t.Error("an ended span records")
	}
	_, ok := Tracer().Start(context.Background(), "ok")
	ok.SetStatus(codes.Ok, "ignored")
	ok.SetStatus(codes.Error, "after ok")
	ok.End()

	spans := exp.get(t)
	if len(spans) != 2 {
		t.Fatalf("%d spans exported, want 2", len(spans))
	}
	got := spans[0]
	want := []attribute.KeyValue{attribute.String("a", "3"), attribute.Int("b", 2), attribute.Bool("c", true)}
	if got.name != "second" || got.kind != trace.SpanKindClient || !got.start.Equal(start) || !got.end.Equal(start.Add(time.Second)) ||
		fmt.Sprint(got.attrs) != fmt.Sprint(want) || len(got.links) != 0 || got.status != codes.Error || got.description != "second failure" {
		t.Errorf("recorded %+v", got)
	}
	if spans[1].status != codes.Ok || spans[1].description != "" {
		t.Errorf("Ok is final and has no description: %v %q", spans[1].status, spans[1].description)
	}
}

func TestFlushExportsTheBufferOnce(t *testing.T) {
	exp := record(t)
	for range 3 {
		_, s := Tracer().Start(context.Background(), "x")
		s.End()
	}
	if exp.exports != 0 {
		t.Fatalf("spans exported before Flush")
	}
	Flush(context.Background())
	Flush(context.Background())
	if exp.exports != 1 || len(exp.spans) != 3 {
		t.Errorf("%d exports of %d spans, want 1 of 3", exp.exports, len(exp.spans))
	}
}

// A long batch does not wait for Flush: every maxBatch ended spans are exported, in the background.
func TestABatchIsExportedAtTheBound(t *testing.T) {
	for _, tc := range []struct {
		ended, exports int
	}{{maxBatch - 1, 0}, {maxBatch, 1}, {2*maxBatch + 1, 2}} {
		t.Run(fmt.Sprint(tc.ended), func(t *testing.T) {
			exp := record(t)
			for range tc.ended {
				_, s := Tracer().Start(context.Background(), "x")
				s.End()
			}
			exp.p.exports.Wait()
			exp.mu.Lock()
			exports, spans := exp.exports, len(exp.spans)
			exp.mu.Unlock()
			if exports != tc.exports || spans != tc.exports*maxBatch {
				t.Errorf("%d spans ended: %d exports of %d spans before Flush, want %d", tc.ended, exports, spans, tc.exports)
			}
			if got := len(exp.get(t)); got != tc.ended {
				t.Errorf("%d spans exported in all, want %d", got, tc.ended)
			}
		})
	}
}

// The out-of-hours consumer handles a batch's messages concurrently.
func TestSpansEndConcurrently(t *testing.T) {
	exp := record(t)
	ctx, parent := Tracer().Start(context.Background(), "invocation")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				_, s := Call(ctx, "DynamoDB", "Query")
				s.SetAttributes(attribute.String("k", "v"))
				parent.SetAttributes(attribute.Int("n", 1))
				End(s, nil)
			}
		})
	}
	wg.Wait()
	parent.End()
	if got := len(exp.get(t)); got != 8*200+1 {
		t.Errorf("%d spans exported, want %d", got, 8*200+1)
	}
}

// goldenJSON is what the exporter wrote, with the OpenTelemetry SDK, for the spans of TestTheExportIsUnchanged
// (captured from the SDK's spans before it was replaced).
const goldenJSON = `{"resourceSpans":[{"resource":{"attributes":[{"key":"cloud.region","value":{"stringValue":"eu-west-2"}},{"key":"faas.name","value":{"stringValue":"asb-report-fn"}},{"key":"service.name","value":{"stringValue":"asb-report"}}]},"scopeSpans":[{"scope":{"name":"github.com/councilhousing/backend"},"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"a000000000000001","parentSpanId":"00f067aa0ba902b7","name":"POST /asb/reports","kind":2,"startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000124956789","attributes":[{"key":"faas.name","value":{"stringValue":"asb-report"}},{"key":"http.response.status_code","value":{"intValue":"201"}},{"key":"b","value":{"boolValue":true}},{"key":"f","value":{"doubleValue":1.5}},{"key":"ss","value":{"stringValue":"[\"x\",\"y\"]"}}],"status":{}},{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"a000000000000002","parentSpanId":"a000000000000001","name":"DynamoDB.Query","kind":3,"startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000124956789","attributes":[{"key":"rpc.system","value":{"stringValue":"aws-api"}}],"status":{"code":2,"message":"call failed"}},{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"a000000000000003","name":"process notifications","kind":5,"startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000124956789","links":[{"traceId":"22222222222222222222222222222222","spanId":"1111111111111111"}],"status":{"code":1}},{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"a000000000000004","name":"x","kind":1,"startTimeUnixNano":"1700000000123456789","endTimeUnixNano":"1700000000124956789","status":{"code":2}}]}]}]}`

// The JSON sent to the collector is byte for byte what it was with the SDK: the spans are made by the tracer,
// their random ids replaced by the ones the golden JSON has.
func TestTheExportIsUnchanged(t *testing.T) {
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s", r.URL.Path, r.Header.Get("Content-Type"))
		}
		body, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	t.Setenv("OTEL_TRACES_EXPORTER", "")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "asb-report-fn")
	t.Setenv("AWS_REGION", "eu-west-2")
	install(t, otel.GetTracerProvider()) // restores the providers Setup replaces
	Setup("asb-report")
	if provider == nil {
		t.Fatal("Setup installed no provider")
	}

	start := time.Unix(1700000000, 123456789)
	at, end := trace.WithTimestamp(start), trace.WithTimestamp(start.Add(1500*time.Microsecond))
	ctx, server := Tracer().Start(remote(traceparent), "POST", at, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("faas.name", "asb-report"), attribute.Int("http.response.status_code", 500)))
	server.SetName("POST /asb/reports")
	server.SetAttributes(attribute.Bool("b", true), attribute.Float64("f", 1.5), attribute.StringSlice("ss", []string{"x", "y"}),
		attribute.Int("http.response.status_code", 201))
	_, call := Tracer().Start(ctx, "DynamoDB.Query", at, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attribute.String("rpc.system", "aws-api")))
	call.SetStatus(codes.Error, "call failed")
	call.End(end)
	server.End(end)
	link := trace.NewSpanContext(trace.SpanContextConfig{TraceID: [16]byte{0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22},
		SpanID: [8]byte{0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11}, TraceFlags: trace.FlagsSampled})
	_, msg := Tracer().Start(remote(traceparent), "process notifications", at, trace.WithNewRoot(), trace.WithSpanKind(trace.SpanKindConsumer), trace.WithLinks(trace.Link{SpanContext: link}))
	msg.SetStatus(codes.Ok, "")
	msg.End(end)
	_, x := Tracer().Start(context.Background(), "x", at)
	x.SetStatus(codes.Error, "")
	x.End(end)
	Flush(context.Background())

	// The golden spans are in the order they ended, the server's and the call's swapped; the message's and x's
	// roots are in the golden's trace.
	got := string(body)
	for _, r := range []struct {
		span trace.Span
		id   string
	}{{call, "a000000000000002"}, {server, "a000000000000001"}, {msg, "a000000000000003"}, {x, "a000000000000004"}} {
		sc := r.span.SpanContext()
		got = strings.ReplaceAll(got, `"spanId":"`+sc.SpanID().String()+`"`, `"spanId":"`+r.id+`"`)
		got = strings.ReplaceAll(got, `"parentSpanId":"`+sc.SpanID().String()+`"`, `"parentSpanId":"`+r.id+`"`)
		got = strings.ReplaceAll(got, `"traceId":"`+sc.TraceID().String()+`"`, `"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"`)
	}
	var spans struct {
		ResourceSpans []struct {
			Resource   json.RawMessage `json:"resource"`
			ScopeSpans []struct {
				Scope json.RawMessage   `json:"scope"`
				Spans []json.RawMessage `json:"spans"`
			} `json:"scopeSpans"`
		} `json:"resourceSpans"`
	}
	if err := json.Unmarshal([]byte(got), &spans); err != nil || len(spans.ResourceSpans) != 1 || len(spans.ResourceSpans[0].ScopeSpans) != 1 ||
		len(spans.ResourceSpans[0].ScopeSpans[0].Spans) != 4 {
		t.Fatalf("export %s: %v", body, err)
	}
	ss := spans.ResourceSpans[0].ScopeSpans[0].Spans
	ss[0], ss[1] = ss[1], ss[0]
	reordered, _ := json.Marshal(spans)
	if string(reordered) != goldenJSON {
		t.Errorf("export changed:\n got %s\nwant %s", reordered, goldenJSON)
	}
}
