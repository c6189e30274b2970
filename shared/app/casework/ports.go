package casework

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Stored is a case as stored, with everything the use cases read about it.
type Stored[T any, C any] struct {
	Case      T
	Version   int                 // optimistic locking: a save succeeds only at this version
	TokenHash string              // SHA-256 of the resident's access token ("" when none was given)
	Contact   *C                  // nil when there is none (an anonymous ASB report)
	Deadlines []casefile.Deadline // the open deadlines as stored (the store writes the difference on save)
	// Timeline is newest first: after a change, the entries it recorded; on a staff read, the newest page of
	// the case's history, with TimelineNext the token for the next page ("" when there is no more). Load
	// never reads it: the history is items of its own, so a case's reads and changes cost the same however
	// long its history grows.
	Timeline     []casefile.Event
	TimelineNext string
}

// HistoryPageSize is how many timeline entries a staff read of a case carries; the rest are a token away.
const HistoryPageSize = 20

// PageRequest asks for one page: its size (HistoryPageSize when 0) and the token of the previous page's end.
type PageRequest struct {
	Limit int
	Token string
}

// History is one page of a case's timeline, newest first, and the token for the next ("" at the end).
type History struct {
	Events []casefile.Event
	Next   string
}

// Message is something a change asks another part of the system to do (a notification, a referral). It is
// written with the change (the outbox) and delivered after it; consumers deduplicate on ID.
type Message struct {
	ID    string
	Queue string // catalog queue name
	Type  string
	Body  json.RawMessage
	At    time.Time
}

// NewMessage encodes body as a message.
func NewMessage(id, queue, msgType string, body any, at time.Time) (Message, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return Message{}, err
	}
	return Message{ID: id, Queue: queue, Type: msgType, Body: raw, At: at.UTC()}, nil
}

// Answer is a create request's answer kept with the records it created, so that a retry with the same
// Idempotency-Key is given it again (shared/transport/idem). Body is the transport's encoding of the result.
type Answer struct {
	Key         string
	PayloadHash string
	Status      int
	Body        string
	At          time.Time
}

// Once is a key that may be written only once (e.g. an out-of-hours call id): the change fails with a Conflict
// when it exists already, so a redelivered message cannot make a second case.
type Once struct {
	Scope string // e.g. "out-of-hours-call"
	ID    string
	Ref   string // the case the key led to
}

// Item is a record of its own in a case's partition besides its timeline (e.g. an ASB further incident): bounded
// in size, never read by Load, so the case's head stays the same size however many there are. Writing an item
// again with the same Kind and ID replaces it. Reporter, when set, is the hash of a verified reporter's contact:
// the item is counted with that reporter's cases (ASB-7), by key, at At; Dated, when set, puts it in the kind's
// dated list of that name (e.g. "incident") at At, which a report reads by a time range, never a scan.
type Item struct {
	Kind     string // e.g. "INCIDENT"
	ID       string // unique within the case and kind
	Value    any
	Reporter string
	Dated    string
	At       time.Time
}

// Writes are what a change stores besides the case itself, in the same transaction.
type Writes struct {
	Events   []casefile.Event
	Messages []Message
	Answer   *Answer
	Once     []Once
	Items    []Item
}

// Store keeps one kind of case. Create fails with a Conflict when the case (or a Once key) exists; Save fails
// with a Conflict when the case is no longer at before.Version. Load of an unknown reference is NotFound.
// Load reads the case's head (the case, its contact and open deadlines), never its history; History pages
// through the timeline newest first (a token from another case or list is a 400).
type Store[T any, C any] interface {
	Load(ctx context.Context, ref string) (Stored[T, C], error)
	History(ctx context.Context, ref string, limit int, token string) (History, error)
	Create(ctx context.Context, s Stored[T, C], w Writes) error
	Save(ctx context.Context, before Stored[T, C], after T, w Writes) (version int, err error)
}

// Outbox delivers messages already stored with their change. A failed delivery is left for the relay (every
// 5 minutes), so callers only log it.
type Outbox interface {
	Deliver(ctx context.Context, messages ...Message) error
}

// AnswerRecorder turns a use case's result into the Answer stored with it; nil when the request has no
// Idempotency-Key.
type AnswerRecorder func(result any) (*Answer, error)

// Record is the Answer for result, or nil when there is nothing to record.
func (r AnswerRecorder) Record(result any) (*Answer, error) {
	if r == nil {
		return nil, nil
	}
	return r(result)
}

// Queues puts messages on their queues (shared/adapters/queue). Use cases that must not lose a message store it
// with their change (the outbox) instead; this is for runs that keep their own record of what they sent.
type Queues interface {
	Publish(ctx context.Context, messages ...Message) error
}

// ErrPermanent marks a message that can never succeed however often it is retried (e.g. GOV.UK Notify said
// 400): the use case has recorded why, and the transport acknowledges it rather than retrying it into the DLQ.
var ErrPermanent = errors.New("permanent failure")
