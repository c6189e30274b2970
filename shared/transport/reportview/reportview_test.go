package reportview_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/reportview"
)

// wellFormed parses the SVG as XML: a browser draws nothing of a malformed one.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
	}
}

var widths = regexp.MustCompile(`<rect [^>]*width="([0-9.]+)"`)

// A chart is named by its title and description (role="img", WCAG 1.1.1), its bars are to scale, and what it
// draws is escaped: a label typed by someone cannot become markup.
func TestChartIsAnAccessibleScaledEscapedSVG(t *testing.T) {
	c := reportview.Chart{ID: "c1", Title: "Cases by type", Description: "Bar chart of cases.", Bars: []reportview.Bar{
		{Label: "Noise", Value: 10, Display: "10"},
		{Label: "<script>alert(1)</script> & a label far too long to draw whole beside its bar", Value: 5, Display: "5"},
		{Label: "None", Value: 0, Display: "0"},
	}}
	svg := string(c.SVG())
	wellFormed(t, svg)
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-title c1-desc"`, `<title id="c1-title">Cases by type</title>`,
		`<desc id="c1-desc">Bar chart of cases.</desc>`, "&lt;script&gt;", "…"} {
		if !strings.Contains(svg, want) {
			t.Errorf("no %q in %s", want, svg)
		}
	}
	if strings.Contains(svg, "<script>") {
		t.Errorf("a label became markup: %s", svg)
	}
	var got []string
	for _, m := range widths.FindAllStringSubmatch(svg, -1) {
		got = append(got, m[1])
	}
	if want := []string{"320", "160", "0"}; !slices.Equal(got, want) {
		t.Errorf("bar widths %v, want %v (the largest value fills the 320 units between labels and values)", got, want)
	}
	// a percentage chart scales to 100, not to its largest bar
	pc := reportview.Chart{ID: "p", Title: "t", Description: "d", Max: 100, Bars: []reportview.Bar{{Label: "a", Value: 50, Display: "50%"}}}
	if m := widths.FindStringSubmatch(string(pc.SVG())); m == nil || m[1] != "160" {
		t.Errorf("50%% of 100: %v", m)
	}
	wellFormed(t, string(reportview.Chart{ID: "e", Title: "empty", Description: "no bars"}.SVG()))
}

// The CSV holds every figure, chart datum and table, and text that a spreadsheet would run as a formula is
// written as text (OWASP CSV injection); plain negative numbers stay numbers.
func TestCSVHoldsEveryFigureAndRunsNoFormula(t *testing.T) {
	r := reportview.Report{Title: "Complaints annual report", Period: "2026-27",
		Figures: []reportview.Figure{{Label: "Received", Value: "12", Rule: "TSM CH01"}, {Label: "Change", Value: "-3"}},
		Tables:  []reportview.Table{{Caption: "Learning", Head: []string{"Learning"}, Rows: [][]string{{"=HYPERLINK(\"http://x\")"}, {"@SUM(A1)"}, {"+1"}}}}}
	var out bytes.Buffer
	if err := r.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	rd := csv.NewReader(strings.NewReader(out.String()))
	rd.FieldsPerRecord = -1 // blocks of different widths
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, row := range rows {
		cells = append(cells, row...)
	}
	for _, want := range []string{"Received", "12", "TSM CH01", "-3", `'=HYPERLINK("http://x")`, "'@SUM(A1)", "'+1"} {
		if !slices.Contains(cells, want) {
			t.Errorf("no cell %q in %q", want, cells)
		}
	}
	if got := r.Filename(); got != "complaints-annual-report-2026-27.csv" {
		t.Errorf("filename %q", got)
	}
}

// ASB-9, ASB-5, ASB-7 and NM01: the monthly report's figures are each shown with their rule, the chart of new
// cases by type has a bar per type with its table beside it, and no answers show as such, not as 0%.
func TestASB9_MonthlyReportLaidOutWithItsRules(t *testing.T) {
	received := []asb.Summary{}
	m := asb.Monthly("2026-11", received, nil, 4000)
	m.NewCases, m.FurtherReports, m.ASBCasesPer1000Homes = 3, 2, 0.75
	m.ByType[0].Count = 3
	rep := reportview.ASBMonthly(m)
	if rep.Period != "November 2026" {
		t.Errorf("period %q", rep.Period)
	}
	figure := func(label string) reportview.Figure {
		for _, f := range rep.Figures {
			if f.Label == label {
				return f
			}
		}
		t.Fatalf("no figure %q in %+v", label, rep.Figures)
		return reportview.Figure{}
	}
	if f := figure("New cases"); f.Value != "3" || f.Rule != "ASB-9" {
		t.Errorf("new cases %+v", f)
	}
	if f := figure("ASB cases per 1,000 homes"); f.Value != "0.75" || f.Rule != "NM01" {
		t.Errorf("NM01 %+v", f)
	}
	if f := figure("Satisfied with case handling"); f.Value != "no answers" {
		t.Errorf("no answers shown as %q", f.Value)
	}
	byType := rep.Charts[0]
	if len(byType.Chart.Bars) != len(asb.Types) || len(byType.Data.Rows) != len(asb.Types) || byType.Data.Rows[0][1] != "3" {
		t.Errorf("by type: %d bars, rows %v", len(byType.Chart.Bars), byType.Data.Rows)
	}
	wellFormed(t, string(byType.Chart.SVG()))
}

// TSM CH01 and CH02 head the complaints report; each stage's figures and the refusals by reason are tables.
func TestCH10_AnnualReportLaidOutWithCH01AndCH02(t *testing.T) {
	a := complaints.Annual(2026, nil, 5000)
	p := 87.5
	a.Stage1.Per1000Homes, a.Stage1.PercentOnTime, a.Stage1.Responded = 2.4, &p, 8
	a.ByServiceArea = map[string]int{"repairs": 7, "anti-social-behaviour": 2, "lettings": 7}
	rep := reportview.ComplaintsAnnual(a)
	var ch01, ch02 string
	for _, f := range rep.Figures {
		switch f.Label {
		case "Stage 1 complaints received per 1,000 homes":
			ch01 = f.Value + " " + f.Rule
		case "Stage 1 responses within the Code's timescale":
			ch02 = f.Value + " " + f.Rule
		}
	}
	if ch01 != "2.4 TSM CH01" || ch02 != "87.5% TSM CH02" {
		t.Errorf("CH01 %q, CH02 %q", ch01, ch02)
	}
	areas := rep.Charts[1].Data.Rows
	if want := [][]string{{"Lettings", "7"}, {"Repairs", "7"}, {"Anti social behaviour", "2"}}; !slices.EqualFunc(areas, want, slices.Equal) {
		t.Errorf("areas %v, want %v (largest first, ties by name)", areas, want)
	}
	if got := rep.Charts[0].Data.Rows[1]; got[1] != "no data" {
		t.Errorf("stage 2 with no responses: %v", got)
	}
	if len(rep.Tables) != 2 || len(rep.Tables[1].Rows) != len(complaints.Exclusions) {
		t.Errorf("tables %+v", rep.Tables)
	}
}

func TestRegisterBandsTotalsTheBands(t *testing.T) {
	rep := reportview.RegisterBands("30 November 2026", []reportview.BandCount{{"Emergency", 2}, {"Band A", 1200}, {"Band B", 30}})
	if rep.Figures[0].Value != "1,232" || rep.Charts[0].Data.Rows[1][1] != "1,200" {
		t.Errorf("%+v", rep)
	}
}
