// Package web holds what the HTML transports serve, embedded in their binaries: the page templates
// (html/template, compiled to their parse trees: templates_gen.go), the message catalogs (one JSON file of every visible string per language, compiled to Go
// tables: messages_gen.go) and the static assets (GOV.UK Frontend's styles compiled by Sass from
// styles/app.scss, its JavaScript, and ours). In AWS the assets are also served from the private assets bucket
// behind CloudFront; locally the local cloud serves them.
package web

import (
	"embed"
	"io/fs"
	"text/template/parse"
)

// The message catalogs' JSON is not embedded: nothing reads it at run time, the binaries carry messages_gen.go.
//
//go:embed templates assets staff/templates
var files embed.FS

//go:generate go run ./internal/generate/webgen

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directories are embedded above
	}
	return f
}

// Templates are the page templates' source: layout.html and partials.html, and one file per page. The
// functions render from their parse trees (ResidentTemplateFiles); the source is what the tests read.
func Templates() fs.FS { return sub("templates") }

// TemplateFile is a template file's parse trees, as html/template's ParseFS makes them: one for the file's top
// level, named after it, and one per {{define}}.
type TemplateFile struct {
	Name  string // e.g. "layout.html"
	Trees []*parse.Tree
}

// ResidentTemplateFiles are templates/*.html compiled to their parse trees (go generate ./shared/web; tests keep
// them in step with the source and with what html/template parses), so no template is parsed at run time:
// parsing the layout and partials took 1.2-1.7 ms of the web functions' cold start (issue 10). Shared by every
// caller: add copies of the trees to a template, never the trees (html/template's escaping edits them).
func ResidentTemplateFiles() []TemplateFile { return residentTemplates }

// StaffTemplateFiles are staff/templates/*.html compiled as ResidentTemplateFiles.
func StaffTemplateFiles() []TemplateFile { return staffTemplates }

// StaffTemplates are the staff console's page templates: its own layout.html and one file per page (the form
// partials are the resident pages' partials.html).
func StaffTemplates() fs.FS { return sub("staff/templates") }

// Assets are the static files served under /assets/.
func Assets() fs.FS { return sub("assets") }

// AssetsPath is the URL path the assets are served under, on the same domain as the pages.
const AssetsPath = "/assets/"

// Text is one message of a catalog: its key (such as "asb.where.postcode.label") and its text in one language.
type Text struct{ Key, Text string }

// Language is one language's messages, sorted by key (for a binary search).
type Language struct {
	Code  string // the JSON file's name: "en" for en.json
	Texts []Text
}

// ResidentTexts are the resident pages' message catalogs, messages/<lang>.json, English first. They are
// generated into Go (go generate ./shared/web; a test keeps them in step with the JSON) so that the binaries
// hold them as static data: decoding the JSON at cold start cost ~1 ms here and ~3 ms in the console (issue
// 10). Shared by every caller: read only.
func ResidentTexts() []Language { return residentTexts }

// StaffTexts are the staff console's own message catalogs, staff/messages/<lang>.json, generated as
// ResidentTexts; no key is in both. Read only.
func StaffTexts() []Language { return staffTexts }
