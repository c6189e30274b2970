package staffweb

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/web"
)

// complaintRecordRoute is the JSON route the complaint page mirrors: who may read a complaint's record.
const complaintRecordRoute = "GET /complaints/{reference}/record"

// action is one of a case's actions as a form: the JSON route it mirrors (whose groups may use it), its fields
// (the same paths the API's validation names), and how the form becomes the service call.
type action struct {
	Name   string // the URL's {action}
	Route  string // the catalog's JSON route
	Fields []web.Field
	Run    func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error
	// ForCase, when set, gives the fields for the complaint as it is (the open remedies and actions to choose
	// from, the letters owed in a format): a choice not offered is the form's own field error.
	ForCase func(c complaints.Complaint) []web.Field
	// Paths, when set, points the API's validation paths at the fields given (a response's remedies and actions
	// are the filled rows, numbered from 0 in the order of the form).
	Paths func(fields []web.Field, v map[string][]string)
}

func text(name, key string, max int, optional bool) web.Field {
	return web.Field{Name: name, Kind: web.TextArea, Key: key, Paths: []string{name}, MaxLength: max, Optional: optional}
}

func one(v map[string][]string, name string) string {
	if len(v[name]) > 0 {
		return v[name][0]
	}
	return ""
}

// complaintActions are the complaint's actions the console offers, each the JSON API's use case: built when a
// complaint page first needs them, not at every cold start of the console (issue 10).
var complaintActions = sync.OnceValue(func() []action { return withFormActions(withMoreComplaintActions(complaintActionsTable())) })

func complaintActionsTable() []action {
	return []action{
		{Name: "acknowledge", Route: "POST /complaints/{reference}/acknowledgement",
			Fields: []web.Field{text("definition", "staff.complaint.acknowledge.definition", 5000, false),
				text("outcomesSought", "staff.complaint.acknowledge.outcomesSought", 5000, false),
				{Name: "handler", Kind: web.Text, Key: "staff.complaint.acknowledge.handler", Paths: []string{"handler"}, MaxLength: 200, Optional: true}},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.Acknowledge(ctx, complaintcases.Acknowledge{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.Acknowledgement{Definition: one(v, "definition"), OutcomesSought: one(v, "outcomesSought"), Handler: one(v, "handler")}})
				return err
			}},
		{Name: "extend", Route: "POST /complaints/{reference}/extension",
			Fields: []web.Field{{Name: "workingDays", Kind: web.Number, Key: "staff.complaint.extend.workingDays", Paths: []string{"workingDays"}, MaxLength: 3, Width: "govuk-input--width-3"},
				text("reason", "staff.complaint.extend.reason", 2000, false),
				text("goodReasonForLonger", "staff.complaint.extend.goodReasonForLonger", 2000, true)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				days, err := strconv.Atoi(one(v, "workingDays"))
				if err != nil && one(v, "workingDays") != "" {
					var f apperr.Fields
					f.Add("workingDays", "must be a whole number")
					return f.Err()
				}
				_, err = p.Complaints.Extend(ctx, complaintcases.Extend{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.ExtensionRequest{WorkingDays: days, Reason: one(v, "reason"), GoodReasonForLonger: one(v, "goodReasonForLonger")}})
				return err
			}},
		{Name: "respond", Route: "POST /complaints/{reference}/response",
			Fields: []web.Field{{Name: "decision", Kind: web.Radios, Key: "staff.complaint.respond.decision", Paths: []string{"decision"}, Options: complaints.Decisions},
				text("reasons", "staff.complaint.respond.reasons", 10000, false),
				text("learning", "staff.complaint.respond.learning", 1000, true),
				text("serviceImprovement", "staff.complaint.respond.serviceImprovement", 1000, true)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.Respond(ctx, complaintcases.Respond{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.Response{Decision: one(v, "decision"), Reasons: one(v, "reasons"), Learning: one(v, "learning"),
						ServiceImprovement: one(v, "serviceImprovement"), Remedies: itemsOf(v, "remedies"), OutstandingActions: itemsOf(v, "outstandingActions")}})
				return err
			}, Paths: itemPaths},
		{Name: "refuse", Route: "POST /complaints/{reference}/refusal",
			Fields: []web.Field{{Name: "exclusion", Kind: web.Radios, Key: "staff.complaint.refuse.exclusion", Paths: []string{"exclusion"}, Options: complaints.Exclusions},
				text("explanation", "staff.complaint.refuse.explanation", 5000, false)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.Refuse(ctx, complaintcases.Refuse{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.RefusalRequest{Exclusion: one(v, "exclusion"), Explanation: one(v, "explanation")}})
				return err
			}},
	}
}

func date(name, key string) web.Field {
	return web.Field{Name: name, Kind: web.Date, Key: key, Paths: []string{name}}
}

