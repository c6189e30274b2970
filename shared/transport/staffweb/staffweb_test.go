package staffweb

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/web"
)

type (
	complaintLists struct{ complaintcases.Store }
	memComplaints  struct {
		complaintLists
		*testsupport.Store[complaints.Complaint, complaints.Contact]
		*saMemory // the annual report's self-assessments (selfassessment_test.go)
	}
)

// provider is the OpenID provider in a test: a token endpoint that checks the PKCE verifier against the
// challenge of the code it gave out, and a JWKS; tokens are signed with key (or, to test refusals, with what
// the test asks for).
type provider struct {
	t          *testing.T
	srv        *httptest.Server
	key, other *rsa.PrivateKey
	mu         sync.Mutex
	codes      map[string]code
	// what the next token is like
	signWith *rsa.PrivateKey
	expires  time.Duration
	aud, iss string
}

type code struct {
	challenge, nonce, sub string
	groups                []string
}

func newProvider(t *testing.T) *provider {
	p := &provider{t: t, codes: map[string]code{}, expires: time.Hour}
	var err error
	if p.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if p.other, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	p.signWith = p.key
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		pub := p.key.PublicKey
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "k1",
			"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes())}}})
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	p.aud, p.iss = "console-client", p.srv.URL
	return p
}

func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	p.mu.Lock()
	c, ok := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge || r.PostForm.Get("client_id") != "console-client" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims := jwt.MapClaims{"sub": c.sub, "aud": p.aud, "iss": p.iss, "iat": now.Unix(), "exp": now.Add(p.expires).Unix(), "nonce": c.nonce,
		"email": c.sub + "@council.example", "name": "Officer " + c.sub, "token_use": "id"}
	if len(c.groups) > 0 {
		claims["cognito:groups"] = c.groups
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(p.signWith)
	if err != nil {
		p.t.Fatal(err)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"id_token": s, "access_token": "a", "token_type": "Bearer", "expires_in": 3600})
}

type console_ struct {
	t        *testing.T
	h        func(context.Context, events.APIGatewayV2HTTPRequest) (web.Response, error)
	p        *provider
	cmp      memComplaints
	due      *testsupport.Deadlines
	views    *testsupport.Views
	audit    *testsupport.Audit // searches and report views (audit_test.go)
	sessions *testsupport.Sessions
	cookie   string
	csrf     string
	now      time.Time
}

func newConsole(t *testing.T) *console_ {
	c := &console_{t: t, p: newProvider(t), due: &testsupport.Deadlines{}, views: &testsupport.Views{}, audit: &testsupport.Audit{}, sessions: &testsupport.Sessions{},
		now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
		cmp: memComplaints{Store: testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference }),
			saMemory: &saMemory{}}}
	srv := NewServer(LoadTemplates(), c.sessions, web.Site{Name: "Northtown Council", Phone: "01234 567890", Email: "housing@northtown.example"})
	pages := Pages{Web: srv,
		SignIn: &Provider{Issuer: c.p.iss, ClientID: "console-client", AuthorizeURL: "https://login.example/oauth2/authorize",
			TokenURL: c.p.srv.URL + "/token", KeysURL: c.p.srv.URL + "/jwks.json", SiteURL: "https://housing.example", HTTP: c.p.srv.Client()},
		Console:    console.Service{Deadlines: c.due, Views: c.views, Audit: c.audit},
		Complaints: complaintcases.Service{Store: c.cmp, Outbox: &testsupport.Outbox{}, Landlord: complaints.Landlord{Name: "Northtown Council", Phone: "01234 567890"}},
		Answers:    storedAnswers{c.cmp.Store}}
	c.h = srv.Handler(catalog.MustFunction(catalog.StaffWebFunction), pages.Routes())
	return c
}

var (
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	missingKey = regexp.MustCompile(`\[staff\.[a-zA-Z.-]+\]|\[[a-z]+\.[a-zA-Z.-]+\]`)
)

