package subjectaccessapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/htmltext"
)

// The export page is written with a strings.Builder rather than html/template: a function that executes a
// template keeps every exported method of every type it links (templates call methods by name), which made
// this function 50% larger and slower to start, and the template was parsed at every cold start (issue 10).
// export_render_test.go checks the page against the template this replaced (testdata/export.html).

// HTML is the export as a readable page: the request, the notes, then each record with its data and timeline.
func HTML(e subjectaccess.Export) (string, error) {
	var b strings.Builder
	writeExport(&b, e)
	return b.String(), nil
}

func writeExport(b *strings.Builder, e subjectaccess.Export) {
	ref, part := htmltext.Escape(e.Request.Reference), strconv.Itoa(e.Part)
	b.WriteString(exportHead + ref + ": records held")
	if e.Part != 0 {
		b.WriteString(", part " + part)
	}
	b.WriteString(exportStyle + ref)
	if e.Part != 0 {
		b.WriteString(": part " + part)
	}
	b.WriteString("</h1>\n<p>Received " + htmltext.Escape(e.Request.ReceivedOn.String()) + "; the response is due by " + htmltext.Escape(e.Request.DueOn.String()) +
		" (UK GDPR Article 12(3)).\nExported " + htmltext.Escape(e.GeneratedAt.Format("2 January 2006 15:04 MST")) + " by " + htmltext.Escape(e.GeneratedBy.Name) +
		": " + strconv.Itoa(len(e.Records)) + " records")
	if e.Part != 0 {
		b.WriteString(" in this part")
	}
	b.WriteString(".</p>\n")
	if e.Part != 0 {
		b.WriteString("<h2>An export in parts</h2>\n<p>The records are too large for one answer. This is part " + part + "; ")
		if e.NextToken != "" {
			b.WriteString("fetch the next with\n<code>POST /subject-access-requests/" + ref + "/export?format=html&amp;nextToken=</code> and this token:</p>\n<pre>" +
				htmltext.Escape(e.NextToken) + "</pre>")
		} else {
			b.WriteString("it is the last.</p>")
		}
		b.WriteString("\n<p>Every record found, across the parts:</p>\n<ul>")
		for _, f := range e.Found {
			b.WriteString("<li>" + htmltext.Escape(string(f.Kind)) + " " + htmltext.Escape(f.Reference) + " (found by " + htmltext.Escape(strings.Join(f.FoundBy, ", ")) + ")</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n<h2>Before sending</h2>\n<ul>")
	for _, n := range e.Notes {
		b.WriteString("<li>" + htmltext.Escape(n) + "</li>")
	}
	b.WriteString("</ul>\n")
	for _, r := range e.Records {
		writeRecord(b, r)
	}
	b.WriteString("\n</main>\n</body>\n</html>\n")
}

const exportHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Subject access request `

const exportStyle = `</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; line-height: 1.4; color: #0b0c0c; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f2f1; padding: 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #b1b4b6; padding: .3rem .5rem; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<main>
<h1>Subject access request `

func writeRecord(b *strings.Builder, r subjectaccess.ExportedRecord) {
	ref := htmltext.Escape(r.Reference)
	b.WriteString("\n<section>\n<h2>" + htmltext.Escape(string(r.Kind)) + " " + ref)
	if r.Continued {
		b.WriteString(" (continued)")
	}
	b.WriteString("</h2>\n<p>Found by: " + htmltext.Escape(strings.Join(r.FoundBy, ", ")))
	if r.Continued {
		b.WriteString(". The record and the older entries are in the part before.")
	}
	if r.TimelineContinues {
		b.WriteString(". The timeline continues in the next part.")
	}
	b.WriteString("</p>\n")
	if present(r.Record) {
		b.WriteString("<h3>The record</h3>\n<pre>" + jsonText(r.Record) + "</pre>")
	}
	b.WriteString("\n")
	if present(r.Contact) {
		b.WriteString("<h3>Contact details</h3>\n<pre>" + jsonText(r.Contact) + "</pre>")
	}
	b.WriteString("\n<h3>Timeline</h3>\n<table>\n<caption>Everything recorded on " + ref +
		", oldest first</caption>\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">What</th><th scope=\"col\">Details</th></tr></thead>\n<tbody>")
	for _, ev := range r.Timeline {
		writeEntry(b, ev)
	}
	b.WriteString("</tbody>\n</table>\n</section>\n")
}

func writeEntry(b *strings.Builder, ev casefile.Event) {
	b.WriteString("<tr><td>" + htmltext.Escape(ev.At.Format("2 Jan 2006 15:04")) + "</td><td>" + htmltext.Escape(ev.Actor) + "</td><td>" + htmltext.Escape(ev.Action))
	if ev.Rule != "" {
		b.WriteString(" (" + htmltext.Escape(ev.Rule) + ")")
	}
	b.WriteString("</td><td><pre>" + jsonText(ev.Details) + "</pre></td></tr>\n")
}

// jsonText is v as indented JSON, escaped for HTML.
func jsonText(v any) string {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil { // the records are what the store decoded: they encode
		return htmltext.Escape(fmt.Sprintf("(cannot show: %v)", err))
	}
	return htmltext.Escape(string(raw))
}

// present is whether a record or contact is there to show: a nil, zero-length or zero value is not (as a
// template's {{if}}).
func present(v any) bool {
	if v == nil {
		return false
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Chan, reflect.Func:
		if r.IsNil() {
			return false
		}
		return r.Kind() != reflect.Map && r.Kind() != reflect.Slice || r.Len() > 0
	case reflect.Struct:
		return true
	default:
		return !r.IsZero()
	}
}
