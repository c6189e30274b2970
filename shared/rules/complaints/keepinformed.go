package complaints

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Source 004 §5.9: "Where a response to a complaint will fall outside the timescales set out in this Code, the
// landlord must agree with the resident suitable intervals for keeping them informed about their complaint."
//
// The Code's timescales are the stage's response time and one extension within its limit (§6.3, §6.4, §6.14,
// §6.15). A response falls outside them when the stage is extended beyond the limit (with a good reason): such an
// extension is refused without the intervals agreed (Extend, keepInformed). When a response is simply running late,
// the handler records the intervals with KeepInformed. RULES.md has no rule for §5.9; errors cite the stage's
// rule (CH-4, CH-5) and the section.

// MaxUpdateIntervalDays bounds the interval between updates: a product choice (the Code says "suitable"), so that
// a resident waiting beyond the Code's timescales hears from us at least every 20 working days (about a month).
const MaxUpdateIntervalDays = 20

// UpdatePlan is how often the resident is kept informed while their stage's response is outside the Code's
// timescales, as agreed with them (source 004 §5.9), and when the next update is due. While the stage awaits its
// response, the next update is one of the complaint's deadlines.
type UpdatePlan struct {
	EveryWorkingDays int            `json:"everyWorkingDays" dynamodbav:"everyWorkingDays"`
	AgreedOn         workdays.Date  `json:"agreedOn" dynamodbav:"agreedOn"`
	How              string         `json:"how,omitempty" dynamodbav:"how,omitempty"` // e.g. "a phone call from the handler"
	NextUpdateBy     workdays.Date  `json:"nextUpdateBy" dynamodbav:"nextUpdateBy"`
	Updates          int            `json:"updates" dynamodbav:"updates"` // progress updates sent under the plan
	LastUpdateAt     *time.Time     `json:"lastUpdateAt,omitempty" dynamodbav:"lastUpdateAt,omitempty"`
	AgreedBy         casefile.Actor `json:"agreedBy" dynamodbav:"agreedBy"`
}

// UpdatePlanInput is the intervals agreed with the resident (in an extension's keepInformed, or POST
// .../keep-informed).
type UpdatePlanInput struct {
	EveryWorkingDays int    `json:"everyWorkingDays,omitempty" validate:"omitempty,gte=1,lte=20"`
	AgreedOn         string `json:"agreedOn,omitempty" validate:"omitempty,date"` // YYYY-MM-DD: the day the resident agreed them
	How              string `json:"how,omitempty" validate:"omitempty,max=500"`
}

// check lists the plan's problems under prefix ("keepInformed." or ""): both the interval and the day are needed,
// and the day cannot be in the future or before the stage opened.
func (in UpdatePlanInput) check(add func(field, format string, args ...any), prefix string, s Stage, at time.Time) {
	if in.EveryWorkingDays == 0 {
		add(prefix+"everyWorkingDays", "is required: how often, in working days, the resident agreed to be updated (source 004 §5.9)")
	}
	d, err := workdays.ParseDate(in.AgreedOn)
	switch {
	case in.AgreedOn == "":
		add(prefix+"agreedOn", "is required: the day the resident agreed the intervals (source 004 §5.9)")
	case err != nil: // reported by the validator
	case d.After(workdays.DateOf(at)):
		add(prefix+"agreedOn", "cannot be in the future")
	case d.Before(workdays.DateOf(s.OpenedAt)):
		add(prefix+"agreedOn", "cannot be before the stage was opened (%s)", workdays.DateOf(s.OpenedAt))
	}
}

// plan is the agreed plan, the next update due every working days after the day it was agreed.
func (in UpdatePlanInput) plan(by casefile.Actor) *UpdatePlan {
	agreed, _ := workdays.ParseDate(in.AgreedOn)
	return &UpdatePlan{EveryWorkingDays: in.EveryWorkingDays, AgreedOn: agreed, How: strings.TrimSpace(in.How),
		NextUpdateBy: workdays.AddWorkingDays(agreed, in.EveryWorkingDays), AgreedBy: by}
}

// OutsideTimescales reports whether the stage's response falls outside the Code's timescales on the day of at:
// extended beyond the limit, or not sent by its date (source 004 §5.9).
func (s Stage) OutsideTimescales(at time.Time) bool {
	if s.Extension != nil && s.Extension.BeyondLimit() {
		return true
	}
	if s.RespondedAt != nil {
		return !s.OnTime()
	}
	return !s.RespondBy.IsZero() && workdays.DateOf(at).After(s.RespondBy)
}

