package logging

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestPersonalDataIsRedacted(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(Redacting(slog.NewJSONHandler(&buf, nil)))
	log.With("email", "jo@example.org").Info("report received",
		"reference", "ASB-7K3M9QXD", "Name", "Jo Bloggs",
		slog.Group("reporter", "phone", "07700900123"), slog.Group("case", "postcode", "NN1 1DE", "type", "noise"))
	out := buf.String()
	for _, secret := range []string{"jo@example.org", "Jo Bloggs", "07700900123", "NN1 1DE"} {
		if strings.Contains(out, secret) {
			t.Errorf("log leaks %q: %s", secret, out)
		}
	}
	for _, kept := range []string{"ASB-7K3M9QXD", `"type":"noise"`} {
		if !strings.Contains(out, kept) {
			t.Errorf("log lost %q: %s", kept, out)
		}
	}
}
