package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"

	files "github.com/councilhousing/backend/shared/web"
)

// Site is what every page says about the council (the catalog's landlord.* settings): the header's name, and
// how to reach it in the footer and in the help pages.
type Site struct {
	Name, Phone, Email, Address string
}

// Templates are the pages, each parsed with the layout and the partials (layout.html, partials.html) the first
// time it is rendered: a cold start that serves one page parses that page, not all of them (the console's
// seventeen took 40 ms of its init, eight times a bare binary's whole start: issue 10). The layout and partials
// every page needs are parsed in the background from LoadTemplates on, so a function that loads them first
// parses them on its second vCPU while it reads its configuration (Server.Handler waits for them: the function
// asks for its first request only once they are parsed). ParseAll parses every page, for the tests.
type Templates struct {
	base  func() (*template.Template, error) // the layout and partials: waits for their parse
	pages map[string]func() (*template.Template, error)
}

// base is the layout and the shared partials every page is parsed with.
var base = []string{"layout.html", "partials.html"}

// LoadTemplates starts parsing the layout and partials, and prepares every page template in dir (every *.html
// but the base files) to be parsed on its own copy of them, so each page defines its own "content". With
// partials, dir has only its own layout.html and the partials (form fields, error summary) come from partials'
// partials.html: the staff console's pages have their own layout and the same components as the resident pages.
// A parse error of the layout or partials is Wait's (and every page's).
func LoadTemplates(dir fs.FS, partials ...fs.FS) (*Templates, error) {
	files, err := fs.Glob(dir, "*.html")
	if err != nil {
		return nil, err
	}
	parsed := make(chan struct{})
	var root *template.Template
	var rootErr error
	go func() {
		defer close(parsed)
		root, rootErr = parseBase(dir, partials...)
	}()
	t := &Templates{pages: map[string]func() (*template.Template, error){}, base: func() (*template.Template, error) {
		<-parsed
		return root, rootErr
	}}
	for _, f := range files {
		if f == base[0] || f == base[1] {
			continue
		}
		t.pages[strings.TrimSuffix(path.Base(f), ".html")] = sync.OnceValues(func() (*template.Template, error) {
			root, err := t.base()
			if err != nil {
				return nil, err
			}
			page, err := root.Clone() // before the root is executed: a page is parsed before it is rendered
			if err != nil {
				return nil, err
			}
			return page.ParseFS(dir, f)
		})
	}
	return t, nil
}

// MustLoadTemplates is LoadTemplates for embedded templates, whose failure is a programming error (caught by the
// tests).
func MustLoadTemplates(dir fs.FS, partials ...fs.FS) *Templates {
	t, err := LoadTemplates(dir, partials...)
	if err != nil {
		panic(err)
	}
	return t
}

func parseBase(dir fs.FS, partials ...fs.FS) (*template.Template, error) {
	root := template.New("").Funcs(template.FuncMap{"dict": dict, "list": list, "split": paragraphs})
	if len(partials) == 0 {
		return root.ParseFS(dir, base...)
	}
	root, err := root.ParseFS(partials[0], base[1])
	if err != nil {
		return nil, err
	}
	return root.ParseFS(dir, base[0])
}

// Wait waits for the layout and partials to be parsed, and returns their parse error.
func (t *Templates) Wait() error {
	_, err := t.base()
	return err
}

// ParseAll parses every page now, and returns the first error.
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
