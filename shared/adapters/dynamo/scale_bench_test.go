package dynamo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Issue 10's scale criteria, against DynamoDB Local (`make bench`): the cost of one page of every staff list
// filter with 1,000 and with 20,000 cases stored, and a case with 500 logged contacts of the longest length
// beside a case with 5.

func benchStore(b *testing.B) *Store {
	set := emulators.Shared(b).Fresh(b)
	return &Store{DB: set.DDB, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable], TokenKey: []byte("bench")}
}

var benchTypes = []string{"noise", "garden", "drugs", "verbal-abuse", "litter"}

// benchCase is case i of a council's ASB caseload: types, channels, officers and states spread evenly, so
// every filter below has several pages at 1,000 cases.
func benchCase(i int) asb.Case {
	received := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Minute)
	r := asb.Report{Type: benchTypes[i%len(benchTypes)], Description: strings.Repeat("Loud music late at night. ", 40),
		Location: asb.Location{Address: "1 High Street", Postcode: "NN1 1DE"}}
	channel := asb.ChannelOnline
	if i%2 == 1 {
		channel = asb.ChannelOutOfHours
	}
	c := asb.NewCase(fmt.Sprintf("ASB-B%06d", i), r, asb.Assess(r, received), channel, received)
	c.Officer = fmt.Sprintf("officer-%d", i%4)
	if i%3 == 0 {
		at := received.Add(24 * time.Hour)
		c.Status, c.ClosedAt = asb.StatusClosed, &at
	}
	return c
}

// seedCases writes cases [from, to) as Create would (the case item and its list entries), in parallel batches.
func seedCases(b *testing.B, s *Store, from, to int) {
	var items []map[string]types.AttributeValue
	for i := from; i < to; i++ {
		c := benchCase(i)
		item, err := Item(CaseKey(casefile.ASB, c.Reference), SKCase, envelope[asb.Case]{Data: c, Version: 1}, nil)
		if err != nil {
			b.Fatal(err)
		}
		items = append(items, item)
		entries, err := ASBListing.Items(c)
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range entries {
			items = append(items, e)
		}
	}
	batches := make(chan []map[string]types.AttributeValue)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range batches {
				req := map[string][]types.WriteRequest{}
				for _, it := range batch {
					req[s.Cases] = append(req[s.Cases], types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
				}
				for len(req) > 0 {
					out, err := s.DB.(*dynamodb.Client).BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: req})
					if err != nil {
						b.Error(err)
						return
					}
					req = out.UnprocessedItems
				}
			}
		}()
	}
	for len(items) > 0 {
		n := min(25, len(items))
		batches <- items[:n]
		items = items[n:]
	}
	close(batches)
	wg.Wait()
}

type listCost struct {
	requests int
	capacity float64
	items    int
}

