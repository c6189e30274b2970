package console

import (
	"context"
	"testing"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

type due []casefile.Deadline

func (d due) DueBy(_ context.Context, until workdays.Date) ([]casefile.Deadline, float64, error) {
	var out []casefile.Deadline
	for _, x := range d {
		if !x.Due.After(until) {
			out = append(out, x)
		}
	}
	return out, 0, nil
}

// The queue is the officer's own deadlines and their teams', overdue (with those their manager group is told
// of), due today and due later this week (to Sunday); residents' own deadlines and other teams' are not theirs.
func TestQueueIsMineAndMyTeamsByDueDay(t *testing.T) {
	tue := workdays.MustParseDate("2026-11-24")
	d := func(ref string, due workdays.Date, owner, team, manager string) casefile.Deadline {
		return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: ref, Due: due, Owner: owner, Team: team, Manager: manager, Audience: casefile.Officer}
	}
	svc := Service{Deadlines: due{
		d("MINE-OVERDUE", tue.AddDays(-1), "me", catalog.GroupComplaintsOfficer, catalog.GroupComplaintsManager),
		d("TEAM-TODAY", tue, "", catalog.GroupComplaintsOfficer, catalog.GroupComplaintsManager),
		d("TEAM-FRIDAY", tue.AddDays(3), "someone", catalog.GroupComplaintsOfficer, catalog.GroupComplaintsManager),
		d("SUNDAY", tue.AddDays(5), "me", catalog.GroupComplaintsOfficer, ""),
		d("NEXT-MONDAY", tue.AddDays(6), "me", catalog.GroupComplaintsOfficer, ""),
		d("OTHER-TEAM", tue, "", catalog.GroupASBOfficer, catalog.GroupASBManager),
		{CaseKind: casefile.Application, CaseRef: "RESIDENT", Due: tue, Team: catalog.GroupComplaintsOfficer, Audience: casefile.Resident},
	}}
	q, err := svc.Queue(context.Background(), QueueRequest{By: casework.Staff{ID: "me", Groups: []string{catalog.GroupComplaintsOfficer}}, Today: tue})
	if err != nil {
		t.Fatal(err)
	}
	refs := func(ds []casefile.Deadline) (out []string) {
		for _, x := range ds {
			out = append(out, x.CaseRef)
		}
		return out
	}
	for name, got := range map[string][]string{"overdue mine": refs(q.Overdue.Mine), "today team": refs(q.DueToday.Team),
		"week team": refs(q.ThisWeek.Team), "week mine": refs(q.ThisWeek.Mine)} {
		want := map[string]string{"overdue mine": "MINE-OVERDUE", "today team": "TEAM-TODAY", "week team": "TEAM-FRIDAY", "week mine": "SUNDAY"}[name]
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s: %v, want [%s]", name, got, want)
		}
	}
	if q.Empty() {
		t.Error("empty")
	}
	// a manager sees their teams' overdue deadlines only
	m, _ := svc.Queue(context.Background(), QueueRequest{By: casework.Staff{ID: "boss", Groups: []string{catalog.GroupComplaintsManager}}, Today: tue})
	if refs(m.Overdue.Team)[0] != "MINE-OVERDUE" || m.DueToday.TeamTotal+m.ThisWeek.TeamTotal != 0 {
		t.Errorf("manager's queue %+v", m)
	}
	if _, err := svc.Queue(context.Background(), QueueRequest{Today: tue}); err == nil {
		t.Error("a queue for nobody")
	}
}
