package register

import (
	"fmt"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// The allocations officers' changes to an application. Each transition validates its input as of the London day
// of `at` and lists every field problem (400, fields named by their JSON names) before changing anything; a
// change the application's state forbids is a 409 citing the rule. Then it applies the change to the council's
// record, re-assesses (keeping the band's effective date) and returns the timeline event: who, when, what
// changed, the old and new status, band, stars and offerability, and the new decision's reasons (HR-D). A
// refused change leaves the record exactly as it was. No clock, no I/O. A closed or removed application changes
// no more (409).

// Bounds on the money an officer records (HR-U): far above any real debt or rent, low enough that every sum the
// rules do (pence, 2 weeks' rent) is exact.
const (
	MaxHousingDebt = 1_000_000 // pounds
	MaxWeeklyRent  = 10_000    // pounds a week
)

const (
	msgRealDate = "must be a real date in the form YYYY-MM-DD"
	msgFuture   = "cannot be in the future"
)

// plausibleDate reads a date an officer gives: a real YYYY-MM-DD date within the years the "date" tag allows the
// forms residents send (validate.FirstYear to validate.LastYear), or the problem with it. A date in year 1 would
// otherwise be "not in the future", and a review or deadline computed from it centuries overdue.
func plausibleDate(s string) (workdays.Date, string) {
	d, err := workdays.ParseDate(s)
	switch {
	case err != nil:
		return d, msgRealDate
	case d.Year < validate.FirstYear || d.Year > validate.LastYear:
		return d, fmt.Sprintf("must be between %d and %d", validate.FirstYear, validate.LastYear)
	}
	return d, ""
}

// ---- Claims: verify or reject (HR-S, HR-CC, HR-W, and the self-declared circumstances of HR-EM, HR-A, HR-B) ----

// ClaimCheck is an officer's check of one self-declared claim (POST .../claims): the claim (a self-declared
// circumstance code the application claims, or seeking-work, community-contribution, working), whether the
// evidence verifies it, and a note saying what was checked. The note of a rejected circumstance is shown to the
// applicant with the decision (HR-D).
type ClaimCheck struct {
	Claim    string `json:"claim" validate:"required,max=50"`
	Verified *bool  `json:"verified" validate:"required"`
	Note     string `json:"note" validate:"required,max=2000"`
}

// Validate lists every problem with a check of this application's claims.
func (in ClaimCheck) Validate(a Application) error {
	f := validate.Struct(in)
	if in.Claim != "" && len(in.Claim) <= 50 {
		if _, problem := verifiable(a, in.Claim); problem != "" {
			f.Add("claim", "%s", problem)
		}
	}
	return f.Err()
}

// verifiable is the rule of a claim an officer verifies against evidence, or why it is not one.
func verifiable(a Application, claim string) (rule, problem string) {
	switch claim {
	case ClaimSeekingWork:
		if a.SeekingWork {
			return "HR-S", ""
		}
	case ClaimCommunityContribution:
		if a.CommunityContribution != nil {
			return "HR-CC", ""
		}
	case ClaimWorking:
		if a.Working != nil {
			return "HR-W", ""
		}
	case ClaimMedical:
		return "", "is settled by the independent adviser's award: record the medical award instead (HR-M)"
	case ClaimHousingDebt:
		return "", "is settled by the council's record of the debt: record the debt instead (HR-U)"
	default:
		c, known := lookup(Circumstances, claim)
		switch {
		case !known:
			return "", fmt.Sprintf("%q is not a claim: use one of %s", apperr.Quote(claim), strings.Join(verifiableClaims(a), ", "))
		case c.Proof == CouncilDecided:
			return "", fmt.Sprintf("is decided by %s, not verified against evidence: record the council's decision instead (%s)", c.DecidedBy, c.Rule)
		case containsCode(a.Circumstances, claim):
			return c.Rule, ""
		}
	}
	return "", fmt.Sprintf("%q is not claimed in this application: use one of %s", apperr.Quote(claim), strings.Join(verifiableClaims(a), ", "))
}

// verifiableClaims are the claims of an application an officer verifies against evidence.
func verifiableClaims(a Application) []string {
	var out []string
	for _, code := range a.Circumstances {
		if c, ok := lookup(Circumstances, code); ok && c.Proof == SelfDeclared {
			out = append(out, code)
		}
	}
	if a.SeekingWork {
		out = append(out, ClaimSeekingWork)
	}
	if a.CommunityContribution != nil {
		out = append(out, ClaimCommunityContribution)
	}
	if a.Working != nil {
		out = append(out, ClaimWorking)
	}
	if len(out) == 0 {
		return []string{"(none: this application makes no claim to verify)"}
	}
	return out
}

// VerifyClaim records an officer's check of a self-declared claim: verified, it counts in the decided band or
// stars; rejected, it does not count at all (HR-S, HR-CC, HR-W, HR-EM, HR-A, HR-B). A later check of the same
// claim replaces it.
func (r *Record) VerifyClaim(in ClaimCheck, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := in.Validate(r.Application); err != nil {
		return casefile.Event{}, err
	}
	rule, _ := verifiable(r.Application, in.Claim)
	check := ClaimCheckRecord{Claim: in.Claim, Verified: *in.Verified, Note: strings.TrimSpace(in.Note), CheckedOn: today, By: by}
	r.Council.Checks = replaceOrAppend(r.Council.Checks, check, func(x ClaimCheckRecord) bool { return x.Claim == in.Claim })
	return r.reassess(today, by, at, "claim-checked", map[string]any{"claim": in.Claim, "verified": check.Verified, "note": check.Note, "rule": rule}), nil
}

// ---- Council decisions (HR-EM, HR-A, HR-B, HR-R) ----

// CouncilDecision is a decision of the council or a partner agency, recorded by an officer (POST .../decisions):
// a council-decided circumstance (homelessness acceptance and priority need, decant, emergency landlord transfer,
// HHSRS category 1 or 2 hazard confirmed by the Private Sector Housing Team, MAPPA, child at risk, foster or
// adoption agreement, ...) or a reduced-priority finding (intentionally homeless, anti-social behaviour, ...),
// whether it applies, the day it was decided, who decided it (the code's decider when left out), and a note.
// The note of a decision that a claimed circumstance does not apply is shown to the applicant (HR-D).
type CouncilDecision struct {
	Decision  string `json:"decision" validate:"required,max=50"`
	Applies   *bool  `json:"applies" validate:"required"`
	DecidedOn string `json:"decidedOn" validate:"required,date"`
	DecidedBy string `json:"decidedBy,omitempty" validate:"omitempty,max=200"`
	Note      string `json:"note" validate:"required,max=2000"`
}

// Validate lists every problem with a council decision as of today.
func (in CouncilDecision) Validate(today workdays.Date) error {
	f := validate.Struct(in)
	if in.Decision != "" && len(in.Decision) <= 50 {
		if _, ok := lookup(CouncilDecisionCodes(), in.Decision); !ok {
			if c, self := lookup(Circumstances, in.Decision); self {
				f.Add("decision", "is checked against the applicant's evidence, not decided by the council: verify the claim instead (%s)", c.Rule)
			} else {
				f.Add("decision", "%q is not a council decision: use one of %s", apperr.Quote(in.Decision), strings.Join(codeNames(CouncilDecisionCodes()), ", "))
			}
		}
	}
	pastDate(&f, "decidedOn", in.DecidedOn, today)
	return f.Err()
}

// RecordCouncilDecision records a council decision; a later decision on the same code replaces it. A decided
// circumstance counts in the decided band whether or not the applicant claimed it; one decided not to apply does
// not count at all; a reduced-priority finding that applies reduces priority (HR-R), and intentional homelessness
// also keeps a homeless applicant out of the Emergency band (HR-EM).
func (r *Record) RecordCouncilDecision(in CouncilDecision, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := in.Validate(today); err != nil {
		return casefile.Event{}, err
	}
	code, _ := lookup(CouncilDecisionCodes(), in.Decision)
	decidedBy := strings.TrimSpace(in.DecidedBy)
	if decidedBy == "" {
		decidedBy = code.DecidedBy
	}
	rec := CouncilDecisionRecord{Decision: in.Decision, Applies: *in.Applies, DecidedOn: in.DecidedOn, DecidedBy: decidedBy,
		Note: strings.TrimSpace(in.Note), RecordedOn: today, By: by}
	r.Council.Decisions = replaceOrAppend(r.Council.Decisions, rec, func(x CouncilDecisionRecord) bool { return x.Decision == in.Decision })
	return r.reassess(today, by, at, "council-decision-recorded", map[string]any{"decision": in.Decision, "applies": rec.Applies,
		"decidedOn": rec.DecidedOn, "decidedBy": rec.DecidedBy, "note": rec.Note, "rule": code.Rule}), nil
}

// ---- Medical and welfare award (HR-M) ----

// MedicalAward is the independent adviser's recommendation (HR-M, POST .../medical-award): severe (Band A),
// moderate (Band B) or none; on medical or welfare grounds; the date of the assessment (required for moderate and
// severe: the award is reviewed before an offer once it is 12 months old; a review is a new award with its new
// date); and the type of property the adviser recommends, where they do. Only officers record it.
type MedicalAward struct {
	Severity                string `json:"severity" dynamodbav:"severity" validate:"required,oneof=none moderate severe"`
	Grounds                 string `json:"grounds" dynamodbav:"grounds" validate:"required,oneof=medical welfare"`
	AssessedOn              string `json:"assessedOn,omitempty" dynamodbav:"assessedOn,omitempty"`
	RecommendedPropertyType string `json:"recommendedPropertyType,omitempty" dynamodbav:"recommendedPropertyType,omitempty" validate:"omitempty,max=200"`
}

// Validate lists every problem with a medical award as of today (HR-M): a known severity and grounds, and for a
// moderate or severe award the assessment date, a real date within validate's years and not in the future. A
// date given with "none" must be a real one too.
func (m MedicalAward) Validate(today workdays.Date) error {
	f := validate.Struct(m)
	if m.Severity != MedicalNone || m.AssessedOn != "" {
		if medicalBand(m.Severity) != "" && m.AssessedOn == "" {
			f.Add("assessedOn", "is required when the severity is moderate or severe (HR-M: the award is reviewed once it is 12 months old)")
		} else if d, problem := plausibleDate(m.AssessedOn); problem != "" {
			f.Add("assessedOn", "%s", problem)
		} else if d.After(today) {
			f.Add("assessedOn", msgFuture)
		}
	}
	return f.Err()
}

// RecordMedicalAward records the independent adviser's award (HR-M): severe is Band A, moderate Band B, none no
// medical priority. It settles every medical or welfare need the applicant has told us about so far.
func (r *Record) RecordMedicalAward(in MedicalAward, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := in.Validate(today); err != nil {
		return casefile.Event{}, err
	}
	award := in
	award.RecommendedPropertyType = strings.TrimSpace(award.RecommendedPropertyType)
	r.Council.MedicalAward, r.Council.MedicalNeedsAssessed = &award, len(r.Application.MedicalNeeds)
	return r.reassess(today, by, at, "medical-award-recorded", map[string]any{"severity": in.Severity, "grounds": in.Grounds,
		"assessedOn": in.AssessedOn, "recommendedPropertyType": award.RecommendedPropertyType, "rule": "HR-M"}), nil
}

// ---- Housing debt (HR-R, HR-R1, HR-U) ----

// Validate lists every problem with a housing debt as of today (HR-U): an amount from 0 to MaxHousingDebt, a
// weekly rent up to MaxWeeklyRent and more than 0 when there is a debt (it sets the 2 weeks' rent threshold),
// both finite, and the end of the tenancy a real date (within validate's years) not in the future.
func (d HousingDebt) Validate(today workdays.Date) error {
	var f apperr.Fields
	if d.Amount > MaxHousingDebt*100 {
		f.Add("amount", "must be at most %d", MaxHousingDebt)
	}
	switch {
	case d.Amount > 0 && d.WeeklyRent == 0:
		f.Add("weeklyRent", "must be more than 0 when there is a debt")
	case d.WeeklyRent > MaxWeeklyRent*100:
		f.Add("weeklyRent", "must be at most %d", MaxWeeklyRent)
	}
	if d.TenancyEndedOn != "" {
		if ended, problem := plausibleDate(d.TenancyEndedOn); problem == msgRealDate || problem == "" && ended.After(today) {
			f.Add("tenancyEndedOn", "must be a real date, not in the future")
		} else if problem != "" {
			f.Add("tenancyEndedOn", "%s", problem)
		}
	}
	return f.Err()
}

// UpdateDebt records the housing debt and repayment plan as the council has confirmed them (HR-R, HR-R1, HR-U):
// it replaces the debt the applicant declared, and the last one recorded.
func (r *Record) UpdateDebt(in HousingDebt, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := in.Validate(today); err != nil {
		return casefile.Event{}, err
	}
	debt := in
	r.Council.HousingDebt = &debt
	what := map[string]any{"amount": in.Amount, "weeklyRent": in.WeeklyRent, "repaymentPlan": in.RepaymentPlan, "rule": "HR-U"}
	if in.TenancyEndedOn != "" {
		what["tenancyEndedOn"] = in.TenancyEndedOn
	}
	return r.reassess(today, by, at, "debt-updated", what), nil
}

// ---- Unacceptable behaviour (HR-U) and debt exceptions (HR-U1) ----

// Finding is an officer's finding with its evidence (POST .../unacceptable-behaviour with an HR-U code, POST
// .../debt-exceptions with an HR-U1 code): whether it applies (false lifts an earlier finding) and the evidence.
type Finding struct {
	Code     string `json:"code" validate:"required,max=50"`
	Applies  *bool  `json:"applies" validate:"required"`
	Evidence string `json:"evidence" validate:"required,max=2000"`
}

// validateIn lists every problem with a finding whose code must come from table.
func (in Finding) validateIn(table []Code) error {
	f := validate.Struct(in)
	if in.Code != "" && len(in.Code) <= 50 {
		if in.Code == codeViolenceToStaff {
			f.Add("code", "violence or threats towards staff or contractors remove the application at once: record the removal instead (HR-E3)")
		} else if _, ok := lookup(table, in.Code); !ok {
			var names []string
			for _, c := range table {
				if c.Code != codeViolenceToStaff {
					names = append(names, c.Code)
				}
			}
			f.Add("code", "%q is not a known code: use one of %s", apperr.Quote(in.Code), strings.Join(names, ", "))
		}
	}
	return f.Err()
}

// RecordBehaviour records unacceptable behaviour (HR-U) with its evidence: while it applies no offer can be made.
func (r *Record) RecordBehaviour(in Finding, by casefile.Actor, at time.Time) (casefile.Event, error) {
	return r.recordFinding(in, by, at, UnacceptableBehaviourCodes, &r.Council.UnacceptableBehaviour, "behaviour-recorded", "HR-U")
}

// RecordDebtException records an HR-U1 exception with its evidence (a victim of domestic violence, racial
// harassment or other hate crime, or urgent medical need): the council may then make an offer despite debt.
func (r *Record) RecordDebtException(in Finding, by casefile.Actor, at time.Time) (casefile.Event, error) {
	return r.recordFinding(in, by, at, DebtExceptionCodes, &r.Council.DebtExceptions, "debt-exception-recorded", "HR-U1")
}

func (r *Record) recordFinding(in Finding, by casefile.Actor, at time.Time, table []Code, list *[]FindingRecord, action, rule string) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := in.validateIn(table); err != nil {
		return casefile.Event{}, err
	}
	rec := FindingRecord{Code: in.Code, Applies: *in.Applies, Evidence: strings.TrimSpace(in.Evidence), RecordedOn: today, By: by}
	*list = replaceOrAppend(*list, rec, func(x FindingRecord) bool { return x.Code == in.Code })
	return r.reassess(today, by, at, action, map[string]any{"code": in.Code, "applies": rec.Applies, "evidence": rec.Evidence, "rule": rule}), nil
}

