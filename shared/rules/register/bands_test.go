package register

import (
	"strings"
	"testing"
)

// The band rules on decided facts (every claim confirmed): see claims_test.go for what happens before.

func TestHR_EM_EmergencyBandAndExpiry(t *testing.T) {
	// awarded today (Mon 23 Nov 2026): 6 weeks = 42 days = Mon 4 Jan 2027
	for _, code := range []string{"homeless-priority-need", "unsuitable-succession", "decant", "statutory-overcrowding",
		"hospital-discharge", "armed-forces-injury", "emergency-transfer"} {
		d := decided(base(code), Council{}, today, nil)
		if d.BandName() != BandEmergency || !d.Reasons.Has("HR-EM") || dateString(d.EmergencyExpiresOn) != "2027-01-04" || dateString(d.EffectiveDate) != "2026-11-23" {
			t.Errorf("%s: band %s expires %s", code, d.BandName(), dateString(d.EmergencyExpiresOn))
		}
	}
	cases := []struct {
		name          string
		circumstances []string
		expires       string
	}{
		{"emergency under-occupier has no expiry", []string{"under-occupying"}, "none"},
		{"under-occupier with a Band A need: still no expiry", []string{"under-occupying", "mappa"}, "none"},
		{"under-occupier also decanted: the decant expires", []string{"under-occupying", "decant"}, "2027-01-04"},
	}
	for _, c := range cases {
		d := decided(base(c.circumstances...), Council{}, today, nil)
		if d.BandName() != BandEmergency || dateString(d.EmergencyExpiresOn) != c.expires {
			t.Errorf("%s: band %s, expires %s, want %s", c.name, d.BandName(), dateString(d.EmergencyExpiresOn), c.expires)
		}
	}
	if d := decided(base("under-occupying"), Council{}, today, nil); !containsText(reasonText(d, "HR-EM"), "no time limit") {
		t.Errorf("under-occupier reason: %v", d.Reasons)
	}
}

func TestHR_EM_ReassessmentKeepsTheAwardDate(t *testing.T) {
	first := decided(base("homeless-priority-need"), Council{}, today, nil)
	later := decided(base("homeless-priority-need", "mappa"), Council{}, date("2026-12-10"), &first)
	if dateString(later.EffectiveDate) != "2026-11-23" || dateString(later.EmergencyExpiresOn) != "2027-01-04" || len(later.Warnings) != 0 {
		t.Errorf("reassessment moved the dates: %+v", later)
	}
	over := decided(base("homeless-priority-need"), Council{}, date("2027-01-05"), &later)
	if dateString(over.EmergencyExpiresOn) != "2027-01-04" || !containsText(warningText(over, "HR-EM"), "make a direct offer") {
		t.Errorf("the day after expiry an officer must make a direct offer: %+v", over.Warnings)
	}
	made := Council{Offers: []OfferRecord{{Number: 1, OfferedOn: "2027-01-05", Property: "Flat 1", Direct: true, Reasonable: true}}}
	if d := decided(base("homeless-priority-need"), made, date("2027-01-06"), &later); warningText(d, "HR-EM") != "" {
		t.Errorf("once the direct offer is made, no warning: %v", d.Warnings)
	}
}

// Intentionally homeless applicants are not in Emergency (source 001) but homelessness is still a reasonable
// preference: registered, reduced priority, no expiry.
func TestHR_EM_IntentionallyHomeless(t *testing.T) {
	c := Council{Decisions: councilFindings("intentionally-homeless")}
	d := decided(base("homeless-priority-need"), c, today, nil)
	if d.Status != StatusRegistered || d.BandName() != BandReduced || d.NeedBand != "" || d.EmergencyExpiresOn != nil || !d.Reasons.Has("HR-R") {
		t.Errorf("%+v", d)
	}
	if d := decided(base("homeless-priority-need", "child-at-risk"), c, today, nil); d.NeedBand != BandA || d.BandName() != BandReduced {
		t.Errorf("other needs still count: need %s band %s", d.NeedBand, d.BandName())
	}
}

func TestHR_A_UrgentNeed(t *testing.T) {
	for _, code := range []string{"urgent-welfare", "lacks-essential-facilities", "enforcement-vacate", "notice-under-8-weeks", "hhsrs-category-1",
		"agency-move-on", "adaptations-not-needed", "mappa", "child-at-risk", "foster-adopt", "cannot-find-own", "mod-bereavement"} {
		d := decided(base(code), Council{}, today, nil)
		if d.BandName() != BandA || d.NeedBand != BandA || !d.Reasons.Has("HR-A") || !d.Offerable || d.EmergencyExpiresOn != nil {
			t.Errorf("%s: %+v", code, d)
		}
	}
}

func TestHR_B_ModerateNeed(t *testing.T) {
	for _, code := range []string{"rent-agriculture-act", "service-tenant-leaving", "sharing-facilities", "notice-to-quit", "hhsrs-category-2"} {
		d := decided(base(code), Council{}, today, nil)
		if d.BandName() != BandB || !d.Reasons.Has("HR-B") || !d.Offerable {
			t.Errorf("%s: %+v", code, d)
		}
	}
}

