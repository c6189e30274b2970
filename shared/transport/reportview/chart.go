// Package reportview turns the service's reports (the ASB monthly measures, the complaints annual report, the
// register by band) into what a page shows and a spreadsheet opens: bar charts as server-rendered SVG, each
// with a title, a description and the table of its data beside it (WCAG 2.2 1.1.1 and 1.4.1: the chart is never
// the only way to read a figure), and CSV. It knows no rule: the figures and their rule ids come from the rules
// packages; this package only lays them out.
package reportview

import (
	"bytes"
	"html/template"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Bar is one bar of a chart: a label, its value, and the value as the page prints it ("12", "83.5%").
type Bar struct {
	Label   string
	Value   float64
	Display string
}

// Chart is a horizontal bar chart (long labels such as ASB types and service areas read best across).
type Chart struct {
	ID          string // unique on the page: the SVG's title and description ids derive from it
	Title       string
	Description string  // what the chart shows and its main finding, for screen readers
	Max         float64 // the scale's end; 0 scales to the largest value (100 for percentages)
	Bars        []Bar
}

// The chart's geometry, in SVG user units (the SVG scales to its container's width).
const (
	chartWidth  = 640
	labelWidth  = 250
	valueWidth  = 70
	barHeight   = 24
	barGap      = 10
	chartMargin = 8
	maxLabel    = 34 // characters of a label drawn in the chart; the table beside it has the full label
)

type drawnBar struct {
	Label, FullLabel, Display string
	Y, TextY, Width, ValueX   float64
}

type drawing struct {
	Chart
	Width, Height, LabelWidth, BarHeight float64
	Drawn                                []drawnBar
}

// svgTemplate draws the bars. role="img" with aria-labelledby names the chart by its title and description;
// each bar's <title> gives its full label and value to pointer users. Colours are GOV.UK Frontend's blue and
// text colour: 5.2:1 and 19:1 on white (WCAG 1.4.11 and 1.4.3). The font is the pages' system font stack (as an
// attribute: the Content-Security-Policy allows no inline style), so the labels match the table beside them.
// It is parsed when the first chart is drawn, not at every cold start of the console (issue 10).
var svgTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("chart").Parse(`<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" ` +
		`viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc" focusable="false" ` +
		`font-family="system-ui, -apple-system, &#39;Segoe UI&#39;, Roboto, &#39;Helvetica Neue&#39;, Arial, sans-serif">` +
		`<title id="{{.ID}}-title">{{.Title}}</title><desc id="{{.ID}}-desc">{{.Description}}</desc>` +
		`{{range .Drawn}}<g><title>{{.FullLabel}}: {{.Display}}</title>` +
		`<text x="{{$.LabelWidth}}" dx="-8" y="{{.TextY}}" text-anchor="end" font-size="14" fill="#0b0c0c">{{.Label}}</text>` +
		`<rect x="{{$.LabelWidth}}" y="{{.Y}}" width="{{.Width}}" height="{{$.BarHeight}}" fill="#1d70b8"></rect>` +
		`<text x="{{.ValueX}}" dx="6" y="{{.TextY}}" font-size="14" font-weight="bold" fill="#0b0c0c">{{.Display}}</text></g>{{end}}` +
		`</svg>`))
})

// SVG draws the chart. Negative and non-finite values draw as empty bars (figures here are counts, rates and
// shares); the printed value is always Display.
func (c Chart) SVG() template.HTML {
	scale := c.Max
	for _, b := range c.Bars {
		if finite(b.Value) && b.Value > scale && c.Max == 0 {
			scale = b.Value
		}
	}
	room := float64(chartWidth - labelWidth - valueWidth)
	d := drawing{Chart: c, Width: chartWidth, LabelWidth: labelWidth, BarHeight: barHeight,
		Height: float64(2*chartMargin + len(c.Bars)*(barHeight+barGap) - barGap)}
	if len(c.Bars) == 0 {
		d.Height = 2 * chartMargin
	}
	for i, b := range c.Bars {
		w := 0.0
		if scale > 0 && finite(b.Value) && b.Value > 0 {
			w = math.Round(room*math.Min(b.Value, scale)/scale*10) / 10
		}
		y := float64(chartMargin + i*(barHeight+barGap))
		d.Drawn = append(d.Drawn, drawnBar{Label: shorten(b.Label), FullLabel: b.Label, Display: b.Display,
			Y: y, TextY: y + barHeight/2 + 5, Width: w, ValueX: labelWidth + w})
	}
	var out bytes.Buffer
	if err := svgTemplate().Execute(&out, d); err != nil {
		panic(err) // the template and its data are ours: an error is a programming error
	}
	return template.HTML(out.String()) // #nosec G203 -- html/template escaped every value above
}

// Table is the chart's data (or a report's other figures): what the page shows as a GOV.UK table and the CSV
// holds.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string
	// Numeric marks the columns of figures (right-aligned on the page).
	Numeric []bool
}

// Table is the chart's data as a table of two columns: the label and the value as printed.
func (c Chart) Table(labelHead, valueHead string) Table {
	t := Table{Caption: c.Title, Head: []string{labelHead, valueHead}, Numeric: []bool{false, true}}
	for _, b := range c.Bars {
		t.Rows = append(t.Rows, []string{b.Label, b.Display})
	}
	return t
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxLabel-1])) + "…"
}

// Count prints a whole number as the page shows it (12,345).
func Count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// Percent prints a share (83.5%), or "no data" for none.
func Percent(p *float64) string {
	if p == nil {
		return noData
	}
	return strconv.FormatFloat(*p, 'f', -1, 64) + "%"
}

// Decimal prints a rate with the decimals it was rounded to (2.35), or "no data" for none.
func Decimal(x *float64) string {
	if x == nil {
		return noData
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

const noData = "no data"