func BenchmarkListPageCost(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	later := workdays.MustParseDate("2030-01-01") // every open case is overdue by then
	filters := []struct {
		name string
		f    asbcases.Filter
	}{
		{"none (all cases)", asbcases.Filter{}},
		{"status=received", asbcases.Filter{Status: asb.StatusReceived}},
		{"type=noise", asbcases.Filter{Type: "noise"}},
		{"channel=out-of-hours", asbcases.Filter{Channel: asb.ChannelOutOfHours}},
		{"officer=officer-1", asbcases.Filter{Officer: "officer-1"}},
		{"overdue=true", asbcases.Filter{Overdue: true, Today: later}},
		{"received in 2025", asbcases.Filter{ReceivedFrom: workdays.MustParseDate("2025-01-01"), ReceivedTo: workdays.MustParseDate("2025-12-31")}},
		{"status=received&channel=out-of-hours", asbcases.Filter{Status: asb.StatusReceived, Channel: asb.ChannelOutOfHours}},
		{"officer=officer-2&overdue=true", asbcases.Filter{Officer: "officer-2", Overdue: true, Today: later}},
	}
	const pageSize = 25
	sizes := []int{1000, 20000}
	costs := map[string]map[int][2]listCost{} // filter -> cases -> first and second page
	seeded := 0
	for _, n := range sizes {
		start := time.Now()
		seedCases(b, s, seeded, n)
		seeded = n
		fmt.Printf("seeded %d cases in %s\n", n, time.Since(start).Round(time.Second))
		for _, tc := range filters {
			q := ASBListQuery(tc.f)
			var pages [2]listCost
			token := ""
			for p := range 2 {
				items, next, stats, err := s.ListPage(ctx, q, pageSize, token)
				if err != nil || len(items) != pageSize || next == "" {
					b.Fatalf("%s with %d cases, page %d: %d items, next %q, %v", tc.name, n, p+1, len(items), next, err)
				}
				pages[p], token = listCost{requests: stats.Requests, capacity: stats.Capacity, items: len(items)}, next
			}
			if costs[tc.name] == nil {
				costs[tc.name] = map[int][2]listCost{}
			}
			costs[tc.name][n] = pages
		}
	}
	fmt.Printf("\nOne page (%d cases) of the ASB staff list, DynamoDB requests and read capacity units (first page / second page):\n", pageSize)
	fmt.Printf("(each page queries every shard for up to a page, in parallel; a list with under a page per shard reads less)\n")
	fmt.Printf("%-38s %22s %22s %8s\n", "filter", "1,000 cases", "20,000 cases", "change")
	worst := 0.0
	for _, tc := range filters {
		small, large := costs[tc.name][1000], costs[tc.name][20000]
		change := 0.0
		for p := range 2 {
			change = math.Max(change, math.Abs(large[p].capacity-small[p].capacity)/small[p].capacity)
			if large[p].requests != small[p].requests {
				change = math.Max(change, 1)
			}
		}
		worst = math.Max(worst, change)
		fmt.Printf("%-38s %4d req %4.1f/%4.1f RCU %4d req %4.1f/%4.1f RCU %7.1f%%\n", tc.name,
			small[0].requests, small[0].capacity, small[1].capacity, large[0].requests, large[0].capacity, large[1].capacity, change*100)
	}
	if worst > 0.10 {
		b.Fatalf("a list page's cost changed by %.0f%% between 1,000 and 20,000 cases (issue 10 allows 10%%)", worst*100)
	}
	for b.Loop() { // the figures above are the result; the loop satisfies the benchmark harness
		if _, _, _, err := s.ListPage(ctx, ASBListQuery(asbcases.Filter{Type: "noise"}), pageSize, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLongHistory: a case with 500 contacts logged at the longest summary (5,000 characters) answers its
// reads and changes like a case with 5: the status read returns the same bytes and a change reads the same.
func BenchmarkLongHistory(b *testing.B) {
	s := benchStore(b)
	a, ctx := NewASBCases(s), context.Background()
	officer := casefile.Actor{ID: "o1", Name: "Officer"}
	long := strings.Repeat("x", 5000)
	type figures struct {
		statusBytes, staffBytes int
		loadRCU                 float64
	}
	measure := map[int]figures{}
	for _, contacts := range []int{5, 500} {
		c := benchCase(contacts)
		c.Reference = fmt.Sprintf("ASB-H%06d", contacts)
		c.Status, c.ClosedAt = asb.StatusReceived, nil
		if err := a.Create(ctx, asbcases.Stored{Case: c, Contact: &asb.Reporter{Name: "R", Email: "r@example.org"}}, casework.Writes{}); err != nil {
			b.Fatal(err)
		}
		at := c.ReceivedAt
		for i := range contacts {
			st, err := a.Load(ctx, c.Reference)
			if err != nil {
				b.Fatalf("contact %d: %v", i, err)
			}
			after := st.Case
			at = at.Add(time.Minute)
			ev, err := after.LogContact(asb.ContactLog{Method: "phone", With: "reporter", Summary: long}, officer, at)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := a.Save(ctx, st, after, casework.Writes{Events: []casefile.Event{ev}}); err != nil {
				b.Fatalf("contact %d: %v", i, err)
			}
		}
		var f figures
		head := s.CaseHead(casefile.ASB, c.Reference)
		head.in.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
		if _, err := head.All(ctx); err != nil {
			b.Fatal(err)
		}
		f.loadRCU = head.Consumed
		st, err := a.Load(ctx, c.Reference)
		if err != nil {
			b.Fatal(err)
		}
		status, _ := json.Marshal(st.Case) // the resident's status is made from the case alone
		f.statusBytes = len(status)
		h, err := a.History(ctx, c.Reference, casework.HistoryPageSize, "")
		if err != nil || len(h.Events) != min(contacts, casework.HistoryPageSize) {
			b.Fatalf("history: %d entries, %v", len(h.Events), err)
		}
		st.Timeline, st.TimelineNext = h.Events, h.Next
		staff, _ := json.Marshal(st)
		f.staffBytes = len(staff)
		// one more change still succeeds, reading the same head
		after := st.Case
		ev, err := after.LogContact(asb.ContactLog{Method: "phone", Summary: long}, officer, at.Add(time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.Save(ctx, st, after, casework.Writes{Events: []casefile.Event{ev}}); err != nil {
			b.Fatalf("change after %d contacts: %v", contacts, err)
		}
		measure[contacts] = f
	}
	small, large := measure[5], measure[500]
	fmt.Printf("\nA case with 5 and with 500 logged contacts of 5,000 characters:\n")
	fmt.Printf("%-44s %10s %10s\n", "", "5", "500")
	fmt.Printf("%-44s %10d %10d\n", "resident status read (bytes of the case)", small.statusBytes, large.statusBytes)
	fmt.Printf("%-44s %10d %10d\n", "staff read (case + newest 20 entries, bytes)", small.staffBytes, large.staffBytes)
	fmt.Printf("%-44s %10.1f %10.1f\n", "head read by every change (RCU)", small.loadRCU, large.loadRCU)
	if d := math.Abs(float64(large.statusBytes-small.statusBytes)) / float64(small.statusBytes); d > 0.10 {
		b.Fatalf("the status read grew by %.0f%% with 500 contacts (issue 10 allows 10%%)", d*100)
	}
	if large.loadRCU > small.loadRCU*1.1 {
		b.Fatalf("a change reads %.1f RCU with 500 contacts and %.1f with 5", large.loadRCU, small.loadRCU)
	}
	for b.Loop() {
		if _, err := a.Load(ctx, "ASB-H000500"); err != nil {
			b.Fatal(err)
		}
	}
}
