package staffweb

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Every search made from the find box and every report shown or downloaded is recorded (who, when, how, the
// references found by kind; which report, period and format), after its read and never with what was typed: no
// postcode, email address or phone appears in what is recorded. A refused search or period is not recorded, and
// an audit that cannot be written fails the page (as a case view's does).
func TestSearchesAndReportViewsAreRecordedWithoutTheSearchedText(t *testing.T) {
	c := newConsole(t)
	asbRef := c.withEverything() // located at NN1 1AA, reported by sam@example.org
	c.signIn("officer-a", catalog.GroupASBOfficer, catalog.GroupASBManager, catalog.GroupComplaintsOfficer, catalog.GroupAllocationsOfficer)

	// by the ASB case's location postcode: found and shown by kind
	r := c.do("GET", "/staff/find?reference=nn1+1aa", nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `href="/staff/asb/`+asbRef+`"`) || !strings.Contains(r.Body, "ASB cases (1)") ||
		!strings.Contains(r.Body, "Complaints (0)") || !strings.Contains(r.Body, "Housing register applications (0)") {
		t.Fatalf("find by the location's postcode: %d\n%s", r.StatusCode, r.Body)
	}
	for _, typed := range []string{"sam%40example.org", "07700+900123", "NN1+1DE", "cmp-aaaa-bbbb"} {
		if r := c.do("GET", "/staff/find?reference="+typed, nil); r.StatusCode != http.StatusOK && r.StatusCode != http.StatusFound && r.StatusCode != http.StatusSeeOther {
			t.Errorf("find %s: %d", typed, r.StatusCode)
		}
	}
	if r := c.do("GET", "/staff/find?reference=0770", nil); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a refused search: %d", r.StatusCode)
	}
	if len(c.audit.Searches) != 5 {
		t.Fatalf("%d searches recorded, want 5 (the refused one not): %+v", len(c.audit.Searches), c.audit.Searches)
	}
	var hows []string
	for _, s := range c.audit.Searches {
		hows = append(hows, s.How)
		if s.By.ID != "officer-a" || !s.At.Equal(c.now) {
			t.Errorf("who and when: %+v", s)
		}
	}
	if want := []string{"postcode", "email", "phone", "postcode", "reference"}; !slices.Equal(hows, want) {
		t.Errorf("how: %v, want %v", hows, want)
	}
	byLocation := c.audit.Searches[0].Found
	if len(byLocation) != 3 || byLocation[0].Kind != casefile.ASB || !slices.Equal(byLocation[0].Refs, []string{asbRef}) || len(byLocation[1].Refs) != 0 {
		t.Errorf("the location search's results: %+v", byLocation)
	}
	if email := c.audit.Searches[1].Found; len(email) != 3 || len(email[1].Refs) != 1 || len(email[2].Refs) != 2 {
		t.Errorf("the email search's results by kind: %+v", email)
	}
	if ref := c.audit.Searches[4].Found; len(ref) != 1 || ref[0].Kind != casefile.Complaint || ref[0].Refs[0] != "CMP-AAAA-BBBB" {
		t.Errorf("a reference opened: %+v", ref)
	}

	// the ASB report's page and its CSV, then a period the service refuses (not recorded), then the register's
	for _, path := range []string{"/staff/reports/asb?month=2026-11", "/staff/reports/asb?month=2026-11&format=csv", "/staff/reports/asb?month=2026-13",
		"/staff/reports/register"} {
		c.do("GET", path, nil)
	}
	want := []console.ReportView{{Report: "asb", Period: "2026-11", Format: "page"}, {Report: "asb", Period: "2026-11", Format: "csv"},
		{Report: "register", Period: "2026-11-24", Format: "page"}}
	if len(c.audit.Reports) != len(want) {
		t.Fatalf("report views: %+v", c.audit.Reports)
	}
	for i, w := range want {
		got := c.audit.Reports[i]
		if got.Report != w.Report || got.Period != w.Period || got.Format != w.Format || got.By.ID != "officer-a" || !got.At.Equal(c.now) {
			t.Errorf("report view %d: %+v, want %+v", i, got, w)
		}
	}

	raw, _ := json.Marshal(map[string]any{"searches": c.audit.Searches, "reports": c.audit.Reports})
	for _, typed := range []string{"NN1", "nn1", "sam@", "example.org", "07700", "7700900123", "900123"} {
		if strings.Contains(string(raw), typed) {
			t.Errorf("the audit holds what was typed (%q): %s", typed, raw)
		}
	}

	// the audit is not optional: the page fails when its record cannot be written, and shows nothing found
	c.audit.Fail = errors.New("audit down")
	if r := c.do("GET", "/staff/find?reference=nn1+1aa", nil); r.StatusCode < 500 || strings.Contains(r.Body, asbRef) {
		t.Errorf("find with the audit down: %d", r.StatusCode)
	}
	if r := c.do("GET", "/staff/reports/asb?month=2026-11&format=csv", nil); r.StatusCode < 500 {
		t.Errorf("a report with the audit down: %d", r.StatusCode)
	}
}
