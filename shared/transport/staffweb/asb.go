package staffweb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/transport/web"
)

// The ASB case page and its actions. The page mirrors GET /asb/cases/{reference} (who may read a case), its
// casework records the read routes GET /asb/cases/{reference}/subjects|witnesses|evidence|costs|diary|incidents
// (the same asbcases methods), and each action the JSON route of its use case (shared/transport/asbapi's route
// table), whose groups may use it.
const (
	asbRecordRoute = "GET /asb/cases/{reference}"
	asbListRoute   = "GET /asb/cases"
	asbReviewRoute = "POST /asb/cases/{reference}/case-review/outcome"
)

func isASB(ref string) bool { return reference().MatchString(ref) && strings.HasPrefix(ref, "ASB-") }

// asbCmd is what every ASB action shares: which case, who acts, when.
type asbCmd struct {
	Ref string
	By  casework.Staff
	r   *web.Request
}

func (c asbCmd) action() casework.Action[casework.NoInput] {
	return casework.Action[casework.NoInput]{Ref: c.Ref, By: c.By, At: c.r.Now()}
}

func with[In any](c asbCmd, in In) casework.Action[In] {
	return casework.Action[In]{Ref: c.Ref, By: c.By, At: c.r.Now(), Input: in}
}

// asbAction is one of the case's actions as a form: the JSON route it mirrors, its fields (given the case, for
// those that list its open actions), and the service call; Run answers the confirmation's argument, if any.
type asbAction struct {
	Name   string
	Route  string
	Fields func(c asb.Case) []web.Field
	Run    func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error)
}

func fixed(fields ...web.Field) func(asb.Case) []web.Field {
	return func(asb.Case) []web.Field { return fields }
}

func line(name, key string, max int, optional bool) web.Field {
	return web.Field{Name: name, Kind: web.Text, Key: key, Paths: []string{name}, MaxLength: max, Optional: optional}
}

func radios(name, key string, options []string, optional bool) web.Field {
	return web.Field{Name: name, Kind: web.Radios, Key: key, Paths: []string{name}, Options: options, Optional: optional}
}

func k(action, field string) string { return "staff.asb." + action + "." + field }

// fieldError is a form's own field problem (what the API's JSON types would refuse before the use case).
func fieldError(field, format string, args ...any) error {
	var f apperr.Fields
	f.Add(field, format, args...)
	return f.Err()
}

// openActions are the case's action-plan items not yet complete.
func openActions(c asb.Case) []asb.ActionItem {
	var out []asb.ActionItem
	for _, a := range c.Actions {
		if a.CompletedAt == nil {
			out = append(out, a)
		}
	}
	return out
}

var yesNo = []string{"yes", "no"}

// riskLevels are the levels an officer may set (ASB-5), lowest first.
var riskLevels = []string{asb.RiskStandard, asb.RiskMedium, asb.RiskHigh}

var ratings = []string{"5", "4", "3", "2", "1"}

// checklistFields are the ASB-5 check-list's questions, each a yes/no (the wording is the rules').
func checklistFields() []web.Field {
	var out []web.Field
	for _, q := range asb.ChecklistQuestions {
		out = append(out, web.Field{Name: q.Field, Kind: web.Radios, Key: "staff.asb.risk-assessment.question", Paths: []string{"checklist." + q.Field}, Options: yesNo})
	}
	return out
}

// asbActions are the ASB case's actions the console offers, each the JSON API's use case (built on first use:
// issue 10).
var asbActions = sync.OnceValue(asbActionsTable)

