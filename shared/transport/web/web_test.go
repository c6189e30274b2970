package web

import (
	"context"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/testsupport"
	files "github.com/councilhousing/backend/shared/web"
)

func testServer(t *testing.T) *Server {
	t.Helper()
	return &Server{Sessions: &testsupport.Sessions{}, Catalog: NewCatalog(files.ResidentTexts()), Templates: MustLoadTemplates(files.ResidentTemplateFiles()), Site: Site{Name: "Northtown Council", Phone: "01234 567890", Email: "housing@northtown.example"}}
}

// testTexts are the test page's own messages, a source beside the resident pages' (sorted by key, as the
// generated tables are).
var testTexts = []files.Language{{Code: "en", Texts: []files.Text{
	{Key: "test.postcode.label", Text: "What is the postcode?"},
	{Key: "test.postcode.name", Text: "Postcode"},
	{Key: "test.postcode.required", Text: "Enter the postcode"},
	{Key: "test.title", Text: "Where"},
}}}

var postcodeField = Field{Name: "postcode", Kind: Text, Key: "test.postcode", Paths: []string{"location.postcode"}, MaxLength: 8}

func testHandler(t *testing.T) func(context.Context, events.APIGatewayV2HTTPRequest) (Response, error) {
	s := testServer(t)
	s.Catalog = NewCatalog(files.ResidentTexts(), testTexts)
	fn := catalog.Function{Name: "pages", Routes: []catalog.Route{{Method: "GET", Path: "/where", Auth: catalog.Public}, {Method: "POST", Path: "/where", Auth: catalog.Public}}}
	ask := func(ctx context.Context, r *Request) (Response, error) {
		answers := r.Session().Journey("test")
		var err error
		if r.Form != nil {
			Store(answers, []Field{postcodeField}, r.Form)
			r.Session().Changed()
			var f apperr.Fields
			if answers["postcode"][0] == "" {
				f.Add("location.postcode", "is required")
			} else if answers["postcode"][0] != "NN1 1DE" {
				f.Add("location.postcode", "must be a UK postcode")
			}
			f.Add("description", "is required") // another page's field: not shown here
			if err = f.Err(); len(f) == 1 {
				return Redirect("/done")
			}
		}
		return r.Ask("test.title", []Field{postcodeField}, answers, err, Question{}, "/")
	}
	return s.Handler(fn, Routes{"GET /where": ask, "POST /where": ask})
}

