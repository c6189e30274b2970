package register

import (
	"strings"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// The assessment runs twice over the same rules: once over the claims as made (provisional: every claim counts
// unless the council has rejected it) and once over decided facts only (decided: a claim counts once an officer
// has verified its evidence or recorded the council's decision). facts is what one run sees.

type mode int

const (
	decidedMode mode = iota
	provisionalMode
)

// claimState is where a claim stands with the council.
type claimState int

const (
	pending   claimState = iota // not checked or decided yet
	confirmed                   // verified, or decided to apply
	rejected                    // not verified, or decided not to apply
)

// counts says whether a claim in this state counts in this run.
func (m mode) counts(s claimState) bool {
	return s == confirmed || (m == provisionalMode && s == pending)
}

// circumstance is a claimed or decided circumstance as the assessment sees it.
type circumstance struct {
	Code
	state claimState
	note  string // the officer's note, shown with a rejection (HR-D)
	by    string // who decided (council-decided), as recorded
}

type facts struct {
	mode                  mode
	age                   int
	immigration           bool
	circumstances         []circumstance
	medical               *MedicalAward // the adviser's award (both runs)
	medicalPending        bool          // a medical or welfare need was asked to be assessed and has no award yet
	reduced               []string      // HR-R findings that apply
	reducedOn             map[string]workdays.Date
	debt                  *HousingDebt // the council's record of the debt, else the declared one
	debtConfirmed         bool         // debt is the council's record
	refusals              []string     // days of refusals that count towards HR-R
	lifted                map[string]workdays.Date
	behaviour             []string // HR-U findings that apply
	exceptions            []string // HR-U1 findings that apply
	seekingWork           claimState
	seekingWorkClaimed    bool
	communityContribution *CommunityContribution
	ccState               claimState
	working               *Working
	workingState          claimState
}

// factsOf is what one run of the assessment sees of the application and the council's record.
func factsOf(a Application, c Council, m mode) facts {
	f := facts{mode: m, age: a.Age, immigration: a.EligibleImmigrationStatus, medical: c.MedicalAward,
		medicalPending: len(a.MedicalNeeds) > c.MedicalNeedsAssessed, lifted: c.liftedCauses(), reducedOn: map[string]workdays.Date{}}
	claimed := map[string]bool{}
	for _, code := range a.Circumstances {
		known, ok := lookup(Circumstances, code)
		if !ok || claimed[code] {
			continue // Validate reports unknown and repeated codes
		}
		claimed[code] = true
		f.circumstances = append(f.circumstances, circumstanceOf(known, c))
	}
	for _, dec := range c.Decisions { // the council may decide a circumstance nobody claimed (e.g. a decant)
		if known, ok := lookup(Circumstances, dec.Decision); ok && !claimed[dec.Decision] && dec.Applies {
			f.circumstances = append(f.circumstances, circumstanceOf(known, c))
		}
		if _, ok := lookup(ReducedPriorityCodes, dec.Decision); ok && dec.Applies {
			f.reduced = append(f.reduced, dec.Decision)
			f.reducedOn[dec.Decision] = dec.RecordedOn
		}
	}
	f.debt, f.debtConfirmed = a.HousingDebt, false
	if c.HousingDebt != nil {
		f.debt, f.debtConfirmed = c.HousingDebt, true
	}
	f.refusals = c.refusalDates()
	f.behaviour = applying(c.UnacceptableBehaviour)
	f.exceptions = applying(c.DebtExceptions)
	f.seekingWorkClaimed, f.seekingWork = a.SeekingWork, checkState(c, ClaimSeekingWork)
	f.communityContribution, f.ccState = a.CommunityContribution, checkState(c, ClaimCommunityContribution)
	f.working, f.workingState = a.Working, checkState(c, ClaimWorking)
	return f
}

func circumstanceOf(code Code, c Council) circumstance {
	out := circumstance{Code: code}
	switch code.Proof {
	case CouncilDecided:
		if dec, ok := c.decision(code.Code); ok {
			out.state, out.note, out.by = rejected, dec.Note, dec.DecidedBy
			if dec.Applies {
				out.state = confirmed
			}
		}
	default:
		out.state = checkState(c, code.Code)
		if chk, ok := c.check(code.Code); ok {
			out.note = chk.Note
		}
	}
	if out.by == "" {
		out.by = code.DecidedBy
	}
	return out
}

func checkState(c Council, claim string) claimState {
	chk, ok := c.check(claim)
	switch {
	case !ok:
		return pending
	case chk.Verified:
		return confirmed
	default:
		return rejected
	}
}

// withNote appends an officer's note to a sentence: "..., so it does not count: the tenancy shows ...".
func withNote(note string) string {
	note = strings.TrimSpace(note)
	if note == "" {
		return ""
	}
	return ": " + strings.TrimSuffix(note, ".")
}

// capital starts a sentence with a capital letter.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
