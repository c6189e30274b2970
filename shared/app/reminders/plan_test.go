package reminders

import (
	"maps"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

var boxes = Mailboxes{
	"complaints-officer": "complaints@council.example", "complaints-manager": "managers@council.example",
	"asb-officer": "asb@council.example", "officer-a": "officer.a@council.example",
}

func dl(name, due, owner string, aud casefile.Audience) casefile.Deadline {
	return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: "CMP-1", Name: name, Due: workdays.MustParseDate(due), Owner: owner,
		Team: "complaints-officer", Manager: "complaints-manager", Audience: aud, Rule: "CH-4", Label: "Acknowledge the complaint"}
}

// WD-1: no reminders on weekends and bank holidays, whatever is open.
func TestWD1NothingOnWeekendsAndBankHolidays(t *testing.T) {
	for day, why := range map[string]string{
		"2026-12-25": "2026-12-25 is a bank holiday (Christmas Day): no reminders (WD-1)",
		"2026-12-28": "2026-12-28 is a bank holiday (Boxing Day): no reminders (WD-1)", // substitute day
		"2027-01-01": "2027-01-01 is a bank holiday (New Year’s Day): no reminders (WD-1)",
		"2026-11-28": "2026-11-28 is a weekend: no reminders (WD-1)",
		"2026-11-29": "2026-11-29 is a weekend: no reminders (WD-1)",
	} {
		w := WindowFor(workdays.MustParseDate(day))
		if !w.Skip || w.Why != why {
			t.Errorf("%s: %+v, want skipped because %q", day, w, why)
		}
		if got := Plan(w, []casefile.Deadline{dl("x", "2026-01-01", "", casefile.Officer)}, boxes); got != nil {
			t.Errorf("%s planned %+v", day, got)
		}
	}
}

func TestWindowRunsToTheNextWorkingDay(t *testing.T) {
	for today, want := range map[string][2]string{
		"2026-11-27": {"2026-11-26", "2026-11-30"}, // Friday: to Monday
		"2026-12-24": {"2026-12-23", "2026-12-29"}, // Christmas Eve: over Christmas, Boxing Day (substitute 28th)
		"2026-11-30": {"2026-11-27", "2026-12-01"}, // Monday: since Friday
	} {
		w := WindowFor(workdays.MustParseDate(today))
		if w.Skip || w.Since.String() != want[0] || w.Until.String() != want[1] {
			t.Errorf("%s: since %s until %s, want %v", today, w.Since, w.Until, want)
		}
	}
}

