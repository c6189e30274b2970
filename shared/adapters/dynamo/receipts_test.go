package dynamo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/deliveryreceipts"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// A notification's delivery begins by keeping where it is recorded under its id (before Notify has it); a receipt
// is then written on that record once per Notify id and status, never on a case that is gone, and the kept item
// holds nothing personal.
func TestNotificationReceipts(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	records, receipts := NotificationRecords{Store: s}, NotificationReceipts{Store: s}
	at := time.Date(2026, 11, 23, 10, 15, 0, 0, time.UTC)
	caseItem, _ := Item(CaseKey(casefile.Complaint, "CMP-R1"), SKCase, doc{"received", 1}, nil)
	if err := s.Write(ctx, []types.TransactWriteItem{s.PutNew(caseItem)}); err != nil {
		t.Fatal(err)
	}
	req := notification.Request{ID: "CMP-R1#received", Template: notification.ComplaintReceived, CaseKind: casefile.Complaint, CaseRef: "CMP-R1",
		To:              notification.Recipient{Role: notification.Resident, Email: "sam@example.org", Phone: "07700900123", Name: "Sam", Address: "1 Road"},
		Personalisation: map[string]string{"reference": "CMP-R1"}, RequestedAt: at}
	if _, found, err := receipts.Sent(ctx, req.ID); found || err != nil {
		t.Fatalf("before sending: %v %v", found, err)
	}
	if done, held, err := records.Begin(ctx, req, time.Minute, at); done || !held || err != nil {
		t.Fatalf("begin: %v %v %v", done, held, err)
	}
	sent, found, err := receipts.Sent(ctx, req.ID)
	if !found || err != nil || sent.ID != req.ID || sent.CaseKind != casefile.Complaint || sent.CaseRef != "CMP-R1" || sent.Template != req.Template ||
		sent.To.Role != notification.Resident || sent.To.Email != "" || !sent.RequestedAt.Equal(at) || sent.Digest != nil {
		t.Fatalf("sent %+v %v %v", sent, found, err)
	}
	var raw map[string]any
	if _, err := s.Get(ctx, NotifiedKey(req.ID), SKNotified, &raw); err != nil {
		t.Fatal(err)
	}
	for _, personal := range []string{"sam@example.org", "07700900123", "Sam", "1 Road"} {
		for k, v := range raw {
			if strings.Contains(strings.ToLower(k+" "+toString(v)), strings.ToLower(personal)) {
				t.Errorf("the kept item holds %q (%s)", personal, k)
			}
		}
	}

	ev := func(status string) casefile.Event {
		return casefile.Event{At: at.Add(time.Minute), Actor: deliveryreceipts.Actor, Action: deliveryreceipts.ActionOf(status), Details: map[string]any{"status": status}}
	}
	for i, want := range []bool{true, false} { // Notify sends it twice
		if recorded, err := receipts.Record(ctx, sent, "n-1", deliveryreceipts.Delivered, ev(deliveryreceipts.Delivered)); recorded != want || err != nil {
			t.Fatalf("receipt %d: %v %v", i, recorded, err)
		}
	}
	if recorded, err := receipts.Record(ctx, sent, "n-1", deliveryreceipts.PermanentFailure, ev(deliveryreceipts.PermanentFailure)); !recorded || err != nil {
		t.Fatalf("another status: %v %v", recorded, err)
	}
	items, _ := s.CaseItems(casefile.Complaint, "CMP-R1").All(ctx)
	tl, _ := Timeline(items)
	if len(tl) != 2 || tl[0].Actor != deliveryreceipts.Actor {
		t.Fatalf("timeline %+v", tl)
	}

	// a case that is gone (erased): nothing is written
	gone := sent
	gone.ID, gone.CaseRef = "CMP-GONE#received", "CMP-GONE"
	if recorded, err := receipts.Record(ctx, gone, "n-2", deliveryreceipts.Delivered, ev(deliveryreceipts.Delivered)); recorded || !errors.Is(err, deliveryreceipts.ErrNoRecord) {
		t.Fatalf("gone: %v %v", recorded, err)
	}
	if items, _ := s.CaseItems(casefile.Complaint, "CMP-GONE").All(ctx); len(items) != 0 {
		t.Fatalf("written to a case that is gone: %v", items)
	}

	// a digest's receipt goes to its recipient's record
	digest := notification.Request{ID: "digest#2026-11-23#abc", Template: notification.ReminderDigest, RequestedAt: at,
		To: notification.Recipient{Role: notification.Team, Email: "team@council.example"}, Digest: &notification.Digest{Day: "2026-11-23", Recipient: "abc"}}
	if _, held, err := records.Begin(ctx, digest, time.Minute, at); !held || err != nil {
		t.Fatal(held, err)
	}
	dsent, found, _ := receipts.Sent(ctx, digest.ID)
	if !found || dsent.Digest == nil || dsent.Digest.Recipient != "abc" {
		t.Fatalf("digest %+v", dsent)
	}
	if recorded, err := receipts.Record(ctx, dsent, "n-3", deliveryreceipts.Delivered, ev(deliveryreceipts.Delivered)); !recorded || err != nil {
		t.Fatalf("digest receipt: %v %v", recorded, err)
	}
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}