func get(t *testing.T, h func(context.Context, events.APIGatewayV2HTTPRequest) (Response, error), cookie string) Response {
	ev := events.APIGatewayV2HTTPRequest{RouteKey: "GET /where", RawPath: "/where"}
	ev.RequestContext.HTTP.Method = "GET"
	if cookie != "" {
		ev.Cookies = []string{cookie}
	}
	resp, err := h(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func post(t *testing.T, h func(context.Context, events.APIGatewayV2HTTPRequest) (Response, error), cookie string, form url.Values, contentType string) Response {
	ev := events.APIGatewayV2HTTPRequest{RouteKey: "POST /where", RawPath: "/where", Cookies: []string{cookie},
		Headers: map[string]string{"content-type": contentType}, Body: base64.StdEncoding.EncodeToString([]byte(form.Encode())), IsBase64Encoded: true}
	ev.RequestContext.HTTP.Method = "POST"
	resp, err := h(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

var csrfValue = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// A first visit gets a session cookie that scripts cannot read, sent only over HTTPS, never on another site's
// posts; every answer carries the security headers; a form post needs the session's CSRF token; an error is
// shown in the summary, linked to its field, and at the field; another page's errors are not shown.
func TestSessionCSRFAndErrors(t *testing.T) {
	h := testHandler(t)
	first := get(t, h, "")
	if len(first.Cookies) != 1 {
		t.Fatalf("cookies %v", first.Cookies)
	}
	ck := first.Cookies[0]
	for _, want := range []string{"__Host-session=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %s", ck, want)
		}
	}
	cookie := strings.SplitN(ck, ";", 2)[0]
	for name, want := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "Strict-Transport-Security": "max-age=",
		"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"} {
		if !strings.Contains(first.Headers[name], want) {
			t.Errorf("%s: %q", name, first.Headers[name])
		}
	}
	if strings.Contains(first.Headers["Content-Security-Policy"], "unsafe-inline") || strings.Contains(first.Body, "<script>") {
		t.Error("inline script allowed or used")
	}
	if !strings.Contains(first.Body, `<html lang="en"`) {
		t.Error("no lang")
	}
	m := csrfValue.FindStringSubmatch(first.Body)
	if m == nil {
		t.Fatal("no CSRF field")
	}
	token := m[1]
	again := get(t, h, cookie)
	if len(again.Cookies) != 0 || !strings.Contains(again.Body, token) {
		t.Error("the session was not kept")
	}
	form := "application/x-www-form-urlencoded"
	if r := post(t, h, cookie, url.Values{"postcode": {"NN1 1DE"}}, form); r.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", r.StatusCode)
	}
	wrong := "x" + token[1:]
	if token[0] == 'x' {
		wrong = "y" + token[1:]
	}
	if r := post(t, h, cookie, url.Values{"postcode": {"NN1 1DE"}, "csrf": {wrong}}, form); r.StatusCode != http.StatusForbidden {
		t.Errorf("wrong CSRF token: %d", r.StatusCode)
	}
	if r := post(t, h, "", url.Values{"postcode": {"NN1 1DE"}, "csrf": {token}}, form); r.StatusCode != http.StatusForbidden {
		t.Errorf("no session: %d", r.StatusCode)
	}
	if r := post(t, h, cookie, url.Values{"postcode": {"NN1 1DE"}, "csrf": {token}, HoneypotField: {"http://spam"}}, form); r.StatusCode != http.StatusBadRequest {
		t.Errorf("honeypot: %d", r.StatusCode)
	}
	if r := post(t, h, cookie, url.Values{"postcode": {"NN1 1DE"}, "csrf": {token}}, "application/json"); r.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("JSON: %d", r.StatusCode)
	}
	if r := post(t, h, cookie, url.Values{"postcode": {strings.Repeat("x", 70<<10)}, "csrf": {token}}, form); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized: %d", r.StatusCode)
	}
	bad := post(t, h, cookie, url.Values{"postcode": {"nowhere"}, "csrf": {token}}, form)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid: %d", bad.StatusCode)
	}
	for _, want := range []string{`<title>Error: What is the postcode?`, `govuk-error-summary`, `<a href="#postcode">Postcode must be a UK postcode</a>`,
		`id="postcode-error"`, `aria-describedby="postcode-error"`, `value="nowhere"`} {
		if !strings.Contains(bad.Body, want) {
			t.Errorf("error page lacks %s", want)
		}
	}
	if strings.Contains(bad.Body, "description") {
		t.Error("another page's error shown")
	}
	empty := post(t, h, cookie, url.Values{"postcode": {""}, "csrf": {token}}, form)
	if !strings.Contains(empty.Body, `<a href="#postcode">Enter the postcode</a>`) {
		t.Error("required message not the catalog's")
	}
	if ok := post(t, h, cookie, url.Values{"postcode": {"NN1 1DE"}, "csrf": {token}}, form); ok.StatusCode != http.StatusSeeOther || ok.Headers["Location"] != "/done" {
		t.Errorf("valid: %d %v", ok.StatusCode, ok.Headers)
	}
}

// Every template parses, and holds no visible text of its own: every word comes from the message catalog, and
// every key a template names exists in English.
func TestTemplatesTakeEveryStringFromTheCatalog(t *testing.T) {
	s := testServer(t)
	if len(s.Templates.Names()) < 2 {
		t.Fatal("no page templates")
	}
	actions := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tags := regexp.MustCompile(`(?s)<[^>]*>`)
	entities := regexp.MustCompile(`&[a-z]+;|&#[0-9]+;`)
	letters := regexp.MustCompile(`\p{L}{2,}`)
	keys := regexp.MustCompile(`\bT "([^"]+)"`)
	dir := filepath.Join("..", "..", "web", "templates")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := entities.ReplaceAllString(tags.ReplaceAllString(actions.ReplaceAllString(string(raw), ""), ""), "")
		if w := letters.FindAllString(text, 5); len(w) > 0 {
			t.Errorf("%s has text of its own: %q", e.Name(), w)
		}
		for _, m := range keys.FindAllStringSubmatch(string(raw), -1) {
			if !s.Catalog.Has(m[1]) {
				t.Errorf("%s names %q, which en.json lacks", e.Name(), m[1])
			}
		}
	}
}

