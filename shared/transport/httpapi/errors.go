// Package httpapi adapts API Gateway HTTP API (payload 2.0) events to handlers: routing by route key, JSON
// bodies with a size limit, staff claims and resident tokens, and the one map from error codes to HTTP statuses
// (errors are answered as application/problem+json, RFC 9457, with the list of field errors).
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// statusOf is the one place an error code becomes an HTTP status.
var statusOf = map[apperr.Code]int{
	apperr.Invalid:       http.StatusBadRequest,
	apperr.Unauthorized:  http.StatusUnauthorized,
	apperr.Forbidden:     http.StatusForbidden,
	apperr.NotFound:      http.StatusNotFound,
	apperr.Conflict:      http.StatusConflict,
	apperr.TooLarge:      http.StatusRequestEntityTooLarge,
	apperr.Unsupported:   http.StatusUnsupportedMediaType,
	apperr.Unprocessable: http.StatusUnprocessableEntity,
	apperr.Internal:      http.StatusInternalServerError,
}

// StatusOf maps an error to its HTTP status.
func StatusOf(err error) int { return statusOf[apperr.CodeOf(err)] }

// Problem is an RFC 9457 problem document, extended with the RULES.md rule id and the field errors.
type Problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail,omitempty"`
	Rule   string              `json:"rule,omitempty"`
	Errors []apperr.FieldError `json:"errors,omitempty"`
	// OmittedErrors counts the field errors left out of Errors (at most apperr.MaxFieldErrors are listed).
	OmittedErrors int `json:"omittedErrors,omitempty"`
}

// ErrorResponse renders err as problem+json. Internal errors are logged (without personal data) and never
// shown: the caller sees a generic message and the request id to quote.
func ErrorResponse(ctx context.Context, err error, requestID string) events.APIGatewayV2HTTPResponse {
	status := StatusOf(err)
	p := Problem{Type: "about:blank", Title: http.StatusText(status), Status: status}
	if e, ok := apperr.As(err); ok && e.Code != apperr.Internal {
		p.Detail, p.Rule, p.Errors, p.OmittedErrors = e.Message, e.Rule, e.Fields, e.Omitted
	} else {
		slog.ErrorContext(ctx, "request failed", "error", err.Error())
		p.Detail = "Something went wrong on our side. Please try again later, quoting " + requestID + "."
	}
	body, _ := json.Marshal(p)
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/problem+json", "Cache-Control": "no-store"},
		Body:       string(body),
	}
}

// JSON answers a status with a JSON body.
func JSON(status int, v any) (events.APIGatewayV2HTTPResponse, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers:    map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:       string(body),
	}, nil
}
