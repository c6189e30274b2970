package webhook

import (
	"errors"
	"testing"
	"time"
)

// The example published with the Standard Webhooks specification (and its reference libraries' tests).
const (
	specSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specTimestamp = "1614265330"
	specBody      = `{"test": 2432232314}`
	specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

var specTime = time.Unix(1614265330, 0)

func TestSpecExample(t *testing.T) {
	got, err := Sign(specSecret, specID, specTime, []byte(specBody))
	if err != nil || got != specSignature {
		t.Fatalf("Sign = %q, %v; want %q", got, err, specSignature)
	}
	h := Headers{ID: specID, Timestamp: specTimestamp, Signature: specSignature}
	if err := Verify(specSecret, h, []byte(specBody), specTime.Add(time.Minute)); err != nil {
		t.Fatalf("spec example refused: %v", err)
	}
}

func TestRefusals(t *testing.T) {
	good := Headers{ID: specID, Timestamp: specTimestamp, Signature: specSignature}
	cases := []struct {
		name   string
		secret string
		h      Headers
		body   string
		now    time.Time
		want   error
	}{
		{"tampered body", specSecret, good, `{"test": 2432232315}`, specTime, ErrBadSignature},
		{"other id", specSecret, Headers{"msg_other", specTimestamp, specSignature}, specBody, specTime, ErrBadSignature},
		{"wrong secret", "whsec_" + "c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1zYW1l", good, specBody, specTime, ErrBadSignature},
		{"stale by 5m01s", specSecret, good, specBody, specTime.Add(5*time.Minute + time.Second), ErrStale},
		{"from the future", specSecret, good, specBody, specTime.Add(-5*time.Minute - time.Second), ErrStale},
		{"missing signature", specSecret, Headers{ID: specID, Timestamp: specTimestamp}, specBody, specTime, ErrMissingHeaders},
		{"missing id", specSecret, Headers{Timestamp: specTimestamp, Signature: specSignature}, specBody, specTime, ErrMissingHeaders},
		{"timestamp in ms", specSecret, Headers{specID, "1614265330000", specSignature}, specBody, specTime, ErrStale},
		{"timestamp not a number", specSecret, Headers{specID, "yesterday", specSignature}, specBody, specTime, ErrBadTimestamp},
		{"unknown version", specSecret, Headers{specID, specTimestamp, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="}, specBody, specTime, ErrBadSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := Verify(c.secret, c.h, []byte(c.body), c.now); !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

func TestRotationAcceptsAnyListedSignature(t *testing.T) {
	h := Headers{ID: specID, Timestamp: specTimestamp, Signature: "v1,AAAAbm90IGEgcmVhbCBzaWduYXR1cmUgYXQgYWxsIQ== " + specSignature}
	if err := Verify(specSecret, h, []byte(specBody), specTime); err != nil {
		t.Fatal(err)
	}
}
