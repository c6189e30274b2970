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

// Proof says how a circumstance comes to count in the decided band (source 001).
type Proof string

const (
	// SelfDeclared circumstances are the applicant's to claim and prove: an allocations officer checks the
	// evidence and verifies or rejects the claim (Record.VerifyClaim).
	SelfDeclared Proof = "self-declared-with-evidence"
	// CouncilDecided circumstances are a decision of the council or a partner agency (homelessness acceptance,
	// hazards confirmed by the Private Sector Housing Team, MAPPA, ...): the applicant may say they apply, but
	// only the decision, recorded by an officer (Record.RecordCouncilDecision), counts.
	CouncilDecided Proof = "council-decided"
)

// Code is one entry of a code table: the code the form sends, the rule it engages, its plain-language meaning
// (it completes "You are ..." or "... applies"), the band it qualifies for (circumstances only), whether it is
// about housing debt (unacceptable behaviour only: the HR-U1 exception lifts those), and for circumstances how
// it is proved: Proof, with who decides (DecidedBy, council-decided) or what evidence is checked (Evidence,
// self-declared). Home marks claims about the current home (checked again after a move); Household marks claims
// that depend on who lives there (checked again when the household changes).
type Code struct {
	Code      string
	Band      string
	Rule      string
	Text      string
	Debt      bool
	Proof     Proof
	DecidedBy string
	Evidence  string
	Home      bool
	Household bool
}

// Codes the logic names directly (each is also in its table below).
const (
	codeHomeless              = "homeless-priority-need"
	codeUnderOccupying        = "under-occupying"
	codeIntentionallyHomeless = "intentionally-homeless"
	codeViolenceToStaff       = "violence-to-staff"
	codePlanNotKept           = "plan-not-kept"
)

// Who decides the council-decided circumstances (source 001 names the Private Sector Housing Team for hazards
// and the county council for fostering and adoption; the rest are the council's own decisions or procedures).
const (
	byHomelessness = "the council's homelessness service"
	byLandlord     = "the landlord"
	byPSHT         = "the council's Private Sector Housing Team"
	byCouncil      = "the council"
)

