// Package asbstore keeps ASB cases in the cases table (see shared/dynamo for the key layout): the case, the
// reporter's contact apart from it, the timeline and the open deadlines, each change in one transaction.
package asbstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/shared/apperr"
	"github.com/councilhousing/backend/shared/asb"
	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/dynamo"
	"github.com/councilhousing/backend/shared/ids"
	"github.com/councilhousing/backend/shared/workdays"
)

// Store is the ASB adapter over the shared DynamoDB store.
type Store struct{ *dynamo.Store }

const kindKey = "ASB"

// record is the stored case: the domain case plus what only the store needs.
type record struct {
	asb.Case
	TokenHash string `dynamodbav:"tokenHash,omitempty"`
	NextDue   string `dynamodbav:"nextDue,omitempty"` // earliest open deadline, for the "overdue" filter
}

// Contact is the reporter's contact record, kept apart from the case (never on anonymous reports).
type Contact struct {
	asb.Reporter
	Role string `dynamodbav:"role"`
}

func pk(ref string) string { return dynamo.CaseKey(casefile.ASB, ref) }

func caseItem(r record) (map[string]types.AttributeValue, error) {
	deadlines := asb.OpenDeadlines(r.Case)
	r.NextDue = ""
	for _, d := range deadlines {
		if r.NextDue == "" || d.Due.String() < r.NextDue {
			r.NextDue = d.Due.String()
		}
	}
	extra := map[string]types.AttributeValue{
		"gsi1pk": dynamo.S(kindKey), "gsi1sk": dynamo.S(r.ReceivedAt.UTC().Format(time.RFC3339Nano) + "#" + r.Reference),
	}
	if r.ClosedAt != nil {
		extra["gsi2pk"], extra["gsi2sk"] = dynamo.S(kindKey+"#closed"), dynamo.S(r.ClosedAt.UTC().Format(time.RFC3339Nano)+"#"+r.Reference)
	}
	return dynamo.Item(pk(r.Reference), dynamo.SKCase, r, extra)
}

// New is a report to store.
type New struct {
	Case       asb.Case
	Reporter   *asb.Reporter
	Token      string // the resident's access token ("" for anonymous and out-of-hours reports)
	Event      casefile.Event
	Idempotent []types.TransactWriteItem // e.g. the idempotency record or the out-of-hours call marker
}

// Create writes a new case, its contact, first timeline entry and deadlines, and any idempotency records, in one
// transaction: one write request, nothing half-written.
func (s Store) Create(ctx context.Context, n New) error {
	rec := record{Case: n.Case}
	if n.Token != "" {
		rec.TokenHash = ids.HashToken(n.Token)
	}
	item, err := caseItem(rec)
	if err != nil {
		return err
	}
	if key := asb.ContactKey(n.Reporter); key != "" {
		item["gsi3pk"] = dynamo.S("REPORTER#" + ids.Hash(key))
		item["gsi3sk"] = dynamo.S(n.Case.ReceivedAt.UTC().Format(time.RFC3339Nano))
	}
	writes := append([]types.TransactWriteItem{}, n.Idempotent...)
	writes = append(writes, s.PutNew(item))
	if n.Reporter != nil {
		contact, err := dynamo.Item(pk(n.Case.Reference), dynamo.SKContact, Contact{Reporter: *n.Reporter, Role: "reporter"}, nil)
		if err != nil {
			return err
		}
		writes = append(writes, s.Put(contact))
	}
	events, err := s.EventWrites(casefile.ASB, n.Case.Reference, n.Case.Version, n.Event)
	if err != nil {
		return err
	}
	deadlines, err := s.DeadlineWrites(nil, asb.OpenDeadlines(n.Case))
	if err != nil {
		return err
	}
	writes = append(append(writes, events...), deadlines...)
	return s.Write(ctx, writes)
}