func yes(name, key string) web.Field {
	return web.Field{Name: name, Kind: web.Checkboxes, Key: key, Paths: []string{name}, Options: []string{"yes"}, Optional: true}
}

func ticked(v map[string][]string, name string) bool { return len(v[name]) > 0 && v[name][0] == "yes" }

// escalationChannels are how a resident may ask a member of staff for stage 2 (complaints.EscalationRequest).
var escalationChannels = []string{"phone", "letter", "email", "in-person", "councillor", "representative"}

// withMoreComplaintActions adds escalation on the resident's behalf, clarification, related points, service
// requests and restrictions.
func withMoreComplaintActions(actions []action) []action {
	return append(actions,
		action{Name: "escalate", Route: "POST /complaints/{reference}/escalation-on-behalf",
			Fields: []web.Field{{Name: "channel", Kind: web.Radios, Key: "staff.complaint.escalate.channel", Paths: []string{"channel"}, Options: escalationChannels},
				date("requestedOn", "staff.complaint.escalate.requestedOn"), text("note", "staff.complaint.escalate.note", 2000, true)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.EscalateOnBehalf(ctx, complaintcases.EscalateOnBehalf{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.EscalationRequest{Channel: one(v, "channel"), RequestedOn: web.ISODate(v["requestedOn"]), Note: one(v, "note")}})
				return err
			}},
		action{Name: "clarify", Route: "POST /complaints/{reference}/clarification",
			Fields: []web.Field{text("question", "staff.complaint.clarify.question", 2000, false)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.AskForClarification(ctx, complaintcases.AskForClarification{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.ClarificationRequest{Question: one(v, "question")}})
				return err
			}},
		action{Name: "clarification-answer", Route: "POST /complaints/{reference}/clarification-answer",
			Fields: []web.Field{text("answer", "staff.complaint.clarification-answer.answer", 5000, false)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.AnswerClarification(ctx, complaintcases.AnswerClarification{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.ClarificationAnswer{Answer: one(v, "answer")}})
				return err
			}},
		action{Name: "related-points", Route: "POST /complaints/{reference}/related-points",
			Fields: []web.Field{text("points", "staff.complaint.related-points.points", 5000, false),
				yes("unrelated", "staff.complaint.related-points.unrelated"), yes("wouldDelayResponse", "staff.complaint.related-points.wouldDelayResponse")},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.AddRelatedPoints(ctx, complaintcases.AddRelatedPoints{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.RelatedPoints{Points: one(v, "points"), Unrelated: ticked(v, "unrelated"), WouldDelayResponse: ticked(v, "wouldDelayResponse")}})
				return err
			}},
		action{Name: "service-request", Route: "POST /complaints/{reference}/service-request",
			Fields: []web.Field{text("note", "staff.complaint.service-request.note", 2000, false), date("dueOn", "staff.complaint.service-request.dueOn"),
				{Name: "owner", Kind: web.Text, Key: "staff.complaint.service-request.owner", Paths: []string{"owner"}, MaxLength: 200, Optional: true}},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.Reclassify(ctx, complaintcases.Reclassify{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.ServiceRequestNote{Note: one(v, "note"), DueOn: web.ISODate(v["dueOn"]), Owner: one(v, "owner")}})
				return err
			}},
		action{Name: "service-request-done", Route: "POST /complaints/{reference}/service-request/completion",
			Fields: []web.Field{text("outcome", "staff.complaint.service-request-done.outcome", 2000, false)},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.CompleteServiceRequest(ctx, complaintcases.CompleteServiceRequest{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.ServiceRequestDone{Outcome: one(v, "outcome")}})
				return err
			}},
		action{Name: "restrict", Route: "POST /complaints/{reference}/restriction",
			Fields: []web.Field{text("reasons", "staff.complaint.restrict.reasons", 2000, false), text("scope", "staff.complaint.restrict.scope", 1000, true),
				text("equalityConsidered", "staff.complaint.restrict.equalityConsidered", 1000, true), date("reviewOn", "staff.complaint.restrict.reviewOn"),
				yes("end", "staff.complaint.restrict.end")},
			Run: func(ctx context.Context, p *Pages, ref string, o Officer, r *web.Request, v map[string][]string) error {
				_, err := p.Complaints.Restrict(ctx, complaintcases.Restrict{Ref: ref, By: o.Staff(), At: r.Now(),
					Input: complaints.RestrictionInput{Reasons: one(v, "reasons"), Scope: one(v, "scope"), EqualityConsidered: one(v, "equalityConsidered"),
						ReviewOn: web.ISODate(v["reviewOn"]), End: ticked(v, "end")}})
				return err
			}},
	)
}

