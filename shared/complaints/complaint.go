// Package complaints holds the Housing Ombudsman Complaint Handling Code as the product applies it (RULES.md
// CH-1..CH-10, source 004): two stages, working-day timescales, one extension per stage, handler separation,
// exclusions, letters, and the annual report. Pure: no I/O, no clock.
package complaints

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/apperr"
	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/validate"
	"github.com/councilhousing/backend/shared/workdays"
)

// Timescales in working days (CH-4, CH-5).
const (
	AcknowledgeDays      = 5
	Stage1ResponseDays   = 10
	Stage2ResponseDays   = 20
	Stage1ExtensionLimit = 10
	Stage2ExtensionLimit = 20
	EscalationWindowDays = 20
	OutOfTimeMonths      = 12 // CH-2
)

// Statuses.
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

// Complainant is the person complaining; kept apart from the complaint and never logged. Adjustments and
// disclosed disabilities are recorded and kept under review (CH-9).
type Complainant struct {
	Name             string `json:"name" dynamodbav:"name" validate:"required,max=200"`
	Email            string `json:"email,omitempty" dynamodbav:"email,omitempty" validate:"omitempty,email,max=254"`
	Phone            string `json:"phone,omitempty" dynamodbav:"phone,omitempty" validate:"omitempty,ukphone"`
	Address          string `json:"address,omitempty" dynamodbav:"address,omitempty" validate:"omitempty,max=300"`                                        // for letters
	PreferredContact string `json:"preferredContact,omitempty" dynamodbav:"preferredContact,omitempty" validate:"omitempty,oneof=email sms phone letter"` // default: email if given, else sms
	Language         string `json:"language,omitempty" dynamodbav:"language,omitempty" validate:"omitempty,max=35"`
	Adjustments      string `json:"adjustments,omitempty" dynamodbav:"adjustments,omitempty" validate:"omitempty,max=1000"`
}

// Representative complains for the resident, with their consent.
type Representative struct {
	Name    string `json:"name" dynamodbav:"name" validate:"required,max=200"`
	Email   string `json:"email,omitempty" dynamodbav:"email,omitempty" validate:"omitempty,email,max=254"`
	Consent bool   `json:"consent" dynamodbav:"consent"`
}

// Contact is what the store keeps apart: the complainant and any representative.
type Contact struct {
	Complainant    Complainant     `json:"complainant" dynamodbav:"complainant"`
	Representative *Representative `json:"representative,omitempty" dynamodbav:"representative,omitempty"`
}

// Submission is the public complaint form.
type Submission struct {
	Description      string          `json:"description" validate:"required,max=10000"`
	OutcomesSought   string          `json:"outcomesSought" validate:"required,max=5000"`
	ServiceArea      string          `json:"serviceArea" validate:"required,max=100"`
	IssueDate        string          `json:"issueDate" validate:"required,date"`
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
	c := s.Complainant
	validate.Reachable(&f, "complainant", c.Email, c.Phone, c.Address, c.PreferredContact)
	if s.Representative != nil && !s.Representative.Consent {
		f.Add("representative.consent", "must be true: a representative needs the resident's consent")
	}
	return f.Err()
}

// Extension is the one extension a stage may have (CH-4, CH-5).
type Extension struct {
	WorkingDays int       `json:"workingDays" dynamodbav:"workingDays"`
	Reason      string    `json:"reason" dynamodbav:"reason"`
	At          time.Time `json:"at" dynamodbav:"at"`
	By          string    `json:"by" dynamodbav:"by"`
}

// Stage is one of the two stages (CH-3).
type Stage struct {
	Number             int           `json:"number" dynamodbav:"number"`
	OpenedAt           time.Time     `json:"openedAt" dynamodbav:"openedAt"` // received, or escalation requested
	AcknowledgeBy      workdays.Date `json:"acknowledgeBy" dynamodbav:"acknowledgeBy"`
	AcknowledgedAt     *time.Time    `json:"acknowledgedAt,omitempty" dynamodbav:"acknowledgedAt,omitempty"`
	Definition         string        `json:"definition,omitempty" dynamodbav:"definition,omitempty"`
	OutcomesSought     string        `json:"outcomesSought,omitempty" dynamodbav:"outcomesSought,omitempty"`
	Handler            string        `json:"handler,omitempty" dynamodbav:"handler,omitempty"`
	RespondBy          workdays.Date `json:"respondBy,omitzero" dynamodbav:"respondBy,omitempty"`
	Extension          *Extension    `json:"extension,omitempty" dynamodbav:"extension,omitempty"`
	RespondedAt        *time.Time    `json:"respondedAt,omitempty" dynamodbav:"respondedAt,omitempty"`
	Decision           string        `json:"decision,omitempty" dynamodbav:"decision,omitempty"`
	Reasons            string        `json:"reasons,omitempty" dynamodbav:"reasons,omitempty"`
	Remedies           []string      `json:"remedies,omitempty" dynamodbav:"remedies,omitempty"`
	OutstandingActions []string      `json:"outstandingActions,omitempty" dynamodbav:"outstandingActions,omitempty"`
}

