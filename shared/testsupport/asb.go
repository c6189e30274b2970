package testsupport

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// ASBCases is an in-memory asbcases.Store: the generic Store plus the ASB queries, read from the cases in memory
// (newest first for the list; the page token is the offset).
type ASBCases struct {
	*Store[asb.Case, asb.Reporter]
	reporters map[string]string               // reference -> asb.Case.ReporterKey (never in JSON, so not in the stored copies)
	subjects  map[string][]string             // reference -> asb.Case.SubjectKeys (the same)
	joined    map[string][]asb.JoinedReporter // reference -> asb.Case.Joined (the same)
}

var _ asbcases.Store = ASBCases{}

// NewASBCases makes an empty ASB store.
func NewASBCases() ASBCases {
	return ASBCases{NewStore[asb.Case, asb.Reporter](func(c asb.Case) string { return c.Reference }), map[string]string{}, map[string][]string{}, map[string][]asb.JoinedReporter{}}
}

// Create stores a new case, remembering its reporter key.
func (s ASBCases) Create(ctx context.Context, st asbcases.Stored, w casework.Writes) error {
	if err := s.Store.Create(ctx, st, w); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reporters[st.Case.Reference] = st.Case.ReporterKey
	s.joined[st.Case.Reference] = slices.Clone(st.Case.Joined)
	return nil
}

