// Package subjectaccess is the subject access use cases (UK GDPR Art 15): the information governance team logs a
// request (a case with a deadline one month after receipt, in the reminder digests), exports every record the
// person is on, across ASB cases, complaints and register applications, with each record's full timeline and
// letters, and records that the response was sent. Each export is on the request's timeline (who, when, how many
// records): the audit trail of who saw what. On the same request the team decides erasure (Art 17: refused with
// the article and retention entry where the law allows, otherwise anonymised as the retention job does) and
// rectification (Art 16) of the person's records (rights.go).
//
// Records are found by key, never by searching: the requester's email address and mobile number through the
// byContact index (the same directory a resident's sign-in uses, shared/app/residentaccess), and references the
// team has confirmed are the person's.
package subjectaccess

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/register"
	rules "github.com/councilhousing/backend/shared/rules/retention"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
)

// Limits on what one export reads, so a request cannot make unbounded work: records of each kind per identifier,
// and pages of timeline one part of an export reads (HistoryPage entries each; export.go bounds its size).
const (
	MaxRecordsPerKind = 50
	MaxTimelinePages  = 100
	HistoryPage       = 100
)

// Records reads one kind of record for an export: its head, and its timeline oldest first.
type Records[T, C any] interface {
	Load(ctx context.Context, ref string) (casework.Stored[T, C], error)
	HistoryOldestFirst(ctx context.Context, ref string, limit int, token string) (casework.History, error)
}

// Store keeps the requests.
type Store = casework.Store[sar.Request, struct{}]

// Service runs the subject access use cases.
type Service struct {
	Store        Store
	Outbox       casework.Outbox
	Directory    residentaccess.Directory
	ASB          Records[asb.Case, asb.Reporter]
	Complaints   Records[complaints.Complaint, complaints.Contact]
	Applications Records[register.Record, register.Contact]
	// An export answers in parts of at most ExportLimit bytes (DefaultExportLimit when 0), each part's nextToken
	// signed with TokenKey (the function's PAGE_TOKEN_KEY).
	ExportLimit int
	TokenKey    []byte
	// Erasure and rectification (UK GDPR Art 17, 16): the retention schedule the refusals cite, the anonymiser the
	// retention job uses, and the contact editor.
	Schedule   rules.Schedule
	Anonymiser retention.Anonymiser
	Contacts   retention.ContactEditor
}

// Stored is a request as stored.
type Stored = casework.Stored[sar.Request, struct{}]

// Log is POST /subject-access-requests.
type Log struct {
	Input  sar.Input
	By     casework.Staff
	At     time.Time
	Answer casework.AnswerRecorder // keeps the answer with the request for a retried call (Idempotency-Key)
}

// Complete is POST /subject-access-requests/{reference}/completion.
type Complete = casework.Action[sar.Completion]

// Read is a staff read of a request (its newest timeline entries with it).
type Read = casework.Action[casework.NoInput]

func (s Service) pipeline() casework.Pipeline[sar.Request, struct{}] {
	return casework.Pipeline[sar.Request, struct{}]{Store: s.Store, Outbox: s.Outbox}
}

// Log records a new request, with its deadline.
func (s Service) Log(ctx context.Context, cmd Log) (Stored, error) {
	if err := cmd.By.Check(sar.Group); err != nil {
		return Stored{}, err
	}
	if _, err := s.contacts(cmd.Input.Email, cmd.Input.Phone); err != nil {
		return Stored{}, err
	}
	for i, ref := range cmd.Input.References {
		if _, ok := kindOf(ref); !ok {
			var f apperr.Fields
			f.Add("references["+strconv.Itoa(i)+"]", "is not a reference of an ASB case (ASB-), a complaint (CMP-) or a register application (HR-)")
			return Stored{}, f.Err()
		}
	}
	r, ev, err := sar.New(cmd.Input, ids.NewReference("SAR"), cmd.By.Actor(), cmd.At)
	if err != nil {
		return Stored{}, err
	}
	st := Stored{Case: r, Version: 1, Deadlines: sar.OpenDeadlines(r), Timeline: []casefile.Event{ev}}
	answer, err := cmd.Answer.Record(st)
	if err != nil {
		return Stored{}, err
	}
	return st, s.pipeline().Create(ctx, st, casework.Writes{Events: []casefile.Event{ev}, Answer: answer})
}

// Get is the request with its newest timeline entries, for the team.
func (s Service) Get(ctx context.Context, cmd Read) (Stored, error) {
	if err := cmd.By.Check(sar.Group); err != nil {
		return Stored{}, err
	}
	st, err := s.Store.Load(ctx, cmd.Ref)
	if err != nil {
		return Stored{}, err
	}
	h, err := s.Store.History(ctx, cmd.Ref, casework.HistoryPageSize, "")
	if err != nil {
		return Stored{}, err
	}
	st.Timeline, st.TimelineNext = h.Events, h.Next
	return st, nil
}

// Complete records that the response was sent, which ends the deadline.
func (s Service) Complete(ctx context.Context, cmd Complete) (Stored, error) {
	saved, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(sar.Group) },
		func(r *sar.Request, _ Stored) (casework.Outcome, error) {
			ev, err := r.Complete(cmd.Input, cmd.By.Actor(), cmd.At)
			return casework.Outcome{Events: []casefile.Event{ev}}, err
		})
	return saved, err
}

type identifier struct {
	contact residentaccess.Contact
	by      string
}

// contacts parses the request's email address and mobile number as the directory keys them.
func (s Service) contacts(email, phone string) ([]identifier, error) {
	var out []identifier
	var f apperr.Fields
	for _, id := range []struct{ value, field string }{{email, "email"}, {phone, "phone"}} {
		if strings.TrimSpace(id.value) == "" {
			continue
		}
		c, err := residentaccess.ParseContact(id.value)
		if err != nil || (id.field == "email") != (c.Email() != "") {
			f.Add(id.field, "%s", map[string]string{"email": "must be an email address", "phone": "must be a UK mobile number"}[id.field])
			continue
		}
		out = append(out, identifier{c, id.field})
	}
	return out, f.Err()
}

// kindOf is the kind of record a reference names, by its prefix.
func kindOf(ref string) (casefile.Kind, bool) {
	switch {
	case strings.HasPrefix(ref, "ASB-"):
		return casefile.ASB, true
	case strings.HasPrefix(ref, "CMP-"):
		return casefile.Complaint, true
	case strings.HasPrefix(ref, "HR-"):
		return casefile.Application, true
	}
	return "", false
}

func optional[C any](c *C) any {
	if c == nil {
		return nil
	}
	return *c
}