// route finds the catalog route of a path, as the gateway does (literal paths win).
func route(method, path string) (string, map[string]string) {
	best, params := "", map[string]string(nil)
	for _, r := range catalog.MustFunction(catalog.StaffWebFunction).Routes {
		if r.Method != method {
			continue
		}
		want, got := strings.Split(r.Path, "/"), strings.Split(path, "/")
		if len(want) != len(got) {
			continue
		}
		ps, ok := map[string]string{}, true
		for i := range want {
			if strings.HasPrefix(want[i], "{") {
				ps[strings.Trim(want[i], "{}")] = got[i]
			} else if want[i] != got[i] {
				ok = false
			}
		}
		if ok && (best == "" || len(ps) < len(params)) {
			best, params = r.RouteKey(), ps
		}
	}
	return best, params
}

func (c *console_) do(method, target string, form url.Values) web.Response {
	c.t.Helper()
	u, _ := url.Parse(target)
	key, params := route(method, u.Path)
	if key == "" {
		c.t.Fatalf("no route for %s %s", method, u.Path)
	}
	ev := events.APIGatewayV2HTTPRequest{RouteKey: key, RawPath: u.Path, PathParameters: params, Headers: map[string]string{}}
	if q := u.Query(); len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for k := range q {
			ev.QueryStringParameters[k] = q.Get(k)
		}
	}
	ev.RequestContext.HTTP.Method = method
	ev.RequestContext.TimeEpoch = c.now.UnixMilli()
	if c.cookie != "" {
		ev.Cookies = []string{c.cookie}
	}
	if form != nil {
		if !form.Has("csrf") {
			form.Set("csrf", c.csrf)
		}
		ev.Headers["content-type"] = "application/x-www-form-urlencoded"
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(form.Encode())), true
	}
	resp, err := c.h(context.Background(), ev)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, ck := range resp.Cookies {
		c.cookie = strings.SplitN(ck, ";", 2)[0]
		if strings.Contains(ck, "Max-Age=0") {
			c.cookie = ""
		}
	}
	if m := csrfField.FindStringSubmatch(resp.Body); m != nil {
		c.csrf = m[1]
	}
	if k := missingKey.FindString(resp.Body); k != "" {
		c.t.Errorf("%s %s shows a missing catalog key %s", method, target, k)
	}
	return resp
}

// startSignIn follows /staff/sign-in to the provider and returns the authorize request's parameters.
func (c *console_) startSignIn(returnTo string) url.Values {
	c.t.Helper()
	target := "/staff/sign-in"
	if returnTo != "" {
		target += "?" + url.Values{"return": {returnTo}}.Encode()
	}
	r := c.do("GET", target, nil)
	if r.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign-in: %d", r.StatusCode)
	}
	loc, _ := url.Parse(r.Headers["Location"])
	if !strings.HasPrefix(loc.String(), "https://login.example/oauth2/authorize?") {
		c.t.Fatalf("sign-in sends to %s", loc)
	}
	return loc.Query()
}

// signIn signs in as sub with groups through the provider; it returns the callback's answer.
func (c *console_) signIn(sub string, groups ...string) web.Response {
	c.t.Helper()
	c.cookie = "" // a new browser: signed in, /staff/sign-in goes straight back
	q := c.startSignIn("")
	return c.callback(q, code{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), sub: sub, groups: groups}, q.Get("state"))
}

func (c *console_) callback(q url.Values, cd code, state string) web.Response {
	c.t.Helper()
	id := base64.RawURLEncoding.EncodeToString([]byte(cd.sub + time.Now().String()))
	c.p.mu.Lock()
	c.p.codes[id] = cd
	c.p.mu.Unlock()
	return c.do("GET", "/staff/callback?"+url.Values{"code": {id}, "state": {state}}.Encode(), nil)
}

func (c *console_) complaint(ref string) string {
	c.t.Helper()
	cp, _, err := complaints.Submit(ref, complaints.Submission{Description: "The lift has been broken for a month.", OutcomesSought: "Fix it",
		ServiceArea: "repairs", IssueDate: "2026-10-01", Complainant: contact.Details{Name: "Sam Resident", Email: "sam@example.org"}}, c.now.AddDate(0, 0, -3))
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.cmp.Create(context.Background(), casework.Stored[complaints.Complaint, complaints.Contact]{Case: cp,
		Contact: &complaints.Contact{Details: contact.Details{Name: "Sam Resident", Email: "sam@example.org"}}}, casework.Writes{}); err != nil {
		c.t.Fatal(err)
	}
	return ref
}

