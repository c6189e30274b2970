package catalog_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/register"
)

// The teams the rules give deadlines to, and the reminder mailboxes, are the catalog's groups: a reminder for
// a team that no route admits would go to nobody who can act on it.
func TestRuleTeamsAndMailboxesAreCatalogGroups(t *testing.T) {
	sys := catalog.System()
	groups := sys.Groups()
	for _, team := range []string{asb.Team, asb.Manager, complaints.OfficerGroup, complaints.ManagerGroup, register.Team} {
		if !slices.Contains(groups, team) {
			t.Errorf("the rules name team %q, which no catalog route admits (groups: %v)", team, groups)
		}
	}
	reminders, _ := sys.Function("deadline-reminders")
	var boxes map[string]string
	if err := json.Unmarshal([]byte(reminders.Env["TEAM_MAILBOXES"]), &boxes); err != nil {
		t.Fatal(err)
	}
	for group := range boxes {
		if !slices.Contains(groups, group) {
			t.Errorf("TEAM_MAILBOXES has a mailbox for %q, which is not a catalog group", group)
		}
	}
	for _, g := range groups {
		if boxes[g] == "" {
			t.Errorf("group %q has no reminder mailbox in TEAM_MAILBOXES", g)
		}
	}
}
