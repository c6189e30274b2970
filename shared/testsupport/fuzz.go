package testsupport

import (
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// What the fuzz targets hold every answer to: its size does not grow with the request, whatever is sent.
const (
	MaxFieldNameBytes = 200      // a field error names a field of the contract (a JSON path), never a caller's text
	MaxMessageBytes   = 1 << 10  // one field error's message, or a problem's detail (a list of allowed codes fits)
	MaxProblemBytes   = 40 << 10 // a whole problem+json answer: MaxFieldErrors errors of the sizes above
	MaxAnswerBytes    = 64 << 10 // any answer: a receipt or a decision with its reasons
)

// CheckError fails t unless err is what a caller may be shown for bad input: an *apperr.Error that is not
// Internal (a 5xx), listing at most apperr.MaxFieldErrors field errors, each of bounded size.
func CheckError(t testing.TB, err error) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("not an *apperr.Error (it would answer 500): %T %v", err, err)
	}
	if e.Code == apperr.Internal {
		t.Fatalf("an Internal error for a caller's input: %v", err)
	}
	if len(e.Fields) > apperr.MaxFieldErrors {
		t.Fatalf("%d field errors listed; at most %d may be", len(e.Fields), apperr.MaxFieldErrors)
	}
	if e.Omitted < 0 {
		t.Fatalf("omitted count %d", e.Omitted)
	}
	if len(e.Message) > MaxMessageBytes {
		t.Fatalf("message of %d bytes: %.80q…", len(e.Message), e.Message)
	}
	for _, fe := range e.Fields {
		if fe.Field == "" || len(fe.Field) > MaxFieldNameBytes || len(fe.Message) > MaxMessageBytes {
			t.Fatalf("field error out of bounds (field %d bytes, message %d bytes): %.80q: %.80q", len(fe.Field), len(fe.Message), fe.Field, fe.Message)
		}
	}
}

// CheckAnswer fails t unless resp is a well-formed answer to a caller: never 5xx, a JSON body within
// MaxAnswerBytes, and for a 4xx an application/problem+json body within MaxProblemBytes with at most
// apperr.MaxFieldErrors bounded field errors. It returns the decoded body.
func CheckAnswer(t testing.TB, resp events.APIGatewayV2HTTPResponse) map[string]any {
	t.Helper()
	if resp.StatusCode >= 500 || resp.StatusCode < 200 {
		t.Fatalf("status %d: %.500s", resp.StatusCode, resp.Body)
	}
	var body map[string]any
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
			t.Fatalf("status %d: body is not a JSON object (%v): %.300q", resp.StatusCode, err, resp.Body)
		}
	}
	if !utf8.ValidString(resp.Body) {
		t.Fatalf("status %d: body is not UTF-8", resp.StatusCode)
	}
	if len(resp.Body) > MaxAnswerBytes {
		t.Fatalf("status %d: answer of %d bytes", resp.StatusCode, len(resp.Body))
	}
	if resp.StatusCode < 400 {
		return body
	}
	if ct := resp.Headers["Content-Type"]; ct != "application/problem+json" {
		t.Fatalf("status %d answered as %q", resp.StatusCode, ct)
	}
	if len(resp.Body) > MaxProblemBytes {
		t.Fatalf("status %d: problem of %d bytes", resp.StatusCode, len(resp.Body))
	}
	var p struct {
		Status int    `json:"status"`
		Detail string `json:"detail"`
		Errors []struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"errors"`
		Omitted int `json:"omittedErrors"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || p.Status != resp.StatusCode {
		t.Fatalf("status %d: not a problem document (%v): %.300s", resp.StatusCode, err, resp.Body)
	}
	if len(p.Errors) > apperr.MaxFieldErrors || p.Omitted < 0 || (p.Omitted > 0 && len(p.Errors) != apperr.MaxFieldErrors) {
		t.Fatalf("status %d: %d field errors listed, %d omitted", resp.StatusCode, len(p.Errors), p.Omitted)
	}
	if len(p.Detail) > MaxMessageBytes {
		t.Fatalf("status %d: detail of %d bytes: %.80q…", resp.StatusCode, len(p.Detail), p.Detail)
	}
	for _, fe := range p.Errors {
		if fe.Field == "" || len(fe.Field) > MaxFieldNameBytes || len(fe.Message) > MaxMessageBytes {
			t.Fatalf("status %d: field error out of bounds: %.80q: %.80q", resp.StatusCode, fe.Field, fe.Message)
		}
	}
	return body
}

// QuietLogs discards slog output while a fuzz target runs (handlers log a line per request; millions of them
// would only slow the fuzzer down), and restores the logger afterwards.
func QuietLogs(tb testing.TB) {
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	tb.Cleanup(func() { slog.SetDefault(old) })
}

// HostileBodies are seed bodies for every JSON route's fuzz target: not JSON, not an object, cut short, two
// values, deep nesting, nulls, wrong types, absurd numbers, unknown fields (many, and one with a huge name),
// invalid UTF-8, NUL, right-to-left overrides, emoji, injection strings, and a body over the size limit.
func HostileBodies() []string {
	return []string{
		"", " ", "null", "[]", "{}", "0", `"x"`, "true", "{", `{"a":1}{}`, `{} []`, "\ufeff{}", "{}\x00",
		strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000),
		strings.Repeat("[", 30000) + strings.Repeat("]", 30000),
		`{"type":null,"description":null,"location":null,"reporter":null,"risk":null,"applicant":null,"age":null}`,
		`{"type":1,"description":[],"location":"x","reporter":true,"age":"36","household":{},"circumstances":"a"}`,
		`{"age":1e400,"amount":-0,"count":9223372036854775808,"n":1E-400,"x":0.1e-999999999}`,
		`{"` + strings.Repeat("k", 60000) + `":1}`,
		`{"x1":1,"x2":2,"x3":3,"x4":4,"x5":5,"x6":6,"x7":7,"x8":8,"x9":9,"x10":10}`,
		"{\"description\":\"\xff\xfe\xfd invalid UTF-8\",\"name\":\"\\ud800\"}",
		`{"description":"NUL \u0000 here","name":"\u202eevil\u202c","postcode":"NN1 1DE\u0000"}`,
		`{"description":"😀😀😀 \u200b\u200f","name":"' OR 1=1; DROP TABLE cases; --","email":"<script>alert(1)</script>@x.org"}`,
		`{"Type":"noise","TYPE":"noise","type":"noise","type":"graffiti"}`,
		`{"description":"` + strings.Repeat("x", MaxBodyBytesForSeeds) + `"}`,
	}
}

// MaxBodyBytesForSeeds is httpapi.MaxBodyBytes (a seed just over it must answer 413); restated here because
// testsupport may not import the transports.
const MaxBodyBytesForSeeds = 64 << 10
