package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Location is where the behaviour happens.
type Location struct {
	Address  string `json:"address" validate:"required,max=300"`
	Postcode string `json:"postcode" validate:"required,postcode"`
}

// Reporter is how to contact a named reporter: the one contact shape (shared/rules/contact), kept apart from
// the case (the store holds it as the case's CONTACT item, where the reminders and the notifier read it) and
// never logged.
type Reporter = contact.Details

// Risk are the reporter's answers that decide the risk level (ASB-4) and referrals (ASB-6).
type Risk struct {
	Vulnerable      bool `json:"vulnerable"`
	FeelsUnsafe     bool `json:"feelsUnsafe"`
	ChildAtRisk     bool `json:"childAtRisk"`
	Threats         bool `json:"threats"`
	CrimeInProgress bool `json:"crimeInProgress"`
}

// MaxIncidentAgeYears bounds how long ago a reported incident may have happened: older behaviour is history for
// the officer's notes, not a date the case is timed or reported by.
const MaxIncidentAgeYears = 2

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
	// Subject names the person reported, when the reporter knows them (source 002: "subjects of report"): with
	// the same reporter, it finds the open case a further report belongs to (ASB-9).
	Subject string `json:"subject,omitempty" validate:"omitempty,max=200"`
}

// clockSkew tolerates a sender's clock running a little ahead of ours when checking "not in the future".
const clockSkew = 5 * time.Minute

// Validate lists every problem with the report, received at receivedAt.
func (r Report) Validate(receivedAt time.Time) error {
	checked := r
	if r.Anonymous {
		checked.Reporter = nil // contact details sent with an anonymous report are dropped unread (Anonymise, ASB-2)
	}
	fields := validate.Struct(checked)
	if r.Type != "" {
		if _, ok := TypeRuleOf(r.Type); !ok {
			fields.Add("type", "must be one of: %s", strings.Join(TypeNames(), ", "))
		}
	}
	if r.OccurredAt != "" {
		if at, err := time.Parse(time.RFC3339, r.OccurredAt); err == nil && at.After(receivedAt.Add(clockSkew)) {
			fields.Add("occurredAt", "cannot be after the report was received")
		} else if err == nil && at.Before(receivedAt.AddDate(-MaxIncidentAgeYears, 0, 0)) {
			fields.Add("occurredAt", "cannot be more than %d years before the report", MaxIncidentAgeYears)
		}
	}
	switch {
	case r.Anonymous:
	case r.Reporter == nil:
		fields.Add("reporter", "is required unless the report is anonymous (ASB-2)")
	default:
		fields = append(fields, reporterProblems(*r.Reporter)...)
	}
	return fields.Err()
}

