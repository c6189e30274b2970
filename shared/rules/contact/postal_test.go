package contact

import (
	"slices"
	"testing"
)

// A letter is addressed to the name, the lines of the address and the postcode last: the seven lines of GOV.UK
// Notify's letter API at most, with the reason when there is no usable address.
func TestPostalAddress(t *testing.T) {
	cases := []struct {
		name    string
		d       Details
		want    []string
		problem string
	}{
		{"address lines split at commas, postcode last in upper case",
			Details{Name: "Alex Resident", Address: "Flat 2, 10 Example Road, Northtown", Postcode: "nn11de"},
			[]string{"Alex Resident", "Flat 2", "10 Example Road", "Northtown", "NN1 1DE"}, ""},
		{"line breaks, blank lines and spaces",
			Details{Name: "  Sam   Example ", Address: "12 Example Court\r\n\n  Northtown  \n", Postcode: " NN1 2AB "},
			[]string{"Sam Example", "12 Example Court", "Northtown", "NN1 2AB"}, ""},
		{"the postcode typed as the address's last line",
			Details{Name: "Jo", Address: "1 Example Road, Northtown, NN1 1DE"},
			[]string{"Jo", "1 Example Road", "Northtown", "NN1 1DE"}, ""},
		{"the postcode in both",
			Details{Name: "Jo", Address: "1 Example Road\nNN1 1DE", Postcode: "NN1 1DE"},
			[]string{"Jo", "1 Example Road", "NN1 1DE"}, ""},
		{"more than five address lines: the rest joined onto the fifth",
			Details{Name: "Kim", Address: "A, B, C, D, E, F, G", Postcode: "M1 1AE"},
			[]string{"Kim", "A", "B", "C", "D", "E, F, G", "M1 1AE"}, ""},
		{"characters Notify refuses at the start of a line, and control characters",
			Details{Name: "=Kim", Address: "(Flat 2)\x00, @10 Example Road", Postcode: "M1 1AE"},
			[]string{"Kim", "Flat 2)", "10 Example Road", "M1 1AE"}, ""},
		{"no address", Details{Name: "Kim", Postcode: "M1 1AE"}, nil, NoAddress},
		{"only the postcode", Details{Name: "Kim", Address: "M1 1AE"}, nil, NoAddress},
		{"only commas", Details{Name: "Kim", Address: " , ,", Postcode: "M1 1AE"}, nil, NoAddress},
		{"no postcode", Details{Name: "Kim", Address: "1 Example Road, Northtown"}, nil, NoPostcode},
		{"not a postcode", Details{Name: "Kim", Address: "1 Example Road", Postcode: "12345"}, nil, NoPostcode},
		{"no name", Details{Name: " ", Address: "1 Example Road", Postcode: "M1 1AE"}, nil, NoName},
	}
	for _, c := range cases {
		lines, problem := c.d.PostalAddress()
		if !slices.Equal(lines, c.want) || problem != c.problem {
			t.Errorf("%s: %q %q, want %q %q", c.name, lines, problem, c.want, c.problem)
		}
		if len(lines) > MaxPostalLines || (lines != nil && len(lines) < 3) {
			t.Errorf("%s: %d lines", c.name, len(lines))
		}
	}
}
