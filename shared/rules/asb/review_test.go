package asb

import (
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

func reviewable() Case {
	return NewCase("ASB-1", report("noise"), Assess(report("noise"), mondayMorning), ChannelOnline, mondayMorning)
}

// ASB-7: a reporter with 3 reports in 6 months may ask for a case review: the request is a manager's task due
// 10 working days later, on the timeline as the resident's; fewer reports is a 422 citing ASB-7.
func TestASB7_CaseReviewRequestIsAManagerTask(t *testing.T) {
	c := reviewable()
	_, _, err := c.RequestCaseReview(CaseReviewRequest{Reason: "Nothing has changed"}, 2, at("2026-11-24T10:00:00Z"))
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Unprocessable || e.Rule != "ASB-7" {
		t.Fatalf("two reports: %v", err)
	}
	wantFields(t, func() error {
		_, _, err := c.RequestCaseReview(CaseReviewRequest{Reason: " "}, 3, mondayMorning)
		return err
	}(), "reason")
	r, ev, err := c.RequestCaseReview(CaseReviewRequest{Reason: "Nothing has changed"}, 3, at("2026-12-18T10:00:00Z"))
	if err != nil || r.ID != "R1" || r.DueOn != day("2027-01-06") || ev.Rule != "ASB-7" || ev.Actor != casefile.ByResident.Name {
		t.Fatalf("request: %+v %+v %v", r, ev, err)
	}
	var review *casefile.Deadline
	for _, d := range OpenDeadlines(c) {
		if d.Name == "case-review" {
			review = &d
		}
	}
	if review == nil || review.Team != Manager || review.Owner != "" || review.Rule != "ASB-7" || review.Due != day("2027-01-06") {
		t.Fatalf("deadline: %+v", review)
	}
	_, _, err = c.RequestCaseReview(CaseReviewRequest{Reason: "Again"}, 4, at("2026-12-21T10:00:00Z"))
	wantConflict(t, err, "ASB-7")
}

// ASB-7: a closed case may be reviewed (its review stays a task though the case's other deadlines ended); the
// manager's outcome closes the task, with recommendations required for that outcome.
func TestASB7_CaseReviewOutcome(t *testing.T) {
	c := reviewable()
	ok(t)(c.Close(Closure{Outcome: "Advice given"}, by("o1"), at("2026-11-27T10:00:00Z")))
	_, _, err := c.DecideCaseReview(CaseReviewDecision{Outcome: ReviewNoFurtherAction, Findings: "Fine"}, by("m1"), at("2026-11-30T10:00:00Z"))
	wantConflict(t, err, "ASB-7")
	if _, _, err := c.RequestCaseReview(CaseReviewRequest{Reason: "Closed too soon"}, 3, at("2026-11-30T10:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if ds := OpenDeadlines(c); len(ds) != 1 || ds[0].Name != "case-review" {
		t.Fatalf("closed case under review: %+v", ds)
	}
	_, _, err = c.DecideCaseReview(CaseReviewDecision{Outcome: "maybe"}, by("m1"), at("2026-12-01T10:00:00Z"))
	wantFields(t, err, "outcome", "findings")
	_, _, err = c.DecideCaseReview(CaseReviewDecision{Outcome: ReviewRecommendations, Findings: "Missed visits"}, by("m1"), at("2026-12-01T10:00:00Z"))
	wantFields(t, err, "recommendations")
	r, ev, err := c.DecideCaseReview(CaseReviewDecision{Outcome: ReviewRecommendations, Findings: "Missed visits", Recommendations: []string{"Reopen and visit"}},
		by("m1"), at("2026-12-01T10:00:00Z"))
	if err != nil || r.DecidedBy == nil || ev.Details["onTime"] != true || c.CaseReview.Outcome != ReviewRecommendations || len(OpenDeadlines(c)) != 0 {
		t.Fatalf("decided: %+v %+v %v", r, ev, err)
	}
}

// ASB-9: evictions for ASB are recorded at closure, only after possession proceedings (an ASB-8 possession
// action), counted in the month the case closed, and cleared by a reopening.
func TestASB9_EvictionsForASB(t *testing.T) {
	c := reviewable()
	wantFields(t, func() error {
		_, err := c.Close(Closure{Outcome: "Evicted", Evicted: true}, by("o1"), mondayMorning)
		return err
	}(), "evicted")
	_, _, err := c.AddAction(NewAction{Tool: "possession", Description: "Seek possession", DueOn: "2026-12-01"}, by("o1"), mondayMorning)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := c.Close(Closure{Outcome: "Evicted", Evicted: true, ActionOutcomes: []ActionOutcome{{ID: "A1", Outcome: "Order granted, warrant executed"}}},
		by("o1"), at("2026-11-30T10:00:00Z"))
	if err != nil || !c.Evicted || ev.Details["evicted"] != true {
		t.Fatalf("%v %+v", err, ev)
	}
	r := Monthly("2026-11", nil, []Summary{SummaryOf(c)}, 1000)
	if r.EvictionsForASB != 1 || r.CaseReviews.Outcomes[ReviewNoFurtherAction] != 0 || len(r.CaseReviews.Outcomes) != 2 {
		t.Fatalf("report: %+v", r)
	}
	r.AddCaseReviews(3, map[string]int{ReviewRecommendations: 1, ReviewNoFurtherAction: 1})
	if r.CaseReviews.Requested != 3 || r.CaseReviews.Decided != 2 {
		t.Fatalf("reviews: %+v", r.CaseReviews)
	}
	ok(t)(c.Reopen(Reopening{Reason: "Appeal"}, by("o1"), at("2026-12-01T10:00:00Z")))
	if c.Evicted {
		t.Fatal("a reopened case is no eviction")
	}
}
