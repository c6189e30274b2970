package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// NotificationRecords keeps the notifier's records in the case's own partition of the cases table: the timeline entry
// (Store.Note, keyed by the notification id) and, while a delivery is sending, its lease
// (sk = NOTIFY#<id>). The lease lives there rather than in the idempotency table because the catalog gives the
// notifier the cases table only; case loaders ignore sort keys they do not know.
type NotificationRecords struct{ Store *Store }

// Noted is Store.Noted.
func (c NotificationRecords) Noted(ctx context.Context, kind casefile.Kind, ref, id string, at time.Time) (bool, error) {
	return c.Store.Noted(ctx, kind, ref, id, at)
}

// Note is Store.Note.
func (c NotificationRecords) Note(ctx context.Context, kind casefile.Kind, ref, id string, ev casefile.Event) error {
	return c.Store.Note(ctx, kind, ref, id, ev)
}

// Lease puts the lease item unless an unexpired one exists.
func (c NotificationRecords) Lease(ctx context.Context, kind casefile.Kind, ref, id string, d time.Duration, now time.Time) (bool, error) {
	key := Key(CaseKey(kind, ref), SKLease+id)
	key["leaseUntil"] = N(now.Add(d).Unix())
	_, err := c.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(c.Store.Cases), Item: key,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR leaseUntil < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": N(now.Unix())},
	})
	var held *types.ConditionalCheckFailedException
	if errors.As(err, &held) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("notification lease: %w", err)
	}
	return true, nil
}

// Unlease deletes the lease item.
func (c NotificationRecords) Unlease(ctx context.Context, kind casefile.Kind, ref, id string) error {
	_, err := c.Store.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(c.Store.Cases), Key: Key(CaseKey(kind, ref), SKLease+id),
	})
	return err
}
