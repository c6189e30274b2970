// Package web holds what the HTML transports serve, embedded in their binaries: the page templates
// (html/template), the message catalogs (one JSON file of every visible string per language) and the static
// assets (GOV.UK Frontend's styles compiled by Sass from styles/app.scss, its JavaScript, and ours). In AWS the
// assets are also served from the private assets bucket behind CloudFront; locally the local cloud serves them.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates messages assets staff
var files embed.FS

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directories are embedded above
	}
	return f
}

// Templates are the page templates: layout.html and partials.html, and one file per page.
func Templates() fs.FS { return sub("templates") }

// Messages are the message catalogs: <language>.json, each a flat object of key -> text.
func Messages() fs.FS { return sub("messages") }

// StaffTemplates are the staff console's page templates: its own layout.html and one file per page (the form
// partials are the resident pages' partials.html).
func StaffTemplates() fs.FS { return sub("staff/templates") }

// StaffMessages are the staff console's own message catalogs, beside Messages.
func StaffMessages() fs.FS { return sub("staff/messages") }

// Assets are the static files served under /assets/.
func Assets() fs.FS { return sub("assets") }

// AssetsPath is the URL path the assets are served under, on the same domain as the pages.
const AssetsPath = "/assets/"
