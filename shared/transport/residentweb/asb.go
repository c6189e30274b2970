package residentweb

import (
	"context"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/web"
)

// Risk answers (asb.Risk) as checkbox values.
const (
	riskCrime      = "crimeInProgress"
	riskThreats    = "threats"
	riskUnsafe     = "feelsUnsafe"
	riskVulnerable = "vulnerable"
	riskChild      = "childAtRisk"
)

// languages a resident may choose for our messages (contact.Details.Language); "other" asks us to phone.
var languages = []string{"en", "cy", "pl", "ro", "pa", "ur", "bn", "ar", "so"}

// contactSteps are the contact pages the ASB report and the complaint share: who you are and how to reach
// you, then how you prefer to be contacted and in which language. prefix is the JSON path of the contact in the
// command ("reporter", "complainant"); when leaves them out (an anonymous report).
func contactSteps(prefix string, when func(Answers) bool) []step {
	return []step{
		{Name: "your-details", Title: "contact.title", When: when, Fields: []web.Field{
			{Name: "name", Kind: web.Text, Key: "contact.name", Paths: []string{prefix + ".name"}, MaxLength: 200, Autocomplete: "name"},
			{Name: "email", Kind: web.Email, Key: "contact.email", Paths: []string{prefix + ".email", prefix}, MaxLength: 254, Autocomplete: "email", Optional: true},
			{Name: "phone", Kind: web.Tel, Key: "contact.phone", Paths: []string{prefix + ".phone"}, MaxLength: 20, Autocomplete: "tel", Width: "govuk-input--width-20", Optional: true},
			{Name: "contactAddress", Kind: web.TextArea, Key: "contact.address", Paths: []string{prefix + ".address"}, MaxLength: 300, Optional: true},
			{Name: "contactPostcode", Kind: web.Text, Key: "contact.postcode", Paths: []string{prefix + ".postcode"}, MaxLength: 8, Autocomplete: "postal-code", Width: "govuk-input--width-10", Optional: true},
		}},
		{Name: "contact-preferences", Title: "contact.preferences.title", When: when, Fields: []web.Field{
			{Name: "preferredContact", Kind: web.Radios, Key: "contact.preferred", Paths: []string{prefix + ".preferredContact"},
				Options: []string{contact.Email, contact.SMS, contact.Phone, contact.Letter}},
			{Name: "language", Kind: web.Radios, Key: "contact.language", Paths: []string{prefix + ".language"}, Options: languages},
		}},
	}
}

// contactOf is the contact the pages collected.
func contactOf(a Answers) contact.Details {
	return contact.Details{Name: a.Get("name"), Email: a.Get("email"), Phone: a.Get("phone"), Address: a.Get("contactAddress"),
		Postcode: a.Get("contactPostcode"), PreferredContact: a.Get("preferredContact"), Language: a.Get("language"), Adjustments: a.Get("adjustments")}
}

func named(a Answers) bool { return a.Get("anonymous") == no }