func asbActionsTable() []asbAction {
	return []asbAction{
		{Name: "acknowledge", Route: "POST /asb/cases/{reference}/acknowledgement", Fields: fixed(),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.Acknowledge(ctx, cmd.action())
				return "", err
			}},
		{Name: "assign", Route: "POST /asb/cases/{reference}/assignment",
			Fields: fixed(line("officer", k("assign", "officer"), 200, false)),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.Assign(ctx, with(cmd, asb.Assignment{Officer: one(v, "officer")}))
				return "", err
			}},
		{Name: "appointment", Route: "POST /asb/cases/{reference}/appointment",
			Fields: fixed(date("appointmentOn", k("appointment", "appointmentOn"))),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.OfferAppointment(ctx, with(cmd, asb.Appointment{AppointmentOn: web.ISODate(v["appointmentOn"])}))
				return "", err
			}},
		{Name: "risk-assessment", Route: "POST /asb/cases/{reference}/risk-assessment",
			Fields: fixed(append(checklistFields(), radios("level", k("risk-assessment", "level"), riskLevels, true),
				date("nextReviewOn", k("risk-assessment", "nextReviewOn")), text("notes", k("risk-assessment", "notes"), 2000, true))...),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				answers := map[string]*bool{}
				for _, q := range asb.ChecklistQuestions {
					switch one(v, q.Field) {
					case "yes":
						answers[q.Field] = new(bool)
						*answers[q.Field] = true
					case "no":
						answers[q.Field] = new(bool)
					}
				}
				var cl asb.Checklist
				raw, _ := json.Marshal(answers)
				if err := json.Unmarshal(raw, &cl); err != nil {
					return "", err
				}
				_, err := p.ASB.RecordRiskAssessment(ctx, with(cmd, asb.RiskAssessmentInput{Checklist: cl, Level: one(v, "level"),
					NextReviewOn: web.ISODate(v["nextReviewOn"]), Notes: one(v, "notes")}))
				return "", err
			}},
		{Name: "add-action", Route: "POST /asb/cases/{reference}/actions",
			Fields: fixed(radios("tool", k("add-action", "tool"), asb.Tools, false), text("description", k("add-action", "description"), 2000, false),
				date("dueOn", k("add-action", "dueOn"))),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				r, err := p.ASB.AddAction(ctx, with(cmd, asb.NewAction{Tool: one(v, "tool"), Description: one(v, "description"), DueOn: web.ISODate(v["dueOn"])}))
				if err != nil {
					return "", err
				}
				return r.Action.ID, nil
			}},
		{Name: "complete-action", Route: "POST /asb/cases/{reference}/actions/{actionId}/completion",
			Fields: func(c asb.Case) []web.Field {
				var ids []string
				for _, a := range openActions(c) {
					ids = append(ids, a.ID)
				}
				return []web.Field{radios("actionId", k("complete-action", "actionId"), ids, false)}
			},
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				id := one(v, "actionId")
				if !slices.ContainsFunc(openActions(c), func(a asb.ActionItem) bool { return a.ID == id }) {
					if id == "" {
						return "", fieldError("actionId", "is required")
					}
					return "", fieldError("actionId", "is not an open action of the case")
				}
				_, err := p.ASB.CompleteAction(ctx, asbcases.CompleteAction{Ref: cmd.Ref, By: cmd.By, At: cmd.r.Now(), Input: id})
				return id, err
			}},
		{Name: "agree-plan", Route: "POST /asb/cases/{reference}/action-plan/agreement",
			Fields: fixed(text("summary", k("agree-plan", "summary"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.AgreeActionPlan(ctx, with(cmd, asb.ActionPlanAgreement{Summary: one(v, "summary")}))
				return "", err
			}},
		{Name: "log-contact", Route: "POST /asb/cases/{reference}/contacts",
			Fields: fixed(radios("method", k("log-contact", "method"), asb.ContactMethods, false), line("with", k("log-contact", "with"), 200, true),
				text("summary", k("log-contact", "summary"), 5000, false)),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.LogContact(ctx, with(cmd, asb.ContactLog{Method: one(v, "method"), With: one(v, "with"), Summary: one(v, "summary")}))
				return "", err
			}},
		{Name: "reclassify", Route: "POST /asb/cases/{reference}/reclassification",
			Fields: fixed(radios("type", k("reclassify", "type"), asb.TypeNames(), false), text("reason", k("reclassify", "reason"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.Reclassify(ctx, with(cmd, asb.Reclassification{Type: one(v, "type"), Reason: one(v, "reason")}))
				return "", err
			}},
		{Name: "review", Route: asbReviewRoute,
			Fields: fixed(radios("outcome", k("review", "outcome"), asb.ReviewOutcomes, false), text("findings", k("review", "findings"), 5000, false),
				web.Field{Name: "recommendations", Kind: web.TextArea, Key: k("review", "recommendations"), Paths: []string{"recommendations"}, MaxLength: 20 * 1001, Optional: true}),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				var recs []string
				for _, l := range strings.Split(one(v, "recommendations"), "\n") {
					if l = strings.TrimSpace(l); l != "" {
						recs = append(recs, l)
					}
				}
				_, err := p.ASB.DecideCaseReview(ctx, with(cmd, asb.CaseReviewDecision{Outcome: one(v, "outcome"), Findings: one(v, "findings"), Recommendations: recs}))
				return "", err
			}},
		{Name: "close", Route: "POST /asb/cases/{reference}/closure", Fields: closureFields,
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				in := asb.Closure{Outcome: one(v, "outcome"), Evicted: ticked(v, "evicted")}
				for _, a := range openActions(c) {
					if o := one(v, "action-"+a.ID); strings.TrimSpace(o) != "" {
						in.ActionOutcomes = append(in.ActionOutcomes, asb.ActionOutcome{ID: a.ID, Outcome: o})
					}
				}
				handling, _ := strconv.Atoi(one(v, "handling"))
				outcome, _ := strconv.Atoi(one(v, "satisfied"))
				if handling != 0 || outcome != 0 {
					in.Satisfaction = &asb.Satisfaction{Handling: handling, Outcome: outcome}
				}
				_, err := p.ASB.Close(ctx, with(cmd, in))
				return "", err
			}},
		{Name: "reopen", Route: "POST /asb/cases/{reference}/reopening",
			Fields: fixed(text("reason", k("reopen", "reason"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.Reopen(ctx, with(cmd, asb.Reopening{Reason: one(v, "reason")}))
				return "", err
			}},
		{Name: "merge", Route: "POST /asb/cases/{reference}/merger",
			Fields: fixed(web.Field{Name: "from", Kind: web.Text, Key: k("merge", "from"), Paths: []string{"from"}, MaxLength: 20, Width: "govuk-input--width-10"},
				text("reason", k("merge", "reason"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				from := strings.ToUpper(strings.Join(strings.Fields(one(v, "from")), ""))
				_, err := p.ASB.Merge(ctx, with(cmd, asb.CaseMerge{From: from, Reason: one(v, "reason")}))
				return from, err
			}},
		{Name: "unlink", Route: "POST /asb/cases/{reference}/incidents/{incidentId}/unlinking",
			Fields: fixed(web.Field{Name: "incident", Kind: web.Text, Key: k("unlink", "incident"), Paths: []string{"incident"}, MaxLength: 10, Width: "govuk-input--width-4"},
				text("reason", k("unlink", "reason"), 2000, false)),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				id := strings.ToUpper(strings.TrimSpace(one(v, "incident")))
				switch {
				case id == "":
					return "", fieldError("incident", "is required")
				case !asb.IsIncidentID(id):
					return "", fieldError("incident", "must be a further report's number, like I2")
				}
				u, err := p.ASB.Unlink(ctx, asbcases.Unlink{Ref: cmd.Ref, Incident: id, By: cmd.By, At: cmd.r.Now(), Input: asb.Unlinking{Reason: one(v, "reason")}})
				if apperr.CodeOf(err) == apperr.NotFound {
					return "", fieldError("incident", "is not a further report on this case")
				}
				if err != nil {
					return "", err
				}
				return u.NewCase.Reference, nil
			}},
		{Name: "add-subject", Route: "POST /asb/cases/{reference}/subjects",
			Fields: fixed(line("name", k("add-subject", "name"), 200, false), line("address", k("add-subject", "address"), 300, true),
				web.Field{Name: "postcode", Kind: web.Text, Key: k("add-subject", "postcode"), Paths: []string{"postcode"}, MaxLength: 10, Width: "govuk-input--width-10", Optional: true},
				text("description", k("add-subject", "description"), 2000, true), yes("tenant", k("add-subject", "tenant"))),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.AddSubject(ctx, with(cmd, asb.SubjectInput{Name: one(v, "name"), Address: one(v, "address"), Postcode: one(v, "postcode"),
					Description: one(v, "description"), Tenant: ticked(v, "tenant")}))
				return "", err
			}},
		{Name: "add-witness", Route: "POST /asb/cases/{reference}/witnesses",
			Fields: fixed(line("name", k("add-witness", "name"), 200, false), line("contact", k("add-witness", "contact"), 200, true),
				text("statement", k("add-witness", "statement"), 5000, true), yes("willGiveEvidence", k("add-witness", "willGiveEvidence"))),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.AddWitness(ctx, with(cmd, asb.WitnessInput{Name: one(v, "name"), Contact: one(v, "contact"), Statement: one(v, "statement"),
					WillGiveEvidence: ticked(v, "willGiveEvidence")}))
				return "", err
			}},
		{Name: "add-evidence", Route: "POST /asb/cases/{reference}/evidence",
			Fields: fixed(radios("kind", k("add-evidence", "kind"), asb.EvidenceKinds, false), line("reference", k("add-evidence", "reference"), 200, false),
				text("description", k("add-evidence", "description"), 1000, true), date("obtainedOn", k("add-evidence", "obtainedOn"))),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				_, err := p.ASB.AddEvidence(ctx, with(cmd, asb.EvidenceInput{Kind: one(v, "kind"), Reference: one(v, "reference"), Description: one(v, "description"),
					ObtainedOn: web.ISODate(v["obtainedOn"])}))
				return "", err
			}},
		{Name: "add-cost", Route: "POST /asb/cases/{reference}/costs",
			Fields: fixed(radios("category", k("add-cost", "category"), asb.CostCategories, false),
				web.Field{Name: "amount", Kind: web.Text, Key: k("add-cost", "amount"), Paths: []string{"amountPence"}, MaxLength: 12, Width: "govuk-input--width-10"},
				text("description", k("add-cost", "description"), 500, false), date("incurredOn", k("add-cost", "incurredOn"))),
			Run: func(ctx context.Context, p *Pages, cmd asbCmd, v map[string][]string, c asb.Case) (string, error) {
				pence, ok := penceOf(one(v, "amount"))
				if !ok {
					pence = -1 // refused by the API's validation with every other problem; the amount's message is the form's
				}
				_, err := p.ASB.AddCost(ctx, with(cmd, asb.CostInput{Category: one(v, "category"), AmountPence: pence, Description: one(v, "description"),
					IncurredOn: web.ISODate(v["incurredOn"])}))
				if e, isErr := apperr.As(err); isErr && !ok {
					for i := range e.Fields {
						if e.Fields[i].Field == "amountPence" {
							e.Fields[i].Message = "must be in pounds and pence, like 125.50"
						}
					}
				}
				return "", err
			}},
	}
}

