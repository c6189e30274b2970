// Package register assesses housing register applications (RULES.md HR, source 001): eligibility, the
// needs-based band with its effective date, stars, offerability and the reasons for every part of the decision
// (HR-D). Pure: inputs in, decision with reasons out; no I/O, no clock (callers pass today).
package register

// Band names, highest need first.
const (
	BandEmergency = "emergency"
	BandA         = "A"
	BandB         = "B"
	BandReduced   = "reduced"
)

// Medical and welfare award severities (HR-M): severe places in Band A, moderate in Band B.
const (
	MedicalNone     = "none"
	MedicalModerate = "moderate"
	MedicalSevere   = "severe"
)

// Contract types that count for a working household (HR-W).
var WorkingContracts = []string{"permanent", "temporary", "self-employed"}

// Code is one entry of a code table: the code the form sends, the rule it engages, its plain-language meaning
// (it completes "You are ..." or "... applies"), the band it qualifies for (circumstances only) and whether it
// is about housing debt (unacceptable behaviour only: the HR-U1 exception lifts those).
type Code struct {
	Code string
	Band string
	Rule string
	Text string
	Debt bool
}

// Codes the logic names directly (each is also in its table below).
const (
	codeHomeless              = "homeless-priority-need"
	codeUnderOccupying        = "under-occupying"
	codeIntentionallyHomeless = "intentionally-homeless"
	codeViolenceToStaff       = "violence-to-staff"
	codePlanNotKept           = "plan-not-kept"
)

// Circumstances is the single source of truth for the circumstance codes and their bands (HR-EM, HR-A, HR-B).
var Circumstances = []Code{
	{Code: codeHomeless, Band: BandEmergency, Rule: "HR-EM", Text: "accepted as homeless and in priority need"},
	{Code: "unsuitable-succession", Band: BandEmergency, Rule: "HR-EM", Text: "living in a home you succeeded to that is unsuitable, or sheltered or adapted with no right to it"},
	{Code: "decant", Band: BandEmergency, Rule: "HR-EM", Text: "required to leave within 6 weeks because of a compulsory purchase order or major works (decant)"},
	{Code: codeUnderOccupying, Band: BandEmergency, Rule: "HR-EM", Text: "a council or partner housing association tenant under-occupying your home"},
	{Code: "statutory-overcrowding", Band: BandEmergency, Rule: "HR-EM", Text: "statutorily overcrowded (Housing Act 2004)"},
	{Code: "hospital-discharge", Band: BandEmergency, Rule: "HR-EM", Text: "leaving hospital to a home that is unsuitable and cannot easily be adapted"},
	{Code: "armed-forces-injury", Band: BandEmergency, Rule: "HR-EM", Text: "leaving the armed forces with a serious injury, condition or disability from service"},
	{Code: "emergency-transfer", Band: BandEmergency, Rule: "HR-EM", Text: "moving by emergency landlord transfer"},
	{Code: "urgent-welfare", Band: BandA, Rule: "HR-A", Text: "in urgent need of a move on welfare grounds (a risk to health or well-being, or to give or receive care, reach specialist treatment, or take up work or education)"},
	{Code: "lacks-essential-facilities", Band: BandA, Rule: "HR-A", Text: "permanently without hot water, heating, a kitchen, an internal toilet or a bathroom"},
	{Code: "enforcement-vacate", Band: BandA, Rule: "HR-A", Text: "a private tenant who must leave because of council enforcement action"},
	{Code: "notice-under-8-weeks", Band: BandA, Rule: "HR-A", Text: "in priority need with a possession notice with under 8 weeks to run (the band stays for 6 weeks after the notice ends, then is reviewed)"},
	{Code: "hhsrs-category-1", Band: BandA, Rule: "HR-A", Text: "living with a category 1 hazard confirmed by the council"},
	{Code: "agency-move-on", Band: BandA, Rule: "HR-A", Text: "moving on, by agreement, from partnership agency accommodation"},
	{Code: "adaptations-not-needed", Band: BandA, Rule: "HR-A", Text: "living in a home whose adaptations you no longer need"},
	{Code: "mappa", Band: BandA, Rule: "HR-A", Text: "part of multi-agency public protection arrangements (MAPPA)"},
	{Code: "child-at-risk", Band: BandA, Rule: "HR-A", Text: "in a home that contributes to a serious threat to a child's well-being"},
	{Code: "foster-adopt", Band: BandA, Rule: "HR-A", Text: "an approved foster or adoption carer needing a larger home"},
	{Code: "cannot-find-own", Band: BandA, Rule: "HR-A", Text: "someone who could not be expected to find a home alone"},
	{Code: "mod-bereavement", Band: BandA, Rule: "HR-A", Text: "losing Ministry of Defence accommodation after your service spouse or civil partner died because of their service"},
	{Code: "rent-agriculture-act", Band: BandB, Rule: "HR-B", Text: "owed a duty under the Rent (Agriculture) Act 1976"},
	{Code: "service-tenant-leaving", Band: BandB, Rule: "HR-B", Text: "a council service tenant due to retire or leave the job"},
	{Code: "sharing-facilities", Band: BandB, Rule: "HR-B", Text: "sharing a bathroom or kitchen with a separate household"},
	{Code: "notice-to-quit", Band: BandB, Rule: "HR-B", Text: "not in priority need and have been served a notice to quit"},
	{Code: "hhsrs-category-2", Band: BandB, Rule: "HR-B", Text: "living with a category 2 hazard assessed by the council"},
}

