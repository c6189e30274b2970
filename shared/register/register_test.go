package register

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/apperr"
	"github.com/councilhousing/backend/shared/workdays"
)

var today = workdays.MustParseDate("2026-11-23")

func base(circumstances ...string) Application {
	return Application{
		Applicant: Applicant{Name: "Jo", DateOfBirth: "1990-05-01", Email: "jo@example.org", Address: "1 Road", Postcode: "NN1 1DE"},
		Age:       36, EligibleImmigrationStatus: true, Circumstances: circumstances,
	}
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func band(d Decision) string { return d.BandName() }

func TestHR_E1_AgeAndImmigration(t *testing.T) {
	young := base("urgent-welfare")
	young.Age = 15
	noStatus := base("urgent-welfare")
	noStatus.EligibleImmigrationStatus = false
	for name, a := range map[string]Application{"15": young, "immigration": noStatus} {
		d := Assess(a, today, nil)
		if d.Status != StatusIneligible || d.Band != nil || !d.Reasons.Has("HR-E1") {
			t.Errorf("%s: %+v", name, d)
		}
	}
	sixteen := base("urgent-welfare")
	sixteen.Age = 16
	if d := Assess(sixteen, today, nil); d.Status != StatusRegistered {
		t.Errorf("16 is old enough: %+v", d)
	}
}

func TestHR_E2_NoNeedDoesNotQualify(t *testing.T) {
	a := base()
	a.SeekingWork = true // seeking work with no housing need
	a.CommunityContribution = &CommunityContribution{ResidenceYears: 5, PositiveHistory: true, VolunteeringMonths: 12, HoursPerMonth: 20, NotForProfit: true, EvidenceFromUnrelatedManager: true}
	d := Assess(a, today, nil)
	if d.Status != StatusNotQualifying || d.Band != nil || d.Stars != 0 || !d.Reasons.Has("HR-E2") {
		t.Fatalf("%+v", d)
	}
}

func TestHR_E3_ViolenceToStaff(t *testing.T) {
	a := base("homeless-priority-need")
	a.UnacceptableBehaviour = []string{"violence-to-staff"}
	if d := Assess(a, today, nil); d.Status != StatusIneligible || !d.Reasons.Has("HR-E3") || d.Offerable {
		t.Fatalf("%+v", d)
	}
	age, status := 30, true
	ok, reasons, _ := CheckEligibility(EligibilityCheck{Age: &age, EligibleImmigrationStatus: &status, Circumstances: []string{"mappa"}, UnacceptableBehaviour: []string{"violence-to-staff"}})
	if ok || !reasons.Has("HR-E3") {
		t.Fatalf("pre-screen: %v %v", ok, reasons)
	}
}

func TestEligibilityPreScreen(t *testing.T) {
	age, status := 17, true
	if ok, r, advice := CheckEligibility(EligibilityCheck{Age: &age, EligibleImmigrationStatus: &status, Circumstances: []string{"sharing-facilities"}}); !ok || !r.Has("HR-B") || advice == "" {
		t.Errorf("eligible: %v %v", ok, r)
	}
	if ok, r, _ := CheckEligibility(EligibilityCheck{Age: &age, EligibleImmigrationStatus: &status}); ok || !r.Has("HR-E2") {
		t.Errorf("no need: %v %v", ok, r)
	}
}

// HR-EM, HR-A, HR-B and HR-M: the highest band any circumstance or award qualifies for.
func TestHR_Bands(t *testing.T) {
	for _, c := range Circumstances {
		d := Assess(base(c.Code), today, nil)
		if band(d) != c.Band || !d.Reasons.Has(c.Rule) || !d.Offerable {
			t.Errorf("%s: band %s, want %s", c.Code, band(d), c.Band)
		}
	}
	severe := base("sharing-facilities")
	severe.MedicalAward = &MedicalAward{Severity: "severe", AssessedOn: "2026-10-01"}
	if d := Assess(severe, today, nil); band(d) != BandA || !d.Reasons.Has("HR-M") {
		t.Errorf("severe medical + Band B circumstance: %s", band(d))
	}
	moderate := base()
	moderate.MedicalAward = &MedicalAward{Severity: "moderate", AssessedOn: "2026-10-01"}
	if d := Assess(moderate, today, nil); band(d) != BandB {
		t.Errorf("moderate medical alone: %s", band(d))
	}
	mixed := base("hhsrs-category-2", "mappa", "decant")
	if d := Assess(mixed, today, nil); band(d) != BandEmergency {
		t.Errorf("highest band wins: %s", band(d))
	}
}

func TestHR_EM_EmergencyExpiry(t *testing.T) {
	d := Assess(base("homeless-priority-need"), today, nil)
	if d.EmergencyExpiresOn == nil || d.EmergencyExpiresOn.String() != "2027-01-04" || d.EffectiveDate.String() != "2026-11-23" {
		t.Fatalf("6 weeks from 23 Nov 2026: %+v", d)
	}
	deadlines := OpenDeadlines("HR-1", d)
	if len(deadlines) != 2 || deadlines[1].Name != "emergency-two-weeks-left" || deadlines[1].Due.String() != "2026-12-21" || deadlines[1].Audience != "resident" {
		t.Fatalf("deadlines: %+v", deadlines)
	}
	if d := Assess(base("under-occupying"), today, nil); band(d) != BandEmergency || d.EmergencyExpiresOn != nil || OpenDeadlines("HR-2", d) != nil {
		t.Fatalf("under-occupiers have no time limit: %+v", d)
	}
	// a later reassessment in the same band keeps the award date, and so the expiry
	later := Assess(base("homeless-priority-need"), workdays.MustParseDate("2026-12-10"), &d)
	if later.EffectiveDate.String() != "2026-11-23" || later.EmergencyExpiresOn.String() != "2027-01-04" {
		t.Fatalf("reassessment moved the dates: %+v", later)
	}
}

func TestHR_R_ReducedPriority(t *testing.T) {
	for _, code := range []string{"asb-or-damage", "tenancy-breach", "savings-above-threshold", "void-standard-fail", "intentionally-homeless"} {
		a := base("urgent-welfare")
		a.ReducedPriority = []string{code}
		if d := Assess(a, today, nil); band(d) != BandReduced || d.NeedBand != BandA || !d.Reasons.Has("HR-R") {
			t.Errorf("%s: %+v", code, d)
		}
	}
	three := base("sharing-facilities")
	three.RefusedOffers = []string{"2026-01-10", "2026-06-01", "2026-11-01"}
	if d := Assess(three, today, nil); band(d) != BandReduced {
		t.Errorf("3 refusals in 12 months: %s", band(d))
	}
	spread := base("sharing-facilities")
	spread.RefusedOffers = []string{"2025-09-10", "2026-06-01", "2026-11-01"} // over 14 months
	if d := Assess(spread, today, nil); band(d) != BandB {
		t.Errorf("3 refusals over 14 months: %s", band(d))
	}
}

// HR-R1 (source 001 wins over the digest): old council-tenancy debt still reduces priority but does not bar offers.
func TestHR_R1_OldTenancyDebt(t *testing.T) {
	a := base("urgent-welfare")
	a.HousingDebt = &HousingDebt{Amount: 900, WeeklyRent: 100, TenancyEndedOn: "2019-03-01"}
	d := Assess(a, today, nil)
	if !d.Reasons.Has("HR-R1") || !d.Offerable || band(d) != BandReduced {
		t.Fatalf("old debt: %+v", d)
	}
	recent := base("urgent-welfare")
	recent.HousingDebt = &HousingDebt{Amount: 900, WeeklyRent: 100, TenancyEndedOn: "2022-03-01"}
	if d := Assess(recent, today, nil); d.Offerable || d.Reasons.Has("HR-R1") {
		t.Fatalf("debt on a tenancy that ended under 6 years ago: %+v", d)
	}
}

// HR-U: unacceptable behaviour stops offers; the debt threshold is 2 weeks' rent.
func TestHR_U_Unacceptable(t *testing.T) {
	for code := range UnacceptableCodes {
		if code == "violence-to-staff" {
			continue
		}
		a := base("urgent-welfare")
		a.UnacceptableBehaviour = []string{code}
		if d := Assess(a, today, nil); d.Offerable || d.Status != StatusRegistered || !d.Reasons.Has("HR-U") {
			t.Errorf("%s: %+v", code, d)
		}
	}
	cases := []struct {
		name      string
		debt      HousingDebt
		offerable bool
	}{
		{"under 2 weeks", HousingDebt{Amount: 150, WeeklyRent: 100}, true},
		{"exactly 2 weeks", HousingDebt{Amount: 200, WeeklyRent: 100}, false},
		{"3 weeks", HousingDebt{Amount: 300, WeeklyRent: 100}, false},
		{"plan kept, down to 2 weeks", HousingDebt{Amount: 200, WeeklyRent: 100, RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}, true},
		{"plan kept, still 3 weeks", HousingDebt{Amount: 300, WeeklyRent: 100, RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}}, false},
		{"plan not kept, small debt", HousingDebt{Amount: 50, WeeklyRent: 100, RepaymentPlan: RepaymentPlan{Agreed: true, Kept: false}}, false},
	}
	for _, c := range cases {
		a := base("urgent-welfare")
		debt := c.debt
		a.HousingDebt = &debt
		d := Assess(a, today, nil)
		if d.Offerable != c.offerable || band(d) != BandReduced {
			t.Errorf("%s: offerable %v band %s, want %v reduced", c.name, d.Offerable, band(d), c.offerable)
		}
	}
}

