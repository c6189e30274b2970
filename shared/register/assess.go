package register

import (
	"fmt"
	"slices"
	"strings"

	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/decision"
	"github.com/councilhousing/backend/shared/workdays"
)

// Statuses of a decision.
const (
	StatusRegistered    = "registered"
	StatusNotQualifying = "not-qualifying"
	StatusIneligible    = "ineligible"
)

// Decision is the outcome of an assessment, with every rule that produced it (HR-D).
type Decision struct {
	Status             string           `json:"status" dynamodbav:"status"`
	Band               *string          `json:"band" dynamodbav:"band"` // null when not registered
	NeedBand           string           `json:"needBand,omitempty" dynamodbav:"needBand,omitempty"`
	Stars              int              `json:"stars" dynamodbav:"stars"`
	Offerable          bool             `json:"offerable" dynamodbav:"offerable"`
	EmergencyExpiresOn *workdays.Date   `json:"emergencyExpiresOn,omitempty" dynamodbav:"emergencyExpiresOn,omitempty"`
	MedicalReviewDue   *workdays.Date   `json:"medicalReviewDue,omitempty" dynamodbav:"medicalReviewDue,omitempty"`
	EffectiveDate      *workdays.Date   `json:"effectiveDate" dynamodbav:"effectiveDate"`
	Reasons            decision.Reasons `json:"reasons" dynamodbav:"reasons"`
}

// BandName is the band or "" when there is none.
func (d Decision) BandName() string {
	if d.Band == nil {
		return ""
	}
	return *d.Band
}

// EmergencyWeeks is how long the Emergency band lasts before a direct offer (HR-EM).
const EmergencyWeeks = 6

// CheckEligibility is the pre-screen (HR-E1..HR-E3): may the applicant open the full form?
func CheckEligibility(e EligibilityCheck) (bool, decision.Reasons, string) {
	var r decision.Reasons
	eligible := true
	if *e.Age < 16 {
		eligible = false
		r.Add("HR-E1", "Applicants must be 16 or over.")
	}
	if !*e.EligibleImmigrationStatus {
		eligible = false
		r.Add("HR-E1", "Applicants must be eligible for social housing because of their immigration status.")
	}
	if slices.Contains(e.UnacceptableBehaviour, "violence-to-staff") {
		eligible = false
		r.Add("HR-E3", "Anyone who uses or threatens violence towards council staff or contractors is refused the register.")
	}
	if len(e.Circumstances) == 0 {
		eligible = false
		r.Add("HR-E2", "You need a housing need or a reasonable preference category to join the register; seeking work or a community contribution alone is not enough.")
	}
	if eligible {
		r.Add("HR-E1", "You are 16 or over and eligible for social housing.")
		for _, c := range e.Circumstances {
			ci, _ := circumstance(c)
			r.Add(ci.Rule, "You told us you are "+ci.Text+".")
		}
		return true, r, "You can now fill in the full application form."
	}
	return false, r, "You cannot join the housing register now. Call 0300 330 7003 for housing advice, including help if you are homeless or at risk of homelessness."
}

// Assess decides an application as of today. previous is the last decision (nil for a new application): the
// band's effective date is kept while the band is unchanged.
func Assess(a Application, today workdays.Date, previous *Decision) Decision {
	var d Decision
	if !eligible(a, &d) {
		d.Status = StatusIneligible
		return d
	}
	need, needRule := needBand(a, &d.Reasons)
	if need == "" {
		d.Status = StatusNotQualifying
		d.Reasons.Add("HR-E2", "You have no housing need and no reasonable preference category, so you cannot join the register, even if you are seeking work or making a community contribution.")
		return d
	}
	d.Status, d.NeedBand = StatusRegistered, need
	band := need
	if reduced(a, today, &d.Reasons) {
		band = BandReduced
		d.Reasons.Add("HR-R", fmt.Sprintf("Your housing need would place you in %s, but reduced priority applies, so you rank below Band B.", bandLabel(need)))
	}
	d.Band = &band
	d.EffectiveDate = effectiveDate(band, today, previous)
	d.Offerable = offerable(a, today, &d.Reasons)
	d.Stars = stars(a, band, &d.Reasons)
	if band == BandEmergency && needRule != "under-occupying-only" {
		expires := d.EffectiveDate.AddDays(7 * EmergencyWeeks)
		d.EmergencyExpiresOn = &expires
		d.Reasons.Add("HR-EM", "Emergency status lasts 6 weekly bidding cycles, until "+expires.String()+"; after that you will get a direct offer.")
	} else if band == BandEmergency {
		d.Reasons.Add("HR-EM", "Under-occupying tenants keep Emergency status with no time limit.")
	}
	if m := a.MedicalAward; m != nil && m.Severity != "none" {
		assessed, err := workdays.ParseDate(m.AssessedOn)
		if err != nil {
			assessed = today
			d.Reasons.Add("HR-M", "The medical assessment date was not given, so it is taken as today for the 12-month review.")
		}
		due := assessed.AddMonths(12)
		d.MedicalReviewDue = &due
		if due.Before(today) || due == today {
			d.Reasons.Add("HR-M", "Your medical assessment is over 12 months old: it will be reviewed before any offer.")
		}
	}
	return d
}

