package dynamo

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// ListShards is how many partitions each list key is written across. A list entry is written when its case
// changes; DynamoDB gives one index partition about 1,000 writes a second (1 KB each), so one list key
// sustains about 4,000 case changes a second and every page query fans out to 4 parallel queries. A council
// makes a few case changes a minute: the shards are there so that no list becomes the table's hot spot, not
// because today's volume needs them.
const ListShards = 4

// SKList is the prefix of a case's list entries (they sort after its history, so Load never reads them).
const SKList = "LIST#"

// Listing is how a kind's cases appear in the staff lists and reports. A case writes one small entry for each
// combination of the filter values it has (its Dims): a list filtered on any combination is then one key, read
// newest first (or, for "overdue", by its earliest open deadline) with a key condition, never a filter. Each
// entry carries only the Summary the list and the reports need.
type Listing[T any] struct {
	Kind   casefile.Kind
	Ref    func(T) string
	Dims   []string                  // the filter dimensions, in a fixed order
	Values func(T) map[string]string // the case's value of each ("" when it has none)
	// Summary is what every entry carries (the list's row, the report's facts).
	Summary func(T) any
	// Sort places the case in every list (ReceivedKey: lists read newest first; reports read a range of it).
	Sort func(T) string
	// Due places an open case in the overdue lists: "YYYY-MM-DD#ref" of its earliest open deadline ("" when none).
	Due func(T) string
	// Extra are index attributes only the unfiltered entry carries (e.g. the closed date, the band's priority),
	// given the case's shard.
	Extra func(c T, shard string) map[string]types.AttributeValue
	// Also are further lists the case is in besides its filter combinations, each one "name=value" pair (e.g.
	// "fy=2026": a financial year a complaint had an event in). Each is one more entry (sk LIST#name=value) with
	// the same summary and sort key, under ListKey(Kind, [name], {name: value}): a report reads exactly the cases
	// of its period with one key, whatever year they were received in. Keep the pairs few (a handful a case).
	Also func(T) []string
}

// ListKey is the list partition of a kind filtered on values (dimension -> value; empty ones ignored),
// without its shard: e.g. "ASB#status=received&type=noise", or "ASB#all" unfiltered.
func ListKey(kind casefile.Kind, dims []string, values map[string]string) string {
	var parts []string
	for _, d := range dims {
		if v := values[d]; v != "" {
			parts = append(parts, d+"="+url.QueryEscape(v))
		}
	}
	if len(parts) == 0 {
		return KindKey(kind) + "#all"
	}
	return KindKey(kind) + "#" + strings.Join(parts, "&")
}

// ShardOf is the shard a case's entries are written to: a hash of its reference.
func ShardOf(ref string) string {
	h := fnv.New32a()
	h.Write([]byte(ref))
	return strconv.Itoa(int(h.Sum32() % ListShards))
}

// Sharded is a partition key on one shard.
func Sharded(key, shard string) string { return key + "#" + shard }

// Items are a case's list entries by sort key: one per combination of the dimensions it has a value for.
func (l Listing[T]) Items(c T) (map[string]map[string]types.AttributeValue, error) {
	ref, values := l.Ref(c), l.Values(c)
	var have []string
	for _, d := range l.Dims {
		if values[d] != "" {
			have = append(have, d)
		}
	}
	summary, err := Marshal(map[string]any{"summary": l.Summary(c)})
	if err != nil {
		return nil, err
	}
	shard, sortKey, due := ShardOf(ref), l.Sort(c), ""
	if l.Due != nil {
		due = l.Due(c)
	}
	out := map[string]map[string]types.AttributeValue{}
	for mask := 0; mask < 1<<len(have); mask++ {
		subset := map[string]string{}
		var names []string
		for i, d := range have {
			if mask&(1<<i) != 0 {
				subset[d] = values[d]
				names = append(names, d)
			}
		}
		sk := SKList + "all"
		if len(names) > 0 {
			sk = SKList + strings.Join(names, "+")
		}
		item := map[string]types.AttributeValue{"pk": S(CaseKey(l.Kind, ref)), "sk": S(sk), "summary": summary["summary"],
			AttrListPK: S(Sharded(ListKey(l.Kind, l.Dims, subset), shard)), AttrListSK: S(sortKey)}
		if due != "" {
			item[AttrListDueSK] = S(due)
		}
		if mask == 0 && l.Extra != nil {
			for k, v := range l.Extra(c, shard) {
				item[k] = v
			}
		}
		out[sk] = item
	}
	if l.Also != nil {
		for _, pair := range l.Also(c) {
			name, value, _ := strings.Cut(pair, "=")
			item := map[string]types.AttributeValue{"pk": S(CaseKey(l.Kind, ref)), "sk": S(SKList + pair), "summary": summary["summary"],
				AttrListPK: S(Sharded(ListKey(l.Kind, []string{name}, map[string]string{name: value}), shard)), AttrListSK: S(sortKey)}
			out[SKList+pair] = item
		}
	}
	return out, nil
}

