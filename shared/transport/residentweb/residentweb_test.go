package residentweb

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/web"
	files "github.com/councilhousing/backend/shared/web"
)

// The kinds' stores in memory: the generic store's case methods, and the lists (which the pages never use)
// left to the interface, nil.
type (
	complaintLists   struct{ complaintcases.Store }
	applicationLists struct{ registercases.Store }
	memComplaints    struct {
		complaintLists
		*testsupport.Store[complaints.Complaint, complaints.Contact]
	}
	memApplications struct {
		applicationLists
		*testsupport.Store[register.Record, register.Contact]
	}
)

type site struct {
	t       *testing.T
	h       func(context.Context, events.APIGatewayV2HTTPRequest) (web.Response, error)
	asb     testsupport.ASBCases
	cmp     memComplaints
	apps    memApplications
	codes   *testsupport.SignInCodes
	cookie  string
	csrf    string
	now     time.Time
	visited map[string]bool
}

func newSite(t *testing.T) *site {
	s := &site{t: t, asb: testsupport.NewASBCases(), now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), visited: map[string]bool{},
		cmp:  memComplaints{Store: testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference })},
		apps: memApplications{Store: testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })}}
	out := &testsupport.Outbox{}
	srv := web.NewServer(web.MustLoadTemplates(files.ResidentTemplateFiles()), files.ResidentTexts(), &testsupport.Sessions{},
		web.Site{Name: "Northtown Council", Phone: "01234 567890", Email: "housing@northtown.example", Address: "1 Town Hall, NN1 1AA"})
	s.codes = &testsupport.SignInCodes{}
	pages := Pages{Web: srv, ASB: asbcases.Service{Store: s.asb, Outbox: out}, Complaints: complaintcases.Service{Store: s.cmp, Outbox: out},
		Register: registercases.Service{Store: s.apps, Outbox: out}, Retention: Retention{ASBCase: "P6Y", Complaint: "P6Y", ApplicationClosed: "P2Y", ApplicationHoused: "P6Y"},
		Access: residentaccess.Service{Codes: s.codes, Directory: &testsupport.Directory{Sources: s.directory()}, Outbox: out,
			ASB: s.asb, Complaints: s.cmp, Applications: s.apps}}
	s.h = srv.Handler(catalog.MustFunction(catalog.ResidentWebFunction), pages.Routes())
	return s
}

var (
	csrfField  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	missingKey = regexp.MustCompile(`\[[a-zA-Z-]+\.[a-zA-Z.-]+\]`)
	routeOf    = regexp.MustCompile(`^/([a-z-]+)/[^/?]+`)
)

func (s *site) do(method, target string, form url.Values) web.Response {
	s.t.Helper()
	u, _ := url.Parse(target)
	key := method + " /"
	params := map[string]string{}
	if m := routeOf.FindStringSubmatch(u.Path); m != nil {
		key = method + " /" + m[1] + "/{page}"
		params["page"] = strings.TrimPrefix(u.Path, "/"+m[1]+"/")
	}
	ev := events.APIGatewayV2HTTPRequest{RouteKey: key, RawPath: u.Path, PathParameters: params, Headers: map[string]string{}}
	if q := u.Query(); len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for k := range q {
			ev.QueryStringParameters[k] = q.Get(k)
		}
	}
	ev.RequestContext.HTTP.Method = method
	ev.RequestContext.TimeEpoch = s.now.UnixMilli()
	if s.cookie != "" {
		ev.Cookies = []string{s.cookie}
	}
	if form != nil {
		form.Set("csrf", s.csrf)
		ev.Headers["content-type"] = "application/x-www-form-urlencoded"
		ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString([]byte(form.Encode())), true
	}
	resp, err := s.h(context.Background(), ev)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, c := range resp.Cookies {
		s.cookie = strings.SplitN(c, ";", 2)[0]
	}
	if m := csrfField.FindStringSubmatch(resp.Body); m != nil {
		s.csrf = m[1]
	}
	if k := missingKey.FindString(resp.Body); k != "" {
		s.t.Errorf("%s %s shows a missing catalog key %s", method, target, k)
	}
	if resp.StatusCode == http.StatusOK {
		s.visited[u.Path] = true
	}
	return resp
}

// answer gets a page, then posts the values; it returns where the post led.
func (s *site) answer(page string, values url.Values) string {
	s.t.Helper()
	if r := s.do("GET", page, nil); r.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d\n%s", page, r.StatusCode, r.Body)
	}
	r := s.do("POST", page, values)
	if r.StatusCode != http.StatusSeeOther {
		s.t.Fatalf("POST %s: %d\n%s", page, r.StatusCode, errorsOf(r.Body))
	}
	return r.Headers["Location"]
}

var summaryItem = regexp.MustCompile(`<li><a href="([^"]+)">([^<]+)</a></li>`)

func errorsOf(body string) [][]string {
	var out [][]string
	for _, m := range summaryItem.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1:])
	}
	return out
}

