// Package tracing gives every function OpenTelemetry traces that follow a request across the system: the API
// call, the function, each DynamoDB and SQS call it makes, and the consumer that handles the message it sent.
//
// Configuration is OpenTelemetry's own environment variables, so the same binary exports wherever it runs:
//   - OTEL_TRACES_EXPORTER=otlp (or unset with OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT set): OTLP over HTTP in its
//     JSON encoding (otlpjson.go). In AWS the stack points it at the ADOT collector layer on localhost:4318, which
//     sends the spans to X-Ray; locally the local cloud receives them and prints a line for each request and
//     message (GET /_local/traces lists them).
//   - OTEL_TRACES_EXPORTER=none, or nothing configured: no spans are recorded, but an incoming trace context is
//     still passed on to the messages the function sends.
//
// Spans carry ids, names, routes, queue and table names and status codes: never a body, a key value or an
// attribute value, so no personal data leaves in a trace.
//
// There is no OpenTelemetry SDK: its package inits and provider cost every cold start about 0.3 ms (issue 10), so
// provider.go implements the API's TracerProvider, Tracer and Span itself (sampling, ids, buffering, export).
// The API (otel, trace, attribute, codes, propagation) stays, so instrumentation code is standard.
package tracing

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Scope names the tracer of this code base.
const Scope = "github.com/councilhousing/backend"

// provider is the provider Setup installed, flushed at the end of each invocation (Lambda freezes the process
// between invocations, so spans left in a buffer would leave late or never); nil when not recording.
var provider *tracerProvider

// propagator reads and writes W3C trace context (traceparent, tracestate) in HTTP headers and SQS message
// attributes.
var propagator = propagation.TraceContext{}

// Tracer is the code base's tracer (the global provider's: a no-op until Setup installs one).
func Tracer() trace.Tracer { return otel.Tracer(Scope) }

// Setup installs the tracer provider for the function named service, as the environment configures it. An
// exporter that cannot be built is logged and tracing stays off: traces must never stop a function.
func Setup(service string) {
	otel.SetTextMapPropagator(propagator)
	if !exporting() {
		return
	}
	exporter := newOTLPJSON()
	provider = newProvider(exporter.ExportSpans, attribute.String("service.name", service),
		attribute.String("faas.name", os.Getenv("AWS_LAMBDA_FUNCTION_NAME")), attribute.String("cloud.region", os.Getenv("AWS_REGION")))
	otel.SetTracerProvider(provider)
}

// exporting says whether the environment asks for spans to be exported.
func exporting() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("OTEL_TRACES_EXPORTER"))) {
	case "otlp":
		return true
	case "":
		return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
	default: // "none", or an exporter this code base does not link
		return false
	}
}

// Flush exports the spans still buffered; it waits at most two seconds.
func Flush(ctx context.Context) {
	if provider == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := provider.flush(ctx); err != nil {
		slog.WarnContext(ctx, "traces not exported", "error", err.Error())
	}
}

// Invocations wraps a Lambda handler: each invocation is a span (a server span under the caller's trace for an
// HTTP API request, else a root span), named after the function, with Lambda's request id, and its spans are
// flushed before the invocation ends.
func Invocations[E, R any](function string, handle func(context.Context, E) (R, error)) func(context.Context, E) (R, error) {
	return func(ctx context.Context, ev E) (R, error) {
		kind := trace.SpanKindInternal
		if req, ok := any(ev).(events.APIGatewayV2HTTPRequest); ok {
			ctx = propagator.Extract(ctx, headerCarrier(req.Headers))
			kind = trace.SpanKindServer
		}
		attrs := []attribute.KeyValue{attribute.String("faas.name", function)}
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			attrs = append(attrs, attribute.String("faas.invocation_id", lc.AwsRequestID))
		}
		ctx, span := Tracer().Start(ctx, function, trace.WithSpanKind(kind), trace.WithAttributes(attrs...))
		out, err := handle(ctx, ev)
		if err != nil {
			span.SetStatus(codes.Error, "invocation failed")
		}
		span.End()
		Flush(ctx)
		return out, err
	}
}

