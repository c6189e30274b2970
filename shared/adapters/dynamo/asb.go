package dynamo

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/retention"
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
			// a merged case is in its own ended list (retention), never the closed list the monthly report counts
			return endedEntry(retention.ASBEnded(c))
		}
		return map[string]types.AttributeValue{AttrEventPK: S(Sharded(ClosedKey(casefile.ASB), shard)), AttrEventSK: S(ReceivedKey(*c.ClosedAt, c.Reference))}
	},
}

// NewASBCases is the ASB adapter over store.
func NewASBCases(store *Store) ASBCases {
	return ASBCases{Records[asb.Case, asb.Reporter]{Store: store, Kind: casefile.ASB,
		Ref: func(c asb.Case) string { return c.Reference }, Deadlines: asb.OpenDeadlines, Indexes: asbIndexes, Lists: asbItems,
		ContactLookups: asbContactLookups}} // the reporter's postcode and phone (lookups.go)
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

// SKMatch is the prefix of an open ASB case's match entries: one per asb.MatchKeys key (MATCH#location,
// MATCH#reporter-subject), under the hash of the key in the byContact index. They are kept in step with the case
// like its list entries, so they exist only while it is open (ASB-9).
const SKMatch = "MATCH#"

// SKSubject is the prefix of an ASB case's subject entries (SUBJECT#1, ...): one per person reported, under the
// hash of their asb.SubjectKey in the byContact index, whatever the case's status.
const SKSubject = "SUBJECT#"

// CasesWithSubject are the cases (newest first, at most limit) filed under a person reported's key hash: one
// keys-only index query (repeat subjects, source 002).
func (a ASBCases) CasesWithSubject(ctx context.Context, keyHash string, limit int) ([]string, error) {
	out, err := a.Store.DB.Query(ctx, &dynamodb.QueryInput{
		TableName: &a.Store.Cases, IndexName: aws.String(catalog.IndexByContact), Limit: aws.Int32(int32(limit)), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    aws.String(AttrContactPK + " = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(SubjectIndexKey(keyHash))},
	})
	if err != nil {
		return nil, fmt.Errorf("find a subject's cases: %w", err)
	}
	var refs []string
	for _, it := range out.Items {
		if pk, ok := it["pk"].(*types.AttributeValueMemberS); ok {
			refs = append(refs, strings.TrimPrefix(pk.Value, CaseKey(casefile.ASB, "")))
		}
	}
	return refs, nil
}

// asbItems are a case's list entries, its subject entries, its match entries and its location's lookup item.
func asbItems(c asb.Case) (map[string]map[string]types.AttributeValue, error) {
	items, err := ASBListing.Items(c)
	if err != nil {
		return nil, err
	}
	// staff find a case by the postcode of the problem as well as the reporter's (lookups.go): kept until anonymised
	maps.Copy(items, lookupItems(casefile.ASB, c.Reference, c.ReceivedAt, map[string]string{LookupLocation: PostcodeHash(c.Location.Postcode)}))
	for i, hash := range c.SubjectKeys { // kept closed or open: a person's history spans every case
		sk := fmt.Sprintf("%s%d", SKSubject, i+1)
		items[sk] = map[string]types.AttributeValue{"pk": S(CaseKey(casefile.ASB, c.Reference)), "sk": S(sk),
			"reference": S(c.Reference), AttrContactPK: S(SubjectIndexKey(hash)), AttrContactSK: S(ReceivedKey(c.ReceivedAt, c.Reference))}
	}
	for _, k := range asb.MatchKeys(c) {
		items[SKMatch+k.Name] = map[string]types.AttributeValue{"pk": S(CaseKey(casefile.ASB, c.Reference)), "sk": S(SKMatch + k.Name),
			"reference": S(c.Reference), AttrContactPK: S(matchPK(k)), AttrContactSK: S(ReceivedKey(c.ReceivedAt, c.Reference))}
	}
	return items, nil
}

// matchPK is the byContact partition of a match key: the hash of its normalised text, never the text itself
// (it holds an address, a contact and a name).
func matchPK(k asb.MatchKey) string { return MatchKey(ids.Hash(k.Key)) }

// OpenCaseFor is the newest open case under the first key that has one: one keys-only query of at most one entry
// per key (ASB-9).
func (a ASBCases) OpenCaseFor(ctx context.Context, keys []asb.MatchKey) (string, string, error) {
	for _, k := range keys {
		out, err := a.Store.DB.Query(ctx, &dynamodb.QueryInput{
			TableName: &a.Store.Cases, IndexName: aws.String(catalog.IndexByContact), Limit: aws.Int32(1), ScanIndexForward: aws.Bool(false),
			KeyConditionExpression:    aws.String(AttrContactPK + " = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": S(matchPK(k))},
		})
		if err != nil {
			return "", "", fmt.Errorf("find an open case: %w", err)
		}
		if len(out.Items) > 0 {
			pk, _ := out.Items[0]["pk"].(*types.AttributeValueMemberS)
			if pk != nil {
				return strings.TrimPrefix(pk.Value, CaseKey(casefile.ASB, "")), k.Name, nil
			}
		}
	}
	return "", "", nil
}

// Incident reads a case's further report (asbcases.ItemIncident), with the reporter key it is counted under.
func (a ASBCases) Incident(ctx context.Context, ref, id string) (asb.Incident, error) {
	inc, found, err := LoadItem[asb.Incident](ctx, a.Store, casefile.ASB, ref, asbcases.ItemIncident, id)
	if err != nil {
		return asb.Incident{}, err
	}
	if !found {
		return asb.Incident{}, apperr.NotFoundf("Case %s has no report %s.", ref, id)
	}
	return inc, nil
}

// CaseItems pages through a case's items of one kind (asbcases.ItemWitness, ItemIncident, ...), newest first: one key
// query in the case's partition, never a scan.
func (a ASBCases) CaseItems(ctx context.Context, ref, kind string, limit int, token string, each func(unmarshal func(any) error) error) (string, error) {
	return a.Store.ItemsPage(ctx, casefile.ASB, ref, kind, limit, token, each)
}

// FurtherReports counts the further reports received in [from, to): a count of their dated list on every shard
// (ASB-9), reading no items.
func (a ASBCases) FurtherReports(ctx context.Context, from, to time.Time) (int, error) {
	return a.CountDated(ctx, asbcases.DatedIncidents, from, to)
}

// CountDated counts the items of the dated list named dated at [from, to) (e.g. the case reviews asked for, or
// decided with one outcome, ASB-7): a count on every shard, reading no items.
func (a ASBCases) CountDated(ctx context.Context, dated string, from, to time.Time) (int, error) {
	total := 0
	for shard := range ListShards {
		in := &dynamodb.QueryInput{
			TableName: &a.Store.Cases, IndexName: aws.String(catalog.IndexByEvent), Select: types.SelectCount,
			KeyConditionExpression: aws.String(fmt.Sprintf("%s = :pk AND %s BETWEEN :from AND :to", AttrEventPK, AttrEventSK)),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk":   S(Sharded(DatedKey(casefile.ASB, dated), strconv.Itoa(shard))),
				":from": S(TimeKey(from)), ":to": S(ReceivedKey(to.Add(-time.Nanosecond), "~")),
			},
		}
		for {
			out, err := a.Store.DB.Query(ctx, in)
			if err != nil {
				return 0, fmt.Errorf("count %s: %w", dated, err)
			}
			total += int(out.Count)
			if out.LastEvaluatedKey == nil {
				break
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	return total, nil
}
