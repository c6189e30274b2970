package complaints

import (
	"math"
	"time"

	"github.com/councilhousing/backend/shared/workdays"
)

// FinancialYear is April year to March year+1, in London time: the instants it starts and ends.
func FinancialYear(year int) (from, to time.Time) {
	return time.Date(year, time.April, 1, 0, 0, 0, 0, workdays.London).UTC(), time.Date(year+1, time.April, 1, 0, 0, 0, 0, workdays.London).UTC()
}

// StageFigures are one stage's figures for the year.
type StageFigures struct {
	Received        int            `json:"received"`
	Per1000Homes    float64        `json:"per1000Homes"` // TSM CH01
	Responded       int            `json:"responded"`
	RespondedOnTime int            `json:"respondedWithinTimescale"`
	PercentOnTime   *float64       `json:"percentWithinTimescale"` // TSM CH02; null when none answered
	Extended        int            `json:"extended"`
	Outcomes        map[string]int `json:"outcomes"`
	StillOpen       int            `json:"stillOpen"`
}

// AnnualReport is the CH-10 report for one financial year.
type AnnualReport struct {
	Year             string         `json:"financialYear"`
	Homes            int            `json:"homes"`
	Stage1           StageFigures   `json:"stage1"`
	Stage2           StageFigures   `json:"stage2"`
	ByServiceArea    map[string]int `json:"byServiceArea"`
	Refused          int            `json:"refused"`
	RefusedBy        map[string]int `json:"refusedByExclusion"`
	ServiceRequests  int            `json:"serviceRequests"`
	LateEscalations  int            `json:"lateEscalations"`
	OutstandingItems int            `json:"outstandingActions"`
	Rules            []string       `json:"rules"`
}

// Annual computes CH-10 from the complaints received in the financial year (their later stages included).
// Service requests are logged but are not complaints (CH-1), so they are counted apart; refusals are counted
// with their exclusion; stage 2 counts the year's complaints that were escalated.
func Annual(year int, received []Complaint, homes int) AnnualReport {
	r := AnnualReport{Year: itoaYear(year) + "-" + itoaYear(year + 1)[2:], Homes: homes, ByServiceArea: map[string]int{},
		RefusedBy: map[string]int{}, Rules: []string{"CH-10", "CH-4", "CH-5"}}
	r.Stage1.Outcomes, r.Stage2.Outcomes = outcomes(), outcomes()
	for _, c := range received {
		if c.Status == StatusServiceRequest {
			r.ServiceRequests++
			continue
		}
		r.ByServiceArea[c.ServiceArea]++
		if c.Refusal != nil {
			r.Refused++
			r.RefusedBy[c.Refusal.Exclusion]++
		}
		if c.LateEscalation {
			r.LateEscalations++
		}
		for i, s := range c.Stages {
			fig := &r.Stage1
			if i == 1 {
				fig = &r.Stage2
			}
			fig.count(s, c.Refusal != nil)
			r.OutstandingItems += len(s.OutstandingActions)
		}
	}
	for _, fig := range []*StageFigures{&r.Stage1, &r.Stage2} {
		if homes > 0 {
			fig.Per1000Homes = math.Round(float64(fig.Received)*1000/float64(homes)*100) / 100
		}
		if fig.Responded > 0 {
			p := math.Round(float64(fig.RespondedOnTime)*1000/float64(fig.Responded)) / 10
			fig.PercentOnTime = &p
		}
	}
	return r
}

func outcomes() map[string]int {
	return map[string]int{"upheld": 0, "partly-upheld": 0, "not-upheld": 0}
}

func (f *StageFigures) count(s Stage, refused bool) {
	f.Received++
	if s.Extension != nil {
		f.Extended++
	}
	switch {
	case s.RespondedAt != nil:
		f.Responded++
		if s.OnTime() {
			f.RespondedOnTime++
		}
		f.Outcomes[s.Decision]++
	case !refused:
		f.StillOpen++
	}
}

func itoaYear(y int) string {
	b := []byte{'0', '0', '0', '0'}
	for i := 3; i >= 0; i-- {
		b[i] = byte('0' + y%10)
		y /= 10
	}
	return string(b)
}
