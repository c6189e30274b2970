package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// MaxActions bounds a case's action plan, so that the case item (and its open deadlines) cannot grow without
// limit; contacts, letters and notes are timeline entries of their own and need no such bound.
const MaxActions = 100

// The inputs of the staff actions: what an officer says when they act on a case. They are the request bodies of
// the JSON API (hence the JSON names), and every transition validates its input, listing every field problem.
// Dates are YYYY-MM-DD London dates (WD-3), kept as text here so that a malformed one is a field problem too.
type (
	// Assignment gives the case to an officer (POST .../assignment).
	Assignment struct {
		// Officer is the staff id (JWT sub) of the officer who takes the case: their deadlines and reminders follow.
		Officer string `json:"officer" validate:"required,max=200"`
	}
	// Appointment is the appointment offered to the reporter (POST .../appointment, ASB-3).
	Appointment struct {
		AppointmentOn string `json:"appointmentOn" validate:"required,date"`
	}
	// RiskAssessmentInput is the ASB-5 vulnerability check-list answered with the reporter (POST .../risk-assessment),
	// which sets the risk level and the latest review date (AssessChecklist). Level, optional, is the officer's
	// judgement raising the check-list's level (never lowering it); NextReviewOn, optional, an earlier review (a
	// working day). Recording it again is the assessment's review.
	RiskAssessmentInput struct {
		Checklist    Checklist `json:"checklist"`
		Level        string    `json:"level,omitempty"`
		NextReviewOn string    `json:"nextReviewOn,omitempty" validate:"omitempty,date"`
		Notes        string    `json:"notes,omitempty" validate:"omitempty,max=2000"`
	}
	// NewAction is an action-plan item using an ASB-8 tool (POST .../actions).
	// NewAction is an action-plan item (POST .../actions); a case holds at most MaxActions.
	NewAction struct {
		Tool        string `json:"tool" validate:"required,max=100"`
		Description string `json:"description" validate:"required,max=2000"`
		DueOn       string `json:"dueOn" validate:"required,date"`
	}
	// ContactLog is a contact with the reporter or another party (POST .../contacts).
	ContactLog struct {
		Method  string `json:"method" validate:"required"`
		With    string `json:"with,omitempty" validate:"omitempty,max=200"` // e.g. reporter, subject, witness, police
		Summary string `json:"summary" validate:"required,max=5000"`
	}
	// Closure is the case's outcome and, when the reporter answered, their satisfaction (POST .../closure, ASB-9),
	// with what came of each action still open: a case does not close with open actions (ASB-8).
	// Evicted says the case ends with the eviction of the person reported (ASB-9's annual measure): it needs a
	// possession action on the case (ASB-8).
	Closure struct {
		Outcome        string          `json:"outcome" validate:"required,max=2000"`
		Satisfaction   *Satisfaction   `json:"satisfaction,omitempty"`
		ActionOutcomes []ActionOutcome `json:"actionOutcomes,omitempty" validate:"max=100,dive"`
		Evicted        bool            `json:"evicted,omitempty"`
	}
	// ActionOutcome closes one open action at the case's closure: what came of it (ASB-8).
	ActionOutcome struct {
		ID      string `json:"id" validate:"required,max=10"`
		Outcome string `json:"outcome" validate:"required,max=2000"`
	}
	// Reclassification changes the case's type when the facts turn out different (POST .../reclassification,
	// ASB-3): its category and appointment target follow the new type.
	Reclassification struct {
		Type   string `json:"type" validate:"required"`
		Reason string `json:"reason" validate:"required,max=2000"`
	}
	// Reopening says why a closed case is reopened (POST .../reopening).
	Reopening struct {
		Reason string `json:"reason" validate:"required,max=2000"`
	}
)

// check validates in by its tags (text of only spaces included) and lets more add the checks tags cannot
// express. It returns the list of every problem.
func check(in any, more func(f *apperr.Fields)) error {
	f := validate.Struct(in)
	if more != nil {
		more(&f)
	}
	return f.Err()
}

// date reads a date the tags already checked (zero when absent or malformed).
func date(s string) workdays.Date {
	d, _ := workdays.ParseDate(s)
	return d
}

// closed: a closed or merged case has no open work (a merged one lives on in the case it was merged into).
func (c *Case) closed() bool { return c.Status == StatusClosed || c.Status == StatusMerged }

