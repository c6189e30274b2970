package register

import "testing"

func TestHR_R_ReducedPriority(t *testing.T) {
	debt := func(d HousingDebt) Council { return Council{HousingDebt: &d} }
	unsuitable := refusals("2026-01-10", "2026-06-01", "2026-11-01")
	unsuitable[2].Direct, unsuitable[2].StatutoryReview = true, &StatutoryReview{Requested: true, Outcome: StatutoryUnsuitable, DecidedOn: "2026-11-10"}
	unreasonable := refusals("2026-01-10", "2026-06-01", "2026-11-01")
	unreasonable[1].Reasonable = false
	cases := []struct {
		name    string
		council Council
		band    string
	}{
		{"asb-or-damage", Council{Decisions: councilFindings("asb-or-damage")}, BandReduced},
		{"tenancy-breach", Council{Decisions: councilFindings("tenancy-breach")}, BandReduced},
		{"savings-above-threshold", Council{Decisions: councilFindings("savings-above-threshold")}, BandReduced},
		{"void-standard-fail", Council{Decisions: councilFindings("void-standard-fail")}, BandReduced},
		{"intentionally-homeless", Council{Decisions: councilFindings("intentionally-homeless")}, BandReduced},
		{"a finding that does not apply", Council{Decisions: []CouncilDecisionRecord{{Decision: "tenancy-breach", Applies: false, Note: "no breach"}}}, BandA},
		{"any debt, even £0.01", debt(HousingDebt{Amount: pounds(0.01), WeeklyRent: pounds(100)}), BandReduced},
		{"a kept plan does not lift it: cleared debt only", debt(HousingDebt{Amount: pounds(120), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}), BandReduced},
		{"debt cleared", debt(HousingDebt{Amount: pounds(0), WeeklyRent: pounds(100)}), BandA},
		{"3 refused offers in 12 months", Council{Offers: refusals("2026-01-10", "2026-06-01", "2026-11-01")}, BandReduced},
		{"3 refused offers spread over 14 months", Council{Offers: refusals("2025-09-10", "2026-06-01", "2026-11-01")}, BandA},
		{"a year ago today no longer counts", Council{Offers: refusals("2025-11-23", "2026-06-01", "2026-11-01")}, BandA},
		{"a year ago tomorrow still counts", Council{Offers: refusals("2025-11-24", "2026-06-01", "2026-11-23")}, BandReduced},
		{"2 refusals", Council{Offers: refusals("2026-06-01", "2026-11-01")}, BandA},
		{"3 refusals, one of an unreasonable offer", Council{Offers: unreasonable}, BandA},
		{"3 refusals, one of a direct offer a statutory review found unsuitable", Council{Offers: unsuitable}, BandA},
	}
	for _, c := range cases {
		d := decided(base("urgent-welfare"), c.council, today, nil)
		if d.BandName() != c.band || d.NeedBand != BandA || d.Reasons.Has("HR-R") != (c.band == BandReduced) {
			t.Errorf("%s: band %s need %s reasons %v", c.name, d.BandName(), d.NeedBand, d.Reasons)
		}
		if c.band == BandReduced && !containsText(reasonText(d, "HR-R"), "would place you in Band A") {
			t.Errorf("%s: the reasons must say which band the need would give: %v", c.name, d.Reasons)
		}
	}
}

// HR-R1 as source 001 has it: debt on a council tenancy that ended over 6 years ago lets the applicant join and
// does not stop offers, is still payable, and still reduces priority until repaid.
func TestHR_R1_OldTenancyDebt(t *testing.T) {
	cases := []struct {
		name      string
		endedOn   string
		plan      RepaymentPlan
		r1        bool
		offerable bool
	}{
		{"ended 6 years and a day ago", "2020-11-22", RepaymentPlan{}, true, true},
		{"ended in 2019", "2019-03-01", RepaymentPlan{}, true, true},
		{"ended exactly 6 years ago: not over 6", "2020-11-23", RepaymentPlan{}, false, false},
		{"ended 4 years ago", "2022-03-01", RepaymentPlan{}, false, false},
		{"old debt, but its plan is not kept", "2019-03-01", RepaymentPlan{Agreed: true}, true, false},
	}
	for _, c := range cases {
		a := base("urgent-welfare")
		a.HousingDebt = &HousingDebt{Amount: pounds(900), WeeklyRent: pounds(100), TenancyEndedOn: c.endedOn, RepaymentPlan: c.plan}
		d := decided(a, Council{}, today, nil)
		if d.Reasons.Has("HR-R1") != c.r1 || d.Offerable != c.offerable || d.BandName() != BandReduced {
			t.Errorf("%s: HR-R1 %v offerable %v band %s", c.name, d.Reasons.Has("HR-R1"), d.Offerable, d.BandName())
		}
		if c.r1 {
			mustContain(t, c.name, reasonText(d, "HR-R1"), "£900.00", "still payable", "repayment plan")
		}
	}
	a := base("urgent-welfare")
	a.HousingDebt = &HousingDebt{Amount: pounds(900), WeeklyRent: pounds(100), TenancyEndedOn: "2019-03-01"}
	if d := decided(a, Council{}, today, nil); warningText(d, "HR-R1") == "" {
		t.Error("an officer is asked to agree a repayment plan for old debt")
	}
}

