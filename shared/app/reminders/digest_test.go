package reminders

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

var friday = workdays.MustParseDate("2026-11-27")

func digestOf(t *testing.T, ds []Digest, address string) Digest {
	t.Helper()
	for _, d := range ds {
		if d.To.Email == address {
			return d
		}
	}
	t.Fatalf("no digest for %s in %+v", address, ds)
	return Digest{}
}

func refs(rems []Reminder) []string {
	var out []string
	for _, r := range rems {
		out = append(out, r.Deadline.CaseRef+"/"+r.Deadline.Name)
	}
	return out
}

// One digest per address, whatever roles it serves: an officer gets their items in three sections, most urgent
// first; a mailbox that is both a team's and its manager's lists an overdue item once; residents' reminders stay
// their own messages; a group with no mailbox is reported, not sent.
func TestDigestsOnePerAddress(t *testing.T) {
	box := Mailboxes{
		"complaints-officer": "complaints@council.example", "complaints-manager": "managers@council.example",
		"allocations-officer": "allocations@council.example", "officer-a": "Officer.A@council.example",
	}
	mk := func(kind casefile.Kind, ref, name, due, owner, team, manager string, aud casefile.Audience) casefile.Deadline {
		return casefile.Deadline{CaseKind: kind, CaseRef: ref, Name: name, Due: workdays.MustParseDate(due), Owner: owner, Team: team, Manager: manager,
			Audience: aud, Rule: "R-1", Label: "Do " + name}
	}
	ds := []casefile.Deadline{
		mk(casefile.Complaint, "CMP-2", "respond", "2026-11-30", "officer-a", "complaints-officer", "complaints-manager", casefile.Officer),     // due soon
		mk(casefile.Complaint, "CMP-1", "acknowledge", "2026-11-27", "officer-a", "complaints-officer", "complaints-manager", casefile.Officer), // due today
		mk(casefile.Complaint, "CMP-3", "respond", "2026-11-20", "officer-a", "complaints-officer", "complaints-manager", casefile.Officer),     // overdue: officer + manager
		mk(casefile.Complaint, "CMP-0", "respond", "2026-11-24", "officer.a@council.example", "complaints-officer", "complaints-manager", casefile.Officer),
		mk(casefile.Complaint, "CMP-4", "acknowledge", "2026-11-26", "", "complaints-officer", "complaints-manager", casefile.Officer), // overdue, unassigned: team + manager
		mk(casefile.Application, "HR-1", "verify", "2026-11-25", "", "allocations-officer", "allocations-officer", casefile.Officer),   // team and manager are one mailbox
		mk(casefile.Application, "HR-2", "emergency-two-weeks-left", "2026-11-27", "", "allocations-officer", "allocations-officer", casefile.Resident),
		mk(casefile.ASB, "ASB-1", "acknowledge", "2026-11-27", "", "asb-officer", "asb-manager", casefile.Officer), // no asb mailboxes
	}
	rems := Plan(WindowFor(friday), ds, box)
	digests, residents, unaddressed := Digests(friday, rems)
	if len(digests) != 4 {
		t.Fatalf("%d digests, want 4 (officer-a, the complaints team, the complaints managers, allocations): %+v", len(digests), digests)
	}
	a := digestOf(t, digests, "Officer.A@council.example") // the first address seen is the one used: one address, one digest
	if a.To.Role != notification.Officer || a.ID != "digest#2026-11-27#"+RecipientKey("officer.a@council.example") {
		t.Errorf("officer's digest: %+v", a)
	}
	for section, want := range map[string][]string{
		SectionOverdue: {"CMP-3/respond", "CMP-0/respond"}, SectionDueToday: {"CMP-1/acknowledge"}, SectionDueSoon: {"CMP-2/respond"},
	} {
		if got := refs(a.Sections[section]); !slices.Equal(got, want) {
			t.Errorf("officer's %s: %v, want %v", section, got, want)
		}
	}
	if got := refs(digestOf(t, digests, "managers@council.example").Sections[SectionOverdue]); !slices.Equal(got, []string{"CMP-3/respond", "CMP-0/respond", "CMP-4/acknowledge"}) {
		t.Errorf("managers' overdue: %v", got)
	}
	if team := digestOf(t, digests, "complaints@council.example"); team.To.Role != notification.Team || team.Count() != 1 {
		t.Errorf("team's digest: %+v", team)
	}
	alloc := digestOf(t, digests, "allocations@council.example")
	if alloc.To.Role != notification.Team || !slices.Equal(refs(alloc.Sections[SectionOverdue]), []string{"HR-1/verify"}) {
		t.Errorf("a team's and manager's mailbox lists its item once: %+v", alloc)
	}
	if len(residents) != 1 || residents[0].Deadline.CaseRef != "HR-2" {
		t.Errorf("residents: %+v", residents)
	}
	if len(unaddressed) != 1 || unaddressed[0].Deadline.CaseRef != "ASB-1" {
		t.Errorf("unaddressed: %+v", unaddressed)
	}
}