// ReducedPriorityCodes are the HR-R reasons other than debt and refused offers (which come from their own fields).
var ReducedPriorityCodes = []Code{
	{Code: "asb-or-damage", Rule: "HR-R", Text: "anti-social behaviour or damage to council property"},
	{Code: "tenancy-breach", Rule: "HR-R", Text: "a breach of tenancy"},
	{Code: "savings-above-threshold", Rule: "HR-R", Text: "savings or income above the threshold"},
	{Code: "void-standard-fail", Rule: "HR-R", Text: "a current council home that fails the void standard"},
	{Code: codeIntentionallyHomeless, Rule: "HR-R", Text: "found intentionally homeless"},
}

// UnacceptableBehaviourCodes stop offers while they apply (HR-U); violence to staff refuses the register (HR-E3).
var UnacceptableBehaviourCodes = []Code{
	{Code: codeViolenceToStaff, Rule: "HR-E3", Text: "violence or threats towards council staff or contractors"},
	{Code: "nuisance", Rule: "HR-U", Text: "nuisance or annoyance to neighbours or visitors"},
	{Code: "illegal-use-conviction", Rule: "HR-U", Text: "a conviction for using a home for illegal or immoral purposes"},
	{Code: "domestic-abuse-perpetrator", Rule: "HR-U", Text: "violence towards a partner or family, or domestic abuse"},
	{Code: "deception", Rule: "HR-U", Text: "a tenancy obtained by deception or payment"},
	{Code: "fraud", Rule: "HR-U", Text: "housing or welfare benefit fraud"},
	{Code: "property-deterioration", Rule: "HR-U", Text: "letting a property deteriorate significantly"},
	{Code: "serious-offence", Rule: "HR-U", Text: "serious offences in or near the home while still a threat"},
	{Code: codePlanNotKept, Rule: "HR-U", Text: "not keeping to an agreed repayment plan", Debt: true},
}

// DebtExceptionCodes (HR-U1): exceptional circumstances in which an offer may still be made despite housing debt.
var DebtExceptionCodes = []Code{
	{Code: "domestic-violence-victim", Rule: "HR-U1", Text: "a victim of domestic violence"},
	{Code: "hate-crime-victim", Rule: "HR-U1", Text: "a victim of racial harassment or other hate crime"},
	{Code: "urgent-medical", Rule: "HR-U1", Text: "someone with an urgent medical need"},
}

// lookup finds a code in a table.
func lookup(table []Code, code string) (Code, bool) {
	for _, c := range table {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// codeNames lists a table's codes, in table order, for error messages.
func codeNames(table []Code) []string {
	out := make([]string, len(table))
	for i, c := range table {
		out[i] = c.Code
	}
	return out
}

// BandRank orders bands for the priority list, highest need first: emergency 0, A 1, B 2, reduced 3; no band 9.
func BandRank(band string) int {
	switch band {
	case BandEmergency:
		return 0
	case BandA:
		return 1
	case BandB:
		return 2
	case BandReduced:
		return 3
	}
	return 9
}

// medicalBand is the band a medical or welfare award places the applicant in (HR-M); "" for none.
func medicalBand(severity string) string {
	switch severity {
	case MedicalSevere:
		return BandA
	case MedicalModerate:
		return BandB
	}
	return ""
}

// bandLabel names a band in a sentence.
func bandLabel(band string) string {
	switch band {
	case BandEmergency:
		return "the Emergency band"
	case BandReduced:
		return "the reduced priority band"
	}
	return "Band " + band
}
