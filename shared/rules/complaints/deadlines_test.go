package complaints

import (
	"testing"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// CH-4, CH-5: one open deadline per stage at a time, with its rule, team, manager and owner (CH-1: a service request
// has its own).
func TestCH4_CH5_OpenDeadlines(t *testing.T) {
	extended := func(t *testing.T) Complaint {
		c := acknowledged(t)
		check{t}.letter(c.Extend(ExtensionRequest{WorkingDays: 10, Reason: "Surveyor"}, staff("officer-a"), at("2027-01-05T10:00:00Z")))
		return c
	}
	cases := []struct {
		name                      string
		from                      func(*testing.T) Complaint
		deadline, due, rule, team string
		owner                     string
	}{
		{"received", received, "stage1-acknowledge", "2027-01-04", "CH-4", OfficerGroup, ""},
		{"acknowledged", acknowledged, "stage1-response", "2027-01-12", "CH-4", OfficerGroup, "officer-a"},
		{"extended", extended, "stage1-response", "2027-01-26", "CH-4", OfficerGroup, "officer-a"},
		{"answered: the 20 WD to escalate are the resident's", answered, "", "", "", "", ""},
		{"escalated", escalated, "stage2-acknowledge", "2027-01-18", "CH-5", ManagerGroup, ""},
		{"stage 2 acknowledged", atStage2, "stage2-response", "2027-02-08", "CH-5", ManagerGroup, "manager-b"},
		{"closed", closed, "", "", "", "", ""},
		{"refused", refused, "", "", "", "", ""},
		{"service request: its own due date (CH-1)", serviceRequest, "service-request", "2027-01-08", "CH-1", OfficerGroup, "officer-a"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := OpenDeadlines(tc.from(t))
			if tc.deadline == "" {
				if got != nil {
					t.Fatalf("want none, got %+v", got)
				}
				return
			}
			want := casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: "CMP-TEST", Name: tc.deadline, Rule: tc.rule, Owner: tc.owner,
				Team: tc.team, Manager: ManagerGroup, Audience: casefile.Officer}
			if len(got) != 1 {
				t.Fatalf("want one deadline, got %+v", got)
			}
			d := got[0]
			if d.Due.String() != tc.due || d.Label == "" {
				t.Errorf("due %s, want %s; label %q", d.Due, tc.due, d.Label)
			}
			d.Due, d.Label = want.Due, ""
			if d != want {
				t.Errorf("got %+v, want %+v", d, want)
			}
		})
	}
}
