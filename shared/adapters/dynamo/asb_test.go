package dynamo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

func asbCase(ref, typ, channel string, received time.Time, reporterKey string) asb.Case {
	r := asb.Report{Type: typ, Description: "d", Location: asb.Location{Address: "1 High St", Postcode: "NN1 1DE"}}
	c := asb.NewCase(ref, r, asb.Assess(r, received), channel, received)
	c.ReporterKey = reporterKey
	return c
}

// The ASB adapter against DynamoDB Local: the staff list's filters and pages, the month's received and closed
// cases (ASB-9), the repeat-reporter count (ASB-7) and the out-of-hours call's once-only key (ASB-10).
func TestASBCases(t *testing.T) {
	a, ctx := NewASBCases(newStore(t)), context.Background()
	nov := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	create := func(c asb.Case, w casework.Writes) {
		t.Helper()
		if err := a.Create(ctx, asbcases.Stored{Case: c, Contact: &asb.Reporter{Name: "A", Email: "a@example.org"}}, w); err != nil {
			t.Fatal(err)
		}
	}
	create(asbCase("ASB-1", "noise", asb.ChannelOnline, nov(2, 10), "k1"), casework.Writes{})
	create(asbCase("ASB-2", "garden", asb.ChannelOnline, nov(10, 10), "k1"), casework.Writes{})
	create(asbCase("ASB-3", "noise", asb.ChannelOutOfHours, time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC), ""),
		casework.Writes{Once: []casework.Once{{Scope: asbcases.OutOfHoursCall, ID: "OOH-1", Ref: "ASB-3"}}})
	// a second case for the same call fails as a Conflict, and the key still leads to the first
	err := a.Create(ctx, asbcases.Stored{Case: asbCase("ASB-4", "noise", asb.ChannelOutOfHours, nov(1, 1), "")},
		casework.Writes{Once: []casework.Once{{Scope: asbcases.OutOfHoursCall, ID: "OOH-1", Ref: "ASB-4"}}})
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("second case for a call: %v", err)
	}
	if ref, err := a.OnceRef(ctx, asbcases.OutOfHoursCall, "OOH-1"); ref != "ASB-3" || err != nil {
		t.Fatalf("once key: %q %v", ref, err)
	}

	// close ASB-1 in November, assign ASB-2
	st, _ := a.Load(ctx, "ASB-1")
	c := st.Case
	if _, err := c.Close(asb.Closure{Outcome: "done"}, casefile.Actor{ID: "o1", Name: "O"}, nov(20, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Save(ctx, st, c, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	st, _ = a.Load(ctx, "ASB-2")
	c = st.Case
	if _, err := c.Assign(asb.Assignment{Officer: "o2"}, casefile.Actor{ID: "m1", Name: "M"}, nov(10, 11)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Save(ctx, st, c, casework.Writes{}); err != nil {
		t.Fatal(err)
	}

	refs := func(cs []asb.Summary) (out []string) {
		for _, c := range cs {
			out = append(out, c.Reference)
		}
		return out
	}
	list := func(f asbcases.Filter, limit int, token string) ([]string, string) {
		t.Helper()
		cs, next, err := a.List(ctx, f, limit, token)
		if err != nil {
			t.Fatal(err)
		}
		return refs(cs), next
	}
	cases := []struct {
		name string
		f    asbcases.Filter
		want string
	}{
		{"all, newest first", asbcases.Filter{}, "[ASB-2 ASB-1 ASB-3]"},
		{"type", asbcases.Filter{Type: "noise"}, "[ASB-1 ASB-3]"},
		{"status and type", asbcases.Filter{Type: "noise", Status: asb.StatusClosed}, "[ASB-1]"},
		{"channel", asbcases.Filter{Channel: asb.ChannelOutOfHours}, "[ASB-3]"},
		{"officer", asbcases.Filter{Officer: "o2"}, "[ASB-2]"},
		{"overdue on 4 November", asbcases.Filter{Overdue: true, Today: workdays.MustParseDate("2026-11-04")}, "[ASB-3]"},
		{"received in November", asbcases.Filter{ReceivedFrom: workdays.MustParseDate("2026-11-01"), ReceivedTo: workdays.MustParseDate("2026-11-30")}, "[ASB-2 ASB-1]"},
		{"received on 31 October (London)", asbcases.Filter{ReceivedFrom: workdays.MustParseDate("2026-10-31"), ReceivedTo: workdays.MustParseDate("2026-10-31")}, "[ASB-3]"},
		{"type and received from 3 November", asbcases.Filter{Type: "noise", ReceivedFrom: workdays.MustParseDate("2026-11-03")}, "[]"},
	}
	for _, tc := range cases {
		if got, _ := list(tc.f, 10, ""); fmt.Sprint(got) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
	}
	first, next := list(asbcases.Filter{}, 2, "")
	rest, last := list(asbcases.Filter{}, 2, next)
	if fmt.Sprint(first) != "[ASB-2 ASB-1]" || fmt.Sprint(rest) != "[ASB-3]" || next == "" || last != "" {
		t.Errorf("pages %v %q %v %q", first, next, rest, last)
	}
	// a token is good for its own list only: tampered, or from another filter, it is a 400 naming nextToken
	for name, tc := range map[string]struct {
		f     asbcases.Filter
		token string
	}{"tampered": {asbcases.Filter{}, next[:len(next)-2] + "xx"}, "another filter's": {asbcases.Filter{Type: "noise"}, next}} {
		if _, _, err := a.List(ctx, tc.f, 2, tc.token); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s token: %v", name, err)
		}
	}
	// unassigning takes the case out of the officer's lists in the same change
	st, _ = a.Load(ctx, "ASB-2")
	c = st.Case
	c.Officer = ""
	if _, err := a.Save(ctx, st, c, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := list(asbcases.Filter{Officer: "o2"}, 10, ""); len(got) != 0 {
		t.Errorf("o2 still lists %v", got)
	}

	from, to, _ := asb.MonthBounds("2026-11")
	received, closed, err := a.Month(ctx, from, to)
	if err != nil || fmt.Sprint(refs(received)) != "[ASB-1 ASB-2]" || fmt.Sprint(refs(closed)) != "[ASB-1]" {
		t.Errorf("November: received %v closed %v %v", refs(received), refs(closed), err)
	}
	n, err := a.ReportsSince(ctx, "k1", nov(5, 0), nov(30, 0))
	if err != nil || n != 1 {
		t.Errorf("reports since 5 November: %d %v", n, err)
	}
	if n, _ := a.ReportsSince(ctx, "k1", nov(1, 0), nov(30, 0)); n != 2 {
		t.Errorf("reports in November: %d", n)
	}
}

// A case's items of one kind page newest first by key (W10 after W9: the id's number is padded in the key), and
// a page's token is for its case and kind only.
func TestASBCaseItemsPageNewestFirst(t *testing.T) {
	a, ctx := NewASBCases(newStore(t)), context.Background()
	c := asbCase("ASB-ITEMS", "noise", asb.ChannelOnline, time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC), "")
	var items []casework.Item
	for i := 1; i <= 11; i++ {
		items = append(items, casework.Item{Kind: asbcases.ItemWitness, ID: fmt.Sprintf("W%d", i), Value: map[string]any{"id": fmt.Sprintf("W%d", i)}})
	}
	items = append(items, casework.Item{Kind: asbcases.ItemCost, ID: "C1", Value: map[string]any{"id": "C1"}})
	if err := a.Create(ctx, asbcases.Stored{Case: c}, casework.Writes{Items: items}); err != nil {
		t.Fatal(err)
	}
	page := func(kind, token string, limit int) ([]string, string, error) {
		var ids []string
		next, err := a.CaseItems(ctx, "ASB-ITEMS", kind, limit, token, func(unmarshal func(any) error) error {
			var v struct{ ID string }
			err := unmarshal(&v)
			ids = append(ids, v.ID)
			return err
		})
		return ids, next, err
	}
	ids, next, err := page(asbcases.ItemWitness, "", 3)
	if err != nil || fmt.Sprint(ids) != "[W11 W10 W9]" || next == "" {
		t.Fatalf("%v %q %v", ids, next, err)
	}
	if ids, _, err = page(asbcases.ItemWitness, next, 20); err != nil || len(ids) != 8 || ids[0] != "W8" || ids[7] != "W1" {
		t.Fatalf("%v %v", ids, err)
	}
	if _, _, err := page(asbcases.ItemCost, next, 20); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("another kind's token: %v", err)
	}
	if got := ItemKey("INCIDENT", "I2"); got != "ITEM#INCIDENT#I000002" {
		t.Errorf("ItemKey %q", got)
	}
}