// closureFields are the closure's outcome, what came of each open action (ASB-8: a case does not close with
// open actions), the reporter's ratings when they gave them by phone (ASB-9), and an eviction.
func closureFields(c asb.Case) []web.Field {
	fields := []web.Field{text("outcome", k("close", "outcome"), 2000, false)}
	for _, a := range openActions(c) {
		fields = append(fields, web.Field{Name: "action-" + a.ID, Kind: web.TextArea, Key: k("close", "actionOutcome"), MaxLength: 2000, Optional: true,
			Paths: []string{"actionOutcome-" + a.ID}}) // the API's actionOutcomes[i]: set once the outcomes given are known
	}
	return append(fields, web.Field{Name: "handling", Kind: web.Radios, Key: k("close", "handling"), Paths: []string{"satisfaction.handling"}, Options: ratings, Optional: true},
		web.Field{Name: "satisfied", Kind: web.Radios, Key: k("close", "satisfied"), Paths: []string{"satisfaction.outcome"}, Options: ratings, Optional: true},
		yes("evicted", k("close", "evicted")))
}

// penceOf reads pounds and pence ("125", "125.5", "£1,250.50") as pence.
func penceOf(s string) (int, bool) {
	s = strings.NewReplacer("£", "", ",", "", " ", "").Replace(s)
	if s == "" {
		return 0, true // the API's validation says it is required
	}
	pounds, pence, dot := strings.Cut(s, ".")
	if pounds == "" || len(pounds) > 7 || len(pence) > 2 || (dot && pence == "") {
		return 0, false
	}
	p, err := strconv.Atoi(pounds)
	if err != nil || p < 0 || strings.ContainsAny(pounds, "+-") {
		return 0, false
	}
	n := 0
	if pence != "" {
		if n, err = strconv.Atoi(pence); err != nil || strings.ContainsAny(pence, "+-") {
			return 0, false
		}
		if len(pence) == 1 {
			n *= 10
		}
	}
	return p*100 + n, true
}

