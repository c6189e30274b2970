// Package staffweb is the staff console: server-rendered pages over the same application services as the JSON
// API (shared/transport/web is its foundation: sessions, CSRF, templates, messages, forms). An officer signs in
// through the staff user pool's managed login (OAuth 2.0 authorization code with PKCE, the ID token verified
// against the pool's keys) into a server-side session of its own, separate from residents'. What they see and
// may do is the catalog's declaration: each page and action names the JSON route it mirrors and is allowed only
// to that route's groups, so the console and the API never disagree.
package staffweb

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/idem"
	"github.com/councilhousing/backend/shared/transport/web"
	files "github.com/councilhousing/backend/shared/web"
)

// CookieName is the console's session cookie, apart from the resident pages' __Host-session.
const CookieName = "__Host-staff"

// Pages serves the console.
type Pages struct {
	Web        *web.Server
	SignIn     *Provider
	Console    console.Service
	Complaints complaintcases.Service
	Register   registercases.Service
	ASB        asbcases.Service
	// Answers finds what a form sent before with the same one-time key led to (the idempotency table, as the JSON
	// API's Idempotency-Key): the log-a-complaint form (complaint_log.go).
	Answers idem.Answers
}

// LoadTemplates are the console's templates: its own layout and pages with the shared form partials
// (web.LoadTemplates).
func LoadTemplates() *web.Templates {
	return web.MustLoadTemplates(files.StaffTemplateFiles(), files.ResidentTemplateFiles())
}

// NewServer is the console's web server: its templates (LoadTemplates), the shared messages and its own, and
// its own session cookie.
func NewServer(templates *web.Templates, sessions web.SessionStore, site web.Site) *web.Server {
	return &web.Server{Sessions: sessions, Catalog: web.NewCatalog(files.ResidentTexts(), files.StaffTexts()), Templates: templates, Site: site,
		Cookie: CookieName, MaxFormKeys: maxFormKeys}
}

// Templates is where the console's templates are (for the template tests).
func Templates() fs.FS { return files.StaffTemplates() }

// Routes are the console's page handlers, by the catalog's route keys.
func (p *Pages) Routes() web.Routes {
	anyStaff := catalog.StaffGroups() // the queue and find are for all staff
	return web.Routes{
		"GET /staff":                                    p.signedIn(anyStaff, p.queue),
		"GET /staff/sign-in":                            p.signInStart,
		"GET /staff/callback":                           p.callback,
		"POST /staff/sign-out":                          p.signOut,
		"GET /staff/signed-out":                         p.signedOut,
		"GET /staff/find":                               p.signedIn(anyStaff, p.find),
		"GET /staff/complaints/{reference}":             p.signedIn(routeGroups(complaintRecordRoute), p.complaint),
		"GET /staff/complaints/{reference}/{action}":    p.signedIn(anyStaff, p.complaintAction),
		"GET /staff/log-complaint":                      p.signedIn(routeGroups(logComplaintRoute), p.logComplaint),
		"POST /staff/log-complaint":                     p.signedIn(routeGroups(logComplaintRoute), p.logComplaint),
		"POST /staff/complaints/{reference}/{action}":   p.signedIn(anyStaff, p.complaintAction),
		"GET /staff/applications/{reference}":           p.signedIn(routeGroups(applicationRecordRoute), p.application),
		"GET /staff/applications/{reference}/{action}":  p.signedIn(anyStaff, p.applicationAction),
		"POST /staff/applications/{reference}/{action}": p.signedIn(anyStaff, p.applicationAction),
		"GET /staff/asb/{reference}":                    p.signedIn(routeGroups(asbRecordRoute), p.asbCase),
		"GET /staff/asb/{reference}/{action}":           p.signedIn(anyStaff, p.asbCaseAction),
		"POST /staff/asb/{reference}/{action}":          p.signedIn(anyStaff, p.asbCaseAction),
		"GET /staff/reports":                            p.signedIn(anyStaff, p.reportsIndex),
		"GET /staff/reports/asb":                        p.signedIn(routeGroups(asbReportRoute), p.asbReport),
		"GET /staff/reports/complaints":                 p.signedIn(routeGroups(complaintsReportRoute), p.complaintsReport),
		"GET /staff/reports/register":                   p.signedIn(routeGroups(registerReportRoute), p.registerReport),
		"GET " + selfAssessmentPath:                     p.signedIn(routeGroups(selfAssessmentRoute), p.selfAssessment),
		"POST " + selfAssessmentPath:                    p.signedIn(routeGroups(selfAssessmentRoute), p.selfAssessment),
	}
}

