// Package reminders decides which deadline reminders to send on a morning (plan.go) and groups them into one
// digest per staff address (digest.go), both pure, and runs the decision against the deadlines index, the
// once-a-day claims and the notifications queue through small interfaces, in batches (run.go), with their
// DynamoDB implementation in shared/adapters/dynamo (reminders.go, digests.go).
package reminders

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Kinds of reminder. Each deadline gets at most one reminder of each kind a day.
const (
	DueSoon        = "due-soon"        // due on the next working day (or a non-working day before it): the officer
	DueToday       = "due-today"       // due today: the officer
	Overdue        = "overdue"         // due before today and still open: the officer...
	OverdueManager = "overdue-manager" // ...and their manager's group (complaints: the complaints manager, CH-4/CH-5)
	ResidentNote   = "resident"        // a message the resident is owed on the day (HR-EM: two weeks of six left)
)

// Reminder is one item to tell someone: a line of a staff digest, or a resident's message.
type Reminder struct {
	ID       string // <caseKind>#<caseRef>#<deadlineName>#<kind>#<today>: the same deadline, kind and day, the same id
	Kind     string
	Deadline casefile.Deadline
	To       notification.Recipient // for ResidentNote only the role: the address is read from the case's CONTACT item
}

// Window is what a morning's run covers: open deadlines due on or before Until (overdue ones included), and the
// resident messages due after Since.
type Window struct {
	Today workdays.Date
	Until workdays.Date // the next working day: the query reads every open deadline due on or before it
	Since workdays.Date // the previous working day: resident messages due in (Since, Today] are sent today
	Skip  bool          // nothing is sent today
	Why   string        // why not
}

// WindowFor decides the window for a run on today: nothing on weekends and bank holidays (WD-1); otherwise
// everything due up to the next working day.
func WindowFor(today workdays.Date) Window {
	if !workdays.IsWorkingDay(today) {
		why := "a weekend"
		if name, ok := workdays.BankHoliday(today); ok {
			why = "a bank holiday (" + name + ")"
		}
		return Window{Today: today, Skip: true, Why: today.String() + " is " + why + ": no reminders (WD-1)"}
	}
	return Window{Today: today, Until: workdays.NextWorkingDay(today), Since: previousWorkingDay(today)}
}

func previousWorkingDay(d workdays.Date) workdays.Date {
	for d = d.AddDays(-1); !workdays.IsWorkingDay(d); d = d.AddDays(-1) {
	}
	return d
}

// Mailboxes maps a team, a manager group or an officer id to an email address (TEAM_MAILBOXES). An officer id
// with no entry falls back to the team's mailbox.
type Mailboxes map[string]string

// Plan turns the open deadlines the morning's query read into reminders.
func Plan(w Window, deadlines []casefile.Deadline, boxes Mailboxes) []Reminder {
	if w.Skip {
		return nil
	}
	var out []Reminder
	add := func(d casefile.Deadline, kind string, to notification.Recipient) {
		out = append(out, Reminder{ID: ReminderID(d, kind, w.Today), Kind: kind, Deadline: d, To: to})
	}
	for _, d := range deadlines {
		switch {
		case d.Due.After(w.Until):
			// not due yet (the query never returns these; a caller's list might)
		case d.Audience == casefile.Resident:
			// HR-EM: told on the day, once. A date on a weekend or bank holiday is told on the next working day;
			// a resident message is never repeated on later days, unlike an officer's overdue reminder.
			if d.Due.After(w.Since) && !d.Due.After(w.Today) {
				add(d, ResidentNote, notification.Recipient{Role: notification.Resident})
			}
		case d.Due.Before(w.Today):
			add(d, Overdue, officer(d, boxes))
			add(d, OverdueManager, mailbox(notification.Manager, boxes[d.Manager]))
		case d.Due == w.Today:
			add(d, DueToday, officer(d, boxes))
		default:
			add(d, DueSoon, officer(d, boxes))
		}
	}
	return out
}

// ReminderID is the reminder's idempotency key: <caseKind>#<caseRef>#<deadlineName>#<kind>#<today>.
func ReminderID(d casefile.Deadline, kind string, today workdays.Date) string {
	return strings.Join([]string{string(d.CaseKind), d.CaseRef, d.Name, kind, today.String()}, "#")
}

// officer is the responsible officer (an email address as owner, or an officer id listed in the mailboxes), else
// the team's mailbox: an unassigned deadline, or an officer whose address we do not know.
func officer(d casefile.Deadline, boxes Mailboxes) notification.Recipient {
	switch {
	case strings.Contains(d.Owner, "@"):
		return mailbox(notification.Officer, d.Owner)
	case d.Owner != "" && boxes[d.Owner] != "":
		return mailbox(notification.Officer, boxes[d.Owner])
	}
	return mailbox(notification.Team, boxes[d.Team])
}

func mailbox(role notification.Role, address string) notification.Recipient {
	return notification.Recipient{Role: role, Email: address, PreferredContact: "email"}
}

// ResidentRequest is a resident's reminder as its own notification request, to the address read from the
// case's contact (to). Its text needs the deadline and its date, never the staff detail (who holds the case).
// The one resident reminder is HR-EM's (two weeks of Emergency status left), hence its template.
func ResidentRequest(r Reminder, to notification.Recipient, at time.Time) notification.Request {
	d := r.Deadline
	return notification.Request{ID: r.ID, Template: notification.EmergencyTwoWeeksLeft, CaseKind: d.CaseKind, CaseRef: d.CaseRef, To: to,
		Personalisation: map[string]string{"reference": d.CaseRef, "case_kind": string(d.CaseKind), "deadline": d.Label, "due": d.Due.String(), "rule": d.Rule},
		RequestedAt:     at.UTC()}
}
