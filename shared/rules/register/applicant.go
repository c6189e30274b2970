package register

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// The applicant's own changes after submitting: a change of circumstances, re-assessed as claims, and a request
// for a review of reduced priority, which becomes the Housing Solutions Manager's task (DecideReview closes it).

// ---- Change of circumstances ----

// NewAddress is where the applicant now lives.
type NewAddress struct {
	Address  string `json:"address" validate:"required,max=300"`
	Postcode string `json:"postcode" validate:"required,postcode"`
}

// CircumstancesChange is a change of circumstances after submitting (POST .../circumstances, by the applicant with
// their access token, or an officer on their behalf): a new address, people joining or leaving the household
// (leaving by name), circumstances that now apply or no longer apply, and new medical or welfare needs to be
// assessed. Everything new is a claim, counted provisionally until the council checks or decides it.
type CircumstancesChange struct {
	Address            *NewAddress   `json:"address,omitempty"`
	HouseholdJoined    []Member      `json:"householdJoined,omitempty" validate:"max=10,dive"`
	HouseholdLeft      []string      `json:"householdLeft,omitempty" validate:"max=10,dive,required,max=200"`
	Circumstances      []string      `json:"circumstances,omitempty" validate:"max=30"`
	CircumstancesEnded []string      `json:"circumstancesEnded,omitempty" validate:"max=30"`
	MedicalNeeds       []MedicalNeed `json:"medicalNeeds,omitempty" validate:"max=5,dive"`
	Note               string        `json:"note,omitempty" validate:"omitempty,max=2000"`
}

// Validate lists every problem with a change to the application as of today: at least one change; new
// circumstances known and not already claimed; ended ones claimed; people leaving in the household; dates of
// birth not in the future; at most 20 in the household and 30 circumstances, 5 medical needs in all.
func (in CircumstancesChange) Validate(a Application, today workdays.Date) error {
	f := validate.Struct(in)
	if in.Address == nil && len(in.HouseholdJoined) == 0 && len(in.HouseholdLeft) == 0 && len(in.Circumstances) == 0 &&
		len(in.CircumstancesEnded) == 0 && len(in.MedicalNeeds) == 0 {
		f.Add("change", "give at least one of address, householdJoined, householdLeft, circumstances, circumstancesEnded, medicalNeeds")
	}
	checkCodes(&f, "circumstances", in.Circumstances, Circumstances)
	for i, code := range in.Circumstances {
		if containsCode(a.Circumstances, code) {
			f.Add(fmt.Sprintf("circumstances[%d]", i), "%q is already claimed", code)
		}
		if containsCode(in.CircumstancesEnded, code) {
			f.Add(fmt.Sprintf("circumstances[%d]", i), "%q cannot both start and end", code)
		}
	}
	for i, code := range in.CircumstancesEnded {
		if !containsCode(a.Circumstances, code) {
			f.Add(fmt.Sprintf("circumstancesEnded[%d]", i), "%q is not claimed in this application", apperr.Quote(code))
		}
	}
	for i, name := range in.HouseholdLeft {
		if !slices.ContainsFunc(a.Household, func(m Member) bool { return strings.EqualFold(strings.TrimSpace(m.Name), strings.TrimSpace(name)) }) {
			f.Add(fmt.Sprintf("householdLeft[%d]", i), "%q is not in the household", apperr.Quote(name))
		}
	}
	for i, m := range in.HouseholdJoined {
		pastDate(&f, fmt.Sprintf("householdJoined[%d].dateOfBirth", i), m.DateOfBirth, today)
	}
	if n := len(a.Household) + len(in.HouseholdJoined) - len(in.HouseholdLeft); n > 20 {
		f.Add("householdJoined", "would make a household of %d: at most 20", n)
	}
	if n := len(a.Circumstances) + len(in.Circumstances) - len(in.CircumstancesEnded); n > 30 {
		f.Add("circumstances", "would make %d circumstances: at most 30", n)
	}
	if n := len(a.MedicalNeeds) + len(in.MedicalNeeds); n > 5 {
		f.Add("medicalNeeds", "would make %d medical or welfare needs: at most 5", n)
	}
	return f.Err()
}

