package deliveryreceipts

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// memRecords are the notifier's records in memory: notifications sent, by id, and receipts written once.
type memRecords struct {
	sent    map[string]notification.Request
	written map[string]casefile.Event // by notification id#notify id#status
	gone    bool
	failing error
}

func (m *memRecords) Sent(_ context.Context, ref string) (notification.Request, bool, error) {
	if m.failing != nil {
		return notification.Request{}, false, m.failing
	}
	r, ok := m.sent[ref]
	return r, ok, nil
}

func (m *memRecords) Record(_ context.Context, sent notification.Request, notifyID, status string, ev casefile.Event) (bool, error) {
	if m.gone {
		return false, ErrNoRecord
	}
	key := sent.ID + "#" + notifyID + "#" + status
	if _, ok := m.written[key]; ok {
		return false, nil
	}
	m.written[key] = ev
	return true, nil
}

var at = time.Date(2026, 11, 23, 10, 15, 0, 0, time.UTC)

func setup() (*memRecords, Service) {
	m := &memRecords{written: map[string]casefile.Event{}, sent: map[string]notification.Request{
		"CMP-1#received": {ID: "CMP-1#received", Template: notification.ComplaintReceived, CaseKind: casefile.Complaint, CaseRef: "CMP-1",
			To: notification.Recipient{Role: notification.Resident}, RequestedAt: at},
		"ASB-1#duty-alert#sms": {ID: "ASB-1#duty-alert#sms", Template: notification.ASBDutyAlert, CaseKind: casefile.ASB, CaseRef: "ASB-1",
			To: notification.Recipient{Role: notification.Duty}, RequestedAt: at},
	}}
	return m, Service{Records: m}
}

func receipt(ref, status string) Receipt {
	sent, done := at.Add(time.Second), at.Add(time.Minute)
	return Receipt{NotifyID: "740e5834-3a29-46b4-9a6f-16142fde533a", Reference: ref, Status: status, Type: "email", CreatedAt: at,
		SentAt: &sent, CompletedAt: &done}
}

// captureLogs runs f with the default logger writing JSON lines to a buffer.
func captureLogs(f func()) string {
	var out bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&out, nil)))
	defer slog.SetDefault(previous)
	f()
	return out.String()
}

// Each status is recorded on the notification's case timeline with its own action, at the time Notify completed
// it, naming our notification and Notify's, the channel, template and role, and never where it went.
func TestEachStatusIsRecordedOnTheCaseTimeline(t *testing.T) {
	for _, status := range Statuses {
		m, s := setup()
		out, err := s.Record(context.Background(), receipt("CMP-1#received", status))
		if err != nil || out.Status != Recorded || out.Action != ActionOf(status) {
			t.Fatalf("%s: %+v %v", status, out, err)
		}
		ev := m.written["CMP-1#received#740e5834-3a29-46b4-9a6f-16142fde533a#"+status]
		d := ev.Details
		if ev.Actor != Actor || !ev.At.Equal(at.Add(time.Minute)) || d["notificationId"] != "CMP-1#received" || d["status"] != status ||
			d["notifyId"] != "740e5834-3a29-46b4-9a6f-16142fde533a" || d["channel"] != "email" || d["role"] != "resident" ||
			d["template"] != notification.ComplaintReceived || d["completedAt"] != "2026-11-23T10:16:00Z" {
			t.Errorf("%s: %+v", status, ev)
		}
		if _, ok := d["to"]; ok {
			t.Errorf("%s: the entry names the recipient's address", status)
		}
		if (status == Delivered) != (d["note"] == nil) {
			t.Errorf("%s: note %v", status, d["note"])
		}
	}
	if a := []string{ActionOf(Delivered), ActionOf(PermanentFailure), ActionOf(TemporaryFailure), ActionOf(TechnicalFailure)}; strings.Join(a, ",") !=
		"notification-delivered,notification-permanently-failed,notification-temporarily-failed,notification-technical-failure" {
		t.Errorf("actions %v", a)
	}
}

