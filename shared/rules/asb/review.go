package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Sources 002 and 003 do not mention the ASB case review (community trigger) at all: RULES.md ASB-7 (3 reports in 6
// months, verified contacts, never anonymous) is its only basis here, and the statutory scheme (Anti-social
// Behaviour, Crime and Policing Act 2014 s.104) behind it; the review's timing and outcomes are the product's.

// CaseReviewWorkingDays: an ASB manager decides a case review within this many working days of the request
// (ASB-7). The sources set no period (the 2014 Act leaves the procedure to the local partners); ten working days is
// the product's choice, the one the complaints code uses for a stage-1 response.
const CaseReviewWorkingDays = 10

// Case review outcomes (ASB-7).
const (
	ReviewRecommendations    = "recommendations"   // more can be done: the manager's recommendations are recorded
	ReviewNoFurtherAction    = "no-further-action" // the case was handled properly: nothing more to do
	MaxReviewRecommendations = 20
)

// ReviewOutcomes lists the outcome codes (validation, the monthly counts).
var ReviewOutcomes = []string{ReviewRecommendations, ReviewNoFurtherAction}

// CaseReviewRequest is the reporter asking for an ASB case review (POST /asb/reports/{reference}/case-review).
type CaseReviewRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"` // why they ask
}

// Validate lists every problem with the request.
func (in CaseReviewRequest) Validate() error { return check(in, nil) }

// CaseReviewDecision is an ASB manager's outcome of a case review (POST /asb/cases/{reference}/case-review/outcome).
type CaseReviewDecision struct {
	Outcome         string   `json:"outcome" validate:"required"`
	Findings        string   `json:"findings" validate:"required,max=5000"`
	Recommendations []string `json:"recommendations,omitempty" validate:"max=20,dive,required,max=1000"`
}

// CaseReviewRecord is a case review on the case: the request and, once decided, its outcome (ASB-7).
type CaseReviewRecord struct {
	ID                 string          `json:"id" dynamodbav:"id"` // R1, R2, ...
	RequestedAt        time.Time       `json:"requestedAt" dynamodbav:"requestedAt"`
	DueOn              workdays.Date   `json:"dueOn" dynamodbav:"dueOn"`
	Reason             string          `json:"reason" dynamodbav:"reason"`
	ReportsInSixMonths int             `json:"reportsInSixMonths" dynamodbav:"reportsInSixMonths"`
	Outcome            string          `json:"outcome,omitempty" dynamodbav:"outcome,omitempty"`
	Findings           string          `json:"findings,omitempty" dynamodbav:"findings,omitempty"`
	Recommendations    []string        `json:"recommendations,omitempty" dynamodbav:"recommendations,omitempty"`
	DecidedAt          *time.Time      `json:"decidedAt,omitempty" dynamodbav:"decidedAt,omitempty"`
	DecidedBy          *casefile.Actor `json:"decidedBy,omitempty" dynamodbav:"decidedBy,omitempty"`
}

// Open reports whether the review waits for its outcome.
func (r *CaseReviewRecord) Open() bool { return r != nil && r.DecidedAt == nil }

// RequestCaseReview records the reporter's request for an ASB case review (ASB-7): a reporter who has reported
// CaseReviewThreshold times in CaseReviewMonths (reports counts theirs in the months before at, this case's
// included) may ask; the request is an ASB manager's task, due CaseReviewWorkingDays after it. A closed case may be
// reviewed (the review is how a reporter challenges a closure); a merged one is reviewed where it was merged. One
// review at a time: a second request while one is open is a 409.
func (c *Case) RequestCaseReview(in CaseReviewRequest, reports int, at time.Time) (CaseReviewRecord, casefile.Event, error) {
	if c.Status == StatusMerged {
		return CaseReviewRecord{}, casefile.Event{}, c.mustBeOpen("ask for a case review")
	}
	if err := check(in, nil); err != nil {
		return CaseReviewRecord{}, casefile.Event{}, err
	}
	if c.CaseReview.Open() {
		return CaseReviewRecord{}, casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-7", "A case review of %s was asked for on %s and is due by %s",
			c.Reference, workdays.DateOf(c.CaseReview.RequestedAt), c.CaseReview.DueOn)
	}
	if reports < CaseReviewThreshold {
		return CaseReviewRecord{}, casefile.Event{}, apperr.Rule(apperr.Unprocessable, "ASB-7",
			"A case review can be asked for by someone who has reported %d times in %d months; we have %d of your reports in that time",
			CaseReviewThreshold, CaseReviewMonths, reports)
	}
	c.CaseReviews++
	r := CaseReviewRecord{ID: fmt.Sprintf("R%d", c.CaseReviews), RequestedAt: at.UTC(), DueOn: workdays.DeadlineAfter(at, CaseReviewWorkingDays),
		Reason: in.Reason, ReportsInSixMonths: reports}
	c.CaseReview = &r
	return r, casefile.NewEvent(at, casefile.ByResident, "case-review-requested", "ASB-7",
		map[string]any{"reviewId": r.ID, "dueOn": r.DueOn.String(), "reportsInSixMonths": reports, "reason": in.Reason}), nil
}

// DecideCaseReview records an ASB manager's outcome of the open case review, with their findings and any
// recommendations (required when the outcome is "recommendations") (ASB-7).
func (c *Case) DecideCaseReview(in CaseReviewDecision, by casefile.Actor, at time.Time) (CaseReviewRecord, casefile.Event, error) {
	if !c.CaseReview.Open() {
		return CaseReviewRecord{}, casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-7", "Case %s has no case review waiting for an outcome", c.Reference)
	}
	err := check(in, func(f *apperr.Fields) {
		switch {
		case in.Outcome == "":
		case !slices.Contains(ReviewOutcomes, in.Outcome):
			f.Add("outcome", "must be one of: %s", strings.Join(ReviewOutcomes, ", "))
		case in.Outcome == ReviewRecommendations && len(in.Recommendations) == 0:
			f.Add("recommendations", "are required when the outcome is %s", ReviewRecommendations)
		}
	})
	if err != nil {
		return CaseReviewRecord{}, casefile.Event{}, err
	}
	decided := at.UTC()
	r := c.CaseReview
	r.Outcome, r.Findings, r.Recommendations, r.DecidedAt, r.DecidedBy = in.Outcome, in.Findings, in.Recommendations, &decided, &by
	onTime := !workdays.DateOf(at).After(r.DueOn)
	return *r, casefile.NewEvent(at, by, "case-review-decided", "ASB-7", map[string]any{"reviewId": r.ID, "outcome": in.Outcome,
		"findings": in.Findings, "recommendations": in.Recommendations, "onTime": onTime}), nil
}
