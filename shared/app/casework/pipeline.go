package casework

import (
	"context"

	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Outcome is what a decision produced: the timeline entries and the messages to send, and (rarely) items of their
// own, once-only keys and the idempotent answer stored with the change.
type Outcome struct {
	Events   []casefile.Event
	Messages []Message
	Items    []Item
	Once     []Once
	Answer   *Answer
}

// Pipeline runs the use cases of one case kind over its store and the outbox.
type Pipeline[T any, C any] struct {
	Store  Store[T, C]
	Outbox Outbox
}

// Authorize checks that the actor may act on the loaded case; nil allows everyone the transport let through.
type Authorize[T any, C any] func(Stored[T, C]) error

// Decide applies the rules to c (a copy of the stored case, which it changes) and says what happened.
type Decide[T any, C any] func(c *T, before Stored[T, C]) (Outcome, error)

// Change runs one change to an existing case: load with version -> authorize -> decide -> conditional save
// with the timeline entries and the outbox messages in one transaction -> deliver. It returns the case as
// saved, its new version and (as its Timeline, newest first) the entries the change recorded.
func (p Pipeline[T, C]) Change(ctx context.Context, ref string, authorize Authorize[T, C], decide Decide[T, C]) (Stored[T, C], Outcome, error) {
	before, err := p.Store.Load(ctx, ref)
	if err != nil {
		return Stored[T, C]{}, Outcome{}, err
	}
	if authorize != nil {
		if err := authorize(before); err != nil {
			return Stored[T, C]{}, Outcome{}, err
		}
	}
	after := before.Case
	out, err := decide(&after, before)
	if err != nil {
		return Stored[T, C]{}, Outcome{}, err
	}
	version, err := p.Store.Save(ctx, before, after, Writes{Events: out.Events, Messages: out.Messages, Items: out.Items, Once: out.Once, Answer: out.Answer})
	if err != nil {
		return Stored[T, C]{}, Outcome{}, err
	}
	p.deliver(ctx, out.Messages)
	saved := before
	saved.Case, saved.Version = after, version
	saved.Timeline = newestFirst(out.Events)
	return saved, out, nil
}

// Act runs a staff action whose rule makes one timeline entry and sends nothing: the actor must be in one
// of groups (the transport has checked the route's; this guards other callers), then Change.
func (p Pipeline[T, C]) Act(ctx context.Context, ref string, by Staff, groups []string, apply func(*T) (casefile.Event, error)) (Stored[T, C], error) {
	saved, _, err := p.Change(ctx, ref, func(Stored[T, C]) error { return by.Check(groups...) },
		func(c *T, _ Stored[T, C]) (Outcome, error) {
			ev, err := apply(c)
			return Outcome{Events: []casefile.Event{ev}}, err
		})
	return saved, err
}

// Create stores a new case with its first timeline entries, messages, idempotent answer and once-only keys in
// one transaction, then delivers the messages.
func (p Pipeline[T, C]) Create(ctx context.Context, s Stored[T, C], w Writes) error {
	if err := p.Store.Create(ctx, s, w); err != nil {
		return err
	}
	p.deliver(ctx, w.Messages)
	return nil
}

func (p Pipeline[T, C]) deliver(ctx context.Context, messages []Message) {
	if len(messages) > 0 {
		_ = p.Outbox.Deliver(ctx, messages...) // stored with the change: the relay retries a failed delivery
	}
}

// ReadAsResident loads a case for the resident who holds its access token. An unknown reference, a missing
// token and a wrong token all give the same NotFound, so a guess reveals nothing.
func (p Pipeline[T, C]) ReadAsResident(ctx context.Context, ref, token, what string) (Stored[T, C], error) {
	s, err := p.Store.Load(ctx, ref)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return Stored[T, C]{}, err
	}
	if err != nil || !ids.TokenMatches(token, s.TokenHash) {
		return Stored[T, C]{}, notTheirs(what, ref)
	}
	return s, nil
}

func notTheirs(what, ref string) error {
	return apperr.NotFoundf("There is no %s %s, or the access token does not match it.", what, ref)
}

// ChangeAsResident is Change for the resident who holds the case's access token (wrong token: NotFound).
func (p Pipeline[T, C]) ChangeAsResident(ctx context.Context, ref, token, what string, decide Decide[T, C]) (Stored[T, C], Outcome, error) {
	return p.ChangeAsHolder(ctx, ref, func(s Stored[T, C]) bool { return ids.TokenMatches(token, s.TokenHash) }, what, decide)
}

// ChangeAsHolder is Change for a resident whom holds accepts for the loaded case (its access token, or a
// contact they proved with a one-time code, shared/app/residentaccess); anyone else gets NotFound, exactly
// like an unknown reference.
func (p Pipeline[T, C]) ChangeAsHolder(ctx context.Context, ref string, holds func(Stored[T, C]) bool, what string, decide Decide[T, C]) (Stored[T, C], Outcome, error) {
	saved, out, err := p.Change(ctx, ref, func(s Stored[T, C]) error {
		if !holds(s) {
			return notTheirs(what, ref)
		}
		return nil
	}, decide)
	if apperr.CodeOf(err) == apperr.NotFound {
		return saved, out, notTheirs(what, ref) // an unknown reference answers exactly like a wrong token
	}
	return saved, out, err
}

func newestFirst(events []casefile.Event) []casefile.Event {
	out := make([]casefile.Event, len(events))
	for i, ev := range events {
		out[len(events)-1-i] = ev
	}
	return out
}

// History is a page of a case's timeline for a member of staff in one of groups; an unknown case is NotFound.
func (p Pipeline[T, C]) History(ctx context.Context, ref string, page PageRequest, by Staff, groups ...string) (History, error) {
	if err := by.Check(groups...); err != nil {
		return History{}, err
	}
	if _, err := p.Store.Load(ctx, ref); err != nil {
		return History{}, err
	}
	if page.Limit <= 0 {
		page.Limit = HistoryPageSize
	}
	return p.Store.History(ctx, ref, page.Limit, page.Token)
}

// WithHistory adds the newest page of the case's history to a case read by staff.
func (p Pipeline[T, C]) WithHistory(ctx context.Context, s Stored[T, C], ref string) (Stored[T, C], error) {
	h, err := p.Store.History(ctx, ref, HistoryPageSize, "")
	s.Timeline, s.TimelineNext = h.Events, h.Next
	return s, err
}
