// Package testsupport holds what the fast tests share: in-memory implementations of the application layer's
// ports and API Gateway events for handler tests. It is imported by tests only; production code never uses
// it. The DynamoDB adapters are tested against DynamoDB Local, never only through these fakes.
package testsupport

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Store keeps cases in memory with the real store's semantics: versions (a stale save is a Conflict), a
// reference or once-only key used twice is a Conflict, and what is read back is a copy (JSON round trip), so a
// test cannot pass by sharing memory with the service.
type Store[T any, C any] struct {
	Ref func(T) string

	mu       sync.Mutex
	cases    map[string]casework.Stored[T, C]
	history  map[string][]casefile.Event // oldest first
	once     map[string]string
	items    map[string]map[string]casework.Item // case -> kind#id -> its latest write (Value a JSON copy)
	Messages []casework.Message                  // every message stored with a change, in order
	Answers  []casework.Answer                   // idempotent answers stored
}

var _ casework.Store[struct{}, struct{}] = (*Store[struct{}, struct{}])(nil)

// NewStore makes an empty store for cases whose reference ref gives.
func NewStore[T any, C any](ref func(T) string) *Store[T, C] {
	return &Store[T, C]{Ref: ref, cases: map[string]casework.Stored[T, C]{}, history: map[string][]casefile.Event{}, once: map[string]string{},
		items: map[string]map[string]casework.Item{}}
}

// Load returns a copy of the case, NotFound when unknown.
func (s *Store[T, C]) Load(_ context.Context, ref string) (casework.Stored[T, C], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored, ok := s.cases[ref]
	if !ok {
		return casework.Stored[T, C]{}, apperr.NotFoundf("There is no case with reference %s.", ref)
	}
	return clone(stored), nil
}

// Create stores a new case at version 1.
func (s *Store[T, C]) Create(_ context.Context, st casework.Stored[T, C], w casework.Writes) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := s.Ref(st.Case)
	if _, exists := s.cases[ref]; exists {
		return apperr.New(apperr.Conflict, "case %s exists", ref)
	}
	for _, o := range w.Once {
		if _, used := s.once[o.Scope+"#"+o.ID]; used {
			return apperr.New(apperr.Conflict, "%s %s was recorded already", o.Scope, o.ID)
		}
	}
	for _, o := range w.Once {
		s.once[o.Scope+"#"+o.ID] = o.Ref
	}
	s.putItems(ref, w.Items)
	st.Version, st.Timeline, st.TimelineNext = 1, nil, ""
	s.cases[ref] = clone(st)
	s.history[ref] = append([]casefile.Event{}, w.Events...)
	s.record(w)
	return nil
}

// Save stores the change if the case is still at before.Version.
func (s *Store[T, C]) Save(_ context.Context, before casework.Stored[T, C], after T, w casework.Writes) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := s.Ref(after)
	current, ok := s.cases[ref]
	if !ok || current.Version != before.Version {
		return 0, apperr.New(apperr.Conflict, "The record was changed by someone else at the same time. Reload it and try again.")
	}
	for _, o := range w.Once {
		if _, used := s.once[o.Scope+"#"+o.ID]; used {
			return 0, apperr.New(apperr.Conflict, "%s %s was recorded already", o.Scope, o.ID)
		}
	}
	for _, o := range w.Once {
		s.once[o.Scope+"#"+o.ID] = o.Ref
	}
	s.putItems(ref, w.Items)
	current.Case, current.Version = after, current.Version+1
	s.cases[ref] = clone(current)
	s.history[ref] = append(s.history[ref], w.Events...)
	s.record(w)
	return current.Version, nil
}

// Note adds an entry to a case's timeline without changing the case, as the notifier's correspondence record
// does (shared/adapters/dynamo.NotificationRecords.Finish).
func (s *Store[T, C]) Note(ref string, e casefile.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.history[ref] = append(s.history[ref], e)
}

// History pages through a case's timeline newest first; the token is the number of entries already given.
func (s *Store[T, C]) History(_ context.Context, ref string, limit int, token string) (casework.History, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.history[ref]
	skip := 0
	if token != "" {
		if _, err := fmt.Sscanf(token, "%d", &skip); err != nil || skip < 0 || skip > len(all) {
			var f apperr.Fields
			f.Add("nextToken", "is not a token this list gave out; start again without it")
			return casework.History{}, f.Err()
		}
	}
	var h casework.History
	for i := len(all) - 1 - skip; i >= 0 && len(h.Events) < limit; i-- {
		h.Events = append(h.Events, all[i])
	}
	if given := skip + len(h.Events); given < len(all) {
		h.Next = fmt.Sprint(given)
	}
	return clone(h), nil
}

// HistoryOldestFirst pages through a case's timeline oldest first; the token is "old:" and the number given.
func (s *Store[T, C]) HistoryOldestFirst(_ context.Context, ref string, limit int, token string) (casework.History, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.history[ref]
	skip := 0
	if token != "" {
		if _, err := fmt.Sscanf(token, "old:%d", &skip); err != nil || skip < 0 || skip > len(all) {
			var f apperr.Fields
			f.Add("nextToken", "is not a token this list gave out; start again without it")
			return casework.History{}, f.Err()
		}
	}
	var h casework.History
	for i := skip; i < len(all) && len(h.Events) < limit; i++ {
		h.Events = append(h.Events, all[i])
	}
	if given := skip + len(h.Events); given < len(all) {
		h.Next = fmt.Sprintf("old:%d", given)
	}
	return clone(h), nil
}

// OnceRef is the reference a once-only key led to, "" when unused.
func (s *Store[T, C]) OnceRef(_ context.Context, scope, id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.once[scope+"#"+id], nil
}

// All returns a copy of every stored case.
func (s *Store[T, C]) All() []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]T, 0, len(s.cases))
	for _, st := range s.cases {
		out = append(out, clone(st).Case)
	}
	return out
}

func (s *Store[T, C]) putItems(ref string, items []casework.Item) {
	for _, it := range items {
		if s.items[ref] == nil {
			s.items[ref] = map[string]casework.Item{}
		}
		raw, err := json.Marshal(it.Value)
		if err != nil {
			panic(fmt.Sprintf("testsupport: %v", err))
		}
		it.Value = json.RawMessage(raw)
		s.items[ref][it.Kind+"#"+it.ID] = it
	}
}

// Items are every case's items of their own (casework.Item), each as last written, Value as JSON.
func (s *Store[T, C]) Items() map[string][]casework.Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]casework.Item{}
	for ref, byKey := range s.items {
		for _, it := range byKey {
			out[ref] = append(out[ref], it)
		}
	}
	return out
}

func (s *Store[T, C]) record(w casework.Writes) {
	s.Messages = append(s.Messages, w.Messages...)
	if w.Answer != nil {
		s.Answers = append(s.Answers, *w.Answer)
	}
}

func clone[V any](v V) V {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("testsupport: %v", err))
	}
	var out V
	if err := json.Unmarshal(raw, &out); err != nil {
		panic(fmt.Sprintf("testsupport: %v", err))
	}
	return out
}

// Outbox records the messages delivered.
type Outbox struct {
	mu        sync.Mutex
	Delivered []casework.Message
}

// Deliver records messages as delivered.
func (o *Outbox) Deliver(_ context.Context, messages ...casework.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.Delivered = append(o.Delivered, messages...)
	return nil
}
