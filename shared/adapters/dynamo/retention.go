package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	rules "github.com/councilhousing/backend/shared/rules/retention"
)

// Retention's storage (schema.go):
//
//   - ended lists: the unfiltered list entry (LIST#all) of an ended record carries gsi2pk = EndedKey(kind, outcome)
//     sharded, gsi2sk = ReceivedKey(ended at, ref), in the byEvent index (ASB's is its existing closed list; a
//     merged ASB case is in ASB#merged, never the closed list the monthly report counts);
//   - pk = RETENTION#<ended key>, sk = SHARD#<n>: where the job stopped in that shard ("after": the last sort key
//     done), so no run reads what an earlier one finished, however long the lists grow;
//   - pk = RETENTION-RUN#<year>, sk = <time>#<id>: each run's audit record (counts per entry, no reference);
//   - an anonymised record keeps its CASE item (its data replaced by the list summary, the facts the reports count,
//     with anonymisedOn, retentionEntry, retentionOutcome, anonymisedRule and, for an erasure, anonymisedRequest), its LIST# entries
//     and its timeline entries without their content; everything else that is about the person goes.
const (
	PKRetention    = "RETENTION#"
	PKRetentionRun = "RETENTION-RUN#"
	SKShard        = "SHARD#"
	AttrAnonymised = "anonymisedOn"
)

// EndedLists are the ended lists and the job's place in each (retention.EndedLists).
type EndedLists struct{ Store *Store }

var _ retention.EndedLists = EndedLists{}

// Shards is how many partitions each ended list is written across (the list shards).
func (EndedLists) Shards() int { return ListShards }

func (l EndedLists) place(e rules.Entry, shard int) map[string]types.AttributeValue {
	return Key(PKRetention+EndedKey(e.Kind, e.Outcome), SKShard+strconv.Itoa(shard))
}

// Page reads the next entries of one shard that ended by endedBy, after the shard's place: one query.
func (l EndedLists) Page(ctx context.Context, e rules.Entry, shard int, endedBy time.Time, limit int) ([]rules.Ended, error) {
	var at struct {
		After string `dynamodbav:"after"`
	}
	key := l.place(e, shard)
	if _, err := l.Store.Get(ctx, str(key["pk"]), str(key["sk"]), &at); err != nil {
		return nil, err
	}
	from, to := at.After, ReceivedKey(endedBy, "~")
	if from == "" {
		from = "0"
	}
	if from > to {
		return nil, nil // the place is past the cut-off (a period was made longer): nothing is due yet
	}
	in := queryInput(l.Store.Cases, catalog.IndexByEvent, fmt.Sprintf("%s = :pk AND %s BETWEEN :from AND :to", AttrEventPK, AttrEventSK),
		map[string]types.AttributeValue{":pk": S(Sharded(EndedKey(e.Kind, e.Outcome), strconv.Itoa(shard))),
			":from": S(from), ":to": S(to)})
	in.Limit = aws.Int32(int32(limit + 1)) // the entry at the place itself may come first
	out, err := l.Store.DB.Query(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("ended list: %w", err)
	}
	prefix := CaseKey(e.Kind, "")
	var ended []rules.Ended
	for _, it := range out.Items {
		sk := str(it[AttrEventSK])
		ref, ok := strings.CutPrefix(str(it["pk"]), prefix)
		when, _, _ := strings.Cut(sk, "#")
		t, err := time.Parse(time.RFC3339Nano, when)
		if sk == at.After || !ok || err != nil {
			continue
		}
		ended = append(ended, rules.Ended{Kind: e.Kind, Ref: ref, Outcome: e.Outcome, At: t})
		if len(ended) == limit {
			break
		}
	}
	return ended, nil
}

// Advance moves the shard's place to last.
func (l EndedLists) Advance(ctx context.Context, e rules.Entry, shard int, last rules.Ended) error {
	item := l.place(e, shard)
	item["after"] = S(ReceivedKey(last.At, last.Ref))
	if _, err := l.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Store.Cases, Item: item}); err != nil {
		return fmt.Errorf("retention place: %w", err)
	}
	return nil
}

// SaveRun stores a run's audit record.
func (l EndedLists) SaveRun(ctx context.Context, r retention.Run) error {
	item, err := Item(PKRetentionRun+strconv.Itoa(r.At.Year()), TimeKey(r.At)+"#"+r.ID, r, nil)
	if err != nil {
		return err
	}
	if _, err := l.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &l.Store.Cases, Item: item}); err != nil {
		return fmt.Errorf("retention run: %w", err)
	}
	return nil
}

// Anonymiser anonymises records in the cases table (retention.Anonymiser).
type Anonymiser struct{ Store *Store }

var _ retention.Anonymiser = Anonymiser{}