// Circumstances is the single source of truth for the circumstance codes, their bands (HR-EM, HR-A, HR-B) and
// how each is proved (source 001).
var Circumstances = []Code{
	{Code: codeHomeless, Band: BandEmergency, Rule: "HR-EM", Text: "eligible, homeless and in priority need (and not intentionally homeless)",
		Proof: CouncilDecided, DecidedBy: byHomelessness},
	{Code: "unsuitable-succession", Band: BandEmergency, Rule: "HR-EM", Text: "living in a home you succeeded to that is unsuitable, or sheltered or adapted with no right to it",
		Proof: CouncilDecided, DecidedBy: byLandlord, Home: true},
	{Code: "decant", Band: BandEmergency, Rule: "HR-EM", Text: "required to leave within 6 weeks because of a compulsory purchase order or major works (decant)",
		Proof: CouncilDecided, DecidedBy: "the council, under its decant procedure", Home: true},
	{Code: codeUnderOccupying, Band: BandEmergency, Rule: "HR-EM", Text: "a council or partner housing association tenant under-occupying your home",
		Proof: SelfDeclared, Evidence: "the tenancy, and the household against the size of the home", Home: true, Household: true},
	{Code: "statutory-overcrowding", Band: BandEmergency, Rule: "HR-EM", Text: "statutorily overcrowded (Housing Act 2004)",
		Proof: SelfDeclared, Evidence: "the household against the rooms and floor space of the home", Home: true, Household: true},
	{Code: "hospital-discharge", Band: BandEmergency, Rule: "HR-EM", Text: "leaving hospital to a home that is unsuitable and cannot easily be adapted",
		Proof: SelfDeclared, Evidence: "a letter from the hospital discharge team or an occupational therapist", Home: true},
	{Code: "armed-forces-injury", Band: BandEmergency, Rule: "HR-EM", Text: "leaving the armed forces with a serious injury, condition or disability from service",
		Proof: SelfDeclared, Evidence: "the discharge papers and the medical evidence of the injury, condition or disability"},
	{Code: "emergency-transfer", Band: BandEmergency, Rule: "HR-EM", Text: "moving by emergency landlord transfer",
		Proof: CouncilDecided, DecidedBy: byLandlord, Home: true},
	{Code: "urgent-welfare", Band: BandA, Rule: "HR-A", Text: "in urgent need of a move on welfare grounds (a risk to health or well-being, or to give or receive care, reach specialist treatment, or take up work or education)",
		Proof: CouncilDecided, DecidedBy: "the council, on a welfare assessment"},
	{Code: "lacks-essential-facilities", Band: BandA, Rule: "HR-A", Text: "permanently without hot water, heating, a kitchen, an internal toilet or a bathroom",
		Proof: SelfDeclared, Evidence: "the landlord's confirmation or an inspection of the home", Home: true},
	{Code: "enforcement-vacate", Band: BandA, Rule: "HR-A", Text: "a private tenant who must leave because of council enforcement action",
		Proof: CouncilDecided, DecidedBy: byPSHT, Home: true},
	{Code: "notice-under-8-weeks", Band: BandA, Rule: "HR-A", Text: "in priority need with a possession notice with under 8 weeks to run (the band stays for 6 weeks after the notice ends, then is reviewed)",
		Proof: CouncilDecided, DecidedBy: byHomelessness, Home: true},
	{Code: "hhsrs-category-1", Band: BandA, Rule: "HR-A", Text: "living with a category 1 hazard (Housing Health and Safety Rating System)",
		Proof: CouncilDecided, DecidedBy: byPSHT, Home: true},
	{Code: "agency-move-on", Band: BandA, Rule: "HR-A", Text: "moving on, by agreement, from partnership agency accommodation",
		Proof: CouncilDecided, DecidedBy: "the council and the partnership agency", Home: true},
	{Code: "adaptations-not-needed", Band: BandA, Rule: "HR-A", Text: "living in a home whose adaptations you no longer need",
		Proof: SelfDeclared, Evidence: "the landlord's record of the adaptations and an occupational therapist's confirmation", Home: true},
	{Code: "mappa", Band: BandA, Rule: "HR-A", Text: "part of multi-agency public protection arrangements (MAPPA)",
		Proof: CouncilDecided, DecidedBy: "the MAPPA agencies"},
	{Code: "child-at-risk", Band: BandA, Rule: "HR-A", Text: "in a home that contributes to a serious threat to a child's well-being",
		Proof: CouncilDecided, DecidedBy: "children's services", Home: true},
	{Code: "foster-adopt", Band: BandA, Rule: "HR-A", Text: "an approved foster or adoption carer, with an agreement with the county council, needing a larger home",
		Proof: CouncilDecided, DecidedBy: "the county council's fostering or adoption service", Home: true, Household: true},
	{Code: "cannot-find-own", Band: BandA, Rule: "HR-A", Text: "someone who could not be expected to find a home alone",
		Proof: CouncilDecided, DecidedBy: "the council, with adult social care"},
	{Code: "mod-bereavement", Band: BandA, Rule: "HR-A", Text: "losing Ministry of Defence accommodation after your service spouse or civil partner died because of their service",
		Proof: SelfDeclared, Evidence: "the Ministry of Defence's notice and the record of the death in service", Home: true},
	{Code: "rent-agriculture-act", Band: BandB, Rule: "HR-B", Text: "owed a duty under the Rent (Agriculture) Act 1976",
		Proof: CouncilDecided, DecidedBy: byCouncil, Home: true},
	{Code: "service-tenant-leaving", Band: BandB, Rule: "HR-B", Text: "a council service tenant due to retire or leave the job",
		Proof: SelfDeclared, Evidence: "the service tenancy and the employer's letter", Home: true},
	{Code: "sharing-facilities", Band: BandB, Rule: "HR-B", Text: "sharing a bathroom or kitchen with a separate household",
		Proof: SelfDeclared, Evidence: "the tenancy or licence (with a visit if needed)", Home: true},
	{Code: "notice-to-quit", Band: BandB, Rule: "HR-B", Text: "not in priority need and have been served a notice to quit",
		Proof: SelfDeclared, Evidence: "the notice to quit", Home: true},
	{Code: "hhsrs-category-2", Band: BandB, Rule: "HR-B", Text: "living with a category 2 hazard (Housing Health and Safety Rating System)",
		Proof: CouncilDecided, DecidedBy: byPSHT, Home: true},
}

