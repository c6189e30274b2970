package console

import (
	"slices"
	"strings"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// OutstandingActionsWeeks is how far ahead the queue's outstanding complaint actions reach: those overdue and
// those due within this many weeks of today (the deadlines index is read by due date, so the horizon bounds the
// read; later ones come into view as the days pass).
const OutstandingActionsWeeks = 4

// OutstandingAction is a remedy or action a complaint response committed to that is not done yet (CH-8): its
// open deadline in the index (item:<id>), the item's id and kind, and whether it is overdue.
type OutstandingAction struct {
	casefile.Deadline
	Item    string // R1, A2, ...
	Kind    string // complaints.ItemRemedy or complaints.ItemAction
	Overdue bool
}

// outstandingHorizon is the last day the queue's outstanding actions reach.
func outstandingHorizon(today workdays.Date) workdays.Date {
	return today.AddDays(7 * OutstandingActionsWeeks)
}

// outstandingAction says whether an open deadline is a complaint item's (complaints.ItemOfDeadline), as the
// queue shows it.
func outstandingAction(d casefile.Deadline, today workdays.Date) (OutstandingAction, bool) {
	id, kind, ok := complaints.ItemOfDeadline(d)
	if !ok {
		return OutstandingAction{}, false
	}
	return OutstandingAction{Deadline: d, Item: id, Kind: kind, Overdue: d.Due.Before(today)}, true
}

// outstandingActions keeps the complaint items due by the horizon, earliest first, at most MaxPerSection of them
// with the total.
func outstandingActions(due []casefile.Deadline, today workdays.Date) ([]OutstandingAction, int) {
	var out []OutstandingAction
	horizon := outstandingHorizon(today)
	for _, d := range due {
		if a, ok := outstandingAction(d, today); ok && !d.Due.After(horizon) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b OutstandingAction) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.CaseRef+"#"+a.Item, b.CaseRef+"#"+b.Item)
	})
	total := len(out)
	if total > MaxPerSection {
		out = out[:MaxPerSection]
	}
	return out, total
}
