// Package apperr is the one error type the domain returns. Each Code maps to one HTTP status in
// shared/httpapi (the only place that knows about HTTP), after Ben Johnson's WTF Dial.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error by what the caller can do about it.
type Code string

const (
	Invalid       Code = "invalid"       // 400: the request is malformed; Fields says where
	Unauthorized  Code = "unauthorized"  // 401: no or bad credentials
	Forbidden     Code = "forbidden"     // 403: authenticated but not allowed
	NotFound      Code = "not_found"     // 404: unknown, or not yours (indistinguishable on purpose)
	Conflict      Code = "conflict"      // 409: the state changed or forbids this transition
	TooLarge      Code = "too_large"     // 413: the body is over the size limit
	Unsupported   Code = "unsupported"   // 415: the body is not in a format we read
	Unprocessable Code = "unprocessable" // 422: well-formed but breaks a rule (Rule says which)
	Internal      Code = "internal"      // 500: our fault; the message is never shown
)

// FieldError is one problem with one input field, named by its JSON path (e.g. "reporter.email").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a domain error: a code, a message safe to show, an optional rule id from RULES.md, and field errors
// (at most MaxFieldErrors; Omitted counts the rest).
type Error struct {
	Code    Code
	Message string
	Rule    string
	Fields  []FieldError
	Omitted int
}

// MaxFieldErrors caps the field errors one answer lists, so hostile input cannot make a huge answer (Lambda's
// response limit is 6 MB); Omitted says how many more there were.
const MaxFieldErrors = 30

// maxQuoted is how much of a caller's value an error message repeats.
const maxQuoted = 40

// Quote shortens a caller's value for an error message: at most 40 characters, so a message stays small
// whatever was sent.
func Quote(s string) string {
	if r := []rune(s); len(r) > maxQuoted {
		return string(r[:maxQuoted]) + "…"
	}
	return s
}

func (e *Error) Error() string {
	if e.Rule != "" {
		return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, e.Rule)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// New builds an error with a code and message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Rule builds an error that cites the RULES.md rule it enforces; the rule id is also put in the message.
func Rule(code Code, rule, format string, args ...any) *Error {
	return &Error{Code: code, Rule: rule, Message: fmt.Sprintf("%s (%s)", fmt.Sprintf(format, args...), rule)}
}

// NotFoundf is the answer for unknown references and for records the caller may not read.
func NotFoundf(format string, args ...any) *Error { return New(NotFound, format, args...) }

// CodeOf returns the code of a domain error, Internal for anything else.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the domain error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Fields collects field errors; Err returns nil when there are none, so validation reads top to bottom.
type Fields []FieldError

// Add records a problem with a field.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge appends other field errors, optionally under a prefix (e.g. "reporter").
func (f *Fields) Merge(prefix string, other []FieldError) {
	for _, e := range other {
		if prefix != "" {
			e.Field = prefix + "." + e.Field
		}
		*f = append(*f, e)
	}
}

// Err is nil when no field failed, else an Invalid error listing every field (up to MaxFieldErrors).
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	e := &Error{Code: Invalid, Message: "The request has invalid fields.", Fields: f}
	if len(f) > MaxFieldErrors {
		e.Fields, e.Omitted = f[:MaxFieldErrors], len(f)-MaxFieldErrors
	}
	return e
}
