// Package casefile holds what every case kind (ASB case, complaint, register application) shares: its open
// deadlines and its timeline. Domain packages compute the deadlines a case should have in its current state;
// the store writes the difference in the same transaction as the change (so the deadlines index never drifts).
package casefile

import (
	"time"

	"github.com/councilhousing/backend/shared/workdays"
)

// Kind is the kind of case a record belongs to.
type Kind string

const (
	ASB         Kind = "asb"
	Complaint   Kind = "complaint"
	Application Kind = "application"
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

// Event is one entry on a case's timeline (CH-9, HR-D): who did what, when. Details must not be logged.
type Event struct {
	At      time.Time      `json:"at" dynamodbav:"at"`
	Actor   string         `json:"actor" dynamodbav:"actor"` // staff subject, "resident", "system" or "out-of-hours"
	Action  string         `json:"action" dynamodbav:"action"`
	Rule    string         `json:"rule,omitempty" dynamodbav:"rule,omitempty"`
	Details map[string]any `json:"details,omitempty" dynamodbav:"details,omitempty"`
}
