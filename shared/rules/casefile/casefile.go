// Package casefile holds what every case kind (ASB case, complaint, register application) shares: its open
// deadlines and its timeline. Domain packages compute the deadlines a case should have in its current state;
// the store writes the difference in the same transaction as the change (so the deadlines index never drifts).
package casefile

import (
	"time"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Kind is the kind of case a record belongs to.
type Kind string

const (
	ASB         Kind = "asb"
	Complaint   Kind = "complaint"
	Application Kind = "application"
	// SubjectAccess is a request for the personal data held about someone (UK GDPR Art 15), which is a case of
	// its own: it has a due date and an audit trail (shared/rules/subjectaccess).
	SubjectAccess Kind = "subject-access"
)

// Audience says who must act on a deadline, so reminders reach the right people.
type Audience string

const (
	Officer  Audience = "officer"  // the responsible officer (or the team mailbox when unassigned)
	Resident Audience = "resident" // the resident is owed a message (e.g. HR-EM two weeks left)
)

// Deadline is one open deadline of a case (WD-3: a London date, met if the action happens on or before it).
type Deadline struct {
	CaseKind Kind          `json:"caseKind" dynamodbav:"caseKind"`
	CaseRef  string        `json:"caseRef" dynamodbav:"caseRef"`
	Name     string        `json:"name" dynamodbav:"name"` // unique within the case, e.g. "acknowledge", "action:3"
	Due      workdays.Date `json:"due" dynamodbav:"due"`
	Rule     string        `json:"rule" dynamodbav:"rule"`             // RULES.md id that sets it, e.g. "ASB-4"
	Owner    string        `json:"owner,omitempty" dynamodbav:"owner"` // officer id; empty means the team
	Team     string        `json:"team" dynamodbav:"team"`             // e.g. "asb-officer", "complaints-officer"
	Manager  string        `json:"manager" dynamodbav:"manager"`       // group told when overdue
	Audience Audience      `json:"audience" dynamodbav:"audience"`     // who is reminded
	Label    string        `json:"label" dynamodbav:"label"`           // plain-language description
}

// Actor is who does something to a case: a member of staff, known by their stable id (the JWT `sub`) and shown
// by a display name, or a role with no id (the resident, the out-of-hours line, the system). Rules that compare
// people (CH-5) compare ids, never names.
type Actor struct {
	ID   string `json:"id,omitempty" dynamodbav:"id,omitempty"`
	Name string `json:"name" dynamodbav:"name"`
}

// Roles that act without a staff identity.
var (
	ByResident   = Actor{Name: "resident"}
	ByOutOfHours = Actor{Name: "out-of-hours"}
	BySystem     = Actor{Name: "system"}
)

// Same reports whether a and b are the same member of staff (both with an id).
func (a Actor) Same(b Actor) bool { return a.ID != "" && a.ID == b.ID }

// NewEvent is a timeline entry made by an actor.
func NewEvent(at time.Time, by Actor, action, rule string, details map[string]any) Event {
	return Event{At: at.UTC(), Actor: by.Name, ActorID: by.ID, Action: action, Rule: rule, Details: details}
}

// Event is one entry on a case's timeline (CH-9, HR-D): who did what, when. Details must not be logged.
type Event struct {
	At      time.Time      `json:"at" dynamodbav:"at"`
	Actor   string         `json:"actor" dynamodbav:"actor"`                         // display name, or "resident", "system", "out-of-hours"
	ActorID string         `json:"actorId,omitempty" dynamodbav:"actorId,omitempty"` // staff: the stable id (JWT sub)
	Action  string         `json:"action" dynamodbav:"action"`
	Rule    string         `json:"rule,omitempty" dynamodbav:"rule,omitempty"`
	Details map[string]any `json:"details,omitempty" dynamodbav:"details,omitempty"`
}
