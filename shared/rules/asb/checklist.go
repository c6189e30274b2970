package asb

import (
	"fmt"
	"slices"
	"strings"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Checklist is the ASB-5 vulnerability check-list, answered with the reporter at the first meeting (source 003:
// "the first meeting between parties is more of a vulnerability check list"). Every question is answered yes or
// no (null is "not asked", a field problem): a check-list with gaps is not a risk assessment.
//
// The sources give the purpose, not a form: source 002 (Priority 2) asks us to identify "those at greatest risk",
// victims and witnesses who are "vulnerable or deemed to be at potential risk", repeat victimisation, the
// varying impact on the person, safeguarding, immediate threat to life or significant risk of harm, and the
// exploitation of children and vulnerable adults (county lines, cuckooing); ASB-4 names the high-risk grounds
// (victim vulnerable, threats of violence, a child at risk, the reporter feels unsafe); ASB-6 hate and
// safeguarding; source 003 "adjustments are made for language issues". The questions are those, as
// ChecklistQuestions words them.
type Checklist struct {
	Vulnerable          *bool `json:"vulnerable" dynamodbav:"vulnerable" validate:"required"`
	ThreatsOrViolence   *bool `json:"threatsOrViolence" dynamodbav:"threatsOrViolence" validate:"required"`
	FeelsUnsafe         *bool `json:"feelsUnsafe" dynamodbav:"feelsUnsafe" validate:"required"`
	ChildAtRisk         *bool `json:"childAtRisk" dynamodbav:"childAtRisk" validate:"required"`
	ImmediateRisk       *bool `json:"immediateRiskOfHarm" dynamodbav:"immediateRiskOfHarm" validate:"required"`
	Exploitation        *bool `json:"exploitation" dynamodbav:"exploitation" validate:"required"`
	RepeatVictim        *bool `json:"repeatVictim" dynamodbav:"repeatVictim" validate:"required"`
	HealthImpact        *bool `json:"healthImpact" dynamodbav:"healthImpact" validate:"required"`
	HateMotivated       *bool `json:"hateMotivated" dynamodbav:"hateMotivated" validate:"required"`
	ChildrenInHousehold *bool `json:"childrenInHousehold" dynamodbav:"childrenInHousehold" validate:"required"`
	LanguageSupport     *bool `json:"languageSupport" dynamodbav:"languageSupport" validate:"required"`
}

// Weight is what a yes to a question does to the risk level.
type Weight string

const (
	WeighsHigh   Weight = "high"   // one yes makes the risk high
	WeighsMedium Weight = "medium" // one yes makes it at least medium; HighRiskMediumAnswers of them make it high
	WeighsNone   Weight = "none"   // recorded for support and adjustments, not the level
)

// HighRiskMediumAnswers: this many "medium" yeses together make the risk high (the product's choice: the sources
// say the impact of ASB "can vary from person to person", so harms that add up are treated as a high risk).
const HighRiskMediumAnswers = 2

// Question is one question of the check-list: its JSON name, its wording, its weight and where it comes from.
type Question struct {
	Field  string `json:"field"`
	Text   string `json:"text"`
	Weight Weight `json:"weight"`
	Source string `json:"source"`
	answer func(*Checklist) **bool
}

// ChecklistQuestions are the check-list's questions in the order they are asked: the one source of truth for
// their wording and weight.
var ChecklistQuestions = []Question{
	{"vulnerable", "Is the reporter (or anyone in their household) vulnerable, e.g. through age, disability, illness or mental health?", WeighsHigh, "ASB-4; source 002 Priority 2", func(c *Checklist) **bool { return &c.Vulnerable }},
	{"threatsOrViolence", "Has there been violence, or threats of violence?", WeighsHigh, "ASB-4", func(c *Checklist) **bool { return &c.ThreatsOrViolence }},
	{"feelsUnsafe", "Does the reporter feel unsafe in their home?", WeighsHigh, "ASB-4", func(c *Checklist) **bool { return &c.FeelsUnsafe }},
	{"childAtRisk", "Is a child at risk of harm?", WeighsHigh, "ASB-4, ASB-6", func(c *Checklist) **bool { return &c.ChildAtRisk }},
	{"immediateRiskOfHarm", "Is there an immediate threat to life or a significant risk of harm?", WeighsHigh, "source 002 Priority 4 (temporary accommodation)", func(c *Checklist) **bool { return &c.ImmediateRisk }},
	{"exploitation", "Is anyone being exploited, e.g. their home taken over (cuckooing) or a child or vulnerable adult drawn into dealing?", WeighsHigh, "source 002 (county lines)", func(c *Checklist) **bool { return &c.Exploitation }},
	{"repeatVictim", "Has the reporter been targeted before (repeat victimisation)?", WeighsMedium, "source 002 Priority 2", func(c *Checklist) **bool { return &c.RepeatVictim }},
	{"healthImpact", "Is the behaviour affecting the reporter's physical or mental health?", WeighsMedium, "source 002 Priority 2 (impact varies from person to person)", func(c *Checklist) **bool { return &c.HealthImpact }},
	{"hateMotivated", "Does the reporter believe they are targeted because of who they are (hate)?", WeighsMedium, "ASB-6", func(c *Checklist) **bool { return &c.HateMotivated }},
	{"childrenInHousehold", "Do children live in the reporter's household?", WeighsMedium, "ASB-6 (safeguarding)", func(c *Checklist) **bool { return &c.ChildrenInHousehold }},
	{"languageSupport", "Does the reporter need an interpreter, translation or another format?", WeighsNone, "source 003 (adjustments for language)", func(c *Checklist) **bool { return &c.LanguageSupport }},
}

// RiskReviewWorkingDays is the longest interval, in working days, before a risk assessment is reviewed, by level
// (ASB-5: "reviewed at a frequency consistent with the degree of risk identified"; the sources give no numbers, so
// these are the product's choice: about a week, a fortnight and four weeks). A review falls on a working day.
var RiskReviewWorkingDays = map[string]int{RiskHigh: 5, RiskMedium: 10, RiskStandard: 20}

// RiskMedium is the level between standard and high, set only by the check-list or the officer (ASB-5).
const RiskMedium = "medium"

// riskOrder ranks the levels, lowest first.
var riskOrder = []string{RiskStandard, RiskMedium, RiskHigh}

// RiskDecision is what the check-list decides: the level, why, and when it is reviewed at the latest.
type RiskDecision struct {
	Level         string           `json:"level"`
	Reasons       decision.Reasons `json:"reasons"`
	ReviewBy      workdays.Date    `json:"reviewBy"`
	SupportNeeded []string         `json:"supportNeeded,omitempty"` // questions answered yes that call for support, not a level
}

// AssessChecklist decides the risk level from the check-list's answers (ASB-5), with a reason for each yes that
// counts, and the latest review date: RiskReviewWorkingDays after today, a working day. Unanswered questions count
// as no here; Validate refuses them before.
func AssessChecklist(cl Checklist, today workdays.Date) RiskDecision {
	var high, medium []string
	d := RiskDecision{Level: RiskStandard}
	for _, q := range ChecklistQuestions {
		if a := *q.answer(&cl); a == nil || !*a {
			continue
		}
		switch q.Weight {
		case WeighsHigh:
			high = append(high, q.Field)
		case WeighsMedium:
			medium = append(medium, q.Field)
		default:
			d.SupportNeeded = append(d.SupportNeeded, q.Field)
		}
	}
	switch {
	case len(high) > 0:
		d.Level = RiskHigh
		d.Reasons.Add("ASB-5", fmt.Sprintf("High risk: the check-list found %s (ASB-4 and ASB-5 high-risk grounds).", strings.Join(high, ", ")))
	case len(medium) >= HighRiskMediumAnswers:
		d.Level = RiskHigh
		d.Reasons.Add("ASB-5", fmt.Sprintf("High risk: %d harms add up (%s) (ASB-5).", len(medium), strings.Join(medium, ", ")))
	case len(medium) == 1:
		d.Level = RiskMedium
		d.Reasons.Add("ASB-5", fmt.Sprintf("Medium risk: the check-list found %s (ASB-5).", medium[0]))
	default:
		d.Reasons.Add("ASB-5", "Standard risk: the check-list found no vulnerability or harm (ASB-5).")
	}
	if len(high) > 0 && len(medium) > 0 {
		d.Reasons.Add("ASB-5", fmt.Sprintf("Also found: %s.", strings.Join(medium, ", ")))
	}
	if len(d.SupportNeeded) > 0 {
		d.Reasons.Add("ASB-5", fmt.Sprintf("Support to arrange: %s (source 003: adjustments for language).", strings.Join(d.SupportNeeded, ", ")))
	}
	d.ReviewBy = workdays.AddWorkingDays(today, RiskReviewWorkingDays[d.Level])
	d.Reasons.Add("ASB-5", fmt.Sprintf("%s risk is reviewed within %d working days, by %s at the latest.", d.Level, RiskReviewWorkingDays[d.Level], d.ReviewBy))
	return d
}

// riskAtLeast reports whether level a is at least level b.
func riskAtLeast(a, b string) bool { return slices.Index(riskOrder, a) >= slices.Index(riskOrder, b) }

// checkRiskInput lists the problems of a risk assessment made today beyond its tags: the officer's level may
// raise the check-list's, never lower it; a review date is a working day after today, no later than the level's.
func checkRiskInput(in RiskAssessmentInput, d RiskDecision, today workdays.Date, f *apperr.Fields) (level string, next workdays.Date) {
	level = d.Level
	if in.Level != "" {
		if _, known := RiskReviewWorkingDays[in.Level]; !known {
			f.Add("level", "must be one of: %s", strings.Join(SortedRiskLevels(), ", "))
		} else if !riskAtLeast(in.Level, d.Level) {
			f.Add("level", "cannot be lower than the check-list's %s risk (ASB-5): answer the check-list again if an answer was wrong", d.Level)
		} else {
			level = in.Level
		}
	}
	latest := workdays.AddWorkingDays(today, RiskReviewWorkingDays[level])
	next = date(in.NextReviewOn)
	switch {
	case next.IsZero():
		next = latest
	case !next.After(today):
		f.Add("nextReviewOn", "must be after today")
	case !workdays.IsWorkingDay(next):
		f.Add("nextReviewOn", "must be a working day")
	case next.After(latest):
		f.Add("nextReviewOn", "must be no later than %s: %s risk is reviewed within %d working days (ASB-5)", latest, level, RiskReviewWorkingDays[level])
	}
	return level, next
}