func bandLabel(b string) string {
	if b == BandEmergency {
		return "the Emergency band"
	}
	return "Band " + b
}

func eligible(a Application, d *Decision) bool {
	ok := true
	if a.Age < 16 {
		ok = false
		d.Reasons.Add("HR-E1", "Applicants must be 16 or over.")
	}
	if !a.EligibleImmigrationStatus {
		ok = false
		d.Reasons.Add("HR-E1", "Applicants must be eligible for social housing because of their immigration status.")
	}
	if slices.Contains(a.UnacceptableBehaviour, "violence-to-staff") {
		ok = false
		d.Reasons.Add("HR-E3", "Violence or threats towards council staff or contractors: the application is refused and removed from the register at once.")
	}
	return ok
}

// needBand is the highest band any circumstance or medical award qualifies for (HR-EM, HR-A, HR-B, HR-M).
func needBand(a Application, r *decision.Reasons) (string, string) {
	best, onlyUnderOccupying := "", true
	consider := func(band, rule, text string) {
		r.Add(rule, text)
		if best == "" || bandRank(band) < bandRank(best) {
			best = band
		}
	}
	for _, code := range a.Circumstances {
		c, _ := circumstance(code)
		consider(c.Band, c.Rule, fmt.Sprintf("You are %s: %s.", c.Text, bandLabel(c.Band)))
		if c.Band == BandEmergency && code != "under-occupying" {
			onlyUnderOccupying = false
		}
	}
	if m := a.MedicalAward; m != nil {
		switch m.Severity {
		case "severe":
			consider(BandA, "HR-M", "An independent adviser recommended a severe medical or welfare award: Band A.")
		case "moderate":
			consider(BandB, "HR-M", "An independent adviser recommended a moderate medical or welfare award: Band B.")
		}
	}
	if best == BandEmergency && onlyUnderOccupying {
		return best, "under-occupying-only"
	}
	return best, ""
}

// twoWeeksRent is the HR-U threshold for housing debt.
func twoWeeksRent(d *HousingDebt) float64 { return 2 * d.WeeklyRent }

// oldTenancyDebt: debt on a previous council tenancy that ended over 6 years ago (HR-R1).
func oldTenancyDebt(d *HousingDebt, today workdays.Date) bool {
	if d == nil || d.TenancyEndedOn == "" {
		return false
	}
	ended, err := workdays.ParseDate(d.TenancyEndedOn)
	return err == nil && ended.Before(today.AddMonths(-72))
}

// reduced applies HR-R. Source 001 keeps reduced priority for housing debt "until those debts are cleared", and
// for debt on a council tenancy that ended over 6 years ago says the applicant may join the register but "will
// normally be given less priority ... until the outstanding debt has been fully repaid": the source wins over
// the digest's HR-R1, so such debt still reduces priority but does not bar offers (see offerable).
func reduced(a Application, today workdays.Date, r *decision.Reasons) bool {
	applies := false
	if d := a.HousingDebt; d != nil && d.Amount > 0 {
		applies = true
		if oldTenancyDebt(d, today) {
			r.Add("HR-R1", fmt.Sprintf("Your housing debt of £%.2f is from a council tenancy that ended over 6 years ago: you can join the register and receive offers, but the debt is still payable and you have less priority until it is repaid (source 001).", d.Amount))
		} else {
			r.Add("HR-R", fmt.Sprintf("You have housing-related debt of £%.2f: reduced priority until it is cleared.", d.Amount))
		}
	}
	for _, code := range a.ReducedPriority {
		applies = true
		r.Add("HR-R", "Reduced priority: "+ReducedPriorityCodes[code]+".")
	}
	if n := refusalsInYear(a.RefusedOffers, today); n >= 3 {
		applies = true
		r.Add("HR-R", fmt.Sprintf("You refused %d reasonable offers in the last 12 months: reduced priority.", n))
	}
	return applies
}