// routeGroups are the groups of a JSON route of the catalog (a missing route is a programming error, found by
// the tests and at cold start).
func routeGroups(key string) []string {
	groups, ok := catalog.RouteGroups()[key]
	if !ok {
		panic("staffweb: the catalog has no route " + key)
	}
	return groups
}

// officerOf is the signed-in officer, or false when there is none (never signed in, or IdleFor since their last
// page, or AbsoluteFor since signing in: both sign them out). A page keeps them signed in, saved at most once a
// minute.
func officerOf(r *web.Request) (Officer, bool) {
	if !r.HasSession() {
		return Officer{}, false
	}
	var o Officer
	s, now := r.Session(), r.Now()
	if !s.KeptAs(keptOfficer, &o) {
		return Officer{}, false
	}
	if now.Sub(o.SeenAt) > IdleFor || now.Sub(o.SignedInAt) > AbsoluteFor || o.SeenAt.Sub(now) > time.Minute {
		s.Forget(keptOfficer)
		return Officer{}, false
	}
	if now.Sub(o.SeenAt) > time.Minute {
		o.SeenAt = now
		_ = s.Keep(keptOfficer, o)
	}
	return o, true
}

type staffHandler func(ctx context.Context, r *web.Request, o Officer) (web.Response, error)

// signedIn runs h for a signed-in officer in one of groups: signed out, a page sends them to sign in (and back
// here afterwards) and a form post is refused (403, as a post without its token); outside the groups, the 403
// page.
func (p *Pages) signedIn(groups []string, h staffHandler) web.HandlerFunc {
	return func(ctx context.Context, r *web.Request) (web.Response, error) {
		o, ok := officerOf(r)
		if !ok {
			if r.Event.RequestContext.HTTP.Method == http.MethodPost {
				return web.Response{}, apperr.New(apperr.Forbidden, "Sign in again.")
			}
			return web.Redirect("/staff/sign-in?" + url.Values{"return": {r.Event.RawPath}}.Encode())
		}
		if !o.Staff().In(groups...) {
			return p.forbidden(r, o)
		}
		return h(ctx, r, o)
	}
}

// forbidden is the 403 page: the officer is signed in but their groups do not allow this.
func (p *Pages) forbidden(r *web.Request, o Officer) (web.Response, error) {
	return p.render(r, o, http.StatusForbidden, "forbidden", "staff.forbidden.title", web.Form{}, nil)
}

// view is what every console page gets besides its own data: the officer, and the links their groups allow.
type view struct {
	Officer Officer
	Flash   string
	Data    any
}

func (p *Pages) render(r *web.Request, o Officer, status int, name, titleKey string, form web.Form, data any) (web.Response, error) {
	v := view{Officer: o, Data: data}
	if r.HasSession() {
		var flash string
		if r.Session().KeptAs(keptFlash, &flash) {
			v.Flash = flash
			r.Session().Forget(keptFlash)
		}
	}
	pg := r.Page(titleKey, form, v)
	return r.RenderPage(status, name, pg)
}

