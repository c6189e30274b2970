package reminders

import (
	"testing"

	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/workdays"
)

var boxes = Mailboxes{"complaints-officer": "complaints@council.example", "complaints-manager": "managers@council.example", "asb-officer": "asb@council.example"}

func dl(name, due, owner string, aud casefile.Audience) casefile.Deadline {
	return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: "CMP-1", Name: name, Due: workdays.MustParseDate(due), Owner: owner,
		Team: "complaints-officer", Manager: "complaints-manager", Audience: aud, Rule: "CH-4"}
}

func TestWindowSkipsBankHolidaysAndWeekends(t *testing.T) {
	for _, day := range []string{"2026-12-25", "2026-12-28", "2027-01-01", "2026-11-28"} {
		if w := WindowFor(workdays.MustParseDate(day)); !w.Skip || Plan(w, []casefile.Deadline{dl("x", "2026-01-01", "", casefile.Officer)}, boxes) != nil {
			t.Errorf("%s should send nothing", day)
		}
	}
	w := WindowFor(workdays.MustParseDate("2026-12-24"))
	if w.Skip || w.Until.String() != "2026-12-29" {
		t.Errorf("24 Dec: %+v", w)
	}
}

func TestEachReminderKind(t *testing.T) {
	w := WindowFor(workdays.MustParseDate("2026-11-27")) // Friday; next working day Monday 30th
	got := Plan(w, []casefile.Deadline{
		dl("overdue", "2026-11-25", "handler@council.example", casefile.Officer),
		dl("today", "2026-11-27", "", casefile.Officer),
		dl("saturday", "2026-11-28", "", casefile.Officer),
		dl("monday", "2026-11-30", "h@council.example", casefile.Officer),
		dl("later", "2026-12-01", "", casefile.Officer),
		dl("resident", "2026-11-26", "", casefile.Resident),
	}, boxes)
	want := []struct{ id, kind, to string }{
		{"complaint#CMP-1#overdue#overdue#2026-11-27", Overdue, "handler@council.example"},
		{"complaint#CMP-1#overdue#overdue-manager#2026-11-27", Overdue, "managers@council.example"},
		{"complaint#CMP-1#today#due-today#2026-11-27", DueToday, "complaints@council.example"},
		{"complaint#CMP-1#saturday#due-soon#2026-11-27", DueSoon, "complaints@council.example"},
		{"complaint#CMP-1#monday#due-soon#2026-11-27", DueSoon, "h@council.example"},
		{"complaint#CMP-1#resident#resident", ResidentNote, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d reminders: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].ID != w.id || got[i].Kind != w.kind || got[i].To.Email != w.to {
			t.Errorf("%d: %+v, want %+v", i, got[i], w)
		}
	}
	if p := Personalisation(got[0], workdays.MustParseDate("2026-11-27")); p["days_overdue"] != "2" || p["rule"] != "CH-4" {
		t.Errorf("personalisation %v", p)
	}
}