func TestRecipientKeyIgnoresCase(t *testing.T) {
	if k := RecipientKey(" Officer.A@Council.Example"); k != RecipientKey("officer.a@council.example") || len(k) != 16 || strings.Contains(k, "officer") {
		t.Errorf("key %q", k)
	}
}

// The digest's message: counts and a line per item with its link; long sections are capped, with the rest
// counted; an empty one says None; no resident's data.
func TestDigestRequest(t *testing.T) {
	var ds []casefile.Deadline
	for i := range DigestListLimit + 7 {
		ds = append(ds, casefile.Deadline{CaseKind: casefile.ASB, CaseRef: fmt.Sprintf("ASB-%03d", i), Name: "acknowledge", Due: workdays.MustParseDate("2026-11-25"),
			Owner: "officer-a", Team: "asb-officer", Manager: "asb-manager", Audience: casefile.Officer, Rule: "ASB-4", Label: "Acknowledge the report"})
	}
	ds = append(ds, casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: "CMP-9", Name: "respond", Due: friday, Team: "complaints-officer",
		Manager: "complaints-manager", Audience: casefile.Officer, Rule: "CH-6", Label: "Send the stage 1 response"})
	box := Mailboxes{"officer-a": "a@council.example", "complaints-officer": "a@council.example", "asb-manager": "asb-managers@council.example"}
	digests, _, _ := Digests(friday, Plan(WindowFor(friday), ds, box))
	at := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	req := digestOf(t, digests, "a@council.example").Request(friday, at)
	p := req.Personalisation
	if req.Template != notification.ReminderDigest || req.CaseKind != "" || !req.Valid() || !req.RequestedAt.Equal(at) ||
		p["date"] != "2026-11-27" || p["total"] != fmt.Sprint(DigestListLimit+8) || p["overdue_count"] != fmt.Sprint(DigestListLimit+7) || p["due_today_count"] != "1" || p["due_soon_count"] != "0" || p["due_soon"] != "None" {
		t.Fatalf("request %+v", req)
	}
	overdue := strings.Split(p["overdue"], "\n")
	if len(overdue) != DigestListLimit+1 || overdue[0] != "* ASB-000: Acknowledge the report (ASB-4), due 2026-11-25, 2 working days overdue, assigned to officer-a - /asb/cases/ASB-000" ||
		overdue[DigestListLimit] != "* and 7 more" {
		t.Errorf("overdue lines: %d, first %q, last %q", len(overdue), overdue[0], overdue[len(overdue)-1])
	}
	if p["due_today"] != "* CMP-9: Send the stage 1 response (CH-6), due 2026-11-27, unassigned (complaints-officer) - /complaints/CMP-9/record" {
		t.Errorf("due today: %q", p["due_today"])
	}
	dg := req.Digest
	if dg == nil || dg.Day != "2026-11-27" || dg.Recipient != RecipientKey("a@council.example") || dg.Counts != (notification.DigestCounts{Overdue: DigestListLimit + 7, DueToday: 1}) {
		t.Errorf("digest record: %+v", dg)
	}
}

// Each link is a staff route of the catalog that reads the case.
func TestCasePathsAreStaffRoutes(t *testing.T) {
	routes := map[string]bool{}
	for _, f := range catalog.System().Functions {
		for _, r := range f.Routes {
			if r.Method == "GET" && r.Auth == catalog.Staff {
				routes[r.Path] = true
			}
		}
	}
	for _, kind := range []casefile.Kind{casefile.ASB, casefile.Complaint, casefile.Application, casefile.SubjectAccess} {
		if path := strings.Replace(CasePath(kind, "REF"), "REF", "{reference}", 1); !routes[path] {
			t.Errorf("%s: %q is not a staff GET route", kind, path)
		}
	}
}

// The largest digest (every section full) stays under a tenth of SQS's 256 KB, so ten fit in one SendMessageBatch.
func TestTheLargestDigestFitsTenToABatch(t *testing.T) {
	var ds []casefile.Deadline
	for i := range 3 * 200 {
		ds = append(ds, casefile.Deadline{CaseKind: casefile.Application, CaseRef: fmt.Sprintf("HR-7K3M-%04d", i), Name: fmt.Sprintf("action:%d", i),
			Due: friday.AddDays(i%3 - 1), Owner: "a-staff-id-of-thirty-six-characters!", Team: "allocations-officer", Manager: "allocations-officer",
			Audience: casefile.Officer, Rule: "HR-EM", Label: "Review the Emergency band award before its six weeks run out"})
	}
	digests, _, _ := Digests(friday, Plan(WindowFor(friday), ds, Mailboxes{"a-staff-id-of-thirty-six-characters!": "a@council.example"}))
	msg, err := digestOf(t, digests, "a@council.example").Request(friday, time.Now()).Message()
	if err != nil {
		t.Fatal(err)
	}
	if size := len(msg.Body); size > 256*1024/10 {
		t.Errorf("the largest digest is %d bytes", size)
	}
}
