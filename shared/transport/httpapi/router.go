package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/logging"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/rules/apperr"
)

// HandlerFunc handles one route.
type HandlerFunc func(ctx context.Context, r Request) (events.APIGatewayV2HTTPResponse, error)

// Routes maps API Gateway route keys ("POST /complaints/{reference}/escalation") to handlers. The gateway has
// already matched the route, so the key in the event is enough: no second router to drift from the catalog.
type Routes map[string]HandlerFunc

// Handler is the Lambda entry point for an HTTP API function: it serves the function's catalog routes with
// routes' handlers, enforcing each route's declared auth before its handler runs. A catalog route without a
// handler, or a handler without a catalog route, is a programming error found at cold start (and in tests).
func (routes Routes) Handler(fn catalog.Function) func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	declared := map[string]catalog.Route{}
	for _, r := range fn.Routes {
		if routes[r.RouteKey()] == nil {
			panic(fmt.Sprintf("httpapi: %s declares %s, which has no handler", fn.Name, r.RouteKey()))
		}
		declared[r.RouteKey()] = r
	}
	for key := range routes {
		if _, ok := declared[key]; !ok {
			panic(fmt.Sprintf("httpapi: %s handles %s, which the catalog does not declare", fn.Name, key))
		}
	}
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, _ error) {
		req := Request{Event: ev}
		id := requestID(ctx, req)
		// Every log line about this request carries the id a caller is given (Lambda's own request id, which
		// the Lambda log handler adds), and the gateway's, to match its access log.
		ctx = logging.With(ctx, slog.String("apiRequestId", req.RequestID()))
		tracing.Name(ctx, ev.RequestContext.HTTP.Method, routePath(ev.RouteKey))
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				slog.ErrorContext(ctx, "handler panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				resp = ErrorResponse(ctx, fmt.Errorf("panic: %v", p), id)
			}
			if resp.Headers == nil {
				resp.Headers = map[string]string{}
			}
			resp.Headers["X-Request-Id"] = id
			tracing.Status(ctx, resp.StatusCode)
			// Route and status only: never bodies, paths with references are fine, queries may hold names.
			slog.InfoContext(ctx, "request", "route", ev.RouteKey, "status", resp.StatusCode,
				"ms", time.Since(start).Milliseconds())
		}()
		route, ok := declared[ev.RouteKey]
		if !ok {
			return ErrorResponse(ctx, apperr.New(apperr.NotFound, "No such route: %s.", ev.RouteKey), id), nil
		}
		if err := authorize(route, req); err != nil {
			return ErrorResponse(ctx, err, id), nil
		}
		if err := boundedParameters(req); err != nil {
			return ErrorResponse(ctx, err, id), nil
		}
		resp, err := routes[ev.RouteKey](ctx, req)
		if err != nil {
			return ErrorResponse(ctx, err, id), nil
		}
		return resp, nil
	}
}

// routePath is a route key's path template ("/asb/cases/{reference}"), which names the request's span.
func routePath(key string) string {
	if _, path, ok := strings.Cut(key, " "); ok {
		return path
	}
	return key
}

// Parameter bounds: references and ids are short codes; query values are short filters and tokens. Nothing
// longer reaches a use case, a DynamoDB key (2 KB at most) or an expression.
const (
	maxPathParameter  = 64
	maxQueryParameter = 2048 // room for a pagination token
	maxQueryCount     = 20
)

var pathParameter = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`) })

// boundedParameters refuses path parameters that cannot be a reference this service gave out (404, as an unknown
// reference would be) and query parameters too long or too many (400, naming them).
func boundedParameters(req Request) error {
	for _, v := range req.Event.PathParameters {
		if len(v) > maxPathParameter || !pathParameter().MatchString(v) {
			return apperr.NotFoundf("There is no record with that reference.")
		}
	}
	var f apperr.Fields
	if len(req.Event.QueryStringParameters) > maxQueryCount {
		f.Add("query", "has %d parameters; at most %d are read", len(req.Event.QueryStringParameters), maxQueryCount)
	}
	for name, v := range req.Event.QueryStringParameters {
		if len(v) > maxQueryParameter {
			f.Add(apperr.Quote(name), "must have at most %d characters", maxQueryParameter)
		}
	}
	return f.Err()
}

// requestID is the id a caller quotes: Lambda's request id, which is on every log line the function writes
// for the request (the gateway's when there is no Lambda context, as in unit tests).
func requestID(ctx context.Context, req Request) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		return lc.AwsRequestID
	}
	return req.RequestID()
}

// OK answers 200 with a JSON body.
func OK(v any) (events.APIGatewayV2HTTPResponse, error) { return JSON(http.StatusOK, v) }

// Accepted answers 202 with a JSON body.
func Accepted(v any) (events.APIGatewayV2HTTPResponse, error) { return JSON(http.StatusAccepted, v) }

// Contract is a route's typed request and response: what the handler decodes and what it answers with on
// success. Each transport lists its routes' contracts; a test (infra/api) keeps openapi.yaml in step with them.
type Contract struct {
	Route    string // catalog route key, e.g. "POST /complaints"
	Request  any    // the body's type (a zero value); nil when the route takes no body
	Response any    // the success body's type (a zero value)
	Status   int    // the success status
	// Extensible: the sender is an outside service that may add fields to its body at any time (GOV.UK Notify's
	// callbacks); unknown fields are ignored rather than refused, so a new field does not lose every receipt.
	Extensible bool
}

// StaffAction is the handler of a staff action on the case named by the {reference} path parameter: it
// decodes the body into In (none is read for casework.NoInput), runs the use case as the signed-in member of
// staff at the request's time, and answers 200 with answer(result).
func StaffAction[In any, Out any, Body any](run func(context.Context, casework.Action[In]) (Out, error), answer func(Out) Body) HandlerFunc {
	return func(ctx context.Context, req Request) (events.APIGatewayV2HTTPResponse, error) {
		by, err := req.Staff()
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		action := casework.Action[In]{Ref: req.Path("reference"), By: by, At: req.Now()}
		if _, none := any(action.Input).(casework.NoInput); !none {
			if err := req.DecodeJSON(&action.Input); err != nil {
				return events.APIGatewayV2HTTPResponse{}, err
			}
		}
		out, err := run(ctx, action)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return OK(answer(out))
	}
}

// StaffHistory is the handler of a page of a case's timeline, newest first: the {reference} path parameter
// names the case, ?limit= sizes the page (1 to 100, 20 by default) and ?nextToken= continues from the previous one.
func StaffHistory(run func(context.Context, casework.Action[casework.PageRequest]) (casework.History, error)) HandlerFunc {
	return func(ctx context.Context, req Request) (events.APIGatewayV2HTTPResponse, error) {
		by, err := req.Staff()
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		var f apperr.Fields
		page := casework.PageRequest{Limit: casework.HistoryPageSize, Token: req.Query("nextToken")}
		if req.Query("limit") != "" {
			page.Limit = req.Limit(&f)
		}
		if err := f.Err(); err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		h, err := run(ctx, casework.Action[casework.PageRequest]{Ref: req.Path("reference"), By: by, At: req.Now(), Input: page})
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return Page(h.Events, h.Next)
	}
}
