package staffweb

import (
	"net/http"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// CH-8: the queue's "Outstanding complaint actions" are the remedies and actions responses committed to and not
// yet done, overdue or due within the stated horizon, each with its complaint's page, what it is, its due date,
// its owner and whether it is overdue; only for the groups of the route that records one done.
func TestQueueShowsOutstandingComplaintActionsCH8(t *testing.T) {
	c := newConsole(t)
	today := workdays.DateOf(c.now)
	item := func(ref, id string, due workdays.Date, owner string) casefile.Deadline {
		return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: ref, Name: "item:" + id, Due: due, Rule: "CH-8", Owner: owner,
			Team: catalog.GroupComplaintsOfficer, Manager: catalog.GroupComplaintsManager, Audience: casefile.Officer, Label: "Deliver the remedy offered, " + id}
	}
	c.due.Open = []casefile.Deadline{item("CMP-AAAA-AAAA", "R1", today.AddDays(-2), "officer-b"), item("CMP-BBBB-BBBB", "A2", today.AddDays(10), ""),
		item("CMP-CCCC-CCCC", "A1", today.AddDays(60), "")}
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	q := c.do("GET", "/staff", nil)
	section, _, _ := strings.Cut(q.Body[strings.Index(q.Body, `id="outstanding-actions"`)+1:], `</table>`)
	for _, want := range []string{"due by 2026-12-22 (the next 4 weeks)", "Outstanding remedies and actions, earliest due first (2)",
		`<a class="govuk-link" href="/staff/complaints/CMP-AAAA-AAAA">CMP-AAAA-AAAA</a>`, "Remedy R1 (CH-8)", "officer-b", `govuk-tag--red">Overdue`,
		`href="/staff/complaints/CMP-BBBB-BBBB"`, "Action A2 (CH-8)", today.AddDays(10).String(), "complaints-officer", "Not due yet"} {
		if q.StatusCode != http.StatusOK || !strings.Contains(section, want) {
			t.Errorf("the outstanding actions (%d) lack %s", q.StatusCode, want)
		}
	}
	if strings.Contains(section, "CMP-CCCC-CCCC") {
		t.Error("an action due beyond the horizon is shown")
	}
	if strings.Index(section, "CMP-AAAA-AAAA") > strings.Index(section, "CMP-BBBB-BBBB") {
		t.Error("not the earliest due first")
	}
	c.signIn("officer-c", catalog.GroupASBOfficer)
	if q := c.do("GET", "/staff", nil); strings.Contains(q.Body, `id="outstanding-actions"`) {
		t.Error("an ASB officer sees the complaints' outstanding actions")
	}
}
