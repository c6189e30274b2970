package reminders

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Tables is the DynamoDB side of a run: the deadlines index and CONTACT items of the cases table, and the claims
// in the idempotency table.
type Tables struct{ Store *dynamo.Store }

// NewRunner wires a runner to DynamoDB and SQS.
func NewRunner(store *dynamo.Store, q queue.Sender, boxes Mailboxes) Runner {
	t := Tables{Store: store}
	return Runner{Deadlines: t, Contacts: t, Claims: t, Queue: q, Mailboxes: boxes}
}

// DueQuery is the morning's query: one partition of the sparse deadlines index (duePk = OPEN), sorted by
// "<due>#<kind>#<ref>#<name>", so "due on or before until" is the key condition dueSk <= "<until>#~" ('~' sorts
// after every character of a kind). No scan and no filter: it reads only the items it returns, so its cost grows
// with the deadlines due, not with the open deadlines or the cases.
func DueQuery(cases string, until workdays.Date) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName: aws.String(cases), IndexName: aws.String(catalog.IndexDeadlines),
		KeyConditionExpression: aws.String("duePk = :open AND dueSk <= :until"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":open": dynamo.S(catalog.DeadlinesPK), ":until": dynamo.S(until.String() + "#~"),
		},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
}

// DueBy runs DueQuery page by page and adds up the capacity every page consumed.
func (t Tables) DueBy(ctx context.Context, until workdays.Date) ([]casefile.Deadline, float64, error) {
	q := t.Store.NewQuery(DueQuery(t.Store.Cases, until))
	items, err := q.All(ctx)
	if err != nil {
		return nil, q.Consumed, err
	}
	ds, err := dynamo.UnmarshalAll[casefile.Deadline](items)
	return ds, q.Consumed, err
}

// Contact reads the case's CONTACT item (see Contact for the shapes).
func (t Tables) Contact(ctx context.Context, kind casefile.Kind, ref string) (Contact, bool, error) {
	var item ContactItem
	found, err := t.Store.Get(ctx, dynamo.CaseKey(kind, ref), dynamo.SKContact, &item)
	if err != nil || !found {
		return Contact{}, false, err
	}
	return item.Person(), true, nil
}

// Claim is dynamo.Store.Claim on the idempotency table.
func (t Tables) Claim(ctx context.Context, key string, ttl time.Duration, now time.Time) (bool, error) {
	return t.Store.Claim(ctx, key, ttl, now)
}

// Keep overwrites the claim with a later expiry (the holder is the only writer of its key).
func (t Tables) Keep(ctx context.Context, key string, ttl time.Duration, now time.Time) error {
	_, err := t.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(t.Store.Idempotency),
		Item:      map[string]types.AttributeValue{"pk": dynamo.S(key), "expiresAt": dynamo.N(now.Add(ttl).Unix())},
	})
	if err != nil {
		return fmt.Errorf("keep claim: %w", err)
	}
	return nil
}

// Release is dynamo.Store.Release.
func (t Tables) Release(ctx context.Context, key string) error { return t.Store.Release(ctx, key) }
