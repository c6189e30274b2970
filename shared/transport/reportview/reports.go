package reportview

import (
	"fmt"
	"time"

	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

// ASBMonthly lays out the ASB-9 monthly measures and the NM01 rates (source 002's monthly return).
func ASBMonthly(r asb.MonthlyReport) Report {
	period := r.Month
	if t, err := time.Parse("2006-01", r.Month); err == nil {
		period = t.Format("January 2006")
	}
	avg := noData
	if r.AverageDaysToClose != nil {
		avg = Decimal(r.AverageDaysToClose) + " days"
	}
	nm01, hate := r.ASBCasesPer1000Homes, r.HateCasesPer1000Home
	rep := Report{Title: "ASB monthly measures", Period: period, Rules: r.Rules,
		Figures: []Figure{
			{"New cases", Count(r.NewCases), "ASB-9"},
			{"Further reports on open cases (not new cases)", Count(r.FurtherReports), "ASB-9"},
			{"Cases closed", Count(r.CasesClosed), "ASB-9"},
			{"Noise cases", Count(r.NoiseCases), "ASB-9"},
			{fmt.Sprintf("Average time to close (target %d days or fewer)", r.TargetAverageDays), avg, "ASB-5"},
			{"Satisfied with case handling", satisfaction(r.SatisfactionHandling), "ASB-9"},
			{"Satisfied with the outcome", satisfaction(r.SatisfactionOutcome), "ASB-9"},
			{"Evictions for ASB", Count(r.EvictionsForASB), "ASB-9"},
			{"Case reviews asked for", Count(r.CaseReviews.Requested), "ASB-7"},
			{"Case reviews decided", Count(r.CaseReviews.Decided), "ASB-7"},
			{"Homes managed", Count(r.Homes), ""},
			{"ASB cases per 1,000 homes", Decimal(&nm01), "NM01"},
			{"Hate incident cases per 1,000 homes", Decimal(&hate), "NM01"},
		}}
	byType := Chart{ID: "asb-by-type", Title: "New cases by type, " + period,
		Description: fmt.Sprintf("Bar chart of the %s new cases received in %s by type of anti-social behaviour.", Count(r.NewCases), period)}
	for _, t := range r.ByType {
		byType.Bars = append(byType.Bars, Bar{Label: t.Label, Value: float64(t.Count), Display: Count(t.Count)})
	}
	satisfied := Chart{ID: "asb-satisfaction", Title: "Satisfaction of reporters whose cases closed, " + period, Max: 100,
		Description: "Bar chart of the share of reporters who rated 4 or 5 out of 5: with case handling " +
			Percent(r.SatisfactionHandling.Percent) + ", with the outcome " + Percent(r.SatisfactionOutcome.Percent) + ".",
		Bars: []Bar{shareBar("Case handling", r.SatisfactionHandling), shareBar("Outcome", r.SatisfactionOutcome)}}
	rep.Charts = []ChartWithData{withData(byType, "Type", "New cases"), withData(satisfied, "Satisfied with", "Share")}
	reviews := Table{Caption: "Case review outcomes decided in " + period, Head: []string{"Outcome", "Case reviews"}, Numeric: []bool{false, true}}
	for _, o := range asb.ReviewOutcomes {
		reviews.Rows = append(reviews.Rows, []string{phrase(o), Count(r.CaseReviews.Outcomes[o])})
	}
	rep.Tables = []Table{reviews}
	if r.Homes == 0 {
		rep.Notes = append(rep.Notes, "The number of homes managed is not configured, so the NM01 rates show 0.")
	}
	return rep
}

func satisfaction(s asb.Satisfied) string {
	if s.Percent == nil {
		return "no answers"
	}
	return fmt.Sprintf("%s (%s of %s answers)", Percent(s.Percent), Count(s.Satisfied), Count(s.Responses))
}

func shareBar(label string, s asb.Satisfied) Bar {
	b := Bar{Label: label, Display: Percent(s.Percent)}
	if s.Percent != nil {
		b.Value = *s.Percent
	}
	return b
}

// ComplaintsAnnual lays out the CH-10 annual report: TSM CH01 (complaints per 1,000 homes) and CH02 (responses
// within the Code's timescales) first, then each stage's figures, service areas and refusals.
func ComplaintsAnnual(r complaints.AnnualReport) Report {
	s1, s2 := r.Stage1, r.Stage2
	ch01a, ch01b := s1.Per1000Homes, s2.Per1000Homes
	rep := Report{Title: "Complaints annual report", Period: r.Year, Rules: r.Rules,
		Figures: []Figure{
			{"Homes managed", Count(r.Homes), ""},
			{"Stage 1 complaints received per 1,000 homes", Decimal(&ch01a), "TSM CH01"},
			{"Stage 2 complaints received per 1,000 homes", Decimal(&ch01b), "TSM CH01"},
			{"Stage 1 responses within the Code's timescale", Percent(s1.PercentOnTime), "TSM CH02"},
			{"Stage 2 responses within the Code's timescale", Percent(s2.PercentOnTime), "TSM CH02"},
			{"Complaints refused", Count(r.Refused), "CH-2"},
			{"Service requests (not complaints)", Count(r.ServiceRequests), "CH-1"},
			{"Escalations over 20 working days after the stage 1 response", Count(r.LateEscalations), "CH-5"},
			{"Remedies offered", Count(r.RemediesOffered), "CH-8"},
			{"Remedies and actions completed on time", fmt.Sprintf("%s of %s", Count(r.ItemsOnTime), Count(r.ItemsCompleted)), "CH-8"},
			{"Self-assessment against the Code", phrase(r.SelfAssessment.Status), "Code 8.1"},
		}}
	onTime := Chart{ID: "complaints-timescales", Title: "Responses within the Code's timescales, " + r.Year, Max: 100,
		Description: "Bar chart of the share of responses sent within the Code's timescale (TSM CH02): stage 1 " +
			Percent(s1.PercentOnTime) + " of " + Count(s1.Responded) + ", stage 2 " + Percent(s2.PercentOnTime) + " of " + Count(s2.Responded) + ".",
		Bars: []Bar{percentBar("Stage 1", s1.PercentOnTime), percentBar("Stage 2", s2.PercentOnTime)}}
	areas := Chart{ID: "complaints-areas", Title: "Stage 1 complaints by service area, " + r.Year,
		Description: fmt.Sprintf("Bar chart of the %s stage 1 complaints received in %s by service area, largest first.", Count(s1.Received), r.Year),
		Bars:        barsOf(r.ByServiceArea, phrase)}
	rep.Charts = []ChartWithData{withData(onTime, "Stage", "Within timescale"), withData(areas, "Service area", "Complaints")}
	stages := Table{Caption: "Each stage's figures, " + r.Year, Head: []string{"Figure", "Stage 1", "Stage 2"}, Numeric: []bool{false, true, true}}
	row := func(label string, a, b int) { stages.Rows = append(stages.Rows, []string{label, Count(a), Count(b)}) }
	row("Received", s1.Received, s2.Received)
	row("Acknowledged", s1.Acknowledged, s2.Acknowledged)
	row("Acknowledged within timescale", s1.AcknowledgedOnTime, s2.AcknowledgedOnTime)
	row("Responses sent", s1.Responded, s2.Responded)
	row("Responses within timescale", s1.RespondedOnTime, s2.RespondedOnTime)
	row("Extensions", s1.Extended, s2.Extended)
	row("Extensions beyond the limit", s1.ExtendedBeyondLim, s2.ExtendedBeyondLim)
	row("Late with no updates agreed", s1.LateWithoutAgreedUpdates, s2.LateWithoutAgreedUpdates)
	for _, o := range []string{"upheld", "partly-upheld", "not-upheld"} {
		row("Decision: "+phrase(o), s1.Outcomes[o], s2.Outcomes[o])
	}
	row("Still open", s1.StillOpen, s2.StillOpen)
	refused := Table{Caption: "Complaints refused, by reason, " + r.Year, Head: []string{"Reason", "Refused"}, Numeric: []bool{false, true}}
	for _, e := range complaints.Exclusions {
		refused.Rows = append(refused.Rows, []string{phrase(e), Count(r.RefusedBy[e])})
	}
	rep.Tables = []Table{stages, refused}
	if r.SelfAssessment.Note != "" {
		rep.Notes = append(rep.Notes, r.SelfAssessment.Note)
	}
	landlord := r.SelfAssessment
	rep.Landlord = &landlord
	return rep
}

func percentBar(label string, p *float64) Bar {
	b := Bar{Label: label, Display: Percent(p)}
	if p != nil {
		b.Value = *p
	}
	return b
}

// BandCount is the number of active applications in one band of the housing register.
type BandCount struct {
	Label string
	Count int
}

// RegisterBands lays out the register's size by band on a day.
func RegisterBands(asOf string, bands []BandCount) Report {
	total := 0
	c := Chart{ID: "register-bands", Title: "Applications on the housing register by band, " + asOf}
	for _, b := range bands {
		total += b.Count
		c.Bars = append(c.Bars, Bar{Label: b.Label, Value: float64(b.Count), Display: Count(b.Count)})
	}
	c.Description = fmt.Sprintf("Bar chart of the %s active applications on the register on %s, by band, highest need first.", Count(total), asOf)
	return Report{Title: "Housing register by band", Period: asOf, Rules: []string{"HR-EM", "HR-A", "HR-B", "HR-R"},
		Figures: []Figure{{"Active applications", Count(total), ""}},
		Charts:  []ChartWithData{withData(c, "Band", "Applications")}}
}
