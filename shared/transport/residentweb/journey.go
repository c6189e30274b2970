package residentweb

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/transport/web"
)

// Answers are a journey's answers as kept in the session: form field -> values.
type Answers map[string][]string

// Get is a field's first value.
func (a Answers) Get(name string) string {
	if v := a[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Yes says whether a yes/no question was answered yes.
func (a Answers) Yes(name string) bool { return a.Get(name) == yes }

// Has says whether a checkbox field has value.
func (a Answers) Has(name, value string) bool { return slices.Contains(a[name], value) }

const (
	yes = "yes"
	no  = "no"
)

var yesNo = []string{yes, no}

// step is one page of a journey: its fields (one question per page where later questions depend on it), or
// none for a page of advice; When leaves it out of the journey for the answers so far.
type step struct {
	Name    string
	Title   string // catalog key of the page's heading when it has several fields or none
	Fields  []web.Field
	Intro   []string // catalog keys of paragraphs before the fields
	Warning string   // catalog key of a warning (e.g. call 999 now)
	When    func(Answers) bool
	// Dynamic adds what the page shows from the service (e.g. the pre-screen's decision).
	Dynamic func(ctx context.Context, r *web.Request, a Answers) (web.Question, error)
}

// journey is a question-and-answer journey ending in one call to an application service: its pages, the same
// validation the service runs (Check: the command's own Validate, whose errors are shown at the fields of the
// page that asks them), the call itself (Submit, which keeps what the confirmation page shows), and the
// confirmation page's template.
type journey struct {
	Name    string
	Caption string // catalog key of the caption above each question
	Steps   []step
	Check   func(a Answers, at time.Time) error
	Submit  func(ctx context.Context, r *web.Request, a Answers) (any, error)
	Done    string                                    // template of the confirmation page
	Outcome func() any                                // a new value of the type Submit keeps, for the confirmation page
	Rows    func(r *web.Request, a Answers) []web.Row // extra rows of check your answers (e.g. household members)
	// OnSave runs after a valid page is kept (e.g. adding a household member); true shows the page again.
	OnSave func(step string, a Answers) bool
}

// Pages outside the steps.
const (
	checkPage = "check-answers"
	donePage  = "confirmation"
)

func (j journey) path(page string) string { return "/" + j.Name + "/" + page }

// shown are the steps the answers so far lead through.
func (j journey) shown(a Answers) []step {
	var out []step
	for _, s := range j.Steps {
		if s.When == nil || s.When(a) {
			out = append(out, s)
		}
	}
	return out
}

func (j journey) step(name string) (step, bool) {
	i := slices.IndexFunc(j.Steps, func(s step) bool { return s.Name == name })
	if i < 0 {
		return step{}, false
	}
	return j.Steps[i], true
}

// next is the page after step name for these answers: the next step shown, else check your answers.
func (j journey) next(name string, a Answers) string {
	shown := j.shown(a)
	for i, s := range shown {
		if s.Name == name && i+1 < len(shown) {
			return j.path(shown[i+1].Name)
		}
	}
	return j.path(checkPage)
}

// back is the page before step name.
func (j journey) back(name string, a Answers) string {
	shown := j.shown(a)
	for i, s := range shown {
		if s.Name == name && i > 0 {
			return j.path(shown[i-1].Name)
		}
	}
	return "/"
}

// pageErrors keeps the field errors that belong to fields (the page's own); nil when there are none.
func pageErrors(err error, fields []web.Field) error {
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		return err
	}
	var f apperr.Fields
	for _, fe := range e.Fields {
		if web.OwnedBy(fields, fe.Field) {
			f = append(f, fe)
		}
	}
	return f.Err()
}

func (j journey) answers(r *web.Request) Answers { return r.Session().Journey(j.Name) }

// get shows a page: a step, check your answers, or the confirmation.
func (j journey) get(ctx context.Context, r *web.Request) (web.Response, error) {
	page := r.Path("page")
	switch page {
	case checkPage:
		return j.checkAnswers(r, nil)
	case donePage:
		return j.confirmation(r)
	}
	s, ok := j.step(page)
	a := j.answers(r)
	if !ok || s.When != nil && !s.When(a) {
		return web.Response{}, web.NotFound()
	}
	return j.ask(ctx, r, s, a, nil)
}

func (j journey) ask(ctx context.Context, r *web.Request, s step, a Answers, err error) (web.Response, error) {
	q := web.Question{}
	if s.Dynamic != nil {
		var derr error
		if q, derr = s.Dynamic(ctx, r, a); derr != nil {
			return web.Response{}, derr
		}
	}
	q.Caption = r.T(j.Caption)
	for _, k := range s.Intro {
		q.Intro = append(q.Intro, r.T(k))
	}
	if s.Warning != "" {
		q.Warning = r.T(s.Warning)
	}
	title := s.Title
	if title == "" && len(s.Fields) > 0 {
		title = s.Fields[0].Key + ".label"
	}
	resp, rerr := r.Ask(title, s.Fields, a, err, q, j.back(s.Name, a))
	return resp, rerr
}

// post answers a page: its fields are kept in the session, checked by the service's own validation (only this
// page's fields count here), then the next page; from check your answers (?change) back there.
func (j journey) post(ctx context.Context, r *web.Request) (web.Response, error) {
	page := r.Path("page")
	if page == checkPage {
		return j.submit(ctx, r)
	}
	s, ok := j.step(page)
	a := j.answers(r)
	if !ok || s.When != nil && !s.When(a) {
		return web.Response{}, web.NotFound()
	}
	web.Store(a, s.Fields, r.Form)
	r.Session().Changed()
	if err := pageErrors(j.Check(a, r.Now()), s.Fields); err != nil {
		if apperr.CodeOf(err) != apperr.Invalid {
			return web.Response{}, err
		}
		return j.ask(ctx, r, s, a, err)
	}
	if j.OnSave != nil && j.OnSave(s.Name, a) {
		return web.Redirect(j.path(s.Name))
	}
	if r.Query("change") != "" {
		return web.Redirect(j.path(checkPage))
	}
	return web.Redirect(j.next(s.Name, a))
}

// checkAnswers shows every answer of the steps the journey went through, each with a link to change it.
func (j journey) checkAnswers(r *web.Request, err error) (web.Response, error) {
	a := j.answers(r)
	var rows []web.Row
	var errs []web.ErrorLink
	for _, s := range j.shown(a) {
		form := web.BuildForm(r, s.Fields, a, err)
		for _, f := range form.Fields {
			rows = append(rows, web.Row{Key: rowKey(r, f), Values: answerText(r, f), Change: j.path(s.Name) + "?change=1", Hidden: rowKey(r, f)})
		}
		for _, e := range form.Errors {
			errs = append(errs, web.ErrorLink{Text: e.Text, Href: j.path(s.Name) + "?change=1" + e.Href})
		}
	}
	if j.Rows != nil {
		rows = append(rows, j.Rows(r, a)...)
	}
	if len(a) == 0 {
		return web.Redirect(j.path(j.Steps[0].Name)) // nothing answered yet (or already sent)
	}
	status := http.StatusOK
	if err != nil && len(errs) == 0 {
		return web.Response{}, err
	}
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	p := r.Page(j.Name+".check.title", web.Form{}, map[string]any{"Rows": rows, "Intro": r.T(j.Name + ".check.send")})
	p.Errors, p.Back = errs, j.back("", a)
	if shown := j.shown(a); len(shown) > 0 {
		p.Back = j.path(shown[len(shown)-1].Name)
	}
	return r.RenderPage(status, "check-answers", p)
}

// submit sends the answers to the application service, the same method the JSON API calls.
func (j journey) submit(ctx context.Context, r *web.Request) (web.Response, error) {
	a := j.answers(r)
	if len(a) == 0 {
		return web.Redirect(j.path(j.Steps[0].Name))
	}
	outcome, err := j.Submit(ctx, r, a)
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid {
			return j.checkAnswers(r, err)
		}
		return web.Response{}, err
	}
	if err := r.Session().Finish(j.Name, outcome); err != nil {
		return web.Response{}, err
	}
	return web.Redirect(j.path(donePage))
}