// A permanent failure to a resident tells officers what to do, and is logged once with the line the stack's
// Notify-failure metric counts (a repeat of the receipt is not counted again); to the duty officer it says so.
func TestAPermanentFailureIsShownToOfficersAndAlarmed(t *testing.T) {
	m, s := setup()
	logs := captureLogs(func() {
		for range 2 {
			if _, err := s.Record(context.Background(), receipt("CMP-1#received", PermanentFailure)); err != nil {
				t.Fatal(err)
			}
		}
	})
	if n := strings.Count(logs, `"msg":"`+LogPermanentFailure+`"`); n != 1 {
		t.Errorf("%d permanent-failure lines, want 1:\n%s", n, logs)
	}
	if !strings.Contains(logs, `"notification":"CMP-1#received"`) || !strings.Contains(logs, `"role":"resident"`) {
		t.Errorf("the line does not say which notification: %s", logs)
	}
	note := m.written["CMP-1#received#740e5834-3a29-46b4-9a6f-16142fde533a#"+PermanentFailure].Details["note"].(string)
	if !strings.Contains(note, "Reach them another way") || !strings.Contains(note, "correct their contact details") {
		t.Errorf("note %q", note)
	}
	_, _ = s.Record(context.Background(), receipt("ASB-1#duty-alert#sms", PermanentFailure))
	if note := m.written["ASB-1#duty-alert#sms#740e5834-3a29-46b4-9a6f-16142fde533a#"+PermanentFailure].Details["note"].(string); !strings.Contains(note, "the duty officer") {
		t.Errorf("duty note %q", note)
	}
	// temporary and technical failures are recorded without the alarm's line
	logs = captureLogs(func() { _, _ = s.Record(context.Background(), receipt("CMP-1#received", TemporaryFailure)) })
	if strings.Contains(logs, LogPermanentFailure) {
		t.Errorf("a temporary failure counted as permanent: %s", logs)
	}
}

// Notify may send a receipt twice: it is recorded once.
func TestARepeatedReceiptIsRecordedOnce(t *testing.T) {
	m, s := setup()
	first, _ := s.Record(context.Background(), receipt("CMP-1#received", Delivered))
	second, err := s.Record(context.Background(), receipt("CMP-1#received", Delivered))
	if first.Status != Recorded || second.Status != Duplicate || err != nil || len(m.written) != 1 {
		t.Fatalf("%+v %+v %v %d", first, second, err, len(m.written))
	}
}

// A receipt for no notification of ours (no reference, an unknown one, one we could never have given, a case
// that is gone) is acknowledged and logged without its reference or anything personal, and nothing is written.
func TestUnknownReferencesAreAcknowledgedWithoutStoringAnything(t *testing.T) {
	for _, ref := range []string{"", "CMP-9#received", strings.Repeat("A", MaxReference+1), "Sam Smith's letter", "ключ"} {
		m, s := setup()
		var out Outcome
		var err error
		logs := captureLogs(func() { out, err = s.Record(context.Background(), receipt(ref, PermanentFailure)) })
		if err != nil || out.Status != Unknown || len(m.written) != 0 {
			t.Errorf("%q: %+v %v %d", ref, out, err, len(m.written))
		}
		if ref != "" && strings.Contains(logs, ref) || strings.Contains(logs, LogPermanentFailure) || !strings.Contains(logs, logUnknown) {
			t.Errorf("%q: logs %s", ref, logs)
		}
	}
	m, s := setup()
	m.gone = true
	if out, err := s.Record(context.Background(), receipt("CMP-1#received", Delivered)); err != nil || out.Status != Unknown {
		t.Errorf("case gone: %+v %v", out, err)
	}
	m.gone, m.failing = false, errors.New("throttled")
	if _, err := s.Record(context.Background(), receipt("CMP-1#received", Delivered)); err == nil {
		t.Error("a store failure was not an error (Notify must retry)")
	}
}

// A receipt's time is when Notify completed it, else sent it, else was asked.
func TestReceiptTime(t *testing.T) {
	r := receipt("x", Delivered)
	if !r.At().Equal(*r.CompletedAt) {
		t.Error("completed")
	}
	r.CompletedAt = nil
	if !r.At().Equal(*r.SentAt) {
		t.Error("sent")
	}
	r.SentAt = nil
	if !r.At().Equal(at) {
		t.Error("created")
	}
}
