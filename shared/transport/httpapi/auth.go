package httpapi

import (
	"strings"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Staff reads the signed-in member of staff from requestContext.authorizer.jwt.claims (verified by the
// gateway's JWT authorizer): 401 without them. Which groups may call a route is the catalog's declaration,
// enforced once for every route by Serve, so handlers never name groups.
func (r Request) Staff() (casework.Staff, error) {
	auth := r.Event.RequestContext.Authorizer
	if auth == nil || auth.JWT == nil || auth.JWT.Claims["sub"] == "" {
		return casework.Staff{}, apperr.New(apperr.Unauthorized, "Sign in as a member of staff.")
	}
	claims := auth.JWT.Claims
	s := casework.Staff{ID: claims["sub"], Email: claims["email"], Groups: ParseGroups(claims["cognito:groups"])}
	if s.Email == "" && strings.Contains(claims["username"], "@") { // access tokens carry username, not email
		s.Email = claims["username"]
	}
	s.Name = firstNonEmpty(claims["name"], s.Email, claims["cognito:username"], claims["username"], s.ID)
	return s, nil
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// authorize enforces a route's catalog declaration: staff routes need a signed-in member of one of the
// route's groups (401, 403).
func authorize(route catalog.Route, r Request) error {
	if route.Auth != catalog.Staff {
		return nil
	}
	s, err := r.Staff()
	if err != nil {
		return err
	}
	return s.Check(route.Groups...)
}

// ParseGroups reads a Cognito groups claim exactly as API Gateway's JWT authorizer passes it: the array
// rendered "[a b]". Group names cannot contain spaces, so a space separates them; commas, quotes and brackets
// are part of a name (and so match no group), never separators that could grant another group's rights. The
// claim is never read as JSON: `["a","asb-officer"]` is how API Gateway renders ONE group with that odd name,
// which must not grant asb-officer (found by FuzzParseGroups).
func ParseGroups(raw string) []string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	return strings.Fields(strings.TrimSuffix(strings.TrimPrefix(raw, "["), "]"))
}
