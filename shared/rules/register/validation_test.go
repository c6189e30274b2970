package register

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/contact"
)

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		t.Fatalf("want an invalid error, got %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	sort.Strings(out)
	return out
}

func TestValidationListsEveryField(t *testing.T) {
	a := Application{
		Applicant:             Applicant{Details: contact.Details{Email: "not-an-email", Postcode: "XX"}, DateOfBirth: "2030-02-30"},
		Household:             []Member{{Name: "Kid", DateOfBirth: "2027-01-01"}},
		Age:                   131,
		Circumstances:         []string{"homeless", "mappa", "mappa"},
		MedicalNeeds:          []MedicalNeed{{Grounds: "cosmetic"}},
		HousingDebt:           &HousingDebt{Amount: pounds(5), TenancyEndedOn: "2020-13-01"},
		CommunityContribution: &CommunityContribution{HoursPerMonth: -1},
		Working:               &Working{Contract: "zero-hours", MonthsInLastTwelve: 13},
	}
	want := []string{
		"age", "applicant.address", "applicant.dateOfBirth", "applicant.email", "applicant.name", "applicant.postcode",
		"circumstances", "circumstances[0]", "circumstances[2]", "communityContribution.hoursPerMonth",
		"household[0].dateOfBirth", "housingDebt.tenancyEndedOn", "housingDebt.weeklyRent",
		"medicalNeeds[0].description", "medicalNeeds[0].grounds",
		"working.contract", "working.monthsInLastTwelve",
	}
	if got := fieldsOf(t, a.Validate(today)); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("fields\n got %v\nwant %v", got, want)
	}
}

func TestValidationCrossFieldRules(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Application)
		field  string
		says   string
	}{
		{"a medical need says what it is", func(a *Application) { a.MedicalNeeds = []MedicalNeed{{Grounds: "medical", Description: " "}} }, "medicalNeeds[0].description", "required"},
		{"at most 5 medical needs", func(a *Application) { a.MedicalNeeds = make([]MedicalNeed, 6) }, "medicalNeeds", "at most 5"},
		{"dateOfBirth in the future", func(a *Application) { a.Applicant.DateOfBirth = "2026-11-24" }, "applicant.dateOfBirth", "future"},
		{"age and dateOfBirth disagree on 16 or over", func(a *Application) { a.Age = 15 }, "age", "makes the applicant 36"},
		{"negative age", func(a *Application) { a.Age = -1 }, "age", "at least 0"},
		{"no way to contact", func(a *Application) { a.Applicant.Email = "" }, "applicant", "email address or a phone number"},
		{"bad phone", func(a *Application) { a.Applicant.Phone = "12345" }, "applicant.phone", "UK phone"},
		{"no address (contact.Details leaves it optional; the register does not)", func(a *Application) { a.Applicant.Address = "" }, "applicant.address", "is required"},
		{"an address of only spaces", func(a *Application) { a.Applicant.Address = " " }, "applicant.address", "must not be only spaces"},
		{"no postcode", func(a *Application) { a.Applicant.Postcode = "" }, "applicant.postcode", "is required"},
		{"bad postcode", func(a *Application) { a.Applicant.Postcode = "XX" }, "applicant.postcode", "UK postcode"},
		{"debt with no rent", func(a *Application) { a.HousingDebt = &HousingDebt{Amount: pounds(10)} }, "housingDebt.weeklyRent", "2 weeks' rent"},
		{"tenancy ended in the future", func(a *Application) { a.HousingDebt = &HousingDebt{TenancyEndedOn: "2027-01-01"} }, "housingDebt.tenancyEndedOn", "future"},
		{"residence longer than life", func(a *Application) { a.CommunityContribution = fullCC(); a.CommunityContribution.ResidenceYears = 37 }, "communityContribution.residenceYears", "age (36)"},
		{"missing contract", func(a *Application) { a.Working = &Working{HoursPerWeek: 20, MonthsInLastTwelve: 12} }, "working.contract", "required"},
	}
	for _, c := range cases {
		a := base("mappa")
		c.change(&a)
		e, ok := apperr.As(a.Validate(today))
		if !ok {
			t.Errorf("%s: no error", c.name)
			continue
		}
		found := false
		for _, f := range e.Fields {
			if f.Field == c.field && strings.Contains(f.Message, c.says) {
				found = true
			}
		}
		if !found || len(e.Fields) != 1 {
			t.Errorf("%s: want only %s (%q), got %+v", c.name, c.field, c.says, e.Fields)
		}
	}
	birthday := base("mappa")
	birthday.Applicant.DateOfBirth, birthday.Age = "2010-11-23", 16 // 16th birthday today
	tomorrow := base("mappa")
	tomorrow.Applicant.DateOfBirth, tomorrow.Age = "2010-11-24", 15 // 16 tomorrow
	for _, a := range []Application{birthday, tomorrow} {
		if err := a.Validate(today); err != nil {
			t.Errorf("age %d from %s: %v", a.Age, a.Applicant.DateOfBirth, err)
		}
	}
}

