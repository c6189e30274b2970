package asb

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Satisfied summarises satisfaction ratings: the share rating 4 or 5 of those who answered (ASB-9).
type Satisfied struct {
	Responses int      `json:"responses"`
	Satisfied int      `json:"satisfied"`
	Percent   *float64 `json:"percent"` // null when nobody answered
}

// TypeCount is one row of the per-type table (as in source 002).
type TypeCount struct {
	Type  string `json:"type"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// MonthlyReport holds the ASB-9 monthly measures and the NM01 rates for one month.
type MonthlyReport struct {
	Month    string `json:"month"`
	NewCases int    `json:"newCases"`
	// FurtherReports are the further reports of open cases received in the month, and the cases merged into
	// another (ASB-9: a further report on an open case is not a new case): counted here, never in NewCases.
	FurtherReports       int       `json:"furtherReports"`
	CasesClosed          int       `json:"casesClosed"`
	NoiseCases           int       `json:"noiseCases"`
	AverageDaysToClose   *float64  `json:"averageDaysToClose"`       // null when nothing closed
	TargetAverageDays    int       `json:"targetAverageDaysToClose"` // ASB-5: 60 or fewer
	SatisfactionHandling Satisfied `json:"satisfactionWithCaseHandling"`
	SatisfactionOutcome  Satisfied `json:"satisfactionWithCaseOutcome"`
	// EvictionsForASB counts the cases closed in the month with an eviction (ASB-9 and source 002 measure it
	// annually: the year's figure is the sum of its twelve months, each counted once, at closure).
	EvictionsForASB int `json:"evictionsForAsb"`
	// CaseReviews counts the case reviews asked for in the month and those decided in it, by outcome (ASB-7).
	CaseReviews          CaseReviewCounts `json:"caseReviews"`
	ByType               []TypeCount      `json:"byType"`
	Homes                int              `json:"homes"`
	ASBCasesPer1000Homes float64          `json:"asbCasesPer1000Homes"`  // NM01
	HateCasesPer1000Home float64          `json:"hateCasesPer1000Homes"` // NM01
	Rules                []string         `json:"rules"`
}

// MonthBounds are the instants a London calendar month starts and ends (WD-4): "received in November" means
// received between 1 November 00:00 and 1 December 00:00 London time.
func MonthBounds(month string) (from, to time.Time, err error) {
	start, err := time.ParseInLocation("2006-01", month, workdays.London)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if start.Year() < 2000 || start.Year() > 2100 {
		return time.Time{}, time.Time{}, fmt.Errorf("month %s is not between 2000 and 2100", month)
	}
	return start.UTC(), start.AddDate(0, 1, 0).UTC(), nil
}

// Monthly computes the ASB-9 report for month (YYYY-MM, a London calendar month) from the cases received in
// it and the cases closed in it. Choices:
//   - new cases, noise cases, the per-type counts (all 15 types, zeros included) and NM01 count cases received
//     in the month; a further report on an open case is recorded on that case, so it is never a new case;
//   - cases closed, average days to close (calendar days from the London day of receipt to that of closure,
//     one decimal) and satisfaction are over the cases closed in the month;
//   - satisfaction is the share of responses that rated 4 or 5 (of 5), with the number of responses: a closed
//     case's first reporter's answers (or the officer's from a phone call) and each joined reporter's own are one
//     response each; percent is null when nobody answered;
//   - NM01 rates are per 1,000 homes, two decimals; 0 when homes is unknown (0).
//
// Cases outside the month (or no longer closed, e.g. reopened since) are ignored, so a loose store query
// cannot skew the figures.
func Monthly(month string, received, closed []Summary, homes int) MonthlyReport {
	if from, to, err := MonthBounds(month); err == nil {
		received = within(received, from, to, func(c Summary) *time.Time { return &c.ReceivedAt })
		closed = within(closed, from, to, func(c Summary) *time.Time { return c.ClosedAt })
	}
	merged := 0
	received = slices.DeleteFunc(received, func(c Summary) bool {
		if c.Status == StatusMerged { // counted once, in the case it was merged into (ASB-9)
			merged++
			return true
		}
		return false
	})
	r := MonthlyReport{Month: month, NewCases: len(received), FurtherReports: merged, CasesClosed: len(closed), Homes: homes,
		TargetAverageDays: TargetAverageDaysOpen, Rules: []string{"ASB-9", "ASB-5"}}
	r.AddCaseReviews(0, nil) // the service adds the month's counts (they are items of their own, not case summaries)
	counts := map[string]int{}
	hate := 0
	for _, c := range received {
		counts[c.Type]++
		if c.Type == "noise" {
			r.NoiseCases++
		}
		if c.Type == "hate-incident" {
			hate++
		}
	}
	for _, t := range Types {
		r.ByType = append(r.ByType, TypeCount{Type: t.Type, Label: t.Label, Count: counts[t.Type]})
	}
	days := 0
	for _, c := range closed {
		days += c.DaysOpen()
		if c.Evicted {
			r.EvictionsForASB++
		}
		for _, sat := range append([]Satisfaction{c.satisfaction()}, c.JoinedSatisfaction...) {
			r.SatisfactionHandling.count(sat.Handling)
			r.SatisfactionOutcome.count(sat.Outcome)
		}
	}
	if len(closed) > 0 {
		avg := round1(float64(days) / float64(len(closed)))
		r.AverageDaysToClose = &avg
	}
	r.SatisfactionHandling.finish()
	r.SatisfactionOutcome.finish()
	if homes > 0 {
		r.ASBCasesPer1000Homes = round2(float64(len(received)) * 1000 / float64(homes))
		r.HateCasesPer1000Home = round2(float64(hate) * 1000 / float64(homes))
	}
	return r
}

// CaseReviewCounts are the month's case reviews (ASB-7): asked for, decided, and decided by outcome.
type CaseReviewCounts struct {
	Requested int            `json:"requested"`
	Decided   int            `json:"decided"`
	Outcomes  map[string]int `json:"outcomes"` // every outcome code, zeros included
}

// AddCaseReviews sets the month's case review counts; outcomes maps each outcome code to its count.
func (r *MonthlyReport) AddCaseReviews(requested int, outcomes map[string]int) {
	r.CaseReviews = CaseReviewCounts{Requested: requested, Outcomes: map[string]int{}}
	for _, o := range ReviewOutcomes {
		r.CaseReviews.Outcomes[o] = outcomes[o]
		r.CaseReviews.Decided += outcomes[o]
	}
	if !slices.Contains(r.Rules, "ASB-7") {
		r.Rules = append(r.Rules, "ASB-7")
	}
}

// AddFurtherReports counts the further reports of open cases received in the month (each a further incident of
// its case, ASB-9), besides the merged cases Monthly counted.
func (r *MonthlyReport) AddFurtherReports(n int) { r.FurtherReports += n }

// within keeps the cases whose instant falls in [from, to).
func within(cases []Summary, from, to time.Time, instant func(Summary) *time.Time) []Summary {
	var out []Summary
	for _, c := range cases {
		if t := instant(c); t != nil && !t.Before(from) && t.Before(to) {
			out = append(out, c)
		}
	}
	return out
}

// satisfaction is the case's own answers (zero ratings, which count nothing, when none).
func (s Summary) satisfaction() Satisfaction {
	if s.Satisfaction == nil {
		return Satisfaction{}
	}
	return *s.Satisfaction
}

func (s *Satisfied) count(rating int) {
	if rating == 0 {
		return
	}
	s.Responses++
	if rating >= 4 {
		s.Satisfied++
	}
}

func (s *Satisfied) finish() {
	if s.Responses > 0 {
		p := round1(100 * float64(s.Satisfied) / float64(s.Responses))
		s.Percent = &p
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }
