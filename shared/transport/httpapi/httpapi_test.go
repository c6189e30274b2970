package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/logging"
	"github.com/councilhousing/backend/shared/rules/apperr"
)

func event(route, body string, claims map[string]string) events.APIGatewayV2HTTPRequest {
	ev := events.APIGatewayV2HTTPRequest{RouteKey: route, Body: body, Headers: map[string]string{"content-type": "application/json"}}
	ev.RequestContext.RequestID = "req-1"
	ev.RequestContext.TimeEpoch = 1795000000000
	if claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	return ev
}

type form struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

func TestErrorsMapToStatusesAsProblemJSON(t *testing.T) {
	cases := map[apperr.Code]int{
		apperr.Invalid: 400, apperr.Unauthorized: 401, apperr.Forbidden: 403, apperr.NotFound: 404,
		apperr.Conflict: 409, apperr.TooLarge: 413, apperr.Unprocessable: 422, apperr.Internal: 500,
	}
	for code, status := range cases {
		resp := ErrorResponse(context.Background(), &apperr.Error{Code: code, Message: "m", Rule: "CH-5"}, "req-1")
		if resp.StatusCode != status || resp.Headers["Content-Type"] != "application/problem+json" {
			t.Errorf("%s: %d %v", code, resp.StatusCode, resp.Headers)
		}
	}
	resp := ErrorResponse(context.Background(), errString("db password is hunter2"), "req-9")
	if strings.Contains(resp.Body, "hunter2") || !strings.Contains(resp.Body, "req-9") || resp.StatusCode != 500 {
		t.Errorf("internal error leaked or lacks request id: %s", resp.Body)
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestFieldErrorsAreListed(t *testing.T) {
	routes := Routes{"POST /x": func(ctx context.Context, r Request) (events.APIGatewayV2HTTPResponse, error) {
		var f apperr.Fields
		f.Add("type", "must be one of: noise")
		f.Add("reporter.email", "must be an email address")
		return events.APIGatewayV2HTTPResponse{}, f.Err()
	}}
	resp, _ := routes.Handler(catalog.Function{Name: "t", Routes: []catalog.Route{{Method: "POST", Path: "/x", Auth: catalog.Public}}})(context.Background(), event("POST /x", "{}", nil))
	var p Problem
	if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || resp.StatusCode != 400 || len(p.Errors) != 2 ||
		p.Errors[1].Field != "reporter.email" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
}

func TestDecodeJSON(t *testing.T) {
	cases := []struct {
		body   string
		status int
		want   string
	}{
		{`{"name":"a","count":2}`, 0, ""},
		{`{"name":"a","count":"two"}`, 400, `"field":"count"`},
		{`{"name":`, 400, "not complete JSON"},
		{`{"name":"a"} {"name":"b"}`, 400, "single JSON object"},
		{``, 400, "needs a JSON body"},
		{`{"name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`, 413, "limit"},
	}
	for _, c := range cases {
		var f form
		err := Request{Event: event("POST /x", c.body, nil)}.DecodeJSON(&f)
		if c.status == 0 {
			if err != nil || f.Count != 2 {
				t.Errorf("%q: %v", c.body, err)
			}
			continue
		}
		resp := ErrorResponse(context.Background(), err, "r")
		if resp.StatusCode != c.status || !strings.Contains(resp.Body, c.want) {
			t.Errorf("%.40q: %d %s", c.body, resp.StatusCode, resp.Body)
		}
	}
}

var testFunction = catalog.Function{Name: "test", Routes: []catalog.Route{
	{Method: "GET", Path: "/x", Auth: catalog.Staff, Groups: []string{"asb-officer", "complaints-manager"}},
	{Method: "GET", Path: "/public", Auth: catalog.Public},
}}

func ok(context.Context, Request) (events.APIGatewayV2HTTPResponse, error) {
	return OK(map[string]string{})
}

// The catalog's groups are enforced for every staff route before its handler runs: 401 without a signed-in
// user, 403 outside the route's groups. A comma never splits a group name (a group called "tenant,asb-officer"
// grants nothing).
func TestStaffRoutesEnforceTheCatalogGroups(t *testing.T) {
	cases := []struct {
		claims map[string]string
		status int
	}{
		{nil, http.StatusUnauthorized},
		{map[string]string{"sub": "u1", "cognito:groups": "[asb-officer other]"}, http.StatusOK},
		// API Gateway renders the array as "[a b]"; this is its rendering of one group named `"complaints-manager"`
		{map[string]string{"sub": "u1", "cognito:groups": `["complaints-manager"]`}, http.StatusForbidden},
		{map[string]string{"sub": "u1", "cognito:groups": `["tenant","asb-officer"]`}, http.StatusForbidden},
		{map[string]string{"sub": "u1", "cognito:groups": "[tenant]"}, http.StatusForbidden},
		{map[string]string{"sub": "u1", "cognito:groups": "[tenant,asb-officer]"}, http.StatusForbidden},
		{map[string]string{"sub": "u1", "cognito:groups": `["tenant,asb-officer"]`}, http.StatusForbidden},
		{map[string]string{"sub": "u1"}, http.StatusForbidden},
	}
	h := Routes{"GET /x": ok, "GET /public": ok}.Handler(testFunction)
	for _, c := range cases {
		resp, _ := h(context.Background(), event("GET /x", "", c.claims))
		if resp.StatusCode != c.status {
			t.Errorf("%v: got %d, want %d", c.claims, resp.StatusCode, c.status)
		}
	}
	if resp, _ := h(context.Background(), event("GET /public", "", nil)); resp.StatusCode != http.StatusOK {
		t.Errorf("public route: %d", resp.StatusCode)
	}
}

// The member of staff's stable id and a display name come from the claims.
func TestStaffIdentity(t *testing.T) {
	s, err := Request{Event: event("GET /x", "", map[string]string{"sub": "8f1c", "email": "jo@council.example", "cognito:groups": "[a b]"})}.Staff()
	if err != nil || s.ID != "8f1c" || s.Name != "jo@council.example" || len(s.Groups) != 2 {
		t.Fatalf("%+v %v", s, err)
	}
}

// Routes and the catalog must agree: a declared route without a handler is refused at cold start.
func TestRoutesMustMatchTheCatalog(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a catalog route without a handler was accepted")
		}
	}()
	Routes{"GET /x": ok}.Handler(testFunction)
}