// listWrites brings a case's list entries from before to after: a Put for each new or changed entry, a Delete
// for each the case no longer has (e.g. the officer dimension when it is unassigned).
func (s *Store) listWrites(before, after map[string]map[string]types.AttributeValue) []types.TransactWriteItem {
	var writes []types.TransactWriteItem
	for sk, item := range after {
		if old, ok := before[sk]; ok && reflect.DeepEqual(old, item) {
			continue
		}
		writes = append(writes, s.Put(item))
	}
	for sk, old := range before {
		if _, ok := after[sk]; !ok {
			writes = append(writes, types.TransactWriteItem{Delete: &types.Delete{TableName: &s.Cases, Key: map[string]types.AttributeValue{"pk": old["pk"], "sk": old["sk"]}}})
		}
	}
	return writes
}

// ListQuery is a read of one list over its shards: Key is the partition without its shard; SKCond an optional
// condition on the sort key (e.g. "BETWEEN :from AND :to"), with its Values.
type ListQuery struct {
	Index          string
	PKAttr, SKAttr string
	Key            string
	SKCond         string
	Values         map[string]types.AttributeValue
	Newest         bool // sort key descending
}

func (q ListQuery) input(table, shard string) *dynamodb.QueryInput {
	cond := q.PKAttr + " = :pk"
	if q.SKCond != "" {
		cond += " AND " + q.SKAttr + " " + q.SKCond
	}
	values := map[string]types.AttributeValue{":pk": S(Sharded(q.Key, shard))}
	for k, v := range q.Values {
		values[k] = v
	}
	return &dynamodb.QueryInput{TableName: aws.String(table), IndexName: aws.String(q.Index), KeyConditionExpression: aws.String(cond),
		ExpressionAttributeValues: values, ScanIndexForward: aws.Bool(!q.Newest), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal}
}

// scope ties a page token to its list: index, key and sort-key condition with its values.
func (q ListQuery) scope() string {
	names := make([]string, 0, len(q.Values))
	for n := range q.Values {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "list\x00%s\x00%s\x00%s\x00%s\x00%v", q.Index, q.Key, q.SKAttr, q.SKCond, q.Newest)
	for _, n := range names {
		if v, ok := q.Values[n].(*types.AttributeValueMemberS); ok {
			fmt.Fprintf(&b, "\x00%s=%s", n, v.Value)
		}
	}
	return b.String()
}

// ListStats are what one list read cost (the bench prints them).
type ListStats struct {
	Requests int
	Capacity float64
}

// shardState is where a page left one shard: not started (nil start, not done), after a key, or finished.
type shardState struct {
	start map[string]types.AttributeValue
	done  bool
}

