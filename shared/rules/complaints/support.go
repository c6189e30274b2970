package complaints

import (
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// MaxReviewMonths bounds how far ahead an adjustment or a restriction may be reviewed: both must be kept under
// review (source §5.10: "active review"; §5.14: "regular review").
const MaxReviewMonths = 6

// Flags shown in the staff list, so a handler sees them before opening the case.
const (
	FlagAdjustments = "reasonable-adjustments" // adjustments agreed (source §5.10)
	FlagRestricted  = "contact-restricted"     // contact restricted for unacceptable behaviour (source §5.14)
)

// Adjustments are the reasonable adjustments agreed with the resident and the disabilities they disclosed (CH-9,
// source §5.10), kept under active review. Every letter's notification carries the agreed adjustments and is sent
// the way agreed: SendBy replaces the resident's preferred channel, and a letter in an alternative Format is handed
// to staff to produce and send, since GOV.UK Notify prints standard letters only (shared/app/notificationsender).
// The record shows them to every handler. Special category data: never on the timeline or in a list entry.
type Adjustments struct {
	Agreed                []string       `json:"agreed" dynamodbav:"agreed"`
	SendBy                string         `json:"sendBy,omitempty" dynamodbav:"sendBy,omitempty"`
	Format                string         `json:"format,omitempty" dynamodbav:"format,omitempty"`
	DisclosedDisabilities string         `json:"disclosedDisabilities,omitempty" dynamodbav:"disclosedDisabilities,omitempty"`
	ReviewOn              workdays.Date  `json:"reviewOn" dynamodbav:"reviewOn"`
	RecordedAt            time.Time      `json:"recordedAt" dynamodbav:"recordedAt"`
	RecordedBy            casefile.Actor `json:"recordedBy" dynamodbav:"recordedBy"`
	Reviews               int            `json:"reviews" dynamodbav:"reviews"` // times recorded again since the first
}

// Alternative formats a letter can be agreed in (source §5.10). GOV.UK Notify cannot produce any of them (its
// letters are printed from a standard template, in standard print), so the notifier hands such a letter to staff.
var Formats = []string{"large-print", "braille", "audio", "easy-read"}

// AdjustmentsInput records or reviews the adjustments (POST .../adjustments); an empty Agreed list records that
// none is needed now (the review date still applies while there are disclosed disabilities). SendBy and Format are
// the adjustments the sending of letters acts on.
type AdjustmentsInput struct {
	Agreed []string `json:"agreed" validate:"max=10,dive,required,max=500"` // e.g. "Letters in large print"
	// SendBy is how every letter is to be sent, whatever the resident's preferred contact: "letter", "email" or "sms".
	SendBy string `json:"sendBy,omitempty" validate:"omitempty,oneof=letter email sms"`
	// Format is the alternative format letters are to be in: large-print, braille, audio or easy-read.
	Format                string `json:"format,omitempty" validate:"omitempty,oneof=large-print braille audio easy-read"`
	DisclosedDisabilities string `json:"disclosedDisabilities,omitempty" validate:"omitempty,max=1000"`
	ReviewOn              string `json:"reviewOn" validate:"required,date"` // YYYY-MM-DD, within MaxReviewMonths
}

// CheckDelivery lists, under sendBy, why letters cannot be sent the way agreed to the resident's contact details
// (source §5.10): by email or text without the address or number, by post without a postal address with a postcode.
func (in AdjustmentsInput) CheckDelivery(to Complainant) error {
	var f apperr.Fields
	switch in.SendBy {
	case contact.Email, contact.SMS:
		to.PreferredContact = in.SendBy
		var g apperr.Fields
		to.CheckReachable(&g, "complainant")
		if g.Err() != nil {
			f.Add("sendBy", "is %s, but the resident's contact details have no %s", in.SendBy, map[string]string{contact.Email: "email address", contact.SMS: "phone number"}[in.SendBy])
		}
	case contact.Letter:
		if _, problem := to.PostalAddress(); problem != "" {
			f.Add("sendBy", "is letter, but a letter to the resident cannot be addressed: %s", problem)
		}
	}
	return f.Err()
}

// RecordAdjustments records (or, again, reviews) the reasonable adjustments and disclosed disabilities, with the
// date of their next review, which becomes a deadline (CH-9, source §5.10).
func (c *Complaint) RecordAdjustments(in AdjustmentsInput, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if c.Status == StatusRefused || c.Status == StatusServiceRequest {
		return casefile.Event{}, c.inProcedure("record adjustments")
	}
	f := validate.Struct(in)
	for i, a := range in.Agreed {
		if a != "" && strings.TrimSpace(a) == "" {
			f.Add("agreed["+strconv.Itoa(i)+"]", "is required")
		}
	}
	reviewCheck(f.Add, "reviewOn", in.ReviewOn, at)
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	c.own()
	review, _ := workdays.ParseDate(in.ReviewOn)
	reviews := 0
	if c.Adjustments != nil {
		reviews = c.Adjustments.Reviews + 1
	}
	c.Adjustments = &Adjustments{Agreed: in.Agreed, SendBy: in.SendBy, Format: in.Format, DisclosedDisabilities: strings.TrimSpace(in.DisclosedDisabilities),
		ReviewOn: review, RecordedAt: at.UTC(), RecordedBy: by, Reviews: reviews}
	c.setFlag(FlagAdjustments, c.Adjustments.any())
	return event(at, by, "adjustments-recorded", "CH-9", map[string]any{"agreed": len(in.Agreed), "disabilitiesDisclosed": c.Adjustments.DisclosedDisabilities != "",
		"sendBy": in.SendBy, "format": in.Format, "reviewOn": review.String(), "review": reviews}), nil
}

// any reports whether an adjustment is agreed.
func (a *Adjustments) any() bool {
	return a != nil && (len(a.Agreed) > 0 || a.SendBy != "" || a.Format != "")
}

// Restriction limits how a resident may contact us because of unacceptable behaviour (source §5.14, §5.15): the
// reasons and evidence, what is restricted (proportionate: how they can still reach us), how the Equality Act
// 2010 was considered, and a review date, which becomes a deadline. Ending one keeps it, with when and why.
type Restriction struct {
	Reasons            string         `json:"reasons" dynamodbav:"reasons"`
	Scope              string         `json:"scope" dynamodbav:"scope"`
	EqualityConsidered string         `json:"equalityConsidered" dynamodbav:"equalityConsidered"`
	ReviewOn           workdays.Date  `json:"reviewOn" dynamodbav:"reviewOn"`
	SetAt              time.Time      `json:"setAt" dynamodbav:"setAt"`
	SetBy              casefile.Actor `json:"setBy" dynamodbav:"setBy"`
	Reviews            int            `json:"reviews" dynamodbav:"reviews"`
	EndedAt            *time.Time     `json:"endedAt,omitempty" dynamodbav:"endedAt,omitempty"`
	EndReason          string         `json:"endReason,omitempty" dynamodbav:"endReason,omitempty"`
}

// Active reports whether the restriction applies.
func (r *Restriction) Active() bool { return r != nil && r.EndedAt == nil }

// RestrictionInput sets, reviews or ends a restriction (POST .../restriction, complaints managers). To set or review:
// reasons, scope, equalityConsidered and reviewOn; to end: end and reasons (why it is lifted).
type RestrictionInput struct {
	Reasons            string `json:"reasons" validate:"required,max=2000"`
	Scope              string `json:"scope,omitempty" validate:"omitempty,max=1000"`
	EqualityConsidered string `json:"equalityConsidered,omitempty" validate:"omitempty,max=1000"`
	ReviewOn           string `json:"reviewOn,omitempty" validate:"omitempty,date"`
	End                bool   `json:"end,omitempty"`
}

// Restrict sets, reviews or ends the restriction on contact (source §5.14, §5.15). Setting one needs its scope, the
// Equality Act consideration and a review within MaxReviewMonths; ending one needs one in force.
func (c *Complaint) Restrict(in RestrictionInput, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if c.Status == StatusRefused || c.Status == StatusServiceRequest {
		return casefile.Event{}, c.inProcedure("record a restriction")
	}
	if in.End && !c.Restriction.Active() {
		return casefile.Event{}, conflict("CH-9", "Complaint %s has no restriction in force to end", c.Reference)
	}
	f := validate.Struct(in)
	if !in.End {
		if strings.TrimSpace(in.Scope) == "" {
			f.Add("scope", "is required: what contact is restricted, and how the resident can still reach us (source 004 §5.15)")
		}
		if strings.TrimSpace(in.EqualityConsidered) == "" {
			f.Add("equalityConsidered", "is required: how the Equality Act 2010 was considered (source 004 §5.15)")
		}
		if in.ReviewOn == "" {
			f.Add("reviewOn", "is required: a restriction is kept under review (source 004 §5.14)")
		}
		reviewCheck(f.Add, "reviewOn", in.ReviewOn, at)
	}
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	c.own()
	if in.End {
		r, t := *c.Restriction, at.UTC()
		r.EndedAt, r.EndReason = &t, strings.TrimSpace(in.Reasons)
		c.Restriction = &r
		c.setFlag(FlagRestricted, false)
		return event(at, by, "restriction-ended", "CH-9", map[string]any{"reason": r.EndReason}), nil
	}
	review, _ := workdays.ParseDate(in.ReviewOn)
	reviews := 0
	if c.Restriction.Active() {
		reviews = c.Restriction.Reviews + 1
	}
	c.Restriction = &Restriction{Reasons: strings.TrimSpace(in.Reasons), Scope: strings.TrimSpace(in.Scope), EqualityConsidered: strings.TrimSpace(in.EqualityConsidered),
		ReviewOn: review, SetAt: at.UTC(), SetBy: by, Reviews: reviews}
	c.setFlag(FlagRestricted, true)
	return event(at, by, "restriction-set", "CH-9", map[string]any{"reasons": c.Restriction.Reasons, "scope": c.Restriction.Scope,
		"reviewOn": review.String(), "review": reviews}), nil
}

// reviewCheck reports a review date in the past or further than MaxReviewMonths ahead.
func reviewCheck(add func(field, format string, args ...any), field, value string, at time.Time) {
	d, err := workdays.ParseDate(value)
	if err != nil {
		return // reported by the validator
	}
	today := workdays.DateOf(at)
	switch {
	case !d.After(today):
		add(field, "must be after today")
	case d.After(today.AddMonths(MaxReviewMonths)):
		add(field, "must be within %d months: keep it under review", MaxReviewMonths)
	}
}

// setFlag adds or removes a flag.
func (c *Complaint) setFlag(flag string, on bool) {
	var out []string
	for _, f := range c.Flags {
		if f != flag {
			out = append(out, f)
		}
	}
	if on {
		out = append(out, flag)
	}
	c.Flags = append([]string{}, out...)
}

// reviewDeadlines are the reviews of the adjustments and of a restriction in force, while the complaint is open
// or has something still to do (source §5.10, §5.14). They belong to the complaints team (managers: a restriction).
func reviewDeadlines(c Complaint) []casefile.Deadline {
	if c.Status == StatusClosed && len(c.OpenItems()) == 0 {
		return nil
	}
	var out []casefile.Deadline
	if a := c.Adjustments; a.any() || (a != nil && a.DisclosedDisabilities != "") {
		out = append(out, casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: c.Reference, Name: "adjustments-review", Due: a.ReviewOn, Rule: "CH-9",
			Owner: a.RecordedBy.ID, Team: OfficerGroup, Manager: ManagerGroup, Audience: casefile.Officer, Label: "Review the reasonable adjustments"})
	}
	if r := c.Restriction; r.Active() {
		out = append(out, casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: c.Reference, Name: "restriction-review", Due: r.ReviewOn, Rule: "CH-9",
			Owner: r.SetBy.ID, Team: ManagerGroup, Manager: ManagerGroup, Audience: casefile.Officer, Label: "Review the restriction on contact"})
	}
	return out
}
