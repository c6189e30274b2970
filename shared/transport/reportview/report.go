package reportview

import (
	"cmp"
	"encoding/csv"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/councilhousing/backend/shared/rules/complaints"
)

// Report is one report as a page: its headline figures (each with the rule or measure it answers), its charts
// each with its data table, other tables, and notes.
type Report struct {
	Title   string
	Period  string // e.g. "November 2026", "2026-27"
	Figures []Figure
	Charts  []ChartWithData
	Tables  []Table
	Notes   []string
	Rules   []string
	// Landlord is the complaints annual report's section the landlord records (the self-assessment against the
	// Code, the Ombudsman's findings and reports, the governing body's response: source 004 §8.1, §8.2), shown as
	// recorded; nil for the other reports.
	Landlord *complaints.SelfAssessmentSection
}

// Figure is one headline figure.
type Figure struct {
	Label string
	Value string
	Rule  string // the rule id or measure, e.g. "ASB-9", "TSM CH01"; "" for context such as homes managed
}

// ChartWithData is a chart and the table of the same figures, shown beside it.
type ChartWithData struct {
	Chart Chart
	Data  Table
}

// WriteCSV writes the report for a spreadsheet: the headline figures, then each chart's data and each table,
// each block under its caption, with a blank row between blocks. Text that a spreadsheet would run as a formula
// (it begins with =, +, -, @, a tab or a carriage return) is written with a leading apostrophe (OWASP's CSV
// injection advice): report tables carry text officers typed, such as learning from complaints.
func (r Report) WriteCSV(w io.Writer) error {
	out := csv.NewWriter(w)
	write := func(row ...string) {
		safe := make([]string, len(row))
		for i, cell := range row {
			safe[i] = defuse(cell)
		}
		_ = out.Write(safe) // the error, if any, is kept by the writer and returned by Error below
	}
	write(r.Title, r.Period)
	write()
	write("Figure", "Value", "Rule or measure")
	for _, f := range r.Figures {
		write(f.Label, f.Value, f.Rule)
	}
	tables := make([]Table, 0, len(r.Charts)+len(r.Tables))
	for _, c := range r.Charts {
		tables = append(tables, c.Data)
	}
	for _, t := range append(tables, r.Tables...) {
		write()
		write(t.Caption)
		write(t.Head...)
		for _, row := range t.Rows {
			write(row...)
		}
	}
	out.Flush()
	return out.Error()
}

// Filename is the CSV's name when downloaded: the title and period as lower-case words joined by dashes.
func (r Report) Filename() string {
	name := strings.Trim(nonWord().ReplaceAllString(strings.ToLower(r.Title+" "+r.Period), "-"), "-")
	return name + ".csv"
}

var nonWord = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9]+`) }) // on first use (issue 10)

// defuse makes a cell a spreadsheet shows as text, never runs.
func defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && !isNumber(cell) {
		return "'" + cell
	}
	return cell
}

// isNumber says whether a cell is a plain (possibly negative) figure such as -3 or -1.5, which stays as it is.
func isNumber(cell string) bool {
	digits := strings.TrimPrefix(cell, "-")
	if digits == "" {
		return false
	}
	dot := false
	for _, c := range digits {
		switch {
		case c == '.' && !dot:
			dot = true
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// barsOf makes a bar per entry of counts, largest first (ties by label), labelled by label(key).
func barsOf(counts map[string]int, label func(string) string) []Bar {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(label(a), label(b)))
	})
	bars := make([]Bar, 0, len(keys))
	for _, k := range keys {
		bars = append(bars, Bar{Label: label(k), Value: float64(counts[k]), Display: Count(counts[k])})
	}
	return bars
}

// withData pairs a chart with its data table.
func withData(c Chart, labelHead, valueHead string) ChartWithData {
	return ChartWithData{Chart: c, Data: c.Table(labelHead, valueHead)}
}

// phrase turns a code such as "partly-upheld" into words ("Partly upheld").
func phrase(code string) string {
	s := strings.ReplaceAll(code, "-", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
