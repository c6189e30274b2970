package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/deliveryreceipts"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Where a notification is recorded, for GOV.UK Notify's delivery receipts (deliveryreceipts.Records), in the cases
// table:
//
//   - pk = NOTIFIED#<notification id> (Notify's reference), sk = NOTIFIED: the partition of its record (its case,
//     or a digest's recipient), its template and the recipient's role; never the address or the content. Written
//     by NotificationRecords.Begin, before Notify is asked, so that a receipt never comes first.
//   - the same pk, sk = RECEIPT#<Notify id>#<status>: a receipt recorded, so that Notify sending it again writes
//     nothing (once-only, in the transaction that writes the timeline entry).
//
// A receipt's timeline entry is a note on the record (EVENT#<time>#note#<id>#receipt#<Notify id>#<status>).
const (
	PKNotified = "NOTIFIED#"
	SKNotified = "NOTIFIED"
	SKReceipt  = "RECEIPT#"
)

// NotifiedKey is the partition of what is kept about one notification.
func NotifiedKey(id string) string { return PKNotified + id }

// notified is the NOTIFIED item.
type notified struct {
	Record          string        `dynamodbav:"record"` // the record's partition: CaseKey or DigestKey
	ID              string        `dynamodbav:"notificationId"`
	Template        string        `dynamodbav:"template"`
	Role            string        `dynamodbav:"role"`
	CaseKind        casefile.Kind `dynamodbav:"caseKind,omitempty"`
	CaseRef         string        `dynamodbav:"caseRef,omitempty"`
	DigestDay       string        `dynamodbav:"digestDay,omitempty"`
	DigestRecipient string        `dynamodbav:"digestRecipient,omitempty"`
	RequestedAt     time.Time     `dynamodbav:"requestedAt"`
}

func notifiedItem(req notification.Request) (map[string]types.AttributeValue, error) {
	n := notified{Record: recordPK(req), ID: req.ID, Template: req.Template, Role: string(req.To.Role), CaseKind: req.CaseKind,
		CaseRef: req.CaseRef, RequestedAt: req.RequestedAt}
	if d := req.Digest; d != nil {
		n.DigestDay, n.DigestRecipient = d.Day, d.Recipient
	}
	return Item(NotifiedKey(req.ID), SKNotified, n, nil)
}

// NotificationReceipts records Notify's delivery receipts next to the notifications' records.
type NotificationReceipts struct{ Store *Store }

// Sent reads where the notification with this id is recorded (one GetItem).
func (r NotificationReceipts) Sent(ctx context.Context, id string) (notification.Request, bool, error) {
	var n notified
	found, err := r.Store.Get(ctx, NotifiedKey(id), SKNotified, &n)
	if err != nil || !found {
		return notification.Request{}, false, err
	}
	req := notification.Request{ID: n.ID, Template: n.Template, CaseKind: n.CaseKind, CaseRef: n.CaseRef,
		To: notification.Recipient{Role: notification.Role(n.Role)}, RequestedAt: n.RequestedAt}
	if n.DigestRecipient != "" {
		req.Digest = &notification.Digest{Day: n.DigestDay, Recipient: n.DigestRecipient}
	}
	return req, true, nil
}

// Record writes the receipt's timeline entry on the notification's record, once per Notify id and status, in one
// transaction: the receipt's once-only item, the entry, and (for a case) a check that the case still exists.
func (r NotificationReceipts) Record(ctx context.Context, sent notification.Request, notifyID, status string, ev casefile.Event) (bool, error) {
	pk := recordPK(sent)
	once := Key(NotifiedKey(sent.ID), SKReceipt+notifyID+"#"+status)
	once["recordedAt"] = S(TimeKey(ev.At))
	entry, err := Item(pk, noteKey(ev, sent.ID+"#receipt#"+notifyID+"#"+status), ev, nil)
	if err != nil {
		return false, err
	}
	writes := []types.TransactWriteItem{r.Store.PutNew(once), r.Store.PutNew(entry)}
	if sent.Digest == nil {
		writes = append(writes, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
			TableName: aws.String(r.Store.Cases), Key: Key(pk, SKCase), ConditionExpression: aws.String("attribute_exists(pk)"),
		}})
	}
	err = r.Store.Write(ctx, writes)
	var conflict *ConflictError
	switch {
	case errors.As(err, &conflict) && slices.Contains(conflict.Failed, 2):
		return false, deliveryreceipts.ErrNoRecord
	case errors.As(err, &conflict):
		return false, nil // recorded before
	case err != nil:
		return false, fmt.Errorf("delivery receipt: %w", err)
	}
	return true, nil
}
