package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// HandlerFunc handles one route.
type HandlerFunc func(ctx context.Context, r Request) (events.APIGatewayV2HTTPResponse, error)

// Routes maps API Gateway route keys ("POST /complaints/{reference}/escalation") to handlers. The gateway has
// already matched the route, so the key in the event is enough: no second router to drift from the catalog.
type Routes map[string]HandlerFunc

// Handler is the Lambda entry point for an HTTP API function.
func (routes Routes) Handler() func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	return func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, _ error) {
		req := Request{Event: ev}
		start := time.Now()
		defer func() {
			if p := recover(); p != nil {
				slog.ErrorContext(ctx, "handler panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				resp = ErrorResponse(ctx, fmt.Errorf("panic: %v", p), req.RequestID())
			}
			// Route and status only: never bodies, paths with references are fine, queries may hold names.
			slog.InfoContext(ctx, "request", "route", ev.RouteKey, "status", resp.StatusCode,
				"ms", time.Since(start).Milliseconds())
		}()
		h, ok := routes[ev.RouteKey]
		if !ok {
			return ErrorResponse(ctx, apperr.New(apperr.NotFound, "No such route: %s.", ev.RouteKey), req.RequestID()), nil
		}
		resp, err := h(ctx, req)
		if err != nil {
			return ErrorResponse(ctx, err, req.RequestID()), nil
		}
		return resp, nil
	}
}

// Created answers 201 with a JSON body.
func Created(v any) (events.APIGatewayV2HTTPResponse, error) { return JSON(http.StatusCreated, v) }

// OK answers 200 with a JSON body.
func OK(v any) (events.APIGatewayV2HTTPResponse, error) { return JSON(http.StatusOK, v) }

// Accepted answers 202 with a JSON body.
func Accepted(v any) (events.APIGatewayV2HTTPResponse, error) { return JSON(http.StatusAccepted, v) }
