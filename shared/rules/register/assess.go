package register

import (
	"fmt"
	"strings"

	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Statuses of a decision.
const (
	StatusRegistered    = "registered"
	StatusNotQualifying = "not-qualifying"
	StatusIneligible    = "ineligible"
)

// EmergencyWeeks is how long the Emergency band lasts (6 weekly bidding cycles) before a direct offer (HR-EM).
const EmergencyWeeks = 6

// Decision is the outcome of an assessment, with every rule that produced it (HR-D).
type Decision struct {
	Status string `json:"status" dynamodbav:"status"`
	// Band is the band the applicant is placed in, nil (JSON null) unless registered; BandName gives "" then.
	Band *string `json:"band" dynamodbav:"band"`
	// NeedBand is the band the housing need alone qualifies for; it differs from Band under reduced priority.
	NeedBand  string `json:"needBand,omitempty" dynamodbav:"needBand,omitempty"`
	Stars     int    `json:"stars" dynamodbav:"stars"`
	Offerable bool   `json:"offerable" dynamodbav:"offerable"` // false while an HR-U rule applies
	// EmergencyExpiresOn is 6 weeks after the Emergency award (HR-EM); nil outside Emergency and for
	// under-occupiers, who have no time limit.
	EmergencyExpiresOn *workdays.Date `json:"emergencyExpiresOn,omitempty" dynamodbav:"emergencyExpiresOn,omitempty"`
	// MedicalReviewDue is 12 months after the medical assessment: offers after it need a review first (HR-M).
	MedicalReviewDue *workdays.Date `json:"medicalReviewDue,omitempty" dynamodbav:"medicalReviewDue,omitempty"`
	// EffectiveDate orders applicants within a band: see effectiveDate.
	EffectiveDate *workdays.Date   `json:"effectiveDate" dynamodbav:"effectiveDate"`
	Reasons       decision.Reasons `json:"reasons" dynamodbav:"reasons"`
	// Warnings are what an officer must check before an offer (unverified stars, overdue medical review,
	// Emergency period over, old debt still payable); each is also explained in Reasons.
	Warnings decision.Reasons `json:"warnings,omitempty" dynamodbav:"warnings,omitempty"`
}

// BandName is the band or "" when there is none.
func (d Decision) BandName() string {
	if d.Band == nil {
		return ""
	}
	return *d.Band
}

// Assess decides an application as of today. previous is the last decision (nil for a new application): it
// keeps the band's effective date (and so the Emergency expiry) across reassessments.
func Assess(a Application, today workdays.Date, previous *Decision) Decision {
	var d Decision
	if !basicEligibility(a.Age, a.EligibleImmigrationStatus, a.UnacceptableBehaviour, &d.Reasons) {
		d.Status = StatusIneligible
		return d
	}
	need := needFrom(a.Circumstances, severityOf(a.MedicalAward), a.ReducedPriority, &d.Reasons)
	if need.band == "" && !need.homeless {
		d.Status = StatusNotQualifying
		explain(&d.Reasons, "HR-E2", "You have no housing need and no reasonable preference category, so you cannot join the register.")
		claimsWithoutNeed(a, &d.Reasons)
		return d
	}
	d.Status, d.NeedBand = StatusRegistered, need.band
	band := need.band
	if reducedPriority(a, today, &d) {
		band = BandReduced
		if need.band != "" {
			explain(&d.Reasons, "HR-R", fmt.Sprintf("Your housing need would place you in %s, but reduced priority applies, so you rank below Band B.", bandLabel(need.band)))
		}
	}
	d.Band = &band
	d.EffectiveDate = effectiveDate(band, today, previous)
	d.Offerable = offerable(a, today, &d)
	d.Stars = stars(a, band, &d)
	emergencyExpiry(&d, need, today)
	medicalReview(&d, a.MedicalAward, today, previous)
	return d
}

// explain adds a reason whose text also cites the rule, as HR-D letters show it: "... (HR-CC)."
func explain(r *decision.Reasons, rule, text string) {
	r.Add(rule, strings.TrimSuffix(text, ".")+" ("+rule+").")
}

// need is what the circumstances and medical award qualify for.
type need struct {
	band               string // highest band, "" for none
	homeless           bool   // homeless but intentionally so: a reasonable preference with no band of its own
	onlyUnderOccupying bool   // Emergency only because of under-occupying: no time limit (HR-EM)
}

// needFrom finds the highest band any circumstance or medical award qualifies for (HR-EM, HR-A, HR-B, HR-M),
// with a reason for each. Emergency excludes the intentionally homeless (source 001), who stay homeless, a
// reasonable preference category, and so join the register with reduced priority (HR-R).
func needFrom(circumstances []string, severity string, reduced []string, r *decision.Reasons) need {
	var n need
	underOccupyingOnly := true
	consider := func(band string) {
		if n.band == "" || BandRank(band) < BandRank(n.band) {
			n.band = band
		}
	}
	for _, code := range circumstances {
		c, ok := lookup(Circumstances, code)
		if !ok {
			continue // Validate reports unknown codes
		}
		if code == codeHomeless && containsCode(reduced, codeIntentionallyHomeless) {
			n.homeless = true
			explain(r, "HR-EM", "You are accepted as homeless but were found intentionally homeless, so you are not in the Emergency band; homelessness is still a reasonable preference, so you can join the register with reduced priority.")
			continue
		}
		explain(r, c.Rule, fmt.Sprintf("You are %s: %s.", c.Text, bandLabel(c.Band)))
		consider(c.Band)
		if c.Band == BandEmergency && code != codeUnderOccupying {
			underOccupyingOnly = false
		}
	}
	switch band := medicalBand(severity); band {
	case BandA:
		explain(r, "HR-M", "An independent adviser recommended a severe medical or welfare award: Band A.")
		consider(band)
	case BandB:
		explain(r, "HR-M", "An independent adviser recommended a moderate medical or welfare award: Band B.")
		consider(band)
	}
	n.onlyUnderOccupying = n.band == BandEmergency && underOccupyingOnly
	return n
}

func severityOf(m *MedicalAward) string {
	if m == nil {
		return ""
	}
	return m.Severity
}

func containsCode(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// claimsWithoutNeed explains that claimed stars do not open the register on their own (HR-E2, source 001).
func claimsWithoutNeed(a Application, r *decision.Reasons) {
	if a.SeekingWork {
		explain(r, "HR-E2", "Seeking work gives a star only to applicants with a housing need; on its own it does not give a place on the register.")
	}
	if a.CommunityContribution != nil {
		explain(r, "HR-E2", "A community contribution gives a star only to applicants with a housing need; on its own it does not give a place on the register.")
	}
	if a.Working != nil {
		explain(r, "HR-E2", "A working household gives a star only to applicants with a housing need; on its own it does not give a place on the register.")
	}
}

// effectiveDate is the date the current band was first awarded, which orders applicants within a band (HR-S).
//   - same band as before: keep the earlier date (a reassessment must not send anyone to the back of the queue);
//   - a higher band, or a first band: today (the new need dates from now);
//   - a lower band: keep the earlier date, because the applicant has waited since then in a band at least as
//     high, and losing both the band and the waiting time would penalise one change twice.
func effectiveDate(band string, today workdays.Date, previous *Decision) *workdays.Date {
	date := today
	if previous != nil && previous.Status == StatusRegistered && previous.EffectiveDate != nil &&
		BandRank(band) >= BandRank(previous.BandName()) {
		date = *previous.EffectiveDate
	}
	return &date
}

// emergencyExpiry sets the end of the 6 weekly bidding cycles from the Emergency award; under-occupiers have
// no time limit (HR-EM).
func emergencyExpiry(d *Decision, n need, today workdays.Date) {
	if d.BandName() != BandEmergency {
		return
	}
	if n.onlyUnderOccupying {
		explain(&d.Reasons, "HR-EM", "Under-occupying tenants keep Emergency status with no time limit.")
		return
	}
	expires := d.EffectiveDate.AddDays(7 * EmergencyWeeks)
	d.EmergencyExpiresOn = &expires
	explain(&d.Reasons, "HR-EM", fmt.Sprintf("Emergency status lasts 6 weekly bidding cycles, until %s; if you have not found a home by then you will get a direct offer of a suitable property.", expires))
	if today.After(expires) {
		explain(&d.Warnings, "HR-EM", fmt.Sprintf("The Emergency period ended on %s: make a direct offer.", expires))
	}
}

// medicalReview dates the HR-M review: an award over 12 months old is reviewed before an offer. An award
// without an assessment date (older records; Validate now requires it) keeps its earlier review date.
func medicalReview(d *Decision, m *MedicalAward, today workdays.Date, previous *Decision) {
	if m == nil || medicalBand(m.Severity) == "" {
		return
	}
	var due workdays.Date
	if assessed, err := workdays.ParseDate(m.AssessedOn); err == nil {
		due = assessed.AddMonths(12)
		explain(&d.Reasons, "HR-M", fmt.Sprintf("Your medical assessment of %s will be reviewed before any offer made after %s.", assessed, due))
	} else {
		due = today.AddMonths(12)
		if previous != nil && previous.MedicalReviewDue != nil {
			due = *previous.MedicalReviewDue
		}
		explain(&d.Warnings, "HR-M", fmt.Sprintf("The medical assessment date is not recorded: record it; the review is due by %s.", due))
	}
	d.MedicalReviewDue = &due
	if today.After(due) {
		explain(&d.Reasons, "HR-M", "Your medical assessment is over 12 months old: it will be reviewed before any offer.")
		explain(&d.Warnings, "HR-M", fmt.Sprintf("The medical award is over 12 months old (review was due %s): review it before any offer.", due))
	}
}
