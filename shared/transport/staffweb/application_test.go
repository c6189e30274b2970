package staffweb

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/web"
)

// withRegister gives the console an in-memory register and files an application claiming sharing facilities
// (Band B, checked against evidence) and a category 1 hazard (Band A, the council's decision); change, if set,
// adds to the council's record before it is stored.
func (c *console_) withRegister(ref string, change func(*register.Record)) memApplications {
	c.t.Helper()
	apps := memApplications{Store: testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })}
	srv := NewServer(LoadTemplates(), c.sessions, web.Site{Name: "Northtown Council"})
	pages := Pages{Web: srv, SignIn: &Provider{Issuer: c.p.iss, ClientID: "console-client", AuthorizeURL: "https://login.example/oauth2/authorize",
		TokenURL: c.p.srv.URL + "/token", KeysURL: c.p.srv.URL + "/jwks.json", SiteURL: "https://housing.example", HTTP: c.p.srv.Client()},
		Console: console.Service{Deadlines: c.due, Views: c.views, Audit: c.audit}, Register: registercases.Service{Store: apps, Outbox: &testsupport.Outbox{}}}
	c.h = srv.Handler(catalog.MustFunction(catalog.StaffWebFunction), pages.Routes())
	a := register.Application{Applicant: register.Applicant{Details: contact.Details{Name: "Jo Applicant", Email: "jo@example.org", Address: "1 Example Road", Postcode: "NN1 1DE"},
		DateOfBirth: "1990-05-01"}, Household: []register.Member{{Name: "Kim", DateOfBirth: "2018-02-01", Relationship: "child"}},
		Age: 36, EligibleImmigrationStatus: true, Circumstances: []string{"sharing-facilities", "hhsrs-category-1"}}
	rec, ev := register.NewRecord(ref, a, c.now.AddDate(0, 0, -2))
	if change != nil {
		change(&rec)
	}
	ct := register.ContactOf(a)
	if err := apps.Create(context.Background(), casework.Stored[register.Record, register.Contact]{Case: rec, Contact: &ct},
		casework.Writes{Events: []casefile.Event{ev}}); err != nil {
		c.t.Fatal(err)
	}
	return apps
}

func (m memApplications) load(t *testing.T, ref string) register.Record {
	t.Helper()
	st, err := m.Load(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return st.Case
}

var actionLinks = regexp.MustCompile(`href="/staff/applications/HR-[0-9A-Z-]+/([a-z-]+)"`)

// offeredActions are the application's actions the page links to.
func offeredActions(body string) string {
	var out []string
	for _, m := range actionLinks.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, " ")
}

// summaryOf is the error summary's text.
func summaryOf(body string) string {
	i := strings.Index(body, "govuk-error-summary__list")
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</ul>")
	return html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(body[i:i+j], ""))
}

