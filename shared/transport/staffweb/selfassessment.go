package staffweb

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/web"
)

// The landlord's section of the complaints annual report (CH-10, source 004 §8.1, §8.2) as forms: the same
// SelfAssessmentInput as POST /reports/complaints/self-assessment (whose groups may open them) and the same
// complaintcases method, so the validation is the API's. The input is one record a year, replaced whole by each
// recording; the pages take it a part at a time (each chapter of the Code's self-assessment form, the qualitative
// analysis with the governing body's response, and the Ombudsman's findings and reports) and record the whole:
// what was recorded, with the part sent in its place. Each form carries the version it showed: a recording made
// since (another manager's) is a 409 and nothing is saved (RecordSelfAssessmentOver).
const selfAssessmentRoute = "POST /reports/complaints/self-assessment"

const selfAssessmentPath = "/staff/reports/complaints/self-assessment"

// The form's bounds: the API's (SelfAssessmentInput: 50 findings, 20 reports), and the form fields they make (a
// finding is 6 fields with its date's three, a report 5) besides the form's own few.
const (
	maxFindings = 50
	maxReports  = 20
	maxFormKeys = maxFindings*6 + maxReports*5 + 10
)

// Parts of the self-assessment pages besides the Code's chapters ("1" to "9").
const (
	partAnalysis  = "analysis"
	partOmbudsman = "ombudsman"
)

// codeChapters are the chapters of the Code's self-assessment form, in its order, each with its sections.
func codeChapters() (chapters []string, sections map[string][]string) {
	sections = map[string][]string{}
	for _, s := range complaints.CodeSections {
		ch, _, _ := strings.Cut(s, ".")
		if _, seen := sections[ch]; !seen {
			chapters = append(chapters, ch)
		}
		sections[ch] = append(sections[ch], s)
	}
	return chapters, sections
}

// sectionName is a Code section as a form field's name: 5.9 is s5-9 (no dot: it is an id the error summary
// links to).
func sectionName(section, field string) string {
	return "s" + strings.ReplaceAll(section, ".", "-") + "-" + field
}

// saText is a self-assessment form's catalog key.
func saText(key string) string { return "staff.selfAssessment." + key }

// saFields are a part's fields, and what each one's text names (the section or row: the catalog's %s).
func saFields(part string, findings, reports int) (fields []web.Field, subjects map[string]string) {
	subjects = map[string]string{}
	add := func(f web.Field, subject string) {
		fields = append(fields, f)
		subjects[f.Name] = subject
	}
	switch part {
	case partAnalysis:
		add(text("qualitativeAnalysis", saText("qualitativeAnalysis"), 10000, true), "")
		add(text("governingBodyResponse", saText("governingBodyResponse"), 5000, true), "")
	case partOmbudsman:
		for i := 1; i <= findings; i++ {
			n := strconv.Itoa(i)
			add(web.Field{Name: "finding-" + n + "-reference", Kind: web.Text, Key: saText("finding.reference"), MaxLength: 64, Width: "govuk-input--width-20"}, n)
			add(web.Field{Name: "finding-" + n + "-decidedOn", Kind: web.Date, Key: saText("finding.decidedOn")}, n)
			add(web.Field{Name: "finding-" + n + "-finding", Kind: web.TextArea, Key: saText("finding.finding"), MaxLength: 2000}, n)
			add(web.Field{Name: "finding-" + n + "-actionTaken", Kind: web.TextArea, Key: saText("finding.actionTaken"), MaxLength: 2000, Optional: true}, n)
		}
		for i := 1; i <= reports; i++ {
			n := strconv.Itoa(i)
			add(web.Field{Name: "report-" + n + "-title", Kind: web.Text, Key: saText("report.title"), MaxLength: 300}, n)
			add(web.Field{Name: "report-" + n + "-published", Kind: web.Date, Key: saText("report.published")}, n)
			add(web.Field{Name: "report-" + n + "-summary", Kind: web.TextArea, Key: saText("report.summary"), MaxLength: 2000}, n)
		}
	default:
		_, sections := codeChapters()
		for _, s := range sections[part] {
			add(web.Field{Name: sectionName(s, "complies"), Kind: web.Radios, Key: saText("complies"), Options: []string{"yes", "no"}}, s)
			add(web.Field{Name: sectionName(s, "evidence"), Kind: web.TextArea, Key: saText("evidence"), MaxLength: 5000}, s)
			add(web.Field{Name: sectionName(s, "actions"), Kind: web.TextArea, Key: saText("actions"), MaxLength: 2000, Optional: true}, s)
		}
	}
	return fields, subjects
}