// Sign-in is authorization code with PKCE (S256) against the provider, the state and the verifier kept in a
// server-side pre-session; the callback renews the session (a new cookie of the console's own, HttpOnly,
// Secure, SameSite=Lax, __Host-) and the officer lands where they were going.
func TestSignInWithPKCE(t *testing.T) {
	c := newConsole(t)
	if r := c.do("GET", "/staff/find", nil); r.StatusCode != http.StatusSeeOther || r.Headers["Location"] != "/staff/sign-in?return=%2Fstaff%2Ffind" {
		t.Fatalf("signed out: %d %v", r.StatusCode, r.Headers)
	}
	q := c.startSignIn("/staff/find")
	for k, want := range map[string]string{"response_type": "code", "client_id": "console-client", "code_challenge_method": "S256",
		"redirect_uri": "https://housing.example/staff/callback"} {
		if q.Get(k) != want {
			t.Errorf("authorize %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if len(q.Get("state")) < 32 || len(q.Get("code_challenge")) != 43 || q.Get("nonce") == "" || !strings.Contains(q.Get("scope"), "openid") {
		t.Errorf("authorize parameters %v", q)
	}
	pre := c.cookie
	if !strings.HasPrefix(pre, CookieName+"=") {
		t.Fatalf("pre-session cookie %q", pre)
	}
	r := c.callback(q, code{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), sub: "officer-a", groups: []string{catalog.GroupComplaintsOfficer}}, q.Get("state"))
	if r.StatusCode != http.StatusSeeOther || r.Headers["Location"] != "/staff/find" {
		t.Fatalf("callback: %d %v\n%s", r.StatusCode, r.Headers, r.Body)
	}
	ck := r.Cookies[0]
	for _, want := range []string{CookieName + "=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %s", ck, want)
		}
	}
	if c.cookie == pre {
		t.Error("the session was not renewed on signing in")
	}
	page := c.do("GET", "/staff/find", nil)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Signed in as Officer officer-a") {
		t.Fatalf("find: %d", page.StatusCode)
	}
	// the pre-session's id is worth nothing now
	old := c.cookie
	c.cookie = pre
	if r := c.do("GET", "/staff", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the pre-session's cookie opens the queue: %d", r.StatusCode)
	}
	c.cookie = old
	// the callback works once
	if r := c.callback(q, code{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), sub: "officer-a"}, q.Get("state")); r.StatusCode != http.StatusForbidden {
		t.Errorf("a replayed callback: %d", r.StatusCode)
	}
}

// Every failure is refused with the same page and no session: a state that is not ours, a code exchanged
// without the right PKCE verifier, a token signed by another key, an expired one, one for another audience or
// issuer, one without our nonce, the provider's error, and a callback with no sign-in in progress.
func TestSignInRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(c *console_, q url.Values, cd *code, state *string)
	}{
		{"state mismatch", func(c *console_, q url.Values, cd *code, state *string) { *state = "not-the-state" }},
		{"bad PKCE verifier", func(c *console_, q url.Values, cd *code, state *string) { cd.challenge = strings.Repeat("A", 43) }},
		{"bad token signature", func(c *console_, q url.Values, cd *code, state *string) { c.p.signWith = c.p.other }},
		{"expired token", func(c *console_, q url.Values, cd *code, state *string) { c.p.expires = -time.Minute }},
		{"another audience", func(c *console_, q url.Values, cd *code, state *string) { c.p.aud = "api-client" }},
		{"another issuer", func(c *console_, q url.Values, cd *code, state *string) { c.p.iss = "https://evil.example" }},
		{"another nonce", func(c *console_, q url.Values, cd *code, state *string) { cd.nonce = "replayed" }},
		{"no sign-in in progress", func(c *console_, q url.Values, cd *code, state *string) { c.cookie = "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newConsole(t)
			q := c.startSignIn("")
			cd, state := code{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), sub: "officer-a", groups: []string{catalog.GroupComplaintsOfficer}}, q.Get("state")
			tc.setup(c, q, &cd, &state)
			r := c.callback(q, cd, state)
			if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "You could not be signed in") {
				t.Fatalf("%d\n%s", r.StatusCode, r.Body)
			}
			if r := c.do("GET", "/staff", nil); r.StatusCode != http.StatusSeeOther {
				t.Errorf("signed in after a refusal: %d", r.StatusCode)
			}
		})
	}
}

