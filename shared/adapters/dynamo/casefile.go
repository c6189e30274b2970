package dynamo

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// DeadlineSortKey orders the deadlines index by due date, then case and name, so that "due on or before D"
// is one key condition: dueSk <= "D#~".
func DeadlineSortKey(d casefile.Deadline) string {
	return fmt.Sprintf("%s#%s#%s#%s", d.Due, d.CaseKind, d.CaseRef, d.Name)
}

// DeadlineWrites is what keeps the deadlines index in step with a change: a Put for every deadline that is new
// or moved, a Delete for every deadline that is no longer open. Add them to the change's transaction.
func (s *Store) DeadlineWrites(before, after []casefile.Deadline) ([]types.TransactWriteItem, error) {
	old := map[string]casefile.Deadline{}
	for _, d := range before {
		old[d.Name] = d
	}
	var writes []types.TransactWriteItem
	for _, d := range after {
		if prev, ok := old[d.Name]; ok && prev == d {
			delete(old, d.Name)
			continue
		}
		delete(old, d.Name)
		item, err := Item(CaseKey(d.CaseKind, d.CaseRef), SKDeadline+d.Name, d, map[string]types.AttributeValue{
			AttrDuePK: S(DeadlinePK(d)), AttrDueSK: S(DeadlineSortKey(d)),
		})
		if err != nil {
			return nil, err
		}
		writes = append(writes, s.Put(item))
	}
	for _, d := range old {
		writes = append(writes, types.TransactWriteItem{Delete: &types.Delete{
			TableName: &s.Cases, Key: Key(CaseKey(d.CaseKind, d.CaseRef), SKDeadline+d.Name),
		}})
	}
	return writes, nil
}

// EventWrites puts timeline entries. The key is the time, then the case version the change produced and the
// entry's position, so entries made at the same instant (a pinned clock, one change with several entries) keep
// their order and never overwrite one another.
func (s *Store) EventWrites(kind casefile.Kind, ref string, version int, events ...casefile.Event) ([]types.TransactWriteItem, error) {
	var writes []types.TransactWriteItem
	for n, ev := range events {
		sk := fmt.Sprintf("%s%s#%06d#%02d", SKEvent, ev.At.UTC().Format(time.RFC3339Nano), version, n)
		item, err := Item(CaseKey(kind, ref), sk, ev, nil)
		if err != nil {
			return nil, err
		}
		writes = append(writes, types.TransactWriteItem{Put: &types.Put{
			TableName: &s.Cases, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}})
	}
	return writes, nil
}

// CaseItems reads every item of a case (case, contact, timeline, deadlines) with one paginated query.
func (s *Store) CaseItems(kind casefile.Kind, ref string) *QueryPager {
	return s.NewQuery(queryInput(s.Cases, "", "pk = :pk", map[string]types.AttributeValue{":pk": S(CaseKey(kind, ref))}))
}

// CaseHead reads the items of a case that sort before its history: the case, its contact and its deadlines.
func (s *Store) CaseHead(kind casefile.Kind, ref string) *QueryPager {
	return s.NewQuery(queryInput(s.Cases, "", "pk = :pk AND sk < :history",
		map[string]types.AttributeValue{":pk": S(CaseKey(kind, ref)), ":history": S(SKEvent)}))
}

// CaseHistory reads a case's timeline entries newest first.
func (s *Store) CaseHistory(kind casefile.Kind, ref string) *QueryPager {
	in := queryInput(s.Cases, "", "pk = :pk AND begins_with(sk, :event)",
		map[string]types.AttributeValue{":pk": S(CaseKey(kind, ref)), ":event": S(SKEvent)})
	in.ScanIndexForward = aws.Bool(false)
	return s.NewQuery(in)
}

// CaseChronicle is CaseHistory oldest first (a subject access export reads a timeline as a reader follows it).
func (s *Store) CaseChronicle(kind casefile.Kind, ref string) *QueryPager {
	in := queryInput(s.Cases, "", "pk = :pk AND begins_with(sk, :event)",
		map[string]types.AttributeValue{":pk": S(CaseKey(kind, ref)), ":event": S(SKEvent)})
	in.ScanIndexForward = aws.Bool(true)
	return s.NewQuery(in)
}

// Timeline reads a case's events in time order.
func Timeline(items []map[string]types.AttributeValue) ([]casefile.Event, error) {
	var events []casefile.Event
	for _, it := range items {
		if sk, _ := it["sk"].(*types.AttributeValueMemberS); sk != nil && len(sk.Value) > len(SKEvent) && sk.Value[:len(SKEvent)] == SKEvent {
			var ev casefile.Event
			if err := Unmarshal(it, &ev); err != nil {
				return nil, err
			}
			events = append(events, ev)
		}
	}
	return events, nil
}

// noteKey is the timeline key of an entry identified by an external id (e.g. a notification), so that writing it
// twice is recognisably the same entry.
func noteKey(ev casefile.Event, id string) string {
	return SKEvent + ev.At.UTC().Format(time.RFC3339Nano) + "#note#" + id
}
