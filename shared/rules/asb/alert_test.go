package asb

import (
	"slices"
	"strings"
	"testing"
)

// ASB-4 / ASB-6: any ASB-4 high-risk ground, or a crime in progress, alerts the duty officer at once, whatever
// the type; the type alone (a hate incident, domestic abuse: ASB-6 referrals) does not.
func TestASB4_ASB6_ImmediateDutyAlert(t *testing.T) {
	cases := []struct {
		name    string
		risk    Risk
		needed  bool
		grounds []string
		rules   []string
	}{
		{"no answers", Risk{}, false, nil, nil},
		{"vulnerable victim (ASB-4)", Risk{Vulnerable: true}, true, []string{"the victim is vulnerable"}, []string{"ASB-4"}},
		{"threats of violence (ASB-4)", Risk{Threats: true}, true, []string{"threats of violence"}, []string{"ASB-4"}},
		{"a child at risk (ASB-4)", Risk{ChildAtRisk: true}, true, []string{"a child is at risk"}, []string{"ASB-4"}},
		{"the reporter feels unsafe (ASB-4)", Risk{FeelsUnsafe: true}, true, []string{"the reporter feels unsafe"}, []string{"ASB-4"}},
		{"a crime in progress alone (ASB-6)", Risk{CrimeInProgress: true}, true, []string{CrimeInProgressGround}, []string{"ASB-6"}},
		{"every ground", Risk{Vulnerable: true, Threats: true, ChildAtRisk: true, FeelsUnsafe: true, CrimeInProgress: true}, true,
			[]string{"the victim is vulnerable", "threats of violence", "a child is at risk", "the reporter feels unsafe", CrimeInProgressGround},
			[]string{"ASB-4", "ASB-6"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := ImmediateAlert(c.risk)
			if a.Needed != c.needed || !slices.Equal(a.Grounds, c.grounds) {
				t.Errorf("needed %v grounds %q, want %v %q", a.Needed, a.Grounds, c.needed, c.grounds)
			}
			var rules []string
			for _, r := range a.Reasons {
				rules = append(rules, r.Rule)
				if !strings.Contains(r.Text, "("+r.Rule+")") || !strings.Contains(r.Text, "duty officer") {
					t.Errorf("reason %+v does not say what happens and under which rule", r)
				}
			}
			if !slices.Equal(rules, c.rules) {
				t.Errorf("rules %v, want %v", rules, c.rules)
			}
			// the alert and the ASB-4 risk level agree on the four factors
			if high := Assess(Report{Type: "noise", Risk: c.risk}, mondayMorning).RiskLevel == RiskHigh; high != slices.Contains(rules, "ASB-4") {
				t.Errorf("risk level high %v, ASB-4 ground %v", high, rules)
			}
		})
	}
	// the type alone raises a referral, not an alert
	for _, typ := range []string{"hate-incident", "domestic-abuse", "physical-violence"} {
		if a := ImmediateAlert(report(typ).Risk); a.Needed {
			t.Errorf("%s with no risk answers alerts the duty officer: %+v", typ, a)
		}
	}
}
