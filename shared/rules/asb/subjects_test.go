package asb

import (
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Source 002 ("record ... repeat perpetrators"): one person, however their name and postcode are typed, has one
// key; another person or another postcode has another.
func TestASBSubjects_KeyNormalises(t *testing.T) {
	a := SubjectKey("Jo  BLOGGS", "nn1 1de")
	if a != SubjectKey(" jo bloggs.", "NN11DE") || a == SubjectKey("Jo Bloggs", "NN1 1DF") || a == SubjectKey("Joe Bloggs", "NN1 1DE") {
		t.Errorf("keys: %s", a)
	}
}

// A case records at most MaxSubjects persons reported, each once, keyed by the case's postcode when none is given.
func TestASBSubjects_AtMostTenEachOnce(t *testing.T) {
	c := reviewable()
	s, ev, err := c.AddSubject(SubjectInput{Name: "Jo Bloggs", Tenant: true}, "h1", by("o1"), mondayMorning)
	if err != nil || s.ID != "S1" || s.Postcode != "NN1 1DE" || ev.Action != "subject-added" || len(c.SubjectKeys) != 1 {
		t.Fatalf("%+v %v", s, err)
	}
	_, _, err = c.AddSubject(SubjectInput{Name: "Jo Bloggs"}, "h1", by("o1"), mondayMorning)
	wantFields(t, err, "name")
	_, _, err = c.AddSubject(SubjectInput{Name: " ", Postcode: "nowhere", Description: strings.Repeat("x", 2001)}, "h2", by("o1"), mondayMorning)
	wantFields(t, err, "name", "postcode", "description")
	for i := 2; i <= MaxSubjects; i++ {
		if _, _, err := c.AddSubject(SubjectInput{Name: "Person"}, string(rune('a'+i)), by("o1"), mondayMorning); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = c.AddSubject(SubjectInput{Name: "One more"}, "h11", by("o1"), mondayMorning)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Unprocessable {
		t.Fatalf("eleventh: %v", err)
	}
}
