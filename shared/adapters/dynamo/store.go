// Package dynamo is the DynamoDB adapter: it implements the application layer's storage ports
// (shared/app/casework.Store and each case kind's own queries) over the single cases table, with conditional
// writes for optimistic locking, the deadlines index kept in step with each change, timeline items, the outbox,
// idempotency records and opaque pagination tokens. The key layout is defined once, in schema.go.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
)

// API is the part of the DynamoDB client the store uses (the real client in production and in tests).
type API interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// Store reads and writes the cases and idempotency tables.
type Store struct {
	DB          API
	Cases       string // table names
	Idempotency string
	// TokenKey signs pagination tokens (the function's PAGE_TOKEN_KEY secret): a token is valid only for the
	// query that gave it out, so a tampered or foreign one is a 400 and never reaches DynamoDB.
	TokenKey []byte
}

// FromEnv builds a store from the function's environment (CASES_TABLE, IDEMPOTENCY_TABLE).
func FromEnv(db API) *Store {
	return &Store{DB: db, Cases: os.Getenv(catalog.TableEnv(catalog.CasesTable)), Idempotency: os.Getenv(catalog.TableEnv(catalog.IdempotencyTable))}
}

// Key builds a primary key value.
func Key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": S(pk), "sk": S(sk)}
}

// S is a string attribute value.
func S(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

// N is a number attribute value.
func N(n int64) types.AttributeValue { return &types.AttributeValueMemberN{Value: fmt.Sprint(n)} }

// Item marshals v (using its dynamodbav tags) and adds the key and any extra (index) attributes.
func Item(pk, sk string, v any, extra map[string]types.AttributeValue) (map[string]types.AttributeValue, error) {
	item, err := Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal %s/%s: %w", pk, sk, err)
	}
	item["pk"], item["sk"] = S(pk), S(sk)
	for k, val := range extra {
		item[k] = val
	}
	return item, nil
}

// PutNew writes an item that must not exist yet (a new case; a reference collision is refused, not overwritten).
func (s *Store) PutNew(item map[string]types.AttributeValue) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName: &s.Cases, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}
}

// PutVersioned replaces an item only if it still has the version it was read at (optimistic locking): item
// must carry "version" = readVersion+1. Two officers saving at once: one wins, the other gets 409 and reloads.
func (s *Store) PutVersioned(item map[string]types.AttributeValue, readVersion int) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName: &s.Cases, Item: item,
		ConditionExpression:       aws.String("attribute_exists(pk) AND version = :read"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":read": N(int64(readVersion))},
	}}
}

// Put writes an item unconditionally (e.g. replacing a contact record along with a versioned case).
func (s *Store) Put(item map[string]types.AttributeValue) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{TableName: &s.Cases, Item: item}}
}

// Get reads one item into v; found is false when it does not exist.
func (s *Store) Get(ctx context.Context, pk, sk string, v any) (found bool, err error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Cases, Key: Key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, fmt.Errorf("get %s/%s: %w", pk, sk, err)
	}
	if out.Item == nil {
		return false, nil
	}
	return true, Unmarshal(out.Item, v)
}

// ErrConditionFailed is wrapped by Write when a condition failed: the item changed or already exists.
var ErrConditionFailed = errors.New("condition failed")

// ConflictError reports which transaction items failed their conditions (by index), for callers that must tell
// an idempotent replay (item 0) from a concurrent edit.
type ConflictError struct{ Failed []int }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("transaction conditions failed at %v", e.Failed)
}
func (e *ConflictError) Unwrap() error { return ErrConditionFailed }

// Write runs the items as one transaction: all or nothing, one write request.
func (s *Store) Write(ctx context.Context, items []types.TransactWriteItem) error {
	if len(items) > 100 {
		return fmt.Errorf("transaction of %d items is over DynamoDB's limit of 100", len(items))
	}
	_, err := s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		var failed []int
		for i, r := range canceled.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" {
				failed = append(failed, i)
			}
		}
		if len(failed) > 0 {
			return &ConflictError{Failed: failed}
		}
	}
	if tooLarge(err) {
		return ErrCaseFull
	}
	if err != nil {
		return fmt.Errorf("transaction: %w", err)
	}
	return nil
}

// ErrCaseFull is the answer when a change would make an item larger than DynamoDB's 400 KB: the change is not
// saved, and the caller is told so (422) rather than given a 500. (Case history moving to items of its own, so
// that no case item grows with it, is issue 10.)
var ErrCaseFull = apperr.New(apperr.Unprocessable, "This case has reached the most one record can hold, so this change was not saved. "+
	"Record it in a new note or case, and ask for the case to be archived.")

// tooLarge reports DynamoDB's refusal of an item over its size limit, whether it came for the whole request or
// for one item of the transaction.
func tooLarge(err error) bool {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "ValidationException" && strings.Contains(api.ErrorMessage(), "Item size") {
		return true
	}
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		for _, r := range canceled.CancellationReasons {
			if strings.Contains(aws.ToString(r.Message), "Item size") {
				return true
			}
		}
	}
	return false
}

// StaleWrite is the answer when an optimistic lock lost: someone else changed the record first.
func StaleWrite() error {
	return apperr.New(apperr.Conflict, "The record was changed by someone else at the same time. Reload it and try again.")
}
