package contact

import (
	"strings"

	"github.com/councilhousing/backend/shared/rules/validate"
)

// MaxPostalLines is the most lines an address on a letter may have (GOV.UK Notify's address_line_1 to
// address_line_7): the name, up to five lines of the address, and the postcode.
const MaxPostalLines = 7

// Why a letter cannot be addressed (shown on the case timeline, so an officer knows what to ask the resident for).
const (
	NoName     = "no name to address the letter to"
	NoAddress  = "no postal address"
	NoPostcode = "no UK postcode in the postal address"
)

// PostalAddress is how a letter to the person is addressed: their name, the lines of their address (split at
// line breaks and commas) and their postcode last, in upper case, at most MaxPostalLines lines in all (address
// lines beyond five are joined onto the fifth). A postcode typed as the address's last line counts when the
// postcode field is empty. problem says why there is no usable address (NoName, NoAddress, NoPostcode), and lines
// is then nil.
func (d Details) PostalAddress() (lines []string, problem string) {
	var parts []string
	for _, line := range strings.FieldsFunc(d.Address, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' }) {
		if l := postalLine(line); l != "" {
			parts = append(parts, l)
		}
	}
	postcode := strings.TrimSpace(d.Postcode)
	if postcode == "" && len(parts) > 0 && validate.IsPostcode(parts[len(parts)-1]) {
		postcode, parts = parts[len(parts)-1], parts[:len(parts)-1]
	}
	switch {
	case len(parts) == 0:
		return nil, NoAddress
	case !validate.IsPostcode(postcode):
		return nil, NoPostcode
	}
	postcode = normalPostcode(postcode)
	if last := parts[len(parts)-1]; strings.EqualFold(strings.ReplaceAll(last, " ", ""), strings.ReplaceAll(postcode, " ", "")) {
		parts = parts[:len(parts)-1] // the postcode typed in the address too
		if len(parts) == 0 {
			return nil, NoAddress
		}
	}
	name := postalLine(d.Name)
	if name == "" {
		return nil, NoName
	}
	if room := MaxPostalLines - 2; len(parts) > room {
		parts = append(parts[:room-1], strings.Join(parts[room-1:], ", "))
	}
	lines = append([]string{name}, parts...)
	return append(lines, postcode), ""
}

// postalLine is one line of an address as it can be printed: single spaces, no control characters, and none of
// the characters GOV.UK Notify refuses at the start of an address line.
func postalLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimLeft(s, `@()=[]"\/,<>~ `)
}

// normalPostcode is a postcode in upper case with one space before its inward code (the last three characters).
func normalPostcode(p string) string {
	p = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(p), " ", ""))
	if len(p) > 3 {
		p = p[:len(p)-3] + " " + p[len(p)-3:]
	}
	return p
}
