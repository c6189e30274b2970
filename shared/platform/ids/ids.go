// Package ids makes case references and resident access tokens.
package ids

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// referenceAlphabet is Crockford's base32 without I, L, O and U: easy to read out on the phone.
const referenceAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewReference returns a reference such as "ASB-7K3M-9QXD" (40 random bits; writes are conditional, so a
// collision is refused rather than overwriting).
func NewReference(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	var sb strings.Builder
	sb.WriteString(prefix)
	sb.WriteByte('-')
	for i, x := range b {
		if i == 4 {
			sb.WriteByte('-')
		}
		sb.WriteByte(referenceAlphabet[int(x)%len(referenceAlphabet)])
	}
	return sb.String()
}

// NewAccessToken returns a 256-bit random bearer token for a resident to read their own record.
func NewAccessToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// HashToken is what is stored instead of the token (SHA-256, hex).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenMatches compares a presented token with a stored hash in constant time.
func TokenMatches(token, storedHash string) bool {
	if token == "" || storedHash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(storedHash)) == 1
}

// Hash is a SHA-256 hex digest, used for payload fingerprints and contact keys (never stored in clear).
func Hash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
