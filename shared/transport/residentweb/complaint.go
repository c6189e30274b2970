package residentweb

import (
	"context"
	"time"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/web"
)

// serviceAreas a complaint can be about (complaints.Submission.ServiceArea is free text; the page offers these).
var serviceAreas = []string{"repairs", "rent", "anti-social-behaviour", "tenancy", "communal-areas", "staff", "housing-register", "other"}

const consentGiven = "consent"

// complaintJourney is "Make a complaint": the JSON API's complaints.Submission (POST /complaints), checked by
// its own Validate and sent to complaintcases.Service.Submit.
func (p Pages) complaintJourney() journey {
	onBehalf := func(a Answers) bool { return a.Yes("onBehalf") }
	steps := []step{
		{Name: "what-went-wrong", Fields: []web.Field{{Name: "description", Kind: web.TextArea, Key: "complaint.description", Paths: []string{"description"}, MaxLength: 10000}}},
		{Name: "outcome", Fields: []web.Field{{Name: "outcomesSought", Kind: web.TextArea, Key: "complaint.outcome", Paths: []string{"outcomesSought"}, MaxLength: 5000}}},
		{Name: "service", Fields: []web.Field{{Name: "serviceArea", Kind: web.Radios, Key: "complaint.service", Paths: []string{"serviceArea"}, Options: serviceAreas}}},
		{Name: "when", Fields: []web.Field{{Name: "issueDate", Kind: web.Date, Key: "complaint.when", Paths: []string{"issueDate"}}}},
		{Name: "legal", Fields: []web.Field{{Name: "legalProceedings", Kind: web.Radios, Key: "complaint.legal", Paths: []string{"legalProceedings"}, Options: yesNo}}},
		{Name: "on-behalf", Fields: []web.Field{{Name: "onBehalf", Kind: web.Radios, Key: "complaint.onBehalf", Options: []string{no, yes}}}},
		{Name: "representative", Title: "complaint.representative.title", When: onBehalf, Intro: []string{"complaint.representative.intro"}, Fields: []web.Field{
			{Name: "repName", Kind: web.Text, Key: "complaint.representative.name", Paths: []string{"representative.name"}, MaxLength: 200, Autocomplete: "name"},
			{Name: "repEmail", Kind: web.Email, Key: "complaint.representative.email", Paths: []string{"representative.email"}, MaxLength: 254, Autocomplete: "email", Optional: true},
			{Name: "repRelationship", Kind: web.Text, Key: "complaint.representative.relationship", Paths: []string{"representative.relationship"}, MaxLength: 100, Optional: true},
			{Name: "repConsent", Kind: web.Checkboxes, Key: "complaint.representative.consent", Paths: []string{"representative.consent", "representative"}, Options: []string{consentGiven}},
		}},
		{Name: "adjustments", Fields: []web.Field{{Name: "adjustments", Kind: web.TextArea, Key: "complaint.adjustments", Paths: []string{"complainant.adjustments"}, MaxLength: 1000, Optional: true}}},
	}
	steps = append(steps, contactSteps("complainant", nil)...)
	return journey{Name: "complain", Caption: "complaint.caption", Steps: steps, Done: "complaint-confirmation",
		Outcome: func() any { return &complaintOutcome{} },
		Check:   func(a Answers, at time.Time) error { return complaintForm(a).Validate(at) },
		Submit: func(ctx context.Context, r *web.Request, a Answers) (any, error) {
			rec, err := p.Complaints.Submit(ctx, complaintcases.Submit{Form: complaintForm(a), At: r.Now()})
			if err != nil {
				return nil, err
			}
			return complaintOutcome{Reference: rec.Complaint.Reference, AcknowledgeBy: rec.Complaint.Current().AcknowledgeBy,
				ResponseDays: complaints.Stage1ResponseDays, Email: a.Get("email") != ""}, nil
		}}
}

// complaintOutcome is what the confirmation page shows.
type complaintOutcome struct {
	Reference     string
	AcknowledgeBy workdays.Date
	ResponseDays  int
	Email         bool
}

// SignInPath is the check-progress link with the reference filled in (the same as the acknowledgement message's).
func (o complaintOutcome) SignInPath() string { return notification.SignInPath(o.Reference) }

// complaintForm is the submission the answers make: the JSON API's complaints.Submission.
func complaintForm(a Answers) complaints.Submission {
	s := complaints.Submission{Description: a.Get("description"), OutcomesSought: a.Get("outcomesSought"), ServiceArea: a.Get("serviceArea"),
		IssueDate: web.ISODate(a["issueDate"]), LegalProceedings: a.Yes("legalProceedings"), Complainant: contactOf(a)}
	if a.Yes("onBehalf") {
		s.Representative = &complaints.Representative{Name: a.Get("repName"), Email: a.Get("repEmail"), Relationship: a.Get("repRelationship"),
			Consent: a.Has("repConsent", consentGiven)}
	}
	return s
}
