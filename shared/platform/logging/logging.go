// Package logging sets up structured JSON logs through aws-lambda-go's lambdacontext slog handler (which adds
// the request id), and redacts attributes that could carry personal data, as a second line of defence: code
// must not log names, contacts, addresses, descriptions, health or abuse details in the first place.
package logging

import (
	"context"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"go.opentelemetry.io/otel/trace"
)

// personalKeys are attribute names whose values are never written, whatever their group.
var personalKeys = map[string]bool{
	"name": true, "email": true, "phone": true, "address": true, "postcode": true, "description": true,
	"body": true, "reporter": true, "complainant": true, "applicant": true, "representative": true,
	"adjustments": true, "personalisation": true, "to": true, "email_address": true, "phone_number": true,
	"dateofbirth": true, "household": true, "medical": true, "token": true, "accesstoken": true,
	"authorization": true, "secret": true, "explanation": true, "reasons": true, "outcomessought": true,
}

// Redacted is what a personal-data attribute is logged as.
const Redacted = "[redacted]"

// Setup installs the Lambda JSON logger (AWS_LAMBDA_LOG_FORMAT/LEVEL) as the default slog logger.
func Setup() *slog.Logger {
	logger := slog.New(Redacting(lambdacontext.NewLogHandler()))
	slog.SetDefault(logger)
	return logger
}

// Redacting wraps a handler so attributes named like personal data are replaced by Redacted.
func Redacting(next slog.Handler) slog.Handler { return redactor{next} }

type redactor struct{ next slog.Handler }

func (r redactor) Enabled(ctx context.Context, l slog.Level) bool { return r.next.Enabled(ctx, l) }

func (r redactor) Handle(ctx context.Context, rec slog.Record) error {
	clean := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	if attrs, ok := ctx.Value(attrsKey{}).([]slog.Attr); ok {
		clean.AddAttrs(attrs...)
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() { // the trace a line belongs to, to find it in X-Ray
		clean.AddAttrs(slog.String("traceId", sc.TraceID().String()), slog.String("spanId", sc.SpanID().String()))
	}
	rec.Attrs(func(a slog.Attr) bool {
		clean.AddAttrs(redact(a))
		return true
	})
	return r.next.Handle(ctx, clean)
}

func (r redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = redact(a)
	}
	return redactor{r.next.WithAttrs(out)}
}

func (r redactor) WithGroup(name string) slog.Handler { return redactor{r.next.WithGroup(name)} }

func redact(a slog.Attr) slog.Attr {
	if personalKeys[strings.ToLower(a.Key)] {
		return slog.String(a.Key, Redacted)
	}
	if a.Value.Kind() == slog.KindGroup {
		group := a.Value.Group()
		out := make([]any, len(group))
		for i, g := range group {
			out[i] = redact(g)
		}
		return slog.Group(a.Key, out...)
	}
	return a
}

type attrsKey struct{}

// With returns a context whose log lines all carry attrs (e.g. the gateway's request id), for every slog call
// made with that context, in any package.
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	prev, _ := ctx.Value(attrsKey{}).([]slog.Attr)
	return context.WithValue(ctx, attrsKey{}, append(append([]slog.Attr{}, prev...), attrs...))
}