func findASBAction(name string) (asbAction, bool) {
	for _, a := range asbActions() {
		if a.Name == name {
			return a, true
		}
	}
	return asbAction{}, false
}

// asbAllowed are the actions the officer's groups allow.
func asbAllowed(o Officer) []asbAction {
	var out []asbAction
	for _, a := range asbActions() {
		if o.Staff().In(routeGroups(a.Route)...) {
			out = append(out, a)
		}
	}
	return out
}

// asbView is the ASB case page's data.
type asbView struct {
	Record    asbcases.Record
	TypeLabel string
	Checklist []checklistAnswer
	Deadlines []casefile.Deadline
	Timeline  []casefile.Event
	Next      string
	Older     bool
	Actions   []asbAction
	Can       map[string]bool // action name -> offered
	// the casework records, newest first (one page each), through the read routes' use cases
	Subjects  []asbcases.SubjectRecord
	Witnesses asbcases.RecordsPage[asb.CaseRecord[asb.WitnessInput]]
	Evidence  asbcases.RecordsPage[asb.CaseRecord[asb.EvidenceInput]]
	Costs     asbcases.Costs
	Diary     asbcases.RecordsPage[asb.CaseRecord[asb.DiaryInput]]
	Incidents asbcases.RecordsPage[asb.Incident]
	Paged     map[string]bool // record kinds showing an older page than their newest
}

