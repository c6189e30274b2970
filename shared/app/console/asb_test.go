package console

import (
	"context"
	"testing"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// asbList is the ASB list in a test: it answers the received cases and remembers what it was asked.
type asbList struct{ asked []asbcases.List }

func (l *asbList) List(_ context.Context, q asbcases.List) ([]asb.Summary, string, error) {
	l.asked = append(l.asked, q)
	return []asb.Summary{{Reference: "ASB-NEW1-0000", Status: asb.StatusReceived}}, "next", nil
}

// New ASB reports to acknowledge are one bounded page of the received list (ASB-4); case reviews (ASB-7) are the
// case-review deadlines, however far ahead within a review's period, and only when asked for: an officer who
// may not decide reviews reads the deadlines of this week alone.
func TestASBQueues(t *testing.T) {
	tue := workdays.MustParseDate("2026-11-24")
	review := casefile.Deadline{CaseKind: casefile.ASB, CaseRef: "ASB-REVW-0000", Name: "case-review", Due: workdays.AddWorkingDays(tue, asb.CaseReviewWorkingDays),
		Team: asb.Manager, Manager: asb.Manager, Audience: casefile.Officer, Rule: "ASB-7"}
	soon := casefile.Deadline{CaseKind: casefile.ASB, CaseRef: "ASB-REVW-1111", Name: "case-review", Due: tue.AddDays(1), Team: asb.Manager, Manager: asb.Manager, Audience: casefile.Officer}
	list := &asbList{}
	svc := Service{Deadlines: due{review, soon}, ASB: list}
	manager := casework.Staff{ID: "m", Groups: []string{catalog.GroupASBManager}}
	q, err := svc.Queue(context.Background(), QueueRequest{By: manager, Today: tue, NewASBReports: true, CaseReviews: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(q.CaseReviews) != 2 || q.CaseReviewsTotal != 2 || q.CaseReviews[0].CaseRef != "ASB-REVW-0000" {
		t.Errorf("case reviews %+v", q.CaseReviews)
	}
	if q.ThisWeek.TeamTotal != 1 { // the one due this week is also in the week's section; the later one is not
		t.Errorf("this week %+v", q.ThisWeek)
	}
	if len(q.NewASBReports) != 1 || !q.MoreNewASBReports || len(list.asked) != 1 || list.asked[0].Filter.Status != asb.StatusReceived ||
		list.asked[0].Limit != MaxNewReports || q.Empty() {
		t.Errorf("new reports %+v asked %+v", q.NewASBReports, list.asked)
	}
	officer := casework.Staff{ID: "o", Groups: []string{catalog.GroupASBOfficer, catalog.GroupASBManager}}
	q, _ = svc.Queue(context.Background(), QueueRequest{By: officer, Today: tue})
	if len(q.CaseReviews) != 0 || len(q.NewASBReports) != 0 || len(list.asked) != 1 {
		t.Errorf("queues not asked for: %+v %+v", q.CaseReviews, q.NewASBReports)
	}
}
