package residentweb

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/transport/web"
)

// "Check your progress": sign in with the email address or mobile number on a record and a one-time code
// (residentaccess.Service.Start, Verify), then the resident's own records (Records, Record), and a complaint
// escalated to stage 2 with no reasons asked (complaintcases.Service.Escalate, as the JSON API). Pages:
//
//	/progress/sign-in[?ref=<reference>]   the contact, and a reference (from the sign-in link) if they have one
//	/progress/code                        "if we found a record we sent a code": the code
//	/progress/your-records                their records
//	/progress/<reference>                 one record (a POST escalates a complaint, or answers a closed ASB case's
//	                                      satisfaction survey: its "survey" section, notification.SurveyPagePath)
//	/progress/sign-out (POST), /progress/signed-out
//
// An unknown contact, a reference that is not theirs and a wrong code look the same: the same code page after
// sign-in, the same "not right or has expired" after a code; a signed-in resident asking for a record that is
// not theirs gets the same 404 page as for one that does not exist.
const (
	pageSignIn    = "sign-in"
	pageCode      = "code"
	pageRecords   = "your-records"
	pageSignOut   = "sign-out"
	pageSignedOut = "signed-out"
	progressJ     = "progress" // the session's answers of the sign-in pages
)

var (
	signInFields = []web.Field{
		{Name: "contact", Kind: web.Text, Key: "progress.signIn.contact", Paths: []string{"contact"}, MaxLength: residentaccess.MaxContactLength, Autocomplete: "username"},
		{Name: "reference", Kind: web.Text, Key: "progress.signIn.reference", Paths: []string{"reference"}, MaxLength: residentaccess.MaxReferenceLength,
			Width: "govuk-input--width-10", Optional: true},
	}
	codeFields = []web.Field{{Name: "code", Kind: web.Number, Key: "progress.code.code", Paths: []string{"code"}, MaxLength: residentaccess.MaxCodeLength,
		Width: "govuk-input--width-5", Autocomplete: "one-time-code"}}
)

func progressPath(page string) string { return "/progress/" + page }

// signedIn is the contact the visitor proved in this session (zero when none, or away too long).
func signedIn(r *web.Request) residentaccess.Contact {
	if !r.HasSession() {
		return residentaccess.Contact{}
	}
	c, _ := residentaccess.FromCanonical(r.Session().SignedInAs(r.Now()))
	return c
}

func (p Pages) progressGet(ctx context.Context, r *web.Request) (web.Response, error) {
	switch page := r.Path("page"); page {
	case pageSignIn:
		if ref, err := residentaccess.ParseReference(r.Query("ref")); err == nil && ref != "" {
			r.Session().Journey(progressJ)["reference"] = []string{ref}
			r.Session().Changed()
		}
		return p.askSignIn(r, nil)
	case pageCode:
		if !r.HasSession() || r.Session().Journey(progressJ)["contact"] == nil {
			return web.Redirect(progressPath(pageSignIn))
		}
		return p.askCode(r, nil)
	case pageRecords:
		return p.records(ctx, r)
	case pageSignedOut:
		return r.Render(http.StatusOK, "progress-signed-out", "progress.signedOut.title", web.Form{}, nil)
	default:
		return p.record(ctx, r, page)
	}
}

func (p Pages) progressPost(ctx context.Context, r *web.Request) (web.Response, error) {
	switch page := r.Path("page"); page {
	case pageSignIn:
		a := r.Session().Journey(progressJ)
		web.Store(a, signInFields, r.Form)
		r.Session().Changed()
		err := p.Access.Start(ctx, residentaccess.StartSignIn{Session: r.Session().ID, Contact: Answers(a).Get("contact"),
			Reference: Answers(a).Get("reference"), Language: r.Lang, At: r.Now()})
		if apperr.CodeOf(err) == apperr.Invalid {
			return p.askSignIn(r, err)
		}
		if err != nil {
			return web.Response{}, err
		}
		return web.Redirect(progressPath(pageCode))
	case pageCode:
		grant, err := p.Access.Verify(ctx, residentaccess.VerifyCode{Session: r.Session().ID, Code: r.Form.Get("code"), At: r.Now()})
		if apperr.CodeOf(err) == apperr.Invalid {
			return p.askCode(r, err)
		}
		if err != nil {
			return web.Response{}, err
		}
		s := r.Session()
		delete(s.Answers, progressJ)
		s.Renew()
		s.SignIn(grant.Contact.Canonical(), r.Now())
		if grant.Ref != "" {
			return web.Redirect(progressPath(grant.Ref))
		}
		return web.Redirect(progressPath(pageRecords))
	case pageSignOut:
		r.Session().End()
		return web.Redirect(progressPath(pageSignedOut))
	default:
		if r.Form.Get("action") == "survey" {
			return p.survey(ctx, r, page)
		}
		return p.escalate(ctx, r, page)
	}
}

func (p Pages) askSignIn(r *web.Request, err error) (web.Response, error) {
	a := r.Session().Journey(progressJ) // a session for the form's CSRF token
	q := web.Question{Intro: []string{r.T("progress.signIn.intro")}}
	return r.Ask("progress.signIn.title", signInFields, a, err, q, "/")
}

// askCode is the code page: the same whether or not a code was sent.
func (p Pages) askCode(r *web.Request, err error) (web.Response, error) {
	a := Answers(r.Session().Journey(progressJ))
	q := web.Question{Heading: true, Intro: []string{r.T("progress.code.sent", a.Get("contact")), r.T("progress.code.expiry")}}
	form := web.BuildForm(r, codeFields, nil, err)
	form.Fields[0].Heading = false // the page has its own heading
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	pg := r.Page("progress.code.title", form, q)
	pg.Back = progressPath(pageSignIn)
	return r.RenderPage(status, "progress-code", pg)
}

