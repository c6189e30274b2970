package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// ASBCases is the ASB adapter: versioned records (the case, the reporter's contact apart from it, the timeline,
// the open deadlines) plus what only ASB needs: the filterable staff list, the month's cases for ASB-9, the
// repeat-reporter count for ASB-7 and the out-of-hours call's once-only key.
type ASBCases struct {
	Records[asb.Case, asb.Reporter]
}

var _ asbcases.Store = ASBCases{}

// Top-level copies on the ASB case item of the fields the staff list filters on; attrNextDue is the earliest
// open deadline, for the overdue filter.
const (
	attrStatus  = "status"
	attrType    = "type"
	attrChannel = "channel"
	attrOfficer = "officer"
	attrNextDue = "nextDue"
)

// NewASBCases is the ASB adapter over store.
func NewASBCases(store *Store) ASBCases {
	return ASBCases{Records[asb.Case, asb.Reporter]{Store: store, Kind: casefile.ASB,
		Ref: func(c asb.Case) string { return c.Reference }, Deadlines: asb.OpenDeadlines, Indexes: asbIndexes}}
}

func asbIndexes(c asb.Case) map[string]types.AttributeValue {
	idx := map[string]types.AttributeValue{
		AttrKindPK: S(KindKey(casefile.ASB)), AttrKindSK: S(ReceivedKey(c.ReceivedAt, c.Reference)),
		attrStatus: S(c.Status), attrType: S(c.Type), attrChannel: S(c.Channel),
	}
	if c.Officer != "" {
		idx[attrOfficer] = S(c.Officer)
	}
	if c.ClosedAt != nil {
		idx[AttrEventPK], idx[AttrEventSK] = S(ClosedKey(casefile.ASB)), S(ReceivedKey(*c.ClosedAt, c.Reference))
	}
	if c.ReporterKey != "" {
		idx[AttrContactPK], idx[AttrContactSK] = S(ReporterKey(c.ReporterKey)), S(TimeKey(c.ReceivedAt))
	}
	next := ""
	for _, d := range asb.OpenDeadlines(c) {
		if next == "" || d.Due.String() < next {
			next = d.Due.String()
		}
	}
	if next != "" {
		idx[attrNextDue] = S(next)
	}
	return idx
}

// ReportsSince counts the cases of one reporter (by their hashed contact key) received in [since, until]:
// an index query that reads no items (ASB-7).
func (a ASBCases) ReportsSince(ctx context.Context, reporterKey string, since, until time.Time) (int, error) {
	if reporterKey == "" {
		return 0, nil
	}
	in := &dynamodb.QueryInput{
		TableName: &a.Store.Cases, IndexName: aws.String(catalog.IndexByContact), Select: types.SelectCount,
		KeyConditionExpression: aws.String(fmt.Sprintf("%s = :pk AND %s BETWEEN :from AND :to", AttrContactPK, AttrContactSK)),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": S(ReporterKey(reporterKey)), ":from": S(TimeKey(since)), ":to": S(TimeKey(until)),
		},
	}
	count := 0
	for {
		out, err := a.Store.DB.Query(ctx, in)
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

// List pages through cases newest first (index query; the filters apply within the ASB partition of the index).
func (a ASBCases) List(ctx context.Context, f asbcases.Filter, limit int, token string) ([]asb.Case, string, error) {
	b := expression.NewBuilder().WithKeyCondition(expression.Key(AttrKindPK).Equal(expression.Value(KindKey(casefile.ASB))))
	var conds []expression.ConditionBuilder
	for _, c := range []struct{ attr, value string }{{attrStatus, f.Status}, {attrType, f.Type}, {attrChannel, f.Channel}, {attrOfficer, f.Officer}} {
		if c.value != "" {
			conds = append(conds, expression.Name(c.attr).Equal(expression.Value(c.value)))
		}
	}
	if f.Overdue {
		conds = append(conds, expression.Name(attrNextDue).LessThan(expression.Value(f.Today.String())))
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
		TableName: &a.Store.Cases, IndexName: aws.String(catalog.IndexByKind), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression: expr.KeyCondition(), FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	items, next, err := a.Store.NewQuery(in).Page(ctx, limit, token)
	if err != nil {
		return nil, "", err
	}
	cases, err := a.Cases(items)
	return cases, next, err
}

// Month reads the cases received in [from, to) and those closed in it: two index queries on that range of
// keys, never a scan.
func (a ASBCases) Month(ctx context.Context, from, to time.Time) (received, closed []asb.Case, err error) {
	if received, err = a.Between(ctx, catalog.IndexByKind, AttrKindPK, AttrKindSK, KindKey(casefile.ASB), from, to); err != nil {
		return nil, nil, err
	}
	closed, err = a.Between(ctx, catalog.IndexByEvent, AttrEventPK, AttrEventSK, ClosedKey(casefile.ASB), from, to)
	return received, closed, err
}

// OnceRef is the case a once-only key (e.g. an out-of-hours call id) led to, "" when the key is unused.
func (a ASBCases) OnceRef(ctx context.Context, scope, id string) (string, error) {
	return a.Store.OnceRef(ctx, scope, id)
}