// An allocations officer takes an application from awaiting verification to housed, each form the command of
// its JSON route to the same method: the page offers only what fits the state (no offer while awaiting
// verification; an offer once registered), an offer sent too early is HR-E2's refusal in the error summary
// with its rule id once, the validation's problems are at their fields, and a closed application offers
// nothing and refuses any change with its rule.
func TestApplicationFromVerificationToHoused(t *testing.T) {
	c := newConsole(t)
	const ref = "HR-AAAA-CCCC"
	apps := c.withRegister(ref, nil)
	path := "/staff/applications/" + ref
	c.signIn("alloc-1", catalog.GroupAllocationsOfficer)
	page := c.do("GET", path, nil)
	if page.StatusCode != http.StatusOK || offeredActions(page.Body) != "verify-claim decide medical-award assign debt debt-exception behaviour close remove" {
		t.Fatalf("awaiting verification: %d offers %q", page.StatusCode, offeredActions(page.Body))
	}
	// an offer before anything is confirmed: the rule's refusal, once, in the error summary
	early := c.do("POST", path+"/offer", url.Values{"offeredOn-day": {"23"}, "offeredOn-month": {"11"}, "offeredOn-year": {"2026"},
		"property": {"2 Example Road"}, "refused": {"no"}})
	if s := summaryOf(early.Body); early.StatusCode != http.StatusUnprocessableEntity || strings.Count(s, "(HR-E2)") != 1 || !strings.Contains(early.Body, `href="#rule-error"`) {
		t.Errorf("an early offer: %d summary %q", early.StatusCode, s)
	}
	// assign: the form offers the officer themselves
	if f := c.do("GET", path+"/assign", nil); f.StatusCode != http.StatusOK || !strings.Contains(f.Body, `value="alloc-1"`) || !strings.Contains(f.Body, `value="Officer alloc-1"`) {
		t.Errorf("assign form: %d\n%s", f.StatusCode, f.Body)
	}
	if r := c.do("POST", path+"/assign", url.Values{"officerId": {"alloc-2"}, "officerName": {"Bo Officer"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", r.StatusCode, r.Body)
	}
	if o := apps.load(t, ref).Council.Officer; o == nil || o.ID != "alloc-2" || o.Name != "Bo Officer" {
		t.Errorf("officer %+v", o)
	}
	// the claim check offers only claims checked against evidence; then the council's decision
	vf := c.do("GET", path+"/verify-claim", nil)
	if !strings.Contains(vf.Body, `value="sharing-facilities"`) || strings.Contains(vf.Body, `value="hhsrs-category-1"`) {
		t.Errorf("claim check offers the wrong claims:\n%s", vf.Body)
	}
	if r := c.do("POST", path+"/verify-claim", url.Values{"claim": {"sharing-facilities"}, "verified": {"yes"}, "note": {"Seen the licence"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d\n%s", r.StatusCode, r.Body)
	}
	if d := apps.load(t, ref).Decision; d.Status != register.StatusRegistered || d.BandName() != register.BandB {
		t.Errorf("after the check: %s %s", d.Status, d.BandName())
	}
	bad := c.do("POST", path+"/decide", url.Values{"decision": {"hhsrs-category-1"}, "decidedOn-day": {"31"}, "decidedOn-month": {"2"}, "decidedOn-year": {"2026"}})
	for _, want := range []string{`href="#applies"`, `href="#note"`, `<a href="#decidedOn-day">The date it was decided must be a real date</a>`} {
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, want) {
			t.Errorf("bad decision: %d lacks %s", bad.StatusCode, want)
		}
	}
	if r := c.do("POST", path+"/decide", url.Values{"decision": {"hhsrs-category-1"}, "applies": {"yes"}, "decidedOn-day": {"20"}, "decidedOn-month": {"11"},
		"decidedOn-year": {"2026"}, "note": {"Confirmed by the Private Sector Housing Team"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d\n%s", r.StatusCode, r.Body)
	}
	rec := apps.load(t, ref)
	if rec.Decision.BandName() != register.BandA || len(rec.Council.Decisions) != 1 || rec.Council.Decisions[0].By.ID != "alloc-1" {
		t.Errorf("after the decision: %s %+v", rec.Decision.BandName(), rec.Council.Decisions)
	}
	page = c.do("GET", path, nil)
	if !strings.Contains(page.Body, "The decision was recorded") || offeredActions(page.Body) != "decide medical-award assign offer debt debt-exception behaviour close remove" {
		t.Errorf("registered: offers %q", offeredActions(page.Body))
	}
	// the offer: "refused" unanswered is required, with the validation's own problems beside it
	noAnswer := c.do("POST", path+"/offer", url.Values{"property": {"2 Example Road"}})
	if s := summaryOf(noAnswer.Body); noAnswer.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(s, "Choose whether the applicant refused the offer") ||
		!strings.Contains(s, "Enter the date of the offer") {
		t.Errorf("offer without answers: %d %q", noAnswer.StatusCode, s)
	}
	if st := apps.load(t, ref); len(st.Council.Offers) != 0 {
		t.Fatal("an unanswered offer was recorded")
	}
	if r := c.do("POST", path+"/offer", url.Values{"offeredOn-day": {"23"}, "offeredOn-month": {"11"}, "offeredOn-year": {"2026"},
		"property": {"2 Example Road"}, "refused": {"no"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("offer: %d\n%s", r.StatusCode, r.Body)
	}
	if page = c.do("GET", path, nil); !strings.Contains(page.Body, "2 Example Road") {
		t.Error("the offer is not on the page")
	}
	// closure: housed needs the property (the API's validation, at the field)
	noProperty := c.do("POST", path+"/close", url.Values{"reason": {"housed"}, "note": {"Moved in"}})
	if noProperty.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(noProperty.Body, `<a href="#property">The property is required when the reason is housed</a>`) {
		t.Errorf("housed without a property: %d %q", noProperty.StatusCode, summaryOf(noProperty.Body))
	}
	if r := c.do("POST", path+"/close", url.Values{"reason": {"housed"}, "property": {"2 Example Road"}, "note": {"Tenancy started on 30 November"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d\n%s", r.StatusCode, r.Body)
	}
	rec = apps.load(t, ref)
	if rec.Decision.Status != register.StatusClosed || rec.Council.Closure == nil || rec.Council.Closure.Reason != register.ClosedHoused {
		t.Errorf("closed: %+v", rec.Council.Closure)
	}
	page = c.do("GET", path, nil)
	if offeredActions(page.Body) != "" || !strings.Contains(page.Body, "Housed (HR-D)") {
		t.Errorf("a closed application offers %q", offeredActions(page.Body))
	}
	again := c.do("POST", path+"/debt", url.Values{"amount": {"0"}})
	if s := summaryOf(again.Body); again.StatusCode != http.StatusUnprocessableEntity || strings.Count(s, "(HR-D)") != 1 || !strings.Contains(s, "closed (housed)") {
		t.Errorf("a change after closure: %d %q", again.StatusCode, s)
	}
}

// HR-U, HR-U1 and HR-E3 through their forms; a refused direct offer's statutory review (HR-EM); the debt in
// pounds; the Housing Solutions Manager decides a review of reduced priority and is offered nothing else.
func TestApplicationFindingsReviewsAndRemoval(t *testing.T) {
	c := newConsole(t)
	const ref = "HR-AAAA-DDDD"
	today := workdays.DateOf(c.now)
	apps := c.withRegister(ref, func(r *register.Record) {
		r.Council.Reviews = []register.ReviewRecord{{Number: 1, RequestedOn: today, Channel: "phone", Grounds: "The debt is paid", Causes: []string{"housing-debt"}, DueOn: today.AddDays(14)}}
	})
	path := "/staff/applications/" + ref
	c.signIn("alloc-1", catalog.GroupAllocationsOfficer)
	if strings.Contains(offeredActions(c.do("GET", path, nil).Body), "review-decision") {
		t.Error("an allocations officer is offered the manager's review decision")
	}
	if r := c.do("POST", path+"/verify-claim", url.Values{"claim": {"sharing-facilities"}, "verified": {"yes"}, "note": {"Seen the licence"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", r.StatusCode)
	}
	// a refused direct offer with a statutory review asked for, then its outcome
	if r := c.do("POST", path+"/offer", url.Values{"offeredOn-day": {"20"}, "offeredOn-month": {"11"}, "offeredOn-year": {"2026"}, "property": {"3 Example Road"},
		"direct": {"yes"}, "refused": {"yes"}, "statutoryReview": {"yes"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("direct offer: %d %q", r.StatusCode, summaryOf(r.Body))
	}
	if !strings.Contains(offeredActions(c.do("GET", path, nil).Body), "statutory-review") {
		t.Error("no statutory review offered for a refused direct offer")
	}
	if f := c.do("GET", path+"/statutory-review", nil); !strings.Contains(f.Body, "Offer 1: 3 Example Road, offered on 2026-11-20 and refused on 2026-11-20") {
		t.Errorf("statutory review form:\n%s", f.Body)
	}
	if r := c.do("POST", path+"/statutory-review", url.Values{"offer": {"1"}, "outcome": {"unsuitable"}, "decidedOn-day": {"23"}, "decidedOn-month": {"11"},
		"decidedOn-year": {"2026"}, "note": {"The property was not suitable for the child's needs"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("statutory review: %d %q", r.StatusCode, summaryOf(r.Body))
	}
	if o := apps.load(t, ref).Council.Offers[0]; o.StatutoryReview == nil || o.StatutoryReview.Outcome != register.StatutoryUnsuitable {
		t.Errorf("offer %+v", o)
	}
	// debt in pounds: what cannot be read is the form's own field error; then £450.50 with a plan
	badDebt := c.do("POST", path+"/debt", url.Values{"amount": {"12.345"}})
	if badDebt.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(badDebt.Body, `<a href="#amount">The housing debt must be in pounds and pence, like 450.00</a>`) {
		t.Errorf("bad debt: %d %q", badDebt.StatusCode, summaryOf(badDebt.Body))
	}
	if r := c.do("POST", path+"/debt", url.Values{"amount": {"£450.50"}, "weeklyRent": {"95"}, "repaymentPlan": {"agreed", "kept"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("debt: %d\n%s", r.StatusCode, r.Body)
	}
	if d := apps.load(t, ref).Council.HousingDebt; d == nil || d.Amount != 45050 || d.WeeklyRent != 9500 || !d.RepaymentPlan.Agreed || !d.RepaymentPlan.Kept {
		t.Errorf("debt %+v", d)
	}
	// HR-U: unacceptable behaviour stops offers; the offer link goes and an offer is the rule's refusal
	if r := c.do("POST", path+"/behaviour", url.Values{"code": {"nuisance"}, "applies": {"yes"}, "evidence": {"Noise abatement notice, March 2026"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("behaviour: %d %q", r.StatusCode, summaryOf(r.Body))
	}
	if strings.Contains(" "+offeredActions(c.do("GET", path, nil).Body)+" ", " offer ") {
		t.Error("an offer is offered while HR-U applies")
	}
	blocked := c.do("POST", path+"/offer", url.Values{"offeredOn-day": {"24"}, "offeredOn-month": {"11"}, "offeredOn-year": {"2026"}, "property": {"4 Example Road"}, "refused": {"no"}})
	if s := summaryOf(blocked.Body); blocked.StatusCode != http.StatusUnprocessableEntity || strings.Count(s, "(HR-U)") != 1 {
		t.Errorf("an offer while HR-U applies: %d %q", blocked.StatusCode, s)
	}
	// violence to staff is not a behaviour code here: it is the removal
	if f := c.do("GET", path+"/behaviour", nil); strings.Contains(f.Body, `value="violence-to-staff"`) || !strings.Contains(f.Body, "Nuisance or annoyance to neighbours or visitors (HR-U)") {
		t.Error("the behaviour form's codes")
	}
	if r := c.do("POST", path+"/debt-exception", url.Values{"code": {"urgent-medical"}, "applies": {"yes"}, "evidence": {"GP's letter"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("debt exception: %d %q", r.StatusCode, summaryOf(r.Body))
	}
	if ex := apps.load(t, ref).Council.DebtExceptions; len(ex) != 1 || ex[0].Code != "urgent-medical" || !ex[0].Applies {
		t.Errorf("exceptions %+v", ex)
	}
	// the Housing Solutions Manager: only the review decision
	c.signIn("hsm-1", catalog.GroupHousingSolutionsManager)
	if got := offeredActions(c.do("GET", path, nil).Body); got != "review-decision" {
		t.Errorf("the manager is offered %q", got)
	}
	if r := c.do("GET", path+"/close", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("the manager's closure form: %d", r.StatusCode)
	}
	if r := c.do("POST", path+"/review-decision", url.Values{"review": {"1"}, "outcome": {"upheld"}, "note": {"The debt is not yet cleared"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("review decision: %d %q", r.StatusCode, summaryOf(r.Body))
	}
	if rv := apps.load(t, ref).Council.Reviews[0]; rv.Outcome != register.ReviewUpheld || rv.DecidedBy == nil || rv.DecidedBy.ID != "hsm-1" {
		t.Errorf("review %+v", rv)
	}
	// HR-E3: removed at once
	c.signIn("alloc-1", catalog.GroupAllocationsOfficer)
	c.do("GET", path, nil)
	if r := c.do("POST", path+"/remove", url.Values{"incidentOn-day": {"23"}, "incidentOn-month": {"11"}, "incidentOn-year": {"2026"}, "evidence": {"Threatened the officer at the counter"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d %q", r.StatusCode, summaryOf(r.Body))
	}
	if d := apps.load(t, ref).Decision; d.Status != register.StatusRemoved {
		t.Errorf("removed: %s", d.Status)
	}
	again := c.do("POST", path+"/close", url.Values{"reason": {"withdrawn"}, "note": {"x"}})
	if s := summaryOf(again.Body); strings.Count(s, "(HR-E3)") != 1 {
		t.Errorf("a change after removal: %d %q", again.StatusCode, s)
	}
}

// Every register staff route that changes an application has its form, allowed to that route's groups: each
// renders, and an empty post is refused at its fields (never a 5xx); an unknown action is not found.
func TestEveryApplicationFormRendersAndRefusesAnEmptyPost(t *testing.T) {
	forms := map[string]bool{}
	for _, a := range appActions() {
		forms[a.Route] = true
		if len(routeGroups(a.Route)) == 0 {
			t.Errorf("%s: route %s has no groups", a.Name, a.Route)
		}
	}
	for _, r := range catalog.MustFunction("register-application").Routes {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/register/applications/{reference}/") && r.Auth == catalog.Staff && !forms[r.RouteKey()] {
			t.Errorf("%s has no form in the console", r.RouteKey())
		}
	}
	c := newConsole(t)
	const ref = "HR-AAAA-EEEE"
	today := workdays.DateOf(c.now)
	c.withRegister(ref, func(r *register.Record) {
		r.Council.Reviews = []register.ReviewRecord{{Number: 1, RequestedOn: today, Channel: "phone", Grounds: "x", Causes: []string{"housing-debt"}, DueOn: today.AddDays(14)}}
		r.Council.Offers = []register.OfferRecord{{Number: 1, OfferedOn: "2026-11-20", Property: "3 Example Road", Direct: true, Refused: true, RefusedOn: "2026-11-20", Reasonable: true}}
	})
	for _, a := range appActions() {
		group := catalog.GroupAllocationsOfficer
		if a.Name == "review-decision" {
			group = catalog.GroupHousingSolutionsManager
		}
		c.signIn("user-"+a.Name, group)
		path := "/staff/applications/" + ref + "/" + a.Name
		if r := c.do("GET", path, nil); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "<h1") {
			t.Errorf("GET %s: %d", path, r.StatusCode)
		}
		r := c.do("POST", path, url.Values{})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "govuk-error-summary") || strings.Contains(r.Body, `href="#rule-error"`) {
			t.Errorf("an empty %s: %d %q", a.Name, r.StatusCode, summaryOf(r.Body))
		}
	}
	if r := c.do("GET", "/staff/applications/"+ref+"/nothing", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown action: %d", r.StatusCode)
	}
}