// ReducedPriorityCodes are the HR-R reasons other than debt and refused offers (which come from their own
// records). Each is the council's finding, recorded by an officer as a council decision; the applicant cannot set
// one.
var ReducedPriorityCodes = []Code{
	{Code: "asb-or-damage", Rule: "HR-R", Text: "anti-social behaviour or damage to council property", Proof: CouncilDecided, DecidedBy: byCouncil},
	{Code: "tenancy-breach", Rule: "HR-R", Text: "a breach of tenancy", Proof: CouncilDecided, DecidedBy: byCouncil},
	{Code: "savings-above-threshold", Rule: "HR-R", Text: "savings or income above the threshold", Proof: CouncilDecided, DecidedBy: byCouncil},
	{Code: "void-standard-fail", Rule: "HR-R", Text: "a current council home that fails the void standard", Proof: CouncilDecided, DecidedBy: byLandlord},
	{Code: codeIntentionallyHomeless, Rule: "HR-R", Text: "found intentionally homeless", Proof: CouncilDecided, DecidedBy: byHomelessness},
}

// UnacceptableBehaviourCodes stop offers while they apply (HR-U); violence to staff removes from the register
// (HR-E3, Record.Remove). Officers record them with their evidence.
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

// DebtExceptionCodes (HR-U1): exceptional circumstances in which the council may still make an offer despite
// housing debt. Officers record them with their evidence. Source 001 gives the first three as examples ("e.g."),
// not as the whole list, so other exceptional circumstances the council accepts are an exception too.
var DebtExceptionCodes = []Code{
	{Code: "domestic-violence-victim", Rule: "HR-U1", Text: "a victim of domestic violence"},
	{Code: "hate-crime-victim", Rule: "HR-U1", Text: "a victim of racial harassment or other hate crime"},
	{Code: "urgent-medical", Rule: "HR-U1", Text: "someone with an urgent medical need"},
	{Code: "exceptional-circumstances", Rule: "HR-U1", Text: "in other exceptional circumstances the council has accepted"},
}

// Claims an application makes besides its circumstance codes, by the id officers use to verify them
// (ClaimCheck.Claim) and that Outstanding names.
const (
	ClaimSeekingWork           = "seeking-work"           // HR-S: verified with Jobcentre Plus
	ClaimCommunityContribution = "community-contribution" // HR-CC: the volunteering manager's letter
	ClaimWorking               = "working"                // HR-W: payslips, P45/P60, tax returns, bank statements, employer's letter
	ClaimMedical               = "medical"                // HR-M: settled by the independent adviser's award (RecordMedicalAward)
	ClaimHousingDebt           = "housing-debt"           // HR-R, HR-U: settled by the officer's record of the debt (UpdateDebt)
)

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

// CouncilDecisionCodes are the codes an officer records as council decisions (RecordCouncilDecision): the
// council-decided circumstances and the reduced-priority findings.
func CouncilDecisionCodes() []Code {
	var out []Code
	for _, c := range Circumstances {
		if c.Proof == CouncilDecided {
			out = append(out, c)
		}
	}
	return append(out, ReducedPriorityCodes...)
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
