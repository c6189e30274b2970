package subjectaccess

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
)

// DefaultExportLimit is the most one answer of an export may take, in bytes as the transport measures it (the
// body as carried in the Lambda response): well inside Lambda's 6 MB response limit, leaving room for the
// headers. An export that is larger is answered in parts (Export.NextToken).
const DefaultExportLimit = 4 << 20

// maxTokenBytes bounds a nextToken before any work is done on it: real ones are a few hundred bytes.
const maxTokenBytes = 2048

// exportSlack covers what measuring the pieces one by one does not: the brackets and separators between them.
const exportSlack = 1024

// Measure is how many bytes a piece of an export takes in the answer as sent: an Export without records (the
// envelope), an ExportedRecord without its timeline (a record's head) or a casefile.Event (a timeline entry).
// The transport measures its own encoding (JSON, or the HTML page); nil measures compact JSON.
type Measure func(piece any) (int, error)

// ExportPart is POST /subject-access-requests/{reference}/export: the first part, or the one Token names.
type ExportPart struct {
	Read
	Token   string // the nextToken of the part before ("" for the first)
	Measure Measure
	Format  string // what Measure measures (the transport's "json" or "html"): a token continues only that format
}

// Export is everything held about the requester: each record they are on, whole. When it would not fit in one
// answer (Service.ExportLimit), it is in parts: each part lists every record found (Found), carries as many
// records as fit (a record whose timeline alone is too large is split across parts, oldest entries first) and,
// but for the last, the token of the next (NextToken).
type Export struct {
	Request     sar.Request      `json:"request"`
	GeneratedAt time.Time        `json:"generatedAt"`
	GeneratedBy casefile.Actor   `json:"generatedBy"`
	Records     []ExportedRecord `json:"records"`
	// Notes says what the team must still do before sending it (third parties, exemptions).
	Notes []string `json:"notes"`
	// Part is this part's number (from 1) in an export in parts; 0 when the export is whole in one answer.
	Part int `json:"part,omitempty"`
	// Found is every record found, on each part of an export in parts (the records themselves are in the parts).
	Found []FoundRecord `json:"found,omitempty"`
	// NextToken fetches the next part (POST .../export?nextToken=...); "" on the last part.
	NextToken string `json:"nextToken,omitempty"`
}

// FoundRecord is a record the requester is on, and how it was found.
type FoundRecord struct {
	Kind      casefile.Kind `json:"kind"`
	Reference string        `json:"reference"`
	FoundBy   []string      `json:"foundBy"` // email, phone, reference
}

// ExportedRecord is one record as stored: the case (its data, letters included), the contact details kept with
// it, and its whole timeline, oldest first. In an export in parts a record may be split: its first piece has the
// record and contact and the oldest entries, with TimelineContinues; the next part's piece has Continued and the
// entries that follow (no record or contact: they were in the piece before).
type ExportedRecord struct {
	Kind              casefile.Kind    `json:"kind"`
	Reference         string           `json:"reference"`
	FoundBy           []string         `json:"foundBy"`
	Record            any              `json:"record,omitempty"`
	Contact           any              `json:"contact,omitempty"`
	Timeline          []casefile.Event `json:"timeline"`
	Continued         bool             `json:"continued,omitempty"`
	TimelineContinues bool             `json:"timelineContinues,omitempty"`
}

// exportNotes are said with every export: it is the team's working copy.
var exportNotes = []string{
	"Records found by the requester's email address and mobile number (by key) and by the references given; check for records under other contact details.",
	"Redact other people's personal data (for example a person reported, a witness or another household member) unless they consent or it is reasonable to disclose (Data Protection Act 2018 Sch 2 para 16).",
	"Apply any exemption (for example crime and taxation, Sch 2 para 2, for information given to the police) before sending.",
}

