// Package retention is the retention job (UK GDPR Art 5(1)(e)): once a day it finds, by key, the records whose
// retention period has ended (each kind's ended list, oldest first, from where the last run stopped) and
// anonymises each: its personal data goes, the facts the reports count stay, and the record is marked with the
// day and the schedule entry. Each run is recorded (counts per entry, no personal data). Work per run is bounded;
// a run that cannot finish leaves its place in each list, and the next run carries on from there. Erasure on
// request (shared/app/subjectaccess) uses the same Anonymiser.
package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	rules "github.com/councilhousing/backend/shared/rules/retention"
)

// Mark is what an anonymised record says about its anonymising: when, under which schedule entry (or
// EntryErasure), the article, and the request that asked for it (erasure only).
type Mark struct {
	On    time.Time `json:"on"`
	Entry string    `json:"entry"`
	// Outcome is how the record ended under Entry (closed, merged, refused, housed): with Entry, which line of the
	// schedule applied (a setting may configure more than one). Empty for an erasure.
	Outcome string `json:"outcome,omitempty"`
	Rule    string `json:"rule"`
	Request string `json:"request,omitempty"`
}

// EntryErasure is the entry an erasure on request is marked with.
const EntryErasure = "erasure-on-request"

// Anonymiser removes one record's personal data (its contact, the content of its timeline, its items of their own
// and every lookup key that leads to the person), keeps what the reports read, and marks the record. It is
// idempotent: false when the record was anonymised already (or does not exist).
type Anonymiser interface {
	Anonymise(ctx context.Context, kind casefile.Kind, ref string, m Mark) (bool, error)
}

// EndedLists are the lists of ended records, one per schedule entry, each read in order of end date from the
// place the job last stopped (kept per shard), by key condition only.
type EndedLists interface {
	Shards() int
	// Page is the next records of the entry's list on one shard that ended at or before endedBy, at most limit.
	Page(ctx context.Context, e rules.Entry, shard int, endedBy time.Time, limit int) ([]rules.Ended, error)
	// Advance records that every record of the shard up to and including last is done.
	Advance(ctx context.Context, e rules.Entry, shard int, last rules.Ended) error
}

// Runs keeps the audit record of each run.
type Runs interface {
	SaveRun(ctx context.Context, r Run) error
}

// Run is what one run did: per schedule entry, how many records it found due, anonymised, and found anonymised
// already (erased on request, or a repeated run). No reference or personal data.
type Run struct {
	ID       string     `json:"id" dynamodbav:"id"`
	At       time.Time  `json:"at" dynamodbav:"at"`
	Finished bool       `json:"finished" dynamodbav:"finished"` // false: the next run carries on
	Entries  []EntryRun `json:"entries" dynamodbav:"entries"`
}

// EntryRun is one entry's part of a run.
type EntryRun struct {
	Entry             string `json:"entry" dynamodbav:"entry"`
	Outcome           string `json:"outcome" dynamodbav:"outcome"` // with Entry, the schedule's line
	Period            string `json:"period" dynamodbav:"period"`
	EndedBy           string `json:"endedBy" dynamodbav:"endedBy"` // records that ended by this day were due
	Anonymised        int    `json:"anonymised" dynamodbav:"anonymised"`
	AlreadyAnonymised int    `json:"alreadyAnonymised" dynamodbav:"alreadyAnonymised"`
	Finished          bool   `json:"finished" dynamodbav:"finished"`
}

// Job is the retention-job function's use case.
type Job struct {
	Schedule   rules.Schedule
	Lists      EndedLists
	Anonymiser Anonymiser
	Runs       Runs
	// MaxPerRun bounds the records one run anonymises (default 500); PageSize the records read per query
	// (default 25, a batch of writes each).
	MaxPerRun, PageSize int
	// Margin stops a run this long before the context's deadline (the function's timeout; default 10 s).
	Margin time.Duration
	NewID  func() string
}

// Run anonymises every record due at now, up to the run's bound, and records the run.
func (j Job) Run(ctx context.Context, now time.Time) (Run, error) {
	maxPerRun, pageSize, margin := j.MaxPerRun, j.PageSize, j.Margin
	if maxPerRun <= 0 {
		maxPerRun = 500
	}
	if pageSize <= 0 {
		pageSize = 25
	}
	if margin <= 0 {
		margin = 10 * time.Second
	}
	run := Run{At: now.UTC(), Finished: true}
	if j.NewID != nil {
		run.ID = j.NewID()
	}
	budget := maxPerRun
	outOfTime := func() bool {
		d, ok := ctx.Deadline()
		return ok && time.Until(d) < margin
	}
	var runErr error
	for _, entry := range j.Schedule {
		er := EntryRun{Entry: entry.Name, Outcome: entry.Outcome, Period: entry.Period.String(), EndedBy: entry.Period.Before(now).UTC().Format(time.DateOnly), Finished: runErr == nil}
		for shard := 0; shard < j.Lists.Shards() && runErr == nil; shard++ {
			done, err := j.shard(ctx, entry, shard, now, pageSize, &budget, &er, outOfTime)
			if err != nil {
				runErr = fmt.Errorf("%s (%s) shard %d: %w", entry.Name, entry.Outcome, shard, err)
			}
			er.Finished = er.Finished && done && err == nil
		}
		run.Finished = run.Finished && er.Finished
		run.Entries = append(run.Entries, er)
	}
	if err := j.Runs.SaveRun(ctx, run); err != nil && runErr == nil {
		runErr = err
	}
	return run, runErr
}