// OnTime reports whether the stage was answered within its timescale, extension included (CH-10, TSM CH02).
func (s Stage) OnTime() bool {
	return s.RespondedAt != nil && !workdays.DateOf(*s.RespondedAt).After(s.RespondBy)
}

// RelatedPoint is a point added to the stage 1 complaint before its response (CH-7).
type RelatedPoint struct {
	Text string    `json:"text" dynamodbav:"text"`
	At   time.Time `json:"at" dynamodbav:"at"`
	By   string    `json:"by" dynamodbav:"by"`
}

// Complaint is the whole record (CH-9).
type Complaint struct {
	Reference        string         `json:"reference" dynamodbav:"reference"`
	Status           string         `json:"status" dynamodbav:"status"`
	Stage            int            `json:"stage" dynamodbav:"stage"`
	ReceivedAt       time.Time      `json:"receivedAt" dynamodbav:"receivedAt"`
	IssueDate        workdays.Date  `json:"issueDate" dynamodbav:"issueDate"`
	ServiceArea      string         `json:"serviceArea" dynamodbav:"serviceArea"`
	Description      string         `json:"description" dynamodbav:"description"`
	OutcomesSought   string         `json:"outcomesSought" dynamodbav:"outcomesSought"`
	LegalProceedings bool           `json:"legalProceedings" dynamodbav:"legalProceedings"`
	Flags            []string       `json:"flags" dynamodbav:"flags"`
	Stages           []Stage        `json:"stages" dynamodbav:"stages"`
	RelatedPoints    []RelatedPoint `json:"relatedPoints,omitempty" dynamodbav:"relatedPoints,omitempty"`
	EscalationAt     *time.Time     `json:"escalationRequestedAt,omitempty" dynamodbav:"escalationAt,omitempty"`
	LateEscalation   bool           `json:"lateEscalation" dynamodbav:"lateEscalation"`
	Refusal          *Refusal       `json:"refusal,omitempty" dynamodbav:"refusal,omitempty"`
	ServiceRequest   string         `json:"serviceRequestNote,omitempty" dynamodbav:"serviceRequest,omitempty"`
	Letters          []Letter       `json:"letters" dynamodbav:"letters"`
}

// Refusal records an exclusion (CH-2).
type Refusal struct {
	Exclusion   string    `json:"exclusion" dynamodbav:"exclusion"`
	Explanation string    `json:"explanation" dynamodbav:"explanation"`
	At          time.Time `json:"at" dynamodbav:"at"`
	By          string    `json:"by" dynamodbav:"by"`
}

// Current is the current stage.
func (c *Complaint) Current() *Stage { return &c.Stages[len(c.Stages)-1] }

// Flags raised at receipt.
const (
	FlagPossiblyOutOfTime = "possibly-out-of-time"
	FlagLegalProceedings  = "legal-proceedings-declared"
	FlagLateEscalation    = "late-escalation"
)

// Receive opens a stage 1 complaint from a valid submission (CH-4: acknowledge within 5 WD of receipt). An
// issue over 12 months old, or declared legal proceedings, is flagged for the officer, never refused
// automatically (CH-2: no blanket exclusions; refusals must be evidenced).
func Receive(ref string, s Submission, at time.Time) (Complaint, casefile.Event) {
	issue, _ := workdays.ParseDate(s.IssueDate)
	c := Complaint{Reference: ref, Status: StatusReceived, Stage: 1, ReceivedAt: at.UTC(), IssueDate: issue, ServiceArea: s.ServiceArea,
		Description: s.Description, OutcomesSought: s.OutcomesSought, LegalProceedings: s.LegalProceedings, Flags: []string{}, Letters: []Letter{}}
	c.Stages = []Stage{{Number: 1, OpenedAt: at.UTC(), AcknowledgeBy: workdays.DeadlineAfter(at, AcknowledgeDays)}}
	details := map[string]any{"stage": 1, "acknowledgeBy": c.Stages[0].AcknowledgeBy.String(), "serviceArea": s.ServiceArea}
	if issue.Before(workdays.DateOf(at).AddMonths(-OutOfTimeMonths)) {
		c.Flags = append(c.Flags, FlagPossiblyOutOfTime)
		details["note"] = "The issue arose over 12 months before the complaint: consider discretion before any refusal (CH-2)."
	}
	if s.LegalProceedings {
		c.Flags = append(c.Flags, FlagLegalProceedings)
	}
	return c, casefile.Event{At: at.UTC(), Actor: "resident", Action: "complaint-received", Rule: "CH-4", Details: details}
}

