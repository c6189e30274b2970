package complaints

import "strings"

// Landlord is how residents reach the landlord: the deployment's settings landlord.name, .address, .phone and
// .email (shared/catalog), which the complaints service reads at cold start and puts on every input that writes
// a letter (From). Letters name only these, so they never point a resident to something that does not exist
// (issue 14: no web page until the resident pages exist).
type Landlord struct {
	Name    string
	Address string
	Phone   string
	Email   string
}

// contactLines are the ways to reach the landlord, one a line; none when the settings are empty.
func (l Landlord) contactLines() []string {
	var out []string
	add := func(prefix, v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, prefix+v)
		}
	}
	add("", l.Name)
	add("Write to: ", l.Address)
	add("Telephone: ", l.Phone)
	add("Email: ", l.Email)
	return out
}

// howToReachUs is the sentence that introduces the landlord's details in a letter.
func (l Landlord) howToReachUs(what string) string {
	if len(l.contactLines()) == 0 {
		return what + ", contact us quoting your complaint reference."
	}
	return what + ", contact us quoting your complaint reference:"
}
