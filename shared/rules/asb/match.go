package asb

import (
	"strings"
	"unicode"
)

// One case per problem (ASB-9: "a further report on an open case is not a new case"). A new report (online,
// logged by an officer or from the out-of-hours line) that matches an open case is added to it as a further
// incident instead of opening a case of its own, so the monthly measures and NM01 count the problem once. A
// report matches a case on either key:
//   - the same location and type: the same postcode and address (normalised) and the same ASB-3 type;
//   - the same reporter and subject: the same verified contact (ContactKey, as ASB-7 matches reporters) and the
//     same person reported (normalised name). Anonymous reports and reports with no subject have no such key.
//
// The keys are normalised text; the store keeps only their hashes, as lookup entries that exist only while the
// case is open (never a scan, never a closed case).

// Match key names.
const (
	MatchLocation        = "location"
	MatchReporterSubject = "reporter-subject"
)

// MatchKey is one normalised key a case (or a new report) is found by.
type MatchKey struct {
	Name string // MatchLocation | MatchReporterSubject
	Key  string // normalised text: the store hashes it
}

// MatchKeys are the keys of a case, from its type, location, reporter key (the hash of ContactKey) and subject;
// none once it is closed or merged (only open cases are matched).
func MatchKeys(c Case) []MatchKey {
	if c.closed() {
		return nil
	}
	var keys []MatchKey
	if pc, addr := normalisePostcode(c.Location.Postcode), normaliseText(c.Location.Address); pc != "" && addr != "" && c.Type != "" {
		keys = append(keys, MatchKey{MatchLocation, "location|" + c.Type + "|" + pc + "|" + addr})
	}
	if subject := normaliseText(c.Subject); c.ReporterKey != "" && subject != "" {
		keys = append(keys, MatchKey{MatchReporterSubject, "reporter-subject|" + c.ReporterKey + "|" + subject})
	}
	return keys
}

// normaliseText folds case, drops punctuation and collapses spaces: "Flat 2, 10 Example Road" and
// "flat 2 10 example road." are the same address; "Jo  Bloggs" and "jo bloggs" the same person.
func normaliseText(s string) string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return strings.Join(fields, " ")
}

// normalisePostcode is the postcode in upper case without spaces ("nn1 1de" -> "NN11DE").
func normalisePostcode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}