// A session ends after 30 minutes without a page and after 10 hours whatever the officer does; sign-out is a
// post with the form's CSRF token, ends the session and its cookie, and goes through the provider's logout.
func TestSessionsExpireAndSignOut(t *testing.T) {
	c := newConsole(t)
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	c.now = c.now.Add(29 * time.Minute)
	if r := c.do("GET", "/staff", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("29 minutes idle: %d", r.StatusCode)
	}
	c.now = c.now.Add(31 * time.Minute)
	if r := c.do("GET", "/staff", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("31 minutes idle: %d", r.StatusCode)
	}
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	for range 20 { // a page every 25 minutes for 8h20
		c.now = c.now.Add(25 * time.Minute)
		if r := c.do("GET", "/staff", nil); r.StatusCode != http.StatusOK {
			t.Fatalf("active: %d at %s", r.StatusCode, c.now)
		}
	}
	c.now = c.now.Add(2 * time.Hour)
	c.do("GET", "/staff", nil)
	c.now = c.now.Add(10 * time.Minute)
	if r := c.do("GET", "/staff", nil); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after 10 hours: %d", r.StatusCode)
	}
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	c.do("GET", "/staff", nil)
	if r := c.do("POST", "/staff/sign-out", url.Values{"csrf": {"wrong"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("sign-out without the token: %d", r.StatusCode)
	}
	r := c.do("POST", "/staff/sign-out", url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Headers["Location"] != SignedOutPath || c.cookie != "" {
		t.Fatalf("sign-out: %d %v cookie %q", r.StatusCode, r.Headers, c.cookie)
	}
	if r := c.do("GET", "/staff/signed-out", nil); r.StatusCode != http.StatusOK {
		t.Errorf("signed-out page: %d", r.StatusCode)
	}
}

// The queue shows the officer's own and their teams' deadlines (overdue, today, this week) and links to the
// case pages their groups may open; the complaint page shows the complaint, records the view, and offers the
// actions as forms that call the same use case as the JSON route, with its validation shown in the error
// summary; a form post needs the CSRF token.
func TestQueueCaseAndAcknowledgement(t *testing.T) {
	c := newConsole(t)
	ref := c.complaint("CMP-AAAA-BBBB")
	today := workdays.DateOf(c.now)
	c.due.Open = []casefile.Deadline{
		{CaseKind: casefile.Complaint, CaseRef: ref, Name: "stage1-acknowledge", Due: today, Rule: "CH-4", Team: catalog.GroupComplaintsOfficer, Label: "Acknowledge the complaint"},
		{CaseKind: casefile.Complaint, CaseRef: "CMP-CCCC-DDDD", Name: "stage1-respond", Due: today.AddDays(-1), Rule: "CH-4", Owner: "officer-a", Team: catalog.GroupComplaintsOfficer, Label: "Respond"},
		{CaseKind: casefile.ASB, CaseRef: "ASB-EEEE-FFFF", Name: "acknowledge", Due: today, Rule: "ASB-4", Team: catalog.GroupASBOfficer, Label: "Acknowledge the report"},
	}
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	q := c.do("GET", "/staff", nil)
	if q.StatusCode != http.StatusOK {
		t.Fatalf("queue: %d", q.StatusCode)
	}
	// the head and header the resident pages share (web's page-start), the console's own title, start and robots
	if !strings.Contains(q.Body, "<title>Your work queue – Housing staff console – Northtown Council</title>") ||
		!strings.Contains(q.Body, `<meta name="robots" content="noindex, nofollow">`) || !strings.Contains(q.Body, `<a href="/staff" class="govuk-generic-header__homepage-link">`) {
		t.Errorf("queue's head or header:\n%.800s", q.Body)
	}
	for _, want := range []string{`href="/staff/complaints/` + ref + `"`, `id="overdue-mine"`, `id="dueToday-team"`, "CH-4"} {
		if !strings.Contains(q.Body, want) {
			t.Errorf("queue lacks %s", want)
		}
	}
	if strings.Contains(q.Body, "ASB-EEEE-FFFF") {
		t.Error("another team's deadline on the queue")
	}
	page := c.do("GET", "/staff/complaints/"+ref, nil)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Sam Resident") || !strings.Contains(page.Body, "/staff/complaints/"+ref+"/acknowledge") {
		t.Fatalf("case page: %d\n%s", page.StatusCode, page.Body)
	}
	if len(c.views.All) != 1 || c.views.All[0].Ref != ref || c.views.All[0].By.ID != "officer-a" || !c.views.All[0].At.Equal(c.now) {
		t.Errorf("views %+v", c.views.All)
	}
	form := c.do("GET", "/staff/complaints/"+ref+"/acknowledge", nil)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("acknowledge form: %d", form.StatusCode)
	}
	bad := c.do("POST", "/staff/complaints/"+ref+"/acknowledge", url.Values{"definition": {""}, "outcomesSought": {strings.Repeat("x", 5001)}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `<a href="#definition">Enter your understanding of the complaint</a>`) ||
		!strings.Contains(bad.Body, `href="#outcomesSought"`) {
		t.Fatalf("invalid acknowledgement: %d\n%s", bad.StatusCode, bad.Body)
	}
	if r := c.do("POST", "/staff/complaints/"+ref+"/acknowledge", url.Values{"csrf": {"x"}, "definition": {"The lift"}, "outcomesSought": {"Fix it"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", r.StatusCode)
	}
	ok := c.do("POST", "/staff/complaints/"+ref+"/acknowledge", url.Values{"definition": {"The lift is broken"}, "outcomesSought": {"Fix it"}})
	if ok.StatusCode != http.StatusSeeOther || ok.Headers["Location"] != "/staff/complaints/"+ref {
		t.Fatalf("acknowledge: %d\n%s", ok.StatusCode, ok.Body)
	}
	st, _ := c.cmp.Load(context.Background(), ref)
	if st.Case.Current().AcknowledgedAt == nil || st.Case.Current().AcknowledgedBy.ID != "officer-a" || st.Case.Current().Definition != "The lift is broken" {
		t.Errorf("not acknowledged by officer-a: %+v", st.Case.Current())
	}
	after := c.do("GET", "/staff/complaints/"+ref, nil)
	if !strings.Contains(after.Body, "The complaint was acknowledged") || !strings.Contains(after.Body, "govuk-notification-banner") {
		t.Error("no confirmation banner")
	}
	// a second acknowledgement is the rule's refusal, shown in the summary with the rule's id
	again := c.do("POST", "/staff/complaints/"+ref+"/acknowledge", url.Values{"definition": {"Again"}, "outcomesSought": {"Fix it"}})
	if again.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(again.Body, `href="#rule-error"`) {
		t.Errorf("second acknowledgement: %d\n%s", again.StatusCode, again.Body)
	}
	// a manager-only action (the restriction route's groups): a complaints officer has neither link nor form
	if strings.Contains(after.Body, "/restrict\"") {
		t.Error("a complaints officer is offered the restriction")
	}
	if r := c.do("GET", "/staff/complaints/"+ref+"/restrict", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("restriction form for an officer: %d", r.StatusCode)
	}
	// a date in three boxes, checked by the API's validation and linked to its first box
	sr := c.do("POST", "/staff/complaints/"+ref+"/service-request", url.Values{"note": {"Repair"}, "dueOn-day": {"31"}, "dueOn-month": {"2"}, "dueOn-year": {"2027"}})
	if sr.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(sr.Body, `<a href="#dueOn-day">The due date must be a real date</a>`) {
		t.Errorf("service request with 31 February: %d\n%s", sr.StatusCode, sr.Body)
	}
	if r := c.do("GET", "/staff/complaints/CMP-0000-000I", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("malformed reference: %d", r.StatusCode)
	}
	if r := c.do("GET", "/staff/complaints/CMP-0000-0000", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown reference: %d", r.StatusCode)
	}
	if r := c.do("GET", "/staff/complaints/"+ref+"/no-such-action", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown action: %d", r.StatusCode)
	}
	if r := c.do("GET", "/staff/find?reference=cmp-aaaa-bbbb", nil); r.StatusCode != http.StatusSeeOther || r.Headers["Location"] != "/staff/complaints/"+ref {
		t.Errorf("find: %d %v", r.StatusCode, r.Headers)
	}
	if r := c.do("GET", "/staff/find?reference=%3Cscript%3E", nil); r.StatusCode != http.StatusUnprocessableEntity || strings.Contains(r.Body, "<script>") {
		t.Errorf("find a script: %d", r.StatusCode)
	}
}

// Groups decide, from the catalog: an ASB officer sees no link to a complaint on the queue, and the complaint's
// page and its actions are the 403 page for them; signed out, a form post is refused.
func TestWithoutTheGroupNeitherLinkNorPage(t *testing.T) {
	c := newConsole(t)
	ref := c.complaint("CMP-AAAA-CCCC")
	c.due.Open = []casefile.Deadline{{CaseKind: casefile.Complaint, CaseRef: ref, Name: "stage1-acknowledge", Due: workdays.DateOf(c.now),
		Rule: "CH-4", Manager: catalog.GroupASBOfficer, Team: catalog.GroupASBOfficer, Label: "x"}}
	c.signIn("officer-b", catalog.GroupASBOfficer)
	q := c.do("GET", "/staff", nil)
	if !strings.Contains(q.Body, ref) || strings.Contains(q.Body, `href="/staff/complaints/`) {
		t.Errorf("queue for an ASB officer links to a complaint")
	}
	for _, path := range []string{"/staff/complaints/" + ref, "/staff/complaints/" + ref + "/acknowledge"} {
		r := c.do("GET", path, nil)
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "You do not have access to this page") {
			t.Errorf("GET %s: %d", path, r.StatusCode)
		}
	}
	if r := c.do("POST", "/staff/complaints/"+ref+"/acknowledge", url.Values{"definition": {"x"}, "outcomesSought": {"y"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST acknowledge: %d", r.StatusCode)
	}
	st, _ := c.cmp.Load(context.Background(), ref)
	if st.Case.Current().AcknowledgedAt != nil || len(c.views.All) != 0 {
		t.Error("a refused officer changed or viewed the complaint")
	}
	// a complaints manager is offered the restriction
	c.signIn("manager-c", catalog.GroupComplaintsManager)
	if r := c.do("GET", "/staff/complaints/"+ref, nil); !strings.Contains(r.Body, `href="/staff/complaints/`+ref+`/restrict"`) {
		t.Error("no restriction link for a complaints manager")
	}
	if r := c.do("GET", "/staff/complaints/"+ref+"/restrict", nil); r.StatusCode != http.StatusOK {
		t.Errorf("restriction form for a manager: %d", r.StatusCode)
	}
	// no group at all: not even the queue
	c.signIn("nobody")
	if r := c.do("GET", "/staff", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("queue without a group: %d", r.StatusCode)
	}
	c.cookie = ""
	if r := c.do("POST", "/staff/complaints/"+ref+"/acknowledge", url.Values{"definition": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("signed out post: %d", r.StatusCode)
	}
}

// Every action names a JSON route of the catalog (its groups are the action's), and every console template
// takes its words from the message catalog.
func TestActionsMirrorCatalogRoutesAndTemplatesUseTheCatalog(t *testing.T) {
	for _, a := range complaintActions() {
		if len(routeGroups(a.Route)) == 0 {
			t.Errorf("%s: route %s has no groups", a.Name, a.Route)
		}
	}
	srv := NewServer(LoadTemplates(), &testsupport.Sessions{}, web.Site{})
	actions := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tags := regexp.MustCompile(`(?s)<[^>]*>`)
	entities := regexp.MustCompile(`&[a-z]+;|&#[0-9]+;`)
	letters := regexp.MustCompile(`\p{L}{2,}`)
	keys := regexp.MustCompile(`\bT "([^"]+)"`)
	dir := filepath.Join("..", "..", "web", "staff", "templates")
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
			if !srv.Catalog.Has(m[1]) {
				t.Errorf("%s names %q, which the messages lack", e.Name(), m[1])
			}
		}
	}
}

type (
	applicationLists struct{ registercases.Store }
	memApplications  struct {
		applicationLists
		*testsupport.Store[register.Record, register.Contact]
	}
)

// The register application's page shows the decision with its rule-cited reasons and what must still be
// checked; an allocations officer checks a claim with the same command as POST .../claims; a Housing Solutions
// Manager may read the application (its record route's groups) but not check claims; find opens it.
func TestApplicationPageAndClaimCheck(t *testing.T) {
	c := newConsole(t)
	apps := memApplications{Store: testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })}
	srv := NewServer(LoadTemplates(), c.sessions, web.Site{Name: "Northtown Council"})
	pages := Pages{Web: srv, SignIn: &Provider{Issuer: c.p.iss, ClientID: "console-client", AuthorizeURL: "https://login.example/oauth2/authorize",
		TokenURL: c.p.srv.URL + "/token", KeysURL: c.p.srv.URL + "/jwks.json", SiteURL: "https://housing.example", HTTP: c.p.srv.Client()},
		Console: console.Service{Deadlines: c.due, Views: c.views, Audit: c.audit}, Register: registercases.Service{Store: apps, Outbox: &testsupport.Outbox{}}}
	c.h = srv.Handler(catalog.MustFunction(catalog.StaffWebFunction), pages.Routes())
	a := register.Application{Applicant: register.Applicant{Details: contact.Details{Name: "Jo Applicant", Email: "jo@example.org", Address: "1 Example Road", Postcode: "NN1 1DE"},
		DateOfBirth: "1990-05-01"}, Household: []register.Member{{Name: "Kim", DateOfBirth: "2018-02-01", Relationship: "child"}},
		Age: 36, EligibleImmigrationStatus: true, Circumstances: []string{"sharing-facilities"}}
	rec, ev := register.NewRecord("HR-AAAA-BBBB", a, c.now.AddDate(0, 0, -2))
	ct := register.ContactOf(a)
	if err := apps.Create(context.Background(), casework.Stored[register.Record, register.Contact]{Case: rec, Contact: &ct},
		casework.Writes{Events: []casefile.Event{ev}}); err != nil {
		t.Fatal(err)
	}
	if len(rec.Decision.Outstanding) == 0 {
		t.Fatal("nothing outstanding to check")
	}
	claim := rec.Decision.Outstanding[0].Claim
	c.signIn("alloc-1", catalog.GroupAllocationsOfficer)
	if r := c.do("GET", "/staff/find?reference=HR-AAAA-BBBB", nil); r.Headers["Location"] != "/staff/applications/HR-AAAA-BBBB" {
		t.Errorf("find: %d %v", r.StatusCode, r.Headers)
	}
	page := c.do("GET", "/staff/applications/HR-AAAA-BBBB", nil)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Jo Applicant") || !strings.Contains(page.Body, "/verify-claim") ||
		!strings.Contains(page.Body, rec.Decision.Outstanding[0].Rule) {
		t.Fatalf("application page: %d\n%s", page.StatusCode, page.Body)
	}
	if len(c.views.All) != 1 || c.views.All[0].Kind != casefile.Application {
		t.Errorf("views %+v", c.views.All)
	}
	c.do("GET", "/staff/applications/HR-AAAA-BBBB/verify-claim", nil)
	bad := c.do("POST", "/staff/applications/HR-AAAA-BBBB/verify-claim", url.Values{"claim": {claim}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `href="#verified"`) || !strings.Contains(bad.Body, `href="#note"`) {
		t.Fatalf("incomplete check: %d\n%s", bad.StatusCode, bad.Body)
	}
	ok := c.do("POST", "/staff/applications/HR-AAAA-BBBB/verify-claim", url.Values{"claim": {claim}, "verified": {"yes"}, "note": {"Seen the tenancy agreement"}})
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("check: %d\n%s", ok.StatusCode, ok.Body)
	}
	st, _ := apps.Load(context.Background(), "HR-AAAA-BBBB")
	if len(st.Case.Council.Checks) != 1 || !st.Case.Council.Checks[0].Verified || st.Case.Council.Checks[0].By.ID != "alloc-1" {
		t.Errorf("checks %+v", st.Case.Council.Checks)
	}
	c.signIn("hsm-1", catalog.GroupHousingSolutionsManager)
	if r := c.do("GET", "/staff/applications/HR-AAAA-BBBB", nil); r.StatusCode != http.StatusOK || strings.Contains(r.Body, "/verify-claim") {
		t.Errorf("manager's view: %d", r.StatusCode)
	}
	if r := c.do("GET", "/staff/applications/HR-AAAA-BBBB/verify-claim", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("manager's claim check: %d", r.StatusCode)
	}
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	if r := c.do("GET", "/staff/applications/HR-AAAA-BBBB", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("a complaints officer opens an application: %d", r.StatusCode)
	}
}

// The console's pages are parsed when first rendered (issue 10's cold start): every one of them parses.
func TestEveryConsolePageParses(t *testing.T) {
	if err := NewServer(LoadTemplates(), nil, web.Site{}).Templates.ParseAll(); err != nil {
		t.Error(err)
	}
}
