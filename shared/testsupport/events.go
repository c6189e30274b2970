package testsupport

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Request builds an API Gateway payload 2.0 event for a route key such as "POST /complaints/{reference}/response".
type Request struct {
	Route  string
	Path   map[string]string
	Query  map[string]string
	Body   string
	Token  string            // a resident's access token (Authorization: Bearer)
	Claims map[string]string // a member of staff's verified JWT claims; nil for none
	At     time.Time
	Header map[string]string
}

// Staff are the claims of a member of staff with a stable id, an email and groups.
func Staff(sub string, groups ...string) map[string]string {
	return map[string]string{"sub": sub, "email": sub + "@council.example", "cognito:groups": "[" + strings.Join(groups, " ") + "]"}
}

// Event is the request as API Gateway delivers it.
func (r Request) Event() events.APIGatewayV2HTTPRequest {
	at := r.At
	if at.IsZero() {
		at = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	}
	ev := events.APIGatewayV2HTTPRequest{RouteKey: r.Route, Body: r.Body, PathParameters: r.Path, QueryStringParameters: r.Query,
		Headers: map[string]string{"content-type": "application/json"}}
	for k, v := range r.Header {
		ev.Headers[strings.ToLower(k)] = v
	}
	if r.Token != "" {
		ev.Headers["authorization"] = "Bearer " + r.Token
	}
	ev.RequestContext.RequestID = "test-request"
	ev.RequestContext.TimeEpoch = at.UnixMilli()
	if r.Claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: r.Claims},
		}
	}
	return ev
}

// Handler is an HTTP API function's entry point.
type Handler func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// Response is an answer with its decoded body.
type Response struct {
	Status  int
	Body    map[string]any
	Raw     string
	Headers map[string]string
}

// Call sends r to h and decodes the answer.
func Call(t *testing.T, h Handler, r Request) Response {
	t.Helper()
	resp, err := h(context.Background(), r.Event())
	if err != nil {
		t.Fatalf("%s: %v", r.Route, err)
	}
	out := Response{Status: resp.StatusCode, Raw: resp.Body, Headers: resp.Headers}
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &out.Body); err != nil {
			t.Fatalf("%s: body is not a JSON object: %s", r.Route, resp.Body)
		}
	}
	return out
}

// Problem returns the rule and the field names of a problem+json answer.
func (r Response) Problem() (rule string, fields []string) {
	rule, _ = r.Body["rule"].(string)
	errs, _ := r.Body["errors"].([]any)
	for _, e := range errs {
		if m, ok := e.(map[string]any); ok {
			fields = append(fields, m["field"].(string))
		}
	}
	return rule, fields
}

// JSON encodes v for a request body.
func JSON(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(raw)
}
