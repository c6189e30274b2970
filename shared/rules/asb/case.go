package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Case statuses.
const (
	StatusReceived     = "received"
	StatusAcknowledged = "acknowledged"
	StatusInProgress   = "in-progress"
	StatusClosed       = "closed"
)

// Team and manager groups that own ASB deadlines.
const (
	Team    = "asb-officer"
	Manager = "asb-manager"
)

// RiskAssessment is the vulnerability check at the first meeting, reviewed by risk level (ASB-5).
type RiskAssessment struct {
	Level        string        `json:"level" dynamodbav:"level"`
	NextReviewOn workdays.Date `json:"nextReviewOn" dynamodbav:"nextReviewOn"`
	AssessedAt   time.Time     `json:"assessedAt" dynamodbav:"assessedAt"`
	AssessedBy   string        `json:"assessedBy" dynamodbav:"assessedBy"`
}

// ActionItem is one step of the action plan, using an ASB-8 tool.
type ActionItem struct {
	ID          string        `json:"id" dynamodbav:"id"`
	Tool        string        `json:"tool" dynamodbav:"tool"`
	Description string        `json:"description" dynamodbav:"description"`
	DueOn       workdays.Date `json:"dueOn" dynamodbav:"dueOn"`
	CreatedAt   time.Time     `json:"createdAt" dynamodbav:"createdAt"`
	CompletedAt *time.Time    `json:"completedAt,omitempty" dynamodbav:"completedAt,omitempty"`
}

// ContactEntry is one line of the case's contacts log: who spoke to whom, how, and what was said.
type ContactEntry struct {
	At      time.Time `json:"at" dynamodbav:"at"`
	By      string    `json:"by" dynamodbav:"by"`
	Method  string    `json:"method" dynamodbav:"method"`
	With    string    `json:"with,omitempty" dynamodbav:"with,omitempty"` // e.g. reporter, subject, witness, police
	Summary string    `json:"summary" dynamodbav:"summary"`
}

// Satisfaction is the reporter's rating at closure, 1 (very dissatisfied) to 5 (very satisfied) (ASB-9).
type Satisfaction struct {
	Handling int `json:"handling,omitempty" dynamodbav:"handling,omitempty" validate:"omitempty,min=1,max=5"`
	Outcome  int `json:"outcome,omitempty" dynamodbav:"outcome,omitempty" validate:"omitempty,min=1,max=5"`
}

// Case is an ASB case. The reporter's contact details are not here: the store keeps them apart (ASB-2). Nor is
// the optimistic-locking version: the shared versioned record (shared/dynamo) carries it beside the case, so
// there is one version per stored case and no second copy to drift.
type Case struct {
	Reference            string          `json:"reference" dynamodbav:"reference"`
	Type                 string          `json:"type" dynamodbav:"type"`
	Category             Category        `json:"category" dynamodbav:"category"`
	Channel              string          `json:"channel" dynamodbav:"channel"`
	Status               string          `json:"status" dynamodbav:"status"`
	RiskLevel            string          `json:"riskLevel" dynamodbav:"riskLevel"`
	Description          string          `json:"description" dynamodbav:"description"`
	Location             Location        `json:"location" dynamodbav:"location"`
	OccurredAt           string          `json:"occurredAt,omitempty" dynamodbav:"occurredAt,omitempty"`
	Ongoing              bool            `json:"ongoing" dynamodbav:"ongoing"`
	Anonymous            bool            `json:"anonymous" dynamodbav:"anonymous"`
	Risk                 Risk            `json:"risk" dynamodbav:"risk"`
	ReceivedAt           time.Time       `json:"receivedAt" dynamodbav:"receivedAt"`
	AcknowledgeBy        workdays.Date   `json:"acknowledgeBy" dynamodbav:"acknowledgeBy"`
	AppointmentBy        workdays.Date   `json:"appointmentBy" dynamodbav:"appointmentBy"`
	AcknowledgedAt       *time.Time      `json:"acknowledgedAt,omitempty" dynamodbav:"acknowledgedAt,omitempty"`
	AppointmentOfferedAt *time.Time      `json:"appointmentOfferedAt,omitempty" dynamodbav:"appointmentOfferedAt,omitempty"`
	AppointmentOn        workdays.Date   `json:"appointmentOn,omitzero" dynamodbav:"appointmentOn,omitempty"`
	Officer              string          `json:"officer,omitempty" dynamodbav:"officer,omitempty"`
	RiskAssessment       *RiskAssessment `json:"riskAssessment,omitempty" dynamodbav:"riskAssessment,omitempty"`
	Actions              []ActionItem    `json:"actions" dynamodbav:"actions"`
	Contacts             []ContactEntry  `json:"contacts,omitempty" dynamodbav:"contacts,omitempty"`
	Referrals            []Referral      `json:"referrals,omitempty" dynamodbav:"referrals,omitempty"`
	ClosedAt             *time.Time      `json:"closedAt,omitempty" dynamodbav:"closedAt,omitempty"`
	Outcome              string          `json:"outcome,omitempty" dynamodbav:"outcome,omitempty"`
	Satisfaction         *Satisfaction   `json:"satisfaction,omitempty" dynamodbav:"satisfaction,omitempty"`
	ReopenedCount        int             `json:"reopenedCount,omitempty" dynamodbav:"reopenedCount,omitempty"`
	CallID               string          `json:"callId,omitempty" dynamodbav:"callId,omitempty"`
	Operator             string          `json:"operator,omitempty" dynamodbav:"operator,omitempty"`
	AdvisedPolice        bool            `json:"advisedPolice,omitempty" dynamodbav:"advisedPolice,omitempty"`
	// ReporterKey is a hash of the reporter's normalised contact (ASB-7), never the contact itself; "" when anonymous.
	ReporterKey string `json:"-" dynamodbav:"reporterKey,omitempty"`
}

