package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// macOf is the Standard Webhooks signature computed here independently of sign: base64 of HMAC-SHA256 over
// "<id>.<timestamp>.<body>" with the secret's key.
func macOf(secret, id, timestamp string, body []byte) (string, bool) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(k) == 0 {
		return "", false
	}
	mac := hmac.New(sha256.New, k)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), true
}

// FuzzVerify: Verify never panics; it accepts only a message that carries, among its signatures, "v1," and the
// HMAC of exactly its id, timestamp and body under the secret, with a timestamp within Tolerance; it accepts what
// Sign produced (alone or among other signatures, as during a secret rotation) while fresh, and refuses it for
// another body, id, timestamp or secret.
func FuzzVerify(f *testing.F) {
	f.Add(specSecret, specID, specTimestamp, specSignature, []byte(specBody), int64(0))
	f.Add(specSecret, specID, specTimestamp, "v1,AAAAbm90IGEgcmVhbCBzaWduYXR1cmUgYXQgYWxsIQ== "+specSignature, []byte(specBody), int64(60))
	f.Add(specSecret, specID, "+1614265330", specSignature, []byte(specBody), int64(-300))
	f.Add(specSecret, specID, "01614265330", "v1,"+specSignature, []byte(specBody), int64(301))
	f.Add(specSecret, specID, "1614265330000", "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", []byte(specBody), int64(-301))
	f.Add(specSecret, "msg_"+strings.Repeat("x", 300), "-9223372036854775808", "v1,", []byte{}, int64(1<<62))
	f.Add("whsec_", "", "", "", []byte(nil), int64(0))
	f.Add("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", specID, specTimestamp, "v1, "+specSignature+"\tv1,,", []byte(specBody+"\x00"), int64(-1))
	f.Add("whsec_c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1zYW1l", specID+".1614265330", "", specSignature, []byte(`{"test": 2432232314}`), int64(0))
	f.Add("whsec_!!!", "msg_1", "9999999999999999999999", strings.Repeat("v1,x ", 300), []byte(`{"callId":"OOH-1"}`), int64(-1<<62))

	now := specTime
	f.Fuzz(func(t *testing.T, secret, id, timestamp, signature string, body []byte, skew int64) {
		// Whatever arrives: accepted only with the right HMAC among the signatures, fresh.
		err := Verify(secret, Headers{ID: id, Timestamp: timestamp, Signature: signature}, body, now)
		if err == nil {
			want, ok := macOf(secret, id, timestamp, body)
			secs, perr := strconv.ParseInt(timestamp, 10, 64)
			if !ok || id == "" || perr != nil || secs < now.Add(-Tolerance).Unix() || secs > now.Add(Tolerance).Unix() ||
				!slices.Contains(strings.Fields(signature), "v1,"+want) {
				t.Fatalf("accepted id %q timestamp %q signature %q", id, timestamp, signature)
			}
		}

		// What Sign produces, at now+skew seconds.
		at := now.Add(time.Duration(skew%(int64(2*Tolerance/time.Second))) * time.Second)
		signed, err := Sign(secret, id, at, body)
		if err != nil {
			if _, ok := macOf(secret, id, "", body); ok {
				t.Fatalf("Sign refused a usable secret %q: %v", secret, err)
			}
			return
		}
		ts := strconv.FormatInt(at.Unix(), 10)
		fresh := now.Sub(at) <= Tolerance && at.Sub(now) <= Tolerance
		h := Headers{ID: id, Timestamp: ts, Signature: signed}
		switch err := Verify(secret, h, body, now); {
		case id == "":
			if err != ErrMissingHeaders {
				t.Fatalf("no id: %v", err)
			}
			return
		case fresh && err != nil:
			t.Fatalf("refused its own signature (skew %s): %v", at.Sub(now), err)
		case !fresh && err != ErrStale:
			t.Fatalf("stale by %s: %v", now.Sub(at), err)
		}
		if !fresh {
			return
		}
		if rotated := signature + " " + signed; len(rotated) <= maxSignatureHeader {
			if err := Verify(secret, Headers{ID: id, Timestamp: ts, Signature: rotated}, body, now); err != nil {
				t.Fatalf("refused among other signatures %q: %v", rotated, err)
			}
		}
		refused := func(what string, h Headers, body []byte, secret string) {
			if Verify(secret, h, body, now) == nil {
				t.Fatalf("accepted with another %s", what)
			}
		}
		refused("body", h, append(append([]byte{}, body...), '.'), secret)
		refused("id", Headers{ID: id + ".", Timestamp: ts, Signature: signed}, body, secret)
		refused("timestamp", Headers{ID: id, Timestamp: strconv.FormatInt(at.Unix()+1, 10), Signature: signed}, body, secret)
		refused("secret", h, body, "whsec_"+base64.StdEncoding.EncodeToString([]byte("another secret "+secret)))
	})
}
