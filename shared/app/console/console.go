// Package console is the staff console's own use cases, beside the case kinds' services it calls for
// everything else: the signed-in officer's work queue (their own and their teams' open deadlines, read by key
// from the deadlines index) and the audit of case views (who opened which case, when: HOCS records every view).
package console

import (
	"context"
	"slices"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/asb"
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

// ASBList pages through ASB cases by status, newest first (asbcases.Service.List: the list index by key, the
// read behind GET /asb/cases?status=...).
type ASBList interface {
	List(ctx context.Context, q asbcases.List) ([]asb.Summary, string, error)
}

// Service runs the console's use cases.
type Service struct {
	Deadlines DueIndex
	Views     ViewLog
	ASB       ASBList                  // nil: no ASB queues
	Register  RegisterList             // nil: no register queue
	Contacts  residentaccess.Directory // finds a person's cases by their email address or phone (find.go)
	Postcodes PostcodeDirectory        // finds cases by a postcode (find.go)
	Audit     AuditLog                 // records searches and report views (audit.go)
}

// MaxPerSection bounds each section of the queue page; Total says how many there are.
const MaxPerSection = 50

// Queue is what the officer should act on: overdue, due today and due later this week, each split into their
// own items (assigned to them) and their teams' (assigned to nobody or someone else in a team of theirs).
type Queue struct {
	Today                       workdays.Date
	Overdue, DueToday, ThisWeek Section
	// NewASBReports are the newest ASB reports still to acknowledge (status received: ASB-4), one bounded page of
	// the list, with MoreNewASBReports when there are more; asked for only by those who may list ASB cases.
	NewASBReports     []asb.Summary
	MoreNewASBReports bool
	// CaseReviews are the open ASB case reviews the reporters asked for (ASB-7), by due date: the asb-manager
	// team's case-review deadlines; asked for only by those who may decide them.
	CaseReviews      []casefile.Deadline
	CaseReviewsTotal int
	// AwaitingVerification are the register applications whose claims wait to be checked, oldest first (one
	// bounded page, with MoreAwaitingVerification when there are more); asked for only by those who check them.
	AwaitingVerification     []registercases.Summary
	MoreAwaitingVerification bool
	// OutstandingActions are the remedies and actions complaint responses committed to that are not done yet
	// (CH-8), overdue or due by OutstandingActionsUntil, earliest first (at most MaxPerSection, of
	// OutstandingActionsTotal); asked for only by those who may record them done.
	OutstandingActions      []OutstandingAction
	OutstandingActionsTotal int
	OutstandingActionsUntil workdays.Date
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
	// NewASBReports and CaseReviews ask for those queues too (the transport decides who may, from the catalog's
	// groups of the JSON routes they mirror: GET /asb/cases and POST .../case-review/outcome).
	NewASBReports, CaseReviews bool
	// AwaitingVerification asks for the register applications awaiting verification (the transport decides who
	// may: the groups of POST /register/applications/{reference}/claims).
	AwaitingVerification bool
	// OutstandingActions asks for the complaints' outstanding remedies and actions (the transport decides who may:
	// the groups of POST /complaints/{reference}/actions/{actionId}/completion).
	OutstandingActions bool
}

// Queue reads the open deadlines due by the end of this week and keeps the officer's and their teams' (a
// deadline's team, or the manager group told when it is overdue, is one of their groups). Residents' own
// deadlines (a message owed to them) are the system's, not an officer's.
func (s Service) Queue(ctx context.Context, q QueueRequest) (Queue, error) {
	if err := q.By.Check(); err != nil {
		return Queue{}, err
	}
	end := q.Today.AddDays((7 - int(q.Today.Weekday())) % 7) // Sunday: this week's end
	until := end
	if review := workdays.AddWorkingDays(q.Today, asb.CaseReviewWorkingDays+1); q.CaseReviews && review.After(end) {
		until = review // every open case review: each is due within CaseReviewWorkingDays of a request made by today
	}
	if horizon := outstandingHorizon(q.Today); q.OutstandingActions && horizon.After(until) {
		until = horizon // the same read, further ahead: the index is read by due date, never scanned
	}
	due, _, err := s.Deadlines.DueBy(ctx, until)
	if err != nil {
		return Queue{}, err
	}
	out := Queue{Today: q.Today}
	if q.OutstandingActions {
		out.OutstandingActions, out.OutstandingActionsTotal = outstandingActions(due, q.Today)
		out.OutstandingActionsUntil = outstandingHorizon(q.Today)
	}
	for _, d := range due {
		if d.Audience == casefile.Resident {
			continue
		}
		if q.CaseReviews && d.CaseKind == casefile.ASB && d.Name == caseReviewDeadline {
			out.CaseReviewsTotal++
			if len(out.CaseReviews) < MaxPerSection {
				out.CaseReviews = append(out.CaseReviews, d)
			}
		}
		if d.Due.After(end) {
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
	if q.NewASBReports && s.ASB != nil {
		reports, next, err := s.ASB.List(ctx, asbcases.List{By: q.By, Filter: asbcases.Filter{Status: asb.StatusReceived, Today: q.Today}, Limit: MaxNewReports})
		if err != nil {
			return Queue{}, err
		}
		out.NewASBReports, out.MoreNewASBReports = reports, next != ""
	}
	if err := s.awaitingVerification(ctx, q, &out); err != nil {
		return Queue{}, err
	}
	return out, nil
}

// caseReviewDeadline is the name asb.OpenDeadlines gives an open case review's deadline (ASB-7).
const caseReviewDeadline = "case-review"

// MaxNewReports is the page of new ASB reports the queue shows (the list's newest first).
const MaxNewReports = 20

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
	return slices.ContainsFunc([]Section{q.Overdue, q.DueToday, q.ThisWeek}, func(s Section) bool { return s.MineTotal+s.TeamTotal > 0 }) == false &&
		len(q.NewASBReports) == 0 && len(q.CaseReviews) == 0 && len(q.AwaitingVerification) == 0 && len(q.OutstandingActions) == 0
}

// RecordView records that a member of staff opened a case (after it was read: a case that does not exist, or
// one they may not see, is not a view).
func (s Service) RecordView(ctx context.Context, v View) error {
	return s.Views.RecordView(ctx, v)
}