// shard works through one shard of an entry's list; true when nothing due is left on it.
func (j Job) shard(ctx context.Context, entry rules.Entry, shard int, now time.Time, pageSize int, budget *int, er *EntryRun, outOfTime func() bool) (bool, error) {
	endedBy := entry.Period.Before(now)
	for {
		if *budget <= 0 || outOfTime() {
			return false, nil
		}
		page, err := j.Lists.Page(ctx, entry, shard, endedBy, min(pageSize, *budget))
		if err != nil || len(page) == 0 {
			return err == nil, err
		}
		var last *rules.Ended
		stop := false
		for _, e := range page {
			// the list's key range is by calendar arithmetic backwards; the rule decides forwards, and a record
			// not yet due stops the shard (the ones after it ended later)
			if d := j.Schedule.Decide(e, now); !d.Due || d.Entry.Name != entry.Name || d.Entry.Outcome != entry.Outcome {
				stop = true
				break
			}
			changed, err := j.Anonymiser.Anonymise(ctx, e.Kind, e.Ref, Mark{On: now.UTC(), Entry: entry.Name, Outcome: entry.Outcome, Rule: rules.RuleStorageLimitation})
			if err != nil {
				if last != nil {
					_ = j.Lists.Advance(ctx, entry, shard, *last)
				}
				return false, err
			}
			if changed {
				er.Anonymised++
			} else {
				er.AlreadyAnonymised++
			}
			*budget--
			e := e
			last = &e
		}
		if last != nil {
			if err := j.Lists.Advance(ctx, entry, shard, *last); err != nil {
				return false, err
			}
		}
		if stop || len(page) < pageSize {
			return true, nil
		}
	}
}

// ScheduleFrom is the retention schedule as configured: each catalog retention setting's period (value, by the
// setting's name; its default when absent) with the setting's reason. Two settings configure a second entry
// each: an ASB case merged into another is kept as long as a closed case (its report and reporter live on in the
// case it joined, kept for that case's own period), and an application refused as ineligible or not qualifying
// as long as one closed unhoused (the same review, Ombudsman and judicial review).
func ScheduleFrom(value func(catalog.Setting) string) (rules.Schedule, error) {
	var s rules.Schedule
	for _, x := range []struct {
		setting catalog.Setting
		kind    casefile.Kind
		outcome string
		reason  string // the setting's when empty
	}{
		{catalog.RetentionASBCaseClosed, casefile.ASB, rules.OutcomeClosed, ""},
		{catalog.RetentionASBCaseClosed, casefile.ASB, rules.OutcomeMerged, MergedASBCaseReason},
		{catalog.RetentionComplaintClosed, casefile.Complaint, rules.OutcomeClosed, ""},
		{catalog.RetentionApplicationClosed, casefile.Application, rules.OutcomeClosed, ""},
		{catalog.RetentionApplicationClosed, casefile.Application, rules.OutcomeRefused, ""},
		{catalog.RetentionApplicationHoused, casefile.Application, rules.OutcomeHoused, ""},
	} {
		v := value(x.setting)
		if v == "" {
			v = x.setting.Default
		}
		p, err := rules.ParsePeriod(v)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", x.setting.Name, x.setting.Env, err)
		}
		reason := x.reason
		if reason == "" {
			reason = x.setting.Reason
		}
		s = append(s, rules.Entry{Name: x.setting.Name, Kind: x.kind, Outcome: x.outcome, Period: p, Reason: reason})
	}
	return s, nil
}

// MergedASBCaseReason is why a merged ASB case's own items are kept no longer than a closed case's: its report
// and reporter were copied into the case it joined (ASB-9), which keeps them until its own period ends.
const MergedASBCaseReason = "Merged into another case (ASB-9): its report and reporter live on there as a further incident, kept until that case's own period ends; its own items are kept as long as a closed case's (Limitation Act 1980)"

// ContactEditor reads and rectifies a record's contact details (UK GDPR Art 16).
type ContactEditor interface {
	Contact(ctx context.Context, kind casefile.Kind, ref string) (contact.Details, error)
	// Rectify sets field from old to value if it still holds old, with ev on the record's timeline, and moves
	// the record's lookup keys made from the old value.
	Rectify(ctx context.Context, kind casefile.Kind, ref, field, old, value string, ev casefile.Event) error
}

// MaxReapply bounds the erasures one re-applying invocation takes.
const MaxReapply = 500

// Erasure is an erasure made on request, as its audit log line records it: which record, for which request, on
// which day. After a restore from backup, the erasures logged since the restore point are re-applied with it.
type Erasure struct {
	Kind    casefile.Kind `json:"kind"`
	Ref     string        `json:"reference"`
	Request string        `json:"request"`
	On      string        `json:"on"` // YYYY-MM-DD
}

// Reapply anonymises again each record erased on request (a restored backup brought their data back), marked as
// the erasure was; records anonymised already are counted and left alone. It returns how many it anonymised.
func (j Job) Reapply(ctx context.Context, erasures []Erasure) (anonymised, already int, err error) {
	if len(erasures) > MaxReapply {
		return 0, 0, fmt.Errorf("%d erasures: at most %d an invocation", len(erasures), MaxReapply)
	}
	for _, e := range erasures {
		on, err := time.Parse(time.DateOnly, e.On)
		if err != nil || e.Ref == "" || (e.Kind != casefile.ASB && e.Kind != casefile.Complaint && e.Kind != casefile.Application) {
			return anonymised, already, fmt.Errorf("erasure %q of kind %q on %q: needs a kind (asb, complaint, application), a reference and a day", e.Ref, e.Kind, e.On)
		}
		done, err := j.Anonymiser.Anonymise(ctx, e.Kind, e.Ref, Mark{On: on, Entry: EntryErasure, Rule: rules.RuleErasure, Request: e.Request})
		if err != nil {
			return anonymised, already, err
		}
		if done {
			anonymised++
		} else {
			already++
		}
	}
	return anonymised, already, nil
}