// HR-U1: victims of domestic violence or hate crime, or urgent medical need, may have offers despite debt, but
// not despite other unacceptable behaviour.
func TestHR_U1_DebtException(t *testing.T) {
	for code := range DebtExceptionCodes {
		a := base("urgent-welfare")
		a.HousingDebt = &HousingDebt{Amount: 300, WeeklyRent: 100} // Band A need with 3 weeks' arrears
		a.DebtException = []string{code}
		if d := Assess(a, today, nil); !d.Offerable || !d.Reasons.Has("HR-U1") {
			t.Errorf("%s: %+v", code, d)
		}
	}
	a := base("urgent-welfare")
	a.HousingDebt = &HousingDebt{Amount: 300, WeeklyRent: 100}
	a.DebtException = []string{"hate-crime-victim"}
	a.UnacceptableBehaviour = []string{"fraud"}
	if d := Assess(a, today, nil); d.Offerable {
		t.Error("HR-U1 covers debt, not fraud")
	}
	noException := base("urgent-welfare")
	noException.HousingDebt = &HousingDebt{Amount: 300, WeeklyRent: 100}
	if d := Assess(noException, today, nil); d.Offerable || band(d) != BandReduced || d.NeedBand != BandA {
		t.Errorf("Band A need with 3 weeks' arrears: %+v", d)
	}
}

