package register

import "testing"

func TestHR_R_ReducedPriority(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Application)
		band   string
	}{
		{"asb-or-damage", func(a *Application) { a.ReducedPriority = []string{"asb-or-damage"} }, BandReduced},
		{"tenancy-breach", func(a *Application) { a.ReducedPriority = []string{"tenancy-breach"} }, BandReduced},
		{"savings-above-threshold", func(a *Application) { a.ReducedPriority = []string{"savings-above-threshold"} }, BandReduced},
		{"void-standard-fail", func(a *Application) { a.ReducedPriority = []string{"void-standard-fail"} }, BandReduced},
		{"intentionally-homeless", func(a *Application) { a.ReducedPriority = []string{"intentionally-homeless"} }, BandReduced},
		{"any debt, even £0.01", func(a *Application) { a.HousingDebt = &HousingDebt{Amount: pounds(0.01), WeeklyRent: pounds(100)} }, BandReduced},
		{"a kept plan does not lift it: cleared debt only", func(a *Application) {
			a.HousingDebt = &HousingDebt{Amount: pounds(120), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}
		}, BandReduced},
		{"debt cleared", func(a *Application) { a.HousingDebt = &HousingDebt{Amount: pounds(0), WeeklyRent: pounds(100)} }, BandA},
		{"3 refused offers in 12 months", func(a *Application) { a.RefusedOffers = []string{"2026-01-10", "2026-06-01", "2026-11-01"} }, BandReduced},
		{"3 refused offers spread over 14 months", func(a *Application) { a.RefusedOffers = []string{"2025-09-10", "2026-06-01", "2026-11-01"} }, BandA},
		{"a year ago today no longer counts", func(a *Application) { a.RefusedOffers = []string{"2025-11-23", "2026-06-01", "2026-11-01"} }, BandA},
		{"a year ago tomorrow still counts", func(a *Application) { a.RefusedOffers = []string{"2025-11-24", "2026-06-01", "2026-11-23"} }, BandReduced},
		{"2 refusals", func(a *Application) { a.RefusedOffers = []string{"2026-06-01", "2026-11-01"} }, BandA},
	}
	for _, c := range cases {
		a := base("urgent-welfare")
		c.change(&a)
		d := Assess(a, today, nil)
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
		d := Assess(a, today, nil)
		if d.Reasons.Has("HR-R1") != c.r1 || d.Offerable != c.offerable || d.BandName() != BandReduced {
			t.Errorf("%s: HR-R1 %v offerable %v band %s", c.name, d.Reasons.Has("HR-R1"), d.Offerable, d.BandName())
		}
		if c.r1 {
			mustContain(t, c.name, reasonText(d, "HR-R1"), "£900.00", "still payable", "repayment plan")
		}
	}
	a := base("urgent-welfare")
	a.HousingDebt = &HousingDebt{Amount: pounds(900), WeeklyRent: pounds(100), TenancyEndedOn: "2019-03-01"}
	if d := Assess(a, today, nil); warningText(d, "HR-R1") == "" {
		t.Error("an officer is asked to agree a repayment plan for old debt")
	}
}

func TestHR_U_UnacceptableBehaviour(t *testing.T) {
	for _, code := range []string{"nuisance", "illegal-use-conviction", "domestic-abuse-perpetrator", "deception", "fraud",
		"property-deterioration", "serious-offence", "plan-not-kept"} {
		a := base("urgent-welfare")
		a.UnacceptableBehaviour = []string{code}
		d := Assess(a, today, nil)
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
		d := Assess(a, today, nil)
		if d.Offerable != c.offerable || d.BandName() != BandReduced || !d.Reasons.Has("HR-U") {
			t.Errorf("%s: offerable %v band %s; want %v, reduced; %v", c.name, d.Offerable, d.BandName(), c.offerable, d.Reasons)
		}
	}
	// one reason names every debt rule that applies, with the amounts
	a := base("urgent-welfare")
	a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true}}
	mustContain(t, "two debt rules", reasonText(Assess(a, today, nil), "HR-U"), "£300.00", "£200.00", "not being kept")
}

func TestHR_U1_DebtException(t *testing.T) {
	for _, code := range []string{"domestic-violence-victim", "hate-crime-victim", "urgent-medical"} {
		a := base("urgent-welfare")
		a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)} // 3 weeks' arrears
		a.DebtException = []string{code}
		d := Assess(a, today, nil)
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
		a.UnacceptableBehaviour, a.HousingDebt, a.DebtException = c.behaviour, c.debt, []string{"hate-crime-victim"}
		if d := Assess(a, today, nil); d.Offerable != c.offerable {
			t.Errorf("%s: offerable %v, want %v (%v)", c.name, d.Offerable, c.offerable, d.Reasons)
		}
	}
	noException := base("urgent-welfare")
	noException.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}
	if d := Assess(noException, today, nil); d.Offerable || d.Reasons.Has("HR-U1") {
		t.Errorf("without an exception the debt stops offers: %+v", d)
	}
}
