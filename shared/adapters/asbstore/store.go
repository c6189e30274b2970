// Package asbstore keeps ASB cases in the cases table with shared/dynamo's versioned records (case, reporter's
// contact apart from it, timeline, open deadlines), and adds what only ASB needs: the filterable list, the
// month's cases for ASB-9, the repeat-reporter count for ASB-7 and the out-of-hours call marker.
package asbstore

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Store is the ASB adapter over the shared DynamoDB store.
type Store struct{ *dynamo.Store }

// Loaded is a case as stored, with the reporter's contact (nil for anonymous reports).
type Loaded = dynamo.Loaded[asb.Case, asb.Reporter]

const kindKey = "ASB"

// Records are ASB cases as versioned records. Besides the index keys, the case item carries top-level copies of
// the fields the staff list filters on, and "nextDue", the earliest open deadline, for the overdue filter.
func (s Store) Records() dynamo.Records[asb.Case, asb.Reporter] {
	return dynamo.Records[asb.Case, asb.Reporter]{Store: s.Store, Kind: casefile.ASB,
		Ref: func(c asb.Case) string { return c.Reference }, Deadlines: asb.OpenDeadlines, Indexes: indexes}
}

func indexes(c asb.Case) map[string]types.AttributeValue {
	idx := map[string]types.AttributeValue{
		"gsi1pk": dynamo.S(kindKey), "gsi1sk": dynamo.S(c.ReceivedAt.UTC().Format(time.RFC3339Nano) + "#" + c.Reference),
		"status": dynamo.S(c.Status), "type": dynamo.S(c.Type), "channel": dynamo.S(c.Channel),
	}
	if c.Officer != "" {
		idx["officer"] = dynamo.S(c.Officer)
	}
	if c.ClosedAt != nil {
		idx["gsi2pk"], idx["gsi2sk"] = dynamo.S(kindKey+"#closed"), dynamo.S(c.ClosedAt.UTC().Format(time.RFC3339Nano)+"#"+c.Reference)
	}
	if c.ReporterKey != "" {
		idx["gsi3pk"], idx["gsi3sk"] = dynamo.S("REPORTER#"+c.ReporterKey), dynamo.S(c.ReceivedAt.UTC().Format(time.RFC3339Nano))
	}
	next := ""
	for _, d := range asb.OpenDeadlines(c) {
		if next == "" || d.Due.String() < next {
			next = d.Due.String()
		}
	}
	if next != "" {
		idx["nextDue"] = dynamo.S(next)
	}
	return idx
}

// ReporterKey is the hashed, normalised contact of a named reporter (ASB-7); "" for anonymous reports.
func ReporterKey(r *asb.Reporter) string {
	if key := asb.ContactKey(r); key != "" {
		return ids.Hash(key)
	}
	return ""
}

// ReportsSince counts the reports made by the same contact in a period (ASB-7), by index query.
func (s Store) ReportsSince(ctx context.Context, r *asb.Reporter, since, until time.Time) (int, error) {
	key := ReporterKey(r)
	if key == "" {
		return 0, nil
	}
	in := &dynamodb.QueryInput{
		TableName: &s.Cases, IndexName: aws.String(catalog.IndexByContact), Select: types.SelectCount,
		KeyConditionExpression: aws.String("gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("REPORTER#" + key), ":from": dynamo.S(since.UTC().Format(time.RFC3339Nano)),
			":to": dynamo.S(until.UTC().Format(time.RFC3339Nano)),
		},
	}
	count := 0
	for {
		out, err := s.DB.Query(ctx, in)
		if err != nil {
			return 0, fmt.Errorf("count reports: %w", err)
		}
		count += int(out.Count)
		if out.LastEvaluatedKey == nil {
			return count, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// Filter narrows the staff list.
type Filter struct {
	Status, Type, Channel, Officer string
	Overdue                        bool
	Today                          workdays.Date
}

// List pages through cases newest first (index query; filters apply within the ASB partition of the index).
func (s Store) List(ctx context.Context, f Filter, limit int, token string) ([]asb.Case, string, error) {
	b := expression.NewBuilder().WithKeyCondition(expression.Key("gsi1pk").Equal(expression.Value(kindKey)))
	var conds []expression.ConditionBuilder
	for attr, value := range map[string]string{"status": f.Status, "type": f.Type, "channel": f.Channel, "officer": f.Officer} {
		if value != "" {
			conds = append(conds, expression.Name(attr).Equal(expression.Value(value)))
		}
	}
	if f.Overdue {
		conds = append(conds, expression.Name("nextDue").LessThan(expression.Value(f.Today.String())))
	}
	switch len(conds) {
	case 0:
	case 1:
		b = b.WithFilter(conds[0])
	default:
		b = b.WithFilter(expression.And(conds[0], conds[1], conds[2:]...))
	}
	expr, err := b.Build()
	if err != nil {
		return nil, "", err
	}
	in := &dynamodb.QueryInput{
		TableName: &s.Cases, IndexName: aws.String(catalog.IndexByKind), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression: expr.KeyCondition(), FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	items, next, err := s.NewQuery(in).Page(ctx, limit, token)
	if err != nil {
		return nil, "", err
	}
	cases, err := s.Records().Cases(items)
	return cases, next, err
}

// Month reads the cases received in a London month and those closed in it: two index queries on that month's
// key range, never a scan.
func (s Store) Month(ctx context.Context, from, to time.Time) (received, closed []asb.Case, err error) {
	query := func(index, pkAttr, skAttr, key string) ([]asb.Case, error) {
		in := &dynamodb.QueryInput{
			TableName: &s.Cases, IndexName: aws.String(index),
			KeyConditionExpression: aws.String(fmt.Sprintf("%s = :pk AND %s BETWEEN :from AND :to", pkAttr, skAttr)),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(key),
				":from": dynamo.S(from.UTC().Format(time.RFC3339Nano)), ":to": dynamo.S(to.Add(-time.Nanosecond).UTC().Format(time.RFC3339Nano) + "#~")},
		}
		items, err := s.NewQuery(in).All(ctx)
		if err != nil {
			return nil, err
		}
		return s.Records().Cases(items)
	}
	if received, err = query(catalog.IndexByKind, "gsi1pk", "gsi1sk", kindKey); err != nil {
		return nil, nil, err
	}
	closed, err = query(catalog.IndexByEvent, "gsi2pk", "gsi2sk", kindKey+"#closed")
	return received, closed, err
}

// CallMarker makes an out-of-hours call create its case once (idempotent on callId): the marker is written in
// the case's own transaction and fails it if the call was already processed.
func (s Store) CallMarker(callID, ref string) types.TransactWriteItem {
	item := map[string]types.AttributeValue{"pk": dynamo.S("OOHCALL#" + callID), "sk": dynamo.S("CALL"), "reference": dynamo.S(ref)}
	return s.PutNew(item)
}

// CallCase returns the reference of the case an out-of-hours call already made, if any.
func (s Store) CallCase(ctx context.Context, callID string) (string, error) {
	var m struct {
		Reference string `dynamodbav:"reference"`
	}
	found, err := s.Get(ctx, "OOHCALL#"+callID, "CALL", &m)
	if err != nil || !found {
		return "", err
	}
	return m.Reference, nil
}
