package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// MaxSubjects bounds the persons reported recorded on one case (source 002: "subjects of report"; "record ...
// repeat perpetrators"): each is an item of its own beside the case, and the case keeps only their keys.
const MaxSubjects = 10

// SubjectInput is an officer recording a person reported (POST /asb/cases/{reference}/subjects). Every text is
// bounded: name 200, address 300, description 2,000 characters.
type SubjectInput struct {
	Name        string `json:"name" validate:"required,max=200"`
	Address     string `json:"address,omitempty" validate:"omitempty,max=300"`
	Postcode    string `json:"postcode,omitempty" validate:"omitempty,postcode"` // the case's location's when not given
	Description string `json:"description,omitempty" validate:"omitempty,max=2000"`
	Tenant      bool   `json:"tenant"` // one of our tenants: the tenancy tools (ASB-8) apply
}

// Subject is a person reported on a case (S1, S2, ...), an item of its own beside the case.
type Subject struct {
	ID          string         `json:"id" dynamodbav:"id"`
	Name        string         `json:"name" dynamodbav:"name"`
	Address     string         `json:"address,omitempty" dynamodbav:"address,omitempty"`
	Postcode    string         `json:"postcode" dynamodbav:"postcode"`
	Description string         `json:"description,omitempty" dynamodbav:"description,omitempty"`
	Tenant      bool           `json:"tenant" dynamodbav:"tenant"`
	AddedAt     time.Time      `json:"addedAt" dynamodbav:"addedAt"`
	AddedBy     casefile.Actor `json:"addedBy" dynamodbav:"addedBy"`
}

// SubjectKey is the normalised key that finds a person reported across cases (repeat subjects): their name in
// lower-case words and the postcode without spaces, so "Jo  BLOGGS" at "nn1 1de" and "jo bloggs" at "NN11DE" are
// one person. Stored only as a hash (it is personal data).
func SubjectKey(name, postcode string) string {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return "subject|" + strings.Join(words, " ") + "|" + strings.ToUpper(strings.Join(strings.Fields(postcode), ""))
}

// SubjectPostcode is the postcode a subject is keyed under: theirs, or the case's location's.
func (c *Case) SubjectPostcode(in SubjectInput) string {
	if strings.TrimSpace(in.Postcode) != "" {
		return in.Postcode
	}
	return c.Location.Postcode
}

// AddSubject records a person reported on the case under keyHash, the hash of their SubjectKey: at most
// MaxSubjects, and not the same person twice (a field problem).
func (c *Case) AddSubject(in SubjectInput, keyHash string, by casefile.Actor, at time.Time) (Subject, casefile.Event, error) {
	if err := c.mustBeOpen("record the persons reported"); err != nil {
		return Subject{}, casefile.Event{}, err
	}
	err := check(in, func(f *apperr.Fields) {
		if i := slices.Index(c.SubjectKeys, keyHash); i >= 0 && strings.TrimSpace(in.Name) != "" {
			f.Add("name", "is already subject S%d of this case", i+1)
		}
	})
	if err != nil {
		return Subject{}, casefile.Event{}, err
	}
	if len(c.SubjectKeys) >= MaxSubjects {
		return Subject{}, casefile.Event{}, apperr.New(apperr.Unprocessable, "Case %s has %d persons reported, the most one case can hold", c.Reference, MaxSubjects)
	}
	c.SubjectKeys = append(c.SubjectKeys, keyHash)
	s := Subject{ID: fmt.Sprintf("S%d", len(c.SubjectKeys)), Name: strings.TrimSpace(in.Name), Address: in.Address, Postcode: c.SubjectPostcode(in),
		Description: in.Description, Tenant: in.Tenant, AddedAt: at.UTC(), AddedBy: by}
	return s, casefile.NewEvent(at, by, "subject-added", "", map[string]any{"subjectId": s.ID, "name": s.Name, "tenant": s.Tenant}), nil
}
