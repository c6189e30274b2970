package dynamo

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Records stores one kind of case and implements casework.Store for it: the case (T, under "data", with a
// version for optimistic locking and the hash of the resident's access token), the contact details (C) in
// their own item, the timeline and the open deadlines, every change in one transaction with its outbox
// messages, its idempotent answer and its once-only keys.
type Records[T any, C any] struct {
	Store     *Store
	Kind      casefile.Kind
	Ref       func(T) string
	Deadlines func(T) []casefile.Deadline
	// Indexes gives the index attributes the case item carries (gsi1pk/gsi1sk...), from its current state.
	Indexes func(T) map[string]types.AttributeValue
}

var _ casework.Store[struct{}, struct{}] = Records[struct{}, struct{}]{}

type envelope[T any] struct {
	Data      T      `dynamodbav:"data"`
	Version   int    `dynamodbav:"version"`
	TokenHash string `dynamodbav:"tokenHash,omitempty"`
}

func (r Records[T, C]) item(v T, version int, tokenHash string) (map[string]types.AttributeValue, error) {
	var extra map[string]types.AttributeValue
	if r.Indexes != nil {
		extra = r.Indexes(v)
	}
	return Item(CaseKey(r.Kind, r.Ref(v)), SKCase, envelope[T]{Data: v, Version: version, TokenHash: tokenHash}, extra)
}

// writes are the items a change stores besides the case: timeline entries, the deadlines index brought in
// step, outbox messages, the idempotent answer and once-only keys.
func (r Records[T, C]) writes(ref string, version int, before []casefile.Deadline, after T, w casework.Writes) ([]types.TransactWriteItem, error) {
	evs, err := r.Store.EventWrites(r.Kind, ref, version, w.Events...)
	if err != nil {
		return nil, err
	}
	dls, err := r.Store.DeadlineWrites(before, r.Deadlines(after))
	if err != nil {
		return nil, err
	}
	out, err := r.Store.OutboxWrites(w.Messages...)
	if err != nil {
		return nil, err
	}
	all := append(append(evs, dls...), out...)
	for _, once := range w.Once {
		all = append(all, r.Store.PutNew(map[string]types.AttributeValue{
			"pk": S(OnceKey(once.Scope, once.ID)), "sk": S(SKOnce), "reference": S(once.Ref)}))
	}
	if a := w.Answer; a != nil {
		put, err := r.Store.IdempotencyWrite(a.Key, a.PayloadHash, a.Status, a.Body, a.At)
		if err != nil {
			return nil, err
		}
		all = append(all, put)
	}
	return all, nil
}

// Create writes a new case (version 1) with its contact and everything in w, in one transaction. A reference,
// once-only key or idempotency key that exists already fails it with a Conflict wrapping ErrConditionFailed.
func (r Records[T, C]) Create(ctx context.Context, s casework.Stored[T, C], w casework.Writes) error {
	ref := r.Ref(s.Case)
	item, err := r.item(s.Case, 1, s.TokenHash)
	if err != nil {
		return err
	}
	writes := []types.TransactWriteItem{r.Store.PutNew(item)}
	if s.Contact != nil {
		c, err := Item(CaseKey(r.Kind, ref), SKContact, s.Contact, nil)
		if err != nil {
			return err
		}
		writes = append(writes, r.Store.Put(c))
	}
	rest, err := r.writes(ref, 1, nil, s.Case, w)
	if err != nil {
		return err
	}
	if err := r.Store.Write(ctx, append(writes, rest...)); err != nil {
		if errors.Is(err, ErrConditionFailed) {
			return &conflict{cause: err}
		}
		return err
	}
	return nil
}

// conflict is a Create that met an existing key: a Conflict for the caller, ErrConditionFailed for errors.Is.
type conflict struct{ cause error }

func (c *conflict) Error() string { return "conflict: " + c.cause.Error() }
func (c *conflict) Unwrap() []error {
	return []error{c.cause, apperr.New(apperr.Conflict, "This was recorded already.")}
}

// Load reads a case and its items with one query; an unknown reference is NotFound.
func (r Records[T, C]) Load(ctx context.Context, ref string) (casework.Stored[T, C], error) {
	var l casework.Stored[T, C]
	items, err := r.Store.CaseItems(r.Kind, ref).All(ctx)
	if err != nil {
		return l, err
	}
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

// Save writes the changed case if it still has the version it was loaded at (409 otherwise), with everything
// in w and the deadlines index brought in step, in one transaction. It returns the new version.
func (r Records[T, C]) Save(ctx context.Context, before casework.Stored[T, C], after T, w casework.Writes) (int, error) {
	version := before.Version + 1
	item, err := r.item(after, version, before.TokenHash)
	if err != nil {
		return 0, err
	}
	rest, err := r.writes(r.Ref(after), version, before.Deadlines, after, w)
	if err != nil {
		return 0, err
	}
	err = r.Store.Write(ctx, append([]types.TransactWriteItem{r.Store.PutVersioned(item, before.Version)}, rest...))
	if errors.Is(err, ErrConditionFailed) {
		return 0, StaleWrite()
	}
	return version, err
}

// Between reads the cases of one index partition whose sort key (ReceivedKey of an instant) is in [from, to):
// one query on that key range, never a scan (monthly and annual reports).
func (r Records[T, C]) Between(ctx context.Context, index, pkAttr, skAttr, pk string, from, to time.Time) ([]T, error) {
	in := &dynamodb.QueryInput{
		TableName: &r.Store.Cases, IndexName: aws.String(index),
		KeyConditionExpression: aws.String(pkAttr + " = :pk AND " + skAttr + " BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(pk),
			":from": S(TimeKey(from)), ":to": S(ReceivedKey(to.Add(-time.Nanosecond), "~"))},
	}
	items, err := r.Store.NewQuery(in).All(ctx)
	if err != nil {
		return nil, err
	}
	return r.Cases(items)
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

// OnceRef is the reference a once-only key led to, "" when the key is unused.
func (s *Store) OnceRef(ctx context.Context, scope, id string) (string, error) {
	var m struct {
		Reference string `dynamodbav:"reference"`
	}
	found, err := s.Get(ctx, OnceKey(scope, id), SKOnce, &m)
	if err != nil || !found {
		return "", err
	}
	return m.Reference, nil
}
