package asb

import (
	"slices"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) workdays.Date { return workdays.MustParseDate(s) }

// mondayMorning is Monday 23 November 2026, 10:00 GMT: no bank holiday that week.
var mondayMorning = at("2026-11-23T10:00:00Z")

func report(typ string) Report {
	return Report{Type: typ, Description: "Loud music every night", Location: Location{Address: "1 High St", Postcode: "NN1 1DE"},
		Reporter: &Reporter{Name: "A Resident", Email: "a@example.org", PreferredContact: "email"}}
}

// fieldsOf lists the fields of an Invalid error, sorted; it fails the test for any other error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		t.Fatalf("want an invalid-fields error, got %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		if !slices.Contains(out, f.Field) {
			out = append(out, f.Field)
		}
	}
	slices.Sort(out)
	return out
}

func wantFields(t *testing.T, err error, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := fieldsOf(t, err); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v (%v)", got, want, err)
	}
}

// wantConflict checks a 409 that cites the rule.
func wantConflict(t *testing.T, err error, rule string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Conflict || e.Rule != rule {
		t.Errorf("want a conflict citing %s, got %v", rule, err)
	}
}

// by is a member of staff with a stable id and a display name derived from it.
func by(id string) casefile.Actor { return casefile.Actor{ID: id, Name: "Officer " + id} }