type checklistAnswer struct {
	Question, Weight string
	Yes              bool
}

// Pounds shows pence as pounds.
func (asbView) Pounds(pence int) string { return fmt.Sprintf("£%d.%02d", pence/100, pence%100) }

// Open says whether the case is open (its actions, except reopening, need it).
func (v asbView) Open() bool {
	s := v.Record.Case.Status
	return s != asb.StatusClosed && s != asb.StatusMerged
}

// asbCase is an ASB case's page: summary, risk (the ASB-5 check-list's outcome), deadlines, the reporter as the
// JSON staff route shows them (an anonymous report stays anonymous), the action plan, the casework records, the
// timeline newest first, paged, and the actions the officer's groups allow; each view is recorded.
func (p *Pages) asbCase(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	if !isASB(ref) {
		return web.Response{}, web.NotFound()
	}
	by := o.Staff()
	rec, err := p.ASB.Get(ctx, asbcases.Read{Ref: ref, By: by, At: r.Now()})
	if err != nil {
		return web.Response{}, err
	}
	c := rec.Case
	v := asbView{Record: rec, Deadlines: asb.OpenDeadlines(c), Timeline: rec.Timeline, Next: rec.TimelineNext, Can: map[string]bool{}}
	for _, a := range asbAllowed(o) {
		if offered(a.Name, c) {
			v.Actions = append(v.Actions, a)
			v.Can[a.Name] = true
		}
	}
	if t, ok := asb.TypeRuleOf(c.Type); ok {
		v.TypeLabel = t.Label
	}
	if ra := c.RiskAssessment; ra != nil && ra.Checklist != nil {
		raw, _ := json.Marshal(ra.Checklist)
		answers := map[string]*bool{}
		_ = json.Unmarshal(raw, &answers)
		for _, q := range asb.ChecklistQuestions {
			if a := answers[q.Field]; a != nil {
				v.Checklist = append(v.Checklist, checklistAnswer{Question: q.Text, Weight: string(q.Weight), Yes: *a})
			}
		}
	}
	if err := p.readRecords(ctx, r, asbcases.ReadRecords{Ref: ref, By: by, At: r.Now()}, &v); err != nil {
		return web.Response{}, err
	}
	if token := r.Query("page"); token != "" {
		if len(token) > maxPageToken {
			return web.Response{}, apperr.New(apperr.Invalid, "That page of the history does not exist.")
		}
		h, err := p.ASB.History(ctx, asbcases.History{Ref: ref, By: by, At: r.Now(), Input: casework.PageRequest{Limit: casework.HistoryPageSize, Token: token}})
		if err != nil {
			return web.Response{}, err
		}
		v.Timeline, v.Next, v.Older = h.Events, h.Next, true
	}
	if err := p.Console.RecordView(ctx, console.View{Kind: casefile.ASB, Ref: ref, By: by.Actor(), At: r.Now()}); err != nil {
		return web.Response{}, err
	}
	return p.render(r, o, http.StatusOK, "asb", "staff.asb.title", web.Form{}, v)
}

