package httpapi

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Staff is the signed-in officer, from the JWT claims API Gateway's authorizer verified.
type Staff struct {
	ID     string   // the user's stable id (sub)
	Email  string   // used to address reminders; may be empty
	Groups []string // Cognito groups
}

// Name is how the officer appears on timelines: email when known, else the subject.
func (s Staff) Name() string {
	if s.Email != "" {
		return s.Email
	}
	return s.ID
}

// In reports whether the officer belongs to any of the groups.
func (s Staff) In(groups ...string) bool {
	for _, g := range groups {
		if slices.Contains(s.Groups, g) {
			return true
		}
	}
	return false
}

// Staff reads the officer from requestContext.authorizer.jwt.claims and checks they belong to one of groups.
// 401 without claims (the gateway's authorizer was bypassed), 403 when no group matches.
func (r Request) Staff(groups ...string) (Staff, error) {
	auth := r.Event.RequestContext.Authorizer
	if auth == nil || auth.JWT == nil || auth.JWT.Claims["sub"] == "" {
		return Staff{}, apperr.New(apperr.Unauthorized, "Sign in as a member of staff.")
	}
	claims := auth.JWT.Claims
	s := Staff{ID: claims["sub"], Email: claims["email"], Groups: parseGroups(claims["cognito:groups"])}
	if s.Email == "" && strings.Contains(claims["username"], "@") { // access tokens carry username, not email
		s.Email = claims["username"]
	}
	if len(groups) > 0 && !s.In(groups...) {
		return Staff{}, apperr.New(apperr.Forbidden, "This needs membership of one of the groups: %s.", strings.Join(groups, ", "))
	}
	return s, nil
}

// parseGroups reads a Cognito groups claim as API Gateway passes it: "[a b]" (its rendering of a JSON array),
// or a JSON array, or a comma-separated list.
func parseGroups(raw string) []string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	var list []string
	if strings.HasPrefix(raw, "[\"") && json.Unmarshal([]byte(raw), &list) == nil {
		return list
	}
	raw = strings.TrimSuffix(strings.TrimPrefix(raw, "["), "]")
	return strings.FieldsFunc(raw, func(r rune) bool { return r == ' ' || r == ',' })
}
