package register

import (
	"strings"
	"testing"
)

// HR-D: every decision carries reasons, each citing its rule in its own text too.
func TestHR_D_EveryDecisionExplainsItself(t *testing.T) {
	young := base("mappa")
	young.Age = 10
	busy := base("homeless-priority-need", "sharing-facilities")
	busy.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true}}
	busy.SeekingWork, busy.CommunityContribution = true, fullCC()
	busy.Working = &Working{HoursPerWeek: 10, MonthsInLastTwelve: 12, Contract: "permanent"}
	busy.DebtException = []string{"urgent-medical"}
	busy.RefusedOffers = []string{"2026-01-10", "2026-06-01", "2026-11-01"}
	for name, a := range map[string]Application{"no need": base(), "Band A": base("mappa"), "too young": young, "busy": busy} {
		d := Assess(a, today, nil)
		if len(d.Reasons) == 0 {
			t.Errorf("%s: no reasons", name)
		}
		for _, r := range append(d.Reasons, d.Warnings...) {
			if r.Rule == "" || !strings.HasSuffix(r.Text, "("+r.Rule+").") {
				t.Errorf("%s: reason without its rule: %+v", name, r)
			}
		}
	}
}

// The brief's combinations, decided end to end.
func TestCombinations(t *testing.T) {
	cases := []struct {
		name      string
		app       func() Application
		status    string
		band      string
		stars     int
		offerable bool
	}{
		{"Band A need with 3 weeks' arrears", func() Application {
			a := base("urgent-welfare")
			a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}
			return a
		}, StatusRegistered, BandReduced, 0, false},
		{"debt with kept plan below 2 weeks' rent -> offerable", func() Application {
			a := base("hhsrs-category-2")
			a.HousingDebt = &HousingDebt{Amount: pounds(180), WeeklyRent: pounds(95), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}
			return a
		}, StatusRegistered, BandReduced, 0, true},
		{"seeking work with no housing need", func() Application {
			a := base()
			a.SeekingWork = true
			return a
		}, StatusNotQualifying, "", 0, false},
		{"severe medical + Band B circumstance + seeking work", func() Application {
			a := base("notice-to-quit")
			a.MedicalAward = &MedicalAward{Severity: "severe", AssessedOn: "2026-09-30"}
			a.SeekingWork = true
			return a
		}, StatusRegistered, BandA, 2, true},
		{"emergency under-occupier working", func() Application {
			a := base("under-occupying")
			a.Working = &Working{HoursPerWeek: 37.5, MonthsInLastTwelve: 12, Contract: "permanent"}
			return a
		}, StatusRegistered, BandEmergency, 1, true},
	}
	for _, c := range cases {
		d := Assess(c.app(), today, nil)
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
	a.RefusedOffers = []string{"2026-01-10", "2026-06-01"}
	b.ReportAllocs()
	for b.Loop() {
		Assess(a, today, nil)
	}
}
