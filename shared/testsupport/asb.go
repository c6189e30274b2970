package testsupport

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// ASBCases is an in-memory asbcases.Store: the generic Store plus the ASB queries, read from the cases in memory
// (newest first for the list; the page token is the offset).
type ASBCases struct {
	*Store[asb.Case, asb.Reporter]
	reporters map[string]string // reference -> asb.Case.ReporterKey (never in JSON, so not in the stored copies)
}

var _ asbcases.Store = ASBCases{}

// NewASBCases makes an empty ASB store.
func NewASBCases() ASBCases {
	return ASBCases{NewStore[asb.Case, asb.Reporter](func(c asb.Case) string { return c.Reference }), map[string]string{}}
}

// Create stores a new case, remembering its reporter key.
func (s ASBCases) Create(ctx context.Context, st asbcases.Stored, w casework.Writes) error {
	if err := s.Store.Create(ctx, st, w); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reporters[st.Case.Reference] = st.Case.ReporterKey
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
	return n, nil
}
