package staffweb

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

// saMemory keeps the annual report's self-assessments with their versions, as the DynamoDB adapter does (one item
// a year; a write at another version than the one read is a 409).
type saMemory struct {
	mu     sync.Mutex
	byYear map[int]complaints.SelfAssessment
	ver    map[int]int
}

func (m *saMemory) SelfAssessment(_ context.Context, year int) (*complaints.SelfAssessment, int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sa, ok := m.byYear[year]
	if !ok {
		return nil, 0, nil
	}
	return &sa, m.ver[year], nil
}

func (m *saMemory) SaveSelfAssessment(_ context.Context, sa complaints.SelfAssessment, readVersion int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byYear == nil {
		m.byYear, m.ver = map[int]complaints.SelfAssessment{}, map[int]int{}
	}
	if m.ver[sa.Year] != readVersion {
		return apperr.New(apperr.Conflict, "stale")
	}
	m.byYear[sa.Year], m.ver[sa.Year] = sa, readVersion+1
	return nil
}

var versionInput = regexp.MustCompile(`name="version" value="(\d+)"`)

// saPost sends a part of the 2026-27 self-assessment from the page as it was shown (its version), with answers.
func (c *console_) saPost(part, shown string, answers url.Values) (int, string, string) {
	c.t.Helper()
	m := versionInput.FindStringSubmatch(shown)
	if m == nil {
		c.t.Fatalf("no version on the %s form", part)
	}
	answers.Set("version", m[1])
	r := c.do("POST", selfAssessmentPath+"?year=2026&part="+part, answers)
	return r.StatusCode, r.Body, r.Headers["Location"]
}

