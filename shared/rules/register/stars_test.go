package register

import (
	"strings"
	"testing"
)

func TestHR_S_Stars(t *testing.T) {
	working := &Working{HoursPerWeek: 16, MonthsInLastTwelve: 9, Contract: "temporary"}
	severe := &MedicalAward{Severity: "severe", AssessedOn: "2026-10-01"}
	cases := []struct {
		name   string
		circ   []string
		change func(*Application)
		stars  int
	}{
		{"none claimed", []string{"mappa"}, func(*Application) {}, 0},
		{"seeking work, not yet verified: counts (source 001)", []string{"mappa"}, func(a *Application) { a.SeekingWork = true }, 1},
		{"seeking work, verified", []string{"mappa"}, func(a *Application) { a.SeekingWork, a.Verified.SeekingWork = true, yes() }, 1},
		{"seeking work, not verified by Jobcentre Plus", []string{"mappa"}, func(a *Application) { a.SeekingWork, a.Verified.SeekingWork = true, no() }, 0},
		{"all four in Band A", []string{"mappa"}, func(a *Application) {
			a.SeekingWork, a.CommunityContribution, a.Working = true, fullCC(), working
			a.MedicalAward = severe
		}, 4},
		{"never more than one medical star", []string{"sharing-facilities"}, func(a *Application) { a.MedicalAward = severe }, 1},
		{"Emergency: no community contribution star", []string{"decant"}, func(a *Application) {
			a.SeekingWork, a.CommunityContribution, a.Working = true, fullCC(), working
		}, 2},
		{"reduced: no community contribution star", []string{"mappa"}, func(a *Application) {
			a.SeekingWork, a.CommunityContribution, a.ReducedPriority = true, fullCC(), []string{"tenancy-breach"}
		}, 1},
		{"working household not verified", []string{"mappa"}, func(a *Application) { a.Working, a.Verified.Working = working, no() }, 0},
	}
	for _, c := range cases {
		a := base(c.circ...)
		c.change(&a)
		if d := Assess(a, today, nil); d.Stars != c.stars {
			t.Errorf("%s: %d stars, want %d (%v)", c.name, d.Stars, c.stars, d.Reasons)
		}
	}
	a := base("mappa")
	a.SeekingWork = true
	if d := Assess(a, today, nil); warningText(d, "HR-S") == "" {
		t.Error("an unverified star is flagged for the officer")
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
		d := Assess(a, today, nil)
		if d.Stars != 0 {
			t.Errorf("%s: %d stars", c.name, d.Stars)
		}
		mustContain(t, c.name, lower(reasonText(d, "HR-CC")), lower(c.says))
	}
	exact := base("sharing-facilities")
	exact.CommunityContribution = fullCC() // exactly 3 years, 6 months, 10 hours
	if d := Assess(exact, today, nil); d.Stars != 1 || !d.Reasons.Has("HR-CC") {
		t.Errorf("the minimums are enough in Band B: %d", d.Stars)
	}
	emergency := base("decant")
	emergency.CommunityContribution = fullCC()
	mustContain(t, "Emergency", reasonText(Assess(emergency, today, nil), "HR-CC"), "only in Band A or Band B")
	refused := base("mappa")
	refused.CommunityContribution, refused.Verified.CommunityContribution = fullCC(), no()
	if d := Assess(refused, today, nil); d.Stars != 0 || !containsText(reasonText(d, "HR-CC"), "not verified") {
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
		d := Assess(a, today, nil)
		if d.Stars != c.stars {
			t.Errorf("%s: %d stars, want %d", c.name, d.Stars, c.stars)
		}
		mustContain(t, c.name, reasonText(d, "HR-W"), c.says)
	}
}

func lower(s string) string { return strings.ToLower(s) }
