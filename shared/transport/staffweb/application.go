package staffweb

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/web"
)

// The housing register application's page and its actions. The page mirrors GET .../record (who may read an
// application); each action is the JSON route of its use case (shared/transport/registerapi's route table),
// calls the same registercases method with the same command, and is allowed only to that route's groups.
const (
	applicationRecordRoute = "GET /register/applications/{reference}/record"
	verifyClaimRoute       = "POST /register/applications/{reference}/claims"
	appRoute               = "POST /register/applications/{reference}/"
)

// appCmd is what every application action shares: which application, who acts, when.
type appCmd struct {
	Ref string
	By  casework.Staff
	At  time.Time
}

func act[In any](c appCmd, in In) casework.Action[In] {
	return casework.Action[In]{Ref: c.Ref, By: c.By, At: c.At, Input: in}
}

// appAction is one of the application's actions as a form: the JSON route it mirrors, its fields (given the
// application, for those that list its offers or reviews), whether the page offers it in the application's
// state, and the service call.
type appAction struct {
	Name    string
	Route   string
	Fields  func(rec register.Record) []web.Field
	Offered func(rec register.Record, today workdays.Date) bool
	Run     func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error
}

func ak(action, field string) string { return "staff.application." + action + "." + field }

func appFixed(fields ...web.Field) func(register.Record) []web.Field {
	return func(register.Record) []web.Field { return fields }
}

// whileOpen: every change needs the application open (not closed or removed).
func whileOpen(rec register.Record, _ workdays.Date) bool { return rec.Council.Closure == nil }

// yesOrNo is a yes/no radio's answer as the API's *bool (nil when not answered: the API says it is required).
func yesOrNo(v map[string][]string, name string) *bool {
	switch one(v, name) {
	case "yes":
		t := true
		return &t
	case "no":
		f := false
		return &f
	}
	return nil
}

// alsoRequired adds "is required" for unanswered questions the API reads as a plain false (a form cannot tell
// "no" from "not answered") to the validation's own problems, so the form shows every problem at once.
func alsoRequired(err error, names ...string) error {
	var f apperr.Fields
	for _, n := range names {
		f.Add(n, "is required")
	}
	if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
		for _, fe := range e.Fields {
			f.Add(fe.Field, "%s", fe.Message)
		}
	}
	return f.Err()
}

// codeOptions are a code table's codes (less those left out) for radios; codeLabel words them as the rules do.
func codeOptions(table []register.Code, except ...string) []string {
	var out []string
	for _, c := range table {
		if !slices.Contains(except, c.Code) {
			out = append(out, c.Code)
		}
	}
	return out
}

// verifiableClaims are the outstanding claims an officer checks against evidence: not the council's decisions,
// the medical adviser's award or the confirmed debt, which have forms of their own.
func verifiableClaims(outstanding []register.Outstanding) []string {
	decided := codeOptions(register.CouncilDecisionCodes())
	var claims []string
	for _, o := range outstanding {
		if o.Claim == register.ClaimMedical || o.Claim == register.ClaimHousingDebt || slices.Contains(decided, o.Claim) || slices.Contains(claims, o.Claim) {
			continue
		}
		claims = append(claims, o.Claim)
	}
	return claims
}

// verifyFields are the claim check's fields; the claims offered are those the council must still check (their
// labels are the decision's own words).
func verifyFields(rec register.Record) []web.Field {
	return []web.Field{
		{Name: "claim", Kind: web.Radios, Key: ak("verify-claim", "claim"), Paths: []string{"claim"}, Options: verifiableClaims(rec.Decision.Outstanding)},
		{Name: "verified", Kind: web.Radios, Key: ak("verify-claim", "verified"), Paths: []string{"verified"}, Options: yesNo},
		text("note", ak("verify-claim", "note"), 2000, false),
	}
}

// refusedDirectOffers are the offers whose statutory review may still be recorded (HR-EM).
func refusedDirectOffers(rec register.Record) []register.OfferRecord {
	var out []register.OfferRecord
	for _, o := range rec.Council.Offers {
		if o.Direct && o.Refused && (o.StatutoryReview == nil || o.StatutoryReview.Outcome == "" || o.StatutoryReview.Outcome == register.StatutoryPending) {
			out = append(out, o)
		}
	}
	return out
}