func refusalsInYear(dates []string, today workdays.Date) int {
	since := today.AddMonths(-12)
	n := 0
	for _, s := range dates {
		if d, err := workdays.ParseDate(s); err == nil && d.After(since) && !d.After(today) {
			n++
		}
	}
	return n
}

// offerable applies HR-U and its exception HR-U1: no offer while unacceptable behaviour applies.
func offerable(a Application, today workdays.Date, r *decision.Reasons) bool {
	ok := true
	for _, code := range a.UnacceptableBehaviour {
		if code == "plan-not-kept" {
			continue // a debt rule: handled with the debt below
		}
		ok = false
		r.Add("HR-U", "No offer can be made while this applies: "+UnacceptableCodes[code]+".")
	}
	var debtRules []string
	if d := a.HousingDebt; d != nil && d.Amount > 0 && !oldTenancyDebt(d, today) {
		plan := d.RepaymentPlan
		switch {
		case plan.Agreed && plan.Kept && d.Amount <= twoWeeksRent(d):
			r.Add("HR-U", fmt.Sprintf("Your repayment plan is kept and your debt is down to 2 weeks' rent (£%.2f) or less: offers can be made.", twoWeeksRent(d)))
		case d.Amount >= twoWeeksRent(d):
			debtRules = append(debtRules, fmt.Sprintf("housing debt of £%.2f is 2 weeks' rent (£%.2f) or more", d.Amount, twoWeeksRent(d)))
		}
		if plan.Agreed && !plan.Kept {
			debtRules = append(debtRules, "the agreed repayment plan is not being kept")
		}
	}
	if slices.Contains(a.UnacceptableBehaviour, "plan-not-kept") && !slices.Contains(debtRules, "the agreed repayment plan is not being kept") {
		debtRules = append(debtRules, "the agreed repayment plan is not being kept")
	}
	if len(debtRules) > 0 {
		if len(a.DebtException) > 0 {
			var why []string
			for _, e := range a.DebtException {
				why = append(why, DebtExceptionCodes[e])
			}
			r.Add("HR-U1", "Although "+strings.Join(debtRules, " and ")+", an offer may still be made because you are "+strings.Join(why, " and ")+".")
		} else {
			ok = false
			r.Add("HR-U", "No offer can be made while "+strings.Join(debtRules, " and ")+"; offers can resume once a repayment plan is kept and the debt is down to 2 weeks' rent.")
		}
	}
	return ok
}

// stars gives priority within a band (HR-S): one each for seeking work, community contribution (Band A or B
// only, HR-CC), a working household (HR-W), and a medical award (never more than one for medical). Claims count
// unless an officer found them unproven.
func stars(a Application, band string, r *decision.Reasons) int {
	n := 0
	if a.SeekingWork {
		if verified(a.Verified.SeekingWork) {
			n++
			r.Add("HR-S", "Actively seeking work: 1 star"+pending(a.Verified.SeekingWork, "verification with Jobcentre Plus")+".")
		} else {
			r.Add("HR-S", "Seeking work was not verified by Jobcentre Plus: no star.")
		}
	}
	if cc := a.CommunityContribution; cc != nil {
		if miss := ccShortfalls(*cc, a.Age); len(miss) > 0 {
			r.Add("HR-CC", "Community contribution not awarded: "+strings.Join(miss, "; ")+".")
		} else if band != BandA && band != BandB {
			r.Add("HR-CC", "Community contribution is recorded, but its star is given only in Band A or Band B.")
		} else if !verified(a.Verified.CommunityContribution) {
			r.Add("HR-CC", "Community contribution evidence was not accepted: no star.")
		} else {
			n++
			r.Add("HR-CC", "Community contribution: 1 star"+pending(a.Verified.CommunityContribution, "the evidence letter, re-checked at offer")+".")
		}
	}
	if w := a.Working; w != nil {
		if miss := workingShortfalls(*w); len(miss) > 0 {
			r.Add("HR-W", "Not a working household: "+strings.Join(miss, "; ")+".")
		} else if !verified(a.Verified.Working) {
			r.Add("HR-W", "Working household evidence was not accepted: no star.")
		} else {
			n++
			r.Add("HR-W", "Working household: 1 star"+pending(a.Verified.Working, "payslips or accounts, re-checked at offer")+".")
		}
	}
	if m := a.MedicalAward; m != nil && (m.Severity == "severe" || m.Severity == "moderate") {
		n++
		r.Add("HR-S", "Medical priority: 1 star (never more than one for medical, however many in the household qualify).")
	}
	return n
}

