// Package retention is the rules of keeping personal data no longer than needed (UK GDPR Art 5(1)(e)): the
// retention schedule (how long each kind of record is kept after it ended, with the reason), when a record's
// period has ended, and whether a person's request to erase their data (Art 17) is granted or refused, with the
// article and the schedule entry that allow a refusal. Pure: inputs in, decision with reasons out.
package retention

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/validate"
)

// Articles cited in decisions.
const (
	RuleStorageLimitation = "UK GDPR Art 5(1)(e)"  // kept no longer than necessary: the retention schedule
	RuleErasure           = "UK GDPR Art 17(1)"    // erased on request when no exemption applies
	RulePublicTask        = "UK GDPR Art 17(3)(b)" // needed for a legal obligation or a task in the public interest
	RuleLegalClaims       = "UK GDPR Art 17(3)(e)" // needed to establish, exercise or defend legal claims
	RuleRectification     = "UK GDPR Art 16"
)

// Outcomes a record ends with, by which its period is chosen.
const (
	OutcomeClosed = "closed" // an ASB case closed, a complaint's procedure ended, an application closed unhoused
	OutcomeHoused = "housed" // an application closed because the applicant was housed
	// OutcomeMerged: an ASB case merged into another (ASB-9); its report and reporter live on in that case.
	OutcomeMerged = "merged"
	// OutcomeRefused: an application decided ineligible (HR-E1) or not qualifying (HR-E2), never closed.
	OutcomeRefused = "refused"
)

// OmbudsmanWindow is how long after a complaint's procedure ends the resident can take it to the Housing
// Ombudsman (12 months, Housing Ombudsman Scheme para 42(c)): erasure is refused until then.
const OmbudsmanWindow = 12

// Period is an ISO 8601 period of years, months and days (P6Y, P18M, P2Y6M).
type Period struct{ Years, Months, Days int }

