package complaints

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// The annual report's section the landlord fills in (CH-10; source 004 §8.1).
//
// RULES.md and source 004 disagree here, and the source wins: CH-10 lists the report's figures (volumes,
// categories and outcomes by stage, CH01, CH02, refusals and why, learning and improvements), while source §8.1
// also requires (1) the annual self-assessment against the Code, (2) a qualitative analysis besides the figures,
// (3) any findings of non-compliance with the Code by the Ombudsman, (5) any annual report about the landlord's
// performance from the Ombudsman and (6) any other relevant Ombudsman reports or publications; §8.2 adds the
// governing body's response, published alongside. None of these can be computed from the complaints: a complaints
// manager records them for the financial year (RecordSelfAssessment), and the report says plainly when they have
// not been recorded.

// CodeSections are the requirements of the Complaint Handling Code the self-assessment answers, in the order of
// the self-assessment form in source 004. The form has no 6.18 (it goes from 6.17 to 6.19), so neither does this
// list: the source wins over the Code's own numbering.
var CodeSections = []string{
	"1.2", "1.3", "1.4", "1.5", "1.6",
	"2.1", "2.2", "2.3", "2.4", "2.5",
	"3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7",
	"4.1", "4.2", "4.3",
	"5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.7", "5.8", "5.9", "5.10", "5.11", "5.12", "5.13", "5.14", "5.15",
	"6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12", "6.13", "6.14", "6.15",
	"6.16", "6.17", "6.19", "6.20",
	"7.1", "7.2", "7.3", "7.4",
	"8.1", "8.2", "8.3", "8.4", "8.5",
	"9.1", "9.2", "9.3", "9.4", "9.5", "9.6", "9.7", "9.8",
}

// Self-assessment statuses, as the report shows them.
const (
	AssessmentNotRecorded = "not-recorded" // nothing recorded for the year yet
	AssessmentIncomplete  = "incomplete"   // some of the Code's sections are not answered yet
	AssessmentComplete    = "complete"     // every section answered
)

// SectionAssessment is one row of the self-assessment form: the Code section, whether the landlord complies, and
// the evidence, commentary and any explanations (source 004 §8.1.1: "evidence should be included to support all
// statements"); where it does not comply, what will bring it into line.
type SectionAssessment struct {
	Section  string `json:"section" dynamodbav:"section" validate:"required,max=5"`                         // e.g. "5.9"
	Complies string `json:"complies" dynamodbav:"complies" validate:"required,oneof=yes no"`                // the form's "Comply: Yes or no"
	Evidence string `json:"evidence" dynamodbav:"evidence" validate:"required,max=5000"`                    // evidence, commentary and any explanations
	Actions  string `json:"actions,omitempty" dynamodbav:"actions,omitempty" validate:"omitempty,max=2000"` // improvements planned; required when it does not comply
}

// OmbudsmanFinding is a finding of non-compliance with the Code (or of maladministration) by the Housing
// Ombudsman about the landlord (source 004 §8.1.3, §9.7.3), and what the landlord did about it.
type OmbudsmanFinding struct {
	Reference  string `json:"reference" dynamodbav:"reference" validate:"required,max=64"` // the Ombudsman's case reference
	DecidedOn  string `json:"decidedOn" dynamodbav:"decidedOn" validate:"required,date"`   // YYYY-MM-DD
	Finding    string `json:"finding" dynamodbav:"finding" validate:"required,max=2000"`
	ActionTook string `json:"actionTaken,omitempty" dynamodbav:"actionTaken,omitempty" validate:"omitempty,max=2000"`
}

// OmbudsmanReport is a report or publication of the Housing Ombudsman about the landlord: its annual report on
// the landlord's performance (source 004 §8.1.5) or any other relevant one (§8.1.6).
type OmbudsmanReport struct {
	Title     string `json:"title" dynamodbav:"title" validate:"required,max=300"`
	Published string `json:"published" dynamodbav:"published" validate:"required,date"` // YYYY-MM-DD
	Summary   string `json:"summary" dynamodbav:"summary" validate:"required,max=2000"`
}

