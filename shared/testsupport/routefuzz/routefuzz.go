// Package routefuzz is what the JSON routes' fuzz targets share (tests only): reading a body as a route's
// request exactly as its handler does, and the checks every answer must pass.
package routefuzz

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// Decode reads body as a route's request type T through httpapi (the size limit, unknown fields refused, one
// JSON object) and validates it. An invalid body must give an error a caller may be shown (testsupport.CheckError:
// not a 5xx, at most apperr.MaxFieldErrors field errors, each of bounded size). A valid one must encode again and
// read back to the same value, still valid. It reports whether the body is valid.
func Decode[T any](t testing.TB, body string, validate func(T) error) (T, bool) {
	t.Helper()
	return decode(t, body, validate, httpapi.Request.DecodeJSON)
}

// DecodeExtensible is Decode for a route whose handler reads its body with DecodeExtensibleJSON (an outside
// service's callback, which may add fields): unknown fields are ignored, as the handler ignores them.
func DecodeExtensible[T any](t testing.TB, body string, validate func(T) error) (T, bool) {
	t.Helper()
	return decode(t, body, validate, httpapi.Request.DecodeExtensibleJSON)
}

func decode[T any](t testing.TB, body string, validate func(T) error, read func(httpapi.Request, any) error) (T, bool) {
	t.Helper()
	if httpapi.MaxBodyBytes != testsupport.MaxBodyBytesForSeeds {
		t.Fatalf("testsupport.MaxBodyBytesForSeeds is out of step with httpapi.MaxBodyBytes")
	}
	var v T
	err := read(httpapi.Request{Event: events.APIGatewayV2HTTPRequest{Body: body}}, &v)
	if err == nil {
		err = validate(v)
	}
	if err != nil {
		testsupport.CheckError(t, err)
		return v, false
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("a valid request does not encode: %v", err)
	}
	var again T
	if err := read(httpapi.Request{Event: events.APIGatewayV2HTTPRequest{Body: string(raw)}}, &again); err != nil {
		t.Fatalf("a valid request, encoded as %s, does not read back: %v", raw, err)
	}
	if !reflect.DeepEqual(v, again) {
		back, _ := json.Marshal(again)
		t.Fatalf("a valid request changed when encoded and read back (contact details print withheld):\n%s\n%s", raw, back)
	}
	if err := validate(again); err != nil {
		t.Fatalf("a valid request, encoded as %s, is no longer valid: %v", raw, err)
	}
	return v, true
}