// ChangeCircumstances records a change of circumstances and re-assesses it as claims (HR-D). The application's
// contact must have been put back (SetContact) when the address or the household changes; store
// ContactOf(r.Application) afterwards. What a change makes stale is checked again: after a move, every check and
// decision about the old home (Code.Home); after a change of household, every one that depends on its size
// (Code.Household). A circumstance that has ended no longer counts, whatever was decided about it (the applicant's
// word against their own interest counts at once). A new medical or welfare need waits for the adviser.
func (r *Record) ChangeCircumstances(in CircumstancesChange, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if (in.Address != nil || len(in.HouseholdJoined) > 0 || len(in.HouseholdLeft) > 0) && r.Application.Applicant.Name == "" {
		return casefile.Event{}, apperr.New(apperr.Internal, "register: the application's contact was not put back before a change of address or household")
	}
	if err := in.Validate(r.Application, today); err != nil {
		return casefile.Event{}, err
	}
	a := r.Application
	what := map[string]any{"rule": "HR-D"}
	stale := func(c Code) bool { return false }
	if in.Address != nil {
		a.Applicant.Address, a.Applicant.Postcode = strings.TrimSpace(in.Address.Address), strings.TrimSpace(in.Address.Postcode)
		what["addressChanged"] = true
		stale = func(c Code) bool { return c.Home }
	}
	if len(in.HouseholdJoined) > 0 || len(in.HouseholdLeft) > 0 {
		var household []Member
		for _, m := range a.Household {
			if !slices.ContainsFunc(in.HouseholdLeft, func(name string) bool { return strings.EqualFold(strings.TrimSpace(m.Name), strings.TrimSpace(name)) }) {
				household = append(household, m)
			}
		}
		a.Household = append(household, in.HouseholdJoined...)
		what["householdJoined"], what["householdLeft"] = len(in.HouseholdJoined), len(in.HouseholdLeft)
		home := stale
		stale = func(c Code) bool { return home(c) || c.Household }
	}
	var circumstances []string
	for _, code := range a.Circumstances {
		if !containsCode(in.CircumstancesEnded, code) {
			circumstances = append(circumstances, code)
		}
	}
	a.Circumstances = append(circumstances, in.Circumstances...)
	a.MedicalNeeds = append(append([]MedicalNeed(nil), a.MedicalNeeds...), in.MedicalNeeds...)
	if len(in.Circumstances) > 0 {
		what["circumstancesAdded"] = in.Circumstances
	}
	if len(in.CircumstancesEnded) > 0 {
		what["circumstancesEnded"] = in.CircumstancesEnded
	}
	if len(in.MedicalNeeds) > 0 {
		what["medicalNeedsAdded"] = len(in.MedicalNeeds)
	}
	if note := strings.TrimSpace(in.Note); note != "" {
		what["note"] = note
	}
	ended := func(code string) bool { return containsCode(in.CircumstancesEnded, code) }
	var recheck []string
	var checks []ClaimCheckRecord
	for _, c := range r.Council.Checks {
		code, isCircumstance := lookup(Circumstances, c.Claim)
		switch {
		case isCircumstance && ended(c.Claim):
		case isCircumstance && stale(code):
			recheck = append(recheck, c.Claim)
		default:
			checks = append(checks, c)
		}
	}
	var decisions []CouncilDecisionRecord
	for _, d := range r.Council.Decisions {
		code, isCircumstance := lookup(Circumstances, d.Decision)
		switch {
		case isCircumstance && ended(d.Decision):
		case isCircumstance && stale(code):
			recheck = append(recheck, d.Decision)
		default:
			decisions = append(decisions, d)
		}
	}
	if len(recheck) > 0 {
		what["recheck"] = recheck
	}
	r.Application, r.Council.Checks, r.Council.Decisions = a, checks, decisions
	return r.reassess(today, by, at, "circumstances-changed", what), nil
}

// ---- Review of reduced priority ----

