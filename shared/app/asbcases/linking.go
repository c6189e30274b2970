package asbcases

import (
	"context"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Merge is an officer merging another case (Input.From) into this one (ASB-9).
type Merge = casework.Action[asb.CaseMerge]

// Merge links a report to the case it belongs to, or merges two cases of one problem (ASB-9: a further report
// on an open case is not a new case): the other case ends as "merged" (audited on its timeline, its deadlines
// closed, counted in the monthly measures as a further report, not a case), and this case gains its report as a
// further incident (audited on this timeline). Both must be open. The other case changes first: if this one then
// cannot be changed (it changed meanwhile), the change is retried on its new version.
func (s Service) Merge(ctx context.Context, cmd Merge) (Record, error) {
	if err := cmd.By.Check(staff...); err != nil {
		return Record{}, err
	}
	if err := cmd.Input.Validate(); err != nil { // before the reference reaches the store
		return Record{}, err
	}
	target, err := s.Store.Load(ctx, cmd.Ref)
	if err != nil {
		return Record{}, err
	}
	from, err := s.Store.Load(ctx, cmd.Input.From)
	if apperr.CodeOf(err) == apperr.NotFound {
		var f apperr.Fields
		f.Add("from", "is not the reference of an ASB case")
		return Record{}, f.Err()
	}
	if err != nil {
		return Record{}, err
	}
	if err := target.Case.CheckMerge(cmd.Input, from.Case); err != nil {
		return Record{}, err
	}
	merged, err := s.pipeline().Act(ctx, cmd.Input.From, cmd.By, staff, func(c *asb.Case) (casefile.Event, error) {
		return c.MergeInto(cmd.Ref, cmd.Input, cmd.By.Actor(), cmd.At)
	})
	if err != nil {
		return Record{}, err
	}
	before := from.Case
	before.ReporterKey = merged.Case.ReporterKey
	var saved Stored
	err = retryStale(func() error {
		saved, _, err = s.pipeline().Change(ctx, cmd.Ref, nil, func(c *asb.Case, _ Stored) (casework.Outcome, error) {
			inc, raised, ev, err := c.Absorb(before, merged.Contact, cmd.Input, cmd.By.Actor(), cmd.At)
			if err != nil {
				return casework.Outcome{}, err
			}
			// the merged case is counted (ASB-7, ASB-9) where it stands: the incident is neither a dated further
			// report nor one of its reporter's reports again
			out := casework.Outcome{Events: []casefile.Event{ev}, Items: []casework.Item{{Kind: ItemIncident, ID: inc.ID, Value: inc, At: inc.ReceivedAt}}}
			out.Messages, err = followUps(*c, arrival{}, raised, nil, c.Reference, s.Duty, nil)
			return out, err
		})
		return err
	})
	if err != nil {
		return Record{}, err
	}
	return recordOf(saved, cmd.At), nil
}

// Unlink is an officer taking a further report (Incident, e.g. "I2") out of a case (Ref) into a case of its own.
type Unlink struct {
	Ref, Incident string
	By            casework.Staff
	At            time.Time
	Input         asb.Unlinking
}

// Unlinked is the case a report was taken out of, and the new case it became.
type Unlinked struct {
	Record
	NewCase asb.Case
}

// Unlink takes a further report that is not the case's problem out of it into a case of its own (ASB-9), audited
// on both timelines: the old case counts one further report fewer; the new case is timed from when the report
// reached us (ASB-4) and is counted as a new case in the month it was received. The duty officer's alert and the
// referrals went when the report arrived, so they are not sent again; the reporter is told the new reference.
func (s Service) Unlink(ctx context.Context, cmd Unlink) (Unlinked, error) {
	if err := cmd.By.Check(staff...); err != nil {
		return Unlinked{}, err
	}
	if !asb.IsIncidentID(cmd.Incident) { // never a store key of unbounded text
		return Unlinked{}, apperr.NotFoundf("Case %s has no report %.20s.", cmd.Ref, cmd.Incident)
	}
	inc, err := s.Store.Incident(ctx, cmd.Ref, cmd.Incident)
	if err != nil {
		return Unlinked{}, err
	}
	newRef := ids.NewReference("ASB")
	saved, _, err := s.pipeline().Change(ctx, cmd.Ref, nil, func(c *asb.Case, _ Stored) (casework.Outcome, error) {
		out, ev, err := c.Unlink(inc, newRef, cmd.Input, cmd.By.Actor(), cmd.At)
		if err != nil {
			return casework.Outcome{}, err
		}
		// kept as history; no longer counted here (the new case counts it, ASB-7 and ASB-9)
		return casework.Outcome{Events: []casefile.Event{ev}, Items: []casework.Item{{Kind: ItemIncident, ID: out.ID, Value: out, At: out.ReceivedAt}}}, nil
	})
	if err != nil {
		return Unlinked{}, err
	}
	by := cmd.By.Actor()
	loggedBy := inc.LoggedBy
	if loggedBy == nil {
		loggedBy = &by
	}
	r, err := s.open(ctx, intake{ref: newRef, form: inc.Report(), channel: inc.Channel, at: inc.ReceivedAt, now: cmd.At, by: by,
		loggedBy: loggedBy, noMatch: true, unlinkedOf: cmd.Ref, sent: true}, inc.ReporterKey, asb.CaseReview{}, false)
	if err != nil {
		return Unlinked{}, err
	}
	return Unlinked{Record: recordOf(saved, cmd.At), NewCase: r.Case}, nil
}

// Reclassify is an officer changing the case's type (ASB-3).
type Reclassify = casework.Action[asb.Reclassification]

// Reclassify changes the case's type when the facts turn out different: the category and the appointment target
// follow (ASB-3), audited on the timeline; a referral the new type raises goes to its partner (ASB-6).
func (s Service) Reclassify(ctx context.Context, cmd Reclassify) (Record, error) {
	if err := cmd.By.Check(staff...); err != nil {
		return Record{}, err
	}
	saved, _, err := s.pipeline().Change(ctx, cmd.Ref, nil, func(c *asb.Case, _ Stored) (casework.Outcome, error) {
		raised, ev, err := c.Reclassify(cmd.Input, cmd.By.Actor(), cmd.At)
		if err != nil {
			return casework.Outcome{}, err
		}
		msgs, err := followUps(*c, arrival{}, raised, nil, c.Reference, s.Duty, nil)
		return casework.Outcome{Events: []casefile.Event{ev}, Messages: msgs}, err
	})
	if err != nil {
		return Record{}, err
	}
	return recordOf(saved, cmd.At), nil
}

// retryStale runs change again (up to 5 times in all) while it fails only because the case changed meanwhile (a
// Conflict citing no rule): further reports of one problem arrive together, and none of them is to be refused
// for that. A rule's refusal, or any other error, ends it.
func retryStale(change func() error) error {
	var err error
	for range 5 {
		err = change()
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict || e.Rule != "" {
			return err
		}
	}
	return err
}
