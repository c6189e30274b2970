package validate

import (
	"strings"
	"testing"
)

type contact struct {
	Email    string `json:"email" validate:"omitempty,email"`
	Postcode string `json:"postcode" validate:"required,postcode"`
	Phone    string `json:"phone" validate:"omitempty,ukphone"`
}

type form struct {
	Type    string    `json:"type" validate:"required,oneof=noise litter"`
	Contact contact   `json:"contact"`
	When    string    `json:"when" validate:"omitempty,date"`
	Items   []contact `json:"items" validate:"dive"`
}

func TestStructListsEveryFieldByJSONPath(t *testing.T) {
	got := Struct(form{Type: "loud", Contact: contact{Email: "nope", Postcode: "XYZ", Phone: "12"}, When: "2023-02-30",
		Items: []contact{{Postcode: "M1 1AE"}, {Postcode: ""}}})
	want := map[string]string{
		"type":              "must be one of: noise, litter",
		"contact.email":     "must be an email address",
		"contact.postcode":  "must be a UK postcode",
		"contact.phone":     "must be a UK phone number",
		"when":              "must be a real date in the form YYYY-MM-DD",
		"items[1].postcode": "is required",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors %v, want %d", len(got), got, len(want))
	}
	for _, fe := range got {
		if want[fe.Field] != fe.Message {
			t.Errorf("%s: got %q, want %q", fe.Field, fe.Message, want[fe.Field])
		}
	}
}

func TestValidStruct(t *testing.T) {
	if got := Struct(form{Type: "noise", Contact: contact{Email: "a@b.uk", Postcode: "sw1a 1aa", Phone: "07700 900123"}}); got != nil {
		t.Fatalf("unexpected errors: %v", got)
	}
	for _, pc := range []string{"SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A1BB"} {
		if got := Struct(form{Type: "noise", Contact: contact{Email: "a@b.uk", Postcode: pc}}); got != nil {
			t.Errorf("%s should be a postcode: %v", pc, got)
		}
	}
}

// A struct embedded without a JSON name contributes its fields to the outer object, as encoding/json does, so
// field errors name them without the embedded type.
func TestEmbeddedStructFieldsKeepTheirJSONPath(t *testing.T) {
	type Inner struct {
		Name string `json:"name" validate:"required"`
	}
	type Person struct {
		Inner
		Born string `json:"born" validate:"required"`
	}
	type Form struct {
		Person Person `json:"person"`
	}
	got := Struct(Form{})
	want := []string{"person.name", "person.born"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i, w := range want {
		if got[i].Field != w {
			t.Errorf("error %d names %q, want %q", i, got[i].Field, w)
		}
	}
}

// Text of only spaces is not text: required fields say so, other validated text fields are refused as blank;
// a field with another problem is named once.
func TestBlankTextIsNotText(t *testing.T) {
	type member struct {
		Name string `json:"name" validate:"required,max=20"`
	}
	type request struct {
		Title   string   `json:"title" validate:"required,max=20"`
		Note    string   `json:"note,omitempty" validate:"omitempty,max=20"`
		Email   string   `json:"email,omitempty" validate:"omitempty,email"`
		Free    string   `json:"free"` // not validated: left alone
		Members []member `json:"members" validate:"dive"`
	}
	got := Struct(request{Title: "   ", Note: "\t", Email: " ", Free: " ", Members: []member{{Name: "Jo"}, {Name: "\u00a0 "}}})
	want := []string{"email: must be an email address", "title: is required", "note: must not be only spaces", "members[1].name: is required"}
	var have []string
	for _, f := range got {
		have = append(have, f.Field+": "+f.Message)
	}
	if strings.Join(have, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", have, want)
	}
}

// Dates fall between 1900 and 2100: a date of birth within a human lifetime, and no deadline or reminder computed
// from a year-1 date.
func TestDatesArePlausible(t *testing.T) {
	type form struct {
		On string `json:"on" validate:"required,date"`
	}
	for value, want := range map[string]string{
		"2026-11-29": "", "1900-01-01": "", "2100-12-31": "",
		"0001-01-01": "must be between 1900 and 2100", "1899-12-31": "must be between 1900 and 2100", "2101-01-01": "must be between 1900 and 2100",
		"2026-02-30": "must be a real date in the form YYYY-MM-DD",
	} {
		got := Struct(form{On: value})
		if (want == "") != (got == nil) || (want != "" && got[0].Message != want) {
			t.Errorf("%s: got %v, want %q", value, got, want)
		}
	}
}