// ReviewWorkingDays is how long the Housing Solutions Manager has to decide a review of reduced priority: 40
// working days (about 8 weeks). Source 001 gives no timescale (only that appeals go to the Housing Solutions
// Manager, verbally or in writing, and are considered at the Social Welfare Panel), nor does RULES.md: this is the
// product's choice, after the 8 weeks allowed for homelessness reviews.
const ReviewWorkingDays = 40

// ManagerTeam is the group of the Housing Solutions Manager, who owns review requests (source 001).
const ManagerTeam = "housing-solutions-manager"

// ReviewRequest is the applicant asking for a review of a reduced-priority decision (POST .../review-request):
// their grounds, and how it was made (online or in writing; verbally when an officer records it for them).
type ReviewRequest struct {
	Grounds string `json:"grounds" validate:"required,max=2000"`
	Channel string `json:"channel,omitempty" validate:"omitempty,oneof=online written verbal"`
}

// RequestReview records a request for a review of reduced priority (HR-R; source 001: to the Housing Solutions
// Manager, considered at the Social Welfare Panel). It opens the manager's task, due ReviewWorkingDays working
// days later. Refused (409) unless the decided band is reduced, or while another review is under way.
func (r *Record) RequestReview(in ReviewRequest, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	if err := validate.Struct(in).Err(); err != nil {
		return casefile.Event{}, err
	}
	if d := r.current(today); !d.Active() || d.BandName() != BandReduced {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "HR-R", "There is no reduced-priority decision to review: the application is %s%s", d.Status, bandSuffix(d))
	}
	if open, ok := r.Council.pendingReview(); ok {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "HR-R", "A review asked for on %s is under way (due by %s)", open.RequestedOn, open.DueOn)
	}
	channel := in.Channel
	if channel == "" {
		channel = "online"
	}
	review := ReviewRecord{Number: len(r.Council.Reviews) + 1, RequestedOn: today, Channel: channel, Grounds: strings.TrimSpace(in.Grounds),
		Causes: reducedCauses(factsOf(r.Application, r.Council, decidedMode), today), DueOn: workdays.AddWorkingDays(today, ReviewWorkingDays)}
	r.Council.Reviews = append(append([]ReviewRecord(nil), r.Council.Reviews...), review)
	return r.reassess(today, by, at, "review-requested", map[string]any{"review": review.Number, "channel": channel, "causes": review.Causes,
		"dueOn": review.DueOn.String(), "rule": "HR-R"}), nil
}

func bandSuffix(d Decision) string {
	if d.Band == nil {
		return ""
	}
	return " in " + bandLabel(*d.Band)
}

// ReviewDecision is the Housing Solutions Manager's decision on a review (POST .../reviews/{number}): upheld (the
// reduced priority stands) or overturned (lifted for the causes reviewed), with a note shown to the applicant.
type ReviewDecision struct {
	Review  int    `json:"review" validate:"required,gte=1"`
	Outcome string `json:"outcome" validate:"required,oneof=upheld overturned"`
	Note    string `json:"note" validate:"required,max=2000"`
}

// DecideReview records the outcome of a review of reduced priority (HR-R), closing the manager's task. An
// overturned review lifts the reduced priority for the causes that applied when it was asked for; refusals and
// findings recorded after it count again. Refused (409) when the review is already decided.
func (r *Record) DecideReview(in ReviewDecision, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	f := validate.Struct(in)
	if in.Review > len(r.Council.Reviews) {
		f.Add("review", "there is no review %d: the application has %d", in.Review, len(r.Council.Reviews))
	}
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	review := r.Council.Reviews[in.Review-1]
	if review.Outcome != "" {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "HR-R", "Review %d was already decided (%s on %s)", in.Review, review.Outcome, review.DecidedOn)
	}
	decider := by
	review.Outcome, review.DecidedOn, review.Note, review.DecidedBy = in.Outcome, &today, strings.TrimSpace(in.Note), &decider
	reviews := append([]ReviewRecord(nil), r.Council.Reviews...)
	reviews[in.Review-1] = review
	r.Council.Reviews = reviews
	return r.reassess(today, by, at, "review-decided", map[string]any{"review": in.Review, "outcome": in.Outcome, "causes": review.Causes,
		"note": review.Note, "rule": "HR-R"}), nil
}
