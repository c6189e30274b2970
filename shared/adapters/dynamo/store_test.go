package dynamo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

func TestMain(m *testing.M) { emulators.Main(m) }

func newStore(t *testing.T) *Store {
	set := emulators.Shared(t).Fresh(t)
	return &Store{DB: set.DDB, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
}

type doc struct {
	Status  string `dynamodbav:"status"`
	Version int    `dynamodbav:"version"`
}

// Two officers read version 1 and both save: one wins, the other gets a conflict; nothing is lost silently.
func TestOptimisticLocking(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	item, _ := Item("ASB#R1", SKCase, doc{"received", 1}, nil)
	if err := s.Write(ctx, []types.TransactWriteItem{s.PutNew(item)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, []types.TransactWriteItem{s.PutNew(item)}); !errors.Is(err, ErrConditionFailed) {
		t.Fatalf("second create: %v", err)
	}
	first, _ := Item("ASB#R1", SKCase, doc{"acknowledged", 2}, nil)
	second, _ := Item("ASB#R1", SKCase, doc{"closed", 2}, nil)
	if err := s.Write(ctx, []types.TransactWriteItem{s.PutVersioned(first, 1)}); err != nil {
		t.Fatal(err)
	}
	err := s.Write(ctx, []types.TransactWriteItem{s.PutVersioned(second, 1)})
	var conflict *ConflictError
	if !errors.As(err, &conflict) || conflict.Failed[0] != 0 {
		t.Fatalf("stale write: %v", err)
	}
	var got doc
	if found, err := s.Get(ctx, "ASB#R1", SKCase, &got); !found || err != nil || got.Status != "acknowledged" {
		t.Fatalf("got %+v %v %v", got, found, err)
	}
}

// The deadlines index holds exactly the open deadlines after each change, and a query by key condition finds
// those due on or before a date.
func TestDeadlineIndexFollowsChanges(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	d := func(name, due string) casefile.Deadline {
		return casefile.Deadline{CaseKind: casefile.ASB, CaseRef: "R2", Name: name, Due: workdays.MustParseDate(due), Rule: "ASB-4", Team: "asb-officer"}
	}
	before := []casefile.Deadline{d("acknowledge", "2026-11-24"), d("appointment", "2026-11-26")}
	after := []casefile.Deadline{d("appointment", "2026-11-26"), d("risk-review", "2026-12-10")}
	for _, step := range [][2][]casefile.Deadline{{nil, before}, {before, after}} {
		writes, err := s.DeadlineWrites(step[0], step[1])
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Write(ctx, writes); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := ReminderTables{Store: s}.DueBy(ctx, workdays.MustParseDate("2026-11-30")) // every shard of the index
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Name != "appointment" {
		t.Fatalf("due by 30 Nov: %v", out)
	}
}

func TestIdempotencyReplayAndMismatch(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	key, hash := "idem#POST /asb/reports#k1", "hash-1"
	if r, err := s.FindReplay(ctx, key, hash, now); r != nil || err != nil {
		t.Fatalf("fresh key: %v %v", r, err)
	}
	w, _ := s.IdempotencyWrite(key, hash, 201, `{"reference":"R"}`, now)
	if err := s.Write(ctx, []types.TransactWriteItem{w}); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, []types.TransactWriteItem{w}); !errors.Is(err, ErrConditionFailed) {
		t.Fatalf("concurrent duplicate not refused: %v", err)
	}
	r, err := s.FindReplay(ctx, key, hash, now.Add(time.Hour))
	if err != nil || r == nil || r.Status != 201 || r.Body != `{"reference":"R"}` {
		t.Fatalf("replay: %+v %v", r, err)
	}
	if _, err := s.FindReplay(ctx, key, "hash-2", now); apperr.CodeOf(err) != apperr.Unprocessable {
		t.Fatalf("other body: %v", err)
	}
	if r, _ := s.FindReplay(ctx, key, hash, now.Add(25*time.Hour)); r != nil {
		t.Fatal("expired key replayed")
	}
}

func TestClaimOnce(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	now := time.Now()
	first, err1 := s.Claim(ctx, "webhook#msg_1", time.Hour, now)
	second, err2 := s.Claim(ctx, "webhook#msg_1", time.Hour, now)
	if !first || second || err1 != nil || err2 != nil {
		t.Fatalf("claims: %v %v %v %v", first, second, err1, err2)
	}
}

func TestPagination(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	var writes []types.TransactWriteItem
	for i := range 7 {
		item, _ := Item("LIST#1", SKEvent+string(rune('a'+i)), doc{Status: "x"}, nil)
		writes = append(writes, s.Put(item))
	}
	if err := s.Write(ctx, writes); err != nil {
		t.Fatal(err)
	}
	var all int
	token := ""
	for pages := 0; ; pages++ {
		q := s.NewQuery(queryInput(s.Cases, "", "pk = :pk", map[string]types.AttributeValue{":pk": S("LIST#1")}))
		items, next, err := q.Page(ctx, 3, token)
		if err != nil {
			t.Fatal(err)
		}
		all += len(items)
		if next == "" {
			break
		}
		token = next
	}
	if all != 7 {
		t.Fatalf("paged %d items", all)
	}
}

// A pagination token is good only for the list that gave it out: tampered, foreign (another list, another
// filter, another function's key), oversized or garbage tokens are a 400 naming nextToken, never a 500.
func TestPaginationTokensAreSignedForTheirQuery(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	s.TokenKey = []byte("key-1")
	var writes []types.TransactWriteItem
	for i := range 4 {
		item, _ := Item("LIST#2", SKEvent+string(rune('a'+i)), doc{Status: "x"}, nil)
		writes = append(writes, s.Put(item))
	}
	if err := s.Write(ctx, writes); err != nil {
		t.Fatal(err)
	}
	list := func(pk string) *QueryPager {
		return s.NewQuery(queryInput(s.Cases, "", "pk = :pk", map[string]types.AttributeValue{":pk": S(pk)}))
	}
	_, next, err := list("LIST#2").Page(ctx, 2, "")
	if err != nil || next == "" {
		t.Fatalf("first page: %q %v", next, err)
	}
	if items, _, err := list("LIST#2").Page(ctx, 2, next); err != nil || len(items) != 2 {
		t.Fatalf("the token's own list: %d %v", len(items), err)
	}
	payload, mac, _ := strings.Cut(next, ".")
	otherKey := *s
	otherKey.TokenKey = []byte("key-2")
	forged, _ := EncodeToken(s.TokenKey, "another query", map[string]types.AttributeValue{"pk": S("LIST#2"), "sk": S(SKEvent + "a")})
	for name, token := range map[string]string{
		"tampered payload": payload[:len(payload)-2] + "xx." + mac,
		"tampered mac":     payload + "." + mac[:len(mac)-2] + "AA",
		"no mac":           payload,
		"foreign list":     forged,
		"garbage":          "not-a-token!",
		"oversized":        strings.Repeat("a", 5000) + "." + mac,
	} {
		if _, _, err := list("LIST#2").Page(ctx, 2, token); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := list("LIST#3").Page(ctx, 2, next); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a token from another list: %v", err)
	}
	if _, _, err := otherKey.NewQuery(queryInput(s.Cases, "", "pk = :pk", map[string]types.AttributeValue{":pk": S("LIST#2")})).Page(ctx, 2, next); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("a token signed with another function's key: %v", err)
	}
}

// A change that would make an item larger than DynamoDB allows (400 KB) is refused as a 422 the caller can read,
// never a 500, and nothing of it is written.
func TestAChangeTooLargeForOneItemIsRefusedNot500(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	small, _ := Item("FULL#1", SKCase, doc{Status: "x", Version: 1}, nil)
	if err := s.Write(ctx, []types.TransactWriteItem{s.Put(small)}); err != nil {
		t.Fatal(err)
	}
	huge, _ := Item("FULL#1", SKCase, map[string]string{"status": strings.Repeat("x", 410<<10)}, nil)
	event, _ := Item("FULL#1", SKEvent+"1", doc{Status: "y"}, nil)
	err := s.Write(ctx, []types.TransactWriteItem{s.Put(huge), s.Put(event)})
	if apperr.CodeOf(err) != apperr.Unprocessable {
		t.Fatalf("got %v, want a 422", err)
	}
	var left doc
	if found, _ := s.Get(ctx, "FULL#1", SKEvent+"1", &left); found {
		t.Error("part of the refused change was written")
	}
}
