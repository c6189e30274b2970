package ids

import (
	"regexp"
	"testing"
)

func TestReferenceShape(t *testing.T) {
	re := regexp.MustCompile(`^ASB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
	seen := map[string]bool{}
	for range 1000 {
		r := NewReference("ASB")
		if !re.MatchString(r) {
			t.Fatalf("bad reference %q", r)
		}
		if seen[r] {
			t.Fatalf("repeated reference %q", r)
		}
		seen[r] = true
	}
}

func TestTokenMatchesOnlyItsHash(t *testing.T) {
	tok := NewAccessToken()
	h := HashToken(tok)
	if !TokenMatches(tok, h) {
		t.Fatal("token should match its hash")
	}
	if TokenMatches(NewAccessToken(), h) || TokenMatches("", h) || TokenMatches(tok, "") {
		t.Fatal("wrong or empty token matched")
	}
}
