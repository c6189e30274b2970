package asbcases

import (
	"context"
	"slices"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
)

// Reading a case's casework records back for staff. Each kind is items of its own in the case's partition
// (ItemSubject, ItemWitness, ItemEvidence, ItemCost, ItemDiary, ItemIncident), read by key newest first, a bounded
// page at a time; the case's head is read first, so an unknown case is 404 and a member of staff outside the
// ASB groups is 403 whatever the page.

// MaxRecordsPage bounds a page of records (each of bounded size: a further report's texts are at most 7,500
// characters), so an answer stays small.
const MaxRecordsPage = 20

// ReadRecords is a member of staff paging through one kind of a case's records (Input: the page asked for;
// Limit 0 is MaxRecordsPage).
type ReadRecords = casework.Action[casework.PageRequest]

// RecordsPage is one page of a case's records of one kind, newest first, and the token of the next ("" at the end).
type RecordsPage[V any] struct {
	Items []V
	Next  string
}

// readRecords checks who reads, loads the case's head and reads one page of its items of kind.
func readRecords[V any](ctx context.Context, s Service, q ReadRecords, kind string) (Stored, RecordsPage[V], error) {
	if err := q.By.Check(staff...); err != nil {
		return Stored{}, RecordsPage[V]{}, err
	}
	limit := q.Input.Limit
	if limit <= 0 {
		limit = MaxRecordsPage
	}
	if limit > MaxRecordsPage {
		var f apperr.Fields
		f.Add("limit", "must be a whole number from 1 to %d", MaxRecordsPage)
		return Stored{}, RecordsPage[V]{}, f.Err()
	}
	st, err := s.Store.Load(ctx, q.Ref)
	if err != nil {
		return Stored{}, RecordsPage[V]{}, err
	}
	var page RecordsPage[V]
	page.Next, err = s.Store.CaseItems(ctx, q.Ref, kind, limit, q.Input.Token, func(unmarshal func(any) error) error {
		var v V
		if err := unmarshal(&v); err != nil {
			return err
		}
		page.Items = append(page.Items, v)
		return nil
	})
	return st, page, err
}

// Witnesses are a page of the case's witnesses, newest first.
func (s Service) Witnesses(ctx context.Context, q ReadRecords) (RecordsPage[asb.CaseRecord[asb.WitnessInput]], error) {
	_, p, err := readRecords[asb.CaseRecord[asb.WitnessInput]](ctx, s, q, ItemWitness)
	return p, err
}

// Evidence is a page of the case's evidence references, newest first.
func (s Service) Evidence(ctx context.Context, q ReadRecords) (RecordsPage[asb.CaseRecord[asb.EvidenceInput]], error) {
	_, p, err := readRecords[asb.CaseRecord[asb.EvidenceInput]](ctx, s, q, ItemEvidence)
	return p, err
}

// DiaryEntries are a page of the reporter's diary entries on the case, newest first.
func (s Service) DiaryEntries(ctx context.Context, q ReadRecords) (RecordsPage[asb.CaseRecord[asb.DiaryInput]], error) {
	_, p, err := readRecords[asb.CaseRecord[asb.DiaryInput]](ctx, s, q, ItemDiary)
	return p, err
}

// Incidents are a page of the case's further reports (ASB-9: I2, I3, ...; the case's own report is I1, on the
// case), newest first, including those unlinked into a case of their own (unlinkedTo says where) and those that came
// with a merged case (fromCase).
func (s Service) Incidents(ctx context.Context, q ReadRecords) (RecordsPage[asb.Incident], error) {
	_, p, err := readRecords[asb.Incident](ctx, s, q, ItemIncident)
	return p, err
}

// Costs are a page of the case's costs with the total of them all and their number (kept on the case, so the
// total needs no second read of the items).
type Costs struct {
	RecordsPage[asb.CaseRecord[asb.CostInput]]
	TotalPence, Count int
}

// Costs is a page of the case's costs, newest first, with the case's total.
func (s Service) Costs(ctx context.Context, q ReadRecords) (Costs, error) {
	st, p, err := readRecords[asb.CaseRecord[asb.CostInput]](ctx, s, q, ItemCost)
	return Costs{RecordsPage: p, TotalPence: st.Case.Records.CostsPence, Count: st.Case.Records.Costs}, err
}

// SubjectRecord is a person reported on the case with the other cases they are a subject of (newest first, at
// most SubjectHistoryLimit): repeat subjects, found by the key the case is filed under, never a scan.
type SubjectRecord struct {
	asb.Subject
	OtherCases []string
}

// Subjects are the case's persons reported (at most asb.MaxSubjects, so one page), newest first, each with their
// repeat-subject history across cases: one index query per person.
func (s Service) Subjects(ctx context.Context, q ReadRecords) ([]SubjectRecord, error) {
	q.Input = casework.PageRequest{Limit: asb.MaxSubjects} // every one: MaxSubjects is within MaxRecordsPage
	st, p, err := readRecords[asb.Subject](ctx, s, q, ItemSubject)
	if err != nil {
		return nil, err
	}
	out := make([]SubjectRecord, 0, len(p.Items))
	for _, sub := range p.Items {
		r := SubjectRecord{Subject: sub, OtherCases: []string{}}
		if i := subjectIndex(sub.ID); i >= 0 && i < len(st.Case.SubjectKeys) {
			refs, err := s.Store.CasesWithSubject(ctx, st.Case.SubjectKeys[i], SubjectHistoryLimit+1)
			if err != nil {
				return nil, err
			}
			r.OtherCases = slices.DeleteFunc(refs, func(ref string) bool { return ref == q.Ref })
			if len(r.OtherCases) > SubjectHistoryLimit {
				r.OtherCases = r.OtherCases[:SubjectHistoryLimit]
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// subjectIndex is the index in asb.Case.SubjectKeys of subject id "S<n>" (n-1), -1 for anything else.
func subjectIndex(id string) int {
	n := 0
	if len(id) < 2 || id[0] != 'S' {
		return -1
	}
	for _, r := range id[1:] {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n - 1
}