func (s ASBCases) newestFirst() []asb.Case {
	all := s.All()
	slices.SortFunc(all, func(a, b asb.Case) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	return all
}

// List pages through the cases that match f, newest first.
func (s ASBCases) List(_ context.Context, f asbcases.Filter, limit int, token string) ([]asb.Summary, string, error) {
	var match []asb.Summary
	for _, c := range s.newestFirst() {
		received := workdays.DateOf(c.ReceivedAt)
		if (f.Status == "" || c.Status == f.Status) && (f.Type == "" || c.Type == f.Type) && (f.Channel == "" || c.Channel == f.Channel) &&
			(f.Officer == "" || c.Officer == f.Officer) && (!f.Overdue || asb.IsOverdue(c, f.Today)) &&
			(f.ReceivedFrom.IsZero() || !received.Before(f.ReceivedFrom)) && (f.ReceivedTo.IsZero() || !received.After(f.ReceivedTo)) {
			match = append(match, asb.SummaryOf(c))
		}
	}
	from, _ := strconv.Atoi(token)
	from = min(from, len(match))
	to := min(from+limit, len(match))
	next := ""
	if to < len(match) {
		next = strconv.Itoa(to)
	}
	return match[from:to], next, nil
}

// Month returns the cases received in [from, to) and those closed in it.
func (s ASBCases) Month(_ context.Context, from, to time.Time) (received, closed []asb.Summary, err error) {
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	for _, c := range s.All() {
		s.mu.Lock()
		c.Joined = s.joined[c.Reference] // kept apart, like the reporter key (joined reporters' answers count, ASB-9)
		s.mu.Unlock()
		if in(c.ReceivedAt) {
			received = append(received, asb.SummaryOf(c))
		}
		if c.ClosedAt != nil && in(*c.ClosedAt) {
			closed = append(closed, asb.SummaryOf(c))
		}
	}
	return received, closed, nil
}

// ReportsSince counts the cases with the reporter key received in [since, until].
func (s ASBCases) ReportsSince(_ context.Context, key string, since, until time.Time) (int, error) {
	n := 0
	for _, c := range s.All() {
		s.mu.Lock()
		same := key != "" && s.reporters[c.Reference] == key
		s.mu.Unlock()
		if same && !c.ReceivedAt.Before(since) && !c.ReceivedAt.After(until) {
			n++
		}
	}
	for _, items := range s.Items() { // further reports count as their reporter's reports (ASB-7)
		for _, it := range items {
			if key != "" && it.Reporter == key && !it.At.Before(since) && !it.At.After(until) {
				n++
			}
		}
	}
	return n, nil
}

// OpenCaseFor finds the newest open case with one of the keys (a scan of memory: the real store reads an index).
func (s ASBCases) OpenCaseFor(_ context.Context, keys []asb.MatchKey) (string, string, error) {
	cases := s.newestFirst()
	for _, k := range keys {
		for _, c := range cases {
			s.mu.Lock()
			c.ReporterKey = s.reporters[c.Reference]
			s.mu.Unlock()
			if slices.Contains(asb.MatchKeys(c), k) {
				return c.Reference, k.Name, nil
			}
		}
	}
	return "", "", nil
}

// Incident reads a case's further report.
func (s ASBCases) Incident(_ context.Context, ref, id string) (asb.Incident, error) {
	for _, it := range s.Items()[ref] {
		if it.Kind == asbcases.ItemIncident && it.ID == id {
			var inc asb.Incident
			err := json.Unmarshal(it.Value.(json.RawMessage), &inc)
			inc.ReporterKey = it.Reporter
			return inc, err
		}
	}
	return asb.Incident{}, apperr.NotFoundf("Case %s has no report %s.", ref, id)
}

// FurtherReports counts the dated further reports received in [from, to).
func (s ASBCases) FurtherReports(ctx context.Context, from, to time.Time) (int, error) {
	return s.CountDated(ctx, asbcases.DatedIncidents, from, to)
}

// Save stores a changed case, remembering its subject keys (never in JSON).
func (s ASBCases) Save(ctx context.Context, before asbcases.Stored, after asb.Case, w casework.Writes) (int, error) {
	v, err := s.Store.Save(ctx, before, after, w)
	if err == nil {
		s.mu.Lock()
		s.subjects[after.Reference] = slices.Clone(after.SubjectKeys)
		s.joined[after.Reference] = slices.Clone(after.Joined)
		s.mu.Unlock()
	}
	return v, err
}

// CasesWithSubject are the cases with the subject key hash, newest first (a scan of memory).
func (s ASBCases) CasesWithSubject(_ context.Context, keyHash string, limit int) ([]string, error) {
	var refs []string
	for _, c := range s.newestFirst() {
		s.mu.Lock()
		has := slices.Contains(s.subjects[c.Reference], keyHash)
		s.mu.Unlock()
		if has && len(refs) < limit {
			refs = append(refs, c.Reference)
		}
	}
	return refs, nil
}

// Load reads a case with its reporter key (kept apart: it is never in JSON).
func (s ASBCases) Load(ctx context.Context, ref string) (asbcases.Stored, error) {
	st, err := s.Store.Load(ctx, ref)
	s.mu.Lock()
	defer s.mu.Unlock()
	st.Case.ReporterKey, st.Case.SubjectKeys, st.Case.Joined = s.reporters[ref], slices.Clone(s.subjects[ref]), slices.Clone(s.joined[ref])
	return st, err
}

// CountDated counts the items of the dated list named dated at [from, to).
func (s ASBCases) CountDated(_ context.Context, dated string, from, to time.Time) (int, error) {
	n := 0
	for _, items := range s.Items() {
		for _, it := range items {
			if it.Dated == dated && !it.At.Before(from) && it.At.Before(to) {
				n++
			}
		}
	}
	return n, nil
}

// CaseItems pages through a case's items of one kind, newest first (by their id's number: I10 after I9); the token is
// the offset.
func (s ASBCases) CaseItems(_ context.Context, ref, kind string, limit int, token string, each func(unmarshal func(any) error) error) (string, error) {
	var mine []casework.Item
	for _, it := range s.Items()[ref] {
		if it.Kind == kind {
			mine = append(mine, it)
		}
	}
	num := func(id string) int {
		n, _ := strconv.Atoi(strings.TrimLeft(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		return n
	}
	slices.SortFunc(mine, func(a, b casework.Item) int { return num(b.ID) - num(a.ID) })
	from := 0
	if token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < 0 || n > len(mine) {
			var f apperr.Fields
			f.Add("nextToken", "is not a token this list gave out; start again without it")
			return "", f.Err()
		}
		from = n
	}
	to := min(from+limit, len(mine))
	for _, it := range mine[from:to] {
		raw := it.Value.(json.RawMessage)
		if err := each(func(v any) error { return json.Unmarshal(raw, v) }); err != nil {
			return "", err
		}
	}
	if to < len(mine) {
		return strconv.Itoa(to), nil
	}
	return "", nil
}