// NewCase opens a case from a valid report, its assessment, and how it arrived.
func NewCase(ref string, r Report, a Assessment, channel string, receivedAt time.Time) Case {
	return Case{
		Reference: ref, Type: r.Type, Category: a.Category, Channel: channel, Status: StatusReceived, RiskLevel: a.RiskLevel,
		Description: r.Description, Location: r.Location, OccurredAt: r.OccurredAt, Ongoing: r.Ongoing, Anonymous: r.Anonymous,
		Risk: r.Risk, ReceivedAt: receivedAt.UTC(), AcknowledgeBy: a.AcknowledgeBy, AppointmentBy: a.AppointmentBy,
		Referrals: a.Referrals, Actions: []ActionItem{},
	}
}

func (c *Case) closed() bool { return c.Status == StatusClosed }

// mustBeOpen refuses work on a closed case: a closed case keeps the record it was closed with (its outcome
// and satisfaction count in ASB-9), so any new work starts with a reopening on the timeline.
func (c *Case) mustBeOpen(action string) error {
	if c.closed() {
		return apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is closed: reopen it before you %s", c.Reference, action)
	}
	return nil
}

func invalid(field, format string, args ...any) error {
	var f apperr.Fields
	f.Add(field, format, args...)
	return f.Err()
}

func event(at time.Time, actor, action, rule string, details map[string]any) casefile.Event {
	return casefile.Event{At: at.UTC(), Actor: actor, Action: action, Rule: rule, Details: details}
}

// Acknowledge records the acknowledgement (ASB-4: within 1 working day of receipt).
func (c *Case) Acknowledge(by string, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("acknowledge it"); err != nil {
		return casefile.Event{}, err
	}
	if c.AcknowledgedAt != nil {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-4", "Case %s was already acknowledged on %s", c.Reference, workdays.DateOf(*c.AcknowledgedAt))
	}
	at = at.UTC()
	c.AcknowledgedAt = &at
	if c.Status == StatusReceived {
		c.Status = StatusAcknowledged
	}
	onTime := !workdays.DateOf(at).After(c.AcknowledgeBy)
	return event(at, by, "acknowledged", "ASB-4", map[string]any{"due": c.AcknowledgeBy.String(), "onTime": onTime}), nil
}

// Assign gives the case to an officer (their deadlines and reminders follow).
func (c *Case) Assign(officer, by string, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("assign it"); err != nil {
		return casefile.Event{}, err
	}
	switch {
	case blank(officer):
		return casefile.Event{}, invalid("officer", "is required")
	case len(officer) > 200:
		return casefile.Event{}, invalid("officer", "must have at most 200 characters")
	}
	previous := c.Officer
	c.Officer = strings.TrimSpace(officer)
	return event(at, by, "assigned", "", map[string]any{"officer": c.Officer, "previous": previous}), nil
}

// OfferAppointment records the appointment offered to the reporter (ASB-3 target).
func (c *Case) OfferAppointment(on workdays.Date, by string, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("offer an appointment"); err != nil {
		return casefile.Event{}, err
	}
	switch {
	case on.IsZero():
		return casefile.Event{}, invalid("appointmentOn", "is required")
	case on.Before(workdays.DateOf(at)):
		return casefile.Event{}, invalid("appointmentOn", "cannot be in the past")
	}
	at = at.UTC()
	first := c.AppointmentOfferedAt == nil
	if first {
		c.AppointmentOfferedAt = &at
	}
	c.AppointmentOn = on
	c.inProgress()
	onTime := !workdays.DateOf(*c.AppointmentOfferedAt).After(c.AppointmentBy)
	return event(at, by, "appointment-offered", "ASB-3", map[string]any{"appointmentOn": on.String(), "due": c.AppointmentBy.String(), "onTime": onTime, "first": first}), nil
}

