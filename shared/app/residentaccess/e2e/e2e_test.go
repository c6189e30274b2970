// Package e2e runs "check your progress" through the local cloud: the real asb-report, resident-web and notifier
// binaries, DynamoDB Local, the SQS emulator and the GOV.UK Notify stand-in (GET /_local/outbox), where the
// one-time code is read as a resident would read their email.
package e2e

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
)

func TestMain(m *testing.M) { emulators.Main(m) }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser is one visitor: their session cookie (the __Host- cookie is Secure, so it is kept by hand over the
// local cloud's plain HTTP) and their forms' CSRF token.
type browser struct {
	t      *testing.T
	base   string
	cookie string
	csrf   string
	client *http.Client
}

func newBrowser(t *testing.T, c *localcloud.Cloud) *browser {
	return &browser{t: t, base: c.URL(), client: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("csrf", b.csrf)
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.cookie != "" {
		req.Header.Set("Cookie", b.cookie)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		b.cookie = c.Name + "=" + c.Value
	}
	if m := csrfField.FindSubmatch(raw); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(raw), resp.Header.Get("Location")
}

// signIn asks for a code for contact (and ref) and returns the code page.
func (b *browser) signIn(contact, ref string) string {
	b.t.Helper()
	b.do("GET", "/progress/sign-in", nil)
	if status, _, location := b.do("POST", "/progress/sign-in", url.Values{"contact": {contact}, "reference": {ref}}); status != http.StatusSeeOther || location != "/progress/code" {
		b.t.Fatalf("sign in: %d %s", status, location)
	}
	status, page, _ := b.do("GET", "/progress/code", nil)
	if status != http.StatusOK {
		b.t.Fatalf("code page: %d", status)
	}
	return page
}

func withoutToken(page string) string { return csrfField.ReplaceAllString(page, "") }

func TestCheckProgressWithAOneTimeCode(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report", "resident-web", "notifier")
	const email = "progress.resident@example.org"
	r := c.Call(t, "POST", "/asb/reports", map[string]any{
		"type": "noise", "description": "Loud music every night after midnight.",
		"location": map[string]any{"address": "Flat 2, 10 Example Road", "postcode": "NN1 1DE"}, "ongoing": true, "anonymous": false,
		"reporter": map[string]any{"name": "Pat Resident", "email": email, "preferredContact": "email"}, "risk": map[string]any{},
	})
	if r.Status != 201 {
		t.Fatalf("report: %d %s", r.Status, r.Raw)
	}
	ref := r.JSON["reference"].(string)

	codes := func() []string { // the sign-in codes the Notify stand-in received for the email, newest first
		var out []string
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			item := it.(map[string]any)
			if item["templateId"] == "placeholder-resident-sign-in-code.email" && item["to"] == email {
				out = append(out, item["personalisation"].(map[string]any)["code"].(string))
			}
		}
		return out
	}

	// a reference that is not theirs: the same code page, and no code is sent
	foreign := newBrowser(t, c)
	foreignPage := foreign.signIn(email, "ASB-0000-0000")
	_, foreignAnswer, _ := foreign.do("POST", "/progress/code", url.Values{"code": {"123456"}})

	// the confirmation email carries the sign-in link's path (the council's template puts the site before it)
	var link string
	localcloud.Eventually(t, 60*time.Second, "the acknowledgement in the Notify stand-in's outbox", func() bool {
		for _, it := range c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any) {
			if item := it.(map[string]any); item["reference"] == ref+"#received" {
				link, _ = item["personalisation"].(map[string]any)["sign_in_path"].(string)
				return true
			}
		}
		return false
	})
	if link != "/progress/sign-in?ref="+ref {
		t.Fatalf("the acknowledgement's sign_in_path is %q", link)
	}

	// the resident, from the link in their confirmation (/progress/sign-in?ref=...)
	b := newBrowser(t, c)
	if status, page, _ := b.do("GET", link, nil); status != http.StatusOK || !strings.Contains(page, `value="`+ref+`"`) {
		t.Fatalf("sign-in link: %d", status)
	}
	if status, _, location := b.do("POST", "/progress/sign-in", url.Values{"contact": {email}, "reference": {ref}}); status != http.StatusSeeOther || location != "/progress/code" {
		t.Fatalf("sign in: %d %s", status, location)
	}
	_, codePage, _ := b.do("GET", "/progress/code", nil)
	if withoutToken(codePage) != withoutToken(foreignPage) {
		t.Error("the code page differs for a foreign reference")
	}
	localcloud.Eventually(t, 60*time.Second, "the sign-in code in the Notify stand-in's outbox", func() bool { return len(codes()) > 0 })
	code := codes()[0]

	status, wrongAnswer, _ := b.do("POST", "/progress/code", url.Values{"code": {"000000x"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(wrongAnswer, "The code is not right, or it has expired") {
		t.Fatalf("wrong code: %d", status)
	}
	if withoutToken(wrongAnswer) != withoutToken(foreignAnswer) {
		t.Error("a wrong code and a foreign reference answer differently")
	}

	before := b.cookie
	status, _, location := b.do("POST", "/progress/code", url.Values{"code": {code}})
	if status != http.StatusSeeOther || location != "/progress/"+ref || b.cookie == before {
		t.Fatalf("right code: %d %s", status, location)
	}
	status, page, _ := b.do("GET", "/progress/"+ref, nil)
	for _, want := range []string{ref, "Anti-social behaviour report", "Noise", "Received"} {
		if status != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q (%d)", want, status)
		}
	}
	// the acknowledgement the notifier sent is among the messages we sent them (from the case's timeline)
	localcloud.Eventually(t, 60*time.Second, "the acknowledgement on the case page", func() bool {
		_, page, _ := b.do("GET", "/progress/"+ref, nil)
		return strings.Contains(page, "Your report was received")
	})
	if _, list, _ := b.do("GET", "/progress/your-records", nil); !strings.Contains(list, `href="/progress/`+ref+`"`) {
		t.Error("the list lacks the case")
	}
	// the code was single use, and the foreign reference sent none
	if status, _, _ := foreign.do("POST", "/progress/code", url.Values{"code": {code}}); status != http.StatusUnprocessableEntity {
		t.Errorf("the code in another session: %d", status)
	}
	if n := len(codes()); n != 1 {
		t.Errorf("%d codes sent, want 1", n)
	}
	if status, _, _ := b.do("POST", "/progress/sign-out", url.Values{}); status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", status)
	}
	if status, _, location := b.do("GET", "/progress/"+ref, nil); status != http.StatusSeeOther || !strings.HasPrefix(location, "/progress/sign-in") {
		t.Errorf("after signing out: %d %s", status, location)
	}
}
