package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
)

// IdempotencyTTL is how long a key is remembered (the Idempotency-Key draft suggests at least 24 hours).
const IdempotencyTTL = 24 * time.Hour

// Replay is a stored answer to a request that was already carried out.
type Replay struct {
	Key       string `dynamodbav:"pk"`
	Hash      string `dynamodbav:"hash"`
	Status    int    `dynamodbav:"status"`
	Body      string `dynamodbav:"body"`
	ExpiresAt int64  `dynamodbav:"expiresAt"` // epoch seconds: DynamoDB's TTL attribute
}

// FindReplay returns the stored answer for key, nil when there is none (or it has expired but TTL has not yet
// removed it), and 422 when the key was used with another body.
func (s *Store) FindReplay(ctx context.Context, key, hash string, now time.Time) (*Replay, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.Idempotency, Key: map[string]types.AttributeValue{"pk": S(key)}, ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("idempotency lookup: %w", err)
	}
	if out.Item == nil {
		return nil, nil
	}
	var r Replay
	if err := attributevalue.UnmarshalMap(out.Item, &r); err != nil {
		return nil, err
	}
	if r.ExpiresAt < now.Unix() {
		return nil, nil
	}
	if r.Hash != hash {
		return nil, apperr.New(apperr.Unprocessable, "This Idempotency-Key was already used with a different request body. Use a new key for a new request.")
	}
	return &r, nil
}

// IdempotencyWrite records the answer in the same transaction as the change, so the change and its answer are
// stored together or not at all. It fails if the key exists unexpired (a concurrent duplicate).
func (s *Store) IdempotencyWrite(key, hash string, status int, body string, now time.Time) (types.TransactWriteItem, error) {
	item, err := attributevalue.MarshalMap(Replay{Key: key, Hash: hash, Status: status, Body: body, ExpiresAt: now.Add(IdempotencyTTL).Unix()})
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{
		TableName: &s.Idempotency, Item: item,
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR expiresAt < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": N(now.Unix())},
	}}, nil
}

// Claim records key alone (no answer), once: false when it was already claimed and unexpired. Used for webhook
// ids and reminder markers, where the first writer wins and repeats are harmless no-ops.
func (s *Store) Claim(ctx context.Context, key string, ttl time.Duration, now time.Time) (bool, error) {
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 &s.Idempotency,
		Item:                      map[string]types.AttributeValue{"pk": S(key), "expiresAt": N(now.Add(ttl).Unix())},
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR expiresAt < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": N(now.Unix())},
	})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("claim: %w", err)
	}
	return true, nil
}

// Release forgets a claim, so that a delivery whose work failed after claiming can be retried.
func (s *Store) Release(ctx context.Context, key string) error {
	_, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Idempotency, Key: map[string]types.AttributeValue{"pk": S(key)}})
	return err
}

// FindAnswer is FindReplay as the application layer's Answer (implements idem.Answers).
func (s *Store) FindAnswer(ctx context.Context, key, hash string, now time.Time) (*casework.Answer, error) {
	r, err := s.FindReplay(ctx, key, hash, now)
	if err != nil || r == nil {
		return nil, err
	}
	return &casework.Answer{Key: r.Key, PayloadHash: r.Hash, Status: r.Status, Body: r.Body}, nil
}
