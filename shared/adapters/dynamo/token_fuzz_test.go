package dynamo

import (
	"encoding/base64"
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

var (
	fuzzKey   = []byte("a token key of 32 bytes, for fuzz")
	otherKey  = []byte("another function's token key....")
	fuzzScope = "cases\x00byStatus\x00gsi1pk = :pk\x00\x00:pk=ASB#received\x00"
)

// A real token for fuzzScope under fuzzKey, and the same key's attributes with a forged signature.
func seedTokens() []string {
	real, err := EncodeToken(fuzzKey, fuzzScope, map[string]types.AttributeValue{
		"pk": S("ASB#ASB-2026-000123"), "sk": S("CASE"), "gsi1pk": S("ASB#received"), "gsi1sk": S("2026-11-23T10:00:00Z#ASB-2026-000123")})
	if err != nil {
		panic(err)
	}
	payload, _, _ := strings.Cut(real, ".")
	return []string{real, payload + ".", payload, "." + real, real + ".", real[:len(real)-1], payload + "." + strings.Repeat("A", 43),
		base64.RawURLEncoding.EncodeToString([]byte(`{"pk":"ASB#x"}`)) + "." + strings.Repeat("_", 43), "0", "",
		strings.Repeat("a", maxTokenBytes+1), "eyJwayI6bnVsbH0.x", "e30.e30", "W10.W10", "bnVsbA.bnVsbA"}
}

// FuzzPageToken: a page token (the nextToken query parameter) never panics and never decodes unless this key
// signed it for this list: arbitrary or tampered tokens, tokens of another list (scope) and of another function
// (key) are a 400 naming nextToken; a token EncodeToken gave out decodes back to its key, for its list only.
func FuzzPageToken(f *testing.F) {
	for i, tok := range seedTokens() {
		f.Add(tok, fuzzScope, "pk", "ASB#ASB-2026-000123", "gsi1sk", "2026-11-23T10:00:00Z#ASB-2026-000123", i%2 == 0)
	}
	f.Add("", "", "", "", "", "", false)
	f.Add("x.y", "scope", "pk\x00", "\ufffd", "pk", "other", true)
	f.Add("x.y", "a\x00b", "a", strings.Repeat("é", 600), "b", "\"}", false)

	f.Fuzz(func(t *testing.T, token, scope, k1, v1, k2, v2 string, sameScope bool) {
		refused := func(what string, start map[string]types.AttributeValue, err error) {
			t.Helper()
			e, ok := apperr.As(err)
			if start != nil || !ok || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "nextToken" {
				t.Fatalf("%s: decoded %v, %v", what, start, err)
			}
		}
		if !sameScope {
			scope = fuzzScope + scope
		}

		// An arbitrary token: only the real seed token, for its own scope, decodes (nobody else has fuzzKey).
		start, err := DecodeToken(fuzzKey, scope, token)
		switch {
		case token == "":
			if start != nil || err != nil {
				t.Fatalf("no token: %v, %v", start, err)
			}
		case err == nil:
			again, eerr := EncodeToken(fuzzKey, scope, start)
			if eerr != nil || again != token || scope != fuzzScope {
				t.Fatalf("token %q decoded for scope %q to %v, which is not a token this key gave out (%q)", token, scope, start, again)
			}
		default:
			refused("arbitrary token", start, err)
		}
		if token != "" {
			start, err = DecodeToken(otherKey, scope, token)
			refused("another key", start, err)
		}

		// A token this key gives out for a last evaluated key (every key attribute a string).
		last := map[string]types.AttributeValue{k1: S(v1), k2: S(v2)}
		tok, err := EncodeToken(fuzzKey, scope, last)
		if err != nil {
			t.Fatalf("EncodeToken: %v", err)
		}
		if strings.ContainsAny(tok, "&=?#+/ %") {
			t.Fatalf("token %q is not URL-safe", tok)
		}
		start, err = DecodeToken(fuzzKey, scope, tok)
		switch {
		case len(tok) > maxTokenBytes:
			refused("too long", start, err)
			return
		case err != nil:
			t.Fatalf("own token %q refused: %v", tok, err)
		case validUTF8(k1, v1, k2, v2) && !maps.EqualFunc(start, last, func(a, b types.AttributeValue) bool {
			return a.(*types.AttributeValueMemberS).Value == b.(*types.AttributeValueMemberS).Value
		}):
			t.Fatalf("round trip: %v became %v", last, start)
		}
		start, err = DecodeToken(fuzzKey, scope+"\x00", tok)
		refused("another list", start, err)
		start, err = DecodeToken(otherKey, scope, tok)
		refused("another key", start, err)
		payload, mac, _ := strings.Cut(tok, ".")
		start, err = DecodeToken(fuzzKey, scope, payload+"A."+mac)
		refused("tampered", start, err)
	})
}

func validUTF8(values ...string) bool {
	for _, v := range values {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}
