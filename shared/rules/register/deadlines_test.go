package register

import (
	"sort"
	"testing"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

func TestOpenDeadlines(t *testing.T) {
	a := base("homeless-priority-need")
	a.MedicalAward = &MedicalAward{Severity: "moderate", AssessedOn: "2026-10-01"}
	got := OpenDeadlines("HR-1", Assess(a, today, nil))
	want := []struct {
		name, due, rule string
		audience        casefile.Audience
	}{
		{"emergency-expiry", "2027-01-04", "HR-EM", casefile.Officer},
		{"emergency-two-weeks-left", "2026-12-21", "HR-EM", casefile.Resident},
		{"medical-review", "2027-10-01", "HR-M", casefile.Officer},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || g.Due.String() != w.due || g.Rule != w.rule || g.Audience != w.audience || g.Team != "allocations-officer" ||
			g.CaseRef != "HR-1" || g.CaseKind != casefile.Application || g.Label == "" {
			t.Errorf("deadline %d: %+v, want %+v", i, g, w)
		}
	}
	if d := OpenDeadlines("HR-2", Assess(base("under-occupying"), today, nil)); d != nil {
		t.Errorf("under-occupiers have no Emergency deadlines: %+v", d)
	}
	if d := OpenDeadlines("HR-3", Assess(base(), today, nil)); d != nil {
		t.Errorf("not qualifying: no deadlines: %+v", d)
	}
}

func TestPriorityKey(t *testing.T) {
	mk := func(band string, stars int, eff string) Decision {
		b, e := band, date(eff)
		return Decision{Status: StatusRegistered, Band: &b, Stars: stars, EffectiveDate: &e}
	}
	if got := PriorityKey("HR-9", mk(BandA, 2, "2026-11-23")); got != "1#97#2026-11-23#HR-9" {
		t.Errorf("encoding: %s", got)
	}
	// in priority order: band, then stars (most first), then effective date (oldest first), then reference
	ordered := []struct {
		ref string
		d   Decision
	}{
		{"e1", mk(BandEmergency, 0, "2026-11-01")},
		{"a1", mk(BandA, 3, "2026-10-01")},
		{"a2", mk(BandA, 1, "2025-01-01")},
		{"a3", mk(BandA, 1, "2026-01-01")},
		{"a4", mk(BandA, 1, "2026-01-01")},
		{"a5", mk(BandA, 0, "2020-01-01")},
		{"b1", mk(BandB, 4, "2026-11-20")},
		{"b2", mk(BandB, 0, "2019-06-30")},
		{"r1", mk(BandReduced, 2, "2026-11-22")},
		{"r2", mk(BandReduced, 2, "2026-11-23")},
	}
	var keys, want []string
	for i := len(ordered) - 1; i >= 0; i-- {
		keys = append(keys, PriorityKey(ordered[i].ref, ordered[i].d))
	}
	sort.Strings(keys)
	for _, o := range ordered {
		want = append(want, PriorityKey(o.ref, o.d))
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Fatalf("sorted keys %v\nwant %v", keys, want)
		}
	}
}
