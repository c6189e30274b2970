package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/reminders"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// ReminderTables is the DynamoDB side of a reminder run (reminders.DeadlineIndex, ContactBook and Claims): the
// deadlines index and CONTACT items of the cases table, and the claims in the idempotency table.
type ReminderTables struct{ Store *Store }

// NewReminderRunner wires a reminder run to DynamoDB and SQS.
func NewReminderRunner(store *Store, q casework.Queues, boxes reminders.Mailboxes) reminders.Runner {
	t := ReminderTables{Store: store}
	return reminders.Runner{Deadlines: t, Contacts: t, Claims: t, Queue: q, Mailboxes: boxes}
}

// DueQuery is the morning's query: one partition of the sparse deadlines index (duePk = OPEN), sorted by
// "<due>#<kind>#<ref>#<name>", so "due on or before until" is the key condition dueSk <= "<until>#~" ('~' sorts
// after every character of a kind). No scan and no filter: it reads only the items it returns, so its cost grows
// with the deadlines due, not with the open deadlines or the cases.
func DueQuery(cases string, until workdays.Date) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName: aws.String(cases), IndexName: aws.String(catalog.IndexDeadlines),
		KeyConditionExpression: aws.String(AttrDuePK + " = :open AND " + AttrDueSK + " <= :until"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":open": S(DeadlinesPK), ":until": S(until.String() + "#~"),
		},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
}

// DueBy runs DueQuery page by page and adds up the capacity every page consumed.
func (t ReminderTables) DueBy(ctx context.Context, until workdays.Date) ([]casefile.Deadline, float64, error) {
	q := t.Store.NewQuery(DueQuery(t.Store.Cases, until))
	items, err := q.All(ctx)
	if err != nil {
		return nil, q.Consumed, err
	}
	ds, err := UnmarshalAll[casefile.Deadline](items)
	return ds, q.Consumed, err
}

// Contact reads the contact details at the top level of the case's CONTACT item (the one shape every kind stores).
func (t ReminderTables) Contact(ctx context.Context, kind casefile.Kind, ref string) (contact.Details, bool, error) {
	var d contact.Details
	found, err := t.Store.Get(ctx, CaseKey(kind, ref), SKContact, &d)
	return d, found, err
}

// Claim is Store.Claim on the idempotency table.
func (t ReminderTables) Claim(ctx context.Context, key string, ttl time.Duration, now time.Time) (bool, error) {
	return t.Store.Claim(ctx, key, ttl, now)
}

// Keep overwrites the claim with a later expiry (the holder is the only writer of its key).
func (t ReminderTables) Keep(ctx context.Context, key string, ttl time.Duration, now time.Time) error {
	_, err := t.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(t.Store.Idempotency),
		Item:      map[string]types.AttributeValue{"pk": S(key), "expiresAt": N(now.Add(ttl).Unix())},
	})
	if err != nil {
		return fmt.Errorf("keep claim: %w", err)
	}
	return nil
}

// Release is Store.Release.
func (t ReminderTables) Release(ctx context.Context, key string) error {
	return t.Store.Release(ctx, key)
}
