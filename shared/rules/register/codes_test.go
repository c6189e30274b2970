package register

import "testing"

// The brief's code lists, written out by hand: the tables must hold exactly these, with these bands.
func TestCodeTablesMatchThePolicy(t *testing.T) {
	wantBands := map[string]string{
		"homeless-priority-need": "emergency", "unsuitable-succession": "emergency", "decant": "emergency", "under-occupying": "emergency",
		"statutory-overcrowding": "emergency", "hospital-discharge": "emergency", "armed-forces-injury": "emergency", "emergency-transfer": "emergency",
		"urgent-welfare": "A", "lacks-essential-facilities": "A", "enforcement-vacate": "A", "notice-under-8-weeks": "A", "hhsrs-category-1": "A",
		"agency-move-on": "A", "adaptations-not-needed": "A", "mappa": "A", "child-at-risk": "A", "foster-adopt": "A", "cannot-find-own": "A",
		"mod-bereavement":      "A",
		"rent-agriculture-act": "B", "service-tenant-leaving": "B", "sharing-facilities": "B", "notice-to-quit": "B", "hhsrs-category-2": "B",
	}
	wantRule := map[string]string{"emergency": "HR-EM", "A": "HR-A", "B": "HR-B"}
	if len(Circumstances) != len(wantBands) {
		t.Errorf("%d circumstances, want %d", len(Circumstances), len(wantBands))
	}
	for _, c := range Circumstances {
		if wantBands[c.Code] != c.Band || wantRule[c.Band] != c.Rule || c.Text == "" {
			t.Errorf("%s: band %q rule %q", c.Code, c.Band, c.Rule)
		}
	}
	sameCodes(t, "reducedPriority", ReducedPriorityCodes, "asb-or-damage", "tenancy-breach", "savings-above-threshold", "void-standard-fail", "intentionally-homeless")
	sameCodes(t, "unacceptableBehaviour", UnacceptableBehaviourCodes, "violence-to-staff", "nuisance", "illegal-use-conviction",
		"domestic-abuse-perpetrator", "deception", "fraud", "property-deterioration", "serious-offence", "plan-not-kept")
	sameCodes(t, "debtException", DebtExceptionCodes, "domestic-violence-victim", "hate-crime-victim", "urgent-medical")
}

func sameCodes(t *testing.T, name string, table []Code, want ...string) {
	t.Helper()
	if len(table) != len(want) {
		t.Errorf("%s: %d codes, want %d", name, len(table), len(want))
	}
	for _, w := range want {
		if c, ok := lookup(table, w); !ok || c.Text == "" || c.Rule == "" {
			t.Errorf("%s: %s missing or without text and rule", name, w)
		}
	}
}

func TestBandRank(t *testing.T) {
	for band, want := range map[string]int{"emergency": 0, "A": 1, "B": 2, "reduced": 3, "": 9, "Z": 9} {
		if got := BandRank(band); got != want {
			t.Errorf("BandRank(%q) = %d, want %d", band, got, want)
		}
	}
}
