package notifyapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/deliveryreceipts"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/notifyapi"
)

const token = "a-token-we-chose-for-notify"

// memRecords: one notification of ours was sent (CMP-1#received); receipts written once.
type memRecords struct{ written map[string]casefile.Event }

func (m *memRecords) Sent(_ context.Context, ref string) (notification.Request, bool, error) {
	if ref != "CMP-1#received" {
		return notification.Request{}, false, nil
	}
	return notification.Request{ID: ref, Template: notification.ComplaintReceived, CaseKind: casefile.Complaint, CaseRef: "CMP-1",
		To: notification.Recipient{Role: notification.Resident}}, true, nil
}

func (m *memRecords) Record(_ context.Context, sent notification.Request, notifyID, status string, ev casefile.Event) (bool, error) {
	key := sent.ID + "#" + notifyID + "#" + status
	if _, ok := m.written[key]; ok {
		return false, nil
	}
	m.written[key] = ev
	return true, nil
}

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func setup() (*memRecords, testsupport.Handler) {
	m := &memRecords{written: map[string]casefile.Event{}}
	h := notifyapi.Receipts{Token: token, Service: deliveryreceipts.Service{Records: m}}
	return m, h.Routes().Handler(catalog.MustFunction(catalog.NotifyReceiptsFunction))
}

// receipt is a delivery receipt as GOV.UK Notify sends it.
func receipt(changes map[string]any) map[string]any {
	r := map[string]any{"id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "CMP-1#received", "to": "sam@example.org",
		"status": "permanent-failure", "created_at": "2026-11-24T09:58:00.000000Z", "completed_at": "2026-11-24T09:59:30.000000Z",
		"sent_at": "2026-11-24T09:58:02.000000Z", "notification_type": "email", "template_id": "f33517ff-2a88-4f6e-b855-c550268ce08a",
		"template_version": 1, "provider_response": nil}
	for k, v := range changes {
		if v == nil {
			delete(r, k)
		} else {
			r[k] = v
		}
	}
	return r
}

func post(h testsupport.Handler, t *testing.T, body string, headers map[string]string) testsupport.Response {
	return testsupport.Call(t, h, testsupport.Request{Route: notifyapi.Route, Body: body, At: now, Header: headers})
}

var bearer = map[string]string{"Authorization": "Bearer " + token}

