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
		Age:       36, EligibleImmigrationStatus: true, Circumstances: circumstances,
	}
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func fullCC() *CommunityContribution {
	return &CommunityContribution{ResidenceYears: 3, PositiveHistory: true, VolunteeringMonths: 6, HoursPerMonth: 10, NotForProfit: true, EvidenceFromUnrelatedManager: true}
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

func dateString(d *workdays.Date) string {
	if d == nil {
		return "none"
	}
	return d.String()
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
