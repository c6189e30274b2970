package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"text/template/parse"

	files "github.com/councilhousing/backend/shared/web"
)

// Site is what every page says about the council (the catalog's landlord.* settings): the header's name, and
// how to reach it in the footer and in the help pages.
type Site struct {
	Name, Phone, Email, Address string
}

// Templates are the pages, each built from the layout and the partials (layout.html, partials.html) and its
// own file the first time it is rendered. The files are compiled: their parse trees are generated from them at
// build time (files.ResidentTemplateFiles; go generate ./shared/web), so no template is parsed at run time,
// where the layout and partials took the web functions 1.2-1.7 ms of their cold start and each page more on its
// first request (issue 10). Building a page adds copies of the layout's, the partials' and its own trees to a
// new template: nothing is built at start. ParseAll builds every page, for the tests.
type Templates struct {
	pages map[string]func() (*template.Template, error)
}

// base is the layout and the shared partials every page is built with.
var base = []string{"layout.html", "partials.html"}

// LoadTemplates prepares every page of pages (every file but the base files) to be built with the layout, so
// each page defines its own "content". With partials, pages has only its own layout.html and the partials (form
// fields, error summary) come from partials' partials.html: the staff console's pages have their own layout
// and the same components as the resident pages.
func LoadTemplates(pages []files.TemplateFile, partials ...[]files.TemplateFile) (*Templates, error) {
	order := []file{{pages, base[0]}, {pages, base[1]}}
	if len(partials) > 0 {
		order = []file{{partials[0], base[1]}, {pages, base[0]}}
	}
	var layout []files.TemplateFile // in the order html/template's ParseFS parsed them
	for _, f := range order {
		tf, ok := find(f.in, f.name)
		if !ok {
			return nil, fmt.Errorf("web: no template file %s", f.name)
		}
		layout = append(layout, tf)
	}
	t := &Templates{pages: map[string]func() (*template.Template, error){}}
	for _, tf := range pages {
		if tf.Name == base[0] || tf.Name == base[1] {
			continue
		}
		t.pages[strings.TrimSuffix(tf.Name, ".html")] = sync.OnceValues(func() (*template.Template, error) {
			page := template.New("").Funcs(template.FuncMap{"dict": dict, "list": list, "split": paragraphs})
			for _, f := range append(layout[:len(layout):len(layout)], tf) {
				if err := addTrees(page, f); err != nil {
					return nil, err
				}
			}
			return page, nil
		})
	}
	return t, nil
}

// MustLoadTemplates is LoadTemplates for the generated templates, whose failure is a programming error (caught
// by the tests).
func MustLoadTemplates(pages []files.TemplateFile, partials ...[]files.TemplateFile) *Templates {
	t, err := LoadTemplates(pages, partials...)
	if err != nil {
		panic(err)
	}
	return t
}

type file struct {
	in   []files.TemplateFile
	name string
}

func find(in []files.TemplateFile, name string) (files.TemplateFile, bool) {
	for _, f := range in {
		if f.Name == name {
			return f, true
		}
	}
	return files.TemplateFile{}, false
}

// addTrees adds copies of a file's trees to t as html/template's Parse adds trees (an empty template does not
// replace one of the same name): copies, since html/template's escaping edits the trees it runs and the
// generated trees are shared.
func addTrees(t *template.Template, f files.TemplateFile) error {
	for _, tree := range f.Trees {
		if parse.IsEmptyTree(tree.Root) && t.Lookup(tree.Name) != nil {
			continue
		}
		if _, err := t.AddParseTree(tree.Name, tree.Copy()); err != nil {
			return fmt.Errorf("web: %s: %w", f.Name, err)
		}
	}
	return nil
}

// ParseAll builds every page now, and returns the first error.
func (t *Templates) ParseAll() error {
	for name, parse := range t.pages {
		if _, err := parse(); err != nil {
			return fmt.Errorf("web: page template %q: %w", name, err)
		}
	}
	return nil
}

// Names are the page templates' names.
func (t *Templates) Names() []string {
	var out []string
	for n := range t.pages {
		out = append(out, n)
	}
	return out
}

// Execute renders a page.
func (t *Templates) Execute(name string, p *Page) ([]byte, error) {
	parse, ok := t.pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no page template %q", name)
	}
	tpl, err := parse()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Page is what a template sees: the page's text by key (T), its title, the form and its error summary, the
// CSRF token of its forms, the council, and the page's own data.
type Page struct {
	Lang      string
	Title     string // translated
	Back      string // the back link's URL, if any
	CSRF      string
	Form      Form
	Errors    []ErrorLink // the error summary: the form's errors and any others
	Site      Site
	Data      any
	Languages []string
	catalog   *Catalog
}

// T is the catalog's text of key in the page's language.
func (p *Page) T(key string, args ...any) string { return p.catalog.T(p.Lang, key, args...) }

// Has says whether the catalog has key.
func (p *Page) Has(key string) bool { return p.catalog.Has(key) }

// Lines splits catalog text into paragraphs at blank lines ("\n\n"), with the council's details put in for
// {council}, {phone}, {email} and {address}, and, when the page's data is a map of text, its values for {name}.
func (p *Page) Lines(key string, args ...any) []string {
	text := p.T(key, args...)
	pairs := []string{"{council}", p.Site.Name, "{phone}", p.Site.Phone, "{email}", p.Site.Email, "{address}", p.Site.Address}
	if m, ok := p.Data.(map[string]string); ok {
		for k, v := range m {
			pairs = append(pairs, "{"+k+"}", v)
		}
	}
	return strings.Split(strings.NewReplacer(pairs...).Replace(text), "\n\n")
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func list(v ...any) []any { return v }

// paragraphs splits text into its non-blank lines (a letter's text as paragraphs).
func paragraphs(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) != "" {
			out = append(out, line)
		}
	}
	return out
}

// Row is a line of a check-your-answers summary list: the question, the answer's lines, and where to change it.
type Row struct {
	Key    string
	Values []string
	Change string // URL of the page that asks it ("" for none)
	Hidden string // what the change link is about, for screen readers
}

// NewServer is a server of the templates and the message catalog (files.ResidentTexts) with its session store
// and the council's details.
func NewServer(templates *Templates, messages []files.Language, sessions SessionStore, site Site) *Server {
	return &Server{Sessions: sessions, Catalog: NewCatalog(messages), Templates: templates, Site: site}
}
