package registercases

import (
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Find keys are the hash of the normalised value: an email address trimmed and lower-cased, a postcode
// upper-cased without spaces. The value itself is never in the key, and email and postcode keys never collide.
func TestFindKeysAreNormalisedHashes(t *testing.T) {
	for _, same := range [][]string{{"jo@example.org", " Jo@Example.ORG\t"}, {"NN1 1DE", "nn11de"}, {"NN1 1DE", " n n 1 1 d e "}} {
		key := EmailKey
		if !strings.Contains(same[0], "@") {
			key = PostcodeKey
		}
		if a, b := key(same[0]), key(same[1]); a != b || len(a) != 64 || strings.Contains(strings.ToLower(a), "nn1") {
			t.Errorf("%q and %q: %q, %q", same[0], same[1], a, b)
		}
	}
	if EmailKey("jo@example.org") == EmailKey("jo@example.com") || PostcodeKey("NN1 1DE") == PostcodeKey("NN1 1DF") {
		t.Error("different values share a key")
	}
	if EmailKey("NN11DE") == PostcodeKey("NN11DE") {
		t.Error("an email key and a postcode key collide")
	}
	if EmailKey("  ") != "" || PostcodeKey("") != "" {
		t.Error("no value, no key")
	}
}

// A list entry's summary carries the decision without its reasons, the claims still outstanding and the officer.
func TestSummaryOf(t *testing.T) {
	a := register.Application{Age: 36, EligibleImmigrationStatus: true, Circumstances: []string{"mappa"}, SeekingWork: true}
	r, _ := register.NewRecord("HR-1", a, workdays.MustParseDate("2026-11-23").StartOfDay())
	r.Council.Officer = &casefile.Actor{ID: "alloc-2", Name: "Sam"}
	s := SummaryOf(r)
	if s.Reference != "HR-1" || s.Status != register.StatusAwaitingVerification || s.Band != nil || s.ProvisionalBand == nil || *s.ProvisionalBand != register.BandA ||
		strings.Join(s.Outstanding, ",") != "mappa,seeking-work" || s.Officer.ID != "alloc-2" || s.Offerable {
		t.Fatalf("%+v", s)
	}
}
