package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// NotificationRecords keeps the notifier's records (notificationsender.Records) in the cases table, the only table
// the catalog gives the notifier:
//
//   - a notification about a case: its timeline entry in the case's partition (sk = EVENT#<requested at>#note#<id>,
//     the key Store.Note uses) and, while a delivery is sending it, its lease (sk = NOTIFY#<id>);
//   - a staff digest: the same two items in its recipient's partition, pk = DIGEST#<recipient key> (DigestKey), so
//     a digest about 300 cases is two items, not 300 timeline entries.
//
// Two requests per delivered notification, each one transaction: Begin (the entry must be absent and the lease
// free; where the notification is recorded is kept under its id, pk = NOTIFIED#<id>, for Notify's delivery
// receipts: receipts.go) and Finish (the entry written, the lease deleted). Case loaders ignore sort keys they do
// not know.
type NotificationRecords struct{ Store *Store }

// DigestKey is the partition of one recipient's digests (recipient: the digest's hashed recipient key).
func DigestKey(recipient string) string { return "DIGEST#" + recipient }

// recordPK is the partition a notification is recorded in.
func recordPK(req notification.Request) string {
	if req.Digest != nil {
		return DigestKey(req.Digest.Recipient)
	}
	return CaseKey(req.CaseKind, req.CaseRef)
}

func leaseKey(req notification.Request) map[string]types.AttributeValue {
	return Key(recordPK(req), SKLease+req.ID)
}

// Begin checks that the entry is not written and takes the lease unless an unexpired one exists, in one
// transaction: done when the entry exists, held when the lease is now this delivery's (neither: another delivery
// holds it).
func (c NotificationRecords) Begin(ctx context.Context, req notification.Request, d time.Duration, now time.Time) (done, held bool, err error) {
	pk := recordPK(req)
	lease := leaseKey(req)
	lease["leaseUntil"] = N(now.Add(d).Unix())
	sent, err := notifiedItem(req)
	if err != nil {
		return false, false, err
	}
	err = c.Store.Write(ctx, []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{
			TableName: aws.String(c.Store.Cases), Key: Key(pk, noteKey(casefile.Event{At: req.RequestedAt}, req.ID)),
			ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}},
		{Put: &types.Put{
			TableName: aws.String(c.Store.Cases), Item: lease,
			ConditionExpression:       aws.String("attribute_not_exists(pk) OR leaseUntil < :now"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": N(now.Unix())},
		}},
		c.Store.Put(sent), // before Notify has it, so that no receipt comes first
	})
	var conflict *ConflictError
	switch {
	case errors.As(err, &conflict) && slices.Contains(conflict.Failed, 0):
		return true, false, nil
	case errors.As(err, &conflict):
		return false, false, nil
	case err != nil:
		return false, false, fmt.Errorf("notification begin: %w", err)
	}
	return false, true, nil
}

// Finish writes the entry, unless one is there already (the first is kept), and deletes the lease, in one
// transaction.
func (c NotificationRecords) Finish(ctx context.Context, req notification.Request, ev casefile.Event) error {
	item, err := Item(recordPK(req), noteKey(ev, req.ID), ev, nil)
	if err != nil {
		return err
	}
	err = c.Store.Write(ctx, []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(c.Store.Cases), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		{Delete: &types.Delete{TableName: aws.String(c.Store.Cases), Key: leaseKey(req)}},
	})
	var conflict *ConflictError
	if errors.As(err, &conflict) && slices.Contains(conflict.Failed, 0) {
		// another delivery recorded it first (a lease that ran out): keep its entry, end our lease
		return c.Abandon(ctx, req)
	}
	if err != nil {
		return fmt.Errorf("notification record: %w", err)
	}
	return nil
}

// Abandon deletes the lease.
func (c NotificationRecords) Abandon(ctx context.Context, req notification.Request) error {
	_, err := c.Store.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(c.Store.Cases), Key: leaseKey(req)})
	if err != nil {
		return fmt.Errorf("notification lease: %w", err)
	}
	return nil
}
