// Package console is the staff console's own use cases, beside the case kinds' services it calls for
// everything else: the signed-in officer's work queue (their own and their teams' open deadlines, read by key
// from the deadlines index) and the audit of case views (who opened which case, when: HOCS records every view).
package console

import (
	"context"
	"slices"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// DueIndex reads every open deadline due on or before a day (shared/adapters/dynamo.ReminderTables: the sparse
// deadlines index by key condition on each shard, never a scan).
type DueIndex interface {
	DueBy(ctx context.Context, until workdays.Date) ([]casefile.Deadline, float64, error)
}

// ViewLog records a case view (shared/adapters/dynamo.CaseViews).
type ViewLog interface {
	RecordView(ctx context.Context, v View) error
}

// View is one member of staff opening one case.
type View struct {
	Kind casefile.Kind
	Ref  string
	By   casefile.Actor
	At   time.Time
}

// Service runs the console's use cases.
type Service struct {
	Deadlines DueIndex
	Views     ViewLog
}

// MaxPerSection bounds each section of the queue page; Total says how many there are.
const MaxPerSection = 50

// Queue is what the officer should act on: overdue, due today and due later this week, each split into their
// own items (assigned to them) and their teams' (assigned to nobody or someone else in a team of theirs).
type Queue struct {
	Today                       workdays.Date
	Overdue, DueToday, ThisWeek Section
}

// Section is one part of the queue.
type Section struct {
	Mine, Team           []casefile.Deadline
	MineTotal, TeamTotal int
}

// QueueRequest is a member of staff asking for their queue on a day.
type QueueRequest struct {
	By    casework.Staff
	Today workdays.Date
}

// Queue reads the open deadlines due by the end of this week and keeps the officer's and their teams' (a
// deadline's team, or the manager group told when it is overdue, is one of their groups). Residents' own
// deadlines (a message owed to them) are the system's, not an officer's.
func (s Service) Queue(ctx context.Context, q QueueRequest) (Queue, error) {
	if err := q.By.Check(); err != nil {
		return Queue{}, err
	}
	end := q.Today.AddDays((7 - int(q.Today.Weekday())) % 7) // Sunday: this week's end
	due, _, err := s.Deadlines.DueBy(ctx, end)
	if err != nil {
		return Queue{}, err
	}
	out := Queue{Today: q.Today}
	for _, d := range due {
		if d.Audience == casefile.Resident {
			continue
		}
		mine := d.Owner != "" && d.Owner == q.By.ID
		if !mine && !q.By.In(d.Team) && !(d.Due.Before(q.Today) && q.By.In(d.Manager)) {
			continue
		}
		sec := &out.ThisWeek
		switch {
		case d.Due.Before(q.Today):
			sec = &out.Overdue
		case d.Due == q.Today:
			sec = &out.DueToday
		}
		sec.add(d, mine)
	}
	return out, nil
}

func (s *Section) add(d casefile.Deadline, mine bool) {
	list, total := &s.Team, &s.TeamTotal
	if mine {
		list, total = &s.Mine, &s.MineTotal
	}
	*total++
	if len(*list) < MaxPerSection {
		*list = append(*list, d)
	}
}

// Empty says whether the queue has nothing in it.
func (q Queue) Empty() bool {
	return slices.ContainsFunc([]Section{q.Overdue, q.DueToday, q.ThisWeek}, func(s Section) bool { return s.MineTotal+s.TeamTotal > 0 }) == false
}

// RecordView records that a member of staff opened a case (after it was read: a case that does not exist, or
// one they may not see, is not a view).
func (s Service) RecordView(ctx context.Context, v View) error {
	return s.Views.RecordView(ctx, v)
}