// The styles are GOV.UK Frontend for a service outside GOV.UK: a system font stack, no GDS Transport font and
// no font files; and the committed app.css is what `make css` builds from styles/app.scss with the pinned Sass
// (checked when the Node tools are installed, as `make test` does).
func TestStylesAreFreshAndUnbranded(t *testing.T) {
	css, err := os.ReadFile(filepath.Join("..", "..", "web", "assets", "app.css"))
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{"GDS Transport", "@font-face", "woff"} {
		if strings.Contains(string(css), banned) {
			t.Errorf("app.css contains %q", banned)
		}
	}
	if !strings.Contains(string(css), "system-ui") {
		t.Error("app.css does not use the system font stack")
	}
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	sass := filepath.Join(root, ".tools", "node_modules", ".bin", "sass")
	if _, err := os.Stat(sass); err != nil {
		t.Skip("the pinned sass is not installed (make tools): the freshness check is skipped")
	}
	out := filepath.Join(t.TempDir(), "app.css")
	cmd := exec.Command(sass, "--style=compressed", "--no-source-map", "--load-path="+filepath.Join(root, ".tools", "node_modules"),
		filepath.Join(root, "shared", "web", "styles", "app.scss"), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sass: %v\n%s", err, b)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(fresh) != string(css) {
		t.Error("shared/web/assets/app.css is stale: run `make css` and commit it")
	}
}

// Pages are built when first rendered (issue 10's cold start), so a page's error would show only when someone
// opens it: this builds every resident and console page.
func TestEveryPageTemplateBuilds(t *testing.T) {
	for name, tpl := range map[string]*Templates{
		"resident": MustLoadTemplates(files.ResidentTemplateFiles()),
		"console":  MustLoadTemplates(files.StaffTemplateFiles(), files.ResidentTemplateFiles()),
	} {
		if err := tpl.ParseAll(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := LoadTemplates(files.StaffTemplateFiles()); err == nil || !strings.Contains(err.Error(), "partials.html") {
		t.Errorf("templates without their partials: %v", err)
	}
}

// The generated trees are the templates html/template parses from the files (as LoadTemplates did before they
// were compiled: issue 10), page by page: the same templates, each printing the same source.
func TestGeneratedTemplatesAreWhatHTMLTemplateParses(t *testing.T) {
	funcs := template.FuncMap{"dict": dict, "list": list, "split": paragraphs}
	parseFS := func(dir fs.FS, partials fs.FS) (*template.Template, error) {
		if partials == nil {
			return template.New("").Funcs(funcs).ParseFS(dir, "layout.html", "partials.html")
		}
		root, err := template.New("").Funcs(funcs).ParseFS(partials, "partials.html")
		if err != nil {
			return nil, err
		}
		return root.ParseFS(dir, "layout.html")
	}
	for _, c := range []struct {
		name      string
		dir       fs.FS
		partials  fs.FS
		generated *Templates
	}{
		{"resident", files.Templates(), nil, MustLoadTemplates(files.ResidentTemplateFiles())},
		{"console", files.StaffTemplates(), files.Templates(), MustLoadTemplates(files.StaffTemplateFiles(), files.ResidentTemplateFiles())},
	} {
		pages, err := fs.Glob(c.dir, "*.html")
		if err != nil {
			t.Fatal(err)
		}
		built := 0
		for _, f := range pages {
			page := strings.TrimSuffix(f, ".html")
			if f == "layout.html" || f == "partials.html" {
				continue
			}
			built++
			root, err := parseFS(c.dir, c.partials)
			if err != nil {
				t.Fatal(err)
			}
			want, err := root.ParseFS(c.dir, f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.generated.pages[page]()
			if err != nil {
				t.Fatalf("%s %s: %v", c.name, page, err)
			}
			if w, g := names(want), names(got); !slices.Equal(w, g) {
				t.Fatalf("%s %s: templates %v, generated %v", c.name, page, w, g)
			}
			for _, n := range names(want) {
				if w, g := want.Lookup(n).Tree.Root.String(), got.Lookup(n).Tree.Root.String(); w != g {
					t.Errorf("%s %s: template %q differs:\nparsed:    %q\ngenerated: %q", c.name, page, n, w, g)
				}
			}
		}
		if built < 3 || built != len(c.generated.Names()) {
			t.Errorf("%s: %d page files, %d generated pages", c.name, built, len(c.generated.Names()))
		}
	}
}

func names(t *template.Template) []string {
	var out []string
	for _, x := range t.Templates() {
		if x.Tree != nil {
			out = append(out, x.Name())
		}
	}
	slices.Sort(out)
	return out
}