// filled says whether any of a row's fields (by their names' prefix) has an answer.
func filled(v map[string][]string, prefix string, names ...string) bool {
	for _, n := range names {
		for _, x := range v[prefix+n] {
			if strings.TrimSpace(x) != "" {
				return true
			}
		}
	}
	return false
}

// withPart is what was recorded (in) with the part's answers in place of the part's: a chapter's sections
// answered (the others' kept, before them), the analysis and response, or the findings and reports filled in. It
// points the API's validation paths at the fields: sections[j] is the j-th of the list, findings and reports the
// rows filled in.
func withPart(in complaints.SelfAssessmentInput, part string, fields []web.Field, v map[string][]string) complaints.SelfAssessmentInput {
	paths := map[string][]string{}
	switch part {
	case partAnalysis:
		in.QualitativeAnalysis, in.GoverningBodyResponse = one(v, "qualitativeAnalysis"), one(v, "governingBodyResponse")
		paths["qualitativeAnalysis"], paths["governingBodyResponse"] = []string{"qualitativeAnalysis"}, []string{"governingBodyResponse"}
	case partOmbudsman:
		in.OmbudsmanFindings, in.OmbudsmanReports = []complaints.OmbudsmanFinding{}, []complaints.OmbudsmanReport{}
		for _, f := range fields {
			row, ok := strings.CutSuffix(f.Name, "-reference")
			if ok && filled(v, row+"-", "reference", "decidedOn-day", "decidedOn-month", "decidedOn-year", "finding", "actionTaken") {
				j := "ombudsmanFindings[" + strconv.Itoa(len(in.OmbudsmanFindings)) + "]."
				in.OmbudsmanFindings = append(in.OmbudsmanFindings, complaints.OmbudsmanFinding{Reference: one(v, row+"-reference"),
					DecidedOn: web.ISODate(v[row+"-decidedOn"]), Finding: one(v, row+"-finding"), ActionTook: one(v, row+"-actionTaken")})
				for _, part := range []string{"reference", "decidedOn", "finding", "actionTaken"} {
					paths[row+"-"+part] = []string{j + part}
				}
			}
			row, ok = strings.CutSuffix(f.Name, "-title")
			if ok && filled(v, row+"-", "title", "published-day", "published-month", "published-year", "summary") {
				j := "ombudsmanReports[" + strconv.Itoa(len(in.OmbudsmanReports)) + "]."
				in.OmbudsmanReports = append(in.OmbudsmanReports, complaints.OmbudsmanReport{Title: one(v, row+"-title"),
					Published: web.ISODate(v[row+"-published"]), Summary: one(v, row+"-summary")})
				for _, part := range []string{"title", "published", "summary"} {
					paths[row+"-"+part] = []string{j + part}
				}
			}
		}
	default:
		_, chapter := codeChapters()
		kept := []complaints.SectionAssessment{}
		for _, s := range in.Sections {
			if !slices.Contains(chapter[part], s.Section) {
				kept = append(kept, s)
			}
		}
		in.Sections = kept
		for _, s := range chapter[part] {
			if !filled(v, sectionName(s, ""), "complies", "evidence", "actions") {
				continue
			}
			j := "sections[" + strconv.Itoa(len(in.Sections)) + "]."
			in.Sections = append(in.Sections, complaints.SectionAssessment{Section: s, Complies: one(v, sectionName(s, "complies")),
				Evidence: one(v, sectionName(s, "evidence")), Actions: one(v, sectionName(s, "actions"))})
			for _, f := range []string{"complies", "evidence", "actions"} {
				paths[sectionName(s, f)] = append(paths[sectionName(s, f)], j+f)
			}
		}
	}
	for i := range fields {
		fields[i].Paths = paths[fields[i].Name]
	}
	return in
}

