package dynamo

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

func queryInput(table, index, keyCond string, values map[string]types.AttributeValue) *dynamodb.QueryInput {
	in := &dynamodb.QueryInput{TableName: &table, KeyConditionExpression: &keyCond, ExpressionAttributeValues: values}
	if index != "" {
		in.IndexName = &index
	}
	return in
}

// QueryPager pages through a query (never a scan) and can stop at a page size, handing back a token.
type QueryPager struct {
	db       API
	in       *dynamodb.QueryInput
	tokenKey []byte
	Consumed float64 // capacity units consumed so far (when ReturnConsumedCapacity is set on the input)
}

// NewQuery wraps a query input.
func (s *Store) NewQuery(in *dynamodb.QueryInput) *QueryPager {
	return &QueryPager{db: s.DB, in: in, tokenKey: s.TokenKey}
}

// All reads every page.
func (p *QueryPager) All(ctx context.Context) ([]map[string]types.AttributeValue, error) {
	var items []map[string]types.AttributeValue
	for {
		out, err := p.db.Query(ctx, p.in)
		if err != nil {
			return nil, fmt.Errorf("query: %w", err)
		}
		p.addConsumed(out)
		items = append(items, out.Items...)
		if out.LastEvaluatedKey == nil {
			return items, nil
		}
		p.in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// Page reads up to limit matching items starting after token; the returned token is "" on the last page.
// With a filter expression DynamoDB may return fewer items per call, so it keeps reading until limit is met.
func (p *QueryPager) Page(ctx context.Context, limit int, token string) ([]map[string]types.AttributeValue, string, error) {
	start, err := DecodeToken(p.tokenKey, p.scope(), token)
	if err != nil {
		return nil, "", err
	}
	p.in.ExclusiveStartKey = start
	var items []map[string]types.AttributeValue
	for {
		p.in.Limit = aws.Int32(int32(limit - len(items)))
		out, err := p.db.Query(ctx, p.in)
		if err != nil {
			return nil, "", fmt.Errorf("query: %w", err)
		}
		p.addConsumed(out)
		items = append(items, out.Items...)
		if out.LastEvaluatedKey == nil {
			return items, "", nil
		}
		if len(items) >= limit {
			next, err := EncodeToken(p.tokenKey, p.scope(), out.LastEvaluatedKey)
			return items, next, err
		}
		p.in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

func (p *QueryPager) addConsumed(out *dynamodb.QueryOutput) {
	if out.ConsumedCapacity != nil {
		p.Consumed += aws.ToFloat64(out.ConsumedCapacity.CapacityUnits)
	}
}

// scope names the query a token belongs to: table, index, key condition, filter and their values. A token
// signed for one list (or one filter) is refused by every other.
func (p *QueryPager) scope() string {
	var b strings.Builder
	for _, part := range []*string{p.in.TableName, p.in.IndexName, p.in.KeyConditionExpression, p.in.FilterExpression} {
		b.WriteString(aws.ToString(part))
		b.WriteByte(0)
	}
	if aws.ToBool(p.in.ScanIndexForward) { // set oldest first: not the same list as the default order's
		b.WriteString("forward\x00")
	}
	names := make([]string, 0, len(p.in.ExpressionAttributeValues))
	for name := range p.in.ExpressionAttributeValues {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var v any
		_ = attributevalue.Unmarshal(p.in.ExpressionAttributeValues[name], &v)
		fmt.Fprintf(&b, "%s=%v\x00", name, v)
	}
	return b.String()
}

// maxTokenBytes bounds a token before any work is done on it: real ones are a few hundred bytes.
const maxTokenBytes = 2048

func sign(key []byte, scope, payload string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(scope))
	mac.Write([]byte{0})
	mac.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// EncodeToken turns a LastEvaluatedKey into an opaque nextToken: the key's attributes and a signature that
// ties it to its query (scope) and this function's key.
func EncodeToken(key []byte, scope string, last map[string]types.AttributeValue) (string, error) {
	var plain map[string]string // every key attribute of the table and its indexes is a string
	if err := attributevalue.UnmarshalMap(last, &plain); err != nil {
		return "", err
	}
	b, err := json.Marshal(plain)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + sign(key, scope, payload), nil
}

// DecodeToken checks a nextToken against its query and reverses EncodeToken. A tampered, foreign or malformed
// token is a 400 naming nextToken, never a 500.
func DecodeToken(key []byte, scope, token string) (map[string]types.AttributeValue, error) {
	if token == "" {
		return nil, nil
	}
	bad := func() error {
		var f apperr.Fields
		f.Add("nextToken", "is not a token this list gave out; start again without it")
		return f.Err()
	}
	payload, mac, ok := strings.Cut(token, ".")
	if len(token) > maxTokenBytes || !ok || !hmac.Equal([]byte(mac), []byte(sign(key, scope, payload))) {
		return nil, bad()
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, bad()
	}
	var plain map[string]string
	if err := json.Unmarshal(b, &plain); err != nil || len(plain) == 0 {
		return nil, bad()
	}
	start := map[string]types.AttributeValue{}
	for k, v := range plain {
		start[k] = S(v)
	}
	return start, nil
}
