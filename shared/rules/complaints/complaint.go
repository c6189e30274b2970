// Package complaints holds the Housing Ombudsman Complaint Handling Code as the product applies it (RULES.md
// CH-1..CH-10, source 004): two stages, working-day timescales, one extension per stage, handler separation,
// exclusions, letters, deadlines and the annual report. Pure: no I/O, no logging, no clock (callers pass `at`).
//
// Errors, one convention for every transition (apperr codes map to HTTP in shared/httpapi):
//   - 400 Invalid: input fields are missing or malformed; every problem is listed by its JSON path.
//   - 409 Conflict: the step is out of sequence for the complaint's state, or the complaint has left the
//     procedure (closed, refused, reclassified as a service request). Examples: responding before
//     acknowledging, acknowledging twice, escalating before the stage 1 response, a third stage (CH-3).
//   - 422 Unprocessable: the step is allowed in this state but the request breaks a limit the Code sets:
//     the stage 2 handler is the stage 1 handler (CH-5), an extension that is too long or a second one
//     (CH-4, CH-5), an exclusion without its ground (CH-2), new points after the stage 1 response (CH-7).
//
// Every 409 and 422 carries the rule id (apperr.Rule puts it in the message too).
package complaints

import (
	"github.com/councilhousing/backend/shared/rules/contact"
	"log/slog"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Timescales in working days (CH-4, CH-5; source 004 §6.2-6.4, §6.10-6.15).
const (
	AcknowledgeDays      = 5
	Stage1ResponseDays   = 10
	Stage2ResponseDays   = 20
	Stage1ExtensionLimit = 10
	Stage2ExtensionLimit = 20
	EscalationWindowDays = 20
	OutOfTimeMonths      = 12 // CH-2, source §2.3
)

// Statuses. An extension is recorded on its stage and does not change the status: the stage is still
// acknowledged and awaiting its response, only later.
const (
	StatusReceived       = "received"        // stage 1, waiting for acknowledgement
	StatusAcknowledged   = "acknowledged"    // the current stage is acknowledged and being investigated
	StatusResponded      = "responded"       // stage 1 answered; the resident may escalate
	StatusEscalated      = "escalated"       // stage 2 requested, waiting for acknowledgement
	StatusClosed         = "closed"          // stage 2 answered: the landlord's final response
	StatusRefused        = "refused"         // excluded under CH-2
	StatusServiceRequest = "service-request" // reclassified under CH-1
)

// Groups that own complaint deadlines.
const (
	OfficerGroup = "complaints-officer"
	ManagerGroup = "complaints-manager"
)

// withheld replaces contact details wherever a value is formatted or logged.
const withheld = "[contact details withheld]"

// Complainant is the person complaining (contact.Details, the shape every case kind shares); kept apart from the
// complaint and never logged. Adjustments and disclosed disabilities are recorded and kept under review (CH-9,
// source §5.10).
type Complainant = contact.Details

// Representative complains for the resident, with their consent (source §3.6). Both the resident and the
// representative are written to, unless the resident asked that only the representative be (ResidentNotCopied):
// the representative by email, or by post (PreferredContact "letter", or a postal address and no email).
type Representative struct {
	Name    string `json:"name" dynamodbav:"name" validate:"required,max=200"`
	Email   string `json:"email,omitempty" dynamodbav:"email,omitempty" validate:"omitempty,email,max=254"`
	Consent bool   `json:"consent" dynamodbav:"consent"`
	// Address and Postcode are where the representative's letters go (contact.Details.PostalAddress).
	Address          string `json:"address,omitempty" dynamodbav:"address,omitempty" validate:"omitempty,max=300"`
	Postcode         string `json:"postcode,omitempty" dynamodbav:"postcode,omitempty" validate:"omitempty,postcode"`
	PreferredContact string `json:"preferredContact,omitempty" dynamodbav:"preferredContact,omitempty" validate:"omitempty,oneof=email letter"`
	// Relationship is who they are to the resident (e.g. "daughter", "advocate", "councillor").
	Relationship string `json:"relationship,omitempty" dynamodbav:"relationship,omitempty" validate:"omitempty,max=100"`
	// ConsentNote says how the resident's consent was given (e.g. "signed form received 3 December").
	ConsentNote       string `json:"consentNote,omitempty" dynamodbav:"consentNote,omitempty" validate:"omitempty,max=500"`
	ResidentNotCopied bool   `json:"residentNotCopied,omitempty" dynamodbav:"residentNotCopied,omitempty"`
}

// Details are the representative as someone we write to: by their preference, else email when they gave one, else
// by post when they gave an address; "" (no channel) when neither.
func (r Representative) Details() contact.Details {
	d := contact.Details{Name: r.Name, Email: r.Email, Address: r.Address, Postcode: r.Postcode, PreferredContact: r.PreferredContact}
	if d.PreferredContact == "" {
		switch {
		case strings.TrimSpace(r.Email) != "":
			d.PreferredContact = contact.Email
		case strings.TrimSpace(r.Address) != "":
			d.PreferredContact = contact.Letter
		}
	}
	return d
}

// Reachable reports whether the representative can be written to at all.
func (r *Representative) Reachable() bool { return r != nil && r.Details().PreferredContact != "" }

// check lists the representative's problems: consent, and a way to write to them the way they prefer, or at all
// when the resident is not to be copied (source §3.6).
func (r *Representative) check(f *apperr.Fields) {
	if r == nil {
		return
	}
	if !r.Consent {
		f.Add("representative.consent", "must be true: a representative needs the resident's consent (source 004 §3.6)")
	}
	has := func(s string) bool { return strings.TrimSpace(s) != "" }
	switch {
	case r.PreferredContact == contact.Email && !has(r.Email):
		f.Add("representative.email", "is required when the representative's preferred contact is email")
	case r.PreferredContact == contact.Letter && !has(r.Address):
		f.Add("representative.address", "is required when the representative's preferred contact is letter")
	case r.ResidentNotCopied && !r.Reachable():
		f.Add("representative", "needs an email address or a postal address: the resident asked that only the representative be written to (source 004 §3.6)")
	}
}

// Contact is what the store keeps apart from the complaint: the complainant's details (at the top level, the
// shape every case kind's contact item has) and any representative.
type Contact struct {
	contact.Details
	Representative *Representative `json:"representative,omitempty" dynamodbav:"representative,omitempty"`
}

// String, GoString and LogValue keep personal details out of logs and error messages, however the value is
// printed (%v, %+v, %#v, slog). JSON and DynamoDB encoding are unaffected.
func (Representative) String() string       { return withheld }
func (Representative) GoString() string     { return withheld }
func (Representative) LogValue() slog.Value { return slog.StringValue(withheld) }
func (Contact) String() string              { return withheld }
func (Contact) GoString() string            { return withheld }
func (Contact) LogValue() slog.Value        { return slog.StringValue(withheld) }

// Submission is the public complaint form (POST /complaints).
type Submission struct {
	Description      string          `json:"description" validate:"required,max=10000"`
	OutcomesSought   string          `json:"outcomesSought" validate:"required,max=5000"`
	ServiceArea      string          `json:"serviceArea" validate:"required,max=100"`
	IssueDate        string          `json:"issueDate" validate:"required,date"` // when the issue arose or the resident became aware
	LegalProceedings bool            `json:"legalProceedings"`
	Complainant      Complainant     `json:"complainant"`
	Representative   *Representative `json:"representative,omitempty"`
}

// Validate lists every problem with the form, received at receivedAt.
func (s Submission) Validate(receivedAt time.Time) error {
	f := validate.Struct(s)
	if d, err := workdays.ParseDate(s.IssueDate); err == nil && d.After(workdays.DateOf(receivedAt)) {
		f.Add("issueDate", "cannot be in the future")
	}
	s.Complainant.CheckReachable(&f, "complainant")
	s.Representative.check(&f)
	return f.Err()
}

// Extension is the one extension a stage may have (CH-4, CH-5).
type Extension struct {
	WorkingDays int    `json:"workingDays" dynamodbav:"workingDays"`
	Reason      string `json:"reason" dynamodbav:"reason"`
	// GoodReason is set when the extension is longer than the Code's limit (source §6.4, §6.15: "no more
	// than 10 [20] working days without good reason").
	GoodReason string         `json:"goodReasonForLonger,omitempty" dynamodbav:"goodReason,omitempty"`
	From       workdays.Date  `json:"from" dynamodbav:"from"` // the respondBy it extended
	At         time.Time      `json:"at" dynamodbav:"at"`
	By         casefile.Actor `json:"by" dynamodbav:"by"`
}

// BeyondLimit reports whether the extension needed a good reason because it is longer than the stage's limit.
func (e Extension) BeyondLimit() bool { return e.GoodReason != "" }

// Stage is one of the two stages (CH-3).
type Stage struct {
	Number   int       `json:"number" dynamodbav:"number"`
	OpenedAt time.Time `json:"openedAt" dynamodbav:"openedAt"` // received, or escalation requested: every timescale runs from its day
	// Channel is how the stage was asked for: "online" (the form, the resident's token) or the channel a member of
	// staff logged it from (source §3.1, §3.2); LoggedBy is that member of staff.
	Channel        string         `json:"channel,omitempty" dynamodbav:"channel,omitempty"`
	LoggedBy       casefile.Actor `json:"loggedBy,omitzero" dynamodbav:"loggedBy,omitempty"`
	AcknowledgeBy  workdays.Date  `json:"acknowledgeBy" dynamodbav:"acknowledgeBy"`
	AcknowledgedAt *time.Time     `json:"acknowledgedAt,omitempty" dynamodbav:"acknowledgedAt,omitempty"`
	AcknowledgedBy casefile.Actor `json:"acknowledgedBy,omitzero" dynamodbav:"acknowledgedBy,omitempty"`
	Definition     string         `json:"definition,omitempty" dynamodbav:"definition,omitempty"`
	OutcomesSought string         `json:"outcomesSought,omitempty" dynamodbav:"outcomesSought,omitempty"`
	// ResponsibleFor and NotResponsibleFor are what the acknowledgement said the landlord is and is not
	// responsible for (source §5.7); nothing listed as ours means all of it.
	ResponsibleFor     []string       `json:"responsibleFor,omitempty" dynamodbav:"responsibleFor,omitempty"`
	NotResponsibleFor  []Aspect       `json:"notResponsibleFor,omitempty" dynamodbav:"notResponsibleFor,omitempty"`
	Handler            string         `json:"handler,omitempty" dynamodbav:"handler,omitempty"`
	RespondBy          workdays.Date  `json:"respondBy,omitzero" dynamodbav:"respondBy,omitempty"` // extension included
	Extension          *Extension     `json:"extension,omitempty" dynamodbav:"extension,omitempty"`
	RespondedAt        *time.Time     `json:"respondedAt,omitempty" dynamodbav:"respondedAt,omitempty"`
	RespondedBy        casefile.Actor `json:"respondedBy,omitzero" dynamodbav:"respondedBy,omitempty"`
	Decision           string         `json:"decision,omitempty" dynamodbav:"decision,omitempty"`
	Reasons            string         `json:"reasons,omitempty" dynamodbav:"reasons,omitempty"`
	Remedies           []string       `json:"remedies,omitempty" dynamodbav:"remedies,omitempty"`
	OutstandingActions []string       `json:"outstandingActions,omitempty" dynamodbav:"outstandingActions,omitempty"`
	// Learning and ServiceImprovement are what the response recorded was learned and changed (source §9.1); kept
	// in the list entry's facts for the annual report (CH-10).
	Learning           string `json:"learning,omitempty" dynamodbav:"learning,omitempty"`
	ServiceImprovement string `json:"serviceImprovement,omitempty" dynamodbav:"serviceImprovement,omitempty"`
	// UpdatePlan is how often the resident is kept informed while the response is outside the Code's timescales,
	// as agreed with them (source 004 §5.9).
	UpdatePlan *UpdatePlan `json:"updatePlan,omitempty" dynamodbav:"updatePlan,omitempty"`
}

// OnTime reports whether the stage was answered within its timescale, extension included (WD-3; CH-10,
// TSM CH02).
func (s Stage) OnTime() bool {
	return s.RespondedAt != nil && !workdays.DateOf(*s.RespondedAt).After(s.RespondBy)
}

// AcknowledgedOnTime reports whether the stage was acknowledged by its acknowledgeBy date (WD-3).
func (s Stage) AcknowledgedOnTime() bool {
	return s.AcknowledgedAt != nil && !workdays.DateOf(*s.AcknowledgedAt).After(s.AcknowledgeBy)
}

// RelatedPoint is a point added to the stage 1 complaint before its response (CH-7).
type RelatedPoint struct {
	Text string         `json:"text" dynamodbav:"text"`
	At   time.Time      `json:"at" dynamodbav:"at"`
	By   casefile.Actor `json:"by" dynamodbav:"by"`
}

// Refusal records an exclusion (CH-2).
type Refusal struct {
	Exclusion   string         `json:"exclusion" dynamodbav:"exclusion"`
	Explanation string         `json:"explanation" dynamodbav:"explanation"`
	Stage       int            `json:"stage" dynamodbav:"stage"`
	At          time.Time      `json:"at" dynamodbav:"at"`
	By          casefile.Actor `json:"by" dynamodbav:"by"`
}

// Complaint is the whole record (CH-9). Contact details live in Contact, stored apart. The optimistic-locking
// version lives in the store's envelope (shared/dynamo Records), not here: the rules never read it.
type Complaint struct {
	Reference          string         `json:"reference" dynamodbav:"reference"`
	Status             string         `json:"status" dynamodbav:"status"`
	Stage              int            `json:"stage" dynamodbav:"stage"`
	ReceivedAt         time.Time      `json:"receivedAt" dynamodbav:"receivedAt"`
	IssueDate          workdays.Date  `json:"issueDate" dynamodbav:"issueDate"`
	ServiceArea        string         `json:"serviceArea" dynamodbav:"serviceArea"`
	Description        string         `json:"description" dynamodbav:"description"`
	OutcomesSought     string         `json:"outcomesSought" dynamodbav:"outcomesSought"`
	LegalProceedings   bool           `json:"legalProceedings" dynamodbav:"legalProceedings"`
	Flags              []string       `json:"flags" dynamodbav:"flags"`
	Stages             []Stage        `json:"stages" dynamodbav:"stages"`
	RelatedPoints      []RelatedPoint `json:"relatedPoints,omitempty" dynamodbav:"relatedPoints,omitempty"`
	EscalateBy         workdays.Date  `json:"escalateBy,omitzero" dynamodbav:"escalateBy,omitempty"` // end of the 20 WD after the stage 1 response
	EscalationAt       *time.Time     `json:"escalationRequestedAt,omitempty" dynamodbav:"escalationAt,omitempty"`
	LateEscalation     bool           `json:"lateEscalation" dynamodbav:"lateEscalation"`
	LateEscalationNote string         `json:"lateEscalationNote,omitempty" dynamodbav:"lateEscalationNote,omitempty"`
	Refusal            *Refusal       `json:"refusal,omitempty" dynamodbav:"refusal,omitempty"`
	ServiceRequest     string         `json:"serviceRequestNote,omitempty" dynamodbav:"serviceRequest,omitempty"`
	Letters            []Letter       `json:"letters" dynamodbav:"letters"`
	// Channel is how the complaint arrived: "online" (POST /complaints) or the channel a member of staff logged it
	// from (source §3.1, §3.2); records from before issue 14 have none (online). LoggedAt and LoggedBy say when
	// and by whom a staff-logged complaint was recorded; ReceivedAt is the day it reached us (source §5.12).
	Channel  string         `json:"channel,omitempty" dynamodbav:"channel,omitempty"`
	LoggedAt *time.Time     `json:"loggedAt,omitempty" dynamodbav:"loggedAt,omitempty"`
	LoggedBy casefile.Actor `json:"loggedBy,omitzero" dynamodbav:"loggedBy,omitempty"`
	// Items are the remedies offered and the actions agreed, tracked to completion (CH-8; source §6.6, §7.3);
	// at most MaxItems.
	Items []Item `json:"items,omitempty" dynamodbav:"items,omitempty"`
	// Clarifications are the questions asked of the resident about what the complaint is (source §5.6), with the
	// answers recorded; at most MaxClarifications.
	Clarifications []Clarification `json:"clarifications,omitempty" dynamodbav:"clarifications,omitempty"`
	// Adjustments are the reasonable adjustments agreed and disabilities disclosed, kept under review (source
	// §5.10); Restriction is any restriction on contact for unacceptable behaviour (source §5.14, §5.15).
	Adjustments *Adjustments `json:"adjustments,omitempty" dynamodbav:"adjustments,omitempty"`
	Restriction *Restriction `json:"restriction,omitempty" dynamodbav:"restriction,omitempty"`
	// ServiceRequestRecord tracks a contact reclassified as a service request (source §1.4); AboutServiceRequest is
	// the service request a complaint is about, when the resident is unhappy with how it is handled (source §1.5).
	ServiceRequestRecord *ServiceRequestRecord `json:"serviceRequest,omitempty" dynamodbav:"serviceRequestRecord,omitempty"`
	AboutServiceRequest  string                `json:"aboutServiceRequest,omitempty" dynamodbav:"aboutServiceRequest,omitempty"`
}

// Current is the current stage.
func (c *Complaint) Current() *Stage { return &c.Stages[len(c.Stages)-1] }

// HasFlag reports whether the complaint carries a flag.
func (c Complaint) HasFlag(flag string) bool { return contains(c.Flags, flag) }

// Flags for officers. None of them refuses anything by itself (CH-2: no blanket exclusions).
const (
	FlagPossiblyOutOfTime = "possibly-out-of-time"       // issue over 12 months before receipt (CH-2)
	FlagLegalProceedings  = "legal-proceedings-declared" // the resident says proceedings have started (CH-2)
	FlagLateEscalation    = "late-escalation"            // escalated over 20 WD after the stage 1 response (CH-5)
)

// Submit validates the form and opens a stage 1 complaint received at receivedAt (CH-4).
func Submit(ref string, s Submission, receivedAt time.Time) (Complaint, casefile.Event, error) {
	if err := s.Validate(receivedAt); err != nil {
		return Complaint{}, casefile.Event{}, err
	}
	c, details := receive(ref, s, receivedAt, ChannelOnline)
	return c, event(receivedAt, casefile.ByResident, "complaint-received", "CH-4", details), nil
}

// receive opens a stage 1 complaint from a validated submission received at receivedAt (CH-4: acknowledge within
// 5 WD of receipt). An issue over 12 months old, or declared legal proceedings, is flagged for the officer,
// never refused automatically (CH-2: no blanket exclusions; refusals must be evidenced). It returns the details
// of the timeline entry the caller makes.
func receive(ref string, s Submission, receivedAt time.Time, channel string) (Complaint, map[string]any) {
	issue, _ := workdays.ParseDate(s.IssueDate)
	at := receivedAt.UTC()
	c := Complaint{Reference: ref, Status: StatusReceived, Stage: 1, ReceivedAt: at, IssueDate: issue,
		ServiceArea: strings.TrimSpace(s.ServiceArea), Description: s.Description, OutcomesSought: s.OutcomesSought,
		LegalProceedings: s.LegalProceedings, Flags: []string{}, Letters: []Letter{}, Channel: channel}
	c.Stages = []Stage{{Number: 1, OpenedAt: at, Channel: channel, AcknowledgeBy: workdays.DeadlineAfter(at, AcknowledgeDays)}}
	details := map[string]any{"stage": 1, "acknowledgeBy": c.Stages[0].AcknowledgeBy.String(), "serviceArea": c.ServiceArea, "channel": channel}
	if possiblyOutOfTime(issue, at) {
		c.Flags = append(c.Flags, FlagPossiblyOutOfTime)
		details["note"] = "The issue arose over 12 months before the complaint: consider discretion before any refusal (CH-2)."
	}
	if s.LegalProceedings {
		c.Flags = append(c.Flags, FlagLegalProceedings)
	}
	details["flags"] = append([]string{}, c.Flags...)
	return c, details
}

// possiblyOutOfTime: the issue arose over 12 months before the complaint was received (source §2.3).
func possiblyOutOfTime(issue workdays.Date, receivedAt time.Time) bool {
	return issue.Before(workdays.DateOf(receivedAt).AddMonths(-OutOfTimeMonths))
}

func event(at time.Time, by casefile.Actor, action, rule string, details map[string]any) casefile.Event {
	return casefile.NewEvent(at, by, action, rule, details)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Facts is the complaint without its text (description, outcomes sought, stage definitions, aspects and reasons,
// related points, letters, clarifications, the items' descriptions and notes, adjustments and restrictions): what the staff list and the annual report read (CH-10), kept beside the
// record as the list's projection so that neither reads a whole record.
func (c Complaint) Facts() Complaint {
	f := c
	f.Description, f.OutcomesSought, f.LateEscalationNote, f.ServiceRequest = "", "", "", ""
	f.RelatedPoints, f.Letters, f.Clarifications = nil, nil, nil
	f.Flags = append([]string{}, c.Flags...)
	f.Stages = make([]Stage, len(c.Stages))
	for i, s := range c.Stages {
		s.Definition, s.OutcomesSought, s.Reasons, s.Remedies, s.OutstandingActions = "", "", "", nil, nil
		s.ResponsibleFor, s.NotResponsibleFor = nil, nil
		if s.UpdatePlan != nil {
			p := *s.UpdatePlan
			p.How = ""
			s.UpdatePlan = &p
		}
		f.Stages[i] = s
	}
	f.Adjustments, f.Restriction = nil, nil
	if r := c.ServiceRequestRecord; r != nil {
		sr := *r
		sr.Outcome = ""
		f.ServiceRequestRecord = &sr
	}
	f.Items = nil
	for _, it := range c.Items {
		it.Description, it.Note = "", ""
		f.Items = append(f.Items, it)
	}
	if c.Refusal != nil {
		r := *c.Refusal
		r.Explanation = ""
		f.Refusal = &r
	}
	return f
}
