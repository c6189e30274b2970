// Package notification is the message on the notifications queue: who to tell what, about which case. The
// ASB, complaints and register functions and the deadline reminders produce it; the notifier consumes it,
// chooses the GOV.UK Notify template and channel, sends, and records the sending on the case timeline.
package notification

import (
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
)

// Templates: logical names; the notifier maps name + language + channel to a Notify template id.
const (
	ASBReportReceived     = "asb-report-received"
	ComplaintReceived     = "complaint-received"
	ComplaintEscalated    = "complaint-escalated"
	ComplaintLetter       = "complaint-letter"
	ApplicationDecision   = "application-decision"
	ReminderDueSoon       = "reminder-due-soon"
	ReminderDueToday      = "reminder-due-today"
	ReminderOverdue       = "reminder-overdue"
	EmergencyTwoWeeksLeft = "emergency-two-weeks-left"
	QueueMessageType      = "notification"
)

// Role says who the recipient is, for the timeline and for choosing a template.
type Role string

const (
	Resident Role = "resident"
	Officer  Role = "officer"
	Team     Role = "team"
	Manager  Role = "manager"
)

// Recipient is a person or mailbox. Residents choose their channel and language; officers get email.
type Recipient struct {
	Role             Role   `json:"role"`
	Email            string `json:"email,omitempty"`
	Phone            string `json:"phone,omitempty"`
	PreferredContact string `json:"preferredContact,omitempty"` // email | sms | phone | letter
	Language         string `json:"language,omitempty"`         // e.g. "en", "cy"; English when empty or unknown
}

// Request asks for one notification.
type Request struct {
	ID              string            `json:"id"` // unique and stable: repeats are sent once
	Template        string            `json:"template"`
	CaseKind        casefile.Kind     `json:"caseKind"`
	CaseRef         string            `json:"caseRef"`
	To              Recipient         `json:"to"`
	Personalisation map[string]string `json:"personalisation"`
	RequestedAt     time.Time         `json:"requestedAt"`
}

// ToResident is the recipient for a resident's contact details (their preferred channel and language).
func ToResident(d contact.Details) Recipient {
	return Recipient{Role: Resident, Email: d.Email, Phone: d.Phone, PreferredContact: d.Channel(), Language: d.Language}
}

// Message is the request as an outbox message for the notifications queue.
func (r Request) Message() (casework.Message, error) {
	return casework.NewMessage(r.ID, catalog.NotificationsQueue, QueueMessageType, r, r.RequestedAt)
}
