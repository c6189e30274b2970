package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// MaxBodyBytes is the largest request body accepted (413 above it): generous for any form, small enough to
// refuse abuse before decoding.
const MaxBodyBytes = 64 << 10

// Request is one HTTP API request with helpers for what handlers need.
type Request struct {
	Event events.APIGatewayV2HTTPRequest
}

// Now is the time the gateway received the request (requestContext.timeEpoch). Handlers take "now" from the
// event, never from a clock of their own, so the local cloud's pinned clock and replays behave.
func (r Request) Now() time.Time {
	if ms := r.Event.RequestContext.TimeEpoch; ms > 0 {
		return time.UnixMilli(ms).UTC()
	}
	return time.Now().UTC()
}

// RequestID is the gateway's request id (quoted in error messages).
func (r Request) RequestID() string { return r.Event.RequestContext.RequestID }

// Path returns a path parameter.
func (r Request) Path(name string) string { return r.Event.PathParameters[name] }

// Query returns a query string parameter.
func (r Request) Query(name string) string { return r.Event.QueryStringParameters[name] }

// Header returns a header (API Gateway lower-cases header names in payload 2.0).
func (r Request) Header(name string) string {
	if v, ok := r.Event.Headers[strings.ToLower(name)]; ok {
		return v
	}
	return r.Event.Headers[name]
}

// BearerToken is the token of an "Authorization: Bearer <token>" header, or "".
func (r Request) BearerToken() string {
	h := r.Header("authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// IdempotencyKey is the Idempotency-Key header, or "".
func (r Request) IdempotencyKey() string { return strings.TrimSpace(r.Header("idempotency-key")) }

// Body returns the raw body, decoded from base64 when the gateway encoded it, refusing bodies over MaxBodyBytes.
func (r Request) Body() ([]byte, error) {
	body := []byte(r.Event.Body)
	if r.Event.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(r.Event.Body)
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "The request body is not valid base64.")
		}
		body = decoded
	}
	if len(body) > MaxBodyBytes {
		return nil, apperr.New(apperr.TooLarge, "The request body is %d bytes; the limit is %d.", len(body), MaxBodyBytes)
	}
	return body, nil
}

// DecodeJSON reads the body as one JSON object into v. Syntax and type errors become 400s naming the field;
// so does a field v does not have.
func (r Request) DecodeJSON(v any) error { return r.decodeJSON(v, true) }

// DecodeExtensibleJSON is DecodeJSON for a body whose sender may add fields we do not read (an outside service's
// callback, see Contract.Extensible): unknown fields are ignored, everything else is checked the same.
func (r Request) DecodeExtensibleJSON(v any) error { return r.decodeJSON(v, false) }

func (r Request) decodeJSON(v any, strict bool) error {
	body, err := r.Body()
	if err != nil {
		return err
	}
	if err := jsonContent(r.Header("content-type")); err != nil {
		return err
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return apperr.New(apperr.Invalid, "The request needs a JSON body.")
	}
	if trimmed[0] != '{' {
		// Arrays, strings and numbers fail to decode anyway, but a bare null would decode into v as "nothing
		// given": every field at its zero value, which for a form of optional fields is a valid (and wrong) change.
		return apperr.New(apperr.Invalid, "The request body must be a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "The request body must be a single JSON object.")
	}
	return nil
}

// jsonContent refuses a body declared as anything but JSON in UTF-8 (415): a form, text, XML or another charset
// is not read as JSON by accident. A body with no Content-Type is read as JSON.
func jsonContent(contentType string) error {
	if strings.TrimSpace(contentType) == "" {
		return nil
	}
	media, params, err := mime.ParseMediaType(contentType)
	isJSON := err == nil && (media == "application/json" || (strings.HasPrefix(media, "application/") && strings.HasSuffix(media, "+json")))
	if charset := params["charset"]; isJSON && (charset == "" || strings.EqualFold(charset, "utf-8")) {
		return nil
	}
	return apperr.New(apperr.Unsupported, "Send the request body as JSON in UTF-8, with Content-Type: application/json.")
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return apperr.New(apperr.Invalid, "The request body must be a JSON object.")
		}
		var f apperr.Fields
		if d, ok := reflect.Zero(typeErr.Type).Interface().(interface{ JSONDescription() string }); ok {
			f.Add(field, "must be %s", d.JSONDescription()) // a type that says what it takes, e.g. money
		} else {
			f.Add(field, "must be %s", describeType(typeErr.Type.Kind().String()))
		}
		return f.Err()
	case errors.As(err, &syntaxErr):
		return apperr.New(apperr.Invalid, "The request body is not valid JSON (at byte %d).", syntaxErr.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		var f apperr.Fields
		// the caller's key, shortened: a 60 KB key must not make a 60 KB answer (found by FuzzASBReportBody); an
		// empty key is shown as "" (FuzzOutOfHoursWebhook)
		name := apperr.Quote(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
		if name == "" {
			name = `""`
		}
		f.Add(name, "is not a field of this request")
		return f.Err()
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "The request body is cut short: it is not complete JSON.")
	default:
		// e.g. a date field whose UnmarshalText refused the value
		return apperr.New(apperr.Invalid, "The request body could not be read: %s", shorten(err.Error()))
	}
}

// maxDetail bounds how much of a decoder's message an answer repeats: it may quote the caller's value.
const maxDetail = 200

func shorten(s string) string {
	if r := []rune(s); len(r) > maxDetail {
		return string(r[:maxDetail]) + "…"
	}
	return s
}

func describeType(kind string) string {
	switch kind {
	case "bool":
		return "true or false"
	case "string":
		return "a string"
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "int", "int64", "int32", "uint", "uint64", "float64", "float32":
		return "a number"
	default:
		return fmt.Sprintf("of type %s", kind)
	}
}

// Limit reads the ?limit= page size (default 25, 1 to 100), adding a field error when it is not one.
func (r Request) Limit(f *apperr.Fields) int {
	v := r.Query("limit")
	if v == "" {
		return 25
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		f.Add("limit", "must be a whole number from 1 to 100")
	}
	return n
}

// PageBody is a list's answer: its items and the token for the next page (null on the last).
type PageBody[T any] struct {
	Items     []T     `json:"items"`
	NextToken *string `json:"nextToken"`
}

// Page answers a list.
func Page[T any](items []T, next string) (events.APIGatewayV2HTTPResponse, error) {
	body := PageBody[T]{Items: items}
	if body.Items == nil {
		body.Items = []T{}
	}
	if next != "" {
		body.NextToken = &next
	}
	return OK(body)
}
