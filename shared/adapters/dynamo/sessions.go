package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Sessions keeps the resident pages' sessions in the idempotency table (SessionKey), each expiring by the
// table's TTL: one small item read and written by key. The key is the hash of the session id the cookie
// carries, so the table never holds a usable cookie.
type Sessions struct {
	Store *Store
	// Prefix is the key prefix: PKSession when empty (the resident pages), PKStaffSession for the staff console,
	// so neither kind of session can be read as the other.
	Prefix string
}

func (s Sessions) key(idHash string) string {
	if s.Prefix != "" {
		return s.Prefix + idHash
	}
	return SessionKey(idHash)
}

// Get reads the session with the hashed id; found is false when there is none or it has expired (TTL removes
// items some time after they expire, so expiry is checked here too).
func (s Sessions) Get(ctx context.Context, idHash string, now time.Time) (data []byte, found bool, err error) {
	out, err := s.Store.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.Store.Idempotency,
		Key: map[string]types.AttributeValue{"pk": S(s.key(idHash))}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, false, fmt.Errorf("session read: %w", err)
	}
	return liveBlob(out.Item, now)
}

// Put stores the session until expires.
func (s Sessions) Put(ctx context.Context, idHash string, data []byte, expires time.Time) error {
	_, err := s.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Store.Idempotency, Item: map[string]types.AttributeValue{
		"pk": S(s.key(idHash)), "data": &types.AttributeValueMemberB{Value: data}, "expiresAt": N(expires.Unix())}})
	if err != nil {
		return fmt.Errorf("session write: %w", err)
	}
	return nil
}

// Delete removes the session (signing out).
func (s Sessions) Delete(ctx context.Context, idHash string) error {
	_, err := s.Store.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.Store.Idempotency,
		Key: map[string]types.AttributeValue{"pk": S(s.key(idHash))}})
	if err != nil {
		return fmt.Errorf("session delete: %w", err)
	}
	return nil
}

// liveBlob is an item's "data" unless the item is missing or expired.
func liveBlob(item map[string]types.AttributeValue, now time.Time) ([]byte, bool, error) {
	if item == nil {
		return nil, false, nil
	}
	exp, _ := item["expiresAt"].(*types.AttributeValueMemberN)
	data, _ := item["data"].(*types.AttributeValueMemberB)
	if exp == nil || data == nil {
		return nil, false, nil
	}
	if at, err := strconv.ParseInt(exp.Value, 10, 64); err != nil || at < now.Unix() {
		return nil, false, nil
	}
	return data.Value, true, nil
}