func TestNowComesFromTheEvent(t *testing.T) {
	r := Request{Event: event("GET /x", "", nil)}
	if r.Now().UnixMilli() != 1795000000000 {
		t.Fatal(r.Now())
	}
}

func TestBearerAndPanics(t *testing.T) {
	ev := event("GET /x", "", nil)
	ev.Headers["authorization"] = "Bearer abc"
	if (Request{Event: ev}).BearerToken() != "abc" {
		t.Fatal("bearer")
	}
	fn := catalog.Function{Name: "test", Routes: []catalog.Route{{Method: "GET", Path: "/x", Auth: catalog.Public}}}
	routes := Routes{"GET /x": func(context.Context, Request) (events.APIGatewayV2HTTPResponse, error) { panic("boom") }}
	resp, err := routes.Handler(fn)(context.Background(), ev)
	if err != nil || resp.StatusCode != 500 {
		t.Fatal(resp, err)
	}
	resp, _ = routes.Handler(fn)(context.Background(), event("GET /nope", "", nil))
	if resp.StatusCode != 404 {
		t.Fatal(resp)
	}
}

// An unknown field answers 400 naming it, so a misspelt or stale field is never silently dropped.
func TestUnknownFieldsAreNamed(t *testing.T) {
	var f form
	err := Request{Event: event("POST /x", `{"name":"a","colour":"red"}`, nil)}.DecodeJSON(&f)
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "colour" {
		t.Fatalf("got %+v", err)
	}
}

// A 500 quotes one id: the X-Request-Id header, the problem's detail and the log line of the failure all carry
// it, so support can find the failure from what a resident reads out.
func TestAFailureQuotesTheIDOfItsLogLine(t *testing.T) {
	read, write, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, prev := os.Stdout, slog.Default()
	os.Stdout = write
	logging.Setup() // the Lambda log handler writes to the stdout it finds now
	os.Stdout = stdout
	defer slog.SetDefault(prev)

	fn := catalog.Function{Name: "t", Routes: []catalog.Route{{Method: "GET", Path: "/x", Auth: catalog.Public}}}
	h := Routes{"GET /x": func(context.Context, Request) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{}, errors.New("dynamodb: connection reset")
	}}.Handler(fn)
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-42"})
	resp, _ := h(ctx, event("GET /x", "", nil))
	_ = write.Close()
	logs, _ := io.ReadAll(read)

	if resp.StatusCode != 500 || resp.Headers["X-Request-Id"] != "lambda-req-42" || !strings.Contains(resp.Body, "lambda-req-42") {
		t.Fatalf("answer: %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	var failure string
	for _, line := range strings.Split(string(logs), "\n") {
		if strings.Contains(line, "request failed") {
			failure = line
		}
	}
	if !strings.Contains(failure, "lambda-req-42") || !strings.Contains(failure, "connection reset") || !strings.Contains(failure, "req-1") {
		t.Errorf("the failure's log line does not carry the quoted id, the gateway's id and the cause: %q", failure)
	}
}

// Path parameters that cannot be a reference answer 404 like an unknown one; long or many query parameters 400.
// Nothing oversized reaches a handler (or a DynamoDB key, 2 KB at most).
func TestParametersAreBounded(t *testing.T) {
	fn := catalog.Function{Name: "t", Routes: []catalog.Route{{Method: "GET", Path: "/x/{reference}", Auth: catalog.Public}}}
	reached := false
	h := Routes{"GET /x/{reference}": func(context.Context, Request) (events.APIGatewayV2HTTPResponse, error) {
		reached = true
		return OK(map[string]string{})
	}}.Handler(fn)
	call := func(ref string, query map[string]string) int {
		ev := event("GET /x/{reference}", "", nil)
		ev.PathParameters, ev.QueryStringParameters = map[string]string{"reference": ref}, query
		resp, _ := h(context.Background(), ev)
		return resp.StatusCode
	}
	if call("CMP-AB12-CD34", nil) != 200 || !reached {
		t.Fatal("a real reference was refused")
	}
	reached = false
	for _, ref := range []string{strings.Repeat("A", 3000), "../etc", "a b", "ref\x00", "💥", "' OR 1=1"} {
		if got := call(ref, nil); got != 404 {
			t.Errorf("reference %.20q: %d", ref, got)
		}
	}
	if got := call("CMP-1", map[string]string{"officer": strings.Repeat("x", 5000)}); got != 400 {
		t.Errorf("a 5,000-character query value: %d", got)
	}
	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprint("p", i)] = "1"
	}
	if got := call("CMP-1", many); got != 400 {
		t.Errorf("50 query parameters: %d", got)
	}
	if reached {
		t.Error("a bad parameter reached the handler")
	}
}
