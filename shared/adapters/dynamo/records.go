package dynamo

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Records stores one kind of case: the case (T, under "data", with a version for optimistic locking and the
// hash of the resident's access token), the contact details (C) in their own item, the timeline and the open
// deadlines, every change in one transaction.
type Records[T any, C any] struct {
	Store     *Store
	Kind      casefile.Kind
	Ref       func(T) string
	Deadlines func(T) []casefile.Deadline
	// Indexes gives the index attributes the case item carries (gsi1pk/gsi1sk...), from its current state.
	Indexes func(T) map[string]types.AttributeValue
}

type envelope[T any] struct {
	Data      T      `dynamodbav:"data"`
	Version   int    `dynamodbav:"version"`
	TokenHash string `dynamodbav:"tokenHash,omitempty"`
}

// Loaded is a case as stored, with everything about it.
type Loaded[T any, C any] struct {
	Case      T
	Version   int
	TokenHash string
	Contact   *C
	Timeline  []casefile.Event
	Deadlines []casefile.Deadline
}

func (r Records[T, C]) item(v T, version int, tokenHash string) (map[string]types.AttributeValue, error) {
	var extra map[string]types.AttributeValue
	if r.Indexes != nil {
		extra = r.Indexes(v)
	}
	return Item(CaseKey(r.Kind, r.Ref(v)), SKCase, envelope[T]{Data: v, Version: version, TokenHash: tokenHash}, extra)
}

// Create writes a new case (version 1) with its contact, first timeline entries, deadlines and any extra
// writes (e.g. the idempotency record) in one transaction.
func (r Records[T, C]) Create(ctx context.Context, v T, contact *C, tokenHash string, extra []types.TransactWriteItem, events ...casefile.Event) error {
	item, err := r.item(v, 1, tokenHash)
	if err != nil {
		return err
	}
	writes := append(append([]types.TransactWriteItem{}, extra...), r.Store.PutNew(item))
	if contact != nil {
		c, err := Item(CaseKey(r.Kind, r.Ref(v)), SKContact, contact, nil)
		if err != nil {
			return err
		}
		writes = append(writes, r.Store.Put(c))
	}
	evs, err := r.Store.EventWrites(r.Kind, r.Ref(v), 1, events...)
	if err != nil {
		return err
	}
	dls, err := r.Store.DeadlineWrites(nil, r.Deadlines(v))
	if err != nil {
		return err
	}
	return r.Store.Write(ctx, append(append(writes, evs...), dls...))
}

// Load reads a case and its items with one query; an unknown reference is NotFound.
func (r Records[T, C]) Load(ctx context.Context, ref string) (Loaded[T, C], error) {
	items, err := r.Store.CaseItems(r.Kind, ref).All(ctx)
	if err != nil {
		return Loaded[T, C]{}, err
	}
	var l Loaded[T, C]
	found := false
	for _, it := range items {
		sk := it["sk"].(*types.AttributeValueMemberS).Value
		switch {
		case sk == SKCase:
			var env envelope[T]
			if err := Unmarshal(it, &env); err != nil {
				return l, err
			}
			l.Case, l.Version, l.TokenHash, found = env.Data, env.Version, env.TokenHash, true
		case sk == SKContact:
			var c C
			if err := Unmarshal(it, &c); err != nil {
				return l, err
			}
			l.Contact = &c
		case strings.HasPrefix(sk, SKDeadline):
			var d casefile.Deadline
			if err := Unmarshal(it, &d); err != nil {
				return l, err
			}
			l.Deadlines = append(l.Deadlines, d)
		}
	}
	if !found {
		return l, apperr.NotFoundf("There is no %s with reference %s.", r.Kind, ref)
	}
	l.Timeline, err = Timeline(items)
	return l, err
}

// Save writes the changed case if it still has the version it was loaded at (409 otherwise), with its new
// timeline entries and the deadlines index brought in step, in one transaction. It returns the new version.
func (r Records[T, C]) Save(ctx context.Context, before Loaded[T, C], after T, extra []types.TransactWriteItem, events ...casefile.Event) (int, error) {
	version := before.Version + 1
	item, err := r.item(after, version, before.TokenHash)
	if err != nil {
		return 0, err
	}
	writes := append([]types.TransactWriteItem{r.Store.PutVersioned(item, before.Version)}, extra...)
	evs, err := r.Store.EventWrites(r.Kind, r.Ref(after), version, events...)
	if err != nil {
		return 0, err
	}
	dls, err := r.Store.DeadlineWrites(before.Deadlines, r.Deadlines(after))
	if err != nil {
		return 0, err
	}
	err = r.Store.Write(ctx, append(append(writes, evs...), dls...))
	var conflict *ConflictError
	if errors.As(err, &conflict) {
		return 0, StaleWrite()
	}
	return version, err
}

// Cases decodes case items read from an index.
func (r Records[T, C]) Cases(items []map[string]types.AttributeValue) ([]T, error) {
	envs, err := UnmarshalAll[envelope[T]](items)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(envs))
	for i, e := range envs {
		out[i] = e.Data
	}
	return out, nil
}
