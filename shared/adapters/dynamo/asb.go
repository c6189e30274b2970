package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// ASBCases is the ASB adapter: versioned records (the case, the reporter's contact apart from it, the timeline,
// the open deadlines), the list entries every staff filter reads by key, the month's cases for ASB-9, the
// repeat-reporter count for ASB-7 and the out-of-hours call's once-only key.
type ASBCases struct {
	Records[asb.Case, asb.Reporter]
}

var _ asbcases.Store = ASBCases{}

// asbDims are the staff list's filters: a list filtered on any combination of them is one key.
var asbDims = []string{"status", "type", "channel", "officer"}

// ASBListing is how ASB cases appear in the lists and the monthly report.
var ASBListing = Listing[asb.Case]{
	Kind: casefile.ASB, Ref: func(c asb.Case) string { return c.Reference }, Dims: asbDims,
	Values: func(c asb.Case) map[string]string {
		return map[string]string{"status": c.Status, "type": c.Type, "channel": c.Channel, "officer": c.Officer}
	},
	Summary: func(c asb.Case) any { return asb.SummaryOf(c) },
	Sort:    func(c asb.Case) string { return ReceivedKey(c.ReceivedAt, c.Reference) },
	Due: func(c asb.Case) string {
		if due := asb.SummaryOf(c).NextDue; !due.IsZero() {
			return due.String() + "#" + c.Reference
		}
		return ""
	},
	Extra: func(c asb.Case, shard string) map[string]types.AttributeValue {
		if c.ClosedAt == nil {
			return nil
		}
		return map[string]types.AttributeValue{AttrEventPK: S(Sharded(ClosedKey(casefile.ASB), shard)), AttrEventSK: S(ReceivedKey(*c.ClosedAt, c.Reference))}
	},
}

// NewASBCases is the ASB adapter over store.
func NewASBCases(store *Store) ASBCases {
	return ASBCases{Records[asb.Case, asb.Reporter]{Store: store, Kind: casefile.ASB,
		Ref: func(c asb.Case) string { return c.Reference }, Deadlines: asb.OpenDeadlines, Indexes: asbIndexes, Lists: ASBListing.Items}}
}

// asbIndexes: the case item is in the byContact index when its reporter gave a contact (ASB-7).
func asbIndexes(c asb.Case) map[string]types.AttributeValue {
	if c.ReporterKey == "" {
		return nil
	}
	return map[string]types.AttributeValue{AttrContactPK: S(ReporterKey(c.ReporterKey)), AttrContactSK: S(TimeKey(c.ReceivedAt))}
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

// List pages through cases: newest first, narrowed to a range of receipt dates when asked; or, for overdue,
// by earliest open deadline before today. Every combination of filters is one list key (ASBListing), so a page
// costs a query of at most limit small entries on each shard, however many cases there are.
func (a ASBCases) List(ctx context.Context, f asbcases.Filter, limit int, token string) ([]asb.Summary, string, error) {
	items, next, _, err := a.Store.ListPage(ctx, ASBListQuery(f), limit, token)
	if err != nil {
		return nil, "", err
	}
	out, err := Summaries[asb.Summary](items)
	return out, next, err
}

// ASBListQuery is the list read for a filter.
func ASBListQuery(f asbcases.Filter) ListQuery {
	key := ListKey(casefile.ASB, asbDims, map[string]string{"status": f.Status, "type": f.Type, "channel": f.Channel, "officer": f.Officer})
	if f.Overdue {
		return ListQuery{Index: catalog.IndexListsDue, PKAttr: AttrListPK, SKAttr: AttrListDueSK, Key: key,
			SKCond: "< :today", Values: map[string]types.AttributeValue{":today": S(f.Today.String())}}
	}
	q := ListQuery{Index: catalog.IndexLists, PKAttr: AttrListPK, SKAttr: AttrListSK, Key: key, Newest: true}
	if !f.ReceivedFrom.IsZero() || !f.ReceivedTo.IsZero() {
		from, to := "0", "~"
		if !f.ReceivedFrom.IsZero() {
			from = TimeKey(f.ReceivedFrom.StartOfDay())
		}
		if !f.ReceivedTo.IsZero() {
			to = TimeKey(f.ReceivedTo.AddDays(1).StartOfDay())
		}
		q.SKCond, q.Values = "BETWEEN :from AND :to", map[string]types.AttributeValue{":from": S(from), ":to": S(to)}
	}
	return q
}

// Month reads the summaries of the cases received in [from, to) and of those closed in it: a range of the
// unfiltered list and of the closed index, on every shard, never a scan and never a whole case.
func (a ASBCases) Month(ctx context.Context, from, to time.Time) (received, closed []asb.Summary, err error) {
	if received, err = between[asb.Summary](ctx, a.Store, catalog.IndexLists, AttrListPK, AttrListSK, ListKey(casefile.ASB, nil, nil), from, to); err != nil {
		return nil, nil, err
	}
	closed, err = between[asb.Summary](ctx, a.Store, catalog.IndexByEvent, AttrEventPK, AttrEventSK, ClosedKey(casefile.ASB), from, to)
	return received, closed, err
}

// OnceRef is the case a once-only key (e.g. an out-of-hours call id) led to, "" when the key is unused.
func (a ASBCases) OnceRef(ctx context.Context, scope, id string) (string, error) {
	return a.Store.OnceRef(ctx, scope, id)
}
