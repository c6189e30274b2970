package staffweb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/transport/idem"
	"github.com/councilhousing/backend/shared/transport/web"
)

// logComplaintRoute is the JSON route the log-a-complaint page mirrors: a complaint a member of staff took by
// phone, letter, email, in person, from a councillor or a representative.
const logComplaintRoute = "POST /complaints/logged"

// complaintServiceAreas are what a complaint can be about (Submission.ServiceArea is free text; the resident
// pages offer the same).
var complaintServiceAreas = []string{"repairs", "rent", "anti-social-behaviour", "tenancy", "communal-areas", "staff", "housing-register", "other"}

func logKey(field string) string { return "staff.complaint.log." + field }

func at(name, key string, path string, max int, optional bool) web.Field {
	return web.Field{Name: name, Kind: web.Text, Key: key, Paths: []string{path}, MaxLength: max, Optional: optional}
}

// logFields are the LoggedComplaint's fields, with the API's validation paths.
var logFields = []web.Field{
	{Name: "channel", Kind: web.Radios, Key: logKey("channel"), Paths: []string{"channel"}, Options: escalationChannels},
	{Name: "receivedOn", Kind: web.Date, Key: logKey("receivedOn"), Paths: []string{"receivedOn"}},
	at("name", logKey("name"), "complainant.name", 200, false),
	{Name: "email", Kind: web.Text, Key: logKey("email"), Paths: []string{"complainant.email"}, MaxLength: 254, Optional: true, Autocomplete: "off"},
	{Name: "phone", Kind: web.Text, Key: logKey("phone"), Paths: []string{"complainant.phone"}, MaxLength: 20, Width: "govuk-input--width-20", Optional: true},
	at("address", logKey("address"), "complainant.address", 300, true),
	{Name: "postcode", Kind: web.Text, Key: logKey("postcode"), Paths: []string{"complainant.postcode"}, MaxLength: 10, Width: "govuk-input--width-10", Optional: true},
	radios("serviceArea", logKey("serviceArea"), complaintServiceAreas, false),
	{Name: "description", Kind: web.TextArea, Key: logKey("description"), Paths: []string{"description"}, MaxLength: 10000},
	text("outcomesSought", logKey("outcomesSought"), 5000, false),
	{Name: "issueDate", Kind: web.Date, Key: logKey("issueDate"), Paths: []string{"issueDate"}},
	yes("legalProceedings", logKey("legalProceedings")),
	at("representativeName", logKey("representativeName"), "representative.name", 200, true),
	{Name: "representativeEmail", Kind: web.Text, Key: logKey("representativeEmail"), Paths: []string{"representative.email"}, MaxLength: 254, Optional: true, Autocomplete: "off"},
	{Name: "representativeConsent", Kind: web.Checkboxes, Key: logKey("representativeConsent"), Paths: []string{"representative.consent"}, Options: []string{"yes"}, Optional: true},
}

// loggedOf is the form as the API's LoggedComplaint.
func loggedOf(v map[string][]string) complaints.LoggedComplaint {
	in := complaints.LoggedComplaint{Channel: one(v, "channel"), ReceivedOn: web.ISODate(v["receivedOn"]),
		Submission: complaints.Submission{Description: one(v, "description"), OutcomesSought: one(v, "outcomesSought"), ServiceArea: one(v, "serviceArea"),
			IssueDate: web.ISODate(v["issueDate"]), LegalProceedings: ticked(v, "legalProceedings"),
			Complainant: contact.Details{Name: one(v, "name"), Email: strings.TrimSpace(one(v, "email")), Phone: strings.TrimSpace(one(v, "phone")),
				Address: one(v, "address"), Postcode: strings.TrimSpace(one(v, "postcode"))}}}
	if strings.TrimSpace(one(v, "representativeName")+one(v, "representativeEmail")) != "" || ticked(v, "representativeConsent") {
		in.Representative = &complaints.Representative{Name: one(v, "representativeName"), Email: strings.TrimSpace(one(v, "representativeEmail")),
			Consent: ticked(v, "representativeConsent")}
	}
	return in
}

// logView is the log-a-complaint page's data: Once is the form's one-time key (a hidden field).
type logView struct{ RuleError, Once string }

// onceField is the log form's hidden one-time key (idem.NewFormKey): the same form sent twice logs one complaint,
// and the second sending leads to it. The key is the officer's own (idem.ForForm binds it to their id) and kept
// across a 422, so putting a mistake right still sends the same form.
const onceField = "once"