// periodPattern is compiled on first use, not at package init: every function with the DynamoDB adapter links
// this package (the stores keep the ended lists), few parse a period (issue 10's cold start).
var periodPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^P(?:(\d{1,3})Y)?(?:(\d{1,4})M)?(?:(\d{1,5})D)?$`)
})

// ParsePeriod reads an ISO 8601 period of years, months and days; an empty or zero period is an error (a
// record is never erased the day it ends by mistake of configuration).
func ParsePeriod(s string) (Period, error) {
	m := periodPattern().FindStringSubmatch(s)
	if m == nil || s == "P" {
		return Period{}, fmt.Errorf("%q is not an ISO 8601 period of years, months and days (e.g. P6Y)", s)
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	p := Period{n(1), n(2), n(3)}
	if p == (Period{}) {
		return Period{}, fmt.Errorf("%q is an empty period", s)
	}
	return p, nil
}

// After is the instant the period ends when it starts at t.
func (p Period) After(t time.Time) time.Time { return t.AddDate(p.Years, p.Months, p.Days) }

// Before is the instant the period starts when it ends at t: records that ended at or before it may be due.
func (p Period) Before(t time.Time) time.Time { return t.AddDate(-p.Years, -p.Months, -p.Days) }

func (p Period) String() string {
	s := "P"
	for _, x := range []struct {
		n    int
		unit string
	}{{p.Years, "Y"}, {p.Months, "M"}, {p.Days, "D"}} {
		if x.n != 0 {
			s += strconv.Itoa(x.n) + x.unit
		}
	}
	return s
}

// Entry is one line of the retention schedule: a kind of record ending with an outcome, kept for Period after it
// ended, for Reason. Name is the setting that configures it (e.g. "retention.asbCaseClosed").
type Entry struct {
	Name    string        `json:"name"`
	Kind    casefile.Kind `json:"kind"`
	Outcome string        `json:"outcome"`
	Period  Period        `json:"-"`
	Reason  string        `json:"reason"`
}

// Schedule is the retention schedule: one entry per kind and outcome.
type Schedule []Entry

// For is the schedule's entry for a kind and outcome (false when the schedule has none: such records are kept).
func (s Schedule) For(kind casefile.Kind, outcome string) (Entry, bool) {
	for _, e := range s {
		if e.Kind == kind && e.Outcome == outcome {
			return e, true
		}
	}
	return Entry{}, false
}

// Ended is a record that has ended: its kind, reference, outcome and when it ended.
type Ended struct {
	Kind    casefile.Kind `json:"kind"`
	Ref     string        `json:"reference"`
	Outcome string        `json:"outcome"`
	At      time.Time     `json:"endedAt"`
}

// Decision says whether an ended record's period is over, under which entry, and why it was kept that long.
type Decision struct {
	Due    bool
	Entry  Entry
	DueAt  time.Time // when its period ends
	Rule   string
	Reason string
}

// Decide is whether the record's personal data is due for anonymising at now: its period has ended when
// At + Period <= now. A record whose kind and outcome the schedule does not list is never due.
func (s Schedule) Decide(e Ended, now time.Time) Decision {
	entry, ok := s.For(e.Kind, e.Outcome)
	if !ok {
		return Decision{Rule: RuleStorageLimitation, Reason: fmt.Sprintf("The retention schedule has no entry for a %s ended %s: it is kept.", e.Kind, e.Outcome)}
	}
	due := entry.Period.After(e.At)
	d := Decision{Due: !due.After(now), Entry: entry, DueAt: due, Rule: RuleStorageLimitation}
	if d.Due {
		d.Reason = fmt.Sprintf("%s %s ended %s on %s; %s (%s) ended on %s: %s.", e.Kind, e.Ref, e.Outcome, e.At.UTC().Format(time.DateOnly),
			entry.Name, entry.Period, due.UTC().Format(time.DateOnly), entry.Reason)
	} else {
		d.Reason = fmt.Sprintf("%s %s is kept until %s (%s, %s): %s.", e.Kind, e.Ref, due.UTC().Format(time.DateOnly), entry.Name, entry.Period, entry.Reason)
	}
	return d
}

// ASBEnded is when an ASB case ended: its closure, or its merge into another case (ASB-9: its report and
// reporter were copied into that case as a further incident, which that case keeps for its own period).
func ASBEnded(c asb.Case) (Ended, bool) {
	switch {
	case c.Status == asb.StatusClosed && c.ClosedAt != nil:
		return Ended{Kind: casefile.ASB, Ref: c.Reference, Outcome: OutcomeClosed, At: c.ClosedAt.UTC()}, true
	case c.Status == asb.StatusMerged && c.MergedAt != nil:
		return Ended{Kind: casefile.ASB, Ref: c.Reference, Outcome: OutcomeMerged, At: c.MergedAt.UTC()}, true
	}
	return Ended{}, false
}

// ComplaintEnded is when a complaint's procedure ended: its final (stage 2) response, its refusal under an
// exclusion (CH-2), or, for a stage 1 response not escalated, the end of its escalation window (escalating later
// brings it back into the procedure, and out of the ended list).
func ComplaintEnded(c complaints.Complaint) (Ended, bool) {
	at := time.Time{}
	switch c.Status {
	case complaints.StatusClosed:
		if n := len(c.Stages); n > 0 && c.Stages[n-1].RespondedAt != nil {
			at = *c.Stages[n-1].RespondedAt
		}
	case complaints.StatusRefused:
		if c.Refusal != nil {
			at = c.Refusal.At
		}
	case complaints.StatusResponded:
		if !c.EscalateBy.IsZero() {
			at = c.EscalateBy.AddDays(1).StartOfDay()
		}
	}
	if at.IsZero() {
		return Ended{}, false
	}
	return Ended{Kind: casefile.Complaint, Ref: c.Reference, Outcome: OutcomeClosed, At: at.UTC()}, true
}

// ApplicationEnded is when a register application ended: its closure or removal, housed or not, or the decision
// that it is ineligible (HR-E1) or not qualifying (HR-E2), as it stands (a change or a review that makes it
// qualify again means it has not ended).
func ApplicationEnded(r register.Record) (Ended, bool) {
	cl := r.Council.Closure
	if cl == nil && r.Decision.Refused() && r.Decision.StatusSince != nil {
		return Ended{Kind: casefile.Application, Ref: r.Reference, Outcome: OutcomeRefused, At: r.Decision.StatusSince.UTC()}, true
	}
	if cl == nil || cl.ClosedOn.IsZero() {
		return Ended{}, false
	}
	outcome := OutcomeClosed
	if cl.Reason == register.ClosedHoused {
		outcome = OutcomeHoused
	}
	return Ended{Kind: casefile.Application, Ref: r.Reference, Outcome: outcome, At: cl.ClosedOn.StartOfDay().UTC()}, true
}

// Holding is what the erasure rules need to know of one record about the requester.
type Holding struct {
	Kind casefile.Kind
	Ref  string
	// Ended is set when the record has ended (ASBEnded, ComplaintEnded, ApplicationEnded).
	Ended *Ended
	// Safeguarding: an ASB case with a safeguarding referral (ASB-6).
	Safeguarding bool
}

// HoldingOfASB, HoldingOfComplaint and HoldingOfApplication describe a loaded record for ErasureOf.
func HoldingOfASB(c asb.Case) Holding {
	h := Holding{Kind: casefile.ASB, Ref: c.Reference}
	if e, ok := ASBEnded(c); ok {
		h.Ended = &e
	}
	for _, r := range c.Referrals {
		h.Safeguarding = h.Safeguarding || r.Kind == "safeguarding"
	}
	return h
}

func HoldingOfComplaint(c complaints.Complaint) Holding {
	h := Holding{Kind: casefile.Complaint, Ref: c.Reference}
	if e, ok := ComplaintEnded(c); ok {
		h.Ended = &e
	}
	return h
}

func HoldingOfApplication(r register.Record) Holding {
	h := Holding{Kind: casefile.Application, Ref: r.Reference}
	if e, ok := ApplicationEnded(r); ok {
		h.Ended = &e
	}
	return h
}

// Erasure is the decision on erasing one record at the requester's request.
type Erasure struct {
	Erase  bool   `json:"erase"`
	Rule   string `json:"rule"`
	Entry  string `json:"entry,omitempty"` // the retention entry that keeps it, when refused
	Reason string `json:"reason"`
}

// ErasureOf decides a request to erase one record (Art 17). It is refused while the council still needs the
// record for its duties (an open ASB case, a complaint still in the procedure, an application still on the
// register: Art 17(3)(b)), for an ASB case with a safeguarding referral until its retention period ends
// (Art 17(3)(b): the safeguarding duty outlives the case), and for a complaint within the Ombudsman's 12-month
// window (Art 17(3)(e)). Otherwise it is granted (Art 17(1)(a): no longer necessary).
func (s Schedule) ErasureOf(h Holding, now time.Time) Erasure {
	entryName := func(outcome string) string {
		if e, ok := s.For(h.Kind, outcome); ok {
			return e.Name
		}
		return ""
	}
	switch {
	case h.Ended == nil && h.Kind == casefile.ASB:
		return Erasure{Rule: RulePublicTask, Entry: entryName(OutcomeClosed), Reason: fmt.Sprintf(
			"ASB case %s is open: the council needs it for its anti-social behaviour duties (Anti-social Behaviour, Crime and Policing Act 2014). Erasure can be asked again once it is closed.", h.Ref)}
	case h.Ended == nil && h.Kind == casefile.Complaint:
		return Erasure{Rule: RulePublicTask, Entry: entryName(OutcomeClosed), Reason: fmt.Sprintf(
			"Complaint %s is still in the complaints procedure (Housing Ombudsman's Complaint Handling Code).", h.Ref)}
	case h.Ended == nil && h.Kind == casefile.Application:
		return Erasure{Rule: RulePublicTask, Entry: entryName(OutcomeClosed), Reason: fmt.Sprintf(
			"Application %s is active on the housing register (Housing Act 1996 Part 6): it can be withdrawn (closed) first.", h.Ref)}
	case h.Ended == nil:
		return Erasure{Rule: RulePublicTask, Reason: fmt.Sprintf("%s has not ended.", h.Ref)}
	}
	d := s.Decide(*h.Ended, now)
	switch {
	case h.Kind == casefile.ASB && h.Safeguarding && !d.Due:
		return Erasure{Rule: RulePublicTask, Entry: d.Entry.Name, Reason: fmt.Sprintf(
			"ASB case %s led to a safeguarding referral (ASB-6): it is kept until %s (%s) for the safeguarding duty and any claim about it.",
			h.Ref, d.DueAt.UTC().Format(time.DateOnly), d.Entry.Name)}
	case h.Kind == casefile.Complaint && now.Before(h.Ended.At.AddDate(0, OmbudsmanWindow, 0)):
		return Erasure{Rule: RuleLegalClaims, Entry: d.Entry.Name, Reason: fmt.Sprintf(
			"Complaint %s can still be taken to the Housing Ombudsman until %s (12 months after the procedure ended).",
			h.Ref, h.Ended.At.AddDate(0, OmbudsmanWindow, 0).UTC().Format(time.DateOnly))}
	}
	return Erasure{Erase: true, Rule: RuleErasure, Entry: d.Entry.Name, Reason: fmt.Sprintf(
		"%s %s has ended and no exemption applies: erased on request.", h.Kind, h.Ref)}
}

// Contact fields a person can have rectified (Art 16): the contact details every record kind keeps alike.
const (
	FieldName    = "name"
	FieldEmail   = "email"
	FieldPhone   = "phone"
	FieldAddress = "address"
)

// Rectification is POST /subject-access-requests/{reference}/rectification: one contact detail of one of the
// requester's records, its corrected value and why.
type Rectification struct {
	Record string `json:"record" validate:"required,max=20"`
	Field  string `json:"field" validate:"required,oneof=name email phone address"`
	Value  string `json:"value" validate:"required,max=300"`
	Reason string `json:"reason" validate:"required,max=500"`
}

// Check lists every problem with the value as the field it is for (400), with the same checks as the contact
// details given when a record is made: an email address, a UK phone number, a name of at most 200 characters.
func (r Rectification) Check() apperr.Fields {
	if strings.TrimSpace(r.Value) == "" {
		return nil // "value" is required: Struct says so
	}
	switch r.Field {
	case FieldEmail:
		return validate.Struct(struct {
			Value string `json:"value" validate:"email,max=254"`
		}{r.Value})
	case FieldPhone:
		return validate.Struct(struct {
			Value string `json:"value" validate:"ukphone"`
		}{r.Value})
	case FieldName:
		return validate.Struct(struct {
			Value string `json:"value" validate:"max=200"`
		}{r.Value})
	}
	return nil
}

// ErasureInput is POST /subject-access-requests/{reference}/erasure: why the person asks (Art 17(1)) and,
// optionally, which of their records (all of them when none is named).
type ErasureInput struct {
	Grounds    string   `json:"grounds" validate:"required,max=1000"`
	References []string `json:"references,omitempty" validate:"omitempty,max=20,dive,max=20"`
}
