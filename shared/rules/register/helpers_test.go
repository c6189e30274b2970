package register

import (
	"math"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// today is a Monday; every expected date below is counted by hand from it.
var today = workdays.MustParseDate("2026-11-23")

func date(s string) workdays.Date { return workdays.MustParseDate(s) }

// base is a valid application (36 today, born 1 May 1990) with the given circumstances.
func base(circumstances ...string) Application {
	return Application{
		Applicant: Applicant{Details: contact.Details{Name: "Jo Applicant", Email: "jo@example.org", Address: "1 Example Road", Postcode: "NN1 1DE"}, DateOfBirth: "1990-05-01"},
		Household: []Member{{Name: "Kim", DateOfBirth: "2018-02-01", Relationship: "child"}},
		Age:       36, EligibleImmigrationStatus: true, Circumstances: circumstances,
	}
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func fullCC() *CommunityContribution {
	return &CommunityContribution{ResidenceYears: 3, PositiveHistory: true, VolunteeringMonths: 6, HoursPerMonth: 10, NotForProfit: true, EvidenceFromUnrelatedManager: true}
}

// confirmAll is c with every claim of a confirmed that c does not already settle: self-declared circumstances and
// star claims verified, council-decided circumstances decided to apply, declared debt confirmed as declared, and
// a medical need assessed only if c has an award. It lets the band rules be tested on decided facts.
func confirmAll(a Application, c Council) Council {
	out := c
	out.Checks = append([]ClaimCheckRecord(nil), c.Checks...)
	out.Decisions = append([]CouncilDecisionRecord(nil), c.Decisions...)
	verify := func(claim string) {
		if _, ok := out.check(claim); !ok {
			out.Checks = append(out.Checks, ClaimCheckRecord{Claim: claim, Verified: true, Note: "evidence seen"})
		}
	}
	for _, code := range a.Circumstances {
		known, _ := lookup(Circumstances, code)
		if known.Proof == SelfDeclared {
			verify(code)
		} else if _, ok := out.decision(code); !ok {
			out.Decisions = append(out.Decisions, CouncilDecisionRecord{Decision: code, Applies: true, DecidedOn: "2026-11-01", DecidedBy: known.DecidedBy, Note: "decided"})
		}
	}
	if a.SeekingWork {
		verify(ClaimSeekingWork)
	}
	if a.CommunityContribution != nil {
		verify(ClaimCommunityContribution)
	}
	if a.Working != nil {
		verify(ClaimWorking)
	}
	if out.HousingDebt == nil && a.HousingDebt != nil {
		d := *a.HousingDebt
		out.HousingDebt = &d
	}
	return out
}

// decided assesses a with every claim confirmed (confirmAll) on top of what c records.
func decided(a Application, c Council, day workdays.Date, previous *Decision) Decision {
	return Assess(a, confirmAll(a, c), day, previous)
}

// The council's records, for fixtures.
func award(severity, assessedOn string) *MedicalAward {
	return &MedicalAward{Severity: severity, Grounds: GroundsMedical, AssessedOn: assessedOn}
}

func findings(codes ...string) []FindingRecord {
	var out []FindingRecord
	for _, c := range codes {
		out = append(out, FindingRecord{Code: c, Applies: true, Evidence: "seen", RecordedOn: date("2026-11-01")})
	}
	return out
}

func councilFindings(codes ...string) []CouncilDecisionRecord {
	var out []CouncilDecisionRecord
	for _, c := range codes {
		out = append(out, CouncilDecisionRecord{Decision: c, Applies: true, DecidedOn: "2026-11-01", DecidedBy: "the council", Note: "found", RecordedOn: date("2026-11-01")})
	}
	return out
}

// refusals are refused reasonable offers on the given days.
func refusals(days ...string) []OfferRecord {
	var out []OfferRecord
	for i, d := range days {
		out = append(out, OfferRecord{Number: i + 1, OfferedOn: d, Property: "Flat", Refused: true, RefusedOn: d, Reasonable: true})
	}
	return out
}

func check(claim string, verified bool) ClaimCheckRecord {
	return ClaimCheckRecord{Claim: claim, Verified: verified, Note: "checked"}
}

func reasonText(d Decision, rule string) string {
	var out []string
	for _, r := range d.Reasons {
		if r.Rule == rule {
			out = append(out, r.Text)
		}
	}
	return strings.Join(out, " | ")
}

func warningText(d Decision, rule string) string {
	var out []string
	for _, r := range d.Warnings {
		if r.Rule == rule {
			out = append(out, r.Text)
		}
	}
	return strings.Join(out, " | ")
}

func outstandingClaims(d Decision) []string {
	var out []string
	for _, o := range d.Outstanding {
		out = append(out, o.Claim)
	}
	return out
}

func dateString(d *workdays.Date) string {
	if d == nil {
		return "none"
	}
	return d.String()
}

func bandString(b *string) string {
	if b == nil {
		return ""
	}
	return *b
}

func TestBaseApplicationIsValid(t *testing.T) {
	if err := base("mappa").Validate(today); err != nil {
		t.Fatalf("the test fixture must be valid: %v", err)
	}
}

// mustContain fails when text lacks any of the wanted fragments.
func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: %q does not contain %q", what, text, w)
		}
	}
}

// pounds is an amount in pounds as Money (whole pence).
func pounds(p float64) Money { return Money(math.Round(p * 100)) }