// mustBeOpen refuses work on a closed case: a closed case keeps the record it was closed with (its outcome
// and satisfaction count in ASB-9), so any new work starts with a reopening on the timeline.
func (c *Case) mustBeOpen(action string) error {
	if c.Status == StatusMerged {
		return apperr.Rule(apperr.Conflict, "ASB-9", "Case %s was merged into %s: %s there", c.Reference, c.MergedInto, action)
	}
	if c.closed() {
		return apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is closed: reopen it before you %s", c.Reference, action)
	}
	return nil
}

func (c *Case) inProgress() {
	if c.Status == StatusReceived || c.Status == StatusAcknowledged {
		c.Status = StatusInProgress
	}
}

// Acknowledge records the acknowledgement (ASB-4: within 1 working day of receipt). It takes no input.
func (c *Case) Acknowledge(by casefile.Actor, at time.Time) (casefile.Event, error) {
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
	return casefile.NewEvent(at, by, "acknowledged", "ASB-4", map[string]any{"due": c.AcknowledgeBy.String(), "onTime": onTime}), nil
}

// Assign gives the case to an officer, by staff id (their deadlines and reminders follow).
func (c *Case) Assign(in Assignment, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("assign it"); err != nil {
		return casefile.Event{}, err
	}
	if err := check(in, nil); err != nil {
		return casefile.Event{}, err
	}
	previous := c.Officer
	c.Officer = strings.TrimSpace(in.Officer)
	return casefile.NewEvent(at, by, "assigned", "", map[string]any{"officer": c.Officer, "previous": previous}), nil
}

// OfferAppointment records the appointment offered to the reporter (ASB-3 target).
func (c *Case) OfferAppointment(in Appointment, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("offer an appointment"); err != nil {
		return casefile.Event{}, err
	}
	on := date(in.AppointmentOn)
	err := check(in, func(f *apperr.Fields) {
		if !on.IsZero() && on.Before(workdays.DateOf(at)) {
			f.Add("appointmentOn", "cannot be in the past")
		}
	})
	if err != nil {
		return casefile.Event{}, err
	}
	at = at.UTC()
	first := c.AppointmentOfferedAt == nil
	if first {
		c.AppointmentOfferedAt = &at
	}
	c.AppointmentOn = on
	c.inProgress()
	onTime := !workdays.DateOf(*c.AppointmentOfferedAt).After(c.AppointmentBy)
	return casefile.NewEvent(at, by, "appointment-offered", "ASB-3", map[string]any{"appointmentOn": on.String(), "due": c.AppointmentBy.String(), "onTime": onTime, "first": first}), nil
}

// RecordRiskAssessment records the ASB-5 vulnerability check-list, the risk level it sets (raised, never lowered,
// by the officer's judgement) with its reasons, and the next review: a working day, no later than the level's
// interval (RiskReviewWorkingDays). Recording it again is a review (the event says so, with the previous level).
// The assessment is made at the first meeting, so it also meets the appointment target if no offer was recorded.
func (c *Case) RecordRiskAssessment(in RiskAssessmentInput, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("assess risk"); err != nil {
		return casefile.Event{}, err
	}
	today := workdays.DateOf(at)
	d := AssessChecklist(in.Checklist, today)
	var level string
	var next workdays.Date
	err := check(in, func(f *apperr.Fields) { level, next = checkRiskInput(in, d, today, f) })
	if err != nil {
		return casefile.Event{}, err
	}
	if level != d.Level {
		d.Reasons.Add("ASB-5", fmt.Sprintf("The officer raised the level from %s to %s.", d.Level, level))
	}
	previous := c.RiskAssessment
	cl := in.Checklist
	c.RiskAssessment = &RiskAssessment{Level: level, NextReviewOn: next, AssessedAt: at.UTC(), AssessedBy: by, Checklist: &cl,
		ChecklistLevel: d.Level, Reasons: d.Reasons, Notes: in.Notes}
	c.RiskLevel = level
	c.inProgress()
	details := map[string]any{"level": level, "checklistLevel": d.Level, "nextReviewOn": next.String(), "reasons": d.Reasons, "review": previous != nil}
	if previous != nil {
		details["previousLevel"] = previous.Level
		c.RiskReviews++
	}
	return casefile.NewEvent(at, by, "risk-assessed", "ASB-5", details), nil
}

