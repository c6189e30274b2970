package register

import (
	"slices"

	"github.com/councilhousing/backend/shared/rules/decision"
)

// Eligibility is the pre-screen's answer: may the applicant open the full form, why, and what to do next.
type Eligibility struct {
	Eligible bool             `json:"eligible"`
	Reasons  decision.Reasons `json:"reasons"`
	Advice   string           `json:"advice"`
}

// Advice texts (the contact centre number is the one source 001 gives).
const (
	adviceApply      = "You can now fill in the full application form."
	adviceNoNeed     = "You cannot join the housing register without a housing need. Call 0300 330 7003 for housing advice, including help if you are homeless or at risk of homelessness."
	adviceIneligible = "You cannot join the housing register. Call 0300 330 7003 for housing advice, including help if you are homeless or at risk of homelessness."
)

// PreScreen decides whether the applicant may open the full form (HR-E1, HR-E2, HR-E3), with reasons. The
// answers are claims, explained as such: the full application is assessed provisionally until the council has
// checked or decided them.
func PreScreen(e EligibilityCheck) Eligibility {
	var r decision.Reasons
	age := 0 // a missing age fails HR-E1 (Validate reports it)
	if e.Age != nil {
		age = *e.Age
	}
	if !basicEligibility(age, e.EligibleImmigrationStatus != nil && *e.EligibleImmigrationStatus, e.UnacceptableBehaviour, &r) {
		return Eligibility{Reasons: r, Advice: adviceIneligible}
	}
	// the pre-screen's answers are claims: what they would give once checked or decided
	f := factsOf(Application{Circumstances: e.Circumstances}, Council{}, provisionalMode)
	f.medicalPending = e.MedicalOrWelfareNeed
	need := needFrom(f, &r)
	if need.band == "" && !need.preference {
		explain(&r, "HR-E2", "You have no housing need and no reasonable preference category, so you cannot join the register, even if you are seeking work or making a community contribution.")
		return Eligibility{Reasons: r, Advice: adviceNoNeed}
	}
	unacceptable(e.UnacceptableBehaviour, &r) // may join, but no offer while it applies
	return Eligibility{Eligible: true, Reasons: r, Advice: adviceApply}
}

// basicEligibility applies HR-E1 (16 or over, eligible immigration status) and HR-E3 (violence to staff),
// adding a reason for each; every failure is listed, not just the first.
func basicEligibility(age int, immigrationStatus bool, behaviour []string, r *decision.Reasons) bool {
	ok := true
	if age < 16 {
		ok = false
		explain(r, "HR-E1", "Applicants must be 16 or over.")
	}
	if !immigrationStatus {
		ok = false
		explain(r, "HR-E1", "Applicants must be eligible for social housing because of their immigration status.")
	}
	if slices.Contains(behaviour, codeViolenceToStaff) {
		ok = false
		explain(r, "HR-E3", "Anyone who uses or threatens violence towards council staff or contractors is refused the register, or removed from it, at once.")
	}
	if ok {
		explain(r, "HR-E1", "You are 16 or over and eligible for social housing.")
	}
	return ok
}

// unacceptable tells a pre-screened applicant that behaviour other than violence to staff does not stop them
// joining, but does stop offers while it applies (HR-U).
func unacceptable(behaviour []string, r *decision.Reasons) {
	for _, code := range behaviour {
		if c, ok := lookup(UnacceptableBehaviourCodes, code); ok && c.Rule == "HR-U" {
			explain(r, "HR-U", "You can join the register, but no offer can be made while this applies: "+c.Text+".")
		}
	}
}