// SelfAssessmentInput is what a complaints manager records for a financial year (POST
// /reports/complaints/self-assessment). Each recording replaces the previous one for that year; sections left out
// are reported as not yet answered.
type SelfAssessmentInput struct {
	Year     int                 `json:"financialYear" dynamodbav:"financialYear" validate:"required,gte=2000,lte=2100"` // the year of the April it starts in
	Sections []SectionAssessment `json:"sections" dynamodbav:"sections" validate:"required,min=1,max=80,dive"`
	// QualitativeAnalysis is the landlord's reading of its complaint handling that the figures cannot give (source
	// 004 §8.1.2).
	QualitativeAnalysis string             `json:"qualitativeAnalysis,omitempty" dynamodbav:"qualitativeAnalysis,omitempty" validate:"omitempty,max=10000"`
	OmbudsmanFindings   []OmbudsmanFinding `json:"ombudsmanFindings,omitempty" dynamodbav:"ombudsmanFindings,omitempty" validate:"max=50,dive"`
	OmbudsmanReports    []OmbudsmanReport  `json:"ombudsmanReports,omitempty" dynamodbav:"ombudsmanReports,omitempty" validate:"max=20,dive"`
	// GoverningBodyResponse is the governing body's response to the report, published alongside it (source 004 §8.2).
	GoverningBodyResponse string `json:"governingBodyResponse,omitempty" dynamodbav:"governingBodyResponse,omitempty" validate:"omitempty,max=5000"`
}

// SelfAssessment is the recorded section, with who recorded it and when.
type SelfAssessment struct {
	SelfAssessmentInput
	RecordedAt time.Time      `json:"recordedAt" dynamodbav:"recordedAt"`
	RecordedBy casefile.Actor `json:"recordedBy" dynamodbav:"recordedBy"`
	Revision   int            `json:"revision" dynamodbav:"revision"` // 1 the first time, then once more per recording
}

// Validate lists every problem with the input, recorded at at: sections must be the form's, each once; a section
// that does not comply says what will bring it into line; the year cannot have not started yet; the Ombudsman's
// dates cannot be in the future.
func (in SelfAssessmentInput) Validate(at time.Time) error {
	f := validate.Struct(in)
	if in.Year > FinancialYearOf(at) {
		f.Add("financialYear", "cannot be a financial year that has not started")
	}
	seen := map[string]bool{}
	for i, s := range in.Sections {
		path := "sections[" + strconv.Itoa(i) + "]"
		switch sec := strings.TrimSpace(s.Section); {
		case sec == "":
		case !slices.Contains(CodeSections, sec):
			f.Add(path+".section", "is not a section of the Code's self-assessment form (source 004), e.g. 5.9")
		case seen[sec]:
			f.Add(path+".section", "is answered twice")
		default:
			seen[sec] = true
		}
		if strings.TrimSpace(s.Evidence) == "" && s.Evidence != "" {
			f.Add(path+".evidence", "is required")
		}
		if s.Complies == "no" && strings.TrimSpace(s.Actions) == "" {
			f.Add(path+".actions", "is required when the landlord does not comply: say what will bring it into line (source 004 §8.1.1)")
		}
	}
	today := workdays.DateOf(at)
	for i, o := range in.OmbudsmanFindings {
		if d, err := workdays.ParseDate(o.DecidedOn); err == nil && d.After(today) {
			f.Add("ombudsmanFindings["+strconv.Itoa(i)+"].decidedOn", "cannot be in the future")
		}
	}
	for i, o := range in.OmbudsmanReports {
		if d, err := workdays.ParseDate(o.Published); err == nil && d.After(today) {
			f.Add("ombudsmanReports["+strconv.Itoa(i)+"].published", "cannot be in the future")
		}
	}
	return f.Err()
}

// RecordSelfAssessment is the year's self-assessment as recorded at at by by, replacing previous (nil the first
// time): sections in the form's order, trimmed (source 004 §8.1.1, §8.1.2, §8.1.3, §8.1.5, §8.1.6, §8.2).
func RecordSelfAssessment(in SelfAssessmentInput, previous *SelfAssessment, by casefile.Actor, at time.Time) (SelfAssessment, error) {
	if err := in.Validate(at); err != nil {
		return SelfAssessment{}, err
	}
	if previous != nil && previous.Year != in.Year {
		return SelfAssessment{}, fmt.Errorf("self-assessment of %d replacing %d's", in.Year, previous.Year)
	}
	sections := make([]SectionAssessment, len(in.Sections))
	for i, s := range in.Sections {
		s.Section, s.Evidence, s.Actions = strings.TrimSpace(s.Section), strings.TrimSpace(s.Evidence), strings.TrimSpace(s.Actions)
		sections[i] = s
	}
	slices.SortFunc(sections, func(a, b SectionAssessment) int {
		return slices.Index(CodeSections, a.Section) - slices.Index(CodeSections, b.Section)
	})
	in.Sections = sections
	in.QualitativeAnalysis, in.GoverningBodyResponse = strings.TrimSpace(in.QualitativeAnalysis), strings.TrimSpace(in.GoverningBodyResponse)
	sa := SelfAssessment{SelfAssessmentInput: in, RecordedAt: at.UTC(), RecordedBy: by, Revision: 1}
	if previous != nil {
		sa.Revision = previous.Revision + 1
	}
	return sa, nil
}