func fullCC() *CommunityContribution {
	return &CommunityContribution{ResidenceYears: 3, PositiveHistory: true, VolunteeringMonths: 6, HoursPerMonth: 10, NotForProfit: true, EvidenceFromUnrelatedManager: true}
}

func TestHR_S_Stars(t *testing.T) {
	a := base("urgent-welfare")
	a.SeekingWork = true
	a.CommunityContribution = fullCC()
	a.Working = &Working{HoursPerWeek: 16, MonthsInLastTwelve: 9, Contract: "temporary"}
	if d := Assess(a, today, nil); d.Stars != 3 {
		t.Fatalf("seeking work, community contribution and working: %d (%v)", d.Stars, d.Reasons)
	}
	a.Verified = Verification{SeekingWork: no(), CommunityContribution: yes()}
	if d := Assess(a, today, nil); d.Stars != 2 {
		t.Fatalf("seeking work not verified: %d", d.Stars)
	}
	med := base()
	med.MedicalAward = &MedicalAward{Severity: "severe", AssessedOn: "2026-01-01"}
	if d := Assess(med, today, nil); d.Stars != 1 {
		t.Fatalf("one star for medical: %d", d.Stars)
	}
}

func TestHR_CC_CommunityContribution(t *testing.T) {
	short := base("sharing-facilities")
	short.CommunityContribution = fullCC()
	short.CommunityContribution.HoursPerMonth = 8 // short of 10 hours a month
	d := Assess(short, today, nil)
	if d.Stars != 0 || !d.Reasons.Has("HR-CC") || !strings.Contains(reasonText(d, "HR-CC"), "8 hours a month is under the 10 required") {
		t.Fatalf("8 hours: %+v", d.Reasons)
	}
	emergency := base("decant")
	emergency.CommunityContribution = fullCC()
	if d := Assess(emergency, today, nil); d.Stars != 0 {
		t.Fatalf("community contribution star is for Band A or B only: %d", d.Stars)
	}
	b := base("sharing-facilities")
	b.CommunityContribution = fullCC()
	if d := Assess(b, today, nil); d.Stars != 1 {
		t.Fatalf("Band B with a full contribution: %d", d.Stars)
	}
}

func TestHR_W_WorkingHousehold(t *testing.T) {
	for name, w := range map[string]Working{"15 hours": {15, 12, "permanent"}, "8 months": {30, 8, "self-employed"}} {
		a := base("sharing-facilities")
		a.Working = &w
		if d := Assess(a, today, nil); d.Stars != 0 || !d.Reasons.Has("HR-W") {
			t.Errorf("%s: %d", name, d.Stars)
		}
	}
}