// The landlord's section of the complaints annual report (CH-10, source 004 §8.1, §8.2) as forms for the groups of
// POST /reports/complaints/self-assessment: a chapter's sections with the API's validation at their fields (a
// section that does not comply says what will bring it into line, §8.1.1; a compliance chosen for each answer),
// saved to the report page, which shows the section as recorded; the Ombudsman's findings with "add another" (no
// JavaScript) and the API's date rule; each part saved over the others; and a form opened before another manager's
// recording is a 409 that saves nothing.
func TestSelfAssessmentFormsCH10(t *testing.T) {
	c := newConsole(t)
	c.withEverything()
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	if r := c.do("GET", selfAssessmentPath+"?year=2026", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("a complaints officer opens the self-assessment: %d", r.StatusCode)
	}
	c.signIn("manager-c", catalog.GroupComplaintsManager)
	report := c.do("GET", "/staff/reports/complaints?year=2026", nil)
	if !strings.Contains(report.Body, `href="`+selfAssessmentPath+`?year=2026"`) {
		t.Fatalf("no link to the self-assessment on the report: %d", report.StatusCode)
	}
	overview := c.do("GET", selfAssessmentPath+"?year=2026", nil)
	if overview.StatusCode != http.StatusOK || !strings.Contains(overview.Body, "0 of 15 sections answered") || !strings.Contains(overview.Body, "part=ombudsman") {
		t.Fatalf("overview: %d", overview.StatusCode)
	}
	ch5 := c.do("GET", selfAssessmentPath+"?year=2026&part=5", nil)
	for _, want := range []string{`id="s5-9-complies"`, `name="s5-9-evidence"`, `data-module="govuk-character-count" data-maxlength="5000"`, `id="s5-9-evidence-info"`} {
		if !strings.Contains(ch5.Body, want) {
			t.Errorf("chapter 5 lacks %s", want)
		}
	}
	// 5.9 does not comply and says nothing of what will bring it into line; 5.1 has evidence but no answer
	answers := url.Values{"s5-9-complies": {"no"}, "s5-9-evidence": {"Residents are not told how often they will hear from us."},
		"s5-1-evidence": {"Our policy names the Code."}}
	status, page, _ := c.saPost("5", ch5.Body, answers)
	for _, want := range []string{`<a href="#s5-9-actions">What will bring it into line with section 5.9 is required when the landlord does not comply: say what will bring it into line (source 004 §8.1.1)</a>`,
		`<a href="#s5-1-complies">Select whether the landlord complies with section 5.1</a>`, `id="s5-9-actions-error"`} {
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
			t.Errorf("chapter 5 with errors (%d) lacks %s", status, want)
		}
	}
	if sa, _, _ := c.cmp.saMemory.SelfAssessment(context.Background(), 2026); sa != nil {
		t.Fatal("a form with errors was recorded")
	}
	answers.Set("s5-9-actions", "Agree an update interval with every resident from January.")
	answers.Set("s5-1-complies", "yes")
	status, _, to := c.saPost("5", ch5.Body, answers)
	if status != http.StatusSeeOther || to != "/staff/reports/complaints?year=2026#self-assessment" {
		t.Fatalf("saving chapter 5: %d %s", status, to)
	}
	shown := c.do("GET", "/staff/reports/complaints?year=2026", nil).Body
	for _, want := range []string{`id="self-assessment"`, "Agree an update interval with every resident from January.", "Sections the landlord does not comply with: 5.9",
		"Chapter 5: the complaint handling process saved"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	// the Ombudsman's findings: one more row without JavaScript, then the API's date rule at the row's field
	omb := c.do("GET", selfAssessmentPath+"?year=2026&part=ombudsman", nil)
	status, more, _ := c.saPost("ombudsman", omb.Body, url.Values{"add": {"finding"}, "findings": {"1"}, "reports": {"1"},
		"finding-1-reference": {"202412345"}})
	if status != http.StatusOK || !strings.Contains(more, `id="finding-2-reference"`) || !strings.Contains(more, `value="202412345"`) {
		t.Fatalf("add another finding: %d", status)
	}
	finding := url.Values{"findings": {"2"}, "reports": {"1"}, "finding-1-reference": {"202412345"}, "finding-1-decidedOn-day": {"1"},
		"finding-1-decidedOn-month": {"12"}, "finding-1-decidedOn-year": {"2026"}, "finding-1-finding": {"Maladministration in complaint handling."}}
	status, page, _ = c.saPost("ombudsman", more, finding)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, `<a href="#finding-1-decidedOn-day">Finding 1: the day the Ombudsman decided cannot be in the future</a>`) {
		t.Errorf("a finding decided tomorrow: %d", status)
	}
	finding.Set("finding-1-decidedOn-month", "10")
	if status, _, _ = c.saPost("ombudsman", more, finding); status != http.StatusSeeOther {
		t.Fatalf("saving the finding: %d", status)
	}
	sa, version, _ := c.cmp.saMemory.SelfAssessment(context.Background(), 2026)
	if len(sa.Sections) != 2 || len(sa.OmbudsmanFindings) != 1 || sa.OmbudsmanFindings[0].DecidedOn != "2026-10-01" || sa.Revision != 2 || version != 2 {
		t.Fatalf("recorded %+v (version %d)", sa, version)
	}
	// a form opened before another manager's recording: 409, nothing saved, and the way to see theirs
	analysis := c.do("GET", selfAssessmentPath+"?year=2026&part=analysis", nil)
	other := sa.SelfAssessmentInput
	other.GoverningBodyResponse = "The board accepts the report."
	svc := complaintcases.Service{Store: reportComplaints{c.cmp}}
	if _, err := svc.RecordSelfAssessment(context.Background(), complaintcases.RecordSelfAssessment{By: casework.Staff{ID: "manager-d", Groups: []string{catalog.GroupComplaintsManager}},
		At: c.now, Input: other}); err != nil {
		t.Fatal(err)
	}
	status, page, _ = c.saPost("analysis", analysis.Body, url.Values{"qualitativeAnalysis": {"Most complaints are about repairs."}})
	if status != http.StatusConflict || !strings.Contains(page, "was recorded again since this form was opened: nothing was saved") ||
		!strings.Contains(page, `href="`+selfAssessmentPath+`?part=analysis&amp;year=2026"`) || !strings.Contains(page, "Most complaints are about repairs.") {
		t.Errorf("a stale form: %d", status)
	}
	if sa, _, _ := c.cmp.saMemory.SelfAssessment(context.Background(), 2026); sa.QualitativeAnalysis != "" || sa.GoverningBodyResponse != "The board accepts the report." {
		t.Errorf("the stale form changed the record: %+v", sa)
	}
	// opened again, it shows the other manager's answer and saves over it
	analysis = c.do("GET", selfAssessmentPath+"?year=2026&part=analysis", nil)
	if !strings.Contains(analysis.Body, "The board accepts the report.") {
		t.Error("the analysis form does not show what was recorded")
	}
	if status, _, _ = c.saPost("analysis", analysis.Body, url.Values{"qualitativeAnalysis": {"Most complaints are about repairs."},
		"governingBodyResponse": {"The board accepts the report."}}); status != http.StatusSeeOther {
		t.Errorf("saving the analysis: %d", status)
	}
	if overview := c.do("GET", selfAssessmentPath+"?year=2026", nil); !strings.Contains(overview.Body, "2 of 15 sections answered") ||
		!strings.Contains(overview.Body, "Findings: 1. Reports: 0.") || !strings.Contains(overview.Body, "Revision 4") {
		t.Error("the overview does not count what was recorded")
	}
	for _, bad := range []string{"?year=2026&part=10", "?year=2026&part=x"} {
		if r := c.do("GET", selfAssessmentPath+bad, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, r.StatusCode)
		}
	}
}