func TestHighestBandWins(t *testing.T) {
	cases := []struct {
		name          string
		circumstances []string
		medical       string
		want          string
	}{
		{"B, A and Emergency", []string{"hhsrs-category-2", "mappa", "decant"}, "", BandEmergency},
		{"severe medical + Band B circumstance -> A", []string{"sharing-facilities"}, "severe", BandA},
		{"moderate medical + Band A circumstance -> A", []string{"mappa"}, "moderate", BandA},
		{"moderate medical alone -> B", nil, "moderate", BandB},
		{"severe medical alone -> A", nil, "severe", BandA},
		{"severe medical + Emergency -> Emergency", []string{"decant"}, "severe", BandEmergency},
	}
	for _, c := range cases {
		var council Council
		if c.medical != "" {
			council.MedicalAward = award(c.medical, "2026-10-01")
		}
		if d := decided(base(c.circumstances...), council, today, nil); d.BandName() != c.want {
			t.Errorf("%s: %s, want %s", c.name, d.BandName(), c.want)
		}
	}
}

func TestHR_M_MedicalAward(t *testing.T) {
	cases := []struct {
		name       string
		award      *MedicalAward
		when       string
		band       string
		reviewDue  string
		overdue    bool
		wantStatus string
	}{
		{"severe, assessed 1 Oct 2026", award("severe", "2026-10-01"), "2026-11-23", BandA, "2027-10-01", false, StatusRegistered},
		{"moderate, assessed 1 Nov 2025: over 12 months", award("moderate", "2025-11-01"), "2026-11-23", BandB, "2026-11-01", true, StatusRegistered},
		{"exactly 12 months old is not over", award("moderate", "2025-11-23"), "2026-11-23", BandB, "2026-11-23", false, StatusRegistered},
		{"29 Feb assessment: review 1 Mar", award("severe", "2024-02-29"), "2024-03-01", BandA, "2025-03-01", false, StatusRegistered},
		{"none gives no band", award("none", ""), "2026-11-23", "", "none", false, StatusNotQualifying},
	}
	for _, c := range cases {
		d := decided(base(), Council{MedicalAward: c.award}, date(c.when), nil)
		if d.Status != c.wantStatus || d.BandName() != c.band || dateString(d.MedicalReviewDue) != c.reviewDue || (warningText(d, "HR-M") != "") != c.overdue {
			t.Errorf("%s: %s band %s review %s warnings %v", c.name, d.Status, d.BandName(), dateString(d.MedicalReviewDue), d.Warnings)
		}
		if c.band != "" && (d.Stars != 1 || !d.Reasons.Has("HR-M")) {
			t.Errorf("%s: one medical star and an HR-M reason: %d %v", c.name, d.Stars, d.Reasons)
		}
	}
}

// Older records may lack the assessment date: the review date must not drift forward on every reassessment.
func TestHR_M_MissingAssessmentDateKeepsItsReviewDate(t *testing.T) {
	c := Council{MedicalAward: award("severe", "")}
	first := decided(base(), c, today, nil)
	later := decided(base(), c, date("2027-02-01"), &first)
	if dateString(first.MedicalReviewDue) != "2027-11-23" || dateString(later.MedicalReviewDue) != "2027-11-23" || warningText(later, "HR-M") == "" {
		t.Errorf("first %s, later %s, warnings %v", dateString(first.MedicalReviewDue), dateString(later.MedicalReviewDue), later.Warnings)
	}
}

func TestEffectiveDate(t *testing.T) {
	prev := func(band, eff string) *Decision {
		b, e := band, date(eff)
		return &Decision{Status: StatusRegistered, Band: &b, EffectiveDate: &e}
	}
	debt := func(a *Application) { a.HousingDebt = &HousingDebt{Amount: pounds(50), WeeklyRent: pounds(100)} }
	cases := []struct {
		name     string
		previous *Decision
		circ     string
		change   func(*Application)
		want     string
	}{
		{"new application: today", nil, "mappa", nil, "2026-11-23"},
		{"same band: kept", prev(BandA, "2026-01-05"), "mappa", nil, "2026-01-05"},
		{"higher band: today", prev(BandB, "2026-01-05"), "mappa", nil, "2026-11-23"},
		{"lower band: kept", prev(BandA, "2026-01-05"), "sharing-facilities", nil, "2026-01-05"},
		{"Band A to reduced: kept", prev(BandA, "2026-01-05"), "mappa", debt, "2026-01-05"},
		{"reduced to Band A once the debt is cleared: today", prev(BandReduced, "2026-01-05"), "mappa", nil, "2026-11-23"},
		{"previously not qualifying: today", &Decision{Status: StatusNotQualifying}, "mappa", nil, "2026-11-23"},
		{"previously awaiting verification: today (the date starts when the band is decided)", &Decision{Status: StatusAwaitingVerification}, "mappa", nil, "2026-11-23"},
	}
	for _, c := range cases {
		a := base(c.circ)
		if c.change != nil {
			c.change(&a)
		}
		if d := decided(a, Council{}, today, c.previous); dateString(d.EffectiveDate) != c.want {
			t.Errorf("%s: %s, want %s", c.name, dateString(d.EffectiveDate), c.want)
		}
	}
}

func containsText(text, want string) bool { return strings.Contains(text, want) }