// AddAction adds an action-plan item using an ASB-8 tool.
func (c *Case) AddAction(in NewAction, by casefile.Actor, at time.Time) (ActionItem, casefile.Event, error) {
	if err := c.mustBeOpen("add actions"); err != nil {
		return ActionItem{}, casefile.Event{}, err
	}
	if len(c.Actions) >= MaxActions {
		return ActionItem{}, casefile.Event{}, apperr.Rule(apperr.Unprocessable, "ASB-8",
			"Case %s has %d action items, the most one case can hold: close it and open a new one for a new problem", c.Reference, MaxActions)
	}
	due := date(in.DueOn)
	err := check(in, func(f *apperr.Fields) {
		if in.Tool != "" && !slices.Contains(Tools, in.Tool) {
			f.Add("tool", "must be one of the ASB-8 tools: %s", strings.Join(Tools, ", "))
		}
		if !due.IsZero() && due.Before(workdays.DateOf(at)) {
			f.Add("dueOn", "cannot be in the past")
		}
	})
	if err != nil {
		return ActionItem{}, casefile.Event{}, err
	}
	item := ActionItem{ID: fmt.Sprintf("A%d", len(c.Actions)+1), Tool: in.Tool, Description: in.Description, DueOn: due, CreatedAt: at.UTC()}
	c.Actions = append(c.Actions, item)
	c.inProgress()
	return item, casefile.NewEvent(at, by, "action-added", "ASB-8", map[string]any{"actionId": item.ID, "tool": in.Tool, "dueOn": due.String()}), nil
}

// CompleteAction marks an action done; actionID names it (the route's path, not a body).
func (c *Case) CompleteAction(actionID string, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("complete actions"); err != nil {
		return casefile.Event{}, err
	}
	i := slices.IndexFunc(c.Actions, func(a ActionItem) bool { return a.ID == actionID })
	if i < 0 {
		return casefile.Event{}, apperr.NotFoundf("Case %s has no action %s.", c.Reference, actionID)
	}
	if c.Actions[i].CompletedAt != nil {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-8", "Action %s is already complete", actionID)
	}
	done := at.UTC()
	c.Actions[i].CompletedAt = &done
	return casefile.NewEvent(at, by, "action-completed", "ASB-8", map[string]any{"actionId": actionID, "onTime": !workdays.DateOf(at).After(c.Actions[i].DueOn)}), nil
}

// ContactMethods are the ways an officer logs contact.
var ContactMethods = []string{"phone", "email", "letter", "visit", "meeting", "sms"}

// LogContact records a contact with the reporter or another party in the case's contacts log.
func (c *Case) LogContact(in ContactLog, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.mustBeOpen("log contacts"); err != nil {
		return casefile.Event{}, err
	}
	err := check(in, func(f *apperr.Fields) {
		if in.Method != "" && !slices.Contains(ContactMethods, in.Method) {
			f.Add("method", "must be one of: %s", strings.Join(ContactMethods, ", "))
		}
	})
	if err != nil {
		return casefile.Event{}, err
	}
	c.ContactsLogged++
	c.inProgress()
	return casefile.NewEvent(at, by, "contact-logged", "", map[string]any{"method": in.Method, "with": in.With, "summary": in.Summary}), nil
}

// Close ends the case with its outcome and, when the reporter answered, their satisfaction (ASB-9). Open
// action items and reviews lapse with the case.
func (c *Case) Close(in Closure, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if c.Status == StatusMerged {
		return casefile.Event{}, c.mustBeOpen("close it")
	}
	if c.closed() {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is already closed", c.Reference)
	}
	outcomes := map[string]string{}
	err := check(in, func(f *apperr.Fields) {
		for i, o := range in.ActionOutcomes {
			j := slices.IndexFunc(c.Actions, func(a ActionItem) bool { return a.ID == o.ID })
			switch {
			case o.ID == "":
			case j < 0:
				f.Add(fmt.Sprintf("actionOutcomes[%d].id", i), "is not an action of case %s", c.Reference)
			case c.Actions[j].CompletedAt != nil:
				f.Add(fmt.Sprintf("actionOutcomes[%d].id", i), "is complete already")
			case outcomes[o.ID] != "":
				f.Add(fmt.Sprintf("actionOutcomes[%d].id", i), "is given twice")
			}
			outcomes[o.ID] = o.Outcome
		}
		if in.Evicted && !slices.ContainsFunc(c.Actions, func(a ActionItem) bool { return a.Tool == "possession" }) {
			f.Add("evicted", "needs a possession action on the case (ASB-8): evictions for ASB follow possession proceedings (ASB-9)")
		}
	})
	if err != nil {
		return casefile.Event{}, err
	}
	var open []string
	for _, a := range c.Actions {
		if a.CompletedAt == nil && outcomes[a.ID] == "" {
			open = append(open, a.ID)
		}
	}
	if len(open) > 0 {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-8", "Case %s has open actions (%s): complete each, or give what came of it "+
			"in actionOutcomes, before the case closes", c.Reference, strings.Join(open, ", "))
	}
	closedActions := map[string]string{}
	for i, a := range c.Actions {
		if o := outcomes[a.ID]; o != "" && a.CompletedAt == nil {
			done := at.UTC()
			c.Actions[i].CompletedAt, c.Actions[i].Outcome = &done, o
			closedActions[a.ID] = o
		}
	}
	sat := in.Satisfaction
	if sat != nil && *sat == (Satisfaction{}) {
		sat = nil // no answer is not a rating (ASB-9 counts responses)
	}
	closed := at.UTC()
	c.Status, c.ClosedAt, c.Outcome, c.Satisfaction, c.Evicted = StatusClosed, &closed, in.Outcome, sat, in.Evicted
	if sat != nil {
		c.Survey = &SurveyResponse{Source: SurveyByOfficer, AnsweredAt: closed} // the fallback: answers given by phone
	}
	details := map[string]any{"outcome": in.Outcome, "daysOpen": c.DaysOpen()}
	if in.Evicted {
		details["evicted"] = true
	}
	if len(closedActions) > 0 {
		details["actionOutcomes"] = closedActions
	}
	if sat != nil {
		details["satisfaction"] = map[string]any{"handling": sat.Handling, "outcome": sat.Outcome}
	}
	return casefile.NewEvent(at, by, "closed", "ASB-9", details), nil
}

