// Package contact is the one shape of a person's contact details, for every case kind: the ASB reporter, the
// complainant and the register applicant embed it, and the case's CONTACT item stores it at the top level, so
// the reminders and the notifier read one layout. Contact details are personal data: they are kept apart from
// the case, and String, GoString and LogValue withhold them however they are printed or logged.
package contact

import (
	"log/slog"
	"strings"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/validate"
)

// Ways a person may prefer to be contacted.
const (
	Email  = "email"
	SMS    = "sms"
	Phone  = "phone"
	Letter = "letter"
)

// Details are how to reach a person and what they need from us. The limits are the public contract's.
type Details struct {
	Name             string `json:"name" dynamodbav:"name" validate:"required,max=200"`
	Email            string `json:"email,omitempty" dynamodbav:"email,omitempty" validate:"omitempty,email,max=254"`
	Phone            string `json:"phone,omitempty" dynamodbav:"phone,omitempty" validate:"omitempty,ukphone"`
	Address          string `json:"address,omitempty" dynamodbav:"address,omitempty" validate:"omitempty,max=300"` // postal address, required for letters
	Postcode         string `json:"postcode,omitempty" dynamodbav:"postcode,omitempty" validate:"omitempty,postcode"`
	PreferredContact string `json:"preferredContact,omitempty" dynamodbav:"preferredContact,omitempty" validate:"omitempty,oneof=email sms phone letter"` // absent: email when given, else SMS
	Language         string `json:"language,omitempty" dynamodbav:"language,omitempty" validate:"omitempty,max=35"`                                       // e.g. "en", "cy", "pl"; absent: English
	Adjustments      string `json:"adjustments,omitempty" dynamodbav:"adjustments,omitempty" validate:"omitempty,max=1000"`                               // reasonable adjustments asked for
}

const withheld = "[contact details withheld]"

func (Details) String() string       { return withheld }
func (Details) GoString() string     { return withheld }
func (Details) LogValue() slog.Value { return slog.StringValue(withheld) }

// Channel is how to write to the person: their preference, else email when an address is known, else SMS.
func (d Details) Channel() string {
	switch {
	case d.PreferredContact != "":
		return d.PreferredContact
	case strings.TrimSpace(d.Email) != "":
		return Email
	default:
		return SMS
	}
}

// Reachable says whether we can write to the person at all: an email address, a phone number, or letters to a
// postal address. An anonymous reporter (ASB-2) is not reachable and is never written to.
func (d Details) Reachable() bool {
	has := func(s string) bool { return strings.TrimSpace(s) != "" }
	return has(d.Email) || has(d.Phone) || (d.PreferredContact == Letter && has(d.Address))
}

// CheckReachable adds a field error, under prefix (e.g. "reporter"), when the person cannot be contacted the way
// they prefer or at all.
func (d Details) CheckReachable(f *apperr.Fields, prefix string) {
	validate.Reachable(f, prefix, d.Email, d.Phone, d.Address, d.PreferredContact)
}