func TestReminderKinds(t *testing.T) {
	today := "2026-11-27" // a Friday; the next working day is Monday 30th
	cases := []struct {
		kind     string
		deadline casefile.Deadline
		want     []Reminder // ID, Kind and To only
	}{
		{DueSoon + " on the next working day, to the assigned officer (address)", dl("respond", "2026-11-30", "h@council.example", casefile.Officer),
			[]Reminder{{ID: "complaint#CMP-1#respond#due-soon#2026-11-27", Kind: DueSoon, To: mail(notification.Officer, "h@council.example")}}},
		{DueSoon + " on the Saturday before it, to the team when unassigned", dl("respond", "2026-11-28", "", casefile.Officer),
			[]Reminder{{ID: "complaint#CMP-1#respond#due-soon#2026-11-27", Kind: DueSoon, To: mail(notification.Team, "complaints@council.example")}}},
		{DueToday + " to the assigned officer (officer id in the mailboxes)", dl("acknowledge", "2026-11-27", "officer-a", casefile.Officer),
			[]Reminder{{ID: "complaint#CMP-1#acknowledge#due-today#2026-11-27", Kind: DueToday, To: mail(notification.Officer, "officer.a@council.example")}}},
		{DueToday + " to the team when the officer's address is unknown", dl("acknowledge", "2026-11-27", "officer-z", casefile.Officer),
			[]Reminder{{ID: "complaint#CMP-1#acknowledge#due-today#2026-11-27", Kind: DueToday, To: mail(notification.Team, "complaints@council.example")}}},
		{Overdue + " to the officer and the complaints manager (CH-4/CH-5)", dl("acknowledge", "2026-11-25", "h@council.example", casefile.Officer),
			[]Reminder{
				{ID: "complaint#CMP-1#acknowledge#overdue#2026-11-27", Kind: Overdue, To: mail(notification.Officer, "h@council.example")},
				{ID: "complaint#CMP-1#acknowledge#overdue-manager#2026-11-27", Kind: OverdueManager, To: mail(notification.Manager, "managers@council.example")},
			}},
		{ResidentNote + " on its day (HR-EM two weeks left)", dl("emergency-two-weeks-left", "2026-11-27", "", casefile.Resident),
			[]Reminder{{ID: "complaint#CMP-1#emergency-two-weeks-left#resident#2026-11-27", Kind: ResidentNote, To: notification.Recipient{Role: notification.Resident}}}},
		{ResidentNote + " not before its day", dl("emergency-two-weeks-left", "2026-11-30", "", casefile.Resident), nil},
		{ResidentNote + " not again after its day", dl("emergency-two-weeks-left", "2026-11-26", "", casefile.Resident), nil},
		{"nothing for a deadline after the window", dl("later", "2026-12-01", "", casefile.Officer), nil},
	}
	for _, tc := range cases {
		t.Run(tc.kind, func(t *testing.T) {
			got := Plan(WindowFor(workdays.MustParseDate(today)), []casefile.Deadline{tc.deadline}, boxes)
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i, w := range tc.want {
				if got[i].ID != w.ID || got[i].Kind != w.Kind || got[i].To != w.To || got[i].Deadline != tc.deadline {
					t.Errorf("got %+v, want %+v", got[i], w)
				}
			}
		})
	}
}

// A resident message whose day falls on a weekend is sent on the next working day, once.
func TestHREMResidentNoteDueOnASaturdayIsSentOnMonday(t *testing.T) {
	d := dl("emergency-two-weeks-left", "2026-11-28", "", casefile.Resident)
	if got := Plan(WindowFor(workdays.MustParseDate("2026-11-27")), []casefile.Deadline{d}, boxes); len(got) != 0 {
		t.Errorf("Friday: %+v", got)
	}
	if got := Plan(WindowFor(workdays.MustParseDate("2026-11-30")), []casefile.Deadline{d}, boxes); len(got) != 1 || got[0].ID != "complaint#CMP-1#emergency-two-weeks-left#resident#2026-11-30" {
		t.Errorf("Monday: %+v", got)
	}
	if got := Plan(WindowFor(workdays.MustParseDate("2026-12-01")), []casefile.Deadline{d}, boxes); len(got) != 0 {
		t.Errorf("Tuesday: %+v", got)
	}
}

// HR-EM: the resident's own message has the deadline and its date, never the staff detail.
func TestHREMResidentRequest(t *testing.T) {
	w := WindowFor(workdays.MustParseDate("2026-11-27"))
	d := dl("emergency-two-weeks-left", "2026-11-27", "officer-a", casefile.Resident)
	got := Plan(w, []casefile.Deadline{d}, boxes)
	to := notification.Recipient{Role: notification.Resident, Email: "jo@example.org", PreferredContact: "email"}
	req := ResidentRequest(got[0], to, time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC))
	want := map[string]string{"reference": "CMP-1", "case_kind": "complaint", "deadline": "Acknowledge the complaint", "due": "2026-11-27", "rule": "CH-4"}
	if req.Template != notification.EmergencyTwoWeeksLeft || req.To != to || req.ID != got[0].ID || req.CaseRef != "CMP-1" || req.Digest != nil || !maps.Equal(req.Personalisation, want) {
		t.Errorf("resident request %+v", req)
	}
}

func mail(role notification.Role, address string) notification.Recipient {
	return notification.Recipient{Role: role, Email: address, PreferredContact: "email"}
}
