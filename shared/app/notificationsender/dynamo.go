package notificationsender

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Cases keeps the notifier's records in the case's own partition of the cases table: the timeline entry
// (dynamo.Store.Note, keyed by the notification id) and, while a delivery is sending, its lease
// (sk = NOTIFY#<id>). The lease lives there rather than in the idempotency table because the catalog gives the
// notifier the cases table only; case loaders ignore sort keys they do not know.
type Cases struct{ Store *dynamo.Store }

const skLease = "NOTIFY#"

// Noted is dynamo.Store.Noted.
func (c Cases) Noted(ctx context.Context, kind casefile.Kind, ref, id string, at time.Time) (bool, error) {
	return c.Store.Noted(ctx, kind, ref, id, at)
}

// Note is dynamo.Store.Note.
func (c Cases) Note(ctx context.Context, kind casefile.Kind, ref, id string, ev casefile.Event) error {
	return c.Store.Note(ctx, kind, ref, id, ev)
}

// Lease puts the lease item unless an unexpired one exists.
func (c Cases) Lease(ctx context.Context, kind casefile.Kind, ref, id string, d time.Duration, now time.Time) (bool, error) {
	key := dynamo.Key(dynamo.CaseKey(kind, ref), skLease+id)
	key["leaseUntil"] = dynamo.N(now.Add(d).Unix())
	_, err := c.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(c.Store.Cases), Item: key,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR leaseUntil < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": dynamo.N(now.Unix())},
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
func (c Cases) Unlease(ctx context.Context, kind casefile.Kind, ref, id string) error {
	_, err := c.Store.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(c.Store.Cases), Key: dynamo.Key(dynamo.CaseKey(kind, ref), skLease+id),
	})
	return err
}
