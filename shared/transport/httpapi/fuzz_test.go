package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
)

// Fuzz targets for the JWT claims as API Gateway's JWT authorizer passes them (payload 2.0: every claim a
// string; Cognito's cognito:groups array rendered "[a b]") and for the route checks that run before any handler.
// `make test` runs each briefly from these seeds; `make fuzz` runs them for longer.

// cognitoGroupNames keeps the values that Cognito accepts as group names: 1 to 128 characters, each a letter,
// mark, symbol, number or punctuation (CreateGroup's pattern [\p{L}\p{M}\p{S}\p{N}\p{P}]+). So no spaces; commas,
// quotes and brackets are allowed, and must never let one name grant another's rights.
func cognitoGroupNames(values ...string) []string {
	var names []string
	for _, v := range values {
		if n := utf8.RuneCountInString(v); n < 1 || n > 128 || !utf8.ValidString(v) {
			continue
		}
		if strings.ContainsFunc(v, func(r rune) bool {
			return !unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P)
		}) {
			continue
		}
		names = append(names, v)
	}
	return names
}

// render is the claim as API Gateway hands it to the function for a user in these groups.
func render(groups []string) string { return "[" + strings.Join(groups, " ") + "]" }

var groupSeeds = [][4]string{
	{"[asb-officer other]", "asb-officer", "other", ""},
	{"[complaints-manager]", "complaints-manager", "", ""},
	{`["complaints-manager"]`, `"complaints-manager"`, "", ""},
	{"[tenant,asb-officer]", "tenant,asb-officer", "", ""},
	{`["tenant","asb-officer"]`, `"tenant","asb-officer"`, "", ""},
	{`["tenant", "asb-officer"]`, `["tenant",`, `"asb-officer"]`, ""},
	{"[[asb-officer]]", "[asb-officer]", "]", "["},
	{"[asb-officer] [x]", "asb-officer]", "[x", ""},
	{"", "", "", ""},
	{"[]", "", "", ""},
	{"asb-officer", "asb-officer", "asb-officer", "asb-officer"},
	{" [ asb-officer\tother ] ", "ASB-Officer", "asb-officer ", "asb‐officer"},
	{"[\u00a0asb-officer\u2028]", "\u202easb-officer", "asb-officer\x00", "a\u0301"},
	{`{"0":"asb-officer"}`, `{"0":"asb-officer"}`, "null", "[null]"},
}

// FuzzParseGroups: any claim parses without panicking into names without spaces, each taken from the claim; and
// for any groups Cognito allows, the claim API Gateway renders parses back to exactly those groups: a comma,
// quote or bracket in a name never splits it, joins it to another or makes another group appear.
func FuzzParseGroups(f *testing.F) {
	for _, s := range groupSeeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, raw, a, b, c string) {
		for _, g := range ParseGroups(raw) {
			if g == "" || strings.ContainsFunc(g, unicode.IsSpace) || !strings.Contains(raw, g) {
				t.Fatalf("ParseGroups(%q) gave %q", raw, g)
			}
		}
		names := cognitoGroupNames(a, b, c)
		if got := ParseGroups(render(names)); !slices.Equal(got, names) {
			t.Fatalf("groups %q rendered %q parse as %q", names, render(names), got)
		}
	})
}

// asJSON is s as a JSON answer shows it (invalid UTF-8 replaced).
func asJSON(s string) string {
	raw, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(raw, &out)
	return out
}

// A staff route as the catalog declares one: a reference in the path, one group allowed.
var fuzzFunction = catalog.Function{Name: "fuzz", Routes: []catalog.Route{
	{Method: "POST", Path: "/cases/{reference}/closure", Auth: catalog.Staff, Groups: []string{catalog.GroupASBOfficer}},
}}