func complaintAction(name string) (action, bool) {
	for _, a := range complaintActions() {
		if a.Name == name {
			return a, true
		}
	}
	return action{}, false
}

// allowed are the actions the officer's groups allow (the catalog's groups of each action's JSON route).
func allowed(actions []action, o Officer) []action {
	var out []action
	for _, a := range actions {
		if o.Staff().In(routeGroups(a.Route)...) {
			out = append(out, a)
		}
	}
	return out
}

// complaintView is the complaint page's data.
type complaintView struct {
	Record   complaintcases.Record
	Stage    complaints.Stage // the current stage
	Timeline []casefile.Event
	Next     string // the next (older) page's token
	Older    bool   // this is not the newest page
	Actions  []action
}

// complaint is a complaint's page: summary, deadlines, parties, letters and the timeline newest first, paged;
// each view is recorded (who, which case, when).
func (p *Pages) complaint(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	if !reference().MatchString(ref) || !strings.HasPrefix(ref, "CMP-") {
		return web.Response{}, web.NotFound()
	}
	rec, err := p.Complaints.Record(ctx, complaintcases.Read{Ref: ref, By: o.Staff()})
	if err != nil {
		return web.Response{}, err
	}
	v := complaintView{Record: rec, Stage: *rec.Case.Current(), Timeline: rec.Timeline, Next: rec.TimelineNext}
	for _, a := range allowed(complaintActions(), o) {
		if complaintOffered(a.Name, rec.Case) {
			v.Actions = append(v.Actions, a)
		}
	}
	if token := r.Query("page"); token != "" {
		if len(token) > 2048 {
			return web.Response{}, apperr.New(apperr.Invalid, "That page of the history does not exist.")
		}
		h, err := p.Complaints.History(ctx, complaintcases.History{Ref: ref, By: o.Staff(), At: r.Now(),
			Input: casework.PageRequest{Limit: casework.HistoryPageSize, Token: token}})
		if err != nil {
			return web.Response{}, err
		}
		v.Timeline, v.Next, v.Older = h.Events, h.Next, true
	}
	if err := p.Console.RecordView(ctx, console.View{Kind: casefile.Complaint, Ref: ref, By: o.Staff().Actor(), At: r.Now()}); err != nil {
		return web.Response{}, err
	}
	return p.render(r, o, http.StatusOK, "complaint", "staff.complaint.title", web.Form{}, v)
}

// actionView is an action page's data.
type actionView struct {
	Ref, Action string
	Complaint   complaints.Complaint
	RuleError   string
}

// complaintAction shows an action's form (GET) or sends it (POST): the same command as the JSON route, the same
// service method; its errors are shown as the GOV.UK error summary (a rule's, with its id, above the fields).
func (p *Pages) complaintAction(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	ref := r.Event.PathParameters["reference"]
	a, ok := complaintAction(r.Event.PathParameters["action"])
	if !ok || !reference().MatchString(ref) || !strings.HasPrefix(ref, "CMP-") {
		return web.Response{}, web.NotFound()
	}
	if !o.Staff().In(routeGroups(a.Route)...) {
		return p.forbidden(r, o)
	}
	rec, err := p.Complaints.Record(ctx, complaintcases.Read{Ref: ref, By: o.Staff()})
	if err != nil {
		return web.Response{}, err
	}
	fields := a.Fields
	if a.ForCase != nil {
		fields = a.ForCase(rec.Case)
	}
	answers := map[string][]string{}
	var runErr error
	if r.Form != nil {
		web.Store(answers, fields, r.Form)
		if runErr = offeredChoice(fields, answers, a.ForCase != nil); runErr == nil {
			runErr = a.Run(ctx, p, ref, o, r, answers)
		}
		if runErr == nil {
			_ = r.Session().Keep(keptFlash, r.T("staff.complaint."+a.Name+".done"))
			return web.Redirect("/staff/complaints/" + ref)
		}
		if code := apperr.CodeOf(runErr); code == apperr.Internal || code == apperr.NotFound {
			return web.Response{}, runErr
		}
		if a.Paths != nil {
			fields = slices.Clone(fields)
			a.Paths(fields, answers)
		}
	}
	form := web.BuildForm(r, fields, answers, runErr)
	for i := range form.Fields {
		form.Fields[i].Heading = false
		complaintLabels(r, &form.Fields[i], rec.Case)
	}
	v := actionView{Ref: ref, Action: a.Name, Complaint: rec.Case}
	ruleError, status := summarise(&form, runErr) // a rule's error: CH-5, stage 2 is a manager's, ...
	v.RuleError = ruleError
	pg := r.Page("staff.complaint."+a.Name+".title", form, view{Officer: o, Data: v})
	return r.RenderPage(status, "complaint-action", pg)
}