// loggedAnswer is what the first sending of a log form stores for the next (the idempotency table, sealed): where
// it led. Only the reference: never the complainant's details.
type loggedAnswer struct {
	Reference string `json:"reference"`
}

// loggedBefore is the complaint an earlier sending of the same form logged ("" when there was none).
func (p *Pages) loggedBefore(ctx context.Context, rec idem.Recorder) (string, error) {
	body, err := rec.Replay(ctx, p.Answers)
	if err != nil || body == nil {
		return "", err
	}
	var a loggedAnswer
	if err := json.Unmarshal(body, &a); err != nil || !reference().MatchString(a.Reference) {
		return "", fmt.Errorf("log form's stored answer: not a reference")
	}
	return a.Reference, nil
}

// logOnce logs the form's complaint once for its key: a key already used leads to the complaint it logged (also
// when the other sending won a race: the Conflict of the idempotency table's condition), a key that is not one we
// give out is refused (a new one is given with the form).
func (p *Pages) logOnce(ctx context.Context, r *web.Request, o Officer, once string, answers map[string][]string) (ref string, again bool, err error) {
	if !idem.ValidFormKey(once) {
		return "", false, apperr.New(apperr.Invalid, "%s", r.T("staff.complaint.log.onceInvalid"))
	}
	rec := idem.ForForm("staff-log-complaint", o.ID, once, http.StatusSeeOther)
	if ref, err := p.loggedBefore(ctx, rec); err != nil || ref != "" {
		return ref, true, err
	}
	logged, err := p.Complaints.Log(ctx, complaintcases.Log{Form: loggedOf(answers), By: o.Staff(), At: r.Now(),
		Answer: idem.Encode(rec, func(x complaintcases.Record) loggedAnswer { return loggedAnswer{Reference: x.Case.Reference} })})
	if apperr.CodeOf(err) == apperr.Conflict {
		if ref, ferr := p.loggedBefore(ctx, rec); ferr != nil || ref != "" {
			return ref, true, ferr
		}
	}
	if err != nil {
		return "", false, err
	}
	return logged.Case.Reference, false, nil
}

// logComplaint is a complaint a member of staff took (GET the form, POST it): the same LoggedComplaint as POST
// /complaints/logged and the same complaintcases.Service.Log, so the validation and the rule-cited errors are
// the API's; logged, the officer is on the new complaint's page.
func (p *Pages) logComplaint(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	answers := map[string][]string{}
	var err error
	once := idem.NewFormKey()
	if r.Form != nil {
		web.Store(answers, logFields, r.Form)
		var ref string
		var again bool
		if ref, again, err = p.logOnce(ctx, r, o, r.Form.Get(onceField), answers); err == nil {
			done := "staff.complaint.log.done"
			if again {
				done = "staff.complaint.log.again"
			}
			_ = r.Session().Keep(keptFlash, r.T(done, ref))
			return web.Redirect("/staff/complaints/" + ref)
		}
		if idem.ValidFormKey(r.Form.Get(onceField)) {
			once = r.Form.Get(onceField) // nothing was logged with it: the corrected form is the same form
		}
		if code := apperr.CodeOf(err); code == apperr.Internal || code == apperr.NotFound {
			return web.Response{}, err
		}
		if e, ok := apperr.As(err); ok { // "complainant needs an email address or a phone number": at the email field
			for i := range e.Fields {
				if e.Fields[i].Field == "complainant" {
					e.Fields[i].Field, e.Fields[i].Message = "complainant.email", "or a phone number is required so we can contact them"
				}
			}
		}
	}
	form := web.BuildForm(r, logFields, answers, err)
	for i := range form.Fields {
		form.Fields[i].Heading = false
	}
	v := logView{Once: once}
	if e, ok := apperr.As(err); ok {
		var unowned []string // a rule's error, or a field the form does not show (a representative needed)
		for _, f := range e.Fields {
			if !web.OwnedBy(logFields, f.Field) {
				unowned = append(unowned, f.Field+" "+f.Message)
			}
		}
		msg := strings.Join(unowned, "; ")
		if len(e.Fields) == 0 {
			msg = citedOnce(e.Message, e.Rule)
		}
		if msg != "" {
			v.RuleError = msg
			form.Errors = append(form.Errors, web.ErrorLink{Text: msg, Href: "#rule-error"})
		}
	}
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	pg := r.Page("staff.complaint.log.title", form, view{Officer: o, Data: v})
	return r.RenderPage(status, "complaint-log", pg)
}
