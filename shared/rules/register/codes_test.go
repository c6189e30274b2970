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
	// source 001 names these as the council's (or a partner agency's) decisions; the others are proved by evidence
	council := map[string]bool{"homeless-priority-need": true, "unsuitable-succession": true, "decant": true, "emergency-transfer": true,
		"urgent-welfare": true, "enforcement-vacate": true, "notice-under-8-weeks": true, "hhsrs-category-1": true, "agency-move-on": true,
		"mappa": true, "child-at-risk": true, "foster-adopt": true, "cannot-find-own": true, "rent-agriculture-act": true, "hhsrs-category-2": true}
	for _, c := range Circumstances {
		switch {
		case council[c.Code] && (c.Proof != CouncilDecided || c.DecidedBy == "" || c.Evidence != ""):
			t.Errorf("%s: council-decided, by whom: %q %q %q", c.Code, c.Proof, c.DecidedBy, c.Evidence)
		case !council[c.Code] && (c.Proof != SelfDeclared || c.Evidence == "" || c.DecidedBy != ""):
			t.Errorf("%s: self-declared with evidence, which: %q %q %q", c.Code, c.Proof, c.DecidedBy, c.Evidence)
		}
	}
	for _, code := range []string{"hhsrs-category-1", "hhsrs-category-2"} {
		if c, _ := lookup(Circumstances, code); c.DecidedBy != "the council's Private Sector Housing Team" {
			t.Errorf("%s is confirmed by the Private Sector Housing Team (source 001): %q", code, c.DecidedBy)
		}
	}
	for _, c := range ReducedPriorityCodes {
		if c.Proof != CouncilDecided || c.DecidedBy == "" {
			t.Errorf("%s: reduced priority is the council's finding", c.Code)
		}
	}
	if got := len(CouncilDecisionCodes()); got != len(council)+len(ReducedPriorityCodes) {
		t.Errorf("%d council decision codes", got)
	}
	sameCodes(t, "reducedPriority", ReducedPriorityCodes, "asb-or-damage", "tenancy-breach", "savings-above-threshold", "void-standard-fail", "intentionally-homeless")
	sameCodes(t, "unacceptableBehaviour", UnacceptableBehaviourCodes, "violence-to-staff", "nuisance", "illegal-use-conviction",
		"domestic-abuse-perpetrator", "deception", "fraud", "property-deterioration", "serious-offence", "plan-not-kept")
	sameCodes(t, "debtException", DebtExceptionCodes, "domestic-violence-victim", "hate-crime-victim", "urgent-medical", "exceptional-circumstances")
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
