package complaints

import (
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Staff inputs, one per route; handlers decode JSON into them. Each transition validates its input and lists
// every field problem (400) before applying the Code.

// Acknowledgement acknowledges, defines and logs a stage (POST .../acknowledgement; source §5.6, §5.7): the
// complaint definition (what we understand the complaint to be and the outcomes sought), and which aspects we are
// and are not responsible for. Anything unclear is asked of the resident (AskForClarification).
type Acknowledgement struct {
	Definition     string `json:"definition" validate:"required,max=5000"`
	OutcomesSought string `json:"outcomesSought" validate:"required,max=5000"`
	// Handler is who will handle the stage, as letters name them; the acting officer when left out. CH-5 never
	// compares it: it compares the staff ids of the people who acted on stage 1.
	Handler string `json:"handler,omitempty" validate:"omitempty,max=200"`
	// ResponsibleFor lists the aspects of the complaint the landlord is responsible for; left out, all of it.
	ResponsibleFor []string `json:"responsibleFor,omitempty" validate:"max=20,dive,required,max=1000"`
	// NotResponsibleFor lists the aspects it is not responsible for, and who is (source §5.7).
	NotResponsibleFor []Aspect `json:"notResponsibleFor,omitempty" validate:"max=20,dive"`
	From              Landlord `json:"-" validate:"-"`
}

// Aspect is part of a complaint the landlord is not responsible for, and who is (e.g. the water company) with
// how to reach them, so the resident knows where to take it (source §5.7).
type Aspect struct {
	Aspect           string `json:"aspect" dynamodbav:"aspect" validate:"required,max=1000"`
	WhoIsResponsible string `json:"whoIsResponsible" dynamodbav:"whoIsResponsible" validate:"required,max=500"`
}

// Validate lists every problem.
func (a Acknowledgement) Validate() error {
	f := validate.Struct(a)
	for i, r := range a.ResponsibleFor {
		if r != "" && strings.TrimSpace(r) == "" { // the validator's required lets spaces through in a list of text
			f.Add("responsibleFor["+strconv.Itoa(i)+"]", "is required")
		}
	}
	return f.Err()
}

// ExtensionRequest extends the current stage (POST .../extension).
type ExtensionRequest struct {
	WorkingDays int    `json:"workingDays" validate:"required,gte=1,lte=250"`
	Reason      string `json:"reason" validate:"required,max=2000"`
	// GoodReasonForLonger allows more than the stage's limit: the source (§6.4, §6.15) caps an extension at
	// 10 [20] working days "without good reason". Without it, a longer extension is refused (422).
	GoodReasonForLonger string `json:"goodReasonForLonger,omitempty" validate:"omitempty,max=2000"`
	// KeepInformed is the intervals agreed with the resident for keeping them informed, required with an extension
	// beyond the limit: the response then falls outside the Code's timescales (source 004 §5.9).
	KeepInformed *UpdatePlanInput `json:"keepInformed,omitempty"`
	From         Landlord         `json:"-" validate:"-"`
}

// Decisions a response can give.
var Decisions = []string{"upheld", "partly-upheld", "not-upheld"}

// Response is the answer to a stage (POST .../response); remedies per CH-8 (apology, explanation, action,
// financial remedy, record correction, policy change) and outstanding actions, each tracked to completion with
// an owner and a due date (source §6.6, §7.3).
type Response struct {
	Decision           string      `json:"decision" validate:"required,oneof=upheld partly-upheld not-upheld"`
	Reasons            string      `json:"reasons" validate:"required,max=10000"`
	Remedies           []ItemInput `json:"remedies" validate:"max=20,dive"`
	OutstandingActions []ItemInput `json:"outstandingActions" validate:"max=20,dive"`
	// Learning is what the complaint taught us beyond this case, and ServiceImprovement the change it led to
	// (source §9.1, §8.1.4); the annual report lists them (CH-10). Not in the letter.
	Learning           string   `json:"learning,omitempty" validate:"omitempty,max=1000"`
	ServiceImprovement string   `json:"serviceImprovement,omitempty" validate:"omitempty,max=1000"`
	From               Landlord `json:"-" validate:"-"`
}

// Validate lists every problem, for a response sent at at.
func (r Response) Validate(at time.Time) error {
	f := validate.Struct(r)
	checkItems(&f, "remedies", r.Remedies, at)
	checkItems(&f, "outstandingActions", r.OutstandingActions, at)
	return f.Err()
}

// Exclusions allowed by CH-2 (source §2.2).
var Exclusions = []string{"older-than-12-months", "legal-proceedings", "previously-considered"}

// RefusalRequest refuses a complaint under an exclusion (POST .../refusal).
type RefusalRequest struct {
	Exclusion   string   `json:"exclusion" validate:"required,oneof=older-than-12-months legal-proceedings previously-considered"`
	Explanation string   `json:"explanation" validate:"required,max=5000"`
	From        Landlord `json:"-" validate:"-"`
}

// Validate lists every problem.
func (r RefusalRequest) Validate() error {
	f := validate.Struct(r)
	return f.Err()
}

// ServiceRequestNote says what service was asked for (POST .../service-request), who sees it through and by when
// (source §1.4: service requests are recorded, monitored and reviewed).
type ServiceRequestNote struct {
	Note  string `json:"note" validate:"required,max=2000"`
	DueOn string `json:"dueOn" validate:"required,date"`               // YYYY-MM-DD: today or later, within MaxItemDueMonths
	Owner string `json:"owner,omitempty" validate:"omitempty,max=200"` // staff id; the reclassifying officer when left out
}

// Validate lists every problem, on the day of at.
func (n ServiceRequestNote) Validate(at time.Time) error {
	f := validate.Struct(n)
	if d, err := workdays.ParseDate(n.DueOn); err == nil {
		today := workdays.DateOf(at)
		switch {
		case d.Before(today):
			f.Add("dueOn", "cannot be in the past")
		case d.After(today.AddMonths(MaxItemDueMonths)):
			f.Add("dueOn", "must be within %d months", MaxItemDueMonths)
		}
	}
	return f.Err()
}

// ServiceRequestRecord tracks a contact reclassified as a service request: who sees it through, by when, and when
// and how it was done (source §1.4). While open it is a deadline of the record.
type ServiceRequestRecord struct {
	Owner   string         `json:"owner" dynamodbav:"owner"`
	DueOn   workdays.Date  `json:"dueOn" dynamodbav:"dueOn"`
	DoneAt  *time.Time     `json:"doneAt,omitempty" dynamodbav:"doneAt,omitempty"`
	DoneBy  casefile.Actor `json:"doneBy,omitzero" dynamodbav:"doneBy,omitempty"`
	Outcome string         `json:"outcome,omitempty" dynamodbav:"outcome,omitempty"`
}

// DoneOnTime reports whether the service request was done by its due date (WD-3; one without a due date, from
// before issue 14, counts as on time).
func (r ServiceRequestRecord) DoneOnTime() bool {
	return r.DoneAt != nil && (r.DueOn.IsZero() || !workdays.DateOf(*r.DoneAt).After(r.DueOn))
}

// ServiceRequestDone records what was done about a service request (POST .../service-request/completion).
type ServiceRequestDone struct {
	Outcome string `json:"outcome" validate:"required,max=2000"`
}

// RelatedPoints are new points the resident raised, to join the stage 1 complaint (POST .../related-points). The
// handler says whether they are unrelated to what is being investigated, or would unreasonably delay the stage 1
// response: either makes them a new complaint (source 004 §6.8).
type RelatedPoints struct {
	Points             string `json:"points" validate:"required,max=5000"`
	Unrelated          bool   `json:"unrelated,omitempty"`
	WouldDelayResponse bool   `json:"wouldDelayResponse,omitempty"`
}

// Validate lists every problem.
func (p RelatedPoints) Validate() error {
	f := validate.Struct(p)
	return f.Err()
}

func conflict(rule, format string, args ...any) error {
	return apperr.Rule(apperr.Conflict, rule, format, args...)
}

func breach(rule, format string, args ...any) error {
	return apperr.Rule(apperr.Unprocessable, rule, format, args...)
}

// inProcedure refuses any action on a complaint that has left the procedure (409).
func (c *Complaint) inProcedure(action string) error {
	switch c.Status {
	case StatusRefused:
		return conflict("CH-2", "Complaint %s was refused under an exclusion; it cannot %s", c.Reference, action)
	case StatusServiceRequest:
		return conflict("CH-1", "%s was reclassified as a service request; it cannot %s", c.Reference, action)
	case StatusClosed:
		return conflict("CH-3", "Complaint %s has had its stage 2 (final) response and is closed; it cannot %s", c.Reference, action)
	}
	return nil
}

// own gives the complaint its own slices before a change, so that a copy of the value taken before the
// transition (e.g. the loaded record) never changes with it.
func (c *Complaint) own() {
	c.Stages = append([]Stage(nil), c.Stages...)
	c.Flags = append([]string{}, c.Flags...)
	c.Letters = append([]Letter{}, c.Letters...)
	c.RelatedPoints = append([]RelatedPoint(nil), c.RelatedPoints...)
	c.Items = append([]Item(nil), c.Items...)
	c.Clarifications = append([]Clarification(nil), c.Clarifications...)
}

func stageRule(stage int) string {
	if stage == 2 {
		return "CH-5"
	}
	return "CH-4"
}

func responseDays(stage int) int {
	if stage == 2 {
		return Stage2ResponseDays
	}
	return Stage1ResponseDays
}

func extensionLimit(stage int) int {
	if stage == 2 {
		return Stage2ExtensionLimit
	}
	return Stage1ExtensionLimit
}

// handledStage1 reports whether by acknowledged, extended or answered stage 1. Stage 2 must be handled by
// someone who did not (CH-5, source §6.13); people are compared by their staff id, never by name.
func (c *Complaint) handledStage1(by casefile.Actor) bool {
	s := c.Stages[0]
	return by.Same(s.AcknowledgedBy) || by.Same(s.RespondedBy) || (s.Extension != nil && by.Same(s.Extension.By))
}

func (c *Complaint) stage2HandlerCheck(by casefile.Actor, action string) error {
	if c.Stage == 2 && c.handledStage1(by) {
		return breach("CH-5", "%s handled stage 1 of complaint %s, so cannot %s stage 2; stage 2 needs a complaints manager who did not handle stage 1", by.Name, c.Reference, action)
	}
	return nil
}

// Acknowledge acknowledges, defines and logs the current stage (CH-4, CH-5) and sets the response date: 10 WD
// after the acknowledgement at stage 1, 20 WD at stage 2 (WD-2). The stage 2 handler must not be the stage 1
// handler (CH-5, source §6.13). A late acknowledgement is accepted and recorded as late. The resident gets the
// acknowledgement letter: the complaint definition, what we are and are not responsible for, the timescale, how
// to reach us and the Ombudsman's details (source §3.7, §5.6, §5.7); at stage 2, what is still open from stage 1.
func (c *Complaint) Acknowledge(in Acknowledgement, by casefile.Actor, at time.Time) (Letter, casefile.Event, error) {
	if err := c.inProcedure("be acknowledged"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	if c.Status != StatusReceived && c.Status != StatusEscalated {
		return Letter{}, casefile.Event{}, conflict(rule, "Stage %d of complaint %s is already acknowledged", c.Stage, c.Reference)
	}
	if err := in.Validate(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if err := c.stage2HandlerCheck(by, "acknowledge"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	c.own()
	s, t := c.Current(), at.UTC()
	handler := strings.TrimSpace(in.Handler)
	if handler == "" {
		handler = by.Name
	}
	s.AcknowledgedAt, s.AcknowledgedBy, s.Definition, s.OutcomesSought, s.Handler = &t, by, in.Definition, in.OutcomesSought, handler
	s.ResponsibleFor, s.NotResponsibleFor = in.ResponsibleFor, in.NotResponsibleFor
	s.RespondBy = workdays.DeadlineAfter(at, responseDays(c.Stage))
	c.Status = StatusAcknowledged
	letter := acknowledgementLetter(*c, *s, in.From, at)
	letter = c.addLetter(letter)
	return letter, event(at, by, "acknowledged", rule, map[string]any{"stage": c.Stage, "handler": s.Handler, "definition": s.Definition,
		"respondBy": s.RespondBy.String(), "acknowledgeBy": s.AcknowledgeBy.String(), "onTime": s.AcknowledgedOnTime(),
		"notResponsibleFor": len(in.NotResponsibleFor), "letter": letter.onTimeline()}), nil
}

// Extend extends the acknowledged current stage once (CH-4, CH-5), counted from the current respondBy,
// with reasons; the resident gets a letter with the Ombudsman's contact details (source §6.5, §6.16). Longer
// than the limit only with a good reason (source §6.4, §6.15). The extension must be agreed before the
// response is due: one granted afterwards would turn a late response into an on-time one (CH-10, CH02).
func (c *Complaint) Extend(r ExtensionRequest, by casefile.Actor, at time.Time) (Letter, casefile.Event, error) {
	if err := c.inProcedure("be extended"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	if c.Status != StatusAcknowledged {
		return Letter{}, casefile.Event{}, conflict(rule, "Only an acknowledged stage awaiting its response can be extended; complaint %s is %s", c.Reference, c.Status)
	}
	f := validate.Struct(r)
	if r.KeepInformed != nil {
		r.KeepInformed.check(f.Add, "keepInformed.", *c.Current(), at)
	}
	if err := f.Err(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if err := c.extensionAllowed(r, at); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if err := c.stage2HandlerCheck(by, "extend"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	c.own()
	s := c.Current()
	previous := s.RespondBy
	s.Extension = &Extension{WorkingDays: r.WorkingDays, Reason: r.Reason, From: previous, At: at.UTC(), By: by}
	if r.WorkingDays > extensionLimit(c.Stage) {
		s.Extension.GoodReason = strings.TrimSpace(r.GoodReasonForLonger) // kept only where the Code needs it
	}
	s.RespondBy = workdays.AddWorkingDays(previous, r.WorkingDays)
	if r.KeepInformed != nil {
		s.UpdatePlan = r.KeepInformed.plan(by)
	}
	letter := extensionLetter(*c, *s, r.From, at)
	letter = c.addLetter(letter)
	return letter, event(at, by, "extended", rule, map[string]any{"stage": c.Stage, "workingDays": r.WorkingDays, "reason": r.Reason,
		"beyondLimit": s.Extension.BeyondLimit(), "previousRespondBy": previous.String(), "respondBy": s.RespondBy.String(),
		"keepInformed": s.UpdatePlan != nil, "letter": letter.onTimeline()}), nil
}

func (c *Complaint) extensionAllowed(r ExtensionRequest, at time.Time) error {
	s, rule, limit := c.Current(), stageRule(c.Stage), extensionLimit(c.Stage)
	switch {
	case s.Extension != nil:
		return breach(rule, "Stage %d has already been extended once (to %s); only one extension is allowed per stage", c.Stage, s.RespondBy)
	case r.WorkingDays > limit && strings.TrimSpace(r.GoodReasonForLonger) == "":
		return breach(rule, "An extension at stage %d can be at most %d working days, not %d, unless there is a good reason (give goodReasonForLonger)", c.Stage, limit, r.WorkingDays)
	case r.WorkingDays > limit && r.KeepInformed == nil:
		return breach(rule, "An extension of %d working days takes the stage %d response outside the Code's timescales: agree with the resident "+
			"how often they will be kept informed, and give it as keepInformed (source 004 §5.9)", r.WorkingDays, c.Stage)
	case workdays.DateOf(at).After(s.RespondBy):
		return breach(rule, "The stage %d response was due on %s; an extension must be agreed before the response is due", c.Stage, s.RespondBy)
	}
	return nil
}

// Respond answers the acknowledged current stage with a letter containing everything CH-6 requires (source
// §6.9, §6.19). Stage 1 then awaits any escalation; stage 2 is the final response and closes the complaint.
// Whoever handled stage 1 cannot send the stage 2 response (CH-5, source §6.13).
func (c *Complaint) Respond(r Response, by casefile.Actor, at time.Time) (Letter, casefile.Event, error) {
	if err := c.inProcedure("be answered"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	switch c.Status {
	case StatusReceived, StatusEscalated:
		return Letter{}, casefile.Event{}, conflict(rule, "Stage %d must be acknowledged and defined before it is answered", c.Stage)
	case StatusResponded:
		return Letter{}, casefile.Event{}, conflict(rule, "Stage 1 has already been answered; the resident may escalate to stage 2")
	}
	if err := r.Validate(at); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if err := c.stage2HandlerCheck(by, "answer"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if n := len(c.Items) + len(r.Remedies) + len(r.OutstandingActions); n > MaxItems {
		return Letter{}, casefile.Event{}, breach("CH-8", "Complaint %s would track %d remedies and actions, over the %d one complaint holds: "+
			"combine them into fewer items, each with its owner and due date", c.Reference, n, MaxItems)
	}
	c.own()
	s, t := c.Current(), at.UTC()
	s.RespondedAt, s.RespondedBy, s.Decision, s.Reasons = &t, by, r.Decision, r.Reasons
	s.Remedies, s.OutstandingActions = descriptions(r.Remedies), descriptions(r.OutstandingActions)
	s.Learning, s.ServiceImprovement = strings.TrimSpace(r.Learning), strings.TrimSpace(r.ServiceImprovement)
	remedies, actions := c.track(ItemRemedy, r.Remedies, by, at), c.track(ItemAction, r.OutstandingActions, by, at)
	if c.Stage == 1 {
		c.Status, c.EscalateBy = StatusResponded, workdays.DeadlineAfter(at, EscalationWindowDays)
	} else {
		c.Status = StatusClosed
	}
	letter := responseLetter(*c, *s, remedies, actions, r.From, at)
	letter = c.addLetter(letter)
	return letter, event(at, by, "responded", "CH-6", map[string]any{"stage": c.Stage, "decision": r.Decision,
		"onTime": s.OnTime(), "respondBy": s.RespondBy.String(), "remedies": itemIDs(remedies), "outstandingActions": itemIDs(actions),
		"stillOpen": len(c.OpenItems()), "learningRecorded": s.Learning != "" || s.ServiceImprovement != "", "letter": letter.onTimeline()}), nil
}

func descriptions(in []ItemInput) []string {
	var out []string
	for _, x := range in {
		out = append(out, x.Description)
	}
	return out
}

func itemIDs(items []Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// Refuse excludes a complaint on a CH-2 ground, with evidence, explained to the resident with their right to
// go to the Ombudsman (source §2.1-2.5). At stage 1 any ground applies until the response. A stage 2 request
// can be refused only because legal proceedings have started (source §5.11): it was considered at stage 1 by
// definition, and a late request is accepted (CH-5). An out-of-time refusal needs an issue over 12 months
// old; whether to use discretion is the officer's call, never automatic.
func (c *Complaint) Refuse(in RefusalRequest, by casefile.Actor, at time.Time) (Letter, casefile.Event, error) {
	if err := c.inProcedure("be refused"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if c.Status == StatusResponded {
		return Letter{}, casefile.Event{}, conflict("CH-2", "Stage 1 of complaint %s has been answered; there is nothing to refuse unless the resident escalates", c.Reference)
	}
	if err := in.Validate(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	if c.Stage == 2 && in.Exclusion != "legal-proceedings" {
		return Letter{}, casefile.Event{}, breach("CH-2", "A stage 2 request can only be refused because legal proceedings have started, not as %s (CH-5)", in.Exclusion)
	}
	if in.Exclusion == "older-than-12-months" && !possiblyOutOfTime(c.IssueDate, c.ReceivedAt) {
		return Letter{}, casefile.Event{}, breach("CH-2", "The issue arose on %s, within 12 months of the complaint: it cannot be excluded as out of time", c.IssueDate)
	}
	c.own()
	c.Refusal = &Refusal{Exclusion: in.Exclusion, Explanation: in.Explanation, Stage: c.Stage, At: at.UTC(), By: by}
	c.Status = StatusRefused
	letter := refusalLetter(*c, in.From, at)
	letter = c.addLetter(letter)
	return letter, event(at, by, "refused", "CH-2", map[string]any{"stage": c.Stage, "exclusion": in.Exclusion,
		"explanation": in.Explanation, "letter": letter.onTimeline()}), nil
}

// Escalate moves a complaint to stage 2 at the resident's request, without reasons (CH-5, source §6.12):
// acknowledge within 5 WD of the request. A request over 20 WD after the stage 1 response is accepted and
// flagged, never refused. There is no third stage (CH-3). A request made to a member of staff is
// EscalateOnBehalf.
func (c *Complaint) Escalate(at time.Time) (casefile.Event, error) {
	if err := c.escalationAllowed(); err != nil {
		return casefile.Event{}, err
	}
	return c.escalate(at, ChannelOnline, casefile.ByResident, at), nil
}

// escalationAllowed: stage 1 has been answered, and there is no third stage (CH-3, CH-5).
func (c *Complaint) escalationAllowed() error {
	if err := c.inProcedure("be escalated"); err != nil {
		return err
	}
	if c.Stage == 2 {
		return conflict("CH-3", "Complaint %s is already at stage 2; there are exactly two stages", c.Reference)
	}
	if c.Status != StatusResponded {
		return conflict("CH-5", "A complaint can be escalated once stage 1 has been answered, and stage 1 of %s has not been answered yet", c.Reference)
	}
	return nil
}

// escalate opens stage 2, requested at requestedAt through channel and recorded by by at at; the 5 WD to
// acknowledge run from the day of the request (CH-5).
func (c *Complaint) escalate(requestedAt time.Time, channel string, by casefile.Actor, at time.Time) casefile.Event {
	c.own()
	window := c.escalationWindow()
	day := workdays.DateOf(requestedAt)
	details := map[string]any{"stage": 2, "escalateBy": window.String(), "channel": channel}
	if day.After(window) {
		c.LateEscalation = true
		c.LateEscalationNote = "Requested on " + day.String() + ", after the 20 working days following the stage 1 response (by " +
			window.String() + "); accepted and flagged, not refused (CH-5)."
		c.Flags = append(c.Flags, FlagLateEscalation)
		details["late"], details["note"] = true, c.LateEscalationNote
	}
	t := requestedAt.UTC()
	c.EscalationAt = &t
	c.Stage, c.Status = 2, StatusEscalated
	s := Stage{Number: 2, OpenedAt: t, Channel: channel, AcknowledgeBy: workdays.DeadlineAfter(requestedAt, AcknowledgeDays)}
	if by.ID != "" {
		s.LoggedBy = by
	}
	c.Stages = append(c.Stages, s)
	details["acknowledgeBy"] = s.AcknowledgeBy.String()
	return event(at, by, "escalated", "CH-5", details)
}

// escalationWindow is the last day of the 20 WD after the stage 1 response (also set on the complaint by
// Respond; recomputed for records written before EscalateBy existed).
func (c *Complaint) escalationWindow() workdays.Date {
	if !c.EscalateBy.IsZero() {
		return c.EscalateBy
	}
	return workdays.DeadlineAfter(*c.Stages[0].RespondedAt, EscalationWindowDays)
}

// ReclassifyAsServiceRequest records that the contact was a request for a service, not a complaint (CH-1,
// source §1.4). It stays logged (and is counted in CH-10); dissatisfaction with how the request is handled is
// a new complaint (source §1.5).
func (c *Complaint) ReclassifyAsServiceRequest(in ServiceRequestNote, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.inProcedure("be reclassified"); err != nil {
		return casefile.Event{}, err
	}
	if c.Stage != 1 || c.Status == StatusResponded {
		return casefile.Event{}, conflict("CH-1", "Only a stage 1 complaint that has not been answered can be reclassified as a service request")
	}
	if err := in.Validate(at); err != nil {
		return casefile.Event{}, err
	}
	c.own()
	due, _ := workdays.ParseDate(in.DueOn)
	owner := strings.TrimSpace(in.Owner)
	if owner == "" {
		owner = by.ID
	}
	c.Status, c.ServiceRequest = StatusServiceRequest, in.Note
	c.ServiceRequestRecord = &ServiceRequestRecord{Owner: owner, DueOn: due}
	return event(at, by, "reclassified-service-request", "CH-1", map[string]any{"note": in.Note, "owner": owner, "dueOn": due.String()}), nil
}

// CompleteServiceRequest records that the service asked for was provided (source §1.4: monitored to the end). A
// complaint about how it was handled is a complaint of its own, which does not stop the request (source §1.5).
func (c *Complaint) CompleteServiceRequest(in ServiceRequestDone, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if c.Status != StatusServiceRequest {
		return casefile.Event{}, conflict("CH-1", "%s is not a service request", c.Reference)
	}
	r := c.ServiceRequestRecord
	if r != nil && r.DoneAt != nil {
		return casefile.Event{}, conflict("CH-1", "The service request %s was done on %s already", c.Reference, workdays.DateOf(*r.DoneAt))
	}
	f := validate.Struct(in)
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	c.own()
	done := ServiceRequestRecord{Owner: by.ID}
	if r != nil {
		done = *r
	}
	t := at.UTC()
	done.DoneAt, done.DoneBy, done.Outcome = &t, by, strings.TrimSpace(in.Outcome)
	c.ServiceRequestRecord = &done
	return event(at, by, "service-request-done", "CH-1", map[string]any{"outcome": done.Outcome, "onTime": done.DoneOnTime()}), nil
}

// MaxRelatedPoints bounds the points added to one stage 1 complaint, so its record cannot grow without limit.
const MaxRelatedPoints = 20

// Where new points go (source 004 §6.8): joined to the stage 1 complaint, or logged as a new complaint, and why.
const (
	PointsJoin          = "join"                     // related, raised before the stage 1 response, no undue delay
	PointsAfterResponse = "stage-1-response-issued"  // the stage 1 response has been sent (stage 2 included)
	PointsUnrelated     = "unrelated"                // unrelated to the issues already being investigated
	PointsWouldDelay    = "would-delay-the-response" // joining them would unreasonably delay the stage 1 response
	PointsTooMany       = "too-many-points"          // MaxRelatedPoints reached (issue 10: bounded records)
)

// WhereNewPointsGo applies source 004 §6.8 (CH-7): additional complaints raised during the investigation are
// incorporated into the stage 1 response if they are related and it has not been issued; where the stage 1
// response has been issued, the new issues are unrelated, or joining them would unreasonably delay the response,
// they must be logged as a new complaint. Whether points are related, and whether they would unreasonably delay
// the response, is the handler's judgement, given in the input. It returns PointsJoin or the exception that
// applies, first the one the complaint's state decides.
//
// RULES.md CH-7 names only the timing (before the stage 1 response: join; afterwards: a new complaint); source §6.8
// adds the unrelated and the unreasonably-delaying points. The source wins.
func (c Complaint) WhereNewPointsGo(in RelatedPoints) string {
	switch {
	case c.Stage != 1 || c.Status == StatusResponded:
		return PointsAfterResponse
	case in.Unrelated:
		return PointsUnrelated
	case in.WouldDelayResponse:
		return PointsWouldDelay
	case len(c.RelatedPoints) >= MaxRelatedPoints:
		return PointsTooMany
	}
	return PointsJoin
}

// newComplaintBecause says why points must be a new complaint, by WhereNewPointsGo's answer.
var newComplaintBecause = map[string]string{
	PointsAfterResponse: "the stage 1 response has been sent",
	PointsUnrelated:     "they are unrelated to the issues already being investigated",
	PointsWouldDelay:    "joining them would unreasonably delay the stage 1 response",
	PointsTooMany:       "the complaint holds the most related points one complaint can (" + itoa(MaxRelatedPoints) + ")",
}

// AddRelatedPoints joins related new points to the stage 1 complaint before its response, which must answer
// them (CH-7, source §6.8). When §6.8 says they are a new complaint (WhereNewPointsGo), they are refused (422)
// with the reason, to be logged as a new complaint (POST /complaints/logged).
func (c *Complaint) AddRelatedPoints(in RelatedPoints, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.inProcedure("take new points"); err != nil {
		return casefile.Event{}, err
	}
	if where := c.WhereNewPointsGo(in); where == PointsAfterResponse {
		return casefile.Event{}, breach("CH-7", "Stage 1 of complaint %s has been answered: new points must be logged as a new complaint (source 004 §6.8)", c.Reference)
	}
	if err := in.Validate(); err != nil {
		return casefile.Event{}, err
	}
	if where := c.WhereNewPointsGo(in); where != PointsJoin {
		return casefile.Event{}, breach("CH-7", "These points cannot join complaint %s because %s: log them as a new complaint (POST /complaints/logged; source 004 §6.8)",
			c.Reference, newComplaintBecause[where])
	}
	c.own()
	c.RelatedPoints = append(c.RelatedPoints, RelatedPoint{Text: in.Points, At: at.UTC(), By: by})
	return event(at, by, "related-points-added", "CH-7", map[string]any{"count": len(c.RelatedPoints), "points": in.Points}), nil
}
