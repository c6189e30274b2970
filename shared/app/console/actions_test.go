package console

import (
	"context"
	"fmt"
	"testing"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// recordingDue is the deadlines index that remembers how far ahead it was read.
type recordingDue struct {
	due
	until []workdays.Date
}

func (r *recordingDue) DueBy(ctx context.Context, until workdays.Date) ([]casefile.Deadline, float64, error) {
	r.until = append(r.until, until)
	return r.due.DueBy(ctx, until)
}

// CH-8: the remedies and actions a response committed to and not yet done are their own section of the queue,
// overdue and due within OutstandingActionsWeeks, earliest first, read in the queue's one read of the deadlines
// index (further ahead, never a scan); other deadlines of the complaint, and other kinds' actions, are not among
// them, and the section is for those who ask (the transport: the completion route's groups).
func TestOutstandingComplaintActionsCH8(t *testing.T) {
	tue := workdays.MustParseDate("2026-11-24")
	item := func(ref, id string, due workdays.Date, owner string) casefile.Deadline {
		return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: ref, Name: "item:" + id, Due: due, Rule: "CH-8", Owner: owner,
			Team: catalog.GroupComplaintsOfficer, Manager: catalog.GroupComplaintsManager, Audience: casefile.Officer, Label: "Complete the agreed action " + id}
	}
	idx := &recordingDue{due: due{
		item("CMP-LATER", "A1", tue.AddDays(20), ""),
		item("CMP-OVERDUE", "R2", tue.AddDays(-3), "officer-b"),
		item("CMP-TODAY", "A1", tue, ""),
		item("CMP-BEYOND", "A1", tue.AddDays(7*OutstandingActionsWeeks+1), ""),
		{CaseKind: casefile.Complaint, CaseRef: "CMP-ACK", Name: "acknowledge", Due: tue, Rule: "CH-4", Team: catalog.GroupComplaintsOfficer, Audience: casefile.Officer},
		{CaseKind: casefile.ASB, CaseRef: "ASB-ACTION", Name: "item:A1", Due: tue, Rule: "ASB-8", Team: catalog.GroupASBOfficer, Audience: casefile.Officer},
	}}
	svc := Service{Deadlines: idx}
	by := casework.Staff{ID: "officer-a", Groups: []string{catalog.GroupComplaintsOfficer}}
	q, err := svc.Queue(context.Background(), QueueRequest{By: by, Today: tue, OutstandingActions: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range q.OutstandingActions {
		got = append(got, fmt.Sprintf("%s %s %s %v", a.CaseRef, a.Item, a.Kind, a.Overdue))
	}
	want := []string{"CMP-OVERDUE R2 remedy true", "CMP-TODAY A1 action false", "CMP-LATER A1 action false"}
	if fmt.Sprint(got) != fmt.Sprint(want) || q.OutstandingActionsTotal != 3 {
		t.Errorf("outstanding actions %v (total %d), want %v", got, q.OutstandingActionsTotal, want)
	}
	if horizon := tue.AddDays(28); q.OutstandingActionsUntil != horizon || len(idx.until) != 1 || idx.until[0] != horizon {
		t.Errorf("horizon %s, index read to %v: want one read to %s", q.OutstandingActionsUntil, idx.until, horizon)
	}
	if q.Empty() {
		t.Error("a queue with outstanding actions is empty")
	}
	// not asked for: no section, and the read stays this week's
	idx.until = nil
	plain, _ := svc.Queue(context.Background(), QueueRequest{By: by, Today: tue})
	if len(plain.OutstandingActions) != 0 || plain.OutstandingActionsTotal != 0 || idx.until[0] != workdays.MustParseDate("2026-11-29") {
		t.Errorf("not asked for: %v, read to %v", plain.OutstandingActions, idx.until)
	}
	// bounded: at most MaxPerSection shown, with the total
	var many due
	for i := 0; i < MaxPerSection+5; i++ {
		many = append(many, item(fmt.Sprintf("CMP-%04d", i), "A1", tue.AddDays(i%10), ""))
	}
	b, _ := Service{Deadlines: many}.Queue(context.Background(), QueueRequest{By: by, Today: tue, OutstandingActions: true})
	if len(b.OutstandingActions) != MaxPerSection || b.OutstandingActionsTotal != MaxPerSection+5 || b.OutstandingActions[0].Due != tue {
		t.Errorf("bounded section: %d shown of %d", len(b.OutstandingActions), b.OutstandingActionsTotal)
	}
}
