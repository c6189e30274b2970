package subjectaccess

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	rules "github.com/councilhousing/backend/shared/rules/retention"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/validate"
)

// Erase is POST /subject-access-requests/{reference}/erasure: the requester asks that their records be erased
// (UK GDPR Art 17), all of them or those named.
type Erase = casework.Action[rules.ErasureInput]

// Rectify is POST /subject-access-requests/{reference}/rectification (UK GDPR Art 16).
type Rectify = casework.Action[rules.Rectification]

// Erasure outcomes.
const (
	Erased            = "erased"
	Refused           = "refused"
	AlreadyAnonymised = "already-anonymised"
)

// ErasureOutcome is the decision on one record: erased, or refused with the article and the retention entry that
// allow it and the reason.
type ErasureOutcome struct {
	Kind      casefile.Kind `json:"kind"`
	Reference string        `json:"reference"`
	Outcome   string        `json:"outcome"`
	Rule      string        `json:"rule"`
	Entry     string        `json:"entry,omitempty"`
	Reason    string        `json:"reason"`
}

// ErasureResult is the request and the decision on each record.
type ErasureResult struct {
	Request sar.Request      `json:"request"`
	Records []ErasureOutcome `json:"records"`
}

// RectificationResult is the request and what was rectified (never the values: they are on the record's timeline).
type RectificationResult struct {
	Request sar.Request   `json:"request"`
	Kind    casefile.Kind `json:"kind"`
	Record  string        `json:"record"`
	Field   string        `json:"field"`
	Changed bool          `json:"changed"`
}

// Erase decides the erasure of each of the requester's records (those named, or all found by key), anonymises
// those it grants with the retention job's anonymiser, and records every decision with its reason on the
// request's timeline: the audit trail, and the list to re-apply after a restore from backup.
func (s Service) Erase(ctx context.Context, cmd Erase) (ErasureResult, error) {
	var out ErasureResult
	_, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(sar.Group) },
		func(r *sar.Request, _ Stored) (casework.Outcome, error) {
			f := validate.Struct(cmd.Input)
			if err := f.Err(); err != nil {
				return casework.Outcome{}, err
			}
			records, err := s.theirs(ctx, *r, cmd.Input.References, "references")
			if err != nil {
				return casework.Outcome{}, err
			}
			out = ErasureResult{Records: []ErasureOutcome{}}
			counts := map[string]int{}
			var decided []map[string]any
			for _, rec := range records {
				o, err := s.eraseOne(ctx, rec, r.Reference, cmd)
				if err != nil {
					return casework.Outcome{}, err
				}
				out.Records = append(out.Records, o)
				counts[o.Outcome]++
				decided = append(decided, map[string]any{"kind": string(o.Kind), "reference": o.Reference, "outcome": o.Outcome,
					"rule": o.Rule, "entry": o.Entry, "reason": o.Reason})
			}
			details := map[string]any{"records": decided, Erased: counts[Erased], Refused: counts[Refused], AlreadyAnonymised: counts[AlreadyAnonymised]}
			out.Request = *r
			return casework.Outcome{Events: []casefile.Event{casefile.NewEvent(cmd.At, cmd.By.Actor(), "erasure-decided", rules.RuleErasure, details)}}, nil
		})
	return out, err
}

// eraseOne decides and, when granted, anonymises one record.
func (s Service) eraseOne(ctx context.Context, rec FoundRecord, request string, cmd Erase) (ErasureOutcome, error) {
	o := ErasureOutcome{Kind: rec.Kind, Reference: rec.Reference}
	h, err := s.holding(ctx, rec)
	if apperr.CodeOf(err) == apperr.NotFound {
		o.Outcome, o.Rule, o.Reason = AlreadyAnonymised, rules.RuleErasure, "No personal data is held under "+rec.Reference+": it was anonymised already, or never existed."
		return o, nil
	}
	if err != nil {
		return o, err
	}
	d := s.Schedule.ErasureOf(h, cmd.At)
	o.Rule, o.Entry, o.Reason = d.Rule, d.Entry, d.Reason
	if !d.Erase {
		o.Outcome = Refused
		return o, nil
	}
	if _, err := s.Anonymiser.Anonymise(ctx, rec.Kind, rec.Reference, retention.Mark{On: cmd.At.UTC(), Entry: retention.EntryErasure,
		Rule: rules.RuleErasure, Request: request}); err != nil {
		return o, err
	}
	o.Outcome = Erased
	return o, nil
}