// Export gathers the records the requester is on, as many as fit in one answer from where cmd.Token left off,
// and records the part on the request's timeline (how many records of each kind; never the content).
func (s Service) Export(ctx context.Context, cmd ExportPart) (Export, error) {
	var out Export
	_, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(sar.Group) },
		func(r *sar.Request, _ Stored) (casework.Outcome, error) {
			from, err := s.decodeCursor(cmd.Ref+"\x00"+cmd.Format, cmd.Token)
			if err != nil {
				return casework.Outcome{}, err
			}
			found, err := s.find(ctx, *r)
			if err == nil {
				found, err = s.exportable(ctx, found)
			}
			if err != nil {
				return casework.Outcome{}, err
			}
			measure := cmd.Measure
			if measure == nil {
				measure = jsonBytes
			}
			out = Export{Request: *r, GeneratedAt: cmd.At.UTC(), GeneratedBy: cmd.By.Actor(), Records: []ExportedRecord{}, Notes: exportNotes}
			next, err := s.fill(ctx, &out, found, from, measure)
			if err != nil {
				return casework.Outcome{}, err
			}
			if next != nil || from.Part > 0 { // in parts
				out.Part, out.Found = from.Part+1, found
				if next != nil {
					if out.NextToken, err = s.encodeCursor(cmd.Ref+"\x00"+cmd.Format, *next); err != nil {
						return casework.Outcome{}, err
					}
				}
			}
			counts := map[string]int{}
			for _, rec := range out.Records {
				counts[string(rec.Kind)]++
			}
			ev := r.Exported(counts, cmd.By.Actor(), cmd.At)
			out.Request = *r // with this export counted
			if out.Part > 0 {
				ev.Details["part"] = out.Part
			}
			return casework.Outcome{Events: []casefile.Event{ev}}, nil
		})
	return out, err
}

// cursor is where a part starts: the record (by reference, in the found list whose hash is Found), whether its
// head was in a part before, and the timeline page and entries of that page already given.
type cursor struct {
	Part  int    `json:"n"`
	Found string `json:"f"`
	Ref   string `json:"r"`
	Head  bool   `json:"h,omitempty"`
	Page  string `json:"p,omitempty"`
	Skip  int    `json:"s,omitempty"`
}

// fill adds to e the pieces that fit, from where from says, reading each timeline in pages and stopping at the
// limit. It returns where the next part starts, nil when this part ends the export.
func (s Service) fill(ctx context.Context, e *Export, found []FoundRecord, from cursor, measure Measure) (*cursor, error) {
	limit := s.ExportLimit
	if limit <= 0 {
		limit = DefaultExportLimit
	}
	hash := foundHash(found)
	start := 0
	if from.Ref != "" {
		if from.Found != hash {
			return nil, apperr.New(apperr.Conflict, "The requester's records changed since this export began: start it again without nextToken.")
		}
		start = slices.IndexFunc(found, func(f FoundRecord) bool { return f.Reference == from.Ref })
		if start < 0 || from.Skip < 0 {
			return nil, badToken()
		}
	}
	// the envelope as the largest a part's can be: every record found and a token of the longest kind
	envelope := *e
	envelope.Part, envelope.Found, envelope.NextToken = 1<<20, found, strings.Repeat("x", maxTokenBytes)
	used, err := measure(envelope)
	if err != nil {
		return nil, err
	}
	used += exportSlack
	progressed := false // a record's head or an entry is in this part (not only a continued record's name)
	add := func(piece any) (bool, error) {
		n, err := measure(piece)
		if err != nil || used+n+1 > limit {
			return false, err
		}
		used += n + 1
		if r, ok := piece.(ExportedRecord); !ok || !r.Continued {
			progressed = true
		}
		return true, nil
	}
	stop := func(c cursor) (*cursor, error) {
		if !progressed {
			return nil, fmt.Errorf("subjectaccess: a piece of %s is larger than an export part (%d bytes)", c.Ref, limit)
		}
		c.Part, c.Found = from.Part+1, hash
		return &c, nil
	}
	for i := start; i < len(found); i++ {
		src, ok := s.source(found[i].Kind)
		if !ok {
			return nil, apperr.NotFoundf("There is no record %s.", found[i].Reference)
		}
		f := found[i]
		rec := ExportedRecord{Kind: f.Kind, Reference: f.Reference, FoundBy: f.FoundBy, Timeline: []casefile.Event{}}
		page, skip := "", 0
		if i == start && from.Head {
			rec.Continued, page, skip = true, from.Page, from.Skip
		} else if rec.Record, rec.Contact, err = src.load(ctx, rec.Reference); err != nil {
			return nil, err
		}
		if fits, err := add(rec); err != nil || !fits {
			if err != nil {
				return nil, err
			}
			return stop(cursor{Ref: rec.Reference, Head: rec.Continued, Page: page, Skip: skip})
		}
		e.Records = append(e.Records, rec)
		piece := &e.Records[len(e.Records)-1]
		for pages := 0; ; pages++ {
			if pages == MaxTimelinePages {
				piece.TimelineContinues = true
				return stop(cursor{Ref: rec.Reference, Head: true, Page: page})
			}
			h, err := src.history(ctx, rec.Reference, HistoryPage, page)
			if err != nil {
				return nil, err
			}
			for j := skip; j < len(h.Events); j++ {
				if fits, err := add(h.Events[j]); err != nil || !fits {
					if err != nil {
						return nil, err
					}
					piece.TimelineContinues = true
					return stop(cursor{Ref: rec.Reference, Head: true, Page: page, Skip: j})
				}
				piece.Timeline = append(piece.Timeline, h.Events[j])
			}
			if h.Next == "" {
				break
			}
			page, skip = h.Next, 0
		}
	}
	return nil, nil
}