// ---- Removal (HR-E3) and closure ----

// Removal is the HR-E3 removal (POST .../removal): the day of the violence or threats towards council staff or
// contractors, and the evidence.
type Removal struct {
	IncidentOn string `json:"incidentOn" validate:"required,date"`
	Evidence   string `json:"evidence" validate:"required,max=2000"`
}

// Remove takes the applicant off the register at once (HR-E3): the application is closed as removed and changes
// no more.
func (r *Record) Remove(in Removal, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	f := validate.Struct(in)
	pastDate(&f, "incidentOn", in.IncidentOn, today)
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	r.Council.Closure = &Closure{Reason: ClosedRemoved, Rule: "HR-E3", Note: strings.TrimSpace(in.Evidence), IncidentOn: in.IncidentOn, ClosedOn: today}
	return r.reassess(today, by, at, "removed", map[string]any{"incidentOn": in.IncidentOn, "evidence": r.Council.Closure.Note, "rule": "HR-E3"}), nil
}

// Closing closes an application (POST .../closure): withdrawn (by the applicant), housed (with the property) or
// no longer eligible (naming the rule: HR-E1, age or immigration status, or HR-E2, no housing need), with a note
// that is shown to the applicant (HR-D).
type Closing struct {
	Reason   string `json:"reason" validate:"required,oneof=withdrawn housed no-longer-eligible"`
	Rule     string `json:"rule,omitempty" validate:"omitempty,oneof=HR-E1 HR-E2"`
	Note     string `json:"note" validate:"required,max=2000"`
	Property string `json:"property,omitempty" validate:"omitempty,max=200"`
}