// Anonymise reads the record's partition (paged queries), then in batches deletes its contact, match, subject,
// deadline and notification-lease items and what is kept about its notifications (NOTIFIED#<id>), strips its
// timeline entries and items of their own to what the reports count, and last replaces the case item with its
// summary and the mark, on the condition that nobody changed it meanwhile: a run stopped half-way leaves the
// record unmarked, and the next run does it again.
func (a Anonymiser) Anonymise(ctx context.Context, kind casefile.Kind, ref string, m retention.Mark) (bool, error) {
	items, err := a.Store.CaseItems(kind, ref).All(ctx)
	if err != nil {
		return false, err
	}
	var head map[string]types.AttributeValue
	var reqs []types.WriteRequest
	var notified []string
	del := func(it map[string]types.AttributeValue) {
		reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: map[string]types.AttributeValue{"pk": it["pk"], "sk": it["sk"]}}})
	}
	put := func(it map[string]types.AttributeValue) {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
	}
	for _, it := range items {
		switch sk := str(it["sk"]); {
		case sk == SKCase:
			head = it
		case strings.HasPrefix(sk, SKList):
			// kept whole: the summary is the facts the lists and reports read, and holds no personal data
		case strings.HasPrefix(sk, SKEvent):
			if _, done := it["anonymised"]; !done {
				put(anonymousEvent(it))
			}
		case strings.HasPrefix(sk, SKItem):
			if _, done := it["anonymised"]; !done {
				put(keep(it, "pk", "sk", AttrEventPK, AttrEventSK)) // its dated list is counted (e.g. further reports)
			}
		case strings.HasPrefix(sk, SKLease):
			notified = append(notified, strings.TrimPrefix(sk, SKLease))
			del(it)
		default: // CONTACT, MATCH#, SUBJECT#, FIND#, DEADLINE# and anything else that is about the person
			del(it)
		}
	}
	if head == nil {
		return false, nil
	}
	if _, done := head[AttrAnonymised]; done {
		return false, nil
	}
	for _, id := range notified {
		kept, err := a.Store.NewQuery(queryInput(a.Store.Cases, "", "pk = :pk", map[string]types.AttributeValue{":pk": S(NotifiedKey(id))})).All(ctx)
		if err != nil {
			return false, err
		}
		for _, it := range kept {
			del(it)
		}
	}
	if err := batchWrite(ctx, a.Store.DB, a.Store.Cases, reqs); err != nil {
		return false, fmt.Errorf("anonymise %s: %w", ref, err)
	}
	summary, err := anonymousData(kind, head["data"])
	if err != nil {
		return false, fmt.Errorf("anonymise %s: %w", ref, err)
	}
	version, _ := strconv.Atoi(numStr(head["version"]))
	item := map[string]types.AttributeValue{"pk": head["pk"], "sk": head["sk"], "data": summary, "version": N(int64(version + 1)),
		AttrAnonymised: S(m.On.UTC().Format(time.DateOnly)), "retentionEntry": S(m.Entry), "anonymisedRule": S(m.Rule)}
	if m.Request != "" {
		item["anonymisedRequest"] = S(m.Request)
	}
	if m.Outcome != "" {
		item["retentionOutcome"] = S(m.Outcome)
	}
	// the mark and its timeline entry (the change of this version: what, when, under which entry; no content)
	details := map[string]any{"entry": m.Entry}
	if m.Outcome != "" {
		details["outcome"] = m.Outcome
	}
	if m.Request != "" {
		details["request"] = m.Request
	}
	evs, err := a.Store.EventWrites(kind, ref, version+1, casefile.NewEvent(m.On, casefile.BySystem, "anonymised", m.Rule, details))
	if err != nil {
		return false, err
	}
	err = a.Store.Write(ctx, append([]types.TransactWriteItem{{Put: &types.Put{TableName: &a.Store.Cases, Item: item,
		ConditionExpression:       aws.String("version = :v AND attribute_not_exists(" + AttrAnonymised + ")"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": head["version"]}}}}, evs...))
	if errors.Is(err, ErrConditionFailed) {
		return false, StaleWrite() // changed meanwhile: the next run (or a retried erasure) does it again
	}
	if err != nil {
		return false, fmt.Errorf("anonymise %s: %w", ref, err)
	}
	return true, nil
}

// anonymousEvent is a timeline entry without its content: when, what, by which member of staff (or role) and the
// rule; never its details (letters, notes, names, addresses).
func anonymousEvent(it map[string]types.AttributeValue) map[string]types.AttributeValue {
	out := keep(it, "pk", "sk", "at", "action", "actor", "actorId", "rule")
	if _, staff := it["actorId"]; !staff {
		out["actor"] = S(roleOf(str(it["actor"])))
	}
	out["details"] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"anonymised": &types.AttributeValueMemberBOOL{Value: true}}}
	return out
}

// roleOf keeps an actor without a staff id only when it is a role, never a typed name.
func roleOf(actor string) string {
	for _, role := range []casefile.Actor{casefile.ByResident, casefile.ByOutOfHours, casefile.BySystem} {
		if actor == role.Name {
			return actor
		}
	}
	return "someone"
}

func keep(it map[string]types.AttributeValue, names ...string) map[string]types.AttributeValue {
	out := map[string]types.AttributeValue{"anonymised": &types.AttributeValueMemberBOOL{Value: true}}
	for _, n := range names {
		if v, ok := it[n]; ok {
			out[n] = v
		}
	}
	return out
}

func numStr(v types.AttributeValue) string {
	if n, ok := v.(*types.AttributeValueMemberN); ok {
		return n.Value
	}
	return "0"
}

// anonymousData is what an anonymised case item keeps: its list summary (the facts the lists and reports count;
// no text, contact or name of a resident).
func anonymousData(kind casefile.Kind, data types.AttributeValue) (types.AttributeValue, error) {
	var summary any
	switch kind {
	case casefile.ASB:
		var c asb.Case
		if err := Unmarshal(map[string]types.AttributeValue{"data": data}, &struct {
			D *asb.Case `dynamodbav:"data"`
		}{&c}); err != nil {
			return nil, err
		}
		summary = asb.SummaryOf(c)
	case casefile.Complaint:
		var c complaints.Complaint
		if err := Unmarshal(map[string]types.AttributeValue{"data": data}, &struct {
			D *complaints.Complaint `dynamodbav:"data"`
		}{&c}); err != nil {
			return nil, err
		}
		summary = c.Facts()
	case casefile.Application:
		var r register.Record
		if err := Unmarshal(map[string]types.AttributeValue{"data": data}, &struct {
			D *register.Record `dynamodbav:"data"`
		}{&r}); err != nil {
			return nil, err
		}
		summary = registercases.SummaryOf(r)
	default:
		return nil, fmt.Errorf("no anonymous form of a %s", kind)
	}
	m, err := Marshal(map[string]any{"data": summary})
	if err != nil {
		return nil, err
	}
	return m["data"], nil
}

// batchWriter is the one call batchWrite makes.
type batchWriter interface {
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// batchWrite writes requests to one table, 25 a request, retrying what DynamoDB left unprocessed.
func batchWrite(ctx context.Context, db batchWriter, table string, reqs []types.WriteRequest) error {
	for start := 0; start < len(reqs); start += batchWriteMax {
		in := &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs[start:min(start+batchWriteMax, len(reqs))]}}
		for try := 0; ; try++ {
			res, err := db.BatchWriteItem(ctx, in)
			if err != nil {
				return err
			}
			if len(res.UnprocessedItems[table]) == 0 {
				break
			}
			if try == unprocessedTries {
				return fmt.Errorf("%d writes left unprocessed", len(res.UnprocessedItems[table]))
			}
			if err := backoff(ctx, try); err != nil {
				return err
			}
			in.RequestItems = res.UnprocessedItems
		}
	}
	return nil
}

// anonymisedError is the answer for a record that was anonymised: like one that does not exist (404), saying so.
func anonymisedError(kind casefile.Kind, ref, on string) error {
	return apperr.NotFoundf("The %s %s was anonymised on %s: its personal data is no longer held.", kind, ref, on)
}

// ContactEditor rectifies a contact detail of a record (UK GDPR Art 16).
type ContactEditor struct{ Store *Store }

var _ retention.ContactEditor = ContactEditor{}

// Contact reads a record's contact details (NotFound when it has none).
func (e ContactEditor) Contact(ctx context.Context, kind casefile.Kind, ref string) (contact.Details, error) {
	var d contact.Details
	found, err := e.Store.Get(ctx, CaseKey(kind, ref), SKContact, &d)
	if err != nil {
		return d, err
	}
	if !found {
		return d, apperr.NotFoundf("The %s %s holds no contact details.", kind, ref)
	}
	return d, nil
}

// Rectify sets one contact field from old to value, on the condition that it still holds old, with the record's
// timeline entry, and moves the record's lookup keys that were made from the old email address or phone (the
// directory of records by contact: on its case and contact items and its FIND# lookup items) to the new one's,
// all in one transaction.
func (e ContactEditor) Rectify(ctx context.Context, kind casefile.Kind, ref, field, old, value string, ev casefile.Event) error {
	pk := CaseKey(kind, ref)
	cond, vals := "attribute_not_exists(#f)", map[string]types.AttributeValue{":new": S(value)}
	if old != "" {
		cond, vals[":old"] = "#f = :old", S(old)
	}
	writes := []types.TransactWriteItem{{Update: &types.Update{TableName: &e.Store.Cases, Key: Key(pk, SKContact),
		UpdateExpression: aws.String("SET #f = :new"), ConditionExpression: aws.String("attribute_exists(pk) AND " + cond),
		ExpressionAttributeNames: map[string]string{"#f": field}, ExpressionAttributeValues: vals}}}
	// a note on the timeline (like a delivery receipt): the record's version is not changed, only its contact
	note, err := Item(pk, noteKey(ev, "rectified#"+field), ev, nil)
	if err != nil {
		return err
	}
	writes = append(writes, types.TransactWriteItem{Put: &types.Put{TableName: &e.Store.Cases, Item: note, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	if moves := rekeys(field, old, value); len(moves) > 0 {
		head, err := e.Store.CaseHead(kind, ref).All(ctx)
		if err != nil {
			return err
		}
		lookups, err := e.Store.NewQuery(queryInput(e.Store.Cases, "", "pk = :pk AND begins_with(sk, :find)",
			map[string]types.AttributeValue{":pk": S(pk), ":find": S(SKFind)})).All(ctx) // its lookup items (lookups.go): a few
		if err != nil {
			return err
		}
		for _, it := range append(head, lookups...) {
			sk := str(it["sk"])
			if sk != SKCase && sk != SKContact && !strings.HasPrefix(sk, SKFind) {
				continue
			}
			set, names, values := []string{}, map[string]string{}, map[string]types.AttributeValue{}
			if to, ok := moves[str(it[AttrContactPK])]; ok {
				set, names["#g"], values[":g"] = append(set, "#g = :g"), AttrContactPK, S(to)
			}
			if sk == SKCase && kind == casefile.ASB {
				if data, ok := it["data"].(*types.AttributeValueMemberM); ok {
					if to, ok := moves[ReporterKey(str(data.Value["reporterKey"]))]; ok {
						set, names["#d"], names["#r"], values[":r"] = append(set, "#d.#r = :r"), "data", "reporterKey", S(strings.TrimPrefix(to, ReporterKey("")))
					}
				}
			}
			if len(set) == 0 {
				continue
			}
			if sk == SKContact {
				w := writes[0].Update
				w.UpdateExpression = aws.String(*w.UpdateExpression + ", " + strings.Join(set, ", "))
				for k, v := range names {
					w.ExpressionAttributeNames[k] = v
				}
				for k, v := range values {
					w.ExpressionAttributeValues[k] = v
				}
				continue
			}
			writes = append(writes, types.TransactWriteItem{Update: &types.Update{TableName: &e.Store.Cases, Key: Key(pk, sk),
				UpdateExpression: aws.String("SET " + strings.Join(set, ", ")), ConditionExpression: aws.String("attribute_not_exists(" + AttrAnonymised + ")"),
				ExpressionAttributeNames: names, ExpressionAttributeValues: values}})
		}
	}
	if err := e.Store.Write(ctx, writes); err != nil {
		if errors.Is(err, ErrConditionFailed) {
			return StaleWrite()
		}
		return err
	}
	return nil
}

// rekeys maps each lookup key made from the old email address or phone to the same key made from the new one.
func rekeys(field, old, value string) map[string]string {
	keysOf := func(v string) (string, string) {
		switch field {
		case rules.FieldEmail:
			h, _ := residentaccess.KeysOf(contact.Details{Email: v})
			return h, registercases.EmailKey(v)
		case rules.FieldPhone:
			_, h := residentaccess.KeysOf(contact.Details{Phone: v})
			return h, ""
		}
		return "", ""
	}
	oldH, oldFind := keysOf(old)
	newH, newFind := keysOf(value)
	moves := map[string]string{}
	if oldH != "" && newH != "" {
		moves[ReporterKey(oldH)], moves[ComplainantKey(oldH)] = ReporterKey(newH), ComplainantKey(newH)
		if field == rules.FieldPhone { // the phone's lookup items (lookups.go)
			for _, kind := range []casefile.Kind{casefile.ASB, casefile.Application} {
				moves[LookupKey(kind, LookupPhone, oldH)] = LookupKey(kind, LookupPhone, newH)
			}
		}
	}
	if oldFind != "" && newFind != "" {
		moves[FindKey(registercases.FindByEmail, oldFind)] = FindKey(registercases.FindByEmail, newFind)
	}
	return moves
}

// endedEntry are the index attributes that put an ended record's unfiltered list entry in its ended list.
func endedEntry(e rules.Ended, ended bool) map[string]types.AttributeValue {
	if !ended {
		return nil
	}
	return map[string]types.AttributeValue{AttrEventPK: S(Sharded(EndedKey(e.Kind, e.Outcome), ShardOf(e.Ref))), AttrEventSK: S(ReceivedKey(e.At, e.Ref))}
}
