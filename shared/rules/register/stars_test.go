package register

import (
	"strings"
	"testing"
)

func TestHR_S_Stars(t *testing.T) {
	working := &Working{HoursPerWeek: 16, MonthsInLastTwelve: 9, Contract: "temporary"}
	severe := award("severe", "2026-10-01")
	cases := []struct {
		name        string
		circ        []string
		change      func(*Application)
		council     Council
		stars       int // decided
		provisional int
	}{
		{"none claimed", []string{"mappa"}, func(*Application) {}, Council{}, 0, 0},
		{"seeking work, not yet verified: provisional only", []string{"mappa"}, func(a *Application) { a.SeekingWork = true }, Council{Decisions: councilFindings("mappa")}, 0, 1},
		{"seeking work, verified", []string{"mappa"}, func(a *Application) { a.SeekingWork = true }, Council{Checks: []ClaimCheckRecord{check(ClaimSeekingWork, true)}}, 1, 1},
		{"seeking work, not verified by Jobcentre Plus", []string{"mappa"}, func(a *Application) { a.SeekingWork = true }, Council{Checks: []ClaimCheckRecord{check(ClaimSeekingWork, false)}}, 0, 0},
		{"all four in Band A", []string{"mappa"}, func(a *Application) { a.SeekingWork, a.CommunityContribution, a.Working = true, fullCC(), working }, Council{MedicalAward: severe}, 4, 4},
		{"never more than one medical star", []string{"sharing-facilities"}, func(*Application) {}, Council{MedicalAward: severe}, 1, 1},
		{"Emergency: no community contribution star", []string{"decant"}, func(a *Application) {
			a.SeekingWork, a.CommunityContribution, a.Working = true, fullCC(), working
		}, Council{}, 2, 2},
		{"reduced: no community contribution star", []string{"mappa"}, func(a *Application) { a.SeekingWork, a.CommunityContribution = true, fullCC() },
			Council{Decisions: councilFindings("tenancy-breach")}, 1, 1},
		{"working household not verified", []string{"mappa"}, func(a *Application) { a.Working = working }, Council{Checks: []ClaimCheckRecord{check(ClaimWorking, false)}}, 0, 0},
	}
	for _, c := range cases {
		a := base(c.circ...)
		c.change(&a)
		council := c.council
		if c.name != "seeking work, not yet verified: provisional only" {
			council = confirmAll(a, c.council)
		}
		if d := Assess(a, council, today, nil); d.Stars != c.stars || d.Provisional.Stars != c.provisional {
			t.Errorf("%s: %d stars, %d provisional, want %d, %d (%v)", c.name, d.Stars, d.Provisional.Stars, c.stars, c.provisional, d.Reasons)
		}
	}
	a := base("mappa")
	a.SeekingWork = true
	d := Assess(a, Council{Decisions: councilFindings("mappa")}, today, nil)
	if len(d.Outstanding) != 1 || d.Outstanding[0].Claim != ClaimSeekingWork || !containsText(d.Outstanding[0].Text, "Jobcentre Plus") {
		t.Errorf("an unverified star is outstanding for the officer: %+v", d.Outstanding)
	}
}

func TestHR_CC_CommunityContribution(t *testing.T) {
	cases := []struct {
		name   string
		change func(*CommunityContribution)
		says   string
	}{
		{"community contribution short of 10 hours a month", func(c *CommunityContribution) { c.HoursPerMonth = 8 }, "community contribution not awarded: 8 hours a month is under the 10 required (HR-CC)"},
		{"2.5 years' residence", func(c *CommunityContribution) { c.ResidenceYears = 2.5 }, "2.5 years' residence is under the 3 continuous years required"},
		{"no positive history", func(c *CommunityContribution) { c.PositiveHistory = false }, "a positive residence history is required"},
		{"5 months volunteering", func(c *CommunityContribution) { c.VolunteeringMonths = 5 }, "5 months of volunteering is under the 6 continuous months required"},
		{"for profit", func(c *CommunityContribution) { c.NotForProfit = false }, "not-for-profit organisation or a charity"},
		{"no letter", func(c *CommunityContribution) { c.EvidenceFromUnrelatedManager = false }, "a letter from a manager who is not related to you"},
		{"two shortfalls, both named", func(c *CommunityContribution) { c.HoursPerMonth, c.VolunteeringMonths = 9, 2 },
			"2 months of volunteering is under the 6 continuous months required; 9 hours a month is under the 10 required"},
	}
	for _, c := range cases {
		a := base("sharing-facilities")
		a.CommunityContribution = fullCC()
		c.change(a.CommunityContribution)
		d := decided(a, Council{}, today, nil)
		if d.Stars != 0 {
			t.Errorf("%s: %d stars", c.name, d.Stars)
		}
		mustContain(t, c.name, lower(reasonText(d, "HR-CC")), lower(c.says))
	}
	exact := base("sharing-facilities")
	exact.CommunityContribution = fullCC() // exactly 3 years, 6 months, 10 hours
	if d := decided(exact, Council{}, today, nil); d.Stars != 1 || !d.Reasons.Has("HR-CC") {
		t.Errorf("the minimums are enough in Band B: %d", d.Stars)
	}
	emergency := base("decant")
	emergency.CommunityContribution = fullCC()
	mustContain(t, "Emergency", reasonText(decided(emergency, Council{}, today, nil), "HR-CC"), "only in Band A or Band B")
	refused := base("mappa")
	refused.CommunityContribution = fullCC()
	if d := decided(refused, Council{Checks: []ClaimCheckRecord{check(ClaimCommunityContribution, false)}}, today, nil); d.Stars != 0 || !containsText(reasonText(d, "HR-CC"), "not verified") {
		t.Errorf("evidence not accepted: %d %v", d.Stars, d.Reasons)
	}
}

func TestHR_W_WorkingHousehold(t *testing.T) {
	cases := []struct {
		name  string
		w     Working
		stars int
		says  string
	}{
		{"16 hours, 9 months, permanent", Working{16, 9, "permanent"}, 1, "1 star"},
		{"self-employed", Working{30, 12, "self-employed"}, 1, "1 star"},
		{"15 hours a week", Working{15, 12, "permanent"}, 0, "15 hours a week is under the 16 required"},
		{"8 months of 12", Working{30, 8, "temporary"}, 0, "8 months in work in the last 12 is under the 9 required"},
		{"zero-hours contract", Working{30, 12, "zero-hours"}, 0, `not "zero-hours"`},
	}
	for _, c := range cases {
		a := base("sharing-facilities")
		w := c.w
		a.Working = &w
		d := decided(a, Council{}, today, nil)
		if d.Stars != c.stars {
			t.Errorf("%s: %d stars, want %d", c.name, d.Stars, c.stars)
		}
		mustContain(t, c.name, reasonText(d, "HR-W"), c.says)
	}
}

func lower(s string) string { return strings.ToLower(s) }
