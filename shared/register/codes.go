// Package register assesses housing register applications (RULES.md HR, source 001): eligibility, the
// needs-based band with its effective date, stars, offerability and the reasons for every part of the decision
// (HR-D). Pure: inputs in, decision with reasons out; no I/O, no clock.
package register

// Band names, highest need first.
const (
	BandEmergency = "emergency"
	BandA         = "A"
	BandB         = "B"
	BandReduced   = "reduced"
)

// Circumstance is one code of the form, with the band it qualifies for and its plain-language meaning.
type Circumstance struct {
	Code string
	Band string
	Rule string
	Text string
}

// Circumstances is the single source of truth for the circumstance codes (HR-EM, HR-A, HR-B).
var Circumstances = []Circumstance{
	{"homeless-priority-need", BandEmergency, "HR-EM", "accepted as homeless and in priority need"},
	{"unsuitable-succession", BandEmergency, "HR-EM", "succeeded to an unsuitable, sheltered or adapted home with no right to it"},
	{"decant", BandEmergency, "HR-EM", "must leave within 6 weeks for a compulsory purchase order or major works (decant)"},
	{"under-occupying", BandEmergency, "HR-EM", "a council or partner housing association tenant under-occupying their home"},
	{"statutory-overcrowding", BandEmergency, "HR-EM", "statutorily overcrowded (Housing Act 2004)"},
	{"hospital-discharge", BandEmergency, "HR-EM", "leaving hospital to a home that is unsuitable and cannot be adapted"},
	{"armed-forces-injury", BandEmergency, "HR-EM", "leaving the armed forces with a serious injury, condition or disability from service"},
	{"emergency-transfer", BandEmergency, "HR-EM", "an emergency landlord transfer"},
	{"urgent-welfare", BandA, "HR-A", "an urgent move on welfare grounds"},
	{"lacks-essential-facilities", BandA, "HR-A", "permanently lacking hot water, heating, a kitchen, an internal toilet or a bathroom"},
	{"enforcement-vacate", BandA, "HR-A", "a private tenant who must leave because of council enforcement action"},
	{"notice-under-8-weeks", BandA, "HR-A", "in priority need with a possession notice with under 8 weeks to run"},
	{"hhsrs-category-1", BandA, "HR-A", "a category 1 hazard confirmed by the council"},
	{"agency-move-on", BandA, "HR-A", "an agreed move on from partnership agency accommodation"},
	{"adaptations-not-needed", BandA, "HR-A", "no longer needing the adaptations in the current home"},
	{"mappa", BandA, "HR-A", "part of multi-agency public protection arrangements (MAPPA)"},
	{"child-at-risk", BandA, "HR-A", "a serious threat to a child's well-being to which the home contributes"},
	{"foster-adopt", BandA, "HR-A", "an approved foster or adoption carer needing a larger home"},
	{"cannot-find-own", BandA, "HR-A", "someone who could not be expected to find a home alone"},
	{"mod-bereavement", BandA, "HR-A", "losing Ministry of Defence accommodation after a service spouse or partner died because of service"},
	{"rent-agriculture-act", BandB, "HR-B", "owed a duty under the Rent (Agriculture) Act 1976, or a council service tenant retiring or leaving the job"},
	{"service-tenant-leaving", BandB, "HR-B", "a council service tenant retiring or leaving the job"},
	{"sharing-facilities", BandB, "HR-B", "sharing a bathroom or kitchen with a separate household"},
	{"notice-to-quit", BandB, "HR-B", "not in priority need and served a notice to quit"},
	{"hhsrs-category-2", BandB, "HR-B", "a category 2 hazard assessed by the council"},
}

// ReducedPriorityCodes (HR-R), with their meaning.
var ReducedPriorityCodes = map[string]string{
	"asb-or-damage":           "anti-social behaviour or damage to council property",
	"tenancy-breach":          "a breach of tenancy",
	"savings-above-threshold": "savings or income above the threshold",
	"void-standard-fail":      "a council home that fails the void standard",
	"intentionally-homeless":  "found intentionally homeless",
}

// UnacceptableCodes (HR-U, HR-E3), with their meaning.
var UnacceptableCodes = map[string]string{
	"violence-to-staff":          "violence or threats towards council staff or contractors",
	"nuisance":                   "nuisance or annoyance to neighbours",
	"illegal-use-conviction":     "a conviction for using a home for illegal or immoral purposes",
	"domestic-abuse-perpetrator": "being a perpetrator of domestic abuse",
	"deception":                  "obtaining a tenancy by deception or payment",
	"fraud":                      "housing or benefit fraud",
	"property-deterioration":     "letting a property deteriorate",
	"serious-offence":            "serious offences in or near the home while still a threat",
	"plan-not-kept":              "not keeping an agreed repayment plan",
}

// DebtExceptionCodes (HR-U1): offers may still be made despite housing debt.
var DebtExceptionCodes = map[string]string{
	"domestic-violence-victim": "a victim of domestic violence",
	"hate-crime-victim":        "a victim of racial harassment or other hate crime",
	"urgent-medical":           "an urgent medical need",
}

// circumstance finds a code.
func circumstance(code string) (Circumstance, bool) {
	for _, c := range Circumstances {
		if c.Code == code {
			return c, true
		}
	}
	return Circumstance{}, false
}

// bandRank orders bands, highest need first (0); no band ranks last.
func bandRank(band string) int {
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