// pendingReviews are the applicant's reviews of reduced priority not yet decided (HR-R).
func pendingReviews(rec register.Record) []register.ReviewRecord {
	var out []register.ReviewRecord
	for _, r := range rec.Council.Reviews {
		if r.Outcome == "" {
			out = append(out, r)
		}
	}
	return out
}

func numbers[T any](list []T, n func(T) int) []string {
	var out []string
	for _, x := range list {
		out = append(out, strconv.Itoa(n(x)))
	}
	return out
}

// number reads a radio's number ("" or anything else is 0: the API's validation says it is required).
func number(v map[string][]string, name string) int {
	n, _ := strconv.Atoi(one(v, name))
	return n
}

// moneyOf reads pounds ("450", "450.5", "£1,450.50") as the API's Money; "" is 0.
func moneyOf(s string) (register.Money, bool) {
	s = strings.NewReplacer("£", "", ",", "", " ", "").Replace(s)
	if s == "" {
		return 0, true
	}
	return register.ParseMoney(s)
}

var (
	closureReasons = []string{register.ClosedHoused, register.ClosedWithdrawn, register.ClosedNoLongerEligible}
	closureRules   = []string{"HR-E1", "HR-E2"}
)

// appActions are the register application's actions the console offers, each the JSON API's use case, in the
// order the page lists them. Built on first use (issue 10).
var appActions = sync.OnceValue(appActionsTable)