// safeReturn keeps only a path of the console as where to go after signing in: never another site, a
// protocol-relative or malformed URL, a header injection, or the sign-in itself.
func safeReturn(path string) string {
	u, err := url.Parse(path)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.RawQuery != "" || u.Fragment != "" || len(path) > 200 ||
		!(path == "/staff" || strings.HasPrefix(path, "/staff/")) || strings.ContainsAny(path, "\\\r\n") || strings.Contains(path, "..") ||
		path == "/staff/sign-in" || path == CallbackPath {
		return "/staff"
	}
	return path
}

// signInStart sends the visitor to the provider with a new pending sign-in in a (new) pre-session.
func (p *Pages) signInStart(ctx context.Context, r *web.Request) (web.Response, error) {
	if _, ok := officerOf(r); ok {
		return web.Redirect(safeReturn(r.Query("return")))
	}
	to, err := p.SignIn.begin(r.Session(), safeReturn(r.Query("return")), r.Now())
	if err != nil {
		return web.Response{}, err
	}
	return web.Redirect(to)
}

// callback completes the sign-in; any failure shows the same page (with a way to try again) and is logged by
// its reason alone.
func (p *Pages) callback(ctx context.Context, r *web.Request) (web.Response, error) {
	if !r.HasSession() {
		return p.signInFailed(ctx, r, "no pre-session")
	}
	q := url.Values{}
	for k, v := range r.Event.QueryStringParameters {
		q.Set(k, v)
	}
	o, returnTo, reason, err := p.SignIn.finish(ctx, r.Session(), q, r.Now())
	if err != nil {
		return p.signInFailed(ctx, r, reason)
	}
	s := r.Session()
	s.Renew() // a new id once signed in: an id seen before signing in is worth nothing
	if err := s.Keep(keptOfficer, o); err != nil {
		return web.Response{}, err
	}
	slog.InfoContext(ctx, "staff signed in", "groups", strings.Join(o.Groups, " ")) // who: Cognito's own sign-in log; never here
	return web.Redirect(returnTo)
}

func (p *Pages) signInFailed(ctx context.Context, r *web.Request, reason string) (web.Response, error) {
	slog.WarnContext(ctx, "staff sign-in refused", "reason", reason)
	return p.render(r, Officer{}, http.StatusForbidden, "signin-failed", "staff.signinFailed.title", web.Form{}, nil)
}

// signOut ends the console's session (a form post with its CSRF token) and the provider's.
func (p *Pages) signOut(ctx context.Context, r *web.Request) (web.Response, error) {
	r.Session().End()
	return web.Redirect(p.SignIn.logoutURL())
}

func (p *Pages) signedOut(ctx context.Context, r *web.Request) (web.Response, error) {
	return p.render(r, Officer{}, http.StatusOK, "signed-out", "staff.signedOut.title", web.Form{}, nil)
}

// queue is the officer's work queue for today (London).
func (p *Pages) queue(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	q, err := p.Console.Queue(ctx, console.QueueRequest{By: o.Staff(), Today: workdays.DateOf(r.Now()),
		NewASBReports: o.Staff().In(routeGroups(asbListRoute)...), CaseReviews: o.Staff().In(routeGroups(asbReviewRoute)...),
		AwaitingVerification: o.Staff().In(routeGroups(verifyClaimRoute)...), OutstandingActions: o.Staff().In(routeGroups(completeItemRoute)...)})
	if err != nil {
		return web.Response{}, err
	}
	links := p.caseLinks(o)
	links["log-complaint"] = o.Staff().In(routeGroups(logComplaintRoute)...) // complaint_log.go
	return p.render(r, o, http.StatusOK, "queue", "staff.queue.title", web.Form{}, queueView{Queue: q, Links: links, Paths: casePaths,
		Weeks: console.OutstandingActionsWeeks})
}

type queueView struct {
	console.Queue
	Links map[string]bool
	Paths map[string]string
	Weeks int // how far ahead the outstanding complaint actions reach
}