// KeepInformedInput records the intervals agreed with the resident, a progress update to them, or both (POST
// .../keep-informed): the update goes to them as a letter, and the next one is due the agreed interval later.
type KeepInformedInput struct {
	UpdatePlanInput
	Progress string   `json:"progress,omitempty" validate:"omitempty,max=5000"` // what has happened since, in plain words
	From     Landlord `json:"-" validate:"-"`
}

// KeepInformed records the intervals for keeping the resident informed about the acknowledged current stage
// (source 004 §5.9), or changes them, and writes to the resident: the intervals, and the progress update when
// there is one. An update alone needs intervals already agreed. Only while the stage awaits its response: once it
// is answered there is nothing to wait for.
func (c *Complaint) KeepInformed(in KeepInformedInput, by casefile.Actor, at time.Time) (Letter, casefile.Event, error) {
	if err := c.inProcedure("record updates"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	if c.Status != StatusAcknowledged {
		return Letter{}, casefile.Event{}, conflict(rule, "Complaint %s is not awaiting a stage response (it is %s): intervals for keeping the resident "+
			"informed are agreed while a response is awaited (source 004 §5.9)", c.Reference, c.Status)
	}
	s := c.Current()
	f := validate.Struct(in)
	planGiven := in.EveryWorkingDays != 0 || in.AgreedOn != "" || in.How != ""
	switch {
	case planGiven || s.UpdatePlan == nil:
		in.UpdatePlanInput.check(f.Add, "", *s, at)
	case strings.TrimSpace(in.Progress) == "":
		f.Add("progress", "is required: give the progress update, or new intervals (everyWorkingDays, agreedOn)")
	}
	if err := f.Err(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	c.own()
	s = c.Current()
	plan := s.UpdatePlan
	if planGiven {
		plan = in.plan(by)
		if s.UpdatePlan != nil {
			plan.Updates, plan.LastUpdateAt = s.UpdatePlan.Updates, s.UpdatePlan.LastUpdateAt
		}
	} else {
		p := *plan
		plan = &p
	}
	update := strings.TrimSpace(in.Progress)
	if update != "" {
		t := at.UTC()
		plan.Updates, plan.LastUpdateAt = plan.Updates+1, &t
		plan.NextUpdateBy = workdays.DeadlineAfter(at, plan.EveryWorkingDays)
	}
	s.UpdatePlan = plan
	letter := keepInformedLetter(*c, *s, update, in.From, at)
	letter = c.addLetter(letter)
	return letter, event(at, by, "keep-informed", rule, map[string]any{"stage": c.Stage, "everyWorkingDays": plan.EveryWorkingDays,
		"agreedOn": plan.AgreedOn.String(), "nextUpdateBy": plan.NextUpdateBy.String(), "updateSent": update != "",
		"outsideTimescales": s.OutsideTimescales(at), "code": "5.9", "letter": letter.onTimeline()}), nil
}

// keepInformedLetter confirms the intervals agreed and gives any progress update (source 004 §5.9).
func keepInformedLetter(c Complaint, s Stage, update string, from Landlord, at time.Time) Letter {
	p := s.UpdatePlan
	d := letterData{Reference: c.Reference, Heading: "Keeping you informed about your complaint"}
	if update != "" {
		d.Paragraphs = append(d.Paragraphs, "Where we are with your stage "+itoa(s.Number)+" complaint: "+update)
	}
	how := ""
	if p.How != "" {
		how = " (" + p.How + ")"
	}
	d.Paragraphs = append(d.Paragraphs,
		"As we agreed with you on "+longDate(p.AgreedOn)+", we will update you at least every "+itoa(p.EveryWorkingDays)+" working days"+how+
			" until we send our response. Your next update will be by "+longDate(p.NextUpdateBy)+".",
		"We will send our response by "+longDate(s.RespondBy)+".")
	d.Blocks = []block{us(from, "If you would like to hear from us more often, or have questions"),
		ombudsman("If you are unhappy about the time this is taking, you can contact the Housing Ombudsman at any time:")}
	return render(LetterKeepInformed, s.Number, "Your complaint "+c.Reference+": keeping you informed", d, at)
}

// updateDeadline is the next update due under the stage's plan while the stage awaits its response (source 004
// §5.9): the handler's, on the stage's team.
func updateDeadline(c Complaint) []casefile.Deadline {
	s := c.Stages[len(c.Stages)-1]
	if c.Status != StatusAcknowledged || s.UpdatePlan == nil {
		return nil
	}
	return []casefile.Deadline{deadline(c, s, "stage"+itoa(s.Number)+"-update", "Update the resident as agreed (source 004 §5.9)", s.UpdatePlan.NextUpdateBy)}
}
