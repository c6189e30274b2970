package asb

import (
	"fmt"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/apperr"
	"github.com/councilhousing/backend/shared/decision"
	"github.com/councilhousing/backend/shared/validate"
	"github.com/councilhousing/backend/shared/workdays"
)

// Location is where the behaviour happens.
type Location struct {
	Address  string `json:"address" validate:"required,max=300"`
	Postcode string `json:"postcode" validate:"required,postcode"`
}

// Reporter is how to contact a named reporter. Kept apart from the case and never logged.
type Reporter struct {
	Name             string `json:"name" validate:"required,max=200"`
	Email            string `json:"email,omitempty" validate:"omitempty,email,max=254"`
	Phone            string `json:"phone,omitempty" validate:"omitempty,ukphone"`
	PreferredContact string `json:"preferredContact,omitempty" validate:"omitempty,oneof=email sms phone"` // default: email if given, else sms
	Language         string `json:"language,omitempty" validate:"omitempty,max=35"`
	Adjustments      string `json:"adjustments,omitempty" validate:"omitempty,max=1000"`
}

// Risk are the reporter's answers that decide the risk level (ASB-4) and referrals (ASB-6).
type Risk struct {
	Vulnerable      bool `json:"vulnerable"`
	FeelsUnsafe     bool `json:"feelsUnsafe"`
	ChildAtRisk     bool `json:"childAtRisk"`
	Threats         bool `json:"threats"`
	CrimeInProgress bool `json:"crimeInProgress"`
}

// Report is an ASB report as the public form (or the out-of-hours service) sends it.
type Report struct {
	Type        string    `json:"type" validate:"required"`
	Description string    `json:"description" validate:"required,max=5000"`
	Location    Location  `json:"location"`
	OccurredAt  string    `json:"occurredAt,omitempty" validate:"omitempty,datetime=2006-01-02T15:04:05Z07:00"`
	Ongoing     bool      `json:"ongoing"`
	Anonymous   bool      `json:"anonymous"`
	Reporter    *Reporter `json:"reporter,omitempty"`
	Risk        Risk      `json:"risk"`
}

// Validate lists every problem with the report, received at receivedAt.
func (r Report) Validate(receivedAt time.Time) error {
	fields := validate.Struct(r)
	if r.Type != "" {
		if _, ok := TypeRuleOf(r.Type); !ok {
			fields.Add("type", "must be one of: %s", strings.Join(TypeNames(), ", "))
		}
	}
	if r.OccurredAt != "" {
		if at, err := time.Parse(time.RFC3339, r.OccurredAt); err == nil && at.After(receivedAt.Add(5*time.Minute)) {
			fields.Add("occurredAt", "cannot be in the future")
		}
	}
	switch {
	case r.Anonymous:
		// contact details sent with an anonymous report are not checked: they are dropped (Anonymise)
	case r.Reporter == nil:
		fields.Add("reporter", "is required unless the report is anonymous (ASB-2)")
	case r.Reporter != nil:
		fields = append(fields, reporterProblems(*r.Reporter)...)
	}
	return fields.Err()
}

func reporterProblems(p Reporter) apperr.Fields {
	var f apperr.Fields
	validate.Reachable(&f, "reporter", p.Email, p.Phone, "", p.PreferredContact) // no postal address is asked for
	return f
}

// Referral is a message for a partner team (ASB-6).
type Referral struct {
	Kind string `json:"kind"` // partner | safeguarding
	Rule string `json:"rule"`
	Why  string `json:"why"`
}

// Assessment is what the rules decide about a new report.
type Assessment struct {
	Category      Category         `json:"category"`
	RiskLevel     string           `json:"riskLevel"` // high | standard
	AcknowledgeBy workdays.Date    `json:"acknowledgeBy"`
	AppointmentBy workdays.Date    `json:"appointmentBy"`
	Referrals     []Referral       `json:"referrals,omitempty"`
	Advice        []string         `json:"advice"`
	Reasons       decision.Reasons `json:"reasons"`
}

// Assess classifies a valid report received at receivedAt (deadlines from the London day of receipt, WD-2/4).
func Assess(r Report, receivedAt time.Time) Assessment {
	rule, _ := TypeRuleOf(r.Type)
	a := Assessment{Category: rule.Category, RiskLevel: "standard"}
	a.Reasons.Add("ASB-3", fmt.Sprintf("%s is a %s case: an appointment is offered within %d working day(s).", rule.Label, rule.Category, rule.AppointmentDays))
	appointmentDays := rule.AppointmentDays
	if why := highRiskFactors(r.Risk); len(why) > 0 {
		a.RiskLevel = "high"
		appointmentDays = HighRiskAppointmentDays
		a.Reasons.Add("ASB-4", fmt.Sprintf("High risk (%s): an appointment is offered within 1 working day whatever the type.", strings.Join(why, ", ")))
	}
	a.AcknowledgeBy = workdays.DeadlineAfter(receivedAt, AcknowledgeDays)
	a.AppointmentBy = workdays.DeadlineAfter(receivedAt, appointmentDays)
	a.Reasons.Add("ASB-4", "Every report is acknowledged within 1 working day of receipt.")
	a.Referrals = referrals(r)
	for _, ref := range a.Referrals {
		a.Reasons.Add(ref.Rule, ref.Why)
	}
	a.Advice = advice(r)
	return a
}

