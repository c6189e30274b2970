package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/reminders"
	"github.com/councilhousing/backend/shared/rules/contact"
)

// The reminder run's batched reads and writes: residents' contacts (BatchGetItem), and the once-a-day claims of
// its messages (BatchGetItem to skip what is held, TransactWriteItems to claim the rest with a condition,
// BatchWriteItem to keep or release them). Request counts per 100 messages: 1 read and 1 transaction to claim,
// 4 batch writes to keep; a second run the same day makes the read only.

// batchAPI is the part of the DynamoDB client used for batches (the real client has it; Store.API does not list
// it, so its other users need not).
type batchAPI interface {
	BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// DynamoDB's limits per request.
const (
	batchGetMax   = 100
	batchWriteMax = 25
	transactMax   = 100
)

func (t ReminderTables) batch() (batchAPI, error) {
	b, ok := t.Store.DB.(batchAPI)
	if !ok {
		return nil, errors.New("the DynamoDB client has no BatchGetItem/BatchWriteItem")
	}
	return b, nil
}

// Contacts reads the contact details at the top level of each case's CONTACT item (the one shape every kind
// stores), 100 cases a request; a case with no CONTACT item is absent from the answer.
func (t ReminderTables) Contacts(ctx context.Context, cases []reminders.CaseID) (map[reminders.CaseID]contact.Details, error) {
	byPK := map[string]reminders.CaseID{}
	var keys []map[string]types.AttributeValue
	for _, c := range cases {
		pk := CaseKey(c.Kind, c.Ref)
		if _, dup := byPK[pk]; !dup {
			byPK[pk] = c
			keys = append(keys, Key(pk, SKContact))
		}
	}
	items, err := t.batchGet(ctx, t.Store.Cases, keys, "")
	if err != nil {
		return nil, fmt.Errorf("contacts: %w", err)
	}
	out := map[reminders.CaseID]contact.Details{}
	for _, it := range items {
		pk, _ := it["pk"].(*types.AttributeValueMemberS)
		if pk == nil {
			continue
		}
		var d contact.Details
		if err := Unmarshal(it, &d); err != nil {
			return nil, fmt.Errorf("contact %s: %w", pk.Value, err)
		}
		out[byPK[pk.Value]] = d
	}
	return out, nil
}

// Claim claims every key not held (absent, or expired) with an expiry of now+ttl, and returns the keys it
// claimed: held ones are skipped after one consistent batch read, the rest are claimed in transactions whose
// conditions (absent or expired) stop a concurrent run; a key such a run took meanwhile is dropped and the others
// claimed again.
func (t ReminderTables) Claim(ctx context.Context, keys []string, ttl time.Duration, now time.Time) ([]string, error) {
	req := make([]map[string]types.AttributeValue, len(keys))
	for i, k := range keys {
		req[i] = map[string]types.AttributeValue{"pk": S(k)}
	}
	items, err := t.batchGet(ctx, t.Store.Idempotency, req, "pk, expiresAt")
	if err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	held := map[string]bool{}
	for _, it := range items {
		pk, _ := it["pk"].(*types.AttributeValueMemberS)
		if pk == nil {
			continue
		}
		held[pk.Value] = true // as Store.Claim's condition: held unless it has expired
		if exp, _ := it["expiresAt"].(*types.AttributeValueMemberN); exp != nil {
			if n, err := strconv.ParseInt(exp.Value, 10, 64); err == nil && n < now.Unix() {
				held[pk.Value] = false
			}
		}
	}
	var free []string
	for _, k := range keys {
		if !held[k] {
			held[k] = true // once: a transaction may not name an item twice
			free = append(free, k)
		}
	}
	var claimed []string
	for start := 0; start < len(free); start += transactMax {
		got, err := t.claimAll(ctx, free[start:min(start+transactMax, len(free))], ttl, now)
		claimed = append(claimed, got...)
		if err != nil {
			return claimed, err
		}
	}
	return claimed, nil
}

// claimAll claims up to 100 keys in one transaction; a key whose condition failed is dropped and the transaction
// retried with the others.
func (t ReminderTables) claimAll(ctx context.Context, keys []string, ttl time.Duration, now time.Time) ([]string, error) {
	for len(keys) > 0 {
		items := make([]types.TransactWriteItem, len(keys))
		for i, k := range keys {
			items[i] = types.TransactWriteItem{Put: &types.Put{
				TableName:                 aws.String(t.Store.Idempotency),
				Item:                      map[string]types.AttributeValue{"pk": S(k), "expiresAt": N(now.Add(ttl).Unix())},
				ConditionExpression:       aws.String("attribute_not_exists(pk) OR expiresAt < :now"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":now": N(now.Unix())},
			}}
		}
		err := t.Store.Write(ctx, items)
		var conflict *ConflictError
		if !errors.As(err, &conflict) {
			if err != nil {
				return nil, fmt.Errorf("claim: %w", err)
			}
			return keys, nil
		}
		var rest []string
		for i, k := range keys {
			if !slices.Contains(conflict.Failed, i) {
				rest = append(rest, k)
			}
		}
		keys = rest
	}
	return nil, nil
}

// Keep overwrites the claims with a later expiry (the holder is the only writer of its keys), 25 a request.
func (t ReminderTables) Keep(ctx context.Context, keys []string, ttl time.Duration, now time.Time) error {
	reqs := make([]types.WriteRequest, len(keys))
	for i, k := range keys {
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": S(k), "expiresAt": N(now.Add(ttl).Unix())}}}
	}
	if err := t.batchWrite(ctx, t.Store.Idempotency, reqs); err != nil {
		return fmt.Errorf("keep claims: %w", err)
	}
	return nil
}

// Release forgets claims, 25 a request.
func (t ReminderTables) Release(ctx context.Context, keys []string) error {
	reqs := make([]types.WriteRequest, len(keys))
	for i, k := range keys {
		reqs[i] = types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: map[string]types.AttributeValue{"pk": S(k)}}}
	}
	if err := t.batchWrite(ctx, t.Store.Idempotency, reqs); err != nil {
		return fmt.Errorf("release claims: %w", err)
	}
	return nil
}