// couldBeReference is what a path parameter must look like to reach a handler (an independent statement of
// boundedParameters' rule: 1 to 64 ASCII letters, digits, '-' or '_', not starting with '-' or '_').
func couldBeReference(s string) bool {
	if len(s) < 1 || len(s) > maxPathParameter || s[0] == '-' || s[0] == '_' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// FuzzStaffRouteAuth runs the route checks every function runs before its handler (Routes.Handler: the catalog's
// groups, then the path and query bounds) over arbitrary claims, groups and references:
//   - with the claim API Gateway renders for a user in Cognito groups a and b, the answer is 401 without a sub,
//     403 unless a or b is exactly the route's group, then 404 for a path parameter that cannot be a reference,
//     else the handler runs with that reference and that sub;
//   - with an arbitrary groups claim (and the same claim as email and name), the answer is never 5xx, and the
//     handler runs only if the route's group appears in it as a whole element (delimited by spaces or brackets,
//     never by a comma or a quote).
func FuzzStaffRouteAuth(f *testing.F) {
	testsupport.QuietLogs(f)
	for _, s := range groupSeeds {
		f.Add("officer-sub-1", s[1], s[2], s[0], "ASB-2026-000123")
	}
	f.Add("", "asb-officer", "", "[asb-officer]", "ASB-1")
	f.Add(" ", "asb-officer", "", "[asb-officer]", "../../etc/passwd")
	f.Add("u1", "asb-officer", "", "[asb-officer]", "ASB-1%00")
	f.Add("u1", "asb-officer", "", "[asb-officer]", "")
	f.Add("u1", "asb-officer", "", "[asb-officer]", strings.Repeat("A", 65))
	f.Add("u1", "asb-officer", "", "[asb-officer]", "-x")
	f.Add("u1", "asb-officer", "", "[asb-officer]", "ASB‐1")
	f.Add("u1", "asb-officer", "", "[asb-officer]", "ASB-1\n")

	route := fuzzFunction.Routes[0]
	group := route.Groups[0]
	type seen struct{ Ref, Staff string }
	h := Routes{route.RouteKey(): func(_ context.Context, r Request) (events.APIGatewayV2HTTPResponse, error) {
		s, err := r.Staff()
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return OK(seen{Ref: r.Path("reference"), Staff: s.ID})
	}}.Handler(fuzzFunction)
	call := func(t *testing.T, claims map[string]string, ref string) (int, seen) {
		ev := event(route.RouteKey(), "", claims)
		ev.PathParameters = map[string]string{"reference": ref}
		resp, err := h(context.Background(), ev)
		if err != nil {
			t.Fatalf("handler error: %v", err)
		}
		testsupport.CheckAnswer(t, resp)
		if resp.Headers["X-Request-Id"] == "" {
			t.Fatalf("no X-Request-Id")
		}
		var got seen
		if resp.StatusCode == http.StatusOK {
			if err := json.Unmarshal([]byte(resp.Body), &got); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode, got
	}

	f.Fuzz(func(t *testing.T, sub, a, b, raw, ref string) {
		names := cognitoGroupNames(a, b)
		claims := map[string]string{"sub": sub, "email": sub + "@council.example"}
		if len(names) > 0 { // Cognito leaves the claim out for a user in no group
			claims["cognito:groups"] = render(names)
		}
		want := http.StatusOK
		switch {
		case sub == "":
			want = http.StatusUnauthorized
		case !slices.Contains(names, group):
			want = http.StatusForbidden
		case !couldBeReference(ref):
			want = http.StatusNotFound
		}
		status, got := call(t, claims, ref)
		if status != want {
			t.Fatalf("sub %q, groups %q, reference %q: %d, want %d", sub, claims["cognito:groups"], ref, status, want)
		}
		if status == http.StatusOK && (got.Ref != ref || got.Staff != asJSON(sub)) {
			t.Fatalf("handler saw %+v", got)
		}

		claims = map[string]string{"sub": sub, "cognito:groups": raw, "email": raw, "name": raw, "username": raw}
		status, _ = call(t, claims, ref)
		delimited := strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(raw))
		if status == http.StatusOK && (sub == "" || !slices.Contains(delimited, group) || !couldBeReference(ref)) {
			t.Fatalf("sub %q, groups claim %q, reference %q: let through", sub, raw, ref)
		}
	})
}

// Found by FuzzASBReportBody: a decoding error never repeats a caller's key or value at length (an unknown
// field with a 60 KB name made a 60 KB answer; a 60 KB date a 60 KB detail).
func TestDecodeErrorsAreBounded(t *testing.T) {
	var form struct {
		DueOn workdays.Date `json:"dueOn"`
	}
	for _, body := range []string{`{"` + strings.Repeat("k", 60000) + `":1}`, `{"dueOn":"` + strings.Repeat("9", 60000) + `"}`} {
		err := Request{Event: event("POST /x", body, nil)}.DecodeJSON(&form)
		testsupport.CheckError(t, err)
		if resp := ErrorResponse(context.Background(), err, "r"); resp.StatusCode != http.StatusBadRequest || len(resp.Body) > 1000 {
			t.Fatalf("%d: %d bytes: %.300s", resp.StatusCode, len(resp.Body), resp.Body)
		}
	}
}
