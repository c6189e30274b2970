package dynamo

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

func complaintSubmission(issue string) complaints.Submission {
	return complaints.Submission{Description: "No heating", OutcomesSought: "Fix it", ServiceArea: "repairs", IssueDate: issue,
		Complainant: complaints.Complainant{Name: "Sam", Email: "sam@example.org"}}
}

// The complaints adapter against DynamoDB Local: a complaint is listed under every financial year it had an event
// in (CH-10, TSM CH02), so a year's report finds the complaint received on 25 March and answered on 8 April in
// both years, reading only its year's list; the entries follow each change in its transaction.
func TestComplaintYearLists(t *testing.T) {
	store, ctx := NewComplaints(newStore(t)), context.Background()
	by := casefile.Actor{ID: "officer-a", Name: "A"}
	create := func(ref, issue string, at time.Time) {
		t.Helper()
		c, ev, err := complaints.Submit(ref, complaintSubmission(issue), at)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.Create(ctx, complaintcases.Stored{Case: c, Contact: &complaints.Contact{Details: complaintSubmission(issue).Complainant}},
			casework.Writes{Events: []casefile.Event{ev}}); err != nil {
			t.Fatal(err)
		}
	}
	change := func(ref string, apply func(*complaints.Complaint) error) {
		t.Helper()
		st, err := store.Load(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		c := st.Case
		if err := apply(&c); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Save(ctx, st, c, casework.Writes{}); err != nil {
			t.Fatal(err)
		}
	}
	refs := func(year int) []string {
		t.Helper()
		cs, err := store.InFinancialYear(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Reference)
			if c.Description != "" || c.Letters != nil {
				t.Errorf("%s: the report read more than the facts", c.Reference)
			}
		}
		slices.Sort(out)
		return out
	}

	create("CMP-A", "2026-03-01", time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC)) // 2025-26
	create("CMP-B", "2026-05-01", time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC))  // 2026-27 only
	create("CMP-C", "2025-01-01", time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC))  // 2024-25 only
	if got := refs(2026); !slices.Equal(got, []string{"CMP-B"}) {
		t.Fatalf("2026-27 before A is answered: %v", got)
	}
	change("CMP-A", func(c *complaints.Complaint) error {
		_, _, err := c.Acknowledge(complaints.Acknowledgement{Definition: "d", OutcomesSought: "o"}, by, time.Date(2026, 3, 26, 10, 0, 0, 0, time.UTC))
		return err
	})
	change("CMP-A", func(c *complaints.Complaint) error {
		_, _, err := c.Respond(complaints.Response{Decision: "upheld", Reasons: "r"}, by, time.Date(2026, 4, 8, 10, 0, 0, 0, time.UTC))
		return err
	})
	if got := refs(2025); !slices.Equal(got, []string{"CMP-A"}) {
		t.Errorf("2025-26: %v", got)
	}
	if got := refs(2026); !slices.Equal(got, []string{"CMP-A", "CMP-B"}) {
		t.Errorf("2026-27: %v", got)
	}
	if got := refs(2024); !slices.Equal(got, []string{"CMP-C"}) {
		t.Errorf("2024-25: %v", got)
	}
	cs, _ := store.InFinancialYear(ctx, 2026)
	r := complaints.Annual(2026, cs, 1000)
	if r.Stage1.Received != 1 || r.Stage1.Responded != 1 || r.Stage1.RespondedOnTime != 1 {
		t.Errorf("2026-27 report: %+v", r.Stage1)
	}
	// A's entries: the unfiltered one, its status, and one per year it had an event in, each on A's shard.
	all, err := store.Store.NewQuery(queryInput(store.Store.Cases, "", "pk = :pk AND begins_with(sk, :list)", map[string]types.AttributeValue{
		":pk": S(CaseKey(casefile.Complaint, "CMP-A")), ":list": S(SKList)})).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lists []string
	for _, it := range all {
		lists = append(lists, str(it["sk"]))
		if pk := str(it[AttrListPK]); it["summary"] == nil || pk[len(pk)-2:] != "#"+ShardOf("CMP-A") {
			t.Errorf("%s: %s, summary %v", str(it["sk"]), pk, it["summary"] != nil)
		}
	}
	slices.Sort(lists)
	if !slices.Equal(lists, []string{"LIST#all", "LIST#fy=2025", "LIST#fy=2026", "LIST#status"}) {
		t.Errorf("list entries of A: %v", lists)
	}
}

// The annual report's self-assessment (CH-10, source 004 §8.1) against DynamoDB Local: none until recorded, then
// read back whole with its version; a recording from a stale read is refused (409), not lost.
func TestComplaintSelfAssessmentStored(t *testing.T) {
	store, ctx := NewComplaints(newStore(t)), context.Background()
	if sa, v, err := store.SelfAssessment(ctx, 2026); err != nil || sa != nil || v != 0 {
		t.Fatalf("none yet: %v %d %v", sa, v, err)
	}
	at := time.Date(2027, 5, 4, 10, 0, 0, 0, time.UTC)
	in := complaints.SelfAssessmentInput{Year: 2026, Sections: []complaints.SectionAssessment{{Section: "6.3", Complies: "no", Evidence: "20 WD", Actions: "New policy"}},
		OmbudsmanFindings: []complaints.OmbudsmanFinding{{Reference: "HOS-1", DecidedOn: "2027-02-01", Finding: "Late"}}}
	first, err := complaints.RecordSelfAssessment(in, nil, casefile.Actor{ID: "manager-b", Name: "B"}, at)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SaveSelfAssessment(ctx, first, 0); err != nil {
		t.Fatal(err)
	}
	got, v, err := store.SelfAssessment(ctx, 2026)
	if err != nil || v != 1 || got == nil || got.Sections[0].Actions != "New policy" || got.OmbudsmanFindings[0].Reference != "HOS-1" || got.RecordedBy.ID != "manager-b" || got.Year != 2026 {
		t.Fatalf("read back: %+v %d %v", got, v, err)
	}
	second, _ := complaints.RecordSelfAssessment(in, got, casefile.Actor{ID: "manager-c", Name: "C"}, at)
	if err := store.SaveSelfAssessment(ctx, second, 0); err == nil {
		t.Fatal("a recording from a stale read overwrote the stored one")
	}
	if err := store.SaveSelfAssessment(ctx, second, v); err != nil {
		t.Fatal(err)
	}
	if got, v, _ := store.SelfAssessment(ctx, 2026); v != 2 || got.Revision != 2 {
		t.Fatalf("second: %+v %d", got, v)
	}
}