// recordedAnswers are what was recorded for the part, as the form's answers.
func recordedAnswers(sa *complaints.SelfAssessment, part string) map[string][]string {
	v := map[string][]string{}
	if sa == nil {
		return v
	}
	date := func(iso string) []string {
		if y, m, d, ok := splitISO(iso); ok {
			return []string{d, m, y}
		}
		return []string{"", "", ""}
	}
	switch part {
	case partAnalysis:
		v["qualitativeAnalysis"], v["governingBodyResponse"] = []string{sa.QualitativeAnalysis}, []string{sa.GoverningBodyResponse}
	case partOmbudsman:
		for i, f := range sa.OmbudsmanFindings {
			row := "finding-" + strconv.Itoa(i+1) + "-"
			v[row+"reference"], v[row+"decidedOn"], v[row+"finding"], v[row+"actionTaken"] = []string{f.Reference}, date(f.DecidedOn), []string{f.Finding}, []string{f.ActionTook}
		}
		for i, r := range sa.OmbudsmanReports {
			row := "report-" + strconv.Itoa(i+1) + "-"
			v[row+"title"], v[row+"published"], v[row+"summary"] = []string{r.Title}, date(r.Published), []string{r.Summary}
		}
	default:
		for _, s := range sa.Sections {
			v[sectionName(s.Section, "complies")], v[sectionName(s.Section, "evidence")], v[sectionName(s.Section, "actions")] =
				[]string{s.Complies}, []string{s.Evidence}, []string{s.Actions}
		}
	}
	return v
}

// splitISO is a YYYY-MM-DD date's parts as the date fields show them (no leading zeros).
func splitISO(iso string) (y, m, d string, ok bool) {
	parts := strings.Split(iso, "-")
	if len(parts) != 3 {
		return "", "", "", false
	}
	trim := func(s string) string {
		if n, err := strconv.Atoi(s); err == nil {
			return strconv.Itoa(n)
		}
		return s
	}
	return parts[0], trim(parts[1]), trim(parts[2]), true
}

// saPart is one part of the self-assessment as the overview lists it: its page, title and how far it is filled.
type saPart struct {
	Part, Title, Status string
}

// saView is the self-assessment pages' data.
type saView struct {
	Year      int
	YearLabel string
	Part      string // "" for the overview
	Path      string // this page, with its year and part
	Version   int
	Recorded  *complaints.SelfAssessment
	Parts     []saPart
	Findings  int // rows of the Ombudsman page
	Reports   int
	RuleError string
	Conflict  bool
	Report    string // the report page of the year
	Intro     string // the part's introduction (catalog key)
	// Groups, Rows and AddAfter lay the part's fields out, by field name: a heading before a group (findings,
	// reports) or a row (a section of the Code, a finding, a report), and an "add another" button after a group.
	Groups   map[string]*saGroup
	Rows     map[string]string
	AddAfter map[string]*saGroup
}

// saGroup is a heading of the form, or an "add another" button (Value is what it adds).
type saGroup struct{ ID, Text, Value string }