func (j journey) confirmation(r *web.Request) (web.Response, error) {
	outcome := j.Outcome()
	if !r.HasSession() || !r.Session().Outcome(j.Name, outcome) {
		return web.Redirect(j.path(j.Steps[0].Name))
	}
	return r.Render(http.StatusOK, j.Done, j.Name+".done.title", web.Form{}, outcome)
}

// rowKey is how check your answers names a question.
func rowKey(r *web.Request, f web.FieldView) string {
	if r.Has(f.Key + ".name") {
		return r.T(f.Key + ".name")
	}
	return strings.TrimSuffix(f.Label, " "+r.T("form.optional"))
}

// answerText is an answer as check your answers shows it: the options' words, a date as typed, text lines.
func answerText(r *web.Request, f web.FieldView) []string {
	switch f.Kind {
	case web.Radios, web.Checkboxes:
		var out []string
		for _, o := range f.Options {
			if o.Checked {
				out = append(out, o.Label)
			}
		}
		if len(out) == 0 {
			out = []string{r.T("form.notGiven")}
		}
		return out
	case web.Date:
		if f.Day == "" && f.Month == "" && f.Year == "" {
			return []string{r.T("form.notGiven")}
		}
		return []string{f.Day + "/" + f.Month + "/" + f.Year}
	}
	if strings.TrimSpace(f.Value) == "" {
		return []string{r.T("form.notGiven")}
	}
	return strings.Split(f.Value, "\n")
}
