package register

import (
	"sort"
	"testing"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// recordAt is a record of a with c, decided as of today.
func recordAt(ref string, a Application, c Council) Record {
	return Record{Reference: ref, Application: a, Council: c, Decision: Assess(a, c, today, nil)}
}

func TestOpenDeadlines(t *testing.T) {
	a := base("homeless-priority-need")
	c := confirmAll(a, Council{MedicalAward: award("moderate", "2026-10-01")})
	got := OpenDeadlines(recordAt("HR-1", a, c))
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
			g.CaseRef != "HR-1" || g.CaseKind != casefile.Application || g.Label == "" || g.Owner != "" {
			t.Errorf("deadline %d: %+v, want %+v", i, g, w)
		}
	}
	if d := OpenDeadlines(recordAt("HR-2", base("under-occupying"), confirmAll(base("under-occupying"), Council{}))); d != nil {
		t.Errorf("under-occupiers have no Emergency deadlines: %+v", d)
	}
	if d := OpenDeadlines(recordAt("HR-3", base(), Council{})); d != nil {
		t.Errorf("not qualifying: no deadlines: %+v", d)
	}
	if d := OpenDeadlines(recordAt("HR-4", a, Council{})); d != nil {
		t.Errorf("awaiting verification (the homelessness decision is not made): no deadlines: %+v", d)
	}
	closed := c
	closed.Closure = &Closure{Reason: ClosedWithdrawn, Rule: "HR-D", ClosedOn: today}
	if d := OpenDeadlines(recordAt("HR-5", a, closed)); d != nil {
		t.Errorf("closed: no deadlines: %+v", d)
	}
	// the assigned officer owns the officers' deadlines, not the resident's
	assigned := c
	assigned.Officer = &casefile.Actor{ID: "alloc-7", Name: "Sam Officer"}
	for _, d := range OpenDeadlines(recordAt("HR-6", a, assigned)) {
		if (d.Audience == casefile.Officer) != (d.Owner == "alloc-7") {
			t.Errorf("%s: owner %q", d.Name, d.Owner)
		}
	}
}

// HR-EM: a direct offer closes the Emergency deadlines (the officer has done what it asked).
func TestHREM_DirectOfferClosesTheEmergencyDeadline(t *testing.T) {
	a := base("homeless-priority-need")
	c := confirmAll(a, Council{})
	c.Offers = []OfferRecord{{Number: 1, OfferedOn: "2026-11-23", Property: "Flat 1", Direct: false, Reasonable: true}}
	if got := OpenDeadlines(recordAt("HR-1", a, c)); len(got) != 2 {
		t.Errorf("an ordinary offer leaves the Emergency deadlines: %+v", got)
	}
	c.Offers = append(c.Offers, OfferRecord{Number: 2, OfferedOn: "2026-11-23", Property: "Flat 2", Direct: true, Reasonable: true})
	if got := OpenDeadlines(recordAt("HR-1", a, c)); got != nil {
		t.Errorf("a direct offer closes them: %+v", got)
	}
}

func TestPriorityKey(t *testing.T) {
	mk := func(band string, stars int, eff string) Decision {
		b, e := band, date(eff)
		return Decision{Status: StatusRegistered, Band: &b, Stars: stars, EffectiveDate: &e}
	}
	if got, ok := PriorityKey("HR-9", mk(BandA, 2, "2026-11-23")); got != "1#97#2026-11-23#HR-9" || !ok {
		t.Errorf("encoding: %s %v", got, ok)
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
		k, _ := PriorityKey(ordered[i].ref, ordered[i].d)
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, o := range ordered {
		k, _ := PriorityKey(o.ref, o.d)
		want = append(want, k)
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Fatalf("sorted keys %v\nwant %v", keys, want)
		}
	}
}

// Only active applications (registered: the band rests on decided facts) are on the priority list.
func TestHRD_PriorityListHoldsOnlyDecidedApplications(t *testing.T) {
	a := base("homeless-priority-need")
	a.SeekingWork = true
	cases := []struct {
		name string
		c    Council
		on   bool
	}{
		{"claims only: awaiting verification", Council{}, false},
		{"the council accepted the homelessness claim", confirmAll(a, Council{}), true},
		{"the council did not", Council{Decisions: []CouncilDecisionRecord{{Decision: codeHomeless, Applies: false, Note: "not in priority need"}}}, false},
		{"closed", Council{Decisions: councilFindings(codeHomeless), Closure: &Closure{Reason: ClosedHoused, Rule: "HR-D"}}, false},
	}
	for _, c := range cases {
		d := Assess(a, c.c, today, nil)
		if _, on := PriorityKey("HR-1", d); on != c.on || d.Active() != c.on || (!c.on && d.Offerable) {
			t.Errorf("%s: on the list %v, active %v, offerable %v (%s)", c.name, on, d.Active(), d.Offerable, d.Status)
		}
	}
}