// layout says where the part's headings and "add another" buttons go.
func (v *saView) layout(r *web.Request, fields []web.Field, subjects map[string]string) {
	v.Intro = saText("chapter.intro")
	if v.Part == partAnalysis || v.Part == partOmbudsman {
		v.Intro = saText(v.Part + ".intro")
	}
	v.Groups, v.Rows, v.AddAfter = map[string]*saGroup{}, map[string]string{}, map[string]*saGroup{}
	lastFinding, lastReport := "", ""
	for _, f := range fields {
		switch {
		case strings.HasSuffix(f.Name, "-complies"):
			v.Rows[f.Name] = r.T(saText("section.heading"), subjects[f.Name])
		case strings.HasSuffix(f.Name, "-reference"):
			if subjects[f.Name] == "1" {
				v.Groups[f.Name] = &saGroup{ID: "findings", Text: r.T(saText("findings"))}
			}
			v.Rows[f.Name] = r.T(saText("finding.heading"), subjects[f.Name])
		case strings.HasSuffix(f.Name, "-title"):
			if subjects[f.Name] == "1" {
				v.Groups[f.Name] = &saGroup{ID: "reports", Text: r.T(saText("reports"))}
			}
			v.Rows[f.Name] = r.T(saText("report.heading"), subjects[f.Name])
		}
		if strings.HasPrefix(f.Name, "finding-") {
			lastFinding = f.Name
		}
		if strings.HasPrefix(f.Name, "report-") {
			lastReport = f.Name
		}
	}
	if lastFinding != "" && v.Findings < maxFindings {
		v.AddAfter[lastFinding] = &saGroup{Text: r.T(saText("addFinding")), Value: "finding"}
	}
	if lastReport != "" && v.Reports < maxReports {
		v.AddAfter[lastReport] = &saGroup{Text: r.T(saText("addReport")), Value: "report"}
	}
}

// selfAssessment is the landlord's section of a year's annual report: the overview of its parts (GET without a
// part) and each part's form (GET shows what was recorded, POST records the whole with the part sent). After
// saving, the officer is on the report page, which shows the section as recorded.
func (p *Pages) selfAssessment(ctx context.Context, r *web.Request, o Officer) (web.Response, error) {
	year := complaints.FinancialYearOf(r.Now())
	if typed, asked := r.Event.QueryStringParameters["year"]; asked {
		y, err := strconv.Atoi(cut(typed, 20))
		if err != nil {
			y = 0 // the service names the field, as for the JSON route
		}
		year = y
	}
	part := r.Query("part")
	chapters, _ := codeChapters()
	if part != "" && part != partAnalysis && part != partOmbudsman && !slices.Contains(chapters, part) {
		return web.Response{}, web.NotFound()
	}
	if part == "" && r.Form != nil {
		return web.Response{}, web.NotFound() // the overview has no form
	}
	recorded, version, err := p.Complaints.SelfAssessmentAt(ctx, complaintcases.Report{By: o.Staff(), Year: year})
	if err != nil {
		return web.Response{}, err
	}
	v := saView{Year: year, YearLabel: strconv.Itoa(year) + "-" + strconv.Itoa((year+1)%100 + 100)[1:], Part: part, Version: version, Recorded: recorded,
		Report: "/staff/reports/complaints?" + url.Values{"year": {strconv.Itoa(year)}}.Encode()}
	v.Path = selfAssessmentPath + "?" + url.Values{"year": {strconv.Itoa(year)}, "part": {part}}.Encode()
	if part == "" {
		v.Parts = saParts(r, recorded)
		return p.render(r, o, http.StatusOK, "self-assessment", "staff.selfAssessment.title", web.Form{}, v)
	}
	answers := recordedAnswers(recorded, part)
	v.Findings, v.Reports = 1, 1
	if recorded != nil {
		v.Findings, v.Reports = min(len(recorded.OmbudsmanFindings)+1, maxFindings), min(len(recorded.OmbudsmanReports)+1, maxReports)
	}
	var runErr error
	add := ""
	if r.Form != nil {
		if v.Version, err = strconv.Atoi(r.Form.Get("version")); err != nil || v.Version < 0 {
			return web.Response{}, apperr.New(apperr.Invalid, "The form could not be read.")
		}
		v.Findings, v.Reports = rowCount(r.Form.Get("findings"), maxFindings), rowCount(r.Form.Get("reports"), maxReports)
		switch add = r.Form.Get("add"); add { // "add another": the same page with one more empty row, nothing saved
		case "finding":
			v.Findings = min(v.Findings+1, maxFindings)
		case "report":
			v.Reports = min(v.Reports+1, maxReports)
		}
	}
	fields, subjects := saFields(part, v.Findings, v.Reports)
	if r.Form != nil {
		answers = map[string][]string{}
		web.Store(answers, fields, r.Form)
	}
	if r.Form != nil && add == "" {
		in := complaints.SelfAssessmentInput{Year: year}
		if recorded != nil {
			in = recorded.SelfAssessmentInput
		}
		in = withPart(in, part, fields, answers)
		_, runErr = p.Complaints.RecordSelfAssessmentOver(ctx, complaintcases.RecordSelfAssessment{By: o.Staff(), At: r.Now(), Input: in}, v.Version)
		if runErr == nil {
			_ = r.Session().Keep(keptFlash, r.T("staff.selfAssessment.saved", r.T(partTitle(part)), v.YearLabel))
			return web.Redirect(v.Report + "#self-assessment")
		}
		if code := apperr.CodeOf(runErr); code == apperr.Internal || code == apperr.NotFound || code == apperr.Forbidden {
			return web.Response{}, runErr
		}
		v.Conflict = apperr.CodeOf(runErr) == apperr.Conflict
		if e, ok := apperr.As(runErr); ok {
			for i := range e.Fields {
				if e.Fields[i].Field == "sections" { // nothing answered in any chapter yet
					e.Fields[i].Message = r.T(saText("sectionsRequired"))
				}
			}
		}
	}
	form := web.BuildForm(r, fields, answers, runErr)
	for i := range form.Fields {
		f := &form.Fields[i]
		f.Heading = false
		if s := subjects[f.Name]; s != "" {
			f.Label, f.Error = strings.Replace(f.Label, "%s", s, 1), strings.Replace(f.Error, "%s", s, 1)
		}
	}
	ruleError, status := summarise(&form, runErr)
	v.RuleError = ruleError
	if v.Conflict {
		status = http.StatusConflict
	}
	v.layout(r, fields, subjects)
	pg := r.Page(partTitle(part), form, view{Officer: o, Data: v})
	return r.RenderPage(status, "self-assessment", pg)
}