func TestEligibilityCheckValidation(t *testing.T) {
	var e EligibilityCheck
	if err := json.Unmarshal([]byte(`{"age": 200, "circumstances": ["rich"], "unacceptableBehaviour": ["rudeness"], "medicalOrWelfareNeed": true}`), &e); err != nil {
		t.Fatal(err)
	}
	want := "age circumstances circumstances[0] eligibleImmigrationStatus unacceptableBehaviour unacceptableBehaviour[0]"
	if got := strings.Join(fieldsOf(t, e.Validate()), " "); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Nothing the public can send sets a decision: the public types have no field for a medical award, a
// verification, a council decision, a finding, a debt exception, refused offers or the council's record, so the
// request decoder (DisallowUnknownFields, as the JSON API reads every body) refuses each as an unknown field.
func TestHRD_PublicFormCannotSetDecisions(t *testing.T) {
	for field, value := range map[string]string{
		"medicalAward":          `{"severity": "severe", "assessedOn": "2026-01-02"}`,
		"verified":              `{"seekingWork": true}`,
		"debtException":         `["urgent-medical"]`,
		"unacceptableBehaviour": `[]`,
		"reducedPriority":       `[]`,
		"refusedOffers":         `["2026-01-01"]`,
		"council":               `{"decisions": [{"decision": "homeless-priority-need", "applies": true}]}`,
		"decision":              `{"status": "registered", "band": "emergency"}`,
		"checks":                `[{"claim": "seeking-work", "verified": true}]`,
		"stars":                 `4`,
	} {
		body := `{"age": 36, "eligibleImmigrationStatus": true, "circumstances": ["homeless-priority-need"], "` + field + `": ` + value + `}`
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		var a Application
		if err := dec.Decode(&a); err == nil || err.Error() != `json: unknown field "`+field+`"` {
			t.Errorf("%s: %v, want an unknown field", field, err)
		}
	}
	dec := json.NewDecoder(strings.NewReader(`{"age": 36, "medicalAward": {"severity": "severe"}}`))
	dec.DisallowUnknownFields()
	var e EligibilityCheck
	if err := dec.Decode(&e); err == nil || !strings.Contains(err.Error(), `unknown field "medicalAward"`) {
		t.Errorf("the pre-screen takes a need, not an award: %v", err)
	}
}

// A stated age a year or two out from the date of birth is accepted: only the HR-E1 threshold must agree.
func TestAgeNearDateOfBirthIsAccepted(t *testing.T) {
	a := base("urgent-welfare")
	a.Age = 35 // 36 by the date of birth today
	if err := a.Validate(today); err != nil {
		t.Fatalf("%v", err)
	}
}

// The applicant embeds contact.Details: the public JSON names are unchanged, and the stored contact has the
// shared details at the top level (the shape the reminders read) with the register's extras.
func TestApplicantKeepsItsJSONNamesAndContactIsStoredFlat(t *testing.T) {
	a := base("mappa")
	a.Applicant.Language, a.Household = "cy", []Member{{Name: "Kid", DateOfBirth: "2018-02-01"}}
	raw, _ := json.Marshal(a.Applicant)
	want := `{"name":"Jo Applicant","email":"jo@example.org","address":"1 Example Road","postcode":"NN1 1DE","language":"cy","dateOfBirth":"1990-05-01"}`
	if string(raw) != want {
		t.Errorf("applicant JSON\n got %s\nwant %s", raw, want)
	}
	raw, _ = json.Marshal(ContactOf(a))
	var flat map[string]any
	_ = json.Unmarshal(raw, &flat)
	if flat["email"] != "jo@example.org" || flat["language"] != "cy" || flat["dateOfBirth"] != "1990-05-01" || len(flat["household"].([]any)) != 1 {
		t.Errorf("stored contact: %s", raw)
	}
}

// Unknown codes are each named once, and the allowed codes are listed once per field, so thousands of bad codes
// make a small answer (at most apperr.MaxFieldErrors entries, the rest counted).
func TestUnknownCodesAreNamedOnceAndTheAnswerIsBounded(t *testing.T) {
	a := base("mappa")
	a.Circumstances = []string{"homeless"}
	e, _ := apperr.As(a.Validate(today))
	if len(e.Fields) != 2 || e.Fields[0].Field != "circumstances[0]" || e.Fields[0].Message != `"homeless" is not a known code` ||
		e.Fields[1].Field != "circumstances" || !strings.HasPrefix(e.Fields[1].Message, "use codes from: homeless-priority-need, ") {
		t.Fatalf("got %+v", e.Fields)
	}
	many := base("mappa")
	for i := range 3000 {
		many.Circumstances = append(many.Circumstances, fmt.Sprintf("code-%d-%s", i, strings.Repeat("x", 100)))
	}
	e, _ = apperr.As(many.Validate(today))
	size := 0
	for _, f := range e.Fields {
		size += len(f.Field) + len(f.Message)
	}
	if len(e.Fields) != apperr.MaxFieldErrors || e.Omitted == 0 || size > 8<<10 {
		t.Errorf("%d errors listed (%d bytes), %d omitted", len(e.Fields), size, e.Omitted)
	}
}

// The medical award is the officers' (HR-M): it is decoded like every request body, so an unknown field is
// refused and a value of the wrong type is named by its path (found by the hostile-input table: POST
// .../medical-award with an unknown field once answered 200).
func TestHRM_MedicalAwardRefusesUnknownFieldsAndNamesWrongTypes(t *testing.T) {
	for body, want := range map[string]string{
		`{"severity": "severe", "grounds": "medical", "assessedOn": "2026-01-02", "notAField": 1}`: `json: unknown field "notAField"`,
		`{"severity": 5}`: "MedicalAward.severity",
		`"severe"`:        "cannot unmarshal string",
	} {
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		var m MedicalAward
		if err := dec.Decode(&m); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %s", body, err, want)
		}
	}
}