// walk answers each page it is led to with the values for that page, until check your answers.
func (s *site) walk(start string, answers map[string]url.Values) {
	s.t.Helper()
	page := start
	for i := 0; !strings.HasSuffix(page, "/"+checkPage); i++ {
		if i > 40 {
			s.t.Fatal("the journey does not end")
		}
		name := page[strings.LastIndex(page, "/")+1:]
		v, ok := answers[name]
		if !ok {
			v = url.Values{}
		}
		page = s.answer(page, v)
	}
}

// Reporting ASB: every page in turn, the "call 999" advice when a crime is in progress, check your answers,
// and the confirmation with the reference and the dates of what the service stored: the same asb.Report the
// JSON API takes.
func TestReportASB(t *testing.T) {
	s := newSite(t)
	if r := s.do("GET", "/", nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `href="/report-asb/what-is-happening"`) {
		t.Fatalf("start page: %d", r.StatusCode)
	}
	// wrong input: the error summary links to the field, and the page keeps what was typed
	s.do("GET", "/report-asb/where", nil)
	bad := s.do("POST", "/report-asb/where", url.Values{"address": {"10 Example Road"}, "postcode": {"XX 12"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || len(errorsOf(bad.Body)) != 1 || errorsOf(bad.Body)[0][0] != "#postcode" ||
		errorsOf(bad.Body)[0][1] != "Postcode must be a UK postcode" || !strings.Contains(bad.Body, `value="XX 12"`) {
		t.Fatalf("bad postcode: %d %v", bad.StatusCode, errorsOf(bad.Body))
	}
	s.walk("/report-asb/what-is-happening", map[string]url.Values{
		"what-is-happening":   {"type": {"noise"}},
		"describe":            {"description": {"Loud music every night after midnight."}},
		"where":               {"address": {"Flat 2, 10 Example Road"}, "postcode": {"NN1 1DE"}},
		"when":                {"occurred-day": {"20"}, "occurred-month": {"11"}, "occurred-year": {"2026"}},
		"still-happening":     {"ongoing": {"yes"}},
		"risk":                {"risk": {"crimeInProgress", "feelsUnsafe"}},
		"anonymous":           {"anonymous": {"no"}},
		"your-details":        {"name": {"Alex Resident"}, "email": {"alex@example.org"}},
		"contact-preferences": {"preferredContact": {"email"}, "language": {"pl"}},
	})
	if !s.visited["/report-asb/call-999"] {
		t.Error("no call 999 page for a crime in progress")
	}
	check := s.do("GET", "/report-asb/check-answers", nil)
	for _, want := range []string{"Loud music every night after midnight.", "Noise", "Polski (Polish)", `href="/report-asb/where?change=1"`} {
		if !strings.Contains(check.Body, want) {
			t.Errorf("check your answers lacks %q", want)
		}
	}
	sent := s.do("POST", "/report-asb/check-answers", url.Values{})
	if sent.StatusCode != http.StatusSeeOther || sent.Headers["Location"] != "/report-asb/confirmation" {
		t.Fatalf("send: %d %v", sent.StatusCode, errorsOf(sent.Body))
	}
	done := s.do("GET", "/report-asb/confirmation", nil)
	cases := s.asb.All()
	if len(cases) != 1 {
		t.Fatalf("%d cases stored", len(cases))
	}
	c := cases[0]
	stored, _ := s.asb.Load(context.Background(), c.Reference)
	if c.Type != "noise" || stored.Contact == nil || stored.Contact.Language != "pl" || stored.Contact.Email != "alex@example.org" || c.RiskLevel != asb.RiskHigh {
		t.Errorf("stored %+v %+v", c, stored.Contact)
	}
	for _, want := range []string{c.Reference, c.AcknowledgeBy.String(), "call 999"} {
		if !strings.Contains(done.Body, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	if again := s.do("GET", "/report-asb/check-answers", nil); again.StatusCode != http.StatusSeeOther {
		t.Error("the answers were kept after sending")
	}
}

// Making a complaint for a resident, with their consent: the representative's page only when asked for, the
// consent checked by the complaint's own validation, and the confirmation with the acknowledgement date.
func TestMakeAComplaint(t *testing.T) {
	s := newSite(t)
	answers := map[string]url.Values{
		"what-went-wrong":     {"description": {"My boiler repair was booked three times and nobody came."}},
		"outcome":             {"outcomesSought": {"Fix the boiler and apologise"}},
		"service":             {"serviceArea": {"repairs"}},
		"when":                {"issueDate-day": {"14"}, "issueDate-month": {"11"}, "issueDate-year": {"2026"}},
		"legal":               {"legalProceedings": {"no"}},
		"on-behalf":           {"onBehalf": {"yes"}},
		"representative":      {"repName": {"Jo Advocate"}, "repRelationship": {"advocate"}},
		"adjustments":         {"adjustments": {"Large print letters"}},
		"your-details":        {"name": {"Sam Example"}, "phone": {"07700 900123"}},
		"contact-preferences": {"preferredContact": {"sms"}, "language": {"en"}},
	}
	s.do("GET", "/complain/representative", nil)
	if r := s.do("GET", "/complain/representative", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("representative page before the question: %d", r.StatusCode)
	}
	s.answer("/complain/on-behalf", answers["on-behalf"])
	noConsent := s.do("POST", "/complain/representative", answers["representative"])
	if errs := errorsOf(noConsent.Body); len(errs) != 1 || errs[0][0] != "#repConsent" {
		t.Fatalf("no consent: %v", errs)
	}
	answers["representative"].Set("repConsent", consentGiven)
	s.walk("/complain/what-went-wrong", answers)
	if r := s.do("POST", "/complain/check-answers", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d %v", r.StatusCode, errorsOf(r.Body))
	}
	done := s.do("GET", "/complain/confirmation", nil)
	all := s.cmp.All()
	if len(all) != 1 {
		t.Fatalf("%d complaints", len(all))
	}
	st, _ := s.cmp.Load(context.Background(), all[0].Reference)
	if st.Contact.Representative == nil || !st.Contact.Representative.Consent || st.Contact.Adjustments != "Large print letters" || all[0].ServiceArea != "repairs" {
		t.Errorf("stored %+v", all[0])
	}
	for _, want := range []string{all[0].Reference, all[0].Current().AcknowledgeBy.String()} {
		if !strings.Contains(done.Body, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
}

// Applying to the housing register: the pre-screen first, then the application with two household members
// (add another), debts and work; the confirmation shows the provisional decision with its reasons and what
// the council will check. Not eligible: the journey stops at the pre-screen's decision.
func TestApplyToTheRegister(t *testing.T) {
	s := newSite(t)
	s.walk("/apply/age", map[string]url.Values{
		"age":           {"age": {"34"}},
		"immigration":   {"immigration": {"yes"}},
		"circumstances": {"circumstances": {"sharing-facilities"}},
		"medical":       {"medicalNeed": {"no"}},
		"date-of-birth": {"dateOfBirth-day": {"2"}, "dateOfBirth-month": {"3"}, "dateOfBirth-year": {"1992"}},
		"address":       {"contactAddress": {"4 Example Street, Northtown"}, "contactPostcode": {"NN1 2AB"}},
		"others":        {"othersLiveWithYou": {"yes"}},
		"household-member": {"memberName": {"Kim Example"}, "memberDob-day": {"1"}, "memberDob-month": {"1"}, "memberDob-year": {"2015"},
			"memberRelationship": {"daughter"}, "addAnother": {"no"}},
		"housing-debt":        {"debt": {"no"}},
		"work":                {"working": {"yes"}},
		"work-details":        {"hoursPerWeek": {"20"}, "monthsWorked": {"12"}, "contract": {"permanent"}},
		"volunteering":        {"volunteering": {"no"}},
		"your-details":        {"name": {"Pat Applicant"}, "email": {"pat@example.org"}},
		"contact-preferences": {"preferredContact": {"email"}, "language": {"en"}},
	})
	if r := s.do("POST", "/apply/check-answers", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("send: %d %v", r.StatusCode, errorsOf(r.Body))
	}
	done := s.do("GET", "/apply/confirmation", nil)
	all := s.apps.All()
	if len(all) != 1 {
		t.Fatalf("%d applications", len(all))
	}
	st, _ := s.apps.Load(context.Background(), all[0].Reference)
	if len(st.Contact.Household) != 1 || st.Contact.Household[0].Name != "Kim Example" || all[0].Application.Working == nil {
		t.Errorf("stored %+v", st.Contact)
	}
	if !strings.Contains(done.Body, all[0].Reference) || len(all[0].Decision.Outstanding) == 0 || !strings.Contains(done.Body, all[0].Decision.Outstanding[0].Text) {
		t.Errorf("confirmation lacks the reference or what the council will check")
	}

	s = newSite(t)
	s.walk("/apply/age", map[string]url.Values{"age": {"age": {"34"}}, "immigration": {"immigration": {"no"}}})
	_ = s
}

// The help pages: accessibility statement, privacy notice (with the configured retention), cookies.
func TestHelpPages(t *testing.T) {
	s := newSite(t)
	for page, want := range map[string]string{"accessibility": "WCAG", "privacy": "6 years after the case closes", "cookies": "__Host-session"} {
		r := s.do("GET", "/help/"+page, nil)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, want) {
			t.Errorf("%s: %d, lacks %q", page, r.StatusCode, want)
		}
	}
	if r := s.do("GET", "/help/nothing", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown help page: %d", r.StatusCode)
	}
}

// The resident pages and the staff console share one head and header (web's page-start): the start page's
// title is the service's name once, a question's its own first; search engines may list the resident pages.
func TestPageTitlesAndHeader(t *testing.T) {
	s := newSite(t)
	start := s.do("GET", "/", nil)
	question := s.do("GET", "/report-asb/what-is-happening", nil)
	for name, want := range map[string]string{
		"start":    "<title>Housing services – Northtown Council</title>",
		"question": " – Housing services – Northtown Council</title>",
	} {
		page := map[string]string{"start": start.Body, "question": question.Body}[name]
		if !strings.Contains(page, want) || strings.Contains(page, `name="robots"`) || !strings.Contains(page, `<a href="/" class="govuk-generic-header__homepage-link">Northtown Council`) {
			t.Errorf("%s page's head or header, want %q:\n%.600s", name, want, page)
		}
	}
}
