package register

import (
	"fmt"
	"strings"
)

// stars gives priority within a band (HR-S): one star each for seeking work, a community contribution (only in
// Band A or B, HR-CC), a working household (HR-W) and a medical award (one at most, however many household
// members qualify: source 001). Source 001 gives the seeking-work star and asks Jobcentre Plus to verify it
// afterwards, so a claim counts until an officer records it as not verified; unverified stars are warnings.
func stars(a Application, band string, d *Decision) int {
	n := 0
	if a.SeekingWork && claimStar(d, "HR-S", "Actively seeking work", "Seeking work", a.Verified.SeekingWork, "verification with Jobcentre Plus") {
		n++
	}
	if cc := a.CommunityContribution; cc != nil && communityContributionStar(*cc, a.Age, band, a.Verified.CommunityContribution, d) {
		n++
	}
	if w := a.Working; w != nil && workingStar(*w, a.Verified.Working, d) {
		n++
	}
	if medicalBand(severityOf(a.MedicalAward)) != "" {
		n++
		explain(&d.Reasons, "HR-S", "Medical priority: 1 star (never more than one for medical, however many in the household qualify).")
	}
	return n
}

// communityContributionStar applies HR-CC: every shortfall is named; the star is for Band A or B only.
func communityContributionStar(cc CommunityContribution, age int, band string, verified *bool, d *Decision) bool {
	if miss := ccShortfalls(cc, age); len(miss) > 0 {
		explain(&d.Reasons, "HR-CC", "Community contribution not awarded: "+strings.Join(miss, "; ")+".")
		return false
	}
	if band != BandA && band != BandB {
		explain(&d.Reasons, "HR-CC", fmt.Sprintf("Your community contribution meets the criteria, but its star is given only in Band A or Band B, and you are in %s.", bandLabel(band)))
		return false
	}
	return claimStar(d, "HR-CC", "Community contribution", "Community contribution", verified, "the manager's letter; it is re-checked at offer")
}

// workingStar applies HR-W: every shortfall is named.
func workingStar(w Working, verified *bool, d *Decision) bool {
	if miss := workingShortfalls(w); len(miss) > 0 {
		explain(&d.Reasons, "HR-W", "Working household not awarded: "+strings.Join(miss, "; ")+".")
		return false
	}
	return claimStar(d, "HR-W", "Working household", "Working household", verified, "payslips, P60 or accounts and an employer's letter; it is re-checked at offer")
}

// claimStar records a star whose criteria are met, unless an officer found the claim not verified; a claim not
// yet checked counts, with a warning for the officer.
func claimStar(d *Decision, rule, awarded, claim string, verified *bool, evidence string) bool {
	switch {
	case verified == nil:
		explain(&d.Reasons, rule, awarded+": 1 star, subject to "+evidence+".")
		explain(&d.Warnings, rule, claim+" is not verified yet: check "+evidence+".")
		return true
	case *verified:
		explain(&d.Reasons, rule, awarded+": 1 star (verified).")
		return true
	default:
		explain(&d.Reasons, rule, claim+" was not verified: no star.")
		return false
	}
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
		miss = append(miss, "a positive residence history is required (no anti-social behaviour, hate crime or convictions)")
	}
	if cc.VolunteeringMonths < 6 {
		miss = append(miss, fmt.Sprintf("%g months of volunteering is under the 6 continuous months required", cc.VolunteeringMonths))
	}
	if cc.HoursPerMonth < 10 {
		miss = append(miss, fmt.Sprintf("%g hours a month is under the 10 required", cc.HoursPerMonth))
	}
	if !cc.NotForProfit {
		miss = append(miss, "the volunteering must be for a not-for-profit organisation or a charity")
	}
	if !cc.EvidenceFromUnrelatedManager {
		miss = append(miss, "a letter from a manager who is not related to you is required")
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
		miss = append(miss, fmt.Sprintf("%d months in work in the last 12 is under the 9 required", w.MonthsInLastTwelve))
	}
	if !containsCode(WorkingContracts, w.Contract) {
		miss = append(miss, fmt.Sprintf("the contract must be permanent, temporary or self-employed, not %q", w.Contract))
	}
	return miss
}