// holding loads a record's head and describes it for the erasure rules.
func (s Service) holding(ctx context.Context, rec FoundRecord) (rules.Holding, error) {
	switch rec.Kind {
	case casefile.ASB:
		st, err := s.ASB.Load(ctx, rec.Reference)
		return rules.HoldingOfASB(st.Case), err
	case casefile.Complaint:
		st, err := s.Complaints.Load(ctx, rec.Reference)
		return rules.HoldingOfComplaint(st.Case), err
	case casefile.Application:
		st, err := s.Applications.Load(ctx, rec.Reference)
		return rules.HoldingOfApplication(st.Case), err
	}
	return rules.Holding{}, apperr.NotFoundf("There is no record %s.", rec.Reference)
}

// theirs are the requester's records found by key, narrowed to refs when some are named; a named reference that
// is not among them is a 422 at its field (the team cannot act on someone else's record through this request).
func (s Service) theirs(ctx context.Context, r sar.Request, refs []string, field string) ([]FoundRecord, error) {
	found, err := s.find(ctx, r)
	if err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return found, nil
	}
	var f apperr.Fields
	var out []FoundRecord
	for i, ref := range refs {
		at := slices.IndexFunc(found, func(x FoundRecord) bool { return x.Reference == strings.TrimSpace(ref) })
		if at < 0 {
			name := field
			if field == "references" {
				name += "[" + strconv.Itoa(i) + "]"
			}
			f.Add(name, "is not one of the requester's records (found by their email address, mobile number or the request's references)")
			continue
		}
		out = append(out, found[at])
	}
	if err := f.Err(); err != nil {
		e, _ := apperr.As(err)
		return nil, &apperr.Error{Code: apperr.Unprocessable, Rule: sar.RuleAccess, Fields: e.Fields, Omitted: e.Omitted,
			Message: "A record named is not one of the requester's records."}
	}
	return out, nil
}

// Rectify corrects one contact detail of one of the requester's records: the old and the new value go on that
// record's timeline (personal data, kept with the record and anonymised with it), the request's timeline records
// which record and field (never the values), and neither is logged.
func (s Service) Rectify(ctx context.Context, cmd Rectify) (RectificationResult, error) {
	var out RectificationResult
	_, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(sar.Group) },
		func(r *sar.Request, _ Stored) (casework.Outcome, error) {
			in := cmd.Input
			in.Record, in.Value, in.Reason = strings.TrimSpace(in.Record), strings.TrimSpace(in.Value), strings.TrimSpace(in.Reason)
			f := validate.Struct(in)
			f = append(f, in.Check()...)
			if err := f.Err(); err != nil {
				return casework.Outcome{}, err
			}
			recs, err := s.theirs(ctx, *r, []string{in.Record}, "record")
			if err != nil {
				return casework.Outcome{}, err
			}
			rec := recs[0]
			current, err := s.Contacts.Contact(ctx, rec.Kind, rec.Reference)
			if err != nil {
				return casework.Outcome{}, err
			}
			old := map[string]string{rules.FieldName: current.Name, rules.FieldEmail: current.Email, rules.FieldPhone: current.Phone, rules.FieldAddress: current.Address}[in.Field]
			out = RectificationResult{Kind: rec.Kind, Record: rec.Reference, Field: in.Field, Changed: old != in.Value}
			if out.Changed {
				ev := casefile.NewEvent(cmd.At, cmd.By.Actor(), "contact-rectified", rules.RuleRectification, map[string]any{
					"field": in.Field, "from": old, "to": in.Value, "reason": in.Reason, "request": r.Reference})
				if err := s.Contacts.Rectify(ctx, rec.Kind, rec.Reference, in.Field, old, in.Value, ev); err != nil {
					return casework.Outcome{}, err
				}
			}
			out.Request = *r
			return casework.Outcome{Events: []casefile.Event{casefile.NewEvent(cmd.At, cmd.By.Actor(), "rectification-decided", rules.RuleRectification,
				map[string]any{"kind": string(rec.Kind), "record": rec.Reference, "field": in.Field, "changed": out.Changed})}}, nil
		})
	return out, err
}