// records lists the signed-in resident's records.
func (p Pages) records(ctx context.Context, r *web.Request) (web.Response, error) {
	c := signedIn(r)
	if c.IsZero() {
		return web.Redirect(progressPath(pageSignIn))
	}
	views, err := p.Access.Records(ctx, c, r.Now())
	if err != nil {
		return web.Response{}, err
	}
	return r.Render(http.StatusOK, "progress-records", "progress.records.title", web.Form{}, progressData{Views: views})
}

// progressData is what the progress pages show.
type progressData struct {
	Views []residentaccess.View
	View  residentaccess.View
}

// record shows one of the resident's records: signed out, any well-formed reference goes to sign-in with it;
// signed in, one that is not theirs is the same 404 as one that does not exist.
func (p Pages) record(ctx context.Context, r *web.Request, page string) (web.Response, error) {
	ref, err := residentaccess.ParseReference(page)
	if err != nil || ref == "" || ref != page {
		return web.Response{}, web.NotFound()
	}
	c := signedIn(r)
	if c.IsZero() {
		return web.Redirect(progressPath(pageSignIn) + "?ref=" + url.QueryEscape(ref))
	}
	return p.showRecord(ctx, r, c, ref, nil, nil)
}

// showRecord renders one of the resident's records; a closed ASB case whose survey they may answer has the survey's
// form, with the answers and errors of a post that did not go through (422).
func (p Pages) showRecord(ctx context.Context, r *web.Request, c residentaccess.Contact, ref string, answers map[string][]string, surveyErr error) (web.Response, error) {
	v, err := p.Access.Record(ctx, c, ref, r.Now())
	if err != nil {
		return web.Response{}, err
	}
	var form web.Form
	if v.SurveyOpen {
		form = web.BuildForm(r, surveyFields, answers, surveyErr)
	}
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	pg := r.Page("progress.record.title", form, progressData{View: v})
	pg.Title = r.T("progress.record.title", v.Reference)
	pg.Back = progressPath(pageRecords)
	return r.RenderPage(status, "progress-record", pg)
}

// surveyRatings are the survey's answers, 5 (very satisfied) to 1 (very dissatisfied), as the JSON survey's.
var surveyRatings = []string{"5", "4", "3", "2", "1"}

// surveyFields are the ASB satisfaction survey's questions (asb.SurveyAnswers, ASB-9).
var surveyFields = []web.Field{
	{Name: "handling", Kind: web.Radios, Key: "progress.survey.handling", Paths: []string{"handling"}, Options: surveyRatings},
	{Name: "outcome", Kind: web.Radios, Key: "progress.survey.outcome", Paths: []string{"outcome"}, Options: surveyRatings},
	{Name: "comments", Kind: web.TextArea, Key: "progress.survey.comments", Paths: []string{"comments"}, MaxLength: asb.MaxSurveyComments, Optional: true},
}

// survey answers a closed ASB case's satisfaction survey for the signed-in resident (its first reporter, or a
// reporter whose further report joined it): the same asbcases.Service.AnswerSurvey the JSON API calls, with the
// contact they proved in place of the case's token. Answered already, or not theirs to answer: the record again.
func (p Pages) survey(ctx context.Context, r *web.Request, page string) (web.Response, error) {
	ref, err := residentaccess.ParseReference(page)
	if err != nil || ref == "" || ref != page {
		return web.Response{}, web.NotFound()
	}
	c := signedIn(r)
	if c.IsZero() {
		return web.Redirect(progressPath(pageSignIn) + "?ref=" + url.QueryEscape(ref))
	}
	answers := map[string][]string{}
	web.Store(answers, surveyFields, r.Form)
	a := Answers(answers)
	rating := func(name string) int { n, _ := strconv.Atoi(a.Get(name)); return n } // not a rating: 0, which is "required"
	_, err = p.ASB.AnswerSurvey(ctx, asbcases.AnswerSurvey{ResidentRequest: asbcases.ResidentRequest{Ref: ref, ProvenKey: c.Key()}, At: r.Now(),
		Input: asb.SurveyAnswers{Handling: rating("handling"), Outcome: rating("outcome"), Comments: a.Get("comments")}})
	switch code := apperr.CodeOf(err); {
	case err == nil, code == apperr.Conflict: // answered (now or before), or no longer closed: the record says which
		return web.Redirect(progressPath(ref) + "#survey")
	case code == apperr.Invalid:
		return p.showRecord(ctx, r, c, ref, answers, err)
	case code == apperr.NotFound:
		return web.Response{}, residentaccess.NotYours()
	default:
		return web.Response{}, err
	}
}

// escalate asks for stage 2 of the resident's complaint, no reasons asked (CH-5, Code 6.12): the same
// complaintcases.Service.Escalate the JSON API calls, with the contact they proved in place of the token.
func (p Pages) escalate(ctx context.Context, r *web.Request, page string) (web.Response, error) {
	ref, err := residentaccess.ParseReference(page)
	if err != nil || ref == "" || ref != page || r.Form.Get("action") != "escalate" {
		return web.Response{}, web.NotFound()
	}
	c := signedIn(r)
	if c.IsZero() {
		return web.Redirect(progressPath(pageSignIn) + "?ref=" + url.QueryEscape(ref))
	}
	if _, _, err := p.Complaints.Escalate(ctx, complaintcases.ResidentRequest{Ref: ref, At: r.Now(), Holds: c.Holds}); err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return web.Response{}, residentaccess.NotYours()
		}
		return web.Response{}, err
	}
	return web.Redirect(progressPath(ref))
}
