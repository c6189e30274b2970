package staffweb

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/web"
)

// withASB gives the console an in-memory ASB store (and its queues) and files one report, named or anonymous.
func (c *console_) withASB(anonymous bool) (testsupport.ASBCases, string) {
	c.t.Helper()
	store := testsupport.NewASBCases()
	svc := asbcases.Service{Store: store, Outbox: &testsupport.Outbox{}, Homes: 12000}
	srv := NewServer(LoadTemplates(), c.sessions, web.Site{Name: "Northtown Council", Phone: "01234 567890"})
	pages := Pages{Web: srv, SignIn: &Provider{Issuer: c.p.iss, ClientID: "console-client", AuthorizeURL: "https://login.example/oauth2/authorize",
		TokenURL: c.p.srv.URL + "/token", KeysURL: c.p.srv.URL + "/jwks.json", SiteURL: "https://housing.example", HTTP: c.p.srv.Client()},
		Console: console.Service{Deadlines: c.due, Views: c.views, Audit: c.audit, ASB: svc}, ASB: svc}
	c.h = srv.Handler(catalog.MustFunction(catalog.StaffWebFunction), pages.Routes())
	form := asb.Report{Type: "noise", Description: "Loud music every night until 3am.", Location: asb.Location{Address: "Flat 4, 10 High Street", Postcode: "NN1 1AA"},
		Ongoing: true, Anonymous: anonymous}
	if !anonymous {
		form.Reporter = &asb.Reporter{Name: "Riley Reporter", Email: "riley@example.org"}
	}
	r, err := svc.Report(context.Background(), asbcases.Report{Form: form, At: c.now.AddDate(0, 0, -1)})
	if err != nil {
		c.t.Fatal(err)
	}
	return store, r.Case.Reference
}

