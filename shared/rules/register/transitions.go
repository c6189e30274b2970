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
// of `at` and lists every field problem (400, fields named by their JSON names) before changing anything; then
// it applies the change, re-assesses (keeping the band's effective date) and returns the timeline event: who,
// when, what changed, the old and new band and stars, and the new decision's reasons (HR-D). A refused change
// leaves the record exactly as it was. No clock, no I/O.

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

// Offer is an offer of a property made to the applicant and whether it was refused (POST .../offers, HR-R).
// Reasonable says whether the offer was a reasonable one; nil means reasonable. Only refused reasonable offers
// count towards HR-R's 3 refusals in 12 months.
type Offer struct {
	OfferedOn  string `json:"offeredOn" validate:"required,date"`
	Property   string `json:"property" validate:"required,max=200"`
	Refused    bool   `json:"refused"`
	RefusedOn  string `json:"refusedOn,omitempty"` // defaults to OfferedOn when refused
	Reasonable *bool  `json:"reasonable,omitempty"`
}

// Validate lists every problem with an offer as of today: offeredOn a real date not in the future, a property,
// and for a refusal a refusedOn on or after the offer and not in the future. refusedOn and reasonable describe a
// refusal, so they are refused on an offer that was not refused (an officer who forgot "refused" would otherwise
// lose the refusal without a word).
func (o Offer) Validate(today workdays.Date) error {
	f := validate.Struct(o)
	offered, offeredOK := pastDate(&f, "offeredOn", o.OfferedOn, today)
	switch {
	case o.Refused && o.RefusedOn != "": // a refusal on the day of the offer needs no refusedOn: offeredOn's problems are its own
		if d, err := workdays.ParseDate(o.RefusedOn); err != nil {
			f.Add("refusedOn", msgRealDate)
		} else if d.After(today) || (offeredOK && d.Before(offered)) {
			f.Add("refusedOn", "must be on or after the offer and not in the future")
		}
	case !o.Refused:
		if o.RefusedOn != "" {
			f.Add("refusedOn", "must be left out unless refused is true")
		}
		if o.Reasonable != nil {
			f.Add("reasonable", "must be left out unless refused is true")
		}
	}
	return f.Err()
}

// refusedOn is the day of the refusal ("" when the offer was not refused).
func (o Offer) refusedOn() string {
	switch {
	case !o.Refused:
		return ""
	case o.RefusedOn == "":
		return o.OfferedOn
	default:
		return o.RefusedOn
	}
}

// reasonable: an offer is reasonable unless the officer says it was not.
func (o Offer) reasonable() bool { return o.Reasonable == nil || *o.Reasonable }

// Validate lists every problem with a medical award as of today (HR-M): a known severity, and for a moderate or
// severe award the assessment date (the award is reviewed once it is 12 months old), a real date within
// validate's years and not in the future. A date given with "none" must be a real one too.
func (m MedicalAward) Validate(today workdays.Date) error {
	var f apperr.Fields
	if m.Severity != MedicalNone && m.Severity != MedicalModerate && m.Severity != MedicalSevere {
		f.Add("severity", "must be one of: none, moderate, severe")
	}
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

// Validate lists the problem with an empty verification (HR-S): at least one claim must be confirmed or not.
func (v Verification) Validate() error {
	var f apperr.Fields
	if v.SeekingWork == nil && v.CommunityContribution == nil && v.Working == nil {
		f.Add("verification", "give at least one of seekingWork, communityContribution, working (true or false)")
	}
	return f.Err()
}

// RecordMedicalAward records the independent adviser's recommendation (HR-M): severe is Band A, moderate Band B,
// none no medical priority.
func (r *Record) RecordMedicalAward(in MedicalAward, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := in.Validate(today); err != nil {
		return casefile.Event{}, err
	}
	award := in
	r.Application.MedicalAward = &award
	return r.reassess(today, by, at, "medical-award-recorded", map[string]any{"severity": in.Severity, "assessedOn": in.AssessedOn, "rule": "HR-M"}), nil
}

// RecordOffer records an offer and any refusal (HR-R): a refused reasonable offer counts towards the 3 refusals in
// 12 months that reduce priority; an unreasonable one is recorded but does not count.
func (r *Record) RecordOffer(in Offer, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := in.Validate(today); err != nil {
		return casefile.Event{}, err
	}
	refusedOn, reasonable := in.refusedOn(), in.reasonable()
	counts := in.Refused && reasonable
	if counts {
		// a new slice: a copy of the record taken before the change (e.g. the loaded one) must not change with it
		r.Application.RefusedOffers = append(append([]string(nil), r.Application.RefusedOffers...), refusedOn)
	}
	return r.reassess(today, by, at, "offer-recorded", map[string]any{"offeredOn": in.OfferedOn, "property": strings.TrimSpace(in.Property),
		"refused": in.Refused, "refusedOn": refusedOn, "reasonable": reasonable, "countsTowardsRefusals": counts, "rule": "HR-R"}), nil
}

// UpdateDebt records the applicant's housing debt and repayment plan (HR-R, HR-R1, HR-U); it replaces the last one.
func (r *Record) UpdateDebt(in HousingDebt, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := in.Validate(today); err != nil {
		return casefile.Event{}, err
	}
	debt := in
	r.Application.HousingDebt = &debt
	what := map[string]any{"amount": in.Amount, "weeklyRent": in.WeeklyRent, "repaymentPlan": in.RepaymentPlan, "rule": "HR-U"}
	if in.TenancyEndedOn != "" {
		what["tenancyEndedOn"] = in.TenancyEndedOn
	}
	return r.reassess(today, by, at, "debt-updated", what), nil
}

// RecordVerification records what an officer checked (HR-S): each claim given is confirmed (true) or not (false,
// its star is withdrawn); claims left out keep their earlier verification.
func (r *Record) RecordVerification(in Verification, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := in.Validate(); err != nil {
		return casefile.Event{}, err
	}
	what := map[string]any{"rule": "HR-S"}
	set := func(field *(*bool), name string, given *bool) {
		if given != nil {
			v := *given
			*field, what[name] = &v, v
		}
	}
	set(&r.Application.Verified.SeekingWork, "seekingWork", in.SeekingWork)
	set(&r.Application.Verified.CommunityContribution, "communityContribution", in.CommunityContribution)
	set(&r.Application.Verified.Working, "working", in.Working)
	return r.reassess(today, by, at, "verification-recorded", what), nil
}

// reassess decides the changed application as of today, keeping the band's effective date, and returns the
// event with what changed, the old and new band and stars, and the new decision (HR-D).
func (r *Record) reassess(today workdays.Date, by casefile.Actor, at time.Time, action string, what map[string]any) casefile.Event {
	before := r.Decision
	r.Decision = Assess(r.Application, today, &before)
	what["oldBand"], what["newBand"], what["oldStars"], what["newStars"] = before.Band, r.Decision.Band, before.Stars, r.Decision.Stars
	what["offerable"], what["reasons"] = r.Decision.Offerable, r.Decision.Reasons
	return casefile.NewEvent(at, by, action, "HR-D", what)
}