func (c *Case) inProgress() {
	if c.Status == StatusReceived || c.Status == StatusAcknowledged {
		c.Status = StatusInProgress
	}
}

// RecordRiskAssessment records the risk level and when it is next reviewed (ASB-5). The review date may be
// sooner than the level's interval, never later; without one it falls due at the end of the interval. The
// assessment is made at the first meeting, so it also meets the appointment target if no offer was recorded.
func (c *Case) RecordRiskAssessment(level string, nextReviewOn workdays.Date, by string, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("assess risk"); err != nil {
		return casefile.Event{}, err
	}
	var f apperr.Fields
	interval, ok := RiskLevels[level]
	if !ok {
		f.Add("level", "must be one of: %s", strings.Join(SortedRiskLevels(), ", "))
	}
	today := workdays.DateOf(at)
	switch {
	case nextReviewOn.IsZero():
	case !nextReviewOn.After(today):
		f.Add("nextReviewOn", "must be after today")
	case ok && nextReviewOn.After(today.AddDays(interval)):
		f.Add("nextReviewOn", "must be no later than %s: %s risk is reviewed at least every %d days (ASB-5)", today.AddDays(interval), level, interval)
	}
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	if nextReviewOn.IsZero() {
		nextReviewOn = today.AddDays(interval)
	}
	c.RiskAssessment = &RiskAssessment{Level: level, NextReviewOn: nextReviewOn, AssessedAt: at.UTC(), AssessedBy: by}
	c.RiskLevel = level
	c.inProgress()
	return event(at, by, "risk-assessed", "ASB-5", map[string]any{"level": level, "nextReviewOn": nextReviewOn.String()}), nil
}

// AddAction adds an action-plan item using an ASB-8 tool.
func (c *Case) AddAction(tool, description string, dueOn workdays.Date, by string, at time.Time) (ActionItem, casefile.Event, error) {
	if err := c.mustBeOpen("add actions"); err != nil {
		return ActionItem{}, casefile.Event{}, err
	}
	var f apperr.Fields
	if !slices.Contains(Tools, tool) {
		f.Add("tool", "must be one of the ASB-8 tools: %s", strings.Join(Tools, ", "))
	}
	if blank(description) {
		f.Add("description", "is required")
	} else if len(description) > 2000 {
		f.Add("description", "must have at most 2000 characters")
	}
	if dueOn.IsZero() {
		f.Add("dueOn", "is required")
	} else if dueOn.Before(workdays.DateOf(at)) {
		f.Add("dueOn", "cannot be in the past")
	}
	if err := f.Err(); err != nil {
		return ActionItem{}, casefile.Event{}, err
	}
	item := ActionItem{ID: fmt.Sprintf("A%d", len(c.Actions)+1), Tool: tool, Description: description, DueOn: dueOn, CreatedAt: at.UTC()}
	c.Actions = append(c.Actions, item)
	c.inProgress()
	return item, event(at, by, "action-added", "ASB-8", map[string]any{"actionId": item.ID, "tool": tool, "dueOn": dueOn.String()}), nil
}

// CompleteAction marks an action done.
func (c *Case) CompleteAction(id, by string, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("complete actions"); err != nil {
		return casefile.Event{}, err
	}
	i := slices.IndexFunc(c.Actions, func(a ActionItem) bool { return a.ID == id })
	if i < 0 {
		return casefile.Event{}, apperr.NotFoundf("Case %s has no action %s.", c.Reference, id)
	}
	if c.Actions[i].CompletedAt != nil {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-8", "Action %s is already complete", id)
	}
	done := at.UTC()
	c.Actions[i].CompletedAt = &done
	return event(at, by, "action-completed", "ASB-8", map[string]any{"actionId": id, "onTime": !workdays.DateOf(at).After(c.Actions[i].DueOn)}), nil
}

// ContactMethods are the ways an officer logs contact.
var ContactMethods = []string{"phone", "email", "letter", "visit", "meeting", "sms"}

// LogContact records a contact with the reporter or another party in the case's contacts log.
func (c *Case) LogContact(method, with, summary, by string, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("log contacts"); err != nil {
		return casefile.Event{}, err
	}
	var f apperr.Fields
	if !slices.Contains(ContactMethods, method) {
		f.Add("method", "must be one of: %s", strings.Join(ContactMethods, ", "))
	}
	if len(with) > 200 {
		f.Add("with", "must have at most 200 characters")
	}
	if blank(summary) {
		f.Add("summary", "is required")
	} else if len(summary) > 5000 {
		f.Add("summary", "must have at most 5000 characters")
	}
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	c.Contacts = append(c.Contacts, ContactEntry{At: at.UTC(), By: by, Method: method, With: with, Summary: summary})
	c.inProgress()
	return event(at, by, "contact-logged", "", map[string]any{"method": method, "with": with, "summary": summary}), nil
}

