package asbcases

import (
	"context"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Case reviews (ASB-7) are items of their own besides the case's latest review: the request (ItemCaseReview, in the
// dated list DatedCaseReviews at the request) and its outcome (ItemCaseReviewOutcome, in the dated list of its
// outcome at the decision), which the monthly report counts by time range, never by a scan.
const (
	ItemCaseReview        = "REVIEW"
	ItemCaseReviewOutcome = "REVIEWOUTCOME"
	DatedCaseReviews      = "case-review"
)

// DatedReviewOutcome is the dated list of the case reviews decided with outcome (asb.ReviewOutcomes).
func DatedReviewOutcome(outcome string) string { return "case-review-" + outcome }

// ResidentChange is the reporter acting on their case with its access token (or, where a use case says so, signed
// in: ResidentRequest.ProvenKey): which case, the token, when, and the input of the rules' transition.
type ResidentChange[In any] struct {
	ResidentRequest
	Input In
	At    time.Time
}

// RequestCaseReview is the reporter, with their access token, asking for an ASB case review.
type RequestCaseReview = ResidentChange[asb.CaseReviewRequest]

// RequestCaseReview records the reporter's request for a case review (ASB-7): allowed when they have reported
// asb.CaseReviewThreshold times in asb.CaseReviewMonths (their reports counted by their contact's key, never a
// scan); it becomes the asb-manager team's task (the case-review deadline), on the timeline. A wrong token answers
// like an unknown reference.
func (s Service) RequestCaseReview(ctx context.Context, cmd RequestCaseReview) (asb.Case, error) {
	saved, _, err := s.pipeline().ChangeAsResident(ctx, cmd.Ref, cmd.Token, what, func(c *asb.Case, before Stored) (casework.Outcome, error) {
		if err := cmd.Input.Validate(); err != nil { // before the reporter's reports are counted
			return casework.Outcome{}, err
		}
		reports, err := s.Store.ReportsSince(ctx, c.ReporterKey, cmd.At.AddDate(0, -asb.CaseReviewMonths, 0), cmd.At)
		if err != nil {
			return casework.Outcome{}, err
		}
		r, ev, err := c.RequestCaseReview(cmd.Input, reports, cmd.At)
		if err != nil {
			return casework.Outcome{}, err
		}
		item := casework.Item{Kind: ItemCaseReview, ID: r.ID, Value: r, Dated: DatedCaseReviews, At: r.RequestedAt}
		return casework.Outcome{Events: []casefile.Event{ev}, Items: []casework.Item{item}}, nil
	})
	return saved.Case, err
}

// DecideCaseReview is an ASB manager recording a case review's outcome.
type DecideCaseReview = casework.Action[asb.CaseReviewDecision]

// DecideCaseReview records the open case review's outcome, findings and recommendations (ASB-7): ASB managers
// only; the task ends, the outcome is on the timeline and counted in the month it was decided.
func (s Service) DecideCaseReview(ctx context.Context, cmd DecideCaseReview) (Record, error) {
	saved, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(catalog.GroupASBManager) },
		func(c *asb.Case, before Stored) (casework.Outcome, error) {
			r, ev, err := c.DecideCaseReview(cmd.Input, cmd.By.Actor(), cmd.At)
			if err != nil {
				return casework.Outcome{}, err
			}
			item := casework.Item{Kind: ItemCaseReviewOutcome, ID: r.ID, Value: r, Dated: DatedReviewOutcome(r.Outcome), At: *r.DecidedAt}
			msgs, err := s.tellReporters(ctx, *c, before.Contact, telling{template: notification.ASBCaseReviewOutcome, suffix: "case-review#" + r.ID,
				extra: map[string]string{"outcome": strings.ReplaceAll(r.Outcome, "-", " "), "recommendations": strings.Join(r.Recommendations, "; ")}}, cmd.At)
			return casework.Outcome{Events: []casefile.Event{ev}, Items: []casework.Item{item}, Messages: msgs}, err
		})
	if err != nil {
		return Record{}, err
	}
	return recordOf(saved, cmd.At), nil
}
