package hostile_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
)

// probePages sends hostile form posts to every page route of the catalog (the resident pages answer with
// pages, not problem+json): without a session or its CSRF token 403, an oversized body 413, a body that is not
// a form 415, a filled honeypot 400, an unknown page 404, and never a 5xx; every answer carries the security
// headers, and none of these writes anything (the cases table is compared by the main run).
func probePages(t *testing.T, r *run) {
	base := r.c.URL()
	get := func(path, cookie string) *http.Response {
		req, _ := http.NewRequest("GET", base+path, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := r.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	for _, fn := range catalog.System().Functions {
		for _, route := range fn.Routes {
			if !route.Page || route.Method != "POST" {
				continue
			}
			journey := strings.Split(route.Path, "/")[1]
			first := map[string]string{"report-asb": "what-is-happening", "complain": "what-went-wrong", "apply": "age", "progress": "sign-in",
				"staff": "sign-out"}[journey] // the staff console: signed out, every post is refused (403) before its page is looked at
			page := "/" + journey + "/" + first
			resp := get(page, "")
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cookie := ""
			for _, c := range resp.Cookies() {
				cookie = c.Name + "=" + c.Value
			}
			token := ""
			if m := csrf.FindSubmatch(body); m != nil {
				token = string(m[1])
			}
			form := "application/x-www-form-urlencoded"
			for _, c := range []struct {
				name, path, cookie, contentType, body string
				want                                  int
			}{
				{"no session", page, "", form, url.Values{"csrf": {token}}.Encode(), http.StatusForbidden},
				{"no CSRF token", page, cookie, form, "x=1", http.StatusForbidden},
				{"another session's token", page, cookie, form, url.Values{"csrf": {"A" + strings.Repeat("b", 42)}}.Encode(), http.StatusForbidden},
				{"oversized", page, cookie, form, "csrf=" + token + "&x=" + strings.Repeat("a", 70<<10), http.StatusRequestEntityTooLarge},
				{"JSON", page, cookie, "application/json", `{"csrf":"` + token + `"}`, http.StatusUnsupportedMediaType},
				{"honeypot", page, cookie, form, url.Values{"csrf": {token}, "website": {"http://spam.example"}}.Encode(), http.StatusBadRequest},
				{"unknown page", "/" + journey + "/no-such-page", cookie, form, url.Values{"csrf": {token}}.Encode(), http.StatusNotFound},
			} {
				if token == "" && c.want != http.StatusForbidden {
					continue // a journey without a form yet
				}
				req, _ := http.NewRequest("POST", base+c.path, strings.NewReader(c.body))
				req.Header.Set("Content-Type", c.contentType)
				if c.cookie != "" {
					req.Header.Set("Cookie", c.cookie)
				}
				resp, err := r.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != c.want || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
					t.Errorf("%s %s: %d (want %d), CSP %q", route.RouteKey(), c.name, resp.StatusCode, c.want, resp.Header.Get("Content-Security-Policy"))
				}
			}
		}
	}
}

// probeProgress sends hostile input to "check your progress": contacts, references and codes that are too
// long, not what they claim, or script; references in the path that try to escape it; guessed codes over the
// try limit; a signed-out escalation. Each is answered with its page (422 at the field, 404, or a redirect to
// sign in) and never a 5xx, and nothing typed comes back unescaped. The contacts are unknown ones, so no
// message is queued (the codes and counts are in the idempotency table, which expires them).
func probeProgress(t *testing.T, r *run) {
	base := r.c.URL()
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	send := func(method, path, cookie string, form url.Values) (int, string, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, base+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		resp, err := r.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Location")
	}
	req, _ := http.NewRequest("GET", base+"/progress/sign-in", nil)
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cookie := ""
	for _, c := range resp.Cookies() {
		cookie = c.Name + "=" + c.Value
	}
	m := csrf.FindSubmatch(page)
	if m == nil || cookie == "" {
		t.Fatal("the sign-in page has no form")
	}
	token := string(m[1])
	script := `<script>alert(1)</script>`
	for _, c := range []struct {
		name             string
		contact, ref     string
		want             int
		contactIsInvalid bool
	}{
		{"script as contact", script, "", http.StatusUnprocessableEntity, true},
		{"very long contact", strings.Repeat("a", 5000) + "@example.org", "", http.StatusUnprocessableEntity, true},
		{"control characters", "jo\r\n@example.org", "", http.StatusUnprocessableEntity, true},
		{"landline", "01234 567890", "", http.StatusUnprocessableEntity, true},
		{"script as reference", "hostile-nobody@example.org", script, http.StatusUnprocessableEntity, false},
		{"path as reference", "hostile-nobody@example.org", "../../etc/passwd", http.StatusUnprocessableEntity, false},
		{"unknown contact", "hostile-nobody@example.org", "ASB-0000-0000", http.StatusSeeOther, false},
	} {
		status, body, _ := send("POST", "/progress/sign-in", cookie, url.Values{"csrf": {token}, "contact": {c.contact}, "reference": {c.ref}})
		if status != c.want || strings.Contains(body, script) {
			t.Errorf("sign in, %s: %d (want %d), script echoed: %v", c.name, status, c.want, strings.Contains(body, script))
		}
	}
	// guessing: every code, of any size, is the same 422 ("not right or has expired"), past the try limit too
	for i, code := range []string{"000000", "999999", strings.Repeat("9", 10000), script, "", "1", "123456", "654321"} {
		status, body, _ := send("POST", "/progress/code", cookie, url.Values{"csrf": {token}, "code": {code}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#code"`) || strings.Contains(body, script) {
			t.Errorf("code guess %d: %d", i, status)
		}
	}
	// references in the path: a malformed one is a 404 page; a well-formed one, signed out, leads to sign-in
	for path, want := range map[string]int{"/progress/%3Cscript%3E": http.StatusNotFound, "/progress/ASB-1%0D%0ASet-Cookie:x=1": http.StatusNotFound,
		"/progress/" + strings.Repeat("A", 500): http.StatusNotFound, "/progress/asb-0000-0000": http.StatusNotFound,
		"/progress/ASB-0000-0000": http.StatusSeeOther, "/progress/your-records": http.StatusSeeOther,
		"/progress/sign-in?ref=%3Cscript%3E": http.StatusOK} {
		status, body, location := send("GET", path, cookie, nil)
		if status != want || strings.Contains(body, script) || strings.ContainsAny(location, "\r\n") {
			t.Errorf("GET %s: %d (want %d) %q", path, status, want, location)
		}
	}
	// escalating signed out is a redirect to sign in, and changes nothing
	if status, _, location := send("POST", "/progress/CMP-0000-0000", cookie, url.Values{"csrf": {token}, "action": {"escalate"}}); status != http.StatusSeeOther ||
		location != "/progress/sign-in?ref=CMP-0000-0000" {
		t.Errorf("escalate signed out: %d %s", status, location)
	}
}