// Name renames the current span (an HTTP request span after its route, e.g. "POST /asb/reports", as the
// OpenTelemetry HTTP conventions name server spans) and records the route.
func Name(ctx context.Context, method, route string) {
	span := trace.SpanFromContext(ctx)
	span.SetName(method + " " + route)
	span.SetAttributes(attribute.String("http.request.method", method), attribute.String("http.route", route))
}

// Status records an HTTP answer's status on the current span; 5xx marks the span as failed.
func Status(ctx context.Context, status int) {
	span := trace.SpanFromContext(ctx)
	span.SetAttributes(attribute.Int("http.response.status_code", status))
	if status >= 500 {
		span.SetStatus(codes.Error, "")
	}
}

// Inject writes the context's trace into set (e.g. an SQS message's attributes), so the consumer continues
// the trace.
func Inject(ctx context.Context, set func(key, value string)) {
	propagator.Inject(ctx, setter(set))
}

// Message starts the span of one consumed message: a child of the trace that sent it (from its attributes),
// linked to the invocation that received it.
func Message(ctx context.Context, queue string, m events.SQSMessage) (context.Context, trace.Span) {
	carrier := propagation.MapCarrier{}
	for k, v := range m.MessageAttributes {
		if v.StringValue != nil {
			carrier[strings.ToLower(k)] = *v.StringValue
		}
	}
	invocation := trace.SpanContextFromContext(ctx)
	parent := propagator.Extract(ctx, carrier)
	return Tracer().Start(parent, "process "+queue, trace.WithSpanKind(trace.SpanKindConsumer),
		trace.WithLinks(trace.Link{SpanContext: invocation}),
		trace.WithAttributes(attribute.String("messaging.system", "aws_sqs"), attribute.String("messaging.destination.name", queue),
			attribute.String("messaging.message.id", m.MessageId)))
}

// EndMessage ends a message's span; a message left for its retry marks it failed.
func EndMessage(span trace.Span, retried bool) {
	if retried {
		span.SetStatus(codes.Error, "left for retry")
	}
	span.End()
}

// Call starts the client span of one call to an AWS service (e.g. "DynamoDB.Query", "SQS.SendMessageBatch").
func Call(ctx context.Context, service, operation string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	attrs = append(attrs, attribute.String("rpc.system", "aws-api"), attribute.String("rpc.service", service), attribute.String("rpc.method", operation))
	return Tracer().Start(ctx, service+"."+operation, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
}

// End ends a call's span, marking it failed when err is not nil (the error's text is not recorded: an AWS
// error message can quote a key).
func End(span trace.Span, err error) {
	if err != nil {
		span.SetStatus(codes.Error, "call failed")
	}
	span.End()
}

// SDKCalls is an aws.Config API option: each call made through an SDK client (DynamoDB) is a client span.
func SDKCalls(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("TraceCall", func(ctx context.Context, in middleware.InitializeInput,
		next middleware.InitializeHandler) (out middleware.InitializeOutput, md middleware.Metadata, err error) {
		ctx, span := Call(ctx, awsmiddleware.GetServiceID(ctx), middleware.GetOperationName(ctx))
		defer func() { End(span, err) }()
		return next.HandleInitialize(ctx, in)
	}), middleware.After)
}

type setter func(key, value string)

func (s setter) Get(string) string     { return "" }
func (s setter) Keys() []string        { return nil }
func (s setter) Set(key, value string) { s(key, value) }

// headerCarrier reads API Gateway's headers (already lower-cased by the HTTP API).
type headerCarrier map[string]string

func (h headerCarrier) Get(key string) string { return h[strings.ToLower(key)] }
func (h headerCarrier) Set(key, value string) { h[strings.ToLower(key)] = value }
func (h headerCarrier) Keys() []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	return keys
}
