package casework

import (
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Staff is a signed-in member of staff: a stable id (the JWT `sub`), a display name and their groups. The
// transport has already checked the route's groups against the catalog; services check only what a rule says
// (e.g. CH-5: stage 2 is for a complaints manager who did not handle stage 1).
type Staff struct {
	ID     string
	Name   string   // shown on timelines and letters; never compared
	Email  string   // where their reminders go; may be empty
	Groups []string // Cognito groups
}

// Actor is the member of staff as the timeline records them.
func (s Staff) Actor() casefile.Actor { return casefile.Actor{ID: s.ID, Name: s.Name} }

// In reports whether the member of staff belongs to any of the groups.
func (s Staff) In(groups ...string) bool {
	return slices.ContainsFunc(groups, func(g string) bool { return slices.Contains(s.Groups, g) })
}

// Check refuses an action by nobody (401) or by someone outside every one of groups (403). The transports
// already enforce the catalog's route groups; this is the service's own guard for callers without a route.
func (s Staff) Check(groups ...string) error {
	if s.ID == "" {
		return apperr.New(apperr.Unauthorized, "Sign in as a member of staff.")
	}
	if len(groups) > 0 && !s.In(groups...) {
		return apperr.New(apperr.Forbidden, "This needs membership of one of the groups: %s.", strings.Join(groups, ", "))
	}
	return nil
}

// Action is a member of staff acting on one case: who, when, which case, and the action's input (the rules'
// input type; NoInput for actions that take none). Every staff use case of every kind takes one.
type Action[In any] struct {
	Ref   string
	By    Staff
	At    time.Time
	Input In
}

// NoInput is the input of an action that needs nothing but who and when (e.g. acknowledging an ASB report).
type NoInput struct{}