// source reads one kind of record: its head (the case and its contact) and its timeline, oldest first.
type source struct {
	load    func(ctx context.Context, ref string) (record, contact any, err error)
	history func(ctx context.Context, ref string, limit int, token string) (casework.History, error)
}

func sourceOf[T, C any](r Records[T, C]) source {
	return source{
		load: func(ctx context.Context, ref string) (any, any, error) {
			st, err := r.Load(ctx, ref)
			if err != nil {
				return nil, nil, err
			}
			return st.Case, optional(st.Contact), nil
		},
		history: r.HistoryOldestFirst,
	}
}

func (s Service) source(kind casefile.Kind) (source, bool) {
	switch kind {
	case casefile.ASB:
		return sourceOf(s.ASB), true
	case casefile.Complaint:
		return sourceOf(s.Complaints), true
	case casefile.Application:
		return sourceOf(s.Applications), true
	}
	return source{}, false
}

// find is which records the requester is on, by key (each identifier in the directory, and the references given),
// without reading them.
func (s Service) find(ctx context.Context, r sar.Request) ([]FoundRecord, error) {
	contacts, err := s.contacts(r.Email, r.Phone)
	if err != nil {
		return nil, err
	}
	var out []FoundRecord
	at := map[string]int{}
	add := func(kind casefile.Kind, ref, by string) {
		if i, ok := at[ref]; ok {
			out[i].FoundBy = append(out[i].FoundBy, by)
			return
		}
		at[ref] = len(out)
		out = append(out, FoundRecord{Kind: kind, Reference: ref, FoundBy: []string{by}})
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
	return out, nil
}

// exportable is found less the references given that name no record (nothing is held under them): at most
// sar.MaxReferences heads read.
func (s Service) exportable(ctx context.Context, found []FoundRecord) ([]FoundRecord, error) {
	out := make([]FoundRecord, 0, len(found))
	for _, f := range found {
		if len(f.FoundBy) == 1 && f.FoundBy[0] == "reference" {
			src, _ := s.source(f.Kind)
			if _, _, err := src.load(ctx, f.Reference); apperr.CodeOf(err) == apperr.NotFound {
				continue
			} else if err != nil {
				return nil, err
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func foundHash(found []FoundRecord) string {
	h := sha256.New()
	for _, f := range found {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", f.Kind, f.Reference, strings.Join(f.FoundBy, ","))
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}

func jsonBytes(v any) (int, error) {
	b, err := json.Marshal(v)
	return len(b), err
}

// A nextToken is the cursor and a signature that ties it to its request and format (scope) and this function's
// key, as the store's page tokens are: a tampered or another request's token is a 400 naming nextToken.
func (s Service) encodeCursor(scope string, c cursor) (string, error) {
	if len(s.TokenKey) == 0 {
		return "", errors.New("subjectaccess: no TokenKey to sign an export's nextToken")
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + s.sign(scope, payload), nil
}

func (s Service) decodeCursor(scope, token string) (cursor, error) {
	var c cursor
	if token == "" {
		return c, nil
	}
	payload, mac, ok := strings.Cut(token, ".")
	if len(token) > maxTokenBytes || !ok || len(s.TokenKey) == 0 || !hmac.Equal([]byte(mac), []byte(s.sign(scope, payload))) {
		return c, badToken()
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Ref == "" || c.Part < 1 {
		return cursor{}, badToken()
	}
	return c, nil
}

func (s Service) sign(scope, payload string) string {
	mac := hmac.New(sha256.New, s.TokenKey)
	mac.Write([]byte("subject-access-export\x00" + scope + "\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func badToken() error {
	var f apperr.Fields
	f.Add("nextToken", "is not a token this export gave out; start again without it")
	return f.Err()
}