func appActionsTable() []appAction {
	return []appAction{
		{Name: "verify-claim", Route: verifyClaimRoute, Fields: verifyFields,
			Offered: func(rec register.Record, _ workdays.Date) bool {
				return rec.Council.Closure == nil && len(verifiableClaims(rec.Decision.Outstanding)) > 0
			},
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.VerifyClaim(ctx, act(cmd, register.ClaimCheck{Claim: one(v, "claim"), Verified: yesOrNo(v, "verified"), Note: one(v, "note")}))
				return err
			}},
		{Name: "decide", Route: appRoute + "decisions", Offered: whileOpen,
			Fields: appFixed(radios("decision", ak("decide", "decision"), codeOptions(register.CouncilDecisionCodes()), false),
				radios("applies", ak("decide", "applies"), yesNo, false), date("decidedOn", ak("decide", "decidedOn")),
				line("decidedBy", ak("decide", "decidedBy"), 200, true), text("note", ak("decide", "note"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.RecordCouncilDecision(ctx, act(cmd, register.CouncilDecision{Decision: one(v, "decision"), Applies: yesOrNo(v, "applies"),
					DecidedOn: web.ISODate(v["decidedOn"]), DecidedBy: one(v, "decidedBy"), Note: one(v, "note")}))
				return err
			}},
		{Name: "medical-award", Route: appRoute + "medical-award", Offered: whileOpen,
			Fields: appFixed(radios("severity", ak("medical-award", "severity"), []string{register.MedicalSevere, register.MedicalModerate, register.MedicalNone}, false),
				radios("grounds", ak("medical-award", "grounds"), []string{"medical", "welfare"}, false), date("assessedOn", ak("medical-award", "assessedOn")),
				line("recommendedPropertyType", ak("medical-award", "recommendedPropertyType"), 200, true)),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.RecordMedicalAward(ctx, act(cmd, register.MedicalAward{Severity: one(v, "severity"), Grounds: one(v, "grounds"),
					AssessedOn: web.ISODate(v["assessedOn"]), RecommendedPropertyType: one(v, "recommendedPropertyType")}))
				return err
			}},
		{Name: "assign", Route: appRoute + "assignment", Offered: whileOpen,
			Fields: appFixed(web.Field{Name: "officerId", Kind: web.Text, Key: ak("assign", "officerId"), Paths: []string{"officerId"}, MaxLength: 200, Width: "govuk-input--width-20"},
				web.Field{Name: "officerName", Kind: web.Text, Key: ak("assign", "officerName"), Paths: []string{"officerName"}, MaxLength: 200, Width: "govuk-input--width-20"}),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.Assign(ctx, act(cmd, register.Assignment{OfficerID: one(v, "officerId"), OfficerName: one(v, "officerName")}))
				return err
			}},
		{Name: "offer", Route: appRoute + "offers",
			Offered: func(rec register.Record, today workdays.Date) bool { return rec.CanOffer(today, today) == nil },
			Fields: appFixed(date("offeredOn", ak("offer", "offeredOn")), line("property", ak("offer", "property"), 200, false),
				yes("direct", ak("offer", "direct")), radios("refused", ak("offer", "refused"), yesNo, false),
				date("refusedOn", ak("offer", "refusedOn")), radios("reasonable", ak("offer", "reasonable"), yesNo, true),
				radios("statutoryReview", ak("offer", "statutoryReview"), yesNo, true)),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				in := register.Offer{OfferedOn: web.ISODate(v["offeredOn"]), Property: one(v, "property"), Direct: ticked(v, "direct"),
					Refused: one(v, "refused") == "yes", RefusedOn: web.ISODate(v["refusedOn"]), Reasonable: yesOrNo(v, "reasonable")}
				if asked := yesOrNo(v, "statutoryReview"); asked != nil {
					in.StatutoryReview = &register.StatutoryReview{Requested: *asked}
				}
				if one(v, "refused") == "" { // not answered: nothing is recorded, and the validation's other problems are shown with it
					return alsoRequired(in.Validate(workdays.DateOf(cmd.At)), "refused")
				}
				_, err := p.Register.RecordOffer(ctx, act(cmd, in))
				return err
			}},
		{Name: "statutory-review", Route: appRoute + "statutory-review",
			Offered: func(rec register.Record, _ workdays.Date) bool {
				return rec.Council.Closure == nil && len(refusedDirectOffers(rec)) > 0
			},
			Fields: func(rec register.Record) []web.Field {
				return []web.Field{radios("offer", ak("statutory-review", "offer"), numbers(refusedDirectOffers(rec), func(o register.OfferRecord) int { return o.Number }), false),
					radios("outcome", ak("statutory-review", "outcome"), []string{register.StatutoryPending, register.StatutorySuitable, register.StatutoryUnsuitable}, false),
					date("decidedOn", ak("statutory-review", "decidedOn")), text("note", ak("statutory-review", "note"), 2000, false)}
			},
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.RecordStatutoryReview(ctx, act(cmd, register.StatutoryReviewOutcome{Offer: number(v, "offer"), Outcome: one(v, "outcome"),
					DecidedOn: web.ISODate(v["decidedOn"]), Note: one(v, "note")}))
				return err
			}},
		{Name: "debt", Route: appRoute + "debt", Offered: whileOpen,
			Fields: appFixed(web.Field{Name: "amount", Kind: web.Text, Key: ak("debt", "amount"), Paths: []string{"amount"}, MaxLength: 15, Width: "govuk-input--width-10"},
				web.Field{Name: "weeklyRent", Kind: web.Text, Key: ak("debt", "weeklyRent"), Paths: []string{"weeklyRent"}, MaxLength: 15, Width: "govuk-input--width-10", Optional: true},
				web.Field{Name: "tenancyEndedOn", Kind: web.Date, Key: ak("debt", "tenancyEndedOn"), Paths: []string{"tenancyEndedOn"}, Optional: true},
				web.Field{Name: "repaymentPlan", Kind: web.Checkboxes, Key: ak("debt", "repaymentPlan"), Paths: []string{"repaymentPlan"}, Options: []string{"agreed", "kept"}, Optional: true}),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				var f apperr.Fields
				amount, ok := moneyOf(one(v, "amount"))
				switch {
				case strings.TrimSpace(one(v, "amount")) == "":
					f.Add("amount", "is required")
				case !ok:
					f.Add("amount", "must be in pounds and pence, like 450.00")
				}
				rent, ok := moneyOf(one(v, "weeklyRent"))
				if !ok {
					f.Add("weeklyRent", "must be in pounds and pence, like 95.50")
				}
				if err := f.Err(); err != nil { // as the API refuses an amount it cannot read before the use case
					return err
				}
				_, err := p.Register.UpdateDebt(ctx, act(cmd, register.HousingDebt{Amount: amount, WeeklyRent: rent, TenancyEndedOn: web.ISODate(v["tenancyEndedOn"]),
					RepaymentPlan: register.RepaymentPlan{Agreed: slices.Contains(v["repaymentPlan"], "agreed"), Kept: slices.Contains(v["repaymentPlan"], "kept")}}))
				return err
			}},
		{Name: "debt-exception", Route: appRoute + "debt-exceptions", Offered: whileOpen,
			Fields: appFixed(radios("code", ak("debt-exception", "code"), codeOptions(register.DebtExceptionCodes), false),
				radios("applies", ak("debt-exception", "applies"), yesNo, false), text("evidence", ak("debt-exception", "evidence"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.RecordDebtException(ctx, act(cmd, register.Finding{Code: one(v, "code"), Applies: yesOrNo(v, "applies"), Evidence: one(v, "evidence")}))
				return err
			}},
		{Name: "behaviour", Route: appRoute + "unacceptable-behaviour", Offered: whileOpen,
			Fields: appFixed(radios("code", ak("behaviour", "code"), codeOptions(register.UnacceptableBehaviourCodes, "violence-to-staff"), false), // that one is the removal (HR-E3)
				radios("applies", ak("behaviour", "applies"), yesNo, false), text("evidence", ak("behaviour", "evidence"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.RecordBehaviour(ctx, act(cmd, register.Finding{Code: one(v, "code"), Applies: yesOrNo(v, "applies"), Evidence: one(v, "evidence")}))
				return err
			}},
		{Name: "review-decision", Route: appRoute + "review-decision",
			Offered: func(rec register.Record, _ workdays.Date) bool {
				return rec.Council.Closure == nil && len(pendingReviews(rec)) > 0
			},
			Fields: func(rec register.Record) []web.Field {
				return []web.Field{radios("review", ak("review-decision", "review"), numbers(pendingReviews(rec), func(r register.ReviewRecord) int { return r.Number }), false),
					radios("outcome", ak("review-decision", "outcome"), []string{register.ReviewUpheld, register.ReviewOverturned}, false),
					text("note", ak("review-decision", "note"), 2000, false)}
			},
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.DecideReview(ctx, act(cmd, register.ReviewDecision{Review: number(v, "review"), Outcome: one(v, "outcome"), Note: one(v, "note")}))
				return err
			}},
		{Name: "close", Route: appRoute + "closure", Offered: whileOpen,
			Fields: appFixed(radios("reason", ak("close", "reason"), closureReasons, false), line("property", ak("close", "property"), 200, true),
				radios("rule", ak("close", "rule"), closureRules, true), text("note", ak("close", "note"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.Close(ctx, act(cmd, register.Closing{Reason: one(v, "reason"), Rule: one(v, "rule"), Note: one(v, "note"), Property: one(v, "property")}))
				return err
			}},
		{Name: "remove", Route: appRoute + "removal", Offered: whileOpen,
			Fields: appFixed(date("incidentOn", ak("remove", "incidentOn")), text("evidence", ak("remove", "evidence"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd appCmd, v map[string][]string, rec register.Record) error {
				_, err := p.Register.Remove(ctx, act(cmd, register.Removal{IncidentOn: web.ISODate(v["incidentOn"]), Evidence: one(v, "evidence")}))
				return err
			}},
	}
}

func findAppAction(name string) (appAction, bool) {
	i := slices.IndexFunc(appActions(), func(a appAction) bool { return a.Name == name })
	if i < 0 {
		return appAction{}, false
	}
	return appActions()[i], true
}

// applicationView is the application page's data.
type applicationView struct {
	Record registercases.Stored
	// ProvisionalBand is the band the claims would give if confirmed ("" for none), beside the decided one.
	ProvisionalBand string
	Timeline        []casefile.Event
	Next            string
	Older           bool
	// Actions are those the officer's groups allow that fit the application's state, in the page's order.
	Actions []appAction
	Can     map[string]bool
}

func isApplication(ref string) bool {
	return reference().MatchString(ref) && strings.HasPrefix(ref, "HR-")
}

// application is a register application's page: the decision with its reasons (each citing its rule), what the
// council must still check, the applicant and household, the officer, offers and reviews, deadlines and the
// history, paged, and the actions the officer may take now; each view recorded.
func (p *Pages) application(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	if !isApplication(ref) {
		return web.Response{}, web.NotFound()
	}
	st, err := p.Register.Record(ctx, registercases.Read{Ref: ref, By: o.Staff()})
	if err != nil {
		return web.Response{}, err
	}
	v := applicationView{Record: st, Timeline: st.Timeline, Next: st.TimelineNext, Can: map[string]bool{}}
	today := workdays.DateOf(r.Now())
	for _, a := range appActions() {
		if o.Staff().In(routeGroups(a.Route)...) && a.Offered(st.Case, today) {
			v.Actions = append(v.Actions, a)
			v.Can[a.Name] = true
		}
	}
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

// appActionView is an application action page's data.
type appActionView struct {
	Ref, Action string
	RuleError   string
}

// applicationAction shows an action's form (GET) or sends it (POST): the command its JSON route takes, to the
// same service method; the validation's field errors are at the fields, and a rule's refusal (with its rule id,
// once) is in the error summary.
func (p *Pages) applicationAction(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	a, ok := findAppAction(r.Event.PathParameters["action"])
	if !ok || !isApplication(ref) {
		return web.Response{}, web.NotFound()
	}
	if !o.Staff().In(routeGroups(a.Route)...) {
		return p.forbidden(r, o)
	}
	st, err := p.Register.Record(ctx, registercases.Read{Ref: ref, By: o.Staff()})
	if err != nil {
		return web.Response{}, err
	}
	fields := a.Fields(st.Case)
	answers := map[string][]string{}
	var runErr error
	if r.Form != nil {
		web.Store(answers, fields, r.Form)
		if runErr = a.Run(ctx, p, appCmd{Ref: ref, By: o.Staff(), At: r.Now()}, answers, st.Case); runErr == nil {
			_ = r.Session().Keep(keptFlash, r.T(ak(a.Name, "done")))
			return web.Redirect("/staff/applications/" + ref)
		}
		if code := apperr.CodeOf(runErr); code == apperr.Internal || code == apperr.NotFound {
			return web.Response{}, runErr
		}
	} else if a.Name == "assign" { // most often the officer takes the application themselves
		answers["officerId"], answers["officerName"] = []string{o.ID}, []string{o.Name}
	}
	form := web.BuildForm(r, fields, answers, runErr)
	for i := range form.Fields {
		form.Fields[i].Heading = false
		appLabels(r, &form.Fields[i], st.Case)
	}
	v := appActionView{Ref: ref, Action: a.Name}
	// a rule's error: the application is closed, no offer while HR-U applies, ...
	ruleError, status := summarise(&form, runErr)
	v.RuleError = ruleError
	pg := r.Page(ak(a.Name, "title"), form, view{Officer: o, Data: v})
	return r.RenderPage(status, "application-action", pg)
}

// appLabels gives the options whose words are the rules' or the application's their labels: the claims still
// to check (the decision's own words), the code tables' meanings with their rules, and the application's offers
// and reviews.
func appLabels(r *web.Request, f *web.FieldView, rec register.Record) {
	codes := func(table []register.Code) {
		for j, opt := range f.Options {
			if i := slices.IndexFunc(table, func(c register.Code) bool { return c.Code == opt.Value }); i >= 0 {
				f.Options[j].Label = capitalised(table[i].Text) + " (" + table[i].Rule + ")"
			}
		}
	}
	switch f.Key {
	case ak("verify-claim", "claim"):
		for j, opt := range f.Options {
			if i := slices.IndexFunc(rec.Decision.Outstanding, func(o register.Outstanding) bool { return o.Claim == opt.Value }); i >= 0 {
				f.Options[j].Label = rec.Decision.Outstanding[i].Text
			}
		}
	case ak("decide", "decision"):
		codes(register.CouncilDecisionCodes())
	case ak("debt-exception", "code"):
		codes(register.DebtExceptionCodes)
	case ak("behaviour", "code"):
		codes(register.UnacceptableBehaviourCodes)
	case ak("statutory-review", "offer"):
		for j, opt := range f.Options {
			if i := slices.IndexFunc(rec.Council.Offers, func(o register.OfferRecord) bool { return strconv.Itoa(o.Number) == opt.Value }); i >= 0 {
				of := rec.Council.Offers[i]
				f.Options[j].Label = r.T("staff.application.offerItem", of.Number, of.Property, of.OfferedOn, of.RefusedOn)
			}
		}
	case ak("review-decision", "review"):
		for j, opt := range f.Options {
			if i := slices.IndexFunc(rec.Council.Reviews, func(rv register.ReviewRecord) bool { return strconv.Itoa(rv.Number) == opt.Value }); i >= 0 {
				rv := rec.Council.Reviews[i]
				f.Options[j].Label = r.T("staff.application.reviewItem", rv.Number, rv.RequestedOn.String(), rv.Grounds)
			}
		}
	}
}

// citedOnce is a rule's message citing its rule once, at the end: apperr.Rule cites it there, and a message that
// quotes the decision's reasons (each citing its rule) may cite it again within.
func citedOnce(msg, rule string) string {
	if rule == "" {
		return msg
	}
	cite := " (" + rule + ")"
	if strings.Count(msg, cite) == 1 && strings.HasSuffix(msg, cite) {
		return msg
	}
	return strings.TrimSpace(strings.ReplaceAll(msg, cite, "")) + cite
}
