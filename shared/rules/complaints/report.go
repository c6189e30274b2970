package complaints

import (
	"math"
	"sort"
	"time"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// FinancialYear is April year to March year+1, in London time: the instants it starts and ends (end excluded).
func FinancialYear(year int) (from, to time.Time) {
	return time.Date(year, time.April, 1, 0, 0, 0, 0, workdays.London).UTC(), time.Date(year+1, time.April, 1, 0, 0, 0, 0, workdays.London).UTC()
}

// FinancialYearOf is the financial year (the year of the April it starts in) of an instant, in London time.
func FinancialYearOf(t time.Time) int {
	d := workdays.DateOf(t)
	if d.Month < time.April {
		return d.Year - 1
	}
	return d.Year
}

// ReportYears are the financial years in which the complaint had an event the annual report counts, oldest first:
// receipt, a stage opened, acknowledged, extended or answered, a refusal, an escalation, a remedy or action set
// or completed. The complaint is in each of those years' reports (CH-10, TSM CH02: each event in the year it
// happened, whatever year the complaint was received in), so the store lists it under each year.
func (c Complaint) ReportYears() []int {
	seen := map[int]bool{}
	add := func(t *time.Time) {
		if t != nil && !t.IsZero() {
			seen[FinancialYearOf(*t)] = true
		}
	}
	add(&c.ReceivedAt)
	add(c.EscalationAt)
	if c.Refusal != nil {
		add(&c.Refusal.At)
	}
	for _, st := range c.Stages {
		add(&st.OpenedAt)
		add(st.AcknowledgedAt)
		add(st.RespondedAt)
		if st.Extension != nil {
			add(&st.Extension.At)
		}
	}
	for _, it := range c.Items {
		add(&it.CreatedAt)
		add(it.CompletedAt)
	}
	if sr := c.ServiceRequestRecord; sr != nil {
		add(sr.DoneAt)
	}
	years := make([]int, 0, len(seen))
	for y := range seen {
		years = append(years, y)
	}
	sort.Ints(years)
	return years
}

// StageFigures are one stage's figures for the year.
type StageFigures struct {
	Received           int            `json:"received"`      // stage 1: complaints received; stage 2: escalations requested
	Per1000Homes       float64        `json:"per1000Homes"`  // TSM CH01, 2 decimals; 0 when homes is unknown
	ByServiceArea      map[string]int `json:"byServiceArea"` // categories of those received
	Acknowledged       int            `json:"acknowledged"`  // acknowledgements made in the year
	AcknowledgedOnTime int            `json:"acknowledgedWithinTimescale"`
	Responded          int            `json:"responded"`                // responses sent in the year
	RespondedOnTime    int            `json:"respondedWithinTimescale"` // of those, on or before respondBy (extension included)
	PercentOnTime      *float64       `json:"percentWithinTimescale"`   // TSM CH02, 1 decimal; null when none was sent
	Extended           int            `json:"extended"`                 // extensions granted in the year
	ExtendedBeyondLim  int            `json:"extendedBeyondLimit"`      // of those, longer than the limit with a good reason
	// LateWithoutAgreedUpdates are the responses sent in the year after their timescale with no intervals agreed
	// with the resident for keeping them informed (source 004 §5.9).
	LateWithoutAgreedUpdates int            `json:"lateWithoutAgreedUpdates"`
	Outcomes                 map[string]int `json:"outcomes"`  // decisions of the responses sent in the year
	StillOpen                int            `json:"stillOpen"` // received in the year, not answered, refused or reclassified yet
}

// AnnualReport is the CH-10 report for one financial year (source 004 §8.1: volumes, categories and outcomes
// by stage, timeliness, complaints refused and why), with the section the landlord fills in: the self-assessment
// against the Code and the Ombudsman's findings and reports (SelfAssessment; source §8.1.1-§8.1.6, §8.2, which
// CH-10 in RULES.md leaves out: the source wins).
type AnnualReport struct {
	Year          string         `json:"financialYear"` // e.g. "2026-27"
	Homes         int            `json:"homes"`
	Stage1        StageFigures   `json:"stage1"`
	Stage2        StageFigures   `json:"stage2"`
	ByServiceArea map[string]int `json:"byServiceArea"` // stage 1 received, by service area (= Stage1.ByServiceArea)
	Refused       int            `json:"refused"`
	RefusedBy     map[string]int `json:"refusedByExclusion"`
	// RefusedByArea are the refusals made in the year by service area: with RefusedBy, the types of complaints
	// refused (source §8.1.2).
	RefusedByArea       map[string]int `json:"refusedByServiceArea"`
	ServiceRequests     int            `json:"serviceRequests"`
	ServiceRequestsDone int            `json:"serviceRequestsDone"` // service requests done in the year (source §1.4)
	// ServiceRequestsDoneOnTime are those done by their due date (source §1.4: monitored).
	ServiceRequestsDoneOnTime int `json:"serviceRequestsDoneOnTime"`
	LateEscalations           int `json:"lateEscalations"`
	OutstandingItems          int `json:"outstandingActions"` // outstanding actions in the responses sent in the year
	RemediesOffered           int `json:"remediesOffered"`    // remedies in the responses sent in the year (CH-8)
	ItemsCompleted            int `json:"itemsCompleted"`     // remedies and actions completed in the year, whenever set (CH-8)
	ItemsOnTime               int `json:"itemsCompletedOnTime"`
	// Learning lists what the responses sent in the year recorded as learned and the service improvements they
	// led to (source §8.1.4, §9.1), oldest first.
	Learning []LearningEntry `json:"learning"`
	// SelfAssessment is the landlord's section: the self-assessment against the Code, the qualitative analysis,
	// the Ombudsman's findings and reports and the governing body's response (source §8.1, §8.2), or a note that
	// it is not yet filled in.
	SelfAssessment SelfAssessmentSection `json:"selfAssessment"`
	Rules          []string              `json:"rules"`
}

// LearningEntry is one response's learning and service improvement.
type LearningEntry struct {
	Reference          string        `json:"reference"`
	Stage              int           `json:"stage"`
	ServiceArea        string        `json:"serviceArea"`
	RespondedOn        workdays.Date `json:"respondedOn"`
	Learning           string        `json:"learning,omitempty"`
	ServiceImprovement string        `json:"serviceImprovement,omitempty"`
}

// Annual computes the CH-10 figures for the financial year starting in April of year. Each figure counts the
// events that happened in the year (London time), so pass every complaint with activity in the year; a
// complaint from another year contributes only its events inside this one. Definitions:
//   - Stage 1 received (CH01): complaints received in the year. Service requests are not complaints (CH-1)
//     and are counted apart; refused complaints were received, so they count here and under refusals.
//   - Stage 2 received (CH01): escalation requests made in the year (late ones included).
//   - Per 1,000 homes (TSM CH01): received * 1000 / homes.
//   - Responded within timescale (TSM CH02): responses sent in the year on or before the stage's respondBy,
//     extension included (CH-4, CH-5, WD-3); the share is of all responses sent in the year at that stage.
//   - Outcomes: the decisions of those responses; categories: the service area of what was received.
//   - Refusals by exclusion: refusals made in the year (source §8.1.2: the types refused).
//   - Service requests: contacts received in the year and reclassified (CH-1: recorded and monitored), and those
//     done in the year (source §1.4).
//   - Late escalations: escalations made in the year over 20 WD after the stage 1 response (CH-5).
//   - Remedies and actions (CH-8): those set by the responses sent in the year, and those completed in the year
//     (on time: by their due date), whenever they were set.
//   - Learning (source §9.1): the learning and service improvements recorded by the responses sent in the year.
//   - Late without agreed updates (source §5.9): responses sent in the year after their timescale with no
//     intervals agreed with the resident for keeping them informed.
//   - The landlord's section (source §8.1, §8.2) is not computed: it is what was recorded for the year
//     (SectionOf), "not-recorded" until then; the caller sets it.
//
// A staff-logged complaint counts from the day it reached us (its receivedAt), not the day it was logged.
func Annual(year int, complaints []Complaint, homes int) AnnualReport {
	from, to := FinancialYear(year)
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	r := AnnualReport{Year: yearLabel(year), Homes: homes, RefusedBy: map[string]int{}, RefusedByArea: map[string]int{}, Learning: []LearningEntry{},
		Stage1: newStageFigures(), Stage2: newStageFigures(), SelfAssessment: SectionOf(year, nil),
		Rules: []string{"CH-10", "CH-4", "CH-5", "CH-2", "CH-1", "CH-8", "Code 5.9", "Code 8.1"}}
	for _, c := range complaints {
		r.add(c, in)
	}
	sort.Slice(r.Learning, func(i, j int) bool {
		a, b := r.Learning[i], r.Learning[j]
		if a.RespondedOn != b.RespondedOn {
			return a.RespondedOn.Before(b.RespondedOn)
		}
		return a.Reference+itoa(a.Stage) < b.Reference+itoa(b.Stage)
	})
	r.ByServiceArea = r.Stage1.ByServiceArea
	r.Stage1.rates(homes)
	r.Stage2.rates(homes)
	return r
}

func newStageFigures() StageFigures {
	return StageFigures{ByServiceArea: map[string]int{}, Outcomes: map[string]int{"upheld": 0, "partly-upheld": 0, "not-upheld": 0}}
}

func (r *AnnualReport) add(c Complaint, in func(time.Time) bool) {
	if c.Status == StatusServiceRequest {
		if in(c.ReceivedAt) {
			r.ServiceRequests++
		}
		if sr := c.ServiceRequestRecord; sr != nil && sr.DoneAt != nil && in(*sr.DoneAt) {
			r.ServiceRequestsDone++
			if sr.DoneOnTime() {
				r.ServiceRequestsDoneOnTime++
			}
		}
		return
	}
	if c.Refusal != nil && in(c.Refusal.At) {
		r.Refused++
		r.RefusedBy[c.Refusal.Exclusion]++
		r.RefusedByArea[c.ServiceArea]++
	}
	if c.LateEscalation && c.EscalationAt != nil && in(*c.EscalationAt) {
		r.LateEscalations++
	}
	for _, s := range c.Stages {
		fig := &r.Stage1
		if s.Number == 2 {
			fig = &r.Stage2
		}
		fig.add(c, s, in)
		if s.RespondedAt != nil && in(*s.RespondedAt) && (s.Learning != "" || s.ServiceImprovement != "") {
			r.Learning = append(r.Learning, LearningEntry{Reference: c.Reference, Stage: s.Number, ServiceArea: c.ServiceArea,
				RespondedOn: workdays.DateOf(*s.RespondedAt), Learning: s.Learning, ServiceImprovement: s.ServiceImprovement})
		}
	}
	for _, it := range c.Items {
		switch {
		case !in(it.CreatedAt):
		case it.Kind == ItemRemedy:
			r.RemediesOffered++
		default:
			r.OutstandingItems++
		}
		if it.CompletedAt != nil && in(*it.CompletedAt) {
			r.ItemsCompleted++
			if it.CompletedOnTime() {
				r.ItemsOnTime++
			}
		}
	}
}

// add counts one stage's events that fall in the year. A stage opens when the complaint is received (stage
// 1) or the escalation is requested (stage 2).
func (f *StageFigures) add(c Complaint, s Stage, in func(time.Time) bool) {
	if in(s.OpenedAt) {
		f.Received++
		f.ByServiceArea[c.ServiceArea]++
		refusedHere := c.Refusal != nil && c.Refusal.Stage == s.Number
		if s.RespondedAt == nil && !refusedHere {
			f.StillOpen++
		}
	}
	if s.AcknowledgedAt != nil && in(*s.AcknowledgedAt) {
		f.Acknowledged++
		if s.AcknowledgedOnTime() {
			f.AcknowledgedOnTime++
		}
	}
	if s.Extension != nil && in(s.Extension.At) {
		f.Extended++
		if s.Extension.BeyondLimit() {
			f.ExtendedBeyondLim++
		}
	}
	if s.RespondedAt != nil && in(*s.RespondedAt) {
		f.Responded++
		if s.OnTime() {
			f.RespondedOnTime++
		}
		f.Outcomes[s.Decision]++
		if !s.OnTime() && s.UpdatePlan == nil {
			f.LateWithoutAgreedUpdates++
		}
	}
}

func (f *StageFigures) rates(homes int) {
	if homes > 0 {
		f.Per1000Homes = math.Round(float64(f.Received)*1000/float64(homes)*100) / 100
	}
	if f.Responded > 0 {
		p := math.Round(float64(f.RespondedOnTime)*1000/float64(f.Responded)) / 10
		f.PercentOnTime = &p
	}
}
