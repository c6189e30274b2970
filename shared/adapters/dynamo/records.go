package dynamo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
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
	// Indexes gives the index attributes the case item carries (e.g. the reporter's key), from its state.
	Indexes func(T) map[string]types.AttributeValue
	// Lists gives the case's list entries (Listing.Items): the store keeps them in step with every change.
	Lists func(T) (map[string]map[string]types.AttributeValue, error)
	// Contact gives the contact a change leaves the case with when the change set it (nil: the stored one is
	// kept): Save writes the contact item again when it differs from the stored one.
	Contact func(T) *C
	// ContactIndexes gives the index attributes that depend on the contact: those the case item carries and
	// those the contact item carries (e.g. find keys under a hashed postcode or email). They are written with
	// the item they are on, so they follow every change of the contact in its transaction.
	ContactIndexes func(c T, contact C) (onCase, onContact map[string]types.AttributeValue)
	// ContactLookups gives the lookup items that depend on the contact, by sort key (lookups.go: FIND#<field>, a
	// hashed key in the byContact index and nothing else). They are written with the contact item, in its
	// transaction, and those a new contact no longer has are deleted.
	ContactLookups func(c T, contact C) map[string]map[string]types.AttributeValue
}

// lookups are the contact's lookup items (none without a contact).
func (r Records[T, C]) lookups(c T, contact *C) map[string]map[string]types.AttributeValue {
	if r.ContactLookups == nil || contact == nil {
		return nil
	}
	return r.ContactLookups(c, *contact)
}

func (r Records[T, C]) lists(c *T) (map[string]map[string]types.AttributeValue, error) {
	if r.Lists == nil || c == nil {
		return nil, nil
	}
	return r.Lists(*c)
}

var _ casework.Store[struct{}, struct{}] = Records[struct{}, struct{}]{}

type envelope[T any] struct {
	Data      T      `dynamodbav:"data"`
	Version   int    `dynamodbav:"version"`
	TokenHash string `dynamodbav:"tokenHash,omitempty"`
}

func (r Records[T, C]) item(v T, version int, tokenHash string, contact *C) (map[string]types.AttributeValue, error) {
	extra := map[string]types.AttributeValue{}
	if r.Indexes != nil {
		maps.Copy(extra, r.Indexes(v))
	}
	if r.ContactIndexes != nil && contact != nil {
		onCase, _ := r.ContactIndexes(v, *contact)
		maps.Copy(extra, onCase)
	}
	return Item(CaseKey(r.Kind, r.Ref(v)), SKCase, envelope[T]{Data: v, Version: version, TokenHash: tokenHash}, extra)
}

// contactItem is the case's contact item, with the index attributes that depend on the contact.
func (r Records[T, C]) contactItem(v T, contact C) (map[string]types.AttributeValue, error) {
	var extra map[string]types.AttributeValue
	if r.ContactIndexes != nil {
		_, extra = r.ContactIndexes(v, contact)
	}
	return Item(CaseKey(r.Kind, r.Ref(v)), SKContact, contact, extra)
}

// changedContact is the contact a change sets when it differs from the stored one (Contact), else nil.
func (r Records[T, C]) changedContact(stored *C, after T) *C {
	if r.Contact == nil {
		return nil
	}
	c := r.Contact(after)
	if c == nil || stored != nil && reflect.DeepEqual(*c, *stored) {
		return nil
	}
	return c
}