// ListPage reads one page of a list: a query of at most limit entries on every shard, in parallel, merged in
// the list's order. Its cost depends on the page size and the shard count, never on how many cases the table
// holds. The token records where each shard stopped, signed for this list only.
func (s *Store) ListPage(ctx context.Context, q ListQuery, limit int, token string) ([]map[string]types.AttributeValue, string, ListStats, error) {
	states, err := s.decodeListToken(q, token)
	if err != nil {
		return nil, "", ListStats{}, err
	}
	type result struct {
		items []map[string]types.AttributeValue
		last  map[string]types.AttributeValue
		cost  float64
		err   error
	}
	results := make([]result, ListShards)
	var wg sync.WaitGroup
	stats := ListStats{}
	for i := range ListShards {
		if states[i].done {
			continue
		}
		stats.Requests++
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := q.input(s.Cases, strconv.Itoa(i))
			in.Limit, in.ExclusiveStartKey = aws.Int32(int32(limit)), states[i].start
			out, err := s.DB.Query(ctx, in)
			if err != nil {
				results[i].err = fmt.Errorf("list query: %w", err)
				return
			}
			results[i] = result{items: out.Items, last: out.LastEvaluatedKey}
			if out.ConsumedCapacity != nil {
				results[i].cost = aws.ToFloat64(out.ConsumedCapacity.CapacityUnits)
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r.err != nil {
			return nil, "", stats, r.err
		}
		stats.Capacity += r.cost
	}
	// merge: repeatedly take the head of the shard whose next entry comes first in the list's order
	taken := make([]int, ListShards)
	var page []map[string]types.AttributeValue
	for len(page) < limit {
		best := -1
		for i, r := range results {
			if taken[i] < len(r.items) && (best < 0 || q.before(r.items[taken[i]], results[best].items[taken[best]])) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		page = append(page, results[best].items[taken[best]])
		taken[best]++
	}
	next := make([]shardState, ListShards)
	more := false
	for i, r := range results {
		switch {
		case states[i].done:
			next[i].done = true
		case taken[i] == 0 && len(r.items) > 0:
			next[i].start = states[i].start // nothing taken from it: it resumes where it was
		case taken[i] < len(r.items):
			last := r.items[taken[i]-1]
			next[i].start = map[string]types.AttributeValue{"pk": last["pk"], "sk": last["sk"], q.PKAttr: last[q.PKAttr], q.SKAttr: last[q.SKAttr]}
		case r.last != nil:
			next[i].start = r.last
		default:
			next[i].done = true
		}
		more = more || !next[i].done
	}
	if !more {
		return page, "", stats, nil
	}
	tok, err := s.encodeListToken(q, next)
	return page, tok, stats, err
}

// before orders two entries as the list reads them (ties by case key, so the order is total).
func (q ListQuery) before(a, b map[string]types.AttributeValue) bool {
	ka, kb := str(a[q.SKAttr])+"\x00"+str(a["pk"]), str(b[q.SKAttr])+"\x00"+str(b["pk"])
	if q.Newest {
		return ka > kb
	}
	return ka < kb
}

func str(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

// ListAll reads every entry of a list, its shards in parallel (the reports: a bounded range of the sort key).
func (s *Store) ListAll(ctx context.Context, q ListQuery) ([]map[string]types.AttributeValue, error) {
	results := make([][]map[string]types.AttributeValue, ListShards)
	errs := make([]error, ListShards)
	var wg sync.WaitGroup
	for i := range ListShards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = s.NewQuery(q.input(s.Cases, strconv.Itoa(i))).All(ctx)
		}()
	}
	wg.Wait()
	var all []map[string]types.AttributeValue
	for i := range ListShards {
		if errs[i] != nil {
			return nil, errs[i]
		}
		all = append(all, results[i]...)
	}
	sort.SliceStable(all, func(a, b int) bool { return q.before(all[a], all[b]) })
	return all, nil
}

// Summaries decodes the summaries list entries carry.
func Summaries[V any](items []map[string]types.AttributeValue) ([]V, error) {
	out := make([]V, len(items))
	for i, it := range items {
		if err := Unmarshal(map[string]types.AttributeValue{"summary": it["summary"]}, &struct {
			V *V `dynamodbav:"summary"`
		}{&out[i]}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// The token is EncodeToken's signed map: per shard "<n>" = "done", or "<n>.<attr>" = the key to resume after.
func (s *Store) encodeListToken(q ListQuery, states []shardState) (string, error) {
	flat := map[string]types.AttributeValue{}
	for i, st := range states {
		if st.done {
			flat[strconv.Itoa(i)] = S("done")
			continue
		}
		for k, v := range st.start {
			flat[strconv.Itoa(i)+"."+k] = v
		}
	}
	return EncodeToken(s.TokenKey, q.scope(), flat)
}

func (s *Store) decodeListToken(q ListQuery, token string) ([]shardState, error) {
	states := make([]shardState, ListShards)
	flat, err := DecodeToken(s.TokenKey, q.scope(), token)
	if err != nil {
		return nil, err
	}
	for k, v := range flat {
		shard, attr, _ := strings.Cut(k, ".")
		i, err := strconv.Atoi(shard)
		if err != nil || i < 0 || i >= ListShards {
			continue // signed by us, so never; ignored rather than trusted
		}
		if attr == "" {
			states[i].done = true
			continue
		}
		if states[i].start == nil {
			states[i].start = map[string]types.AttributeValue{}
		}
		states[i].start[attr] = v
	}
	return states, nil
}

// The list indexes' attributes.
const (
	AttrListPK, AttrListSK = "gsi1pk", "gsi1sk"
	AttrListDueSK          = "gsi4sk"
)
