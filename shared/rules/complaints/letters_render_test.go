package complaints

import (
	"bytes"
	htmltemplate "html/template"
	"math/rand/v2"
	"strings"
	"testing"
	"text/template"
)

// The templates render replaced (issue 10): the letters must stay byte for byte what they were.
var (
	referenceText = template.Must(template.New("text").Parse(`Complaint reference: {{.Reference}}

{{.Heading}}
{{range .Paragraphs}}
{{.}}
{{end}}{{range .Lists}}
{{.Title}}:
{{range .Items}}  - {{.}}
{{end}}{{end}}{{range .Blocks}}
{{.Intro}}
{{range .Lines}}{{.}}
{{end}}{{end}}`))
	referenceHTML = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html><html lang="en"><body>
<p>Complaint reference: <strong>{{.Reference}}</strong></p>
<h1>{{.Heading}}</h1>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{range .Lists}}<h2>{{.Title}}</h2><ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>
{{end}}{{range .Blocks}}<p>{{.Intro}}</p>{{if .Lines}}<address>{{range .Lines}}{{.}}<br>{{end}}</address>{{end}}
{{end}}</body></html>`))
)

func checkAgainstTemplates(t *testing.T, d letterData) {
	t.Helper()
	var text, html bytes.Buffer
	if err := referenceText.Execute(&text, d); err != nil {
		t.Fatal(err)
	}
	if err := referenceHTML.Execute(&html, d); err != nil {
		t.Fatal(err)
	}
	if got := d.text(); got != text.String() {
		t.Errorf("text differs from the template's\n got: %q\nwant: %q", got, text.String())
	}
	if got := d.html(); got != html.String() {
		t.Errorf("HTML differs from the template's\n got: %q\nwant: %q", got, html.String())
	}
}

// pieces are the kinds of text a letter carries: officers' and residents' words with every character HTML
// treats specially, non-ASCII, NUL, invalid UTF-8 and empty.
var pieces = []string{"", "We upheld your complaint.", `<script>alert("x")</script>`, "Tom & Jerry's + more", "£50 – café",
	"a\x00b", "line\nbreak", "\xff\xfe", "{{.Reference}}", "&amp; already", "0300 111 3000"}

func randomLetter(r *rand.Rand) letterData {
	text := func() string {
		var b strings.Builder
		for range r.IntN(3) + 1 {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	some := func() []string {
		out := make([]string, r.IntN(4))
		for i := range out {
			out[i] = text()
		}
		return out
	}
	d := letterData{Reference: text(), Heading: text(), Paragraphs: some()}
	for range r.IntN(3) {
		d.Lists = append(d.Lists, namedList{Title: text(), Items: some()})
	}
	for range r.IntN(3) {
		d.Blocks = append(d.Blocks, block{Intro: text(), Lines: some()})
	}
	return d
}

func TestLettersRenderAsTheTemplatesDid(t *testing.T) {
	checkAgainstTemplates(t, letterData{})
	checkAgainstTemplates(t, letterData{Reference: "CMP-1", Heading: "Our response", Paragraphs: []string{"a", "b"},
		Lists:  []namedList{{Title: "Remedies", Items: []string{"£50 <b>"}}, {Title: "Empty"}},
		Blocks: []block{ombudsman("Contact the Ombudsman"), {Intro: "No lines"}}})
	r := rand.New(rand.NewPCG(10, 1))
	for range 2000 {
		checkAgainstTemplates(t, randomLetter(r))
	}
}

func FuzzLetterRendersAsTheTemplatesDid(f *testing.F) {
	for _, p := range pieces {
		f.Add(p, p, p, p)
	}
	f.Fuzz(func(t *testing.T, ref, heading, para, line string) {
		checkAgainstTemplates(t, letterData{Reference: ref, Heading: heading, Paragraphs: []string{para, heading},
			Lists: []namedList{{Title: heading, Items: []string{para, line}}}, Blocks: []block{{Intro: para, Lines: []string{line}}, {Intro: ref}}})
	})
}