func verified(v *bool) bool { return v == nil || *v }

func pending(v *bool, what string) string {
	if v == nil {
		return ", subject to " + what
	}
	return " (verified)"
}

// ccShortfalls lists what a community contribution claim lacks (HR-CC).
func ccShortfalls(cc CommunityContribution, age int) []string {
	var miss []string
	if age < 16 {
		miss = append(miss, "you must be 16 or over")
	}
	if cc.ResidenceYears < 3 {
		miss = append(miss, fmt.Sprintf("%g years' residence is under the 3 continuous years required", cc.ResidenceYears))
	}
	if !cc.PositiveHistory {
		miss = append(miss, "a positive residence history is required (no ASB, hate crime or convictions)")
	}
	if cc.VolunteeringMonths < 6 {
		miss = append(miss, fmt.Sprintf("%g months of volunteering is under the 6 continuous months required", cc.VolunteeringMonths))
	}
	if cc.HoursPerMonth < 10 {
		miss = append(miss, fmt.Sprintf("%g hours a month is under the 10 required", cc.HoursPerMonth))
	}
	if !cc.NotForProfit {
		miss = append(miss, "the volunteering must be for a not-for-profit organisation or charity")
	}
	if !cc.EvidenceFromUnrelatedManager {
		miss = append(miss, "a letter from an unrelated manager is required")
	}
	return miss
}

// workingShortfalls lists what a working household claim lacks (HR-W).
func workingShortfalls(w Working) []string {
	var miss []string
	if w.HoursPerWeek < 16 {
		miss = append(miss, fmt.Sprintf("%g hours a week is under the 16 required", w.HoursPerWeek))
	}
	if w.MonthsInLastTwelve < 9 {
		miss = append(miss, fmt.Sprintf("%d months of the last 12 is under the 9 required", w.MonthsInLastTwelve))
	}
	return miss
}

// effectiveDate keeps the date a band was first awarded while the band is unchanged; a new band dates from
// today (so moving down also restarts the date within the lower band: a fair queue for that band).
func effectiveDate(band string, today workdays.Date, previous *Decision) *workdays.Date {
	if previous != nil && previous.BandName() == band && previous.EffectiveDate != nil {
		d := *previous.EffectiveDate
		return &d
	}
	d := today
	return &d
}

// OpenDeadlines are the application's deadlines: Emergency expiry, the resident's two-weeks-left message
// (HR-EM), and the medical review before any offer (HR-M).
func OpenDeadlines(ref string, d Decision) []casefile.Deadline {
	if d.Status != StatusRegistered {
		return nil
	}
	mk := func(name, rule, label string, due workdays.Date, aud casefile.Audience) casefile.Deadline {
		return casefile.Deadline{CaseKind: casefile.Application, CaseRef: ref, Name: name, Due: due, Rule: rule,
			Team: "allocations-officer", Manager: "allocations-officer", Audience: aud, Label: label}
	}
	var out []casefile.Deadline
	if e := d.EmergencyExpiresOn; e != nil {
		out = append(out, mk("emergency-expiry", "HR-EM", "Emergency band ends: make a direct offer", *e, casefile.Officer),
			mk("emergency-two-weeks-left", "HR-EM", "Two weeks of Emergency status remain", e.AddDays(-14), casefile.Resident))
	}
	if m := d.MedicalReviewDue; m != nil {
		out = append(out, mk("medical-review", "HR-M", "Medical assessment is 12 months old: review before any offer", *m, casefile.Officer))
	}
	return out
}

// PriorityKey sorts the priority list within a band: stars descending, then effective date (oldest first), then
// reference. Stars are stored as 99-stars, two digits, so that ascending order is descending stars.
func PriorityKey(ref string, d Decision) string {
	eff := ""
	if d.EffectiveDate != nil {
		eff = d.EffectiveDate.String()
	}
	return fmt.Sprintf("%02d#%s#%s", 99-d.Stars, eff, ref)
}
