package testsupport

import (
	"context"
	"sync"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Deadlines is the deadlines index in memory (console.DueIndex): the open deadlines a test sets, read by due
// date as the index's key condition does.
type Deadlines struct {
	mu   sync.Mutex
	Open []casefile.Deadline
}

// DueBy returns the open deadlines due on or before until.
func (d *Deadlines) DueBy(_ context.Context, until workdays.Date) ([]casefile.Deadline, float64, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []casefile.Deadline
	for _, x := range d.Open {
		if !x.Due.After(until) {
			out = append(out, x)
		}
	}
	return out, 0, nil
}

// Views keeps the case views recorded (console.ViewLog).
type Views struct {
	mu  sync.Mutex
	All []console.View
}

// RecordView records one view.
func (v *Views) RecordView(_ context.Context, view console.View) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.All = append(v.All, view)
	return nil
}

// Audit keeps the searches and report views recorded (console.AuditLog); Fail makes every record fail.
type Audit struct {
	mu       sync.Mutex
	Searches []console.Search
	Reports  []console.ReportView
	Fail     error
}

// RecordSearch records one search.
func (a *Audit) RecordSearch(_ context.Context, s console.Search) error {
	return a.add(func() { a.Searches = append(a.Searches, s) })
}

// RecordReportView records one report view.
func (a *Audit) RecordReportView(_ context.Context, v console.ReportView) error {
	return a.add(func() { a.Reports = append(a.Reports, v) })
}

func (a *Audit) add(record func()) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.Fail != nil {
		return a.Fail
	}
	record()
	return nil
}
