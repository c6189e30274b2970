// Package notification is the message on the notifications queue: who to tell what, about which case. The
// ASB, complaints and register functions and the deadline reminders produce it; the notifier consumes it,
// chooses the GOV.UK Notify template and channel, sends, and records the sending on the case timeline.
package notification

import (
	"net/url"
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
	ReminderDigest        = "reminder-digest" // a member of staff's or a mailbox's reminders of the day, in one email
	EmergencyTwoWeeksLeft = "emergency-two-weeks-left"
	ASBDutyAlert          = "asb-duty-alert" // the duty officer, at once, by email and text: a high-risk or crime-in-progress report (ASB-4, ASB-6)
	QueueMessageType      = "notification"
	// ResidentSignInCode is a one-time code to check progress (shared/app/residentaccess), by email or text to
	// the contact the resident typed; recorded on the case's timeline like any message, never with the code.
	ResidentSignInCode = "resident-sign-in-code"
	// Keeping a named ASB reporter informed (source 002: "ensure reporters are kept updated"), never an anonymous
	// one (ASB-2): the appointment offered (ASB-3), the action plan agreed (ASB-5), each review of the risk
	// assessment (ASB-5), a case review's outcome (ASB-7), and the closure with the satisfaction survey (ASB-9).
	ASBAppointment       = "asb-appointment"
	ASBActionPlan        = "asb-action-plan"
	ASBReview            = "asb-review"
	ASBCaseReviewOutcome = "asb-case-review-outcome"
	ASBCaseClosed        = "asb-case-closed"
)

// ASBReporterUpdates are the templates that keep an ASB reporter informed after the acknowledgement.
var ASBReporterUpdates = []string{ASBAppointment, ASBActionPlan, ASBReview, ASBCaseReviewOutcome, ASBCaseClosed}

// Role says who the recipient is, for the timeline and for choosing a template.
type Role string

const (
	Resident Role = "resident"
	Officer  Role = "officer"
	Team     Role = "team"
	Manager  Role = "manager"
	Duty     Role = "duty-officer" // the duty officer's mailbox and mobile (mailboxes.dutyOfficer, mailboxes.dutyOfficerPhone)
	Partner  Role = "partner"      // an ASB-6 referral's partner mailbox (mailboxes.partners; shared/app/referralsender)
)

// SignInPath is the resident pages' check-progress link for a record: it fills in the reference on the sign-in
// page and grants nothing on its own (the resident still proves their contact with a one-time code). Messages to
// residents about a new record carry it as "sign_in_path"; the council's Notify template puts the site's address
// (the stack's SiteUrl output) before it.
func SignInPath(ref string) string { return "/progress/sign-in?ref=" + url.QueryEscape(ref) }

// SurveyPagePath is the resident pages' satisfaction survey of a closed ASB case (ASB-9): a form on the record's
// check-progress page (its "survey" section), for the signed-in resident; signed out, the page asks them to sign in
// first. Messages carry it as "survey_path" (asb-case-closed), the site's address before it like sign_in_path.
func SurveyPagePath(ref string) string { return "/progress/" + url.PathEscape(ref) + "#survey" }

// Recipient is a person or mailbox. Residents choose their channel and language; officers get email.
type Recipient struct {
	Role             Role   `json:"role"`
	Email            string `json:"email,omitempty"`
	Phone            string `json:"phone,omitempty"`
	PreferredContact string `json:"preferredContact,omitempty"` // email | sms | phone | letter
	Language         string `json:"language,omitempty"`         // e.g. "en", "cy"; English when empty or unknown
	// Residents who prefer letters: how the letter is addressed (contact.Details.PostalAddress). Carried only for
	// them, as email and phone are for the others.
	Name     string `json:"name,omitempty"`
	Address  string `json:"address,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	// Format is an alternative format agreed as a reasonable adjustment (large-print, braille, audio, easy-read;
	// source 004 §5.10). GOV.UK Notify cannot produce any of them, so the notifier sends nothing and hands the
	// message to staff on the case timeline instead.
	Format string `json:"format,omitempty"`
}

// PostalDetails are the recipient's postal address as contact details (for contact.Details.PostalAddress).
func (r Recipient) PostalDetails() contact.Details {
	return contact.Details{Name: r.Name, Address: r.Address, Postcode: r.Postcode}
}

// Request asks for one notification: about one case (CaseKind and CaseRef, recorded on the case's timeline), or a
// staff digest (Digest, about many cases, recorded under its recipient's key).
type Request struct {
	ID              string            `json:"id"` // unique and stable: repeats are sent once
	Template        string            `json:"template"`
	CaseKind        casefile.Kind     `json:"caseKind,omitempty"`
	CaseRef         string            `json:"caseRef,omitempty"`
	To              Recipient         `json:"to"`
	Personalisation map[string]string `json:"personalisation"`
	RequestedAt     time.Time         `json:"requestedAt"`
	Digest          *Digest           `json:"digest,omitempty"`
}

// Digest says what a staff digest covers: one recipient's reminders of one day. The items it lists are in the
// request's personalisation (one line each, capped per section), which the notifier records as sent.
type Digest struct {
	Day       string       `json:"day"`       // the London day of the run, e.g. "2026-11-27"
	Recipient string       `json:"recipient"` // the recipient's key (a hash of the address: ids and keys never carry it)
	Counts    DigestCounts `json:"counts"`    // every item, listed or not
}

// DigestCounts are a digest's totals per section.
type DigestCounts struct {
	Overdue  int `json:"overdue"`
	DueToday int `json:"dueToday"`
	DueSoon  int `json:"dueSoon"`
}

// Valid says whether the request names what it is about: a case, or a digest's day and recipient.
func (r Request) Valid() bool {
	if r.ID == "" || r.Template == "" {
		return false
	}
	if r.Digest != nil {
		return r.Digest.Day != "" && r.Digest.Recipient != ""
	}
	return r.CaseKind != "" && r.CaseRef != ""
}

// ToResident is the recipient for a resident's contact details (their preferred channel and language; their
// name and postal address when they prefer letters).
func ToResident(d contact.Details) Recipient {
	r := Recipient{Role: Resident, Email: d.Email, Phone: d.Phone, PreferredContact: d.Channel(), Language: d.Language}
	if r.PreferredContact == contact.Letter {
		r.Name, r.Address, r.Postcode = d.Name, d.Address, d.Postcode
	}
	return r
}

// ToResidentAdjusted is the recipient for a resident with reasonable adjustments agreed (source 004 §5.10):
// sendBy (letter, email, sms; "" for none) replaces their preferred channel, with their postal address for
// letters, and format asks for an alternative format (Recipient.Format).
func ToResidentAdjusted(d contact.Details, sendBy, format string) Recipient {
	if sendBy != "" {
		d.PreferredContact = sendBy
	}
	r := ToResident(d)
	r.Format = format
	return r
}

// Message is the request as an outbox message for the notifications queue.
func (r Request) Message() (casework.Message, error) {
	return casework.NewMessage(r.ID, catalog.NotificationsQueue, QueueMessageType, r, r.RequestedAt)
}
