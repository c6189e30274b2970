package residentaccess

import (
	"strings"

	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/contact"
)

// Contact is an email address or a UK mobile number as a resident proves they hold it: normalised the way
// ASB-7 normalises a reporter's contact (asb.ContactKey: "email:jo@example.org", "phone:+447700900123"), so
// one key finds the same person on every kind of record. It is personal data: String and LogValue withhold it.
type Contact struct{ canonical string }

// MaxContactLength bounds what the sign-in page takes (an email address is at most 254 characters).
const MaxContactLength = 254

// ParseContact reads what a resident typed: an email address, or a UK mobile number (a text is how a phone gets
// the code). Anything else is Invalid at the field "contact".
func ParseContact(typed string) (Contact, error) {
	s := strings.TrimSpace(typed)
	if len(s) > MaxContactLength {
		return Contact{}, invalid("must be at most 254 characters")
	}
	if s == "" {
		return Contact{}, invalid("is required")
	}
	if strings.Contains(s, "@") {
		local, domain, ok := strings.Cut(s, "@")
		if !ok || local == "" || !strings.Contains(domain, ".") || strings.ContainsAny(s, " \t\r\n<>,;\"") || strings.Count(s, "@") != 1 {
			return Contact{}, invalid(notAContact)
		}
		return Contact{canonical: asb.ContactKey(&contact.Details{Email: s})}, nil
	}
	if strings.Trim(s, "0123456789 +()-") != "" {
		return Contact{}, invalid(notAContact)
	}
	key := asb.ContactKey(&contact.Details{Phone: s})
	national := strings.TrimPrefix(key, "phone:+44")
	if len(national) != 10 || national[0] != '7' {
		return Contact{}, invalid(notAContact)
	}
	return Contact{canonical: key}, nil
}

// Canonical is the normalised contact ("email:..." or "phone:+44..."), as the session keeps it.
func (c Contact) Canonical() string { return c.canonical }

// FromCanonical reads a contact kept by Canonical; false for anything else.
func FromCanonical(s string) (Contact, bool) {
	if strings.HasPrefix(s, "email:") && len(s) > len("email:") || strings.HasPrefix(s, "phone:+44") && len(s) == len("phone:+44")+10 {
		return Contact{canonical: s}, true
	}
	return Contact{}, false
}

// IsZero says whether the contact is empty.
func (c Contact) IsZero() bool { return c.canonical == "" }

// Email is the address when the contact is one, else "".
func (c Contact) Email() string {
	if e, ok := strings.CutPrefix(c.canonical, "email:"); ok {
		return e
	}
	return ""
}

// Phone is the mobile number (+44...) when the contact is one, else "".
func (c Contact) Phone() string {
	if p, ok := strings.CutPrefix(c.canonical, "phone:"); ok {
		return p
	}
	return ""
}

// Key is the contact's key in the byContact index: the hash of its canonical form (never the contact itself).
// It is ASB-7's reporter key (asbcases hashes asb.ContactKey the same way), and the complainant's find key.
func (c Contact) Key() string { return ids.Hash(c.canonical) }

// KeysOf are the keys of a person's contact details: one for their email address and one for their phone
// ("" for what they did not give), so a complaint is found by either.
func KeysOf(d contact.Details) (email, phone string) {
	if k := asb.ContactKey(&contact.Details{Email: d.Email}); k != "" {
		email = ids.Hash(k)
	}
	if k := asb.ContactKey(&contact.Details{Phone: d.Phone}); k != "" {
		phone = ids.Hash(k)
	}
	return email, phone
}

// Holds says whether contact details include the contact: their email address or their phone, normalised.
func (c Contact) Holds(d contact.Details) bool {
	if c.canonical == "" {
		return false
	}
	email, phone := KeysOf(d)
	k := c.Key()
	return k == email || k == phone
}

const notAContact = "must be an email address or a UK mobile number"

func invalid(message string) error {
	var f apperr.Fields
	f.Add("contact", "%s", message)
	return f.Err()
}

const withheld = "[contact details withheld]"

func (Contact) String() string   { return withheld }
func (Contact) GoString() string { return withheld }