// unprocessedTries bounds the retries of what a batch request left unprocessed (throttling), with a growing pause.
const unprocessedTries = 8

func backoff(ctx context.Context, try int) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Duration(25<<min(try, 5)) * time.Millisecond):
		return nil
	}
}

// batchGet reads keys of one table, 100 a request, with consistent reads, retrying unprocessed keys.
func (t ReminderTables) batchGet(ctx context.Context, table string, keys []map[string]types.AttributeValue, projection string) ([]map[string]types.AttributeValue, error) {
	db, err := t.batch()
	if err != nil {
		return nil, err
	}
	var out []map[string]types.AttributeValue
	for start := 0; start < len(keys); start += batchGetMax {
		ka := types.KeysAndAttributes{Keys: keys[start:min(start+batchGetMax, len(keys))], ConsistentRead: aws.Bool(true)}
		if projection != "" {
			ka.ProjectionExpression = aws.String(projection)
		}
		in := &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{table: ka}}
		for try := 0; ; try++ {
			res, err := db.BatchGetItem(ctx, in)
			if err != nil {
				return nil, err
			}
			out = append(out, res.Responses[table]...)
			if len(res.UnprocessedKeys[table].Keys) == 0 {
				break
			}
			if try == unprocessedTries {
				return nil, fmt.Errorf("%d keys left unprocessed", len(res.UnprocessedKeys[table].Keys))
			}
			if err := backoff(ctx, try); err != nil {
				return nil, err
			}
			in.RequestItems = res.UnprocessedKeys
		}
	}
	return out, nil
}

// batchWrite writes requests to one table, 25 a request, retrying unprocessed items (batchWrite in retention.go).
func (t ReminderTables) batchWrite(ctx context.Context, table string, reqs []types.WriteRequest) error {
	db, err := t.batch()
	if err != nil {
		return err
	}
	return batchWrite(ctx, db, table, reqs)
}
