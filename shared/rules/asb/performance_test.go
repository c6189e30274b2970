package asb

import (
	"testing"
	"time"
)

// ASB-9 and NM01 for November 2026 with 12,000 homes; every figure worked out by hand below.
func TestASB9_MonthlyReport(t *testing.T) {
	mk := func(typ, received, closed string, sat *Satisfaction) Summary {
		c := Summary{Type: typ, ReceivedAt: at(received), Satisfaction: sat}
		if closed != "" {
			ct := at(closed)
			c.ClosedAt, c.Status = &ct, StatusClosed
		}
		return c
	}
	received := []Summary{
		mk("noise", "2026-11-02T10:00:00Z", "", nil),
		mk("noise", "2026-11-03T10:00:00Z", "", nil),
		mk("noise", "2026-11-30T23:30:00Z", "", nil), // 23:30 GMT: still 30 November in London
		mk("hate-incident", "2026-11-10T10:00:00Z", "", nil),
		mk("garden", "2026-11-11T10:00:00Z", "", nil),
		mk("noise", "2026-10-31T23:30:00Z", "", nil), // October in London (GMT since 25 Oct): ignored
		mk("drugs", "2026-12-01T00:00:00Z", "", nil), // December: ignored
	}
	closed := []Summary{
		mk("noise", "2026-10-01T10:00:00Z", "2026-11-05T10:00:00Z", &Satisfaction{Handling: 5, Outcome: 2}), // 35 days
		mk("drugs", "2026-11-02T10:00:00Z", "2026-11-12T10:00:00Z", &Satisfaction{Handling: 3, Outcome: 4}), // 10 days
		mk("litter", "2026-09-01T10:00:00Z", "2026-11-20T10:00:00Z", nil),                                   // 80 days
		mk("verbal-abuse", "2026-11-16T10:00:00Z", "2026-11-30T23:30:00Z", &Satisfaction{Handling: 4}),      // 14 days
		mk("noise", "2026-11-02T10:00:00Z", "2026-12-01T09:00:00Z", &Satisfaction{Handling: 1, Outcome: 1}), // December: ignored
		mk("noise", "2026-11-02T10:00:00Z", "", nil),                                                        // reopened since: ignored
	}
	r := Monthly("2026-11", received, closed, 12000)

	if r.Month != "2026-11" || r.NewCases != 5 || r.CasesClosed != 4 || r.NoiseCases != 3 || r.Homes != 12000 || r.TargetAverageDays != 60 {
		t.Errorf("counts: %+v", r)
	}
	// (35 + 10 + 80 + 14) / 4 = 34.75 -> 34.8
	if r.AverageDaysToClose == nil || *r.AverageDaysToClose != 34.8 {
		t.Errorf("average days to close: %v", r.AverageDaysToClose)
	}
	// handling: 5, 3, 4 -> 2 of 3 rated 4 or 5 = 66.7%; outcome: 2, 4 -> 1 of 2 = 50%
	h, o := r.SatisfactionHandling, r.SatisfactionOutcome
	if h.Responses != 3 || h.Satisfied != 2 || h.Percent == nil || *h.Percent != 66.7 {
		t.Errorf("handling: %+v", h)
	}
	if o.Responses != 2 || o.Satisfied != 1 || o.Percent == nil || *o.Percent != 50 {
		t.Errorf("outcome: %+v", o)
	}
	// NM01: 5 / 12,000 * 1,000 = 0.4167 -> 0.42; hate 1 / 12 = 0.0833 -> 0.08
	if r.ASBCasesPer1000Homes != 0.42 || r.HateCasesPer1000Home != 0.08 {
		t.Errorf("NM01: %v %v", r.ASBCasesPer1000Homes, r.HateCasesPer1000Home)
	}
	want := map[string]int{"hate-incident": 1, "noise": 3, "garden": 1}
	if len(r.ByType) != 15 {
		t.Fatalf("by type has %d rows, want all 15", len(r.ByType))
	}
	for i, row := range r.ByType {
		if row.Type != Types[i].Type || row.Label != Types[i].Label || row.Count != want[row.Type] {
			t.Errorf("row %d: %+v, want count %d", i, row, want[row.Type])
		}
	}
}

func TestASB9_EmptyMonth(t *testing.T) {
	r := Monthly("2026-02", nil, nil, 0)
	if r.NewCases != 0 || r.AverageDaysToClose != nil || r.SatisfactionHandling.Percent != nil || r.ASBCasesPer1000Homes != 0 || len(r.ByType) != 15 {
		t.Errorf("empty month: %+v", r)
	}
}

// WD-4: a London calendar month as UTC instants.
func TestMonthBounds(t *testing.T) {
	cases := []struct{ month, from, to string }{
		{"2026-11", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"},
		{"2026-07", "2026-06-30T23:00:00Z", "2026-07-31T23:00:00Z"}, // BST
		{"2026-03", "2026-03-01T00:00:00Z", "2026-03-31T23:00:00Z"}, // clocks go forward on 29 March
	}
	for _, c := range cases {
		from, to, err := MonthBounds(c.month)
		if err != nil || from.Format(time.RFC3339) != c.from || to.Format(time.RFC3339) != c.to {
			t.Errorf("%s: %s %s %v", c.month, from, to, err)
		}
	}
	for _, absurd := range []string{"0001-01", "1999-12", "2101-01", "9999-12"} {
		if _, _, err := MonthBounds(absurd); err == nil {
			t.Errorf("ASB-9 report for %s: no error", absurd)
		}
	}
	if _, _, err := MonthBounds("2026-13"); err == nil {
		t.Error("month 13 accepted")
	}
}