// The ASB case page, for an ASB officer: the summary, the reporter as the JSON staff route shows them, the
// casework records read through the read routes' use cases, the actions their groups allow; each view is
// recorded. The new report is on the queue to acknowledge, and the acknowledgement is POST .../acknowledgement's
// use case. A complaints officer gets the 403 page and no link.
func TestASBCasePageAndAcknowledgement(t *testing.T) {
	c := newConsole(t)
	store, ref := c.withASB(false)
	c.signIn("asb-1", catalog.GroupASBOfficer)
	q := c.do("GET", "/staff", nil)
	if q.StatusCode != http.StatusOK || !strings.Contains(q.Body, `id="new-asb-reports"`) || !strings.Contains(q.Body, `href="/staff/asb/`+ref+`"`) {
		t.Fatalf("queue: %d\n%s", q.StatusCode, q.Body)
	}
	if r := c.do("GET", "/staff/find?reference="+strings.ToLower(ref), nil); r.Headers["Location"] != "/staff/asb/"+ref {
		t.Errorf("find: %d %v", r.StatusCode, r.Headers)
	}
	page := c.do("GET", "/staff/asb/"+ref, nil)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("case page: %d\n%s", page.StatusCode, page.Body)
	}
	for _, want := range []string{"Riley Reporter", "riley@example.org", "Flat 4, 10 High Street", "Noise", "/staff/asb/" + ref + "/acknowledge\"",
		"/staff/asb/" + ref + "/risk-assessment\"", "/staff/asb/" + ref + "/close\"", "Not assessed yet", "Acknowledge the report"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if strings.Contains(page.Body, "/review\"") {
		t.Error("a case review is offered with none asked for, and to an officer")
	}
	if len(c.views.All) != 1 || c.views.All[0].Kind != casefile.ASB || c.views.All[0].Ref != ref || c.views.All[0].By.ID != "asb-1" {
		t.Errorf("views %+v", c.views.All)
	}
	if r := c.do("GET", "/staff/asb/"+ref+"/acknowledge", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("acknowledge form: %d", r.StatusCode)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/acknowledge", url.Values{"csrf": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF token: %d", r.StatusCode)
	}
	ok := c.do("POST", "/staff/asb/"+ref+"/acknowledge", url.Values{})
	if ok.StatusCode != http.StatusSeeOther || ok.Headers["Location"] != "/staff/asb/"+ref {
		t.Fatalf("acknowledge: %d\n%s", ok.StatusCode, ok.Body)
	}
	st, _ := store.Load(context.Background(), ref)
	if st.Case.AcknowledgedAt == nil || st.Case.Status != asb.StatusAcknowledged {
		t.Errorf("not acknowledged: %+v", st.Case)
	}
	after := c.do("GET", "/staff/asb/"+ref, nil)
	if !strings.Contains(after.Body, "The report was acknowledged.") || strings.Contains(after.Body, "/acknowledge\"") {
		t.Error("no confirmation, or the acknowledgement still offered")
	}
	if q := c.do("GET", "/staff", nil); strings.Contains(q.Body, `id="new-asb-reports"`) {
		t.Error("an acknowledged report still on the queue to acknowledge")
	}
	again := c.do("POST", "/staff/asb/"+ref+"/acknowledge", url.Values{})
	if again.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(again.Body, `href="#rule-error"`) || !strings.Contains(again.Body, "(ASB-4)") {
		t.Errorf("second acknowledgement: %d\n%s", again.StatusCode, again.Body)
	}
	// the API's validation, field by field, onto the form: an appointment in the past, 31 February
	past := c.do("POST", "/staff/asb/"+ref+"/appointment", url.Values{"appointmentOn-day": {"1"}, "appointmentOn-month": {"1"}, "appointmentOn-year": {"2026"}})
	if past.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(past.Body, `<a href="#appointmentOn-day">The appointment date cannot be in the past</a>`) {
		t.Errorf("appointment in the past: %d\n%s", past.StatusCode, past.Body)
	}
	bad := c.do("POST", "/staff/asb/"+ref+"/add-cost", url.Values{"amount": {"12.345"}, "incurredOn-day": {"31"}, "incurredOn-month": {"2"}, "incurredOn-year": {"2026"}})
	for _, want := range []string{`href="#category"`, `<a href="#amount">The amount must be in pounds and pence, like 125.50</a>`} {
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, want) {
			t.Errorf("bad cost: %d lacks %s\n%s", bad.StatusCode, want, bad.Body)
		}
	}
	// a complaints officer: no link on the queue, and the page and its actions are the 403 page
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	if q := c.do("GET", "/staff", nil); strings.Contains(q.Body, "/staff/asb/") {
		t.Error("a complaints officer's queue links to an ASB case")
	}
	for _, path := range []string{"/staff/asb/" + ref, "/staff/asb/" + ref + "/close"} {
		if r := c.do("GET", path, nil); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "You do not have access to this page") {
			t.Errorf("GET %s for a complaints officer: %d", path, r.StatusCode)
		}
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/reopen", url.Values{"reason": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Errorf("POST for a complaints officer: %d", r.StatusCode)
	}
	if len(c.views.All) != 2 {
		t.Errorf("a refused officer's view was recorded: %d views", len(c.views.All))
	}
	c.signIn("asb-1", catalog.GroupASBOfficer)
	for path, want := range map[string]int{"/staff/asb/ASB-0000-000I": 404, "/staff/asb/ASB-0000-0000": 404, "/staff/asb/" + ref + "/no-such-action": 404,
		"/staff/asb/" + ref + "/review": 403} {
		if r := c.do("GET", path, nil); r.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, r.StatusCode, want)
		}
	}
}

