// Package reminders decides which deadline reminders to send on a morning (pure), and runs the decision
// against the deadlines index and the notifications queue (run.go).
package reminders

import (
	"fmt"
	"strings"

	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/notification"
	"github.com/councilhousing/backend/shared/workdays"
)

// Kinds of reminder.
const (
	DueSoon      = "due-soon"  // due on the next working day (or a non-working day before it)
	DueToday     = "due-today" //
	Overdue      = "overdue"   // due before today and still open
	ResidentNote = "resident"  // a message the resident is owed on the day (HR-EM: two weeks left)
)

// Reminder is one message to send.
type Reminder struct {
	ID       string // stable: the same deadline, kind and day always give the same id
	Kind     string
	Deadline casefile.Deadline
	To       notification.Recipient
}

// Window is what the morning's query reads: open deadlines due on or before Until (overdue ones included).
type Window struct {
	Today, Until workdays.Date
	Skip         bool   // nothing is sent today
	Why          string // why not
}

// WindowFor decides the window for a run at today: nothing on weekends and bank holidays (WD-1); otherwise
// everything due up to the next working day.
func WindowFor(today workdays.Date) Window {
	if !workdays.IsWorkingDay(today) {
		why := "a weekend"
		if name, ok := workdays.BankHoliday(today); ok {
			why = "a bank holiday (" + name + ")"
		}
		return Window{Today: today, Skip: true, Why: today.String() + " is " + why + ": no reminders (WD-1)"}
	}
	return Window{Today: today, Until: workdays.NextWorkingDay(today)}
}

// Mailboxes maps a team or manager group to its shared mailbox.
type Mailboxes map[string]string

// Plan turns the open deadlines in the window into reminders.
func Plan(w Window, deadlines []casefile.Deadline, boxes Mailboxes) []Reminder {
	if w.Skip {
		return nil
	}
	var out []Reminder
	for _, d := range deadlines {
		if d.Due.After(w.Until) {
			continue
		}
		if d.Audience == casefile.Resident {
			if !d.Due.After(w.Today) {
				// once per deadline, sent on the first working day on or after its date
				out = append(out, Reminder{ID: id(d, ResidentNote, ""), Kind: ResidentNote, Deadline: d, To: notification.Recipient{Role: notification.Resident}})
			}
			continue
		}
		kind := DueSoon
		switch {
		case d.Due.Before(w.Today):
			kind = Overdue
		case d.Due == w.Today:
			kind = DueToday
		}
		out = append(out, Reminder{ID: id(d, kind, w.Today.String()), Kind: kind, Deadline: d, To: officer(d, boxes)})
		if kind == Overdue {
			// overdue: the manager is told too (complaints: the complaints manager, CH-4/CH-5)
			out = append(out, Reminder{ID: id(d, kind+"-manager", w.Today.String()), Kind: Overdue, Deadline: d,
				To: notification.Recipient{Role: notification.Manager, Email: boxes[d.Manager], PreferredContact: "email"}})
		}
	}
	return out
}

func id(d casefile.Deadline, kind, day string) string {
	parts := []string{string(d.CaseKind), d.CaseRef, d.Name, kind}
	if day != "" {
		parts = append(parts, day)
	}
	return strings.Join(parts, "#")
}

// officer is the responsible officer when the owner is an address, else the team's mailbox (unassigned).
func officer(d casefile.Deadline, boxes Mailboxes) notification.Recipient {
	if strings.Contains(d.Owner, "@") {
		return notification.Recipient{Role: notification.Officer, Email: d.Owner, PreferredContact: "email"}
	}
	return notification.Recipient{Role: notification.Team, Email: boxes[d.Team], PreferredContact: "email"}
}

// Template is the notification template of a reminder.
func Template(r Reminder) string {
	switch r.Kind {
	case DueSoon:
		return notification.ReminderDueSoon
	case DueToday:
		return notification.ReminderDueToday
	case Overdue:
		return notification.ReminderOverdue
	}
	return notification.EmergencyTwoWeeksLeft
}

// Personalisation is what the template shows: the case, the deadline and its rule; never personal data.
func Personalisation(r Reminder, today workdays.Date) map[string]string {
	d := r.Deadline
	return map[string]string{
		"reference": d.CaseRef, "case_kind": string(d.CaseKind), "deadline": d.Label, "due": d.Due.String(), "rule": d.Rule,
		"days_overdue": fmt.Sprint(max(0, workdays.WorkingDaysBetween(d.Due, today))),
	}
}