// Validate lists every problem with a closure: a rule exactly for no longer eligible, a property exactly when
// housed.
func (in Closing) Validate() error {
	f := validate.Struct(in)
	switch {
	case in.Reason == ClosedNoLongerEligible && in.Rule == "":
		f.Add("rule", "is required when the reason is no-longer-eligible: HR-E1 (age or immigration status) or HR-E2 (no housing need)")
	case in.Reason != ClosedNoLongerEligible && in.Rule != "":
		f.Add("rule", "must be left out unless the reason is no-longer-eligible")
	}
	switch {
	case in.Reason == ClosedHoused && strings.TrimSpace(in.Property) == "":
		f.Add("property", "is required when the reason is housed")
	case in.Reason != ClosedHoused && in.Property != "":
		f.Add("property", "must be left out unless the reason is housed")
	}
	return f.Err()
}

// Close closes an application with its reason; it then changes no more.
func (r *Record) Close(in Closing, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := in.Validate(); err != nil {
		return casefile.Event{}, err
	}
	rule := in.Rule
	if rule == "" {
		rule = "HR-D"
	}
	r.Council.Closure = &Closure{Reason: in.Reason, Rule: rule, Note: strings.TrimSpace(in.Note), Property: strings.TrimSpace(in.Property), ClosedOn: today}
	what := map[string]any{"reason": in.Reason, "note": r.Council.Closure.Note, "rule": rule}
	if in.Property != "" {
		what["property"] = r.Council.Closure.Property
	}
	return r.reassess(today, by, at, "closed", what), nil
}

// ---- Assignment ----

// Assignment gives the application to an allocations officer (POST .../assignment), by their stable id (the
// JWT sub) and display name. The caller checks that they are an allocations officer.
type Assignment struct {
	OfficerID   string `json:"officerId" validate:"required,max=200"`
	OfficerName string `json:"officerName" validate:"required,max=200"`
}

// Assign gives the application to an officer: the officer's deadlines are theirs from then on.
func (r *Record) Assign(in Assignment, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := validate.Struct(in).Err(); err != nil {
		return casefile.Event{}, err
	}
	previous := ""
	if r.Council.Officer != nil {
		previous = r.Council.Officer.ID
	}
	r.Council.Officer = &casefile.Actor{ID: strings.TrimSpace(in.OfficerID), Name: strings.TrimSpace(in.OfficerName)}
	return r.reassess(today, by, at, "assigned", map[string]any{"oldOfficerId": previous, "newOfficerId": r.Council.Officer.ID,
		"officerName": r.Council.Officer.Name, "rule": "HR-D"}), nil
}