// ReportsSince counts the reports made by the same contact since a time (ASB-7), by index query.
func (s Store) ReportsSince(ctx context.Context, r *asb.Reporter, since, until time.Time) (int, error) {
	key := asb.ContactKey(r)
	if key == "" {
		return 0, nil
	}
	in := &dynamodb.QueryInput{
		TableName: &s.Cases, IndexName: aws.String(catalog.IndexByContact), Select: types.SelectCount,
		KeyConditionExpression: aws.String("gsi3pk = :pk AND gsi3sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("REPORTER#" + ids.Hash(key)), ":from": dynamo.S(since.UTC().Format(time.RFC3339Nano)),
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

// Loaded is a case with everything stored about it.
type Loaded struct {
	Case      asb.Case
	TokenHash string
	Contact   *asb.Reporter
	Timeline  []casefile.Event
	Deadlines []casefile.Deadline
}

// Load reads a case and its items; an unknown reference is NotFound.
func (s Store) Load(ctx context.Context, ref string) (Loaded, error) {
	items, err := s.CaseItems(casefile.ASB, ref).All(ctx)
	if err != nil {
		return Loaded{}, err
	}
	var l Loaded
	found := false
	for _, it := range items {
		sk := it["sk"].(*types.AttributeValueMemberS).Value
		switch {
		case sk == dynamo.SKCase:
			var rec record
			if err := dynamo.Unmarshal(it, &rec); err != nil {
				return Loaded{}, err
			}
			l.Case, l.TokenHash, found = rec.Case, rec.TokenHash, true
		case sk == dynamo.SKContact:
			var c Contact
			if err := dynamo.Unmarshal(it, &c); err != nil {
				return Loaded{}, err
			}
			l.Contact = &c.Reporter
		case strings.HasPrefix(sk, dynamo.SKDeadline):
			var d casefile.Deadline
			if err := dynamo.Unmarshal(it, &d); err != nil {
				return Loaded{}, err
			}
			l.Deadlines = append(l.Deadlines, d)
		}
	}
	if !found {
		return Loaded{}, apperr.NotFoundf("There is no ASB case %s.", ref)
	}
	l.Timeline, err = dynamo.Timeline(items)
	return l, err
}

// Save writes a changed case if nobody else changed it since it was loaded (optimistic locking), with its
// timeline entries and the deadlines index brought up to date, in one transaction.
func (s Store) Save(ctx context.Context, before Loaded, after asb.Case, events ...casefile.Event) error {
	readVersion := after.Version
	after.Version++
	item, err := caseItem(record{Case: after, TokenHash: before.TokenHash})
	if err != nil {
		return err
	}
	if key := asb.ContactKey(before.Contact); key != "" {
		item["gsi3pk"] = dynamo.S("REPORTER#" + ids.Hash(key))
		item["gsi3sk"] = dynamo.S(after.ReceivedAt.UTC().Format(time.RFC3339Nano))
	}
	writes := []types.TransactWriteItem{s.PutVersioned(item, readVersion)}
	evs, err := s.EventWrites(casefile.ASB, after.Reference, after.Version, events...)
	if err != nil {
		return err
	}
	dls, err := s.DeadlineWrites(before.Deadlines, asb.OpenDeadlines(after))
	if err != nil {
		return err
	}
	err = s.Write(ctx, append(append(writes, evs...), dls...))
	var conflict *dynamo.ConflictError
	if errors.As(err, &conflict) {
		return dynamo.StaleWrite()
	}
	return err
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
	cases, err := dynamo.UnmarshalAll[record](items)
	if err != nil {
		return nil, "", err
	}
	out := make([]asb.Case, len(cases))
	for i, r := range cases {
		out[i] = r.Case
	}
	return out, next, nil
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
		recs, err := dynamo.UnmarshalAll[record](items)
		out := make([]asb.Case, len(recs))
		for i, r := range recs {
			out[i] = r.Case
		}
		return out, err
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