// An action plan to closure: the ASB-5 check-list sets the level, an action is added, closure with it open is
// ASB-8's refusal in the error summary, and with what came of it the case closes; an anonymous report stays
// anonymous; the records forms add to the records the page reads back.
func TestASBCaseToClosure(t *testing.T) {
	c := newConsole(t)
	store, ref := c.withASB(true)
	c.signIn("asb-1", catalog.GroupASBOfficer)
	page := c.do("GET", "/staff/asb/"+ref, nil)
	if !strings.Contains(page.Body, "Anonymous report") || strings.Contains(page.Body, "Riley") {
		t.Errorf("anonymous report's page:\n%s", page.Body)
	}
	form := c.do("GET", "/staff/asb/"+ref+"/risk-assessment", nil)
	if !strings.Contains(form.Body, html.EscapeString(asb.ChecklistQuestions[0].Text)) {
		t.Error("the check-list's questions are not the rules' wording")
	}
	answers := url.Values{}
	for _, q := range asb.ChecklistQuestions[1:] {
		answers.Set(q.Field, "no")
	}
	missing := c.do("POST", "/staff/asb/"+ref+"/risk-assessment", answers)
	if missing.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(missing.Body, `href="#vulnerable"`) ||
		!strings.Contains(missing.Body, "Answer yes or no: "+html.EscapeString(asb.ChecklistQuestions[0].Text)) {
		t.Fatalf("check-list with an answer missing: %d\n%s", missing.StatusCode, missing.Body)
	}
	answers.Set("healthImpact", "yes")
	answers.Set("vulnerable", "no")
	if r := c.do("POST", "/staff/asb/"+ref+"/risk-assessment", answers); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("risk assessment: %d\n%s", r.StatusCode, r.Body)
	}
	due := workdays.DateOf(c.now).AddDays(14)
	day, month, year := strings.Split(due.String(), "-")[2], strings.Split(due.String(), "-")[1], strings.Split(due.String(), "-")[0]
	if r := c.do("POST", "/staff/asb/"+ref+"/add-action", url.Values{"tool": {"mediation"}, "description": {"Mediation with the neighbour"},
		"dueOn-day": {day}, "dueOn-month": {month}, "dueOn-year": {year}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add action: %d\n%s", r.StatusCode, r.Body)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/add-witness", url.Values{"name": {"Wren Witness"}, "willGiveEvidence": {"yes"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add witness: %d\n%s", r.StatusCode, r.Body)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/add-cost", url.Values{"category": {"mediation"}, "amount": {"£1,250.5"}, "description": {"Mediator"},
		"incurredOn-day": {"20"}, "incurredOn-month": {"11"}, "incurredOn-year": {"2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("add cost: %d\n%s", r.StatusCode, r.Body)
	}
	page = c.do("GET", "/staff/asb/"+ref, nil)
	for _, want := range []string{"medium", html.EscapeString(asb.ChecklistQuestions[7].Text), "Mediation with the neighbour", "Wren Witness", "£1250.50 in all, 1 costs.", "(ASB-5)"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	closeForm := c.do("GET", "/staff/asb/"+ref+"/close", nil)
	if !strings.Contains(closeForm.Body, `name="action-A1"`) || !strings.Contains(closeForm.Body, "What came of A1 (Mediation: Mediation with the neighbour)") {
		t.Errorf("closure form lacks the open action:\n%s", closeForm.Body)
	}
	refused := c.do("POST", "/staff/asb/"+ref+"/close", url.Values{"outcome": {"Resolved by mediation"}})
	if refused.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, `<a href="#rule-error">`) ||
		!strings.Contains(refused.Body, "has open actions (A1)") || !strings.Contains(refused.Body, "(ASB-8)") || !strings.Contains(refused.Body, "govuk-error-summary") {
		t.Fatalf("closure with an open action: %d\n%s", refused.StatusCode, refused.Body)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/close", url.Values{"outcome": {"Resolved by mediation"}, "action-A1": {"Both agreed quiet hours"},
		"handling": {"4"}, "satisfied": {"5"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("closure: %d\n%s", r.StatusCode, r.Body)
	}
	st, _ := store.Load(context.Background(), ref)
	if st.Case.Status != asb.StatusClosed || st.Case.Actions[0].Outcome != "Both agreed quiet hours" || st.Case.Satisfaction == nil || st.Case.Satisfaction.Outcome != 5 {
		t.Errorf("not closed as asked: %+v", st.Case)
	}
	closed := c.do("GET", "/staff/asb/"+ref, nil)
	if !strings.Contains(closed.Body, "/reopen\"") || strings.Contains(closed.Body, "/close\"") {
		t.Error("a closed case offers closure, or not reopening")
	}
}

// Case reviews the reporters asked for (ASB-7) are on an ASB manager's queue, and the outcome is theirs to decide.
func TestASBCaseReviewQueue(t *testing.T) {
	c := newConsole(t)
	_, ref := c.withASB(false)
	today := workdays.DateOf(c.now)
	c.due.Open = []casefile.Deadline{{CaseKind: casefile.ASB, CaseRef: ref, Name: "case-review", Due: workdays.AddWorkingDays(today, 9), Rule: "ASB-7",
		Team: asb.Manager, Manager: asb.Manager, Audience: casefile.Officer, Label: "Decide the case review the reporter asked for"}}
	c.signIn("asb-m", catalog.GroupASBManager)
	q := c.do("GET", "/staff", nil)
	if !strings.Contains(q.Body, `id="case-reviews"`) || !strings.Contains(q.Body, "Decide the case review") {
		t.Errorf("manager's queue lacks the case review:\n%s", q.Body)
	}
	if r := c.do("GET", "/staff/asb/"+ref+"/review", nil); r.StatusCode != http.StatusOK {
		t.Errorf("review form for a manager: %d", r.StatusCode)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/review", url.Values{"outcome": {"no-further-action"}, "findings": {"Handled well"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "(ASB-7)") {
		t.Errorf("a review with none asked for: %d", r.StatusCode)
	}
	c.signIn("asb-1", catalog.GroupASBOfficer)
	if q := c.do("GET", "/staff", nil); strings.Contains(q.Body, `id="case-reviews"`) {
		t.Error("an officer's queue has the managers' case reviews")
	}
}

// Every ASB action names a JSON route of the catalog, and the penny amounts read as the API's pence.
func TestASBActionsMirrorCatalogRoutes(t *testing.T) {
	for _, a := range asbActions() {
		if len(routeGroups(a.Route)) == 0 {
			t.Errorf("%s: route %s has no groups", a.Name, a.Route)
		}
	}
	for in, want := range map[string]int{"125": 12500, "125.5": 12550, "£1,250.05": 125005, "0.01": 1} {
		if got, ok := penceOf(in); !ok || got != want {
			t.Errorf("penceOf(%q) = %d %v", in, got, ok)
		}
	}
	for _, in := range []string{"1.234", "-5", "abc", "1.", ".5", "+3"} {
		if _, ok := penceOf(in); ok {
			t.Errorf("penceOf(%q) accepted", in)
		}
	}
}

// Every ASB form renders with the catalog's words (c.do fails on a missing key), and an empty post of each is
// refused with the error summary, never a server error.
func TestASBEveryFormRenders(t *testing.T) {
	c := newConsole(t)
	_, ref := c.withASB(false)
	c.signIn("asb-m", catalog.GroupASBOfficer, catalog.GroupASBManager)
	for _, a := range asbActions() {
		if r := c.do("GET", "/staff/asb/"+ref+"/"+a.Name, nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "govuk-button") {
			t.Errorf("GET %s: %d", a.Name, r.StatusCode)
		}
		if a.Name == "acknowledge" {
			continue // takes no input: an empty post acknowledges
		}
		if r := c.do("POST", "/staff/asb/"+ref+"/"+a.Name, url.Values{}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "govuk-error-summary") {
			t.Errorf("empty POST %s: %d", a.Name, r.StatusCode)
		}
	}
}

// Merging another case in and taking its report out again are POST .../merger's and .../unlinking's use cases:
// the merged report is a further report on the page, and unlinked it is a case of its own (ASB-9).
func TestASBMergeAndUnlink(t *testing.T) {
	c := newConsole(t)
	store, ref := c.withASB(false)
	svc := asbcases.Service{Store: store, Outbox: &testsupport.Outbox{}}
	other, err := svc.Report(context.Background(), asbcases.Report{At: c.now.Add(-time.Hour), Form: asb.Report{Type: "noise", Description: "Music from flat 5",
		Location: asb.Location{Address: "Flat 2, 10 High Street", Postcode: "NN1 1AB"}, Anonymous: true}})
	if err != nil || other.JoinedCase != "" {
		t.Fatalf("second report: %v %+v", err, other)
	}
	c.signIn("asb-1", catalog.GroupASBOfficer)
	c.do("GET", "/staff/asb/"+ref+"/merge", nil)
	bad := c.do("POST", "/staff/asb/"+ref+"/merge", url.Values{"from": {"ASB-0000-0000"}, "reason": {"Same flat"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `href="#from"`) {
		t.Errorf("merging an unknown case: %d\n%s", bad.StatusCode, bad.Body)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/merge", url.Values{"from": {strings.ToLower(other.Case.Reference)}, "reason": {"The same music"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("merge: %d\n%s", r.StatusCode, r.Body)
	}
	page := c.do("GET", "/staff/asb/"+ref, nil)
	if !strings.Contains(page.Body, "Case "+other.Case.Reference+" was merged into this one.") || !strings.Contains(page.Body, "I2 (") ||
		!strings.Contains(page.Body, "from case "+other.Case.Reference) {
		t.Errorf("the merged report is not on the page:\n%s", page.Body)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/unlink", url.Values{"incident": {"I9"}, "reason": {"x"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, `href="#incident"`) {
		t.Errorf("unlinking a report the case lacks: %d", r.StatusCode)
	}
	if r := c.do("POST", "/staff/asb/"+ref+"/unlink", url.Values{"incident": {"I2"}, "reason": {"x"}}); r.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "it cannot be unlinked (ASB-9)") {
		t.Errorf("unlinking a merged case's report: %d", r.StatusCode)
	}
	joined, err := svc.Report(context.Background(), asbcases.Report{At: c.now.Add(-time.Minute), Form: asb.Report{Type: "noise", Description: "Shouting late at night",
		Location: asb.Location{Address: "Flat 4, 10 High Street", Postcode: "NN1 1AA"}, Anonymous: true}})
	if err != nil || joined.JoinedCase != ref || joined.Incident != "I3" {
		t.Fatalf("joined report: %v %+v", err, joined)
	}
	r := c.do("POST", "/staff/asb/"+ref+"/unlink", url.Values{"incident": {"i3"}, "reason": {"A different problem after all"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlink: %d\n%s", r.StatusCode, r.Body)
	}
	if page := c.do("GET", "/staff/asb/"+ref, nil); !strings.Contains(page.Body, "The report is now case ASB-") || !strings.Contains(page.Body, "taken out into case ASB-") {
		t.Errorf("no new case named after unlinking:\n%s", page.Body)
	}
}

// The case page shows the newest page of each kind of record and links to the older ones, kind by kind, through
// the read routes' signed tokens: a token of another kind or a changed one is a 400, never another page.
func TestASBRecordsArePagedByKind(t *testing.T) {
	c := newConsole(t)
	_, ref := c.withASB(false)
	c.signIn("asb-1", catalog.GroupASBOfficer)
	c.do("GET", "/staff/asb/"+ref, nil) // the session's form token
	n := asbcases.MaxRecordsPage + 3
	for i := 1; i <= n; i++ {
		if r := c.do("POST", "/staff/asb/"+ref+"/add-evidence", url.Values{"kind": {asb.EvidenceKinds[0]}, "reference": {fmt.Sprintf("Evidence number %02d", i)},
			"obtainedOn-day": {"20"}, "obtainedOn-month": {"11"}, "obtainedOn-year": {"2026"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("add evidence %d: %d\n%s", i, r.StatusCode, r.Body)
		}
	}
	page := c.do("GET", "/staff/asb/"+ref, nil)
	older := regexp.MustCompile(`href="/staff/asb/` + ref + `\?evidence=([^"#]+)#evidence">Older evidence<`).FindStringSubmatch(page.Body)
	if page.StatusCode != http.StatusOK || older == nil || !strings.Contains(page.Body, "Evidence number 23") || strings.Contains(page.Body, "Evidence number 03") ||
		strings.Contains(page.Body, "Older diary entries") {
		t.Fatalf("newest evidence: %d, older link %v\n%s", page.StatusCode, older, page.Body)
	}
	token := html.UnescapeString(older[1])
	next := c.do("GET", "/staff/asb/"+ref+"?evidence="+token, nil)
	if next.StatusCode != http.StatusOK || !strings.Contains(next.Body, "Evidence number 03") || !strings.Contains(next.Body, "Evidence number 01") ||
		strings.Contains(next.Body, "Evidence number 04") || !strings.Contains(next.Body, `href="/staff/asb/`+ref+`#evidence">Newest evidence<`) ||
		strings.Contains(next.Body, "Older evidence") {
		t.Fatalf("older evidence: %d\n%s", next.StatusCode, next.Body)
	}
	for name, query := range map[string]string{"another kind's token": "diary=" + token, "a changed token": "evidence=" + token + "x",
		"an overlong token": "evidence=" + strings.Repeat("a", maxPageToken+1)} {
		if r := c.do("GET", "/staff/asb/"+ref+"?"+query, nil); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, r.StatusCode)
		}
	}
}

// A message to the resident is on the timeline as the notifier recorded it (CH-9's correspondence record): which
// message, how and to whom; the address it went to is not repeated on the page.
func TestTimelineSaysWhichMessageWentHowAndToWhom(t *testing.T) {
	c := newConsole(t)
	store, ref := c.withASB(false)
	store.Note(ref, casefile.Event{At: c.now, Actor: "notifier", Action: "notification-sent",
		Details: map[string]any{"template": "asb-acknowledged", "channel": "email", "role": "reporter", "to": "riley@example.org"}})
	c.signIn("asb-1", catalog.GroupASBOfficer)
	page := c.do("GET", "/staff/asb/"+ref, nil)
	var row string
	for _, r := range strings.Split(page.Body, "</tr>") {
		if strings.Contains(r, "notification-sent") {
			row = r
		}
	}
	if !strings.Contains(row, "Message asb-acknowledged by email to the reporter") || strings.Contains(row, "riley@example.org") {
		t.Errorf("the message's timeline row: %q", row)
	}
}