func TestHR_M_MedicalReview(t *testing.T) {
	a := base()
	a.MedicalAward = &MedicalAward{Severity: "moderate", AssessedOn: "2025-11-01"}
	d := Assess(a, today, nil)
	if d.MedicalReviewDue.String() != "2026-11-01" || !strings.Contains(reasonText(d, "HR-M"), "over 12 months old") {
		t.Fatalf("%+v", d)
	}
	if dl := OpenDeadlines("R", d); len(dl) != 1 || dl[0].Name != "medical-review" {
		t.Fatalf("%+v", dl)
	}
}

func TestHR_D_EveryDecisionHasReasons(t *testing.T) {
	for _, a := range []Application{base(), base("mappa"), func() Application { x := base("mappa"); x.Age = 10; return x }()} {
		if d := Assess(a, today, nil); len(d.Reasons) == 0 {
			t.Errorf("no reasons: %+v", d)
		}
	}
}

func reasonText(d Decision, rule string) string {
	var out []string
	for _, r := range d.Reasons {
		if r.Rule == rule {
			out = append(out, r.Text)
		}
	}
	return strings.Join(out, " | ")
}

func TestPriorityKeyOrder(t *testing.T) {
	mk := func(stars int, eff string) Decision {
		d := workdays.MustParseDate(eff)
		return Decision{Stars: stars, EffectiveDate: &d}
	}
	keys := []string{PriorityKey("c", mk(2, "2026-05-01")), PriorityKey("a", mk(1, "2025-01-01")), PriorityKey("b", mk(1, "2026-01-01")), PriorityKey("d", mk(0, "2020-01-01"))}
	for i := 1; i < len(keys); i++ {
		if keys[i-1] >= keys[i] {
			t.Fatalf("order: %v", keys)
		}
	}
}

func TestValidationListsEveryField(t *testing.T) {
	a := Application{Age: -1, Applicant: Applicant{DateOfBirth: "2030-02-30", Postcode: "XX"},
		Circumstances: []string{"homeless", "mappa", "mappa"}, ReducedPriority: []string{"rich"}, UnacceptableBehaviour: []string{"rudeness"},
		DebtException: []string{"sad"}, MedicalAward: &MedicalAward{Severity: "critical"},
		HousingDebt: &HousingDebt{Amount: -5, WeeklyRent: 0}, RefusedOffers: []string{"yesterday"},
		Working: &Working{Contract: "zero-hours"}}
	err := a.Validate(today)
	e, _ := apperr.As(err)
	got := map[string]bool{}
	for _, f := range e.Fields {
		got[f.Field] = true
	}
	for _, want := range []string{"age", "applicant.name", "applicant.dateOfBirth", "applicant.address", "applicant.postcode", "applicant",
		"circumstances[0]", "circumstances[2]", "reducedPriority[0]", "unacceptableBehaviour[0]", "debtException[0]",
		"medicalAward.severity", "housingDebt.amount", "refusedOffers[0]", "working.contract"} {
		if !got[want] {
			t.Errorf("no error for %s (got %v)", want, e.Fields)
		}
	}
}

// BenchmarkAssess: the banding decision is pure and cheap enough to re-run on every read and change.
func BenchmarkAssess(b *testing.B) {
	a := base("urgent-welfare", "sharing-facilities")
	a.HousingDebt = &HousingDebt{Amount: 300, WeeklyRent: 100, RepaymentPlan: RepaymentPlan{Agreed: true}}
	a.CommunityContribution = fullCC()
	a.SeekingWork = true
	a.RefusedOffers = []string{"2026-01-10", "2026-06-01"}
	b.ReportAllocs()
	for b.Loop() {
		Assess(a, today, nil)
	}
}

func TestMedicalAwardShapes(t *testing.T) {
	for body, want := range map[string]MedicalAward{
		`{"medicalAward": "severe"}`: {Severity: "severe"},
		`{"medicalAward": {"severity": "moderate", "assessedOn": "2026-01-02"}}`: {Severity: "moderate", AssessedOn: "2026-01-02"},
		`{"medicalAward": {"level": "severe"}}`:                                  {Severity: "severe"},
	} {
		var a Application
		if err := json.Unmarshal([]byte(body), &a); err != nil || a.MedicalAward == nil || *a.MedicalAward != want {
			t.Errorf("%s: %+v %v", body, a.MedicalAward, err)
		}
	}
	a := base()
	a.MedicalAward = &MedicalAward{Severity: "severe"}
	if d := Assess(a, today, nil); band(d) != BandA || d.MedicalReviewDue.String() != "2027-11-23" {
		t.Errorf("no assessment date: review 12 months from today: %+v", d)
	}
}
