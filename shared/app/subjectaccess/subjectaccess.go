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
	"slices"
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
// and pages of each record's timeline (HistoryPage entries each).
const (
	MaxRecordsPerKind = 50
	MaxTimelinePages  = 100
	HistoryPage       = 100
)

// Store keeps the requests.
type Store = casework.Store[sar.Request, struct{}]

// Service runs the subject access use cases.
type Service struct {
	Store        Store
	Outbox       casework.Outbox
	Directory    residentaccess.Directory
	ASB          residentaccess.Store[asb.Case, asb.Reporter]
	Complaints   residentaccess.Store[complaints.Complaint, complaints.Contact]
	Applications residentaccess.Store[register.Record, register.Contact]
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

// Export is everything held about the requester: each record they are on, whole.
type Export struct {
	Request     sar.Request      `json:"request"`
	GeneratedAt time.Time        `json:"generatedAt"`
	GeneratedBy casefile.Actor   `json:"generatedBy"`
	Records     []ExportedRecord `json:"records"`
	// Notes says what the team must still do before sending it (third parties, exemptions).
	Notes []string `json:"notes"`
}

// ExportedRecord is one record as stored: the case (its data, letters included), the contact details kept with
// it, and its whole timeline, oldest first.
type ExportedRecord struct {
	Kind      casefile.Kind    `json:"kind"`
	Reference string           `json:"reference"`
	FoundBy   []string         `json:"foundBy"` // email, phone, reference
	Record    any              `json:"record"`
	Contact   any              `json:"contact,omitempty"`
	Timeline  []casefile.Event `json:"timeline"`
	// TimelineIncomplete is set when the timeline had more than MaxTimelinePages pages (read the rest by reference).
	TimelineIncomplete bool `json:"timelineIncomplete,omitempty"`
}

// exportNotes are said with every export: it is the team's working copy.
var exportNotes = []string{
	"Records found by the requester's email address and mobile number (by key) and by the references given; check for records under other contact details.",
	"Redact other people's personal data (for example a person reported, a witness or another household member) unless they consent or it is reasonable to disclose (Data Protection Act 2018 Sch 2 para 16).",
	"Apply any exemption (for example crime and taxation, Sch 2 para 2, for information given to the police) before sending.",
}

// Export gathers every record the requester is on and records the export on the request's timeline.
func (s Service) Export(ctx context.Context, cmd Read) (Export, error) {
	var out Export
	_, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(sar.Group) },
		func(r *sar.Request, _ Stored) (casework.Outcome, error) {
			records, err := s.gather(ctx, *r)
			if err != nil {
				return casework.Outcome{}, err
			}
			counts := map[string]int{}
			for _, rec := range records {
				counts[string(rec.Kind)]++
			}
			ev := r.Exported(counts, cmd.By.Actor(), cmd.At)
			out = Export{Request: *r, GeneratedAt: cmd.At.UTC(), GeneratedBy: cmd.By.Actor(), Records: records, Notes: exportNotes}
			return casework.Outcome{Events: []casefile.Event{ev}}, nil
		})
	return out, err
}

// gather finds the requester's records (by each identifier, and the references given) and reads each whole.
func (s Service) gather(ctx context.Context, r sar.Request) ([]ExportedRecord, error) {
	found, err := s.find(ctx, r)
	if err != nil {
		return nil, err
	}
	out := make([]ExportedRecord, 0, len(found))
	for _, rec := range found {
		if err := s.read(ctx, &rec); err != nil {
			if apperr.CodeOf(err) == apperr.NotFound && slices.Contains(rec.FoundBy, "reference") && len(rec.FoundBy) == 1 {
				continue // a reference given that names no record: nothing is held under it
			}
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// find is which records the requester is on, by key (each identifier in the directory, and the references given),
// without reading them.
func (s Service) find(ctx context.Context, r sar.Request) ([]ExportedRecord, error) {
	contacts, err := s.contacts(r.Email, r.Phone)
	if err != nil {
		return nil, err
	}
	var order []string
	found := map[string]*ExportedRecord{}
	add := func(kind casefile.Kind, ref, by string) {
		if rec := found[ref]; rec != nil {
			rec.FoundBy = append(rec.FoundBy, by)
			return
		}
		found[ref] = &ExportedRecord{Kind: kind, Reference: ref, FoundBy: []string{by}}
		order = append(order, ref)
	}
	for _, c := range contacts {
		hits, err := s.Directory.Find(ctx, c.contact, MaxRecordsPerKind)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			add(h.Kind, h.Ref, c.by)
		}
	}
	for _, ref := range r.References {
		if kind, ok := kindOf(ref); ok {
			add(kind, ref, "reference")
		}
	}
	out := make([]ExportedRecord, 0, len(order))
	for _, ref := range order {
		out = append(out, *found[ref])
	}
	return out, nil
}

// read loads one record whole: the case, its contact and every page of its timeline (oldest first).
func (s Service) read(ctx context.Context, rec *ExportedRecord) error {
	var history func(ctx context.Context, ref string, limit int, token string) (casework.History, error)
	switch rec.Kind {
	case casefile.ASB:
		st, err := s.ASB.Load(ctx, rec.Reference)
		if err != nil {
			return err
		}
		rec.Record, rec.Contact, history = st.Case, optional(st.Contact), s.ASB.History
	case casefile.Complaint:
		st, err := s.Complaints.Load(ctx, rec.Reference)
		if err != nil {
			return err
		}
		rec.Record, rec.Contact, history = st.Case, optional(st.Contact), s.Complaints.History
	case casefile.Application:
		st, err := s.Applications.Load(ctx, rec.Reference)
		if err != nil {
			return err
		}
		rec.Record, rec.Contact, history = st.Case, optional(st.Contact), s.Applications.History
	default:
		return apperr.NotFoundf("There is no record %s.", rec.Reference)
	}
	token := ""
	for page := 0; ; page++ {
		if page == MaxTimelinePages {
			rec.TimelineIncomplete = true
			break
		}
		h, err := history(ctx, rec.Reference, HistoryPage, token)
		if err != nil {
			return err
		}
		rec.Timeline = append(rec.Timeline, h.Events...)
		if token = h.Next; token == "" {
			break
		}
	}
	for i, j := 0, len(rec.Timeline)-1; i < j; i, j = i+1, j-1 { // oldest first, as a reader follows a case
		rec.Timeline[i], rec.Timeline[j] = rec.Timeline[j], rec.Timeline[i]
	}
	return nil
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