// highRiskFactors are the ASB-4 high-risk answers: a vulnerable victim, threats of violence, a child at risk, or
// the reporter feeling unsafe. A crime in progress is an emergency for the police (ASB-6 advice), and usually
// comes with one of these; on its own it does not change the landlord's risk level.
func highRiskFactors(risk Risk) []string {
	var why []string
	if risk.Vulnerable {
		why = append(why, "the victim is vulnerable")
	}
	if risk.Threats {
		why = append(why, "threats of violence")
	}
	if risk.ChildAtRisk {
		why = append(why, "a child is at risk")
	}
	if risk.FeelsUnsafe {
		why = append(why, "the reporter feels unsafe")
	}
	return why
}

// referrals (ASB-6): hate incidents go to the council partner; domestic abuse, a child at risk or a vulnerable
// adult raise a safeguarding referral.
func referrals(r Report) []Referral {
	var out []Referral
	if r.Type == "hate-incident" {
		out = append(out, Referral{Kind: "partner", Rule: "ASB-6", Why: "Hate-related incidents are referred to the council partner."})
	}
	switch {
	case r.Type == "domestic-abuse":
		out = append(out, Referral{Kind: "safeguarding", Rule: "ASB-6", Why: "Domestic abuse raises a safeguarding referral."})
	case r.Risk.ChildAtRisk:
		out = append(out, Referral{Kind: "safeguarding", Rule: "ASB-6", Why: "A child at risk raises a safeguarding referral."})
	case r.Risk.Vulnerable:
		out = append(out, Referral{Kind: "safeguarding", Rule: "ASB-6", Why: "A vulnerable adult at risk raises a safeguarding referral."})
	}
	return out
}

func advice(r Report) []string {
	var out []string
	if r.Risk.CrimeInProgress {
		out = append(out, "If a crime is happening now or someone is in danger, call the police on 999. (ASB-6)")
	} else if r.Type == "other-crime" || r.Type == "physical-violence" || r.Type == "drugs" || r.Type == "hate-incident" || r.Type == "domestic-abuse" {
		out = append(out, "You can also report crimes to the police on 101, or 999 in an emergency. (ASB-6)")
	}
	if r.Type == "domestic-abuse" {
		out = append(out, "The National Domestic Abuse Helpline is free and open 24 hours: 0808 2000 247.")
	}
	if r.Anonymous {
		out = append(out, "Your report is anonymous: we will investigate it, but we cannot send you updates. (ASB-2)")
	} else {
		out = append(out, "Keep your reference and access token to check your report's progress.")
	}
	return out
}

// Anonymise drops any contact details from an anonymous report, so none are stored (ASB-2), and says so.
func (r *Report) Anonymise() (dropped bool) {
	if r.Anonymous && r.Reporter != nil {
		r.Reporter = nil
		return true
	}
	return false
}

// ContactKey normalises a reporter's contact for matching repeat reports (ASB-7): email lower-cased, else the
// phone's digits in +44 form. Empty for anonymous reports, which are never matched.
func ContactKey(r *Reporter) string {
	if r == nil {
		return ""
	}
	if e := strings.ToLower(strings.TrimSpace(r.Email)); e != "" {
		return "email:" + e
	}
	digits := strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return c
		}
		return -1
	}, r.Phone)
	switch {
	case strings.HasPrefix(digits, "44"):
		digits = digits[2:]
	case strings.HasPrefix(digits, "0"):
		digits = digits[1:]
	}
	if digits == "" {
		return ""
	}
	return "phone:+44" + digits
}

// CaseReview says whether the reporter may ask for an ASB case review (ASB-7): earlier is the number of their
// reports in the six months before this one.
type CaseReview struct {
	Eligible               bool `json:"eligible"`
	ReportsInLastSixMonths int  `json:"reportsInLastSixMonths"`
}

// CaseReviewFor counts this report with the earlier ones (never for anonymous reports).
func CaseReviewFor(anonymous bool, earlier int) CaseReview {
	if anonymous {
		return CaseReview{}
	}
	n := earlier + 1
	return CaseReview{Eligible: n >= CaseReviewThreshold, ReportsInLastSixMonths: n}
}