// A receipt with the right token is recorded on the case timeline (202), once however often Notify sends it, and
// the recipient's address Notify repeats is kept nowhere.
func TestAReceiptIsRecordedOnce(t *testing.T) {
	m, h := setup()
	r := post(h, t, testsupport.JSON(receipt(nil)), bearer)
	if r.Status != 202 || r.Body["status"] != "recorded" || r.Body["action"] != deliveryreceipts.ActionPermanentFailure {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r = post(h, t, testsupport.JSON(receipt(nil)), bearer); r.Status != 202 || r.Body["status"] != "duplicate" || len(m.written) != 1 {
		t.Fatalf("again: %d %s (%d written)", r.Status, r.Raw, len(m.written))
	}
	for _, ev := range m.written {
		if strings.Contains(testsupport.JSON(ev), "sam@example.org") {
			t.Errorf("the address is on the timeline: %+v", ev)
		}
	}
	// nulls where Notify sends them, and a provider's response for a text
	r = post(h, t, testsupport.JSON(receipt(map[string]any{"status": "delivered", "completed_at": "2026-11-24T09:59:31Z",
		"provider_response": "Delivered", "notification_type": "sms", "to": "07700900123"})), bearer)
	if r.Status != 202 || r.Body["status"] != "recorded" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	raw := `{"id":"740e5834-3a29-46b4-9a6f-16142fde533b","reference":null,"to":"a@b.c","status":"delivered","created_at":"2026-11-24T09:58:00.000000Z",` +
		`"completed_at":null,"sent_at":null,"notification_type":"email","template_id":"f33517ff-2a88-4f6e-b855-c550268ce08a","template_version":1}`
	if r = post(h, t, raw, bearer); r.Status != 202 || r.Body["status"] != "unknown" {
		t.Fatalf("null reference: %d %s", r.Status, r.Raw)
	}
}

// Notify adds fields to its callbacks from time to time (provider_response was one): a receipt with a field we do
// not know is still recorded, where refusing it would lose every receipt until we deployed a change. A field we do
// know is still checked.
func TestAReceiptWithAFieldNotifyAddedIsRecorded(t *testing.T) {
	m, h := setup()
	r := post(h, t, testsupport.JSON(receipt(map[string]any{"cost_in_pounds": 0.03, "is_cost_data_ready": true})), bearer)
	if r.Status != 202 || r.Body["status"] != "recorded" || len(m.written) != 1 {
		t.Fatalf("%d %s (%d written)", r.Status, r.Raw, len(m.written))
	}
	r = post(h, t, testsupport.JSON(receipt(map[string]any{"cost_in_pounds": 0.03, "status": "opened"})), bearer)
	if _, fields := r.Problem(); r.Status != 400 || !slices.Equal(fields, []string{"status"}) {
		t.Fatalf("known field wrong beside an unknown one: %d %s", r.Status, r.Raw)
	}
}

// A reference of no notification of ours is acknowledged (202, so Notify does not retry), nothing stored, and the
// log line carries no reference or address.
func TestUnknownReferencesAre202AndStoreNothing(t *testing.T) {
	m, h := setup()
	var logs bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(previous)
	for _, ref := range []string{"CMP-9#received", "Sam's council tax letter", strings.Repeat("r", 1000)} {
		r := post(h, t, testsupport.JSON(receipt(map[string]any{"reference": ref})), bearer)
		if r.Status != 202 || r.Body["status"] != "unknown" || len(m.written) != 0 {
			t.Errorf("%q: %d %s", ref[:min(len(ref), 20)], r.Status, r.Raw)
		}
	}
	if strings.Contains(logs.String(), "CMP-9") || strings.Contains(logs.String(), "Sam") || strings.Contains(logs.String(), "sam@example.org") {
		t.Errorf("logged: %s", logs.String())
	}
}

// A missing or wrong token is 401 before the body is read; nothing is recorded.
func TestAWrongOrMissingTokenIs401(t *testing.T) {
	m, h := setup()
	for name, headers := range map[string]map[string]string{
		"none": nil, "wrong": {"Authorization": "Bearer " + token + "x"}, "prefix": {"Authorization": "Bearer " + token[:10]},
		"empty": {"Authorization": "Bearer "}, "basic": {"Authorization": "Basic " + token}, "no scheme": {"Authorization": token},
		"case": {"Authorization": "Bearer " + strings.ToUpper(token)},
	} {
		for _, body := range []string{testsupport.JSON(receipt(nil)), "not json"} {
			if r := post(h, t, body, headers); r.Status != 401 || !strings.HasPrefix(r.Headers["Content-Type"], "application/problem+json") {
				t.Errorf("%s: %d %s", name, r.Status, r.Raw)
			}
		}
	}
	if len(m.written) != 0 {
		t.Errorf("recorded %d", len(m.written))
	}
	// no token configured: nothing is accepted
	empty := notifyapi.Receipts{Service: deliveryreceipts.Service{Records: m}}.Routes().Handler(catalog.MustFunction(catalog.NotifyReceiptsFunction))
	if r := post(empty, t, testsupport.JSON(receipt(nil)), map[string]string{"Authorization": "Bearer "}); r.Status != 401 {
		t.Errorf("no token configured: %d", r.Status)
	}
}

// A malformed receipt is 400 listing every field at fault; a body over 64 KB is 413.
func TestMalformedReceiptsAre400ListingTheFields(t *testing.T) {
	m, h := setup()
	r := post(h, t, testsupport.JSON(receipt(map[string]any{"id": "not-a-uuid", "status": "opened", "created_at": "yesterday",
		"completed_at": "1970-01-01T00:00:00Z", "sent_at": "2026-12-31T00:00:00Z", "notification_type": "fax", "to": " ",
		"template_version": -1})), bearer)
	_, fields := r.Problem()
	slices.Sort(fields)
	want := []string{"completed_at", "created_at", "id", "notification_type", "sent_at", "status", "template_version", "to"}
	if r.Status != 400 || !slices.Equal(fields, want) {
		t.Fatalf("%d %v, want 400 %v: %s", r.Status, fields, want, r.Raw)
	}
	r = post(h, t, testsupport.JSON(receipt(map[string]any{"id": nil, "status": nil, "created_at": nil, "notification_type": nil, "to": nil})), bearer)
	_, fields = r.Problem()
	slices.Sort(fields)
	if want := []string{"created_at", "id", "notification_type", "status", "to"}; r.Status != 400 || !slices.Equal(fields, want) {
		t.Fatalf("missing: %d %v: %s", r.Status, fields, r.Raw)
	}
	r = post(h, t, testsupport.JSON(receipt(map[string]any{"to": strings.Repeat("x", 70<<10)})), bearer)
	if r.Status != 413 {
		t.Fatalf("70 KB: %d", r.Status)
	}
	if r = post(h, t, testsupport.JSON(receipt(map[string]any{"reference": strings.Repeat("r", 1001)})), bearer); r.Status != 400 {
		t.Fatalf("reference over 1000: %d", r.Status)
	}
	if len(m.written) != 0 {
		t.Errorf("recorded %d", len(m.written))
	}
}