// casePaths are where each kind's case pages are.
var casePaths = map[string]string{"complaint": "/staff/complaints/", "application": "/staff/applications/", "asb": "/staff/asb/"}

// caseLinks says which kinds of case page the officer may open (the catalog's record routes).
func (p *Pages) caseLinks(o Officer) map[string]bool {
	return map[string]bool{"complaint": o.Staff().In(routeGroups(complaintRecordRoute)...),
		"application": o.Staff().In(routeGroups(applicationRecordRoute)...),
		"asb":         o.Staff().In(routeGroups(asbRecordRoute)...)}
}

// references are what the service gives out (ids.NewReference): a prefix, then two groups of 4 of Crockford's
// base32 without I, L, O and U.
// It is compiled on first use, not at cold start (issue 10).
var reference = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(CMP|ASB|HR|SAR)-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
})

var findField = web.Field{Name: "reference", Kind: web.Text, Key: "staff.find.reference", Paths: []string{"reference", "contact", "postcode"},
	MaxLength: 254, Width: "govuk-input--width-20"} // a reference, or a postcode, an email address or a phone number (find.go)

// find opens a case by its reference (typed in any case, with or without spaces), or finds a person's cases by
// their postcode, email address or phone number (find.go).
func (p *Pages) find(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	typed, asked := r.Event.QueryStringParameters["reference"]
	ref := strings.ToUpper(strings.Join(strings.Fields(typed), ""))
	if by := searchedBy(typed); asked && by != "" && !reference().MatchString(ref) {
		return p.findPerson(ctx, r, o, typed, by) // a postcode, an email address or a phone number (find.go)
	}
	var err error
	if asked {
		var f apperr.Fields
		switch {
		case ref == "":
			f.Add("reference", "is required")
		case len(ref) > 20 || !reference().MatchString(ref):
			f.Add("reference", "must be a case reference (like CMP-7K3M-9QXD), a postcode, an email address or a phone number")
		case strings.HasPrefix(ref, "CMP-"):
			return p.openFound(ctx, r, o, "complaint", ref) // recorded, then opened (find.go)
		case strings.HasPrefix(ref, "HR-"):
			return p.openFound(ctx, r, o, "application", ref) // recorded, then opened (find.go)
		case strings.HasPrefix(ref, "ASB-"):
			return p.openFound(ctx, r, o, "asb", ref) // recorded, then opened (find.go)
		default:
			f.Add("reference", "is of a kind of case the console does not show yet")
		}
		err = f.Err()
	}
	form := web.BuildForm(r, []web.Field{findField}, map[string][]string{"reference": {cut(typed, findField.MaxLength+1)}}, err)
	form.Fields[0].Heading = false
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return p.render(r, o, status, "find", "staff.find.title", form, nil)
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// summarise finishes an action form's error summary and says how to answer: each field's error in the words the
// page gives the field (the labels the rules give: questions, types, claims), and an error no field shows (a
// rule's, cited once; a conflict; a field of the API's the form lacks) at the top of the page (#rule-error),
// returned as ruleError. The status is 422 when there is anything to put right, else 200.
func summarise(form *web.Form, runErr error) (ruleError string, status int) {
	for i, e := range form.Errors {
		for _, f := range form.Fields {
			if e.Href == "#"+f.FirstID() && f.Error != "" {
				form.Errors[i].Text = f.Error
			}
		}
	}
	if e, ok := apperr.As(runErr); ok && len(form.Errors) == 0 {
		ruleError = citedOnce(e.Message, e.Rule)
		if len(e.Fields) > 0 {
			ruleError = e.Fields[0].Field + " " + e.Fields[0].Message
		}
		form.Errors = append(form.Errors, web.ErrorLink{Text: ruleError, Href: "#rule-error"})
	}
	if len(form.Errors) > 0 {
		return ruleError, http.StatusUnprocessableEntity
	}
	return ruleError, http.StatusOK
}
