package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

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
	Consumed float64 // capacity units consumed so far (when ReturnConsumedCapacity is set on the input)
}

// NewQuery wraps a query input.
func (s *Store) NewQuery(in *dynamodb.QueryInput) *QueryPager { return &QueryPager{db: s.DB, in: in} }

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
	start, err := DecodeToken(token)
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
			next, err := EncodeToken(out.LastEvaluatedKey)
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

// EncodeToken turns a LastEvaluatedKey into an opaque nextToken.
func EncodeToken(key map[string]types.AttributeValue) (string, error) {
	var plain map[string]any
	if err := attributevalue.UnmarshalMap(key, &plain); err != nil {
		return "", err
	}
	b, err := json.Marshal(plain)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// DecodeToken reverses EncodeToken; a tampered or foreign token is a 400, not a 500.
func DecodeToken(token string) (map[string]types.AttributeValue, error) {
	if token == "" {
		return nil, nil
	}
	bad := func() error {
		var f apperr.Fields
		f.Add("nextToken", "is not a token this API gave out")
		return f.Err()
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, bad()
	}
	var plain map[string]string // every key attribute of the table and its indexes is a string
	if err := json.Unmarshal(b, &plain); err != nil || len(plain) == 0 {
		return nil, bad()
	}
	key := map[string]types.AttributeValue{}
	for k, v := range plain {
		key[k] = S(v)
	}
	return key, nil
}
