package subjectaccessapi

import (
	"bytes"
	"encoding/json"
	"html/template"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/casefile"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// referencePage is the template the export page was (issue 10): the page must stay byte for byte what it was.
func referencePage(t testing.TB) *template.Template {
	src, err := os.ReadFile("testdata/export.html")
	if err != nil {
		t.Fatal(err)
	}
	return template.Must(template.New("export").Funcs(template.FuncMap{"json": func(v any) (string, error) {
		b, err := json.MarshalIndent(v, "", "  ")
		return string(b), err
	}}).Parse(string(src)))
}

var words = []string{"", "Sam Subject", `<script>alert("x")</script>`, "O'Brien & Sons + co", "£50 – café", "a\x00b", "\xff", "line\nbreak"}

type shown struct {
	Name string `json:"name"`
	Note string `json:"note,omitempty"`
}

func randomExport(r *rand.Rand) subjectaccess.Export {
	word := func() string { return words[r.IntN(len(words))] + words[r.IntN(len(words))] }
	some := func() []string {
		out := make([]string, r.IntN(3))
		for i := range out {
			out[i] = word()
		}
		return out
	}
	value := func() any {
		return []any{nil, map[string]any{}, map[string]any{"name": word(), "n": r.IntN(9)}, shown{Name: word()}, &shown{Note: word()},
			(*shown)(nil), []string{}, some(), word()}[r.IntN(9)]
	}
	at := time.Date(2026, 11, 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, time.UTC)
	e := subjectaccess.Export{Request: sar.Request{Reference: word(), ReceivedOn: workdays.DateOf(at), DueOn: workdays.DateOf(at.AddDate(0, 1, 0))},
		GeneratedAt: at, GeneratedBy: casefile.Actor{Name: word()}, Notes: some()}
	if r.IntN(2) == 0 {
		e.Part, e.NextToken = 1+r.IntN(3), []string{"", "tok+en/=="}[r.IntN(2)]
		for range r.IntN(3) {
			e.Found = append(e.Found, subjectaccess.FoundRecord{Kind: casefile.Kind(word()), Reference: word(), FoundBy: some()})
		}
	}
	for range r.IntN(3) {
		rec := subjectaccess.ExportedRecord{Kind: casefile.ASB, Reference: word(), FoundBy: some(), Record: value(), Contact: value(),
			Continued: r.IntN(2) == 0, TimelineContinues: r.IntN(2) == 0}
		for range r.IntN(3) {
			rec.Timeline = append(rec.Timeline, casefile.Event{At: at, Actor: word(), Action: word(), Rule: word(),
				Details: []map[string]any{nil, {"note": word()}}[r.IntN(2)]})
		}
		e.Records = append(e.Records, rec)
	}
	return e
}

func TestExportPageIsWhatTheTemplateWrote(t *testing.T) {
	tpl := referencePage(t)
	r := rand.New(rand.NewPCG(15, 3))
	for i := range 1500 {
		e := randomExport(r)
		var want bytes.Buffer
		if err := tpl.ExecuteTemplate(&want, "export", e); err != nil {
			t.Fatal(err)
		}
		got, _ := HTML(e)
		if got != templateText("export", want.String()) {
			t.Fatalf("export %d differs from the template's:\n got: %q\nwant: %q", i, got, want.String())
		}
		for _, rec := range e.Records {
			checkMeasure(t, tpl, "record", rec)
			for _, ev := range rec.Timeline {
				checkMeasure(t, tpl, "entry", ev)
			}
		}
		checkMeasure(t, tpl, "export", e)
	}
}

// templateText is what the template wrote, without the two blank lines its file left after the page (the text
// between its {{define}}s), which the page no longer has.
func templateText(name, out string) string {
	if name == "export" {
		return strings.TrimSuffix(out, "\n\n")
	}
	return out
}

// checkMeasure: MeasureHTML measures a piece as the template's named part wrote it, carried as a JSON string.
func checkMeasure(t *testing.T, tpl *template.Template, name string, piece any) {
	t.Helper()
	var b bytes.Buffer
	if err := tpl.ExecuteTemplate(&b, name, piece); err != nil {
		t.Fatal(err)
	}
	want, _ := carried(templateText(name, b.String()))
	if got, err := MeasureHTML(piece); err != nil || got != want {
		t.Fatalf("MeasureHTML(%s) = %d, %v; the template's %s is %d", name, got, err, name, want)
	}
}

func TestMeasureHTMLRefusesOtherTypes(t *testing.T) {
	if _, err := MeasureHTML("text"); err == nil || !strings.Contains(err.Error(), "cannot measure a string") {
		t.Errorf("err = %v", err)
	}
}
