package register

import (
	"fmt"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Statuses of a decision.
const (
	// StatusAwaitingVerification: the applicant claims a housing need, but none is decided yet. Not on the
	// register's priority list, no offers; Outstanding says what the council must check or decide.
	StatusAwaitingVerification = "awaiting-verification"
	// StatusRegistered is the active register: the band rests on decided facts. Only registered applications
	// are on the priority list and can be offerable.
	StatusRegistered    = "registered"
	StatusNotQualifying = "not-qualifying" // HR-E2: no housing need or reasonable preference, claimed or decided
	StatusIneligible    = "ineligible"     // HR-E1
	StatusClosed        = "closed"         // withdrawn, housed or no longer eligible (Record.Close)
	StatusRemoved       = "removed"        // HR-E3 (Record.Remove)
)

// EmergencyWeeks is how long the Emergency band lasts (6 weekly bidding cycles) before a direct offer (HR-EM).
const EmergencyWeeks = 6

// Decision is the outcome of an assessment, with every rule that produced it (HR-D).
type Decision struct {
	Status string `json:"status" dynamodbav:"status"`
	// StatusSince is when the application was first decided with this status (the change that decided it): a
	// refusal (ineligible, not qualifying) ends the application then, for the retention schedule. Assess keeps
	// the previous decision's while the status stays the same; NewRecord and each reassessment set it otherwise.
	StatusSince *time.Time `json:"statusSince,omitempty" dynamodbav:"statusSince,omitempty"`
	// Band is the decided band: it counts only decided facts (verified claims, council decisions, the adviser's
	// award, the council's findings). nil (JSON null) unless registered; BandName gives "" then.
	Band *string `json:"band" dynamodbav:"band"`
	// NeedBand is the band the decided housing need alone qualifies for; it differs from Band under reduced
	// priority.
	NeedBand  string `json:"needBand,omitempty" dynamodbav:"needBand,omitempty"`
	Stars     int    `json:"stars" dynamodbav:"stars"`         // decided stars: verified claims and the medical award only
	Offerable bool   `json:"offerable" dynamodbav:"offerable"` // registered, and no HR-U rule applies
	// EmergencyExpiresOn is 6 weeks after the Emergency award (HR-EM); nil outside Emergency and for
	// under-occupiers, who have no time limit.
	EmergencyExpiresOn *workdays.Date `json:"emergencyExpiresOn,omitempty" dynamodbav:"emergencyExpiresOn,omitempty"`
	// MedicalReviewDue is 12 months after the medical assessment: offers after it need a review first (HR-M).
	MedicalReviewDue *workdays.Date `json:"medicalReviewDue,omitempty" dynamodbav:"medicalReviewDue,omitempty"`
	// EffectiveDate orders applicants within a band: see effectiveDate.
	EffectiveDate *workdays.Date `json:"effectiveDate" dynamodbav:"effectiveDate"`
	// Reasons explain the decided status, band, stars and offerability.
	Reasons decision.Reasons `json:"reasons" dynamodbav:"reasons"`
	// Provisional is what the claims as made would give if the council confirmed them all.
	Provisional Provisional `json:"provisional" dynamodbav:"provisional"`
	// Outstanding is what the council must check or decide before each claim counts, in plain language.
	Outstanding []Outstanding `json:"outstanding" dynamodbav:"outstanding"`
	// Warnings are what an officer must act on (overdue medical review, Emergency period over, old debt still
	// payable); each is also explained in Reasons.
	Warnings decision.Reasons `json:"warnings,omitempty" dynamodbav:"warnings,omitempty"`
}

// Provisional is the band and stars the claims would give once confirmed, with the reasons (HR-D). It decides
// nothing: no priority list, no offers.
type Provisional struct {
	Band    *string          `json:"band" dynamodbav:"band"`
	Stars   int              `json:"stars" dynamodbav:"stars"`
	Reasons decision.Reasons `json:"reasons" dynamodbav:"reasons"`
}

// Outstanding is one thing the council must check or decide before a claim counts: the claim (a circumstance
// code, or seeking-work, community-contribution, working, medical, housing-debt), its rule, and what must happen.
type Outstanding struct {
	Claim string `json:"claim" dynamodbav:"claim"`
	Rule  string `json:"rule" dynamodbav:"rule"`
	Text  string `json:"text" dynamodbav:"text"`
}

// BandName is the band or "" when there is none.
func (d Decision) BandName() string {
	if d.Band == nil {
		return ""
	}
	return *d.Band
}

// Active says whether the application is on the active register: registered, with a band that rests on decided
// facts. Only active applications are on the priority list or may be made an offer.
func (d Decision) Active() bool { return d.Status == StatusRegistered && d.Band != nil }

// Assess decides an application as of today from what the applicant claims (a) and what the council has checked
// and decided (c). previous is the last decision (nil for a new application): it keeps the band's effective date
// (and so the Emergency expiry) across reassessments.
func Assess(a Application, c Council, today workdays.Date, previous *Decision) Decision {
	d := assess(a, c, today, previous)
	if previous != nil && previous.Status == d.Status {
		d.StatusSince = previous.StatusSince
	}
	return d
}

// Refused says whether the decision turns the application away: ineligible (HR-E1) or not qualifying (HR-E2).
// Such an application is not closed, but it has ended when the decision was made, unless a change or a review
// makes it qualify again.
func (d Decision) Refused() bool {
	return d.Status == StatusIneligible || d.Status == StatusNotQualifying
}

// decidedAt sets StatusSince to at when the status is new (Assess kept none).
func (d *Decision) decidedAt(at time.Time) {
	if d.StatusSince == nil {
		t := at.UTC()
		d.StatusSince = &t
	}
}

func assess(a Application, c Council, today workdays.Date, previous *Decision) Decision {
	var d Decision
	if c.Closure != nil {
		return closedDecision(*c.Closure)
	}
	if !basicEligibility(a.Age, a.EligibleImmigrationStatus, nil, &d.Reasons) {
		d.Status = StatusIneligible
		return d
	}
	var claimed bool
	d.Provisional, claimed = provisional(factsOf(a, c, provisionalMode), today)
	f := factsOf(a, c, decidedMode)
	need := needFrom(f, &d.Reasons)
	if need.band == "" && !need.preference {
		if !claimed {
			d.Status = StatusNotQualifying
			explain(&d.Reasons, "HR-E2", "You have no housing need and no reasonable preference category, so you cannot join the register.")
			claimsWithoutNeed(a, &d.Reasons)
			return d
		}
		d.Status = StatusAwaitingVerification
		explain(&d.Reasons, "HR-E2", "Your application is awaiting verification: no housing need has been confirmed yet, so you are not on the register and cannot be made an offer until the council has checked or decided what you told us.")
		d.Outstanding = outstanding(a, c)
		return d
	}
	d.Status, d.NeedBand = StatusRegistered, need.band
	band := need.band
	if reducedPriority(f, today, &d.Reasons, &d.Warnings) || band == "" { // a reasonable preference with no band of its own ranks below Band B
		band = BandReduced
		if need.band != "" {
			explain(&d.Reasons, "HR-R", fmt.Sprintf("Your housing need would place you in %s, but reduced priority applies, so you rank below Band B.", bandLabel(need.band)))
		}
	}
	reviewReasons(&d.Reasons, c)
	d.Band = &band
	d.EffectiveDate = effectiveDate(band, today, previous)
	d.Offerable = offerable(f, today, &d.Reasons)
	d.Stars = stars(f, band, &d.Reasons)
	emergencyExpiry(&d, need, c, today)
	medicalReview(&d, c.MedicalAward, today, previous)
	d.Outstanding = outstanding(a, c)
	return d
}

// provisional runs the assessment over the claims as made; claimed says whether they make a housing need or a
// reasonable preference at all. A medical or welfare need waiting for the adviser is a reasonable preference
// (source 001) with no band until the award: the application waits for it rather than being turned away.
func provisional(f facts, today workdays.Date) (p Provisional, claimed bool) {
	need := needFrom(f, &p.Reasons)
	if need.band == "" && !need.preference {
		return p, false
	}
	band := need.band
	var ignored decision.Reasons
	switch {
	case reducedPriority(f, today, &p.Reasons, &ignored):
		band = BandReduced
		if need.band != "" {
			explain(&p.Reasons, "HR-R", fmt.Sprintf("Your housing need would place you in %s, but reduced priority applies, so you rank below Band B.", bandLabel(need.band)))
		}
	case band == "" && f.medicalPending:
		return p, true // the adviser's award decides the band
	case band == "":
		band = BandReduced
	}
	p.Band = &band
	p.Stars = stars(f, band, &p.Reasons)
	return p, true
}

// closedDecision explains a closed or removed application.
func closedDecision(cl Closure) Decision {
	d := Decision{Status: StatusClosed}
	switch cl.Reason {
	case ClosedRemoved:
		d.Status = StatusRemoved
		explain(&d.Reasons, "HR-E3", "Anyone who uses or threatens violence towards council staff or contractors is removed from the register at once: your application has been removed.")
	case ClosedHoused:
		explain(&d.Reasons, cl.Rule, fmt.Sprintf("You have been housed (%s), so your application is closed.", cl.Property))
	case ClosedWithdrawn:
		explain(&d.Reasons, cl.Rule, "Your application was withdrawn"+withNote(cl.Note)+".")
	default:
		explain(&d.Reasons, cl.Rule, "You are no longer eligible for the register, so your application is closed"+withNote(cl.Note)+".")
	}
	return d
}

// reviewReasons tell the applicant where their latest review of reduced priority stands (HR-R, HR-D).
func reviewReasons(r *decision.Reasons, c Council) {
	if len(c.Reviews) == 0 {
		return
	}
	v := c.Reviews[len(c.Reviews)-1]
	switch v.Outcome {
	case "":
		explain(r, "HR-R", fmt.Sprintf("You asked on %s for a review of your reduced priority: the Housing Solutions Manager will put it to the Social Welfare Panel and decide by %s.", v.RequestedOn, v.DueOn))
	case ReviewUpheld:
		explain(r, "HR-R", fmt.Sprintf("The review of your reduced priority you asked for on %s was decided on %s: your reduced priority stands%s.", v.RequestedOn, v.DecidedOn, withNote(v.Note)))
	case ReviewOverturned:
		explain(r, "HR-R", fmt.Sprintf("The review of your reduced priority you asked for on %s was decided on %s: it was lifted%s.", v.RequestedOn, v.DecidedOn, withNote(v.Note)))
	}
}

// explain adds a reason whose text also cites the rule, as HR-D letters show it: "... (HR-CC)."
func explain(r *decision.Reasons, rule, text string) {
	r.Add(rule, strings.TrimSuffix(text, ".")+" ("+rule+").")
}

// need is what the circumstances and medical award qualify for.
type need struct {
	band               string // highest band, "" for none
	preference         bool   // homeless but intentionally so, or a need waiting for the adviser: a reasonable preference with no band of its own
	onlyUnderOccupying bool   // Emergency only because of under-occupying: no time limit (HR-EM)
}

// needFrom finds the highest band any circumstance or medical award that counts in this run qualifies for
// (HR-EM, HR-A, HR-B, HR-M), with a reason for each and for each rejected claim. Emergency excludes the
// intentionally homeless (source 001), who stay homeless, a reasonable preference category, and so join the
// register with reduced priority (HR-R).
func needFrom(f facts, r *decision.Reasons) need {
	var n need
	underOccupyingOnly := true
	consider := func(band string) {
		if n.band == "" || BandRank(band) < BandRank(n.band) {
			n.band = band
		}
	}
	for _, c := range f.circumstances {
		if c.state == rejected {
			explainRejected(r, c)
			continue
		}
		if !f.mode.counts(c.state) {
			continue // outstanding: the council has not checked or decided it yet
		}
		if c.Code.Code == codeHomeless && containsCode(f.reduced, codeIntentionallyHomeless) {
			n.preference = true
			explain(r, "HR-EM", "You are accepted as homeless but were found intentionally homeless, so you are not in the Emergency band; homelessness is still a reasonable preference, so you can join the register with reduced priority.")
			continue
		}
		explainCounted(r, c)
		consider(c.Band)
		if c.Band == BandEmergency && c.Code.Code != codeUnderOccupying {
			underOccupyingOnly = false
		}
	}
	switch severity := severityOf(f.medical); medicalBand(severity) {
	case BandA:
		explain(r, "HR-M", "An independent adviser recommended a severe medical or welfare award: Band A.")
		consider(BandA)
	case BandB:
		explain(r, "HR-M", "An independent adviser recommended a moderate medical or welfare award: Band B.")
		consider(BandB)
	default:
		if f.medical != nil {
			explain(r, "HR-M", "The independent adviser did not recommend medical or welfare priority.")
		}
	}
	if f.medicalPending && f.mode == provisionalMode {
		n.preference = true
		explain(r, "HR-M", "You asked for a medical or welfare need to be assessed: the independent adviser's award decides the band (severe: Band A, moderate: Band B).")
	}
	n.onlyUnderOccupying = n.band == BandEmergency && underOccupyingOnly
	return n
}

// explainCounted says why a circumstance counts: as claimed (provisional), on the evidence, or as decided.
func explainCounted(r *decision.Reasons, c circumstance) {
	switch {
	case c.state == pending && c.Proof == CouncilDecided:
		explain(r, c.Rule, fmt.Sprintf("You told us you are %s: %s if %s decides so.", c.Text, bandLabel(c.Band), c.by))
	case c.state == pending:
		explain(r, c.Rule, fmt.Sprintf("You told us you are %s: %s once the council has checked the evidence.", c.Text, bandLabel(c.Band)))
	case c.Proof == CouncilDecided:
		explain(r, c.Rule, fmt.Sprintf("You are %s, as decided by %s: %s.", c.Text, c.by, bandLabel(c.Band)))
	default:
		explain(r, c.Rule, fmt.Sprintf("You are %s, as the evidence shows: %s.", c.Text, bandLabel(c.Band)))
	}
}

// explainRejected says why a claim does not count, with the officer's note (HR-D).
func explainRejected(r *decision.Reasons, c circumstance) {
	if c.Proof == CouncilDecided {
		explain(r, c.Rule, fmt.Sprintf("%s did not accept that you are %s, so it does not count%s.", capital(c.by), c.Text, withNote(c.note)))
		return
	}
	explain(r, c.Rule, fmt.Sprintf("The council could not verify that you are %s, so it does not count%s.", c.Text, withNote(c.note)))
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

// effectiveDate is the date the current decided band was first awarded, which orders applicants within a band
// (HR-S). It starts when the band first rests on decided facts (the application becomes registered):
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
// no time limit (HR-EM). Once it has passed without a direct offer, the officer is warned to make one.
func emergencyExpiry(d *Decision, n need, c Council, today workdays.Date) {
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
	if today.After(expires) && !directOfferSince(c, *d.EffectiveDate) {
		explain(&d.Warnings, "HR-EM", fmt.Sprintf("The Emergency period ended on %s: make a direct offer.", expires))
	}
}

// directOfferSince: a direct offer was made on or after the day.
func directOfferSince(c Council, day workdays.Date) bool {
	for _, o := range c.Offers {
		if offered, err := workdays.ParseDate(o.OfferedOn); err == nil && o.Direct && !offered.Before(day) {
			return true
		}
	}
	return false
}

// medicalReview dates the HR-M review: an award over 12 months old is reviewed before an offer. An award
// without an assessment date (RecordMedicalAward requires one) keeps its earlier review date.
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
	if medicalReviewOverdue(d, today) {
		explain(&d.Reasons, "HR-M", "Your medical assessment is over 12 months old: it will be reviewed before any offer.")
		explain(&d.Warnings, "HR-M", fmt.Sprintf("The medical award is over 12 months old (review was due %s): review it before any offer.", due))
	}
}

// medicalReviewOverdue: the award is over 12 months old and has not been reviewed (a review records a new award
// with its new assessment date).
func medicalReviewOverdue(d *Decision, today workdays.Date) bool {
	return d.MedicalReviewDue != nil && today.After(*d.MedicalReviewDue)
}