// rowCount is a posted number of rows, between 1 and max.
func rowCount(s string, max int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, max)
}

// partTitle is the catalog key of a part's title.
func partTitle(part string) string {
	switch part {
	case partAnalysis, partOmbudsman:
		return saText(part + ".title")
	}
	return saText("chapter." + part)
}

// saParts are the overview's parts with how far each is filled in.
func saParts(r *web.Request, sa *complaints.SelfAssessment) []saPart {
	chapters, sections := codeChapters()
	answered := map[string]bool{}
	in := complaints.SelfAssessmentInput{}
	if sa != nil {
		in = sa.SelfAssessmentInput
		for _, s := range sa.Sections {
			answered[s.Section] = true
		}
	}
	var out []saPart
	for _, ch := range chapters {
		n := 0
		for _, s := range sections[ch] {
			if answered[s] {
				n++
			}
		}
		out = append(out, saPart{Part: ch, Title: r.T(partTitle(ch)), Status: r.T(saText("answered"), n, len(sections[ch]))})
	}
	analysis := r.T(saText("notRecorded"))
	if in.QualitativeAnalysis != "" || in.GoverningBodyResponse != "" {
		analysis = r.T(saText("recorded"))
	}
	return append(out, saPart{Part: partAnalysis, Title: r.T(partTitle(partAnalysis)), Status: analysis},
		saPart{Part: partOmbudsman, Title: r.T(partTitle(partOmbudsman)),
			Status: r.T(saText("ombudsmanCounts"), len(in.OmbudsmanFindings), len(in.OmbudsmanReports))})
}
