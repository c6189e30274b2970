package register

import (
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Council is what the council has checked, decided and recorded about an application. Only the officers'
// transitions (transitions.go) change it; nothing the public sends reaches it. Each list keeps the latest entry
// per claim or code (the timeline keeps every one, with who and when).
type Council struct {
	// Checks are officers' verifications of self-declared claims (VerifyClaim).
	Checks []ClaimCheckRecord `json:"checks,omitempty" dynamodbav:"checks,omitempty"`
	// Decisions are council decisions on council-decided circumstances and reduced-priority findings
	// (RecordCouncilDecision).
	Decisions []CouncilDecisionRecord `json:"decisions,omitempty" dynamodbav:"decisions,omitempty"`
	// MedicalAward is the independent adviser's award (HR-M, RecordMedicalAward).
	MedicalAward *MedicalAward `json:"medicalAward,omitempty" dynamodbav:"medicalAward,omitempty"`
	// HousingDebt is the debt as the council confirmed it (UpdateDebt); it replaces the declared one.
	HousingDebt *HousingDebt `json:"housingDebt,omitempty" dynamodbav:"housingDebt,omitempty"`
	// UnacceptableBehaviour are HR-U findings with their evidence (RecordBehaviour).
	UnacceptableBehaviour []FindingRecord `json:"unacceptableBehaviour,omitempty" dynamodbav:"unacceptableBehaviour,omitempty"`
	// DebtExceptions are HR-U1 findings with their evidence (RecordDebtException).
	DebtExceptions []FindingRecord `json:"debtExceptions,omitempty" dynamodbav:"debtExceptions,omitempty"`
	// Offers are the offers made, numbered from 1 (RecordOffer, RecordStatutoryReview).
	Offers []OfferRecord `json:"offers,omitempty" dynamodbav:"offers,omitempty"`
	// Reviews are the applicant's requests for a review of reduced priority, numbered from 1 (RequestReview,
	// DecideReview).
	Reviews []ReviewRecord `json:"reviews,omitempty" dynamodbav:"reviews,omitempty"`
	// Officer is the allocations officer the application is assigned to (Assign); nil: the team.
	Officer *casefile.Actor `json:"officer,omitempty" dynamodbav:"officer,omitempty"`
	// Closure is set when the application is closed or removed (Close, Remove); it then changes no more.
	Closure *Closure `json:"closure,omitempty" dynamodbav:"closure,omitempty"`
	// MedicalNeedsAssessed is how many of the applicant's medical or welfare needs the adviser's latest award
	// took into account: a need told us about since is waiting for the adviser again.
	MedicalNeedsAssessed int `json:"medicalNeedsAssessed,omitempty" dynamodbav:"medicalNeedsAssessed,omitempty"`
}

// ClaimCheckRecord is an officer's check of a self-declared claim: verified or not, with the note that says why.
type ClaimCheckRecord struct {
	Claim     string         `json:"claim" dynamodbav:"claim"`
	Verified  bool           `json:"verified" dynamodbav:"verified"`
	Note      string         `json:"note" dynamodbav:"note"`
	CheckedOn workdays.Date  `json:"checkedOn" dynamodbav:"checkedOn"`
	By        casefile.Actor `json:"by" dynamodbav:"by"`
}

// CouncilDecisionRecord is a council decision as recorded: whether the circumstance or finding applies, when and
// by whom it was decided, and the note that says why.
type CouncilDecisionRecord struct {
	Decision   string         `json:"decision" dynamodbav:"decision"`
	Applies    bool           `json:"applies" dynamodbav:"applies"`
	DecidedOn  string         `json:"decidedOn" dynamodbav:"decidedOn"`
	DecidedBy  string         `json:"decidedBy" dynamodbav:"decidedBy"`
	Note       string         `json:"note" dynamodbav:"note"`
	RecordedOn workdays.Date  `json:"recordedOn" dynamodbav:"recordedOn"`
	By         casefile.Actor `json:"by" dynamodbav:"by"`
}

// FindingRecord is an HR-U or HR-U1 finding as recorded, with its evidence.
type FindingRecord struct {
	Code       string         `json:"code" dynamodbav:"code"`
	Applies    bool           `json:"applies" dynamodbav:"applies"`
	Evidence   string         `json:"evidence" dynamodbav:"evidence"`
	RecordedOn workdays.Date  `json:"recordedOn" dynamodbav:"recordedOn"`
	By         casefile.Actor `json:"by" dynamodbav:"by"`
}

// OfferRecord is an offer as recorded. Reasonable is the officer's view (reasonable unless said otherwise); a
// statutory review that finds a refused direct offer unsuitable makes it not count towards HR-R.
type OfferRecord struct {
	Number          int              `json:"number" dynamodbav:"number"`
	OfferedOn       string           `json:"offeredOn" dynamodbav:"offeredOn"`
	Property        string           `json:"property" dynamodbav:"property"`
	Direct          bool             `json:"direct" dynamodbav:"direct"`
	Refused         bool             `json:"refused" dynamodbav:"refused"`
	RefusedOn       string           `json:"refusedOn,omitempty" dynamodbav:"refusedOn,omitempty"`
	Reasonable      bool             `json:"reasonable" dynamodbav:"reasonable"`
	StatutoryReview *StatutoryReview `json:"statutoryReview,omitempty" dynamodbav:"statutoryReview,omitempty"`
}

// countsAsRefusal: a refused reasonable offer counts towards HR-R's 3 in 12 months, unless a statutory review
// found the (direct) offer unsuitable.
func (o OfferRecord) countsAsRefusal() bool {
	if !o.Refused || !o.Reasonable {
		return false
	}
	return o.StatutoryReview == nil || o.StatutoryReview.Outcome != StatutoryUnsuitable
}

// Review outcomes of a review of reduced priority (DecideReview).
const (
	ReviewUpheld     = "upheld"     // the reduced priority stands
	ReviewOverturned = "overturned" // the reduced priority is lifted for the causes reviewed
)

// ReviewRecord is the applicant's request for a review of a reduced-priority decision (source 001: to the
// Housing Solutions Manager, considered at the Social Welfare Panel) and, once decided, its outcome. Causes are
// what reduced priority when it was asked for (e.g. "housing-debt", "refused-offers", a finding's code): an
// overturned review lifts those.
type ReviewRecord struct {
	Number      int             `json:"number" dynamodbav:"number"`
	RequestedOn workdays.Date   `json:"requestedOn" dynamodbav:"requestedOn"`
	Channel     string          `json:"channel" dynamodbav:"channel"`
	Grounds     string          `json:"grounds" dynamodbav:"grounds"`
	Causes      []string        `json:"causes" dynamodbav:"causes"`
	DueOn       workdays.Date   `json:"dueOn" dynamodbav:"dueOn"`
	Outcome     string          `json:"outcome,omitempty" dynamodbav:"outcome,omitempty"` // "" while pending
	DecidedOn   *workdays.Date  `json:"decidedOn,omitempty" dynamodbav:"decidedOn,omitempty"`
	Note        string          `json:"note,omitempty" dynamodbav:"note,omitempty"`
	DecidedBy   *casefile.Actor `json:"decidedBy,omitempty" dynamodbav:"decidedBy,omitempty"`
}

// Closure reasons.
const (
	ClosedWithdrawn        = "withdrawn"
	ClosedHoused           = "housed"
	ClosedNoLongerEligible = "no-longer-eligible"
	ClosedRemoved          = "removed" // HR-E3: violence or threats towards staff or contractors
)

// Closure is how an application ended: the reason, the officer's note (for a removal, the evidence), the property
// for a housed applicant, the incident's date for a removal, and the day.
type Closure struct {
	Reason     string        `json:"reason" dynamodbav:"reason"`
	Rule       string        `json:"rule" dynamodbav:"rule"`
	Note       string        `json:"note" dynamodbav:"note"`
	Property   string        `json:"property,omitempty" dynamodbav:"property,omitempty"`
	IncidentOn string        `json:"incidentOn,omitempty" dynamodbav:"incidentOn,omitempty"`
	ClosedOn   workdays.Date `json:"closedOn" dynamodbav:"closedOn"`
}

// check is the latest check of a claim, if any.
func (c Council) check(claim string) (ClaimCheckRecord, bool) {
	for _, x := range c.Checks {
		if x.Claim == claim {
			return x, true
		}
	}
	return ClaimCheckRecord{}, false
}

// decision is the latest council decision on a code, if any.
func (c Council) decision(code string) (CouncilDecisionRecord, bool) {
	for _, x := range c.Decisions {
		if x.Decision == code {
			return x, true
		}
	}
	return CouncilDecisionRecord{}, false
}

// applying lists the codes of findings that apply, in the order they were first recorded.
func applying(findings []FindingRecord) []string {
	var out []string
	for _, f := range findings {
		if f.Applies {
			out = append(out, f.Code)
		}
	}
	return out
}

// pendingReview is the open review request, if any.
func (c Council) pendingReview() (ReviewRecord, bool) {
	for _, r := range c.Reviews {
		if r.Outcome == "" {
			return r, true
		}
	}
	return ReviewRecord{}, false
}

// liftedCauses are the reduced-priority causes that an overturned review lifted, with the day it was decided.
func (c Council) liftedCauses() map[string]workdays.Date {
	out := map[string]workdays.Date{}
	for _, r := range c.Reviews {
		if r.Outcome == ReviewOverturned && r.DecidedOn != nil {
			for _, cause := range r.Causes {
				out[cause] = *r.DecidedOn
			}
		}
	}
	return out
}

// refusalDates are the days of the refusals that count towards HR-R.
func (c Council) refusalDates() []string {
	var out []string
	for _, o := range c.Offers {
		if o.countsAsRefusal() {
			out = append(out, o.RefusedOn)
		}
	}
	return out
}

// replaceOrAppend keeps one entry per key: a new slice (a copy of the record taken before the change, e.g. the
// loaded one, must not change with it).
func replaceOrAppend[T any](list []T, item T, same func(T) bool) []T {
	out := make([]T, 0, len(list)+1)
	replaced := false
	for _, x := range list {
		if same(x) {
			out = append(out, item)
			replaced = true
			continue
		}
		out = append(out, x)
	}
	if !replaced {
		out = append(out, item)
	}
	return out
}