// reporterProblems: the preferred channel must be usable, and a named reporter always gives an email address
// or a phone number, even when they prefer letters: the 1 WD acknowledgement (ASB-4) cannot wait for the post,
// and repeat reports are matched on them (ASB-7).
func reporterProblems(p Reporter) apperr.Fields {
	var f apperr.Fields
	validate.Reachable(&f, "reporter", p.Email, p.Phone, p.Address, p.PreferredContact)
	if blank(p.Email) && blank(p.Phone) && !slices.ContainsFunc(f, func(e apperr.FieldError) bool { return e.Field == "reporter" }) {
		f.Add("reporter", "needs an email address or a phone number so we can contact you")
	}
	return f
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// Referral is a message for a partner team (ASB-6).
type Referral struct {
	Kind string `json:"kind"` // partner | safeguarding
	Rule string `json:"rule"`
	Why  string `json:"why"`
}

// Risk levels decided at intake (ASB-4); the officer's risk assessment may later set any of RiskLevels (ASB-5).
const (
	RiskHigh     = "high"
	RiskStandard = "standard"
)

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

// Assess classifies a valid report received at receivedAt: deadlines count from the London calendar day of
// receipt, which itself never counts (WD-2, WD-4).
func Assess(r Report, receivedAt time.Time) Assessment {
	rule, _ := TypeRuleOf(r.Type)
	a := Assessment{Category: rule.Category, RiskLevel: RiskStandard}
	a.Reasons.Add("ASB-3", fmt.Sprintf("%s is a %s case: an appointment is offered within %d working day(s) (ASB-3).", rule.Label, rule.Category, rule.AppointmentDays))
	appointmentDays := rule.AppointmentDays
	if why := HighRiskFactors(r.Risk); len(why) > 0 {
		a.RiskLevel = RiskHigh
		appointmentDays = HighRiskAppointmentDays
		a.Reasons.Add("ASB-4", fmt.Sprintf("High risk (%s): an appointment is offered within 1 working day whatever the type (ASB-4).", strings.Join(why, ", ")))
	}
	a.AcknowledgeBy = workdays.DeadlineAfter(receivedAt, AcknowledgeDays)
	a.AppointmentBy = workdays.DeadlineAfter(receivedAt, appointmentDays)
	a.Reasons.Add("ASB-4", "Every report is acknowledged within 1 working day of receipt (ASB-4).")
	a.Referrals = referrals(r)
	for _, ref := range a.Referrals {
		a.Reasons.Add(ref.Rule, ref.Why)
	}
	a.Advice = advice(r)
	return a
}

// HighRiskFactors are the ASB-4 high-risk answers: a vulnerable victim, threats of violence, a child at risk, or
// the reporter feeling unsafe. A crime in progress is an emergency for the police (ASB-6 advice), and usually
// comes with one of these; on its own it does not change the landlord's risk level (it does alert the duty
// officer: ImmediateAlert).
func HighRiskFactors(risk Risk) []string {
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

// Referral kinds (ASB-6). A case raises at most one referral of each kind; its Why gives every ground.
const (
	PartnerReferral      = "partner"
	SafeguardingReferral = "safeguarding"
)

// referrals (ASB-6): hate incidents go to the council partner; domestic abuse and child or adult safeguarding
// concerns raise a safeguarding referral. A vulnerable victim is an adult safeguarding concern (source 002: "any
// safeguarding issues are swiftly identified and referred"); a child at risk is a child safeguarding concern.
func referrals(r Report) []Referral {
	var out []Referral
	if r.Type == "hate-incident" {
		out = append(out, Referral{Kind: PartnerReferral, Rule: "ASB-6", Why: "Hate-related incidents are referred to the council partner (ASB-6)."})
	}
	var grounds []string
	if r.Type == "domestic-abuse" {
		grounds = append(grounds, "domestic abuse")
	}
	if r.Risk.ChildAtRisk {
		grounds = append(grounds, "a child at risk")
	}
	if r.Risk.Vulnerable {
		grounds = append(grounds, "a vulnerable victim")
	}
	if len(grounds) > 0 {
		out = append(out, Referral{Kind: SafeguardingReferral, Rule: "ASB-6",
			Why: fmt.Sprintf("A safeguarding referral is raised for %s (ASB-6).", strings.Join(grounds, " and "))})
	}
	return out
}

// advice (ASB-6, source 003): a crime in progress is for the police on 999; other criminal matters may also be
// reported on 101. Anonymous reporters are told they will get no updates (ASB-2).
func advice(r Report) []string {
	var out []string
	rule, _ := TypeRuleOf(r.Type)
	switch {
	case r.Risk.CrimeInProgress:
		out = append(out, "If a crime is happening now or someone is in danger, call the police on 999. (ASB-6)")
	case rule.Crime || r.Risk.Threats:
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

// ContactKey normalises a reporter's verified contact for matching repeat reports (ASB-7): the email
// lower-cased and trimmed ("email:jo@example.org"), else the phone in +44 form ("phone:+447700900123"). The
// store hashes it. Empty for anonymous reports (nil reporter), which are never matched.
func ContactKey(r *Reporter) string {
	if r == nil {
		return ""
	}
	if e := strings.ToLower(strings.TrimSpace(r.Email)); e != "" {
		return "email:" + e
	}
	if n := nationalNumber(r.Phone); n != "" {
		return "phone:+44" + n
	}
	return ""
}

// nationalNumber strips a UK phone number to its national digits: "07700 900123", "+44 7700 900123",
// "0044 7700 900123" and "+44 (0)7700 900123" all give "7700900123".
func nationalNumber(phone string) string {
	digits := strings.Map(func(c rune) rune {
		if c >= '0' && c <= '9' {
			return c
		}
		return -1
	}, phone)
	digits = strings.TrimPrefix(digits, "00")
	digits = strings.TrimPrefix(digits, "44")
	return strings.TrimLeft(digits, "0")
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
