package register

import (
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/decision"
)

// HR-D: every decision carries reasons, each citing its rule in its own text too: the decided reasons, the
// provisional ones, the warnings and what is outstanding.
func TestHR_D_EveryDecisionExplainsItself(t *testing.T) {
	young := base("mappa")
	young.Age = 10
	busy := base("homeless-priority-need", "sharing-facilities")
	busy.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true}}
	busy.SeekingWork, busy.CommunityContribution = true, fullCC()
	busy.Working = &Working{HoursPerWeek: 10, MonthsInLastTwelve: 12, Contract: "permanent"}
	busy.MedicalNeeds = []MedicalNeed{{Grounds: GroundsMedical, Description: "Asthma made worse by damp"}}
	busyCouncil := Council{DebtExceptions: findings("urgent-medical"), Offers: refusals("2026-01-10", "2026-06-01", "2026-11-01"),
		Checks: []ClaimCheckRecord{check("sharing-facilities", false)}}
	cases := map[string]struct {
		a Application
		c Council
	}{
		"no need": {base(), Council{}}, "Band A claimed": {base("mappa"), Council{}}, "Band A decided": {base("mappa"), confirmAll(base("mappa"), Council{})},
		"too young": {young, Council{}}, "busy, claimed": {busy, busyCouncil}, "busy, decided": {busy, confirmAll(busy, busyCouncil)},
		"removed": {base("mappa"), Council{Closure: &Closure{Reason: ClosedRemoved, Rule: "HR-E3"}}},
	}
	for name, c := range cases {
		d := Assess(c.a, c.c, today, nil)
		if len(d.Reasons) == 0 {
			t.Errorf("%s: no reasons", name)
		}
		all := append(append(append(decision.Reasons{}, d.Reasons...), d.Warnings...), d.Provisional.Reasons...)
		for _, o := range d.Outstanding {
			all.Add(o.Rule, o.Text)
		}
		for _, r := range all {
			if r.Rule == "" || !strings.HasSuffix(r.Text, "("+r.Rule+").") {
				t.Errorf("%s: reason without its rule: %+v", name, r)
			}
		}
	}
}

// The brief's combinations, decided end to end on confirmed claims.
func TestCombinations(t *testing.T) {
	cases := []struct {
		name      string
		app       func() Application
		council   Council
		status    string
		band      string
		stars     int
		offerable bool
	}{
		{"Band A need with 3 weeks' arrears", func() Application {
			a := base("urgent-welfare")
			a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}
			return a
		}, Council{}, StatusRegistered, BandReduced, 0, false},
		{"debt with kept plan below 2 weeks' rent -> offerable", func() Application {
			a := base("hhsrs-category-2")
			a.HousingDebt = &HousingDebt{Amount: pounds(180), WeeklyRent: pounds(95), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}
			return a
		}, Council{}, StatusRegistered, BandReduced, 0, true},
		{"seeking work with no housing need", func() Application {
			a := base()
			a.SeekingWork = true
			return a
		}, Council{}, StatusNotQualifying, "", 0, false},
		{"severe medical + Band B circumstance + seeking work", func() Application {
			a := base("notice-to-quit")
			a.SeekingWork = true
			return a
		}, Council{MedicalAward: award("severe", "2026-09-30")}, StatusRegistered, BandA, 2, true},
		{"emergency under-occupier working", func() Application {
			a := base("under-occupying")
			a.Working = &Working{HoursPerWeek: 37.5, MonthsInLastTwelve: 12, Contract: "permanent"}
			return a
		}, Council{}, StatusRegistered, BandEmergency, 1, true},
	}
	for _, c := range cases {
		d := decided(c.app(), c.council, today, nil)
		if d.Status != c.status || d.BandName() != c.band || d.Stars != c.stars || d.Offerable != c.offerable {
			t.Errorf("%s: %s %q %d stars offerable %v; want %s %q %d %v\n%v", c.name, d.Status, d.BandName(), d.Stars, d.Offerable,
				c.status, c.band, c.stars, c.offerable, d.Reasons)
		}
	}
}

// BenchmarkAssess: the decision is pure and cheap enough to re-run on every read and change.
func BenchmarkAssess(b *testing.B) {
	a := base("urgent-welfare", "sharing-facilities")
	a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true}}
	a.CommunityContribution = fullCC()
	a.SeekingWork = true
	c := confirmAll(a, Council{Offers: refusals("2026-01-10", "2026-06-01")})
	b.ReportAllocs()
	for b.Loop() {
		Assess(a, c, today, nil)
	}
}
