package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/reminders"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// ReminderTables is the DynamoDB side of a reminder run (reminders.DeadlineIndex, ContactBook and Claims): the
// deadlines index and CONTACT items of the cases table, and the claims in the idempotency table. Contacts and
// claims are read and written in batches (digests.go).
type ReminderTables struct{ Store *Store }

// NewReminderRunner wires a reminder run to DynamoDB and SQS.
func NewReminderRunner(store *Store, q casework.Queues, boxes reminders.Mailboxes) reminders.Runner {
	t := ReminderTables{Store: store}
	return reminders.Runner{Deadlines: t, Contacts: t, Claims: t, Queue: q, Mailboxes: boxes}
}

// DueQuery is the morning's query of one shard (duePk) of the sparse deadlines index, sorted by
// "<due>#<kind>#<ref>#<name>", so "due on or before until" is the key condition dueSk <= "<until>#~" ('~' sorts
// after every character of a kind). No scan and no filter: it reads only the items it returns, so its cost grows
// with the deadlines due, not with the open deadlines or the cases.
func DueQuery(cases, shard string, until workdays.Date) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName: aws.String(cases), IndexName: aws.String(catalog.IndexDeadlines),
		KeyConditionExpression: aws.String(AttrDuePK + " = :shard AND " + AttrDueSK + " <= :until"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":shard": S(shard), ":until": S(until.String() + "#~"),
		},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
}

// DueBy runs DueQuery on every shard at once, each page by page, and returns the deadlines in due-date order
// (then kind, reference and name, as the sort key) with the capacity every page consumed.
func (t ReminderTables) DueBy(ctx context.Context, until workdays.Date) ([]casefile.Deadline, float64, error) {
	var shards []string
	for n := range DeadlineShards {
		shards = append(shards, DeadlineShard(n))
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		all      []casefile.Deadline
		consumed float64
		errs     []error
	)
	for _, shard := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := t.Store.NewQuery(DueQuery(t.Store.Cases, shard, until))
			items, err := q.All(ctx)
			var ds []casefile.Deadline
			if err == nil {
				ds, err = UnmarshalAll[casefile.Deadline](items)
			}
			mu.Lock()
			defer mu.Unlock()
			consumed += q.Consumed
			if err != nil {
				errs = append(errs, fmt.Errorf("deadlines shard %s: %w", shard, err))
				return
			}
			all = append(all, ds...)
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, consumed, errs[0]
	}
	slices.SortFunc(all, func(a, b casefile.Deadline) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.CaseKind, b.CaseKind),
			cmp.Compare(a.CaseRef, b.CaseRef), cmp.Compare(a.Name, b.Name))
	})
	return all, consumed, nil
}