func conflict(rule, format string, args ...any) error {
	return apperr.Rule(apperr.Conflict, rule, format, args...)
}

func breach(rule, format string, args ...any) error {
	return apperr.Rule(apperr.Unprocessable, rule, format, args...)
}

// open refuses actions on complaints that have left the procedure.
func (c *Complaint) open(action string) error {
	switch c.Status {
	case StatusRefused:
		return conflict("CH-2", "Complaint %s was refused under an exclusion; it cannot %s", c.Reference, action)
	case StatusServiceRequest:
		return conflict("CH-1", "%s was reclassified as a service request; it cannot %s", c.Reference, action)
	case StatusClosed:
		return conflict("CH-3", "Complaint %s has had its stage 2 (final) response; it cannot %s", c.Reference, action)
	}
	return nil
}

func event(at time.Time, by, action, rule string, details map[string]any) casefile.Event {
	return casefile.Event{At: at.UTC(), Actor: by, Action: action, Rule: rule, Details: details}
}

func stageRule(stage int) string {
	if stage == 2 {
		return "CH-5"
	}
	return "CH-4"
}

// Acknowledge acknowledges, defines and logs the current stage (CH-4, CH-5) and sets the response date: 10 WD
// after the acknowledgement at stage 1, 20 WD at stage 2. The stage 2 handler must not be the stage 1 handler.
func (c *Complaint) Acknowledge(definition, outcomes, handler, by string, at time.Time) (casefile.Event, error) {
	if err := c.open("be acknowledged"); err != nil {
		return casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	if c.Status != StatusReceived && c.Status != StatusEscalated {
		return casefile.Event{}, conflict(rule, "Stage %d of complaint %s is already acknowledged", c.Stage, c.Reference)
	}
	var f apperr.Fields
	for name, v := range map[string]string{"definition": definition, "outcomesSought": outcomes, "handler": handler} {
		if strings.TrimSpace(v) == "" {
			f.Add(name, "is required")
		}
	}
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	if c.Stage == 2 && strings.EqualFold(strings.TrimSpace(handler), strings.TrimSpace(c.Stages[0].Handler)) {
		return casefile.Event{}, breach("CH-5", "The stage 2 handler must not be the person who handled stage 1 (%s)", c.Stages[0].Handler)
	}
	days := Stage1ResponseDays
	if c.Stage == 2 {
		days = Stage2ResponseDays
	}
	s := c.Current()
	t := at.UTC()
	s.AcknowledgedAt, s.Definition, s.OutcomesSought, s.Handler = &t, definition, outcomes, strings.TrimSpace(handler)
	s.RespondBy = workdays.DeadlineAfter(at, days)
	c.Status = StatusAcknowledged
	return event(at, by, "acknowledged", rule, map[string]any{"stage": c.Stage, "handler": s.Handler, "respondBy": s.RespondBy.String(),
		"acknowledgeBy": s.AcknowledgeBy.String(), "onTime": !workdays.DateOf(at).After(s.AcknowledgeBy)}), nil
}

// Extend extends the current stage once, by at most 10 WD at stage 1 or 20 WD at stage 2, with reasons; the
// resident gets a letter with the Ombudsman's contact details (CH-4, CH-5).
func (c *Complaint) Extend(days int, reason, by string, at time.Time) (Letter, casefile.Event, error) {
	if err := c.open("be extended"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	if c.Status != StatusAcknowledged {
		return Letter{}, casefile.Event{}, conflict(rule, "Only an acknowledged stage that has not been answered can be extended")
	}
	limit := Stage1ExtensionLimit
	if c.Stage == 2 {
		limit = Stage2ExtensionLimit
	}
	var f apperr.Fields
	if strings.TrimSpace(reason) == "" {
		f.Add("reason", "is required: the resident must be told why (%s)", rule)
	}
	if days < 1 {
		f.Add("workingDays", "must be at least 1")
	}
	if err := f.Err(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	s := c.Current()
	if s.Extension != nil {
		return Letter{}, casefile.Event{}, breach(rule, "Stage %d has already been extended once; only one extension is allowed", c.Stage)
	}
	if days > limit {
		return Letter{}, casefile.Event{}, breach(rule, "An extension at stage %d can be at most %d working days, not %d", c.Stage, limit, days)
	}
	previous := s.RespondBy
	s.Extension = &Extension{WorkingDays: days, Reason: reason, At: at.UTC(), By: by}
	s.RespondBy = workdays.AddWorkingDays(s.RespondBy, days)
	letter := extensionLetter(*c, *s, at)
	c.Letters = append(c.Letters, letter)
	return letter, event(at, by, "extended", rule, map[string]any{"stage": c.Stage, "workingDays": days, "reason": reason,
		"previousRespondBy": previous.String(), "respondBy": s.RespondBy.String(), "letter": letter.onTimeline()}), nil
}

// Decisions a response can give.
var Decisions = []string{"upheld", "partly-upheld", "not-upheld"}

// Response is the officer's answer to a stage.
type Response struct {
	Decision           string   `json:"decision" validate:"required,oneof=upheld partly-upheld not-upheld"`
	Reasons            string   `json:"reasons" validate:"required,max=10000"`
	Remedies           []string `json:"remedies" validate:"max=20,dive,required,max=2000"`
	OutstandingActions []string `json:"outstandingActions" validate:"max=20,dive,required,max=2000"`
}

// Respond answers the current stage with a letter containing everything CH-6 requires. Stage 1 then awaits any
// escalation; stage 2 is the final response and closes the complaint.
func (c *Complaint) Respond(r Response, by string, at time.Time) (Letter, casefile.Event, error) {
	if err := c.open("be answered"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	if c.Status == StatusReceived || c.Status == StatusEscalated {
		return Letter{}, casefile.Event{}, conflict(rule, "Stage %d must be acknowledged and defined before it is answered", c.Stage)
	}
	if c.Status == StatusResponded {
		return Letter{}, casefile.Event{}, conflict(rule, "Stage 1 has already been answered; the resident may escalate to stage 2")
	}
	if err := validate.Struct(r).Err(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	s := c.Current()
	t := at.UTC()
	s.RespondedAt, s.Decision, s.Reasons, s.Remedies, s.OutstandingActions = &t, r.Decision, r.Reasons, r.Remedies, r.OutstandingActions
	letter := responseLetter(*c, *s, at)
	c.Letters = append(c.Letters, letter)
	if c.Stage == 1 {
		c.Status = StatusResponded
	} else {
		c.Status = StatusClosed
	}
	return letter, event(at, by, "responded", "CH-6", map[string]any{"stage": c.Stage, "decision": r.Decision,
		"onTime": s.OnTime(), "respondBy": s.RespondBy.String(), "remedies": r.Remedies, "outstandingActions": r.OutstandingActions,
		"letter": letter.onTimeline()}), nil
}

// Exclusions allowed by CH-2.
var Exclusions = []string{"older-than-12-months", "legal-proceedings", "previously-considered"}

// Refuse excludes a stage 1 complaint on a CH-2 ground, explained to the resident with their right to go to the
// Ombudsman.
func (c *Complaint) Refuse(exclusion, explanation, by string, at time.Time) (Letter, casefile.Event, error) {
	if err := c.open("be refused"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if c.Stage != 1 || c.Status == StatusResponded {
		return Letter{}, casefile.Event{}, conflict("CH-2", "Exclusions apply when a complaint is received; this one has had a stage 1 response")
	}
	var f apperr.Fields
	if !contains(Exclusions, exclusion) {
		f.Add("exclusion", "must be one of: %s", strings.Join(Exclusions, ", "))
	}
	if strings.TrimSpace(explanation) == "" {
		f.Add("explanation", "is required: exclusions must be evidenced and explained (CH-2)")
	}
	if err := f.Err(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if exclusion == "older-than-12-months" && !contains(c.Flags, FlagPossiblyOutOfTime) {
		return Letter{}, casefile.Event{}, breach("CH-2", "The issue arose on %s, within 12 months of the complaint: it cannot be excluded as out of time", c.IssueDate)
	}
	c.Refusal = &Refusal{Exclusion: exclusion, Explanation: explanation, At: at.UTC(), By: by}
	c.Status = StatusRefused
	letter := refusalLetter(*c, at)
	c.Letters = append(c.Letters, letter)
	return letter, event(at, by, "refused", "CH-2", map[string]any{"exclusion": exclusion, "explanation": explanation, "letter": letter.onTimeline()}), nil
}

// Escalate moves a complaint to stage 2 at the resident's request, without reasons (CH-5). A request over 20 WD
// after the stage 1 response is accepted and flagged, never refused.
func (c *Complaint) Escalate(at time.Time) (casefile.Event, error) {
	if err := c.open("be escalated"); err != nil {
		return casefile.Event{}, err
	}
	if c.Stage == 2 {
		return casefile.Event{}, conflict("CH-3", "Complaint %s is already at stage 2; there are exactly two stages", c.Reference)
	}
	if c.Status != StatusResponded {
		return casefile.Event{}, conflict("CH-5", "A complaint can be escalated once stage 1 has been answered, and stage 1 has not been answered yet")
	}
	stage1 := c.Stages[0]
	window := workdays.AddWorkingDays(workdays.DateOf(*stage1.RespondedAt), EscalationWindowDays)
	details := map[string]any{"stage": 2}
	if workdays.DateOf(at).After(window) {
		c.LateEscalation = true
		c.Flags = append(c.Flags, FlagLateEscalation)
		details["late"] = true
		details["note"] = "Requested after the 20 working days following the stage 1 response (" + window.String() + "); accepted and flagged (CH-5)."
	}
	t := at.UTC()
	c.EscalationAt = &t
	c.Stage, c.Status = 2, StatusEscalated
	c.Stages = append(c.Stages, Stage{Number: 2, OpenedAt: t, AcknowledgeBy: workdays.DeadlineAfter(at, AcknowledgeDays)})
	details["acknowledgeBy"] = c.Current().AcknowledgeBy.String()
	return event(at, "resident", "escalated", "CH-5", details), nil
}

// ReclassifyAsServiceRequest records that the contact was a request for a service, not a complaint (CH-1). It is
// still logged; dissatisfaction with how the request is handled would be a new complaint.
func (c *Complaint) ReclassifyAsServiceRequest(note, by string, at time.Time) (casefile.Event, error) {
	if err := c.open("be reclassified"); err != nil {
		return casefile.Event{}, err
	}
	if c.Stage != 1 || c.Status == StatusResponded {
		return casefile.Event{}, conflict("CH-1", "Only a stage 1 complaint that has not been answered can be reclassified as a service request")
	}
	if strings.TrimSpace(note) == "" {
		var f apperr.Fields
		f.Add("note", "is required: say what service was requested")
		return casefile.Event{}, f.Err()
	}
	c.Status, c.ServiceRequest = StatusServiceRequest, note
	return event(at, by, "reclassified-service-request", "CH-1", map[string]any{"note": note}), nil
}

// AddRelatedPoints joins related new points to the stage 1 complaint before its response (CH-7); afterwards they
// must be a new complaint.
func (c *Complaint) AddRelatedPoints(text, by string, at time.Time) (casefile.Event, error) {
	if err := c.open("take new points"); err != nil {
		return casefile.Event{}, err
	}
	if c.Stage != 1 || c.Status == StatusResponded {
		return casefile.Event{}, breach("CH-7", "Stage 1 has been answered: new points must be raised as a new complaint")
	}
	if strings.TrimSpace(text) == "" {
		var f apperr.Fields
		f.Add("points", "is required")
		return casefile.Event{}, f.Err()
	}
	c.RelatedPoints = append(c.RelatedPoints, RelatedPoint{Text: text, At: at.UTC(), By: by})
	return event(at, by, "related-points-added", "CH-7", map[string]any{"count": len(c.RelatedPoints)}), nil
}

// OpenDeadlines are the deadlines of the current stage (CH-4, CH-5).
func OpenDeadlines(c Complaint) []casefile.Deadline {
	s := c.Stages[len(c.Stages)-1]
	team := OfficerGroup
	if c.Stage == 2 {
		team = ManagerGroup
	}
	d := func(name, label string, due workdays.Date) []casefile.Deadline {
		return []casefile.Deadline{{CaseKind: casefile.Complaint, CaseRef: c.Reference, Name: name, Due: due, Rule: stageRule(c.Stage),
			Owner: s.Handler, Team: team, Manager: ManagerGroup, Audience: casefile.Officer, Label: label}}
	}
	switch c.Status {
	case StatusReceived, StatusEscalated:
		return d("stage"+itoa(c.Stage)+"-acknowledge", "Acknowledge, define and log the stage "+itoa(c.Stage)+" complaint", s.AcknowledgeBy)
	case StatusAcknowledged:
		return d("stage"+itoa(c.Stage)+"-response", "Send the stage "+itoa(c.Stage)+" response", s.RespondBy)
	}
	return nil
}

func itoa(n int) string { return string(rune('0' + n)) }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