// maxPageToken bounds a page token read from the address (the services' signed tokens are far shorter).
const maxPageToken = 2048

// recordKinds are the kinds of casework record the case page pages through, each by its own query parameter
// (?witnesses=<token> shows the page its "Older" link names, the other kinds their newest).
var recordKinds = []string{"witnesses", "evidence", "costs", "diary", "incidents"}

// readRecords reads the page of each kind of record the case page shows (subjects are all read: at most
// asb.MaxSubjects); a token is checked by the service (signed per case and kind: another's is a 400).
func (p *Pages) readRecords(ctx context.Context, r *web.Request, read asbcases.ReadRecords, v *asbView) error {
	page := func(kind string) (asbcases.ReadRecords, error) {
		q := read
		q.Input = casework.PageRequest{Limit: asbcases.MaxRecordsPage, Token: r.Query(kind)}
		if len(q.Input.Token) > maxPageToken {
			return q, apperr.New(apperr.Invalid, "That page of the case's records does not exist.")
		}
		if q.Input.Token != "" {
			v.Paged[kind] = true
		}
		return q, nil
	}
	v.Paged = map[string]bool{}
	var err error
	if v.Subjects, err = p.ASB.Subjects(ctx, read); err != nil {
		return err
	}
	for _, kind := range recordKinds {
		q, err := page(kind)
		if err != nil {
			return err
		}
		switch kind {
		case "witnesses":
			v.Witnesses, err = p.ASB.Witnesses(ctx, q)
		case "evidence":
			v.Evidence, err = p.ASB.Evidence(ctx, q)
		case "costs":
			v.Costs, err = p.ASB.Costs(ctx, q)
		case "diary":
			v.Diary, err = p.ASB.DiaryEntries(ctx, q)
		case "incidents":
			v.Incidents, err = p.ASB.Incidents(ctx, q)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// asbActionView is an ASB action page's data.
type asbActionView struct {
	Ref, Action string
	Case        asb.Case
	RuleError   string
}

// asbCaseAction shows an action's form (GET) or sends it (POST): the same command as the JSON route, the same
// service method; its errors are the GOV.UK error summary (a rule's, with its id, above the fields).
func (p *Pages) asbCaseAction(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	a, ok := findASBAction(r.Event.PathParameters["action"])
	if !ok || !isASB(ref) {
		return web.Response{}, web.NotFound()
	}
	if !o.Staff().In(routeGroups(a.Route)...) {
		return p.forbidden(r, o)
	}
	rec, err := p.ASB.Get(ctx, asbcases.Read{Ref: ref, By: o.Staff(), At: r.Now()})
	if err != nil {
		return web.Response{}, err
	}
	fields := a.Fields(rec.Case)
	answers := map[string][]string{}
	var runErr error
	if r.Form != nil {
		web.Store(answers, fields, r.Form)
		var arg string
		if arg, runErr = a.Run(ctx, p, asbCmd{Ref: ref, By: o.Staff(), r: r}, answers, rec.Case); runErr == nil {
			done := r.T("staff.asb." + a.Name + ".done")
			if arg != "" {
				done = r.T("staff.asb."+a.Name+".done", arg)
			}
			_ = r.Session().Keep(keptFlash, done)
			return web.Redirect("/staff/asb/" + ref)
		}
		if code := apperr.CodeOf(runErr); code == apperr.Internal || code == apperr.NotFound {
			return web.Response{}, runErr
		}
		if a.Name == "close" { // the API's actionOutcomes[i] are the outcomes given, in the order of the open actions
			i := 0
			for j := range fields {
				if strings.HasPrefix(fields[j].Name, "action-") && strings.TrimSpace(one(answers, fields[j].Name)) != "" {
					fields[j].Paths = []string{fmt.Sprintf("actionOutcomes[%d]", i)}
					i++
				}
			}
		}
	}
	form := web.BuildForm(r, fields, answers, runErr)
	for i := range form.Fields {
		f := &form.Fields[i]
		f.Heading = false
		p.asbLabels(r, f, rec.Case)
	}
	v := asbActionView{Ref: ref, Action: a.Name, Case: rec.Case}
	ruleError, status := summarise(&form, runErr) // a rule's error: ASB-8, open actions at closure, ...
	v.RuleError = ruleError
	pg := r.Page("staff.asb."+a.Name+".title", form, view{Officer: o, Data: v})
	return r.RenderPage(status, "asb-action", pg)
}

// asbLabels gives the fields whose words are the rules' their labels: the check-list's questions, the ASB-3
// types, the ASB-8 tools and the case's own action items.
func (p *Pages) asbLabels(r *web.Request, f *web.FieldView, c asb.Case) {
	if i := slices.IndexFunc(asb.ChecklistQuestions, func(q asb.Question) bool { return q.Field == f.Name }); i >= 0 && f.Key == "staff.asb.risk-assessment.question" {
		f.Label = asb.ChecklistQuestions[i].Text
		if f.Error != "" {
			f.Error = r.T("staff.asb.risk-assessment.question.answer", asb.ChecklistQuestions[i].Text)
		}
		return
	}
	item := func(id string) (asb.ActionItem, bool) {
		j := slices.IndexFunc(c.Actions, func(a asb.ActionItem) bool { return a.ID == id })
		if j < 0 {
			return asb.ActionItem{}, false
		}
		return c.Actions[j], true
	}
	switch {
	case f.Key == k("reclassify", "type"):
		for j, opt := range f.Options {
			if t, ok := asb.TypeRuleOf(opt.Value); ok {
				f.Options[j].Label = t.Label
			}
		}
	case f.Key == k("add-action", "tool"):
		for j, opt := range f.Options {
			f.Options[j].Label = capitalised(asb.ToolLabel(opt.Value))
		}
	case f.Key == k("complete-action", "actionId"):
		for j, opt := range f.Options {
			if a, ok := item(opt.Value); ok {
				f.Options[j].Label = r.T("staff.asb.actionItem", a.ID, capitalised(asb.ToolLabel(a.Tool)), a.Description)
			}
		}
	case strings.HasPrefix(f.Name, "action-"):
		if a, ok := item(strings.TrimPrefix(f.Name, "action-")); ok {
			f.Label = r.T("staff.asb.close.actionOutcome.for", a.ID, capitalised(asb.ToolLabel(a.Tool)), a.Description)
		}
	}
}

// offered says whether the case page links to an action in the case's state (the form itself is always there:
// sent in another state, the rule's refusal is shown).
func offered(name string, c asb.Case) bool {
	open := c.Status != asb.StatusClosed && c.Status != asb.StatusMerged
	switch name {
	case "reopen":
		return c.Status == asb.StatusClosed
	case "review":
		return c.CaseReview.Open()
	case "acknowledge":
		return open && c.AcknowledgedAt == nil
	case "complete-action", "agree-plan":
		return open && len(openActions(c)) > 0
	}
	return open
}

func capitalised(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