// Reopen puts a closed case back in progress, e.g. on a further report (which is not a new case, ASB-9). The
// closure's outcome and satisfaction are cleared: the case is counted as closed again when it next closes.
func (c *Case) Reopen(in Reopening, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if c.Status == StatusMerged {
		return casefile.Event{}, c.mustBeOpen("reopen it")
	}
	if c.Status != StatusClosed {
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "ASB-9", "Case %s is not closed", c.Reference)
	}
	if err := check(in, nil); err != nil {
		return casefile.Event{}, err
	}
	c.Status, c.ClosedAt, c.Outcome, c.Satisfaction, c.Evicted, c.Survey = StatusInProgress, nil, "", nil, false, nil
	for i := range c.Joined { // each reporter is asked again when it next closes
		c.Joined[i].Satisfaction, c.Joined[i].AnsweredAt = nil, nil
	}
	c.ReopenedCount++
	return casefile.NewEvent(at, by, "reopened", "", map[string]any{"reason": in.Reason}), nil
}

// Reclassify changes the case's type when the facts turn out different (ASB-3): the category follows the new type,
// and the appointment target is recalculated from the time of receipt with the new type's working days (1 WD
// for a report with an ASB-4 high-risk ground); the change is audited with both types and both targets. A new
// type that raises an ASB-6 referral the case has not raised raises it now: the new referrals are returned.
func (c *Case) Reclassify(in Reclassification, by casefile.Actor, at time.Time) ([]Referral, casefile.Event, error) {
	if err := c.mustBeOpen("reclassify it"); err != nil {
		return nil, casefile.Event{}, err
	}
	rule, known := TypeRuleOf(in.Type)
	err := check(in, func(f *apperr.Fields) {
		switch {
		case in.Type != "" && !known:
			f.Add("type", "must be one of: %s", strings.Join(TypeNames(), ", "))
		case in.Type == c.Type:
			f.Add("type", "is the case's type already")
		}
	})
	if err != nil {
		return nil, casefile.Event{}, err
	}
	before := map[string]any{"type": c.Type, "category": c.Category, "appointmentBy": c.AppointmentBy.String()}
	report := Report{Type: in.Type, Risk: c.Risk, Anonymous: c.Anonymous}
	a := Assess(report, c.ReceivedAt)
	c.Type, c.Category, c.AppointmentBy = in.Type, rule.Category, a.AppointmentBy
	var raised []Referral
	for _, ref := range a.Referrals {
		if !slices.ContainsFunc(c.Referrals, func(r Referral) bool { return r.Kind == ref.Kind }) {
			c.Referrals = append(c.Referrals, ref)
			raised = append(raised, ref)
		}
	}
	details := map[string]any{"from": before, "to": map[string]any{"type": c.Type, "category": c.Category, "appointmentBy": c.AppointmentBy.String()},
		"reason": in.Reason, "reasons": a.Reasons}
	if len(raised) > 0 {
		details["referrals"] = raised
	}
	return raised, casefile.NewEvent(at, by, "reclassified", "ASB-3", details), nil
}
