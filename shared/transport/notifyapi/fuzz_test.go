package notifyapi_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/testsupport/routefuzz"
	"github.com/councilhousing/backend/shared/transport/notifyapi"
)

// Receipts as GOV.UK Notify sends them (as of 24 November 2026, 10:00), and variants near the edges of valid.
var receiptSeeds = []string{
	testsupport.JSON(receipt(nil)),
	`{"id":"740e5834-3a29-46b4-9a6f-16142fde533a","reference":null,"to":"07700900123","status":"delivered","created_at":"2026-11-24T09:58:00.000000Z",` +
		`"completed_at":null,"sent_at":null,"notification_type":"sms","template_id":"f33517ff-2a88-4f6e-b855-c550268ce08a","template_version":3,"provider_response":null}`,
	`{"id":"740e5834-3a29-46b4-9a6f-16142fde533a","reference":"CMP-1#received","to":"Sam, 1 Road, NN1 1DE","status":"technical-failure",` +
		`"created_at":"2026-10-26T10:00:00Z","notification_type":"letter"}`,
	`{"id":"740E5834-3A29-46B4-9A6F-16142FDE533A","reference":"","to":" ","status":"opened","created_at":"2026-11-24T11:00:01Z","notification_type":"fax"}`,
	`{"id":"x","to":"a","status":"delivered","created_at":"2026-11-24T09:58:00+01:00","completed_at":"1970-01-01T00:00:00Z","notification_type":"email","template_version":-1}`,
	`{"id":"740e5834-3a29-46b4-9a6f-16142fde533a","reference":"` + strings.Repeat("r", 1001) + `","to":"` + strings.Repeat("t", 1001) +
		`","status":"delivered","created_at":"2026-11-24T09:58:00Z","notification_type":"email","provider_response":"` + strings.Repeat("p", 501) + `"}`,
}

// FuzzDeliveryReceiptBody: any body sent to Notify's callback with the right token, read as the handler reads it
// and validated, is either a valid receipt or an error a caller may be shown (bounded, not 5xx). The whole
// handler never answers 5xx or an unbounded answer; it answers 202 exactly for the valid receipts, records only
// the one naming our notification (CMP-1#received), and never stores the recipient's address.
func FuzzDeliveryReceiptBody(f *testing.F) {
	testsupport.QuietLogs(f)
	for _, s := range append(receiptSeeds, testsupport.HostileBodies()...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		// Read as the handler reads it: Notify may add fields to its callbacks, so unknown ones are ignored.
		parsed, valid := routefuzz.DecodeExtensible(t, body, func(b notifyapi.DeliveryReceipt) error { _, err := b.Receipt(now); return err })
		m, h := setup()
		resp, err := h(context.Background(), testsupport.Request{Route: notifyapi.Route, Body: body, At: now, Header: bearer}.Event())
		if err != nil {
			t.Fatal(err)
		}
		answer := testsupport.CheckAnswer(t, resp)
		if valid != (resp.StatusCode == http.StatusAccepted) {
			t.Fatalf("valid=%v but answered %d: %.500s", valid, resp.StatusCode, resp.Body)
		}
		ours := valid && parsed.Reference != nil && *parsed.Reference == "CMP-1#received"
		if (len(m.written) == 1) != ours || len(m.written) > 1 || ours && answer["status"] != "recorded" {
			t.Fatalf("%d written, answer %v", len(m.written), answer)
		}
		others := []string{parsed.ID, parsed.Status, parsed.NotificationType, parsed.CreatedAt}
		for _, p := range []*string{parsed.Reference, parsed.ProviderResponse, parsed.CompletedAt, parsed.SentAt} {
			if p != nil {
				others = append(others, *p)
			}
		}
		for _, ev := range m.written {
			for k, v := range ev.Details {
				if v == parsed.To && !slices.Contains(others, parsed.To) {
					t.Fatalf("the address %q is stored as %s", parsed.To, k)
				}
			}
		}
	})
}
