package register

import (
	"reflect"
	"testing"
)

func intp(n int) *int { return &n }

func TestHR_E1_AgeAndImmigrationStatus(t *testing.T) {
	cases := []struct {
		name        string
		age         int
		immigration bool
		wantStatus  string
		wantE1      int // HR-E1 reasons
	}{
		{"15 is too young", 15, true, StatusIneligible, 1},
		{"16 is old enough", 16, true, StatusRegistered, 1},
		{"not eligible for social housing", 40, false, StatusIneligible, 1},
		{"both fail: both said", 15, false, StatusIneligible, 2},
	}
	for _, c := range cases {
		a := base("urgent-welfare")
		a.Age, a.EligibleImmigrationStatus = c.age, c.immigration
		d := decided(a, Council{}, today, nil)
		if d.Status != c.wantStatus || countRule(d, "HR-E1") != c.wantE1 {
			t.Errorf("%s: status %s, %d HR-E1 reasons; want %s, %d", c.name, d.Status, countRule(d, "HR-E1"), c.wantStatus, c.wantE1)
		}
		if c.wantStatus == StatusIneligible && (d.Band != nil || d.Offerable || d.EffectiveDate != nil || d.Stars != 0) {
			t.Errorf("%s: an ineligible decision has no band, offers, date or stars: %+v", c.name, d)
		}
		p := PreScreen(EligibilityCheck{Age: intp(c.age), EligibleImmigrationStatus: &c.immigration, Circumstances: []string{"urgent-welfare"}})
		if p.Eligible != (c.wantStatus == StatusRegistered) || !p.Reasons.Has("HR-E1") {
			t.Errorf("%s: pre-screen %+v", c.name, p)
		}
	}
}

// HR-E2: no need and no reasonable preference: not on the register, whatever else is claimed.
func TestHR_E2_NoHousingNeed(t *testing.T) {
	cases := []struct {
		name    string
		apply   func(*Application)
		council Council
		e2      int
	}{
		{"nothing at all", func(*Application) {}, Council{}, 1},
		{"seeking work with no housing need", func(a *Application) { a.SeekingWork = true }, Council{}, 2},
		{"community contribution with no need", func(a *Application) { a.CommunityContribution = fullCC() }, Council{}, 2},
		{"all three claims", func(a *Application) {
			a.SeekingWork, a.CommunityContribution = true, fullCC()
			a.Working = &Working{HoursPerWeek: 37, MonthsInLastTwelve: 12, Contract: "permanent"}
		}, Council{}, 4},
		{"medical award of none", func(*Application) {}, Council{MedicalAward: award("none", "")}, 1},
		{"a medical need the adviser did not support", func(a *Application) {
			a.MedicalNeeds = []MedicalNeed{{Grounds: GroundsWelfare, Description: "Stairs"}}
		}, Council{MedicalAward: award("none", ""), MedicalNeedsAssessed: 1}, 1},
		{"reduced priority needs a need first", func(*Application) {}, Council{Decisions: councilFindings("tenancy-breach")}, 1},
		{"every claim rejected", func(a *Application) { a.Circumstances = []string{"sharing-facilities"} },
			Council{Checks: []ClaimCheckRecord{check("sharing-facilities", false)}}, 1},
	}
	for _, c := range cases {
		a := base()
		c.apply(&a)
		d := decided(a, c.council, today, nil)
		if d.Status != StatusNotQualifying || d.Band != nil || d.Stars != 0 || d.Offerable || countRule(d, "HR-E2") != c.e2 || d.Reasons.Has("HR-R") {
			t.Errorf("%s: %+v", c.name, d)
		}
	}
	immigration := true
	if p := PreScreen(EligibilityCheck{Age: intp(30), EligibleImmigrationStatus: &immigration}); p.Eligible || !p.Reasons.Has("HR-E2") || p.Advice == "" {
		t.Errorf("pre-screen without need: %+v", p)
	}
}

func TestHR_E3_ViolenceToStaff(t *testing.T) {
	removed := Council{MedicalAward: award("severe", "2026-10-01"), UnacceptableBehaviour: findings("nuisance"),
		Closure: &Closure{Reason: ClosedRemoved, Rule: "HR-E3", ClosedOn: today}}
	before := decided(base("homeless-priority-need"), Council{}, date("2026-01-05"), nil)
	d := decided(base("homeless-priority-need"), removed, today, &before)
	if d.Status != StatusRemoved || d.Band != nil || d.Offerable || d.EffectiveDate != nil || !d.Reasons.Has("HR-E3") || d.Outstanding != nil {
		t.Fatalf("removed at once, whatever the need: %+v", d)
	}
	immigration := true
	p := PreScreen(EligibilityCheck{Age: intp(30), EligibleImmigrationStatus: &immigration, Circumstances: []string{"mappa"}, UnacceptableBehaviour: []string{"violence-to-staff"}})
	if p.Eligible || !p.Reasons.Has("HR-E3") {
		t.Errorf("pre-screen: %+v", p)
	}
}

func TestPreScreen(t *testing.T) {
	yesStatus := true
	cases := []struct {
		name     string
		check    EligibilityCheck
		eligible bool
		rules    []string
	}{
		{"Band B need", EligibilityCheck{Age: intp(17), EligibleImmigrationStatus: &yesStatus, Circumstances: []string{"sharing-facilities"}}, true, []string{"HR-E1", "HR-B"}},
		{"a medical or welfare need is a reasonable preference", EligibilityCheck{Age: intp(40), EligibleImmigrationStatus: &yesStatus, MedicalOrWelfareNeed: true}, true, []string{"HR-E1", "HR-M"}},
		{"claims are explained as claims", EligibilityCheck{Age: intp(40), EligibleImmigrationStatus: &yesStatus, Circumstances: []string{"homeless-priority-need"}}, true, []string{"HR-E1", "HR-EM"}},
		{"nuisance: may join, no offers", EligibilityCheck{Age: intp(40), EligibleImmigrationStatus: &yesStatus, Circumstances: []string{"decant"}, UnacceptableBehaviour: []string{"nuisance"}}, true, []string{"HR-E1", "HR-EM", "HR-U"}},
		{"missing answers fail safe", EligibilityCheck{Circumstances: []string{"mappa"}}, false, []string{"HR-E1"}},
	}
	for _, c := range cases {
		p := PreScreen(c.check)
		var rules []string
		for _, r := range p.Reasons {
			if len(rules) == 0 || rules[len(rules)-1] != r.Rule {
				rules = append(rules, r.Rule)
			}
		}
		if p.Eligible != c.eligible || !reflect.DeepEqual(rules, c.rules) || p.Advice == "" {
			t.Errorf("%s: eligible %v rules %v, want %v %v", c.name, p.Eligible, rules, c.eligible, c.rules)
		}
	}
	p := PreScreen(EligibilityCheck{Age: intp(40), EligibleImmigrationStatus: &yesStatus, Circumstances: []string{"homeless-priority-need", "sharing-facilities"}})
	mustContain(t, "claims", p.Reasons[1].Text+p.Reasons[2].Text, "You told us you are", "if the council's homelessness service decides so", "once the council has checked the evidence")
}

func countRule(d Decision, rule string) int {
	n := 0
	for _, r := range d.Reasons {
		if r.Rule == rule {
			n++
		}
	}
	return n
}
