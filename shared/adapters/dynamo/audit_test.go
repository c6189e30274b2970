package dynamo

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// The audit of searches and report views on DynamoDB Local: each is one item in its London day's partition (the
// shard of its member of staff), read back by key for the day; a search keeps how it was made, the references
// found and their counts by kind, a report view which report, period and format; another day's are apart.
func TestStaffAuditRecordsSearchesAndReportViewsByDay(t *testing.T) {
	ctx, s := context.Background(), newStore(t)
	audit := StaffAudit{Store: s}
	alex, bo := casefile.Actor{ID: "officer-a", Name: "Alex Officer"}, casefile.Actor{ID: "officer-b", Name: "Bo Officer"}
	at := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC) // 23:30 GMT: 30 November in London
	if err := audit.RecordSearch(ctx, console.Search{By: alex, At: at, How: console.SearchByPostcode, Found: []console.Found{
		{Kind: casefile.ASB, Refs: []string{"ASB-1", "ASB-2"}}, {Kind: casefile.Complaint}}}); err != nil {
		t.Fatal(err)
	}
	// the same officer, the same instant (a double submit): both kept
	if err := audit.RecordSearch(ctx, console.Search{By: alex, At: at, How: console.SearchByPostcode}); err != nil {
		t.Fatal(err)
	}
	if err := audit.RecordReportView(ctx, console.ReportView{By: bo, At: at.Add(time.Minute), Report: "asb", Period: "2026-11", Format: console.ReportCSV}); err != nil {
		t.Fatal(err)
	}
	if err := audit.RecordReportView(ctx, console.ReportView{By: bo, At: at.Add(time.Hour), Report: "register", Period: "2026-12-01", Format: console.ReportPage}); err != nil {
		t.Fatal(err)
	}
	day, err := audit.Day(ctx, workdays.MustParseDate("2026-11-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(day) != 3 {
		t.Fatalf("30 November: %d records, want 3: %+v", len(day), day)
	}
	i := slices.IndexFunc(day, func(e AuditEntry) bool { return e.What == "search" && len(e.Found) > 0 })
	if i < 0 || day[i].StaffID != "officer-a" || day[i].How != "postcode" || !slices.Equal(day[i].Found["asb"], []string{"ASB-1", "ASB-2"}) ||
		day[i].Counts["asb"] != 2 || day[i].Counts["complaint"] != 0 || day[i].At != TimeKey(at) {
		t.Errorf("the search: %+v", day)
	}
	r := slices.IndexFunc(day, func(e AuditEntry) bool { return e.What == "report" })
	if r < 0 || day[r].StaffID != "officer-b" || day[r].Report != "asb" || day[r].Period != "2026-11" || day[r].Format != "csv" {
		t.Errorf("the report view: %+v", day)
	}
	next, err := audit.Day(ctx, workdays.MustParseDate("2026-12-01"))
	if err != nil || len(next) != 1 || next[0].Report != "register" {
		t.Errorf("1 December: %+v %v", next, err)
	}
	// each in its day's partition, on its officer's shard
	for _, who := range []string{"officer-a", "officer-b"} {
		key := AuditKey(workdays.MustParseDate("2026-11-30"), who)
		if !strings.HasPrefix(key, "AUDIT#2026-11-30#") || len(partition(t, s, key)) == 0 {
			t.Errorf("%s: nothing under %s", who, key)
		}
	}
	raw, _ := json.Marshal(day)
	if strings.Contains(string(raw), "NN1") {
		t.Errorf("searched text in the audit: %s", raw)
	}
}