// writes are the items a change stores besides the case: timeline entries, the deadlines index brought in
// step, outbox messages, the idempotent answer and once-only keys.
func (r Records[T, C]) writes(ref string, version int, before []casefile.Deadline, was *T, after T, w casework.Writes) ([]types.TransactWriteItem, error) {
	evs, err := r.Store.EventWrites(r.Kind, ref, version, w.Events...)
	if err != nil {
		return nil, err
	}
	oldLists, err := r.lists(was)
	if err != nil {
		return nil, err
	}
	newLists, err := r.lists(&after)
	if err != nil {
		return nil, err
	}
	evs = append(evs, r.Store.listWrites(oldLists, newLists)...)
	dls, err := r.Store.DeadlineWrites(before, r.Deadlines(after))
	if err != nil {
		return nil, err
	}
	out, err := r.Store.OutboxWrites(w.Messages...)
	if err != nil {
		return nil, err
	}
	all := append(append(evs, dls...), out...)
	items, err := r.Store.ItemWrites(r.Kind, ref, w.Items...)
	if err != nil {
		return nil, err
	}
	all = append(all, items...)
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
	item, err := r.item(s.Case, 1, s.TokenHash, s.Contact)
	if err != nil {
		return err
	}
	writes := []types.TransactWriteItem{r.Store.PutNew(item)}
	if s.Contact != nil {
		c, err := r.contactItem(s.Case, *s.Contact)
		if err != nil {
			return err
		}
		writes = append(writes, r.Store.Put(c))
		writes = append(writes, r.Store.listWrites(nil, r.lookups(s.Case, s.Contact))...)
	}
	rest, err := r.writes(ref, 1, nil, nil, s.Case, w)
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

// Load reads a case's head (the case, its contact and its open deadlines) with one query on the keys that
// sort before its history (sk < "EVENT#"), so it costs the same however long the history grows; an unknown
// reference is NotFound.
func (r Records[T, C]) Load(ctx context.Context, ref string) (casework.Stored[T, C], error) {
	var l casework.Stored[T, C]
	items, err := r.Store.CaseHead(r.Kind, ref).All(ctx)
	if err != nil {
		return l, err
	}
	found := false
	for _, it := range items {
		sk := it["sk"].(*types.AttributeValueMemberS).Value
		switch {
		case sk == SKCase:
			if on, ok := it[AttrAnonymised]; ok { // its data is a summary now (retention.go): nothing to act on
				return l, anonymisedError(r.Kind, ref, str(on))
			}
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
	return l, nil
}

// History pages through a case's timeline newest first: one query of at most limit entries per page.
func (r Records[T, C]) History(ctx context.Context, ref string, limit int, token string) (casework.History, error) {
	items, next, err := r.Store.CaseHistory(r.Kind, ref).Page(ctx, limit, token)
	if err != nil {
		return casework.History{}, err
	}
	events, err := UnmarshalAll[casefile.Event](items)
	return casework.History{Events: events, Next: next}, err
}

// HistoryOldestFirst pages through a case's timeline oldest first (tokens are not History's).
func (r Records[T, C]) HistoryOldestFirst(ctx context.Context, ref string, limit int, token string) (casework.History, error) {
	items, next, err := r.Store.CaseChronicle(r.Kind, ref).Page(ctx, limit, token)
	if err != nil {
		return casework.History{}, err
	}
	events, err := UnmarshalAll[casefile.Event](items)
	return casework.History{Events: events, Next: next}, err
}

// Save writes the changed case if it still has the version it was loaded at (409 otherwise), with everything
// in w, the deadlines index brought in step and, when the change set a new contact (Contact), the contact
// item, in one transaction. It returns the new version.
func (r Records[T, C]) Save(ctx context.Context, before casework.Stored[T, C], after T, w casework.Writes) (int, error) {
	version := before.Version + 1
	contact, changed := before.Contact, r.changedContact(before.Contact, after)
	if changed != nil {
		contact = changed
	}
	item, err := r.item(after, version, before.TokenHash, contact)
	if err != nil {
		return 0, err
	}
	rest, err := r.writes(r.Ref(after), version, before.Deadlines, &before.Case, after, w)
	if err != nil {
		return 0, err
	}
	if changed != nil {
		c, err := r.contactItem(after, *changed)
		if err != nil {
			return 0, err
		}
		rest = append(rest, r.Store.Put(c))
		rest = append(rest, r.Store.listWrites(r.lookups(before.Case, before.Contact), r.lookups(after, changed))...)
	}
	err = r.Store.Write(ctx, append([]types.TransactWriteItem{r.Store.PutVersioned(item, before.Version)}, rest...))
	if errors.Is(err, ErrConditionFailed) {
		return 0, StaleWrite()
	}
	return version, err
}

// between reads the summaries of one list whose sort key (ReceivedKey of an instant) is in [from, to), on every
// shard: the reports' read.
func between[V any](ctx context.Context, s *Store, index, pkAttr, skAttr, key string, from, to time.Time) ([]V, error) {
	items, err := s.ListAll(ctx, ListQuery{Index: index, PKAttr: pkAttr, SKAttr: skAttr, Key: key, SKCond: "BETWEEN :from AND :to",
		Values: map[string]types.AttributeValue{":from": S(TimeKey(from)), ":to": S(ReceivedKey(to.Add(-time.Nanosecond), "~"))}})
	if err != nil {
		return nil, err
	}
	return Summaries[V](items)
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

// SKItem is the prefix of a case's items of their own (casework.Item): ITEM#<kind>#<id>. They sort after its
// history, so Load never reads them.
const SKItem = "ITEM#"

// ItemKey is the sort key of a case's item of its own. An id's number is zero-padded in the key ("W2" sorts as
// W000002, before W000010), so a kind's items read in the order they were added (ItemsPage, newest first); the id
// itself is unchanged.
func ItemKey(kind, id string) string { return SKItem + kind + "#" + sortableID(id) }

// sortableID pads the digits that end id to 6 (ids are a letter and a count, bounded per case: I2, W10, S1).
func sortableID(id string) string {
	i := len(id)
	for i > 0 && id[i-1] >= '0' && id[i-1] <= '9' {
		i--
	}
	if i == len(id) || len(id)-i >= 6 {
		return id
	}
	return id[:i] + strings.Repeat("0", 6-(len(id)-i)) + id[i:]
}

// ItemsPage pages through a case's items of one kind, newest first: one key query in the case's partition
// (sk begins with ITEM#<kind>#), never a scan or a filter, with a token signed for that case and kind. Each
// item's value is handed to each (its unmarshal decodes it).
func (s *Store) ItemsPage(ctx context.Context, kind casefile.Kind, ref, itemKind string, limit int, token string, each func(unmarshal func(any) error) error) (string, error) {
	in := queryInput(s.Cases, "", "pk = :pk AND begins_with(sk, :prefix)", map[string]types.AttributeValue{
		":pk": S(CaseKey(kind, ref)), ":prefix": S(SKItem + itemKind + "#")})
	in.ScanIndexForward = aws.Bool(false)
	items, next, err := s.NewQuery(in).Page(ctx, limit, token)
	if err != nil {
		return "", err
	}
	for _, it := range items {
		if err := each(func(v any) error {
			data, ok := it["data"]
			if !ok {
				return fmt.Errorf("item %v has no data", it["sk"])
			}
			return attributevalue.UnmarshalWithOptions(data, v, func(o *attributevalue.DecoderOptions) { o.UseEncodingUnmarshalers = true })
		}); err != nil {
			return "", err
		}
	}
	return next, nil
}

// ItemWrites are the puts of a change's items of their own (casework.Item): each under "data", with its reporter's
// key in the byContact index (keys only: counted, ASB-7) and its dated entry in the byEvent index.
func (s *Store) ItemWrites(kind casefile.Kind, ref string, items ...casework.Item) ([]types.TransactWriteItem, error) {
	var writes []types.TransactWriteItem
	for _, it := range items {
		extra := map[string]types.AttributeValue{}
		if it.Reporter != "" {
			extra[AttrContactPK], extra[AttrContactSK] = S(ReporterKey(it.Reporter)), S(TimeKey(it.At))
		}
		if it.Dated != "" {
			extra[AttrEventPK], extra[AttrEventSK] = S(Sharded(DatedKey(kind, it.Dated), ShardOf(ref))), S(ReceivedKey(it.At, ref))
		}
		item, err := Item(CaseKey(kind, ref), ItemKey(it.Kind, it.ID), map[string]any{"data": it.Value}, extra)
		if err != nil {
			return nil, err
		}
		writes = append(writes, s.Put(item))
	}
	return writes, nil
}

// LoadItem reads one of a case's items of their own (false when there is none).
func LoadItem[V any](ctx context.Context, s *Store, kind casefile.Kind, ref, itemKind, id string) (V, bool, error) {
	var env struct {
		Data V `dynamodbav:"data"`
	}
	found, err := s.Get(ctx, CaseKey(kind, ref), ItemKey(itemKind, id), &env)
	return env.Data, found, err
}
