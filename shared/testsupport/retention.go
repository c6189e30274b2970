package testsupport

import (
	"context"
	"errors"
	"hash/fnv"
	"sort"
	"sync"
	"time"

	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	rules "github.com/councilhousing/backend/shared/rules/retention"
)

// Retention is the retention ports in memory (shared/adapters/dynamo's EndedLists, Anonymiser and ContactEditor
// are tested against DynamoDB Local): ended lists over 2 shards with the job's place in each, the runs recorded,
// the records anonymised with their marks, and contact details with their timeline entries.
type Retention struct {
	mu         sync.Mutex
	ended      []rules.Ended
	places     map[string]rules.Ended
	Runs       []retention.Run
	Marks      map[string]retention.Mark // reference -> how it was anonymised
	Contacts   map[string]contact.Details
	Events     map[string][]casefile.Event // reference -> timeline entries written by a rectification
	FailOn     string                      // a reference whose anonymising fails
	Anonymises int                         // calls to Anonymise
}

// NewRetention is an empty store.
func NewRetention() *Retention {
	return &Retention{places: map[string]rules.Ended{}, Marks: map[string]retention.Mark{}, Contacts: map[string]contact.Details{},
		Events: map[string][]casefile.Event{}}
}

// End puts a record in its ended list.
func (r *Retention) End(e rules.Ended) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ended = append(r.ended, e)
}

// Shards is 2, so the job's per-shard place is exercised.
func (r *Retention) Shards() int { return 2 }

func shardOf(ref string) int {
	h := fnv.New32a()
	h.Write([]byte(ref))
	return int(h.Sum32() % 2)
}

func sortKey(e rules.Ended) string { return e.At.UTC().Format(time.RFC3339Nano) + "#" + e.Ref }

func placeKey(e rules.Entry, shard int) string {
	return string(e.Kind) + "#" + e.Outcome + "#" + string(rune('0'+shard))
}

// Page lists the shard's records of the entry's kind and outcome that ended by endedBy, after the place.
func (r *Retention) Page(_ context.Context, e rules.Entry, shard int, endedBy time.Time, limit int) ([]rules.Ended, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []rules.Ended
	place, placed := r.places[placeKey(e, shard)]
	for _, x := range r.ended {
		if x.Kind == e.Kind && x.Outcome == e.Outcome && shardOf(x.Ref) == shard && !x.At.After(endedBy) &&
			(!placed || sortKey(x) > sortKey(place)) {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return sortKey(out[i]) < sortKey(out[j]) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// Advance moves the shard's place.
func (r *Retention) Advance(_ context.Context, e rules.Entry, shard int, last rules.Ended) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.places[placeKey(e, shard)] = last
	return nil
}

// SaveRun records a run.
func (r *Retention) SaveRun(_ context.Context, run retention.Run) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Runs = append(r.Runs, run)
	return nil
}

// Anonymise marks the record and forgets its contact; false when it was marked already.
func (r *Retention) Anonymise(_ context.Context, _ casefile.Kind, ref string, m retention.Mark) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Anonymises++
	if ref == r.FailOn {
		return false, errors.New("DynamoDB is down")
	}
	if _, done := r.Marks[ref]; done {
		return false, nil
	}
	r.Marks[ref] = m
	delete(r.Contacts, ref)
	return true, nil
}

// Contact reads a record's contact details.
func (r *Retention) Contact(_ context.Context, _ casefile.Kind, ref string) (contact.Details, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.Contacts[ref]
	if !ok {
		return d, apperr.NotFoundf("no contact for %s", ref)
	}
	return d, nil
}

// Rectify sets one field if it still holds old.
func (r *Retention) Rectify(_ context.Context, _ casefile.Kind, ref, field, old, value string, ev casefile.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.Contacts[ref]
	at := map[string]*string{rules.FieldName: &d.Name, rules.FieldEmail: &d.Email, rules.FieldPhone: &d.Phone, rules.FieldAddress: &d.Address}[field]
	if *at != old {
		return apperr.New(apperr.Conflict, "changed meanwhile")
	}
	*at = value
	r.Contacts[ref] = d
	r.Events[ref] = append(r.Events[ref], ev)
	return nil
}