// asbJourney is "Report anti-social behaviour": the same asb.Report the JSON API takes (POST /asb/reports),
// checked by its own Validate and sent to asbcases.Service.Report.
func (p Pages) asbJourney() journey {
	types := make([]string, len(asb.Types))
	for i, t := range asb.Types {
		types[i] = t.Type
	}
	urgent := func(a Answers) bool { return a.Has("risk", riskCrime) || a.Has("risk", riskThreats) }
	steps := []step{
		{Name: "what-is-happening", Fields: []web.Field{{Name: "type", Kind: web.Radios, Key: "asb.type", Paths: []string{"type"}, Options: types}}},
		{Name: "describe", Fields: []web.Field{{Name: "description", Kind: web.TextArea, Key: "asb.description", Paths: []string{"description"}, MaxLength: 5000}}},
		{Name: "where", Title: "asb.where.title", Fields: []web.Field{
			{Name: "address", Kind: web.TextArea, Key: "asb.where.address", Paths: []string{"location.address"}, MaxLength: 300},
			{Name: "postcode", Kind: web.Text, Key: "asb.where.postcode", Paths: []string{"location.postcode"}, MaxLength: 8, Width: "govuk-input--width-10"},
		}},
		{Name: "when", Fields: []web.Field{{Name: "occurred", Kind: web.Date, Key: "asb.when", Paths: []string{"occurredAt"}, Optional: true}}},
		{Name: "still-happening", Fields: []web.Field{{Name: "ongoing", Kind: web.Radios, Key: "asb.ongoing", Paths: []string{"ongoing"}, Options: yesNo}}},
		{Name: "risk", Fields: []web.Field{{Name: "risk", Kind: web.Checkboxes, Key: "asb.risk", Paths: []string{"risk"},
			Options: []string{riskCrime, riskThreats, riskUnsafe, riskVulnerable, riskChild}}}},
		{Name: "call-999", Title: "asb.urgent.title", Warning: "asb.urgent.warning", Intro: []string{"asb.urgent.police", "asb.urgent.continue"}, When: urgent},
		{Name: "anonymous", Fields: []web.Field{{Name: "anonymous", Kind: web.Radios, Key: "asb.anonymous", Paths: []string{"anonymous"}, Options: []string{no, yes}}}},
	}
	steps = append(steps, contactSteps("reporter", named)...)
	return journey{Name: "report-asb", Caption: "asb.caption", Steps: steps, Done: "asb-confirmation",
		Outcome: func() any { return &asbOutcome{} },
		Check:   func(a Answers, at time.Time) error { return asbReport(a).Validate(at) },
		Submit: func(ctx context.Context, r *web.Request, a Answers) (any, error) {
			rec, err := p.ASB.Report(ctx, asbcases.Report{Form: asbReport(a), At: r.Now()})
			if err != nil {
				return nil, err
			}
			return asbOutcome{Reference: rec.Case.Reference, AcknowledgeBy: rec.Assessment.AcknowledgeBy, AppointmentBy: rec.Assessment.AppointmentBy,
				Anonymous: rec.Case.Anonymous, Urgent: rec.Assessment.RiskLevel == asb.RiskHigh, Advice: adviceKeys(a)}, nil
		}}
}

// asbOutcome is what the confirmation page shows: the reference and what happens next, from the receipt.
type asbOutcome struct {
	Reference                    string
	AcknowledgeBy, AppointmentBy workdays.Date
	Anonymous, Urgent            bool
	Advice                       []string // catalog keys
}

// SignInPath is the check-progress link with the reference filled in (the same as the acknowledgement message's).
func (o asbOutcome) SignInPath() string { return notification.SignInPath(o.Reference) }

// adviceKeys are the police advice the answers call for (the same grounds as the rules' advice, ASB-6).
func adviceKeys(a Answers) []string {
	var out []string
	if a.Has("risk", riskCrime) {
		out = append(out, "asb.done.advice999")
	} else if rule, ok := asb.TypeRuleOf(a.Get("type")); ok && rule.Crime || a.Has("risk", riskThreats) {
		out = append(out, "asb.done.advice101")
	}
	if a.Get("type") == "domestic-abuse" {
		out = append(out, "asb.done.adviceDomesticAbuse")
	}
	return out
}

// asbReport is the report the answers make: the JSON API's asb.Report.
func asbReport(a Answers) asb.Report {
	r := asb.Report{Type: a.Get("type"), Description: a.Get("description"),
		Location:   asb.Location{Address: a.Get("address"), Postcode: a.Get("postcode")},
		OccurredAt: dateTime(a["occurred"]), Ongoing: a.Yes("ongoing"), Anonymous: a.Yes("anonymous"),
		Risk: asb.Risk{CrimeInProgress: a.Has("risk", riskCrime), Threats: a.Has("risk", riskThreats), FeelsUnsafe: a.Has("risk", riskUnsafe),
			Vulnerable: a.Has("risk", riskVulnerable), ChildAtRisk: a.Has("risk", riskChild)}}
	if named(a) {
		c := contactOf(a)
		r.Reporter = &c
	}
	return r
}

// dateTime is a date typed in three boxes as the start of that day in London, in RFC 3339 ("" when none
// was typed; an impossible date is passed on as typed, so the validation names it).
func dateTime(parts []string) string {
	iso := web.ISODate(parts)
	if iso == "" {
		return ""
	}
	d, err := workdays.ParseDate(iso)
	if err != nil {
		return iso
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, workdays.London).Format(time.RFC3339)
}
