package register

import (
	"fmt"
	"strings"

	"github.com/councilhousing/backend/shared/rules/decision"
)

// stars gives priority within a band (HR-S): one star each for seeking work, a community contribution (only in
// Band A or B, HR-CC), a working household (HR-W) and a medical award (one at most, however many household
// members qualify: source 001). In the decided run a claimed star counts only once an officer has verified it
// (Jobcentre Plus for seeking work, the manager's letter for HR-CC, the evidence of work for HR-W); in the
// provisional run it counts unless rejected.
func stars(f facts, band string, r *decision.Reasons) int {
	n := 0
	if f.seekingWorkClaimed && claimStar(f.mode, r, "HR-S", "Actively seeking work", "Seeking work", f.seekingWork, "it with Jobcentre Plus") {
		n++
	}
	if cc := f.communityContribution; cc != nil && communityContributionStar(*cc, f, band, r) {
		n++
	}
	if w := f.working; w != nil && workingStar(*w, f, r) {
		n++
	}
	if medicalBand(severityOf(f.medical)) != "" {
		n++
		explain(r, "HR-S", "Medical priority: 1 star (never more than one for medical, however many in the household qualify).")
	}
	return n
}

// communityContributionStar applies HR-CC: every shortfall is named; the star is for Band A or B only.
func communityContributionStar(cc CommunityContribution, f facts, band string, r *decision.Reasons) bool {
	if miss := ccShortfalls(cc, f.age); len(miss) > 0 {
		explain(r, "HR-CC", "Community contribution not awarded: "+strings.Join(miss, "; ")+".")
		return false
	}
	if band != BandA && band != BandB {
		explain(r, "HR-CC", fmt.Sprintf("Your community contribution meets the criteria, but its star is given only in Band A or Band B, and you are in %s.", bandLabel(band)))
		return false
	}
	return claimStar(f.mode, r, "HR-CC", "Community contribution", "Community contribution", f.ccState, "the letter from the manager of the organisation you volunteer with (it is re-checked at offer)")
}

// workingStar applies HR-W: every shortfall is named.
func workingStar(w Working, f facts, r *decision.Reasons) bool {
	if miss := workingShortfalls(w); len(miss) > 0 {
		explain(r, "HR-W", "Working household not awarded: "+strings.Join(miss, "; ")+".")
		return false
	}
	return claimStar(f.mode, r, "HR-W", "Working household", "Working household", f.workingState, "your payslips, P45 and P60, tax returns, bank statements and employer's letter (it is re-checked at offer)")
}

// claimStar records a star whose criteria are met: verified, it counts; rejected, it does not; not checked yet,
// it counts only in the provisional run (subject to the evidence) and is outstanding in the decided one.
func claimStar(m mode, r *decision.Reasons, rule, awarded, claim string, state claimState, evidence string) bool {
	switch state {
	case confirmed:
		explain(r, rule, awarded+": 1 star (verified).")
		return true
	case rejected:
		explain(r, rule, claim+" was not verified: no star.")
		return false
	}
	if m == provisionalMode {
		explain(r, rule, awarded+": 1 star once the council has checked "+evidence+".")
		return true
	}
	return false
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
