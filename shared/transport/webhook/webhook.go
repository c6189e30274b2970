// Package webhook verifies (and, for tests and examples, makes) signatures of the Standard Webhooks
// specification (https://www.standardwebhooks.com): headers webhook-id, webhook-timestamp and
// webhook-signature; HMAC-SHA256 over "<id>.<timestamp>.<body>" with the base64 key of a "whsec_" secret;
// signatures "v1,<base64>" separated by spaces (several during secret rotation); 5 minutes' tolerance.
// Written here rather than imported: the spec's Go library is not published as a versioned module, and the
// whole algorithm is a dozen lines.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Tolerance is how far the webhook-timestamp may be from now, either way (replay protection).
const Tolerance = 5 * time.Minute

// Errors say why a webhook was refused (all answer 401; the reason is logged, not shown).
var (
	ErrMissingHeaders = errors.New("missing webhook-id, webhook-timestamp or webhook-signature")
	ErrBadTimestamp   = errors.New("webhook-timestamp is not a Unix time in seconds")
	ErrStale          = errors.New("webhook-timestamp is more than 5 minutes from now")
	ErrBadSignature   = errors.New("no signature matches")
	ErrBadSecret      = errors.New("signing secret is not whsec_<base64>")
)

// Headers are the three signature headers.
type Headers struct {
	ID        string
	Timestamp string
	Signature string
}

func key(secret string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(k) == 0 {
		return nil, ErrBadSecret
	}
	return k, nil
}

// Sign returns the webhook-signature value for a message.
func Sign(secret, id string, at time.Time, body []byte) (string, error) {
	k, err := key(secret)
	if err != nil {
		return "", err
	}
	return "v1," + sign(k, id, strconv.FormatInt(at.Unix(), 10), body), nil
}

func sign(k []byte, id, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, k)
	fmt.Fprintf(mac, "%s.%s.", id, timestamp)
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// maxSignatureHeader allows several space-separated signatures (secret rotation) and nothing absurd.
const maxSignatureHeader = 1024

// Verify checks a webhook against the secret at time now. It returns nil only for a fresh, correctly signed
// message; comparison is constant-time.
func Verify(secret string, h Headers, body []byte, now time.Time) error {
	if h.ID == "" || h.Timestamp == "" || h.Signature == "" {
		return ErrMissingHeaders
	}
	if len(h.Signature) > maxSignatureHeader || len(h.Timestamp) > 20 {
		return ErrBadSignature // a handful of signatures at most; no work on anything longer
	}
	secs, err := strconv.ParseInt(h.Timestamp, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	if skew := now.Sub(time.Unix(secs, 0)); skew > Tolerance || skew < -Tolerance {
		return ErrStale
	}
	k, err := key(secret)
	if err != nil {
		return err
	}
	want := []byte(sign(k, h.ID, h.Timestamp, body))
	for _, candidate := range strings.Fields(h.Signature) {
		version, sig, ok := strings.Cut(candidate, ",")
		if ok && version == "v1" && hmac.Equal([]byte(sig), want) {
			return nil
		}
	}
	return ErrBadSignature
}