// SelfAssessmentSection is the landlord's section of the annual report as the report shows it (source 004 §8.1.1,
// §8.1.2, §8.1.3, §8.1.5, §8.1.6, §8.2): what was recorded, which of the Code's sections are still to be answered
// and which the landlord does not comply with, and a note that says plainly what is missing.
type SelfAssessmentSection struct {
	FinancialYear         string              `json:"financialYear"`
	Status                string              `json:"status"` // not-recorded | incomplete | complete
	Note                  string              `json:"note"`
	Sections              []SectionAssessment `json:"sections"`
	MissingSections       []string            `json:"missingSections"`
	NotComplying          []string            `json:"notComplying"`
	QualitativeAnalysis   string              `json:"qualitativeAnalysis,omitempty"`
	OmbudsmanFindings     []OmbudsmanFinding  `json:"ombudsmanFindings"`
	OmbudsmanReports      []OmbudsmanReport   `json:"ombudsmanReports"`
	GoverningBodyResponse string              `json:"governingBodyResponse,omitempty"`
	RecordedAt            *time.Time          `json:"recordedAt,omitempty"`
	RecordedBy            string              `json:"recordedBy,omitempty"` // the staff name
	Revision              int                 `json:"revision"`
	Rules                 []string            `json:"rules"`
}

// SectionOf is the landlord's section of the report of the financial year starting in April of year, from what was
// recorded (nil: nothing yet).
func SectionOf(year int, sa *SelfAssessment) SelfAssessmentSection {
	s := SelfAssessmentSection{FinancialYear: yearLabel(year), Sections: []SectionAssessment{}, MissingSections: []string{}, NotComplying: []string{},
		OmbudsmanFindings: []OmbudsmanFinding{}, OmbudsmanReports: []OmbudsmanReport{}, Rules: []string{"CH-10", "Code 8.1", "Code 8.2"}}
	if sa == nil {
		s.Status, s.MissingSections = AssessmentNotRecorded, append(s.MissingSections, CodeSections...)
		s.Note = "Not yet filled in: the landlord has not recorded its self-assessment against the Complaint Handling Code for " + s.FinancialYear +
			", nor the Ombudsman's findings and reports (source 004 §8.1). A complaints manager records them with POST /reports/complaints/self-assessment."
		return s
	}
	answered := map[string]bool{}
	for _, sec := range sa.Sections {
		answered[sec.Section] = true
		if sec.Complies == "no" {
			s.NotComplying = append(s.NotComplying, sec.Section)
		}
	}
	for _, sec := range CodeSections {
		if !answered[sec] {
			s.MissingSections = append(s.MissingSections, sec)
		}
	}
	at := sa.RecordedAt
	s.Sections, s.QualitativeAnalysis, s.GoverningBodyResponse = append(s.Sections, sa.Sections...), sa.QualitativeAnalysis, sa.GoverningBodyResponse
	s.OmbudsmanFindings, s.OmbudsmanReports = append(s.OmbudsmanFindings, sa.OmbudsmanFindings...), append(s.OmbudsmanReports, sa.OmbudsmanReports...)
	s.RecordedAt, s.RecordedBy, s.Revision = &at, sa.RecordedBy.Name, sa.Revision
	s.Status, s.Note = AssessmentComplete, fmt.Sprintf("Self-assessment recorded on %s (revision %d).", longDate(workdays.DateOf(at)), sa.Revision)
	if n := len(s.MissingSections); n > 0 {
		s.Status = AssessmentIncomplete
		s.Note = fmt.Sprintf("Not complete: %d of the Code's %d sections are not answered yet (%s). ", n, len(CodeSections), strings.Join(s.MissingSections, ", ")) + s.Note
	}
	if len(sa.OmbudsmanFindings) == 0 {
		s.Note += " No finding of non-compliance by the Ombudsman was recorded (source 004 §8.1.3)."
	}
	return s
}

func yearLabel(year int) string { return fmt.Sprintf("%d-%02d", year, (year+1)%100) }
