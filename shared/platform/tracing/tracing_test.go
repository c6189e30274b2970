package tracing

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/councilhousing/backend/shared/platform/logging"
)

const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

// record installs a provider that keeps spans in memory for the test.
func record(t *testing.T) *tracetest.InMemoryExporter {
	exp := tracetest.NewInMemoryExporter()
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp)))
	t.Cleanup(func() { otel.SetTracerProvider(prev) })
	return exp
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
	spans := exp.GetSpans()
	if len(spans) != 1 {
		t.Fatalf("%d spans", len(spans))
	}
	s := spans[0]
	if s.SpanContext.TraceID().String() != "4bf92f3577b34da6a3ce929d0e0e4736" || s.Parent.SpanID().String() != "00f067aa0ba902b7" ||
		s.SpanKind != trace.SpanKindServer || s.Name != "POST /asb/reports" {
		t.Errorf("span %s kind %v trace %s parent %s", s.Name, s.SpanKind, s.SpanContext.TraceID(), s.Parent.SpanID())
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
	var got sdktrace.ReadOnlySpan
	for _, s := range exp.GetSpans().Snapshots() {
		if s.Name() == "process notifications" {
			got = s
		}
	}
	if got == nil {
		t.Fatal("no message span")
	}
	if got.SpanContext().TraceID() != span.SpanContext().TraceID() || got.Parent().SpanID() != span.SpanContext().SpanID() {
		t.Errorf("message span is not the sender's child: %s under %s", got.SpanContext().TraceID(), got.Parent().SpanID())
	}
	if len(got.Links()) != 1 || got.Links()[0].SpanContext.SpanID() != inv.SpanContext().SpanID() {
		t.Errorf("message span is not linked to the invocation: %v", got.Links())
	}
	if got.Status().Code.String() != "Error" {
		t.Errorf("a message left for retry should mark its span failed: %v", got.Status())
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
