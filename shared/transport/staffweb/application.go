package staffweb

import (
	"context"
	"net/http"
	"strings"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/transport/web"
)

// The housing register application's page and its first action (verifying a claim); the JSON routes they
// mirror decide who may use them.
const (
	applicationRecordRoute = "GET /register/applications/{reference}/record"
	verifyClaimRoute       = "POST /register/applications/{reference}/claims"
)

// applicationView is the application page's data.
type applicationView struct {
	Record registercases.Stored
	// ProvisionalBand is the band the claims would give if confirmed ("" for none), beside the decided one.
	ProvisionalBand string
	Timeline        []casefile.Event
	Next            string
	Older           bool
	CanCheck        bool
}

func isApplication(ref string) bool {
	return reference().MatchString(ref) && strings.HasPrefix(ref, "HR-")
}

// application is a register application's page: the decision with its reasons (each citing its rule), what the
// council must still check, the applicant and household, deadlines and the history, paged; each view recorded.
func (p *Pages) application(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	if !isApplication(ref) {
		return web.Response{}, web.NotFound()
	}
	st, err := p.Register.Record(ctx, registercases.Read{Ref: ref, By: o.Staff()})
	if err != nil {
		return web.Response{}, err
	}
	v := applicationView{Record: st, Timeline: st.Timeline, Next: st.TimelineNext, CanCheck: o.Staff().In(routeGroups(verifyClaimRoute)...)}
	if b := st.Case.Decision.Provisional.Band; b != nil {
		v.ProvisionalBand = *b
	}
	if token := r.Query("page"); token != "" {
		if len(token) > 2048 {
			return web.Response{}, apperr.New(apperr.Invalid, "That page of the history does not exist.")
		}
		h, err := p.Register.History(ctx, registercases.History{Ref: ref, By: o.Staff(), At: r.Now(),
			Input: casework.PageRequest{Limit: casework.HistoryPageSize, Token: token}})
		if err != nil {
			return web.Response{}, err
		}
		v.Timeline, v.Next, v.Older = h.Events, h.Next, true
	}
	if err := p.Console.RecordView(ctx, console.View{Kind: casefile.Application, Ref: ref, By: o.Staff().Actor(), At: r.Now()}); err != nil {
		return web.Response{}, err
	}
	return p.render(r, o, http.StatusOK, "application", "staff.application.title", web.Form{}, v)
}

// verifyFields are the claim check's fields; the claims offered are those the council must still check (their
// labels are the decision's own words).
func verifyFields(outstanding []register.Outstanding) []web.Field {
	var claims []string
	for _, o := range outstanding {
		if !containsString(claims, o.Claim) {
			claims = append(claims, o.Claim)
		}
	}
	return []web.Field{
		{Name: "claim", Kind: web.Radios, Key: "staff.application.verify-claim.claim", Paths: []string{"claim"}, Options: claims},
		{Name: "verified", Kind: web.Radios, Key: "staff.application.verify-claim.verified", Paths: []string{"verified"}, Options: []string{"yes", "no"}},
		text("note", "staff.application.verify-claim.note", 2000, false),
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// applicationAction shows or sends the claim check: the command POST /register/applications/{reference}/claims
// takes, to the same service method.
func (p *Pages) applicationAction(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	if r.Event.PathParameters["action"] != "verify-claim" || !isApplication(ref) {
		return web.Response{}, web.NotFound()
	}
	if !o.Staff().In(routeGroups(verifyClaimRoute)...) {
		return p.forbidden(r, o)
	}
	st, err := p.Register.Record(ctx, registercases.Read{Ref: ref, By: o.Staff()})
	if err != nil {
		return web.Response{}, err
	}
	fields := verifyFields(st.Case.Decision.Outstanding)
	answers := map[string][]string{}
	var runErr error
	if r.Form != nil {
		web.Store(answers, fields, r.Form)
		in := register.ClaimCheck{Claim: one(answers, "claim"), Note: one(answers, "note")}
		switch one(answers, "verified") {
		case "yes", "no":
			verified := one(answers, "verified") == "yes"
			in.Verified = &verified
		}
		if _, runErr = p.Register.VerifyClaim(ctx, registercases.VerifyClaim{Ref: ref, By: o.Staff(), At: r.Now(), Input: in}); runErr == nil {
			_ = r.Session().Keep(keptFlash, r.T("staff.application.verify-claim.done"))
			return web.Redirect("/staff/applications/" + ref)
		}
		if code := apperr.CodeOf(runErr); code == apperr.Internal || code == apperr.NotFound {
			return web.Response{}, runErr
		}
	}
	form := web.BuildForm(r, fields, answers, runErr)
	for i := range form.Fields {
		form.Fields[i].Heading = false
		if form.Fields[i].Name == "claim" {
			for j, opt := range form.Fields[i].Options {
				for _, out := range st.Case.Decision.Outstanding {
					if out.Claim == opt.Value {
						form.Fields[i].Options[j].Label = out.Text
					}
				}
			}
		}
	}
	v := actionView{Ref: ref, Action: "verify-claim"}
	if e, ok := apperr.As(runErr); ok && len(form.Errors) == 0 {
		v.RuleError = e.Message
		if e.Rule != "" {
			v.RuleError += " (" + e.Rule + ")"
		}
		form.Errors = append(form.Errors, web.ErrorLink{Text: v.RuleError, Href: "#rule-error"})
	}
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	pg := r.Page("staff.application.verify-claim.title", form, view{Officer: o, Data: v})
	return r.RenderPage(status, "application-action", pg)
}