// Close ends the case with its outcome and, when the reporter answered, their satisfaction (ASB-9). Open
// action items and reviews lapse with the case.
func (c *Case) Close(outcome string, sat *Satisfaction, by string, at time.Time) (casefile.Event, error) {
	if c.closed() {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is already closed", c.Reference)
	}
	var f apperr.Fields
	if blank(outcome) {
		f.Add("outcome", "is required")
	} else if len(outcome) > 2000 {
		f.Add("outcome", "must have at most 2000 characters")
	}
	if sat != nil {
		for name, v := range map[string]int{"satisfaction.handling": sat.Handling, "satisfaction.outcome": sat.Outcome} {
			if v != 0 && (v < 1 || v > 5) {
				f.Add(name, "must be from 1 to 5")
			}
		}
	}
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	if sat != nil && *sat == (Satisfaction{}) {
		sat = nil // no answer is not a rating (ASB-9 counts responses)
	}
	closed := at.UTC()
	c.Status, c.ClosedAt, c.Outcome, c.Satisfaction = StatusClosed, &closed, outcome, sat
	details := map[string]any{"outcome": outcome, "daysOpen": c.DaysOpen()}
	if sat != nil {
		details["satisfaction"] = map[string]any{"handling": sat.Handling, "outcome": sat.Outcome}
	}
	return event(at, by, "closed", "ASB-9", details), nil
}

// Reopen puts a closed case back in progress, e.g. on a further report (which is not a new case, ASB-9). The
// closure's outcome and satisfaction are cleared: the case is counted as closed again when it next closes.
func (c *Case) Reopen(reason, by string, at time.Time) (casefile.Event, error) {
	if !c.closed() {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is not closed", c.Reference)
	}
	switch {
	case blank(reason):
		return casefile.Event{}, invalid("reason", "is required")
	case len(reason) > 2000:
		return casefile.Event{}, invalid("reason", "must have at most 2000 characters")
	}
	c.Status, c.ClosedAt, c.Outcome, c.Satisfaction = StatusInProgress, nil, "", nil
	c.ReopenedCount++
	return event(at, by, "reopened", "", map[string]any{"reason": reason}), nil
}

// DaysOpen is calendar days from receipt to closure (ASB-5, ASB-9), in London days.
func (c Case) DaysOpen() int {
	if c.ClosedAt == nil {
		return 0
	}
	return workdays.DateOf(c.ReceivedAt).DaysUntil(workdays.DateOf(*c.ClosedAt))
}

// OpenDeadlines are the deadlines the case has in its current state, for the deadlines index: the
// acknowledgement until acknowledged (ASB-4), the appointment until offered or the first meeting held (ASB-3),
// the risk review (ASB-5) and each open action item (ASB-8); none once closed. Owner is the officer (empty:
// the asb-officer team); the asb-manager group hears of overdue ones.
func OpenDeadlines(c Case) []casefile.Deadline {
	if c.closed() {
		return nil
	}
	d := func(name, rule, label string, due workdays.Date) casefile.Deadline {
		return casefile.Deadline{CaseKind: casefile.ASB, CaseRef: c.Reference, Name: name, Due: due, Rule: rule,
			Owner: c.Officer, Team: Team, Manager: Manager, Audience: casefile.Officer, Label: label}
	}
	var out []casefile.Deadline
	if c.AcknowledgedAt == nil {
		out = append(out, d("acknowledge", "ASB-4", "Acknowledge the report", c.AcknowledgeBy))
	}
	if c.AppointmentOfferedAt == nil && c.RiskAssessment == nil { // the assessment is made at the first meeting (ASB-5)
		out = append(out, d("appointment", "ASB-3", "Offer the reporter an appointment", c.AppointmentBy))
	}
	if c.RiskAssessment != nil {
		out = append(out, d("risk-review", "ASB-5", "Review the risk assessment", c.RiskAssessment.NextReviewOn))
	}
	for _, a := range c.Actions {
		if a.CompletedAt == nil {
			out = append(out, d("action:"+a.ID, "ASB-8", "Action plan: "+a.Tool, a.DueOn))
		}
	}
	return out
}

// IsOverdue reports whether any open deadline was due before today (WD-3: met on or before the date).
func IsOverdue(c Case, today workdays.Date) bool {
	for _, d := range OpenDeadlines(c) {
		if d.Due.Before(today) {
			return true
		}
	}
	return false
}