func TestHR_U_UnacceptableBehaviour(t *testing.T) {
	for _, code := range []string{"nuisance", "illegal-use-conviction", "domestic-abuse-perpetrator", "deception", "fraud",
		"property-deterioration", "serious-offence", "plan-not-kept"} {
		d := decided(base("urgent-welfare"), Council{UnacceptableBehaviour: findings(code)}, today, nil)
		if d.Offerable || d.Status != StatusRegistered || d.BandName() != BandA || !d.Reasons.Has("HR-U") {
			t.Errorf("%s: stays in Band A, no offers: %+v", code, d)
		}
	}
	// weekly rent £100: 2 weeks' rent is £200
	cases := []struct {
		name      string
		debt      HousingDebt
		offerable bool
	}{
		{"£150, under 2 weeks", HousingDebt{Amount: pounds(150), WeeklyRent: pounds(100)}, true},
		{"£199.99, under 2 weeks", HousingDebt{Amount: pounds(199.99), WeeklyRent: pounds(100)}, true},
		{"£200, exactly 2 weeks, no plan", HousingDebt{Amount: pounds(200), WeeklyRent: pounds(100)}, false},
		{"Band A need with 3 weeks' arrears", HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}, false},
		{"plan agreed, not kept, small debt", HousingDebt{Amount: pounds(50), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true}}, false},
		{"kept plan, debt down to 2 weeks", HousingDebt{Amount: pounds(200), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}, true},
		{"kept plan, debt below 2 weeks", HousingDebt{Amount: pounds(150), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}, true},
		{"kept plan, still 3 weeks", HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}, false},
		{"0.1 + 0.2 weeks in pence compare exactly", HousingDebt{Amount: pounds(0.6), WeeklyRent: pounds(0.1 + 0.2), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}, true},
	}
	for _, c := range cases {
		a := base("urgent-welfare")
		debt := c.debt
		a.HousingDebt = &debt
		d := decided(a, Council{}, today, nil)
		if d.Offerable != c.offerable || d.BandName() != BandReduced || !d.Reasons.Has("HR-U") {
			t.Errorf("%s: offerable %v band %s; want %v, reduced; %v", c.name, d.Offerable, d.BandName(), c.offerable, d.Reasons)
		}
	}
	// one reason names every debt rule that applies, with the amounts
	a := base("urgent-welfare")
	a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true}}
	mustContain(t, "two debt rules", reasonText(decided(a, Council{}, today, nil), "HR-U"), "£300.00", "£200.00", "not being kept")
	// declared debt the council has not confirmed stops offers until it is
	if d := Assess(a, confirmAll(base("urgent-welfare"), Council{}), today, nil); d.Offerable || !containsText(reasonText(d, "HR-U"), "until the council has confirmed the housing debt of £300.00") || d.BandName() != BandReduced {
		t.Errorf("unconfirmed debt: %+v", d)
	}
}

func TestHR_U1_DebtException(t *testing.T) {
	for _, code := range []string{"domestic-violence-victim", "hate-crime-victim", "urgent-medical", "exceptional-circumstances"} {
		a := base("urgent-welfare")
		a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)} // 3 weeks' arrears
		d := decided(a, Council{DebtExceptions: findings(code)}, today, nil)
		if !d.Offerable || !d.Reasons.Has("HR-U1") || d.BandName() != BandReduced {
			t.Errorf("%s: offerable despite debt, still reduced priority: %+v", code, d)
		}
	}
	cases := []struct {
		name      string
		behaviour []string
		debt      *HousingDebt
		offerable bool
	}{
		{"covers a plan not kept", []string{"plan-not-kept"}, nil, true},
		{"covers a broken plan on the debt", nil, &HousingDebt{Amount: pounds(50), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true}}, true},
		{"not fraud", []string{"fraud"}, &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}, false},
		{"not nuisance, even without debt", []string{"nuisance"}, nil, false},
	}
	for _, c := range cases {
		a := base("urgent-welfare")
		a.HousingDebt = c.debt
		if d := decided(a, Council{UnacceptableBehaviour: findings(c.behaviour...), DebtExceptions: findings("hate-crime-victim")}, today, nil); d.Offerable != c.offerable {
			t.Errorf("%s: offerable %v, want %v (%v)", c.name, d.Offerable, c.offerable, d.Reasons)
		}
	}
	lifted := Council{DebtExceptions: []FindingRecord{{Code: "hate-crime-victim", Applies: false, Evidence: "not so"}}}
	a := base("urgent-welfare")
	a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}
	if d := decided(a, lifted, today, nil); d.Offerable {
		t.Errorf("an exception found not to apply lifts nothing: %v", d.Reasons)
	}
	noException := base("urgent-welfare")
	noException.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}
	if d := decided(noException, Council{}, today, nil); d.Offerable || d.Reasons.Has("HR-U1") {
		t.Errorf("without an exception the debt stops offers: %+v", d)
	}
}
