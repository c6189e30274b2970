package asb

import (
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

func yes() *bool { t := true; return &t }
func no() *bool  { f := false; return &f }

// noRisks is a check-list answered with no to every question.
func noRisks() Checklist {
	return Checklist{Vulnerable: no(), ThreatsOrViolence: no(), FeelsUnsafe: no(), ChildAtRisk: no(), ImmediateRisk: no(), Exploitation: no(),
		RepeatVictim: no(), HealthImpact: no(), HateMotivated: no(), ChildrenInHousehold: no(), LanguageSupport: no()}
}

func with(cl Checklist, set ...func(*Checklist)) Checklist {
	for _, s := range set {
		s(&cl)
	}
	return cl
}

// ASB-5: the check-list's answers set the level, with a reason naming each answer that counts, and the latest
// review on a working day, RiskReviewWorkingDays after the assessment.
func TestASB5_ChecklistSetsRiskLevelAndReview(t *testing.T) {
	friday := day("2026-12-18") // the next working days skip Christmas and Boxing Day (substitute Monday 28th)
	for _, tc := range []struct {
		name   string
		cl     Checklist
		level  string
		review string
		cites  string
	}{
		{"no answers yes", noRisks(), "standard", "2027-01-20", "no vulnerability"},
		{"one harm: medium", with(noRisks(), func(c *Checklist) { c.RepeatVictim = yes() }), "medium", "2027-01-06", "repeatVictim"},
		{"two harms add up: high", with(noRisks(), func(c *Checklist) { c.HealthImpact, c.HateMotivated = yes(), yes() }), "high", "2026-12-29", "healthImpact, hateMotivated"},
		{"threats: high (ASB-4 ground)", with(noRisks(), func(c *Checklist) { c.ThreatsOrViolence = yes() }), "high", "2026-12-29", "threatsOrViolence"},
		{"vulnerable: high (ASB-4 ground)", with(noRisks(), func(c *Checklist) { c.Vulnerable = yes() }), "high", "2026-12-29", "vulnerable"},
		{"feels unsafe: high", with(noRisks(), func(c *Checklist) { c.FeelsUnsafe = yes() }), "high", "2026-12-29", "feelsUnsafe"},
		{"child at risk: high", with(noRisks(), func(c *Checklist) { c.ChildAtRisk = yes() }), "high", "2026-12-29", "childAtRisk"},
		{"exploitation: high", with(noRisks(), func(c *Checklist) { c.Exploitation = yes() }), "high", "2026-12-29", "exploitation"},
		{"language support is support, not risk", with(noRisks(), func(c *Checklist) { c.LanguageSupport = yes() }), "standard", "2027-01-20", "languageSupport"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := AssessChecklist(tc.cl, friday)
			if d.Level != tc.level || d.ReviewBy != day(tc.review) {
				t.Errorf("level %s review %s, want %s %s", d.Level, d.ReviewBy, tc.level, tc.review)
			}
			if !d.Reasons.Has("ASB-5") || !strings.Contains(d.Reasons[0].Text+" "+d.Reasons[len(d.Reasons)-2].Text, tc.cites) {
				t.Errorf("reasons %v do not cite %s", d.Reasons, tc.cites)
			}
		})
	}
}

// ASB-5: every question has a unique field, words and a source; a yes to each one changes the decision or the
// support needed (no question is dead weight).
func TestASB5_ChecklistQuestionsAreComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range ChecklistQuestions {
		if seen[q.Field] || q.Text == "" || q.Source == "" {
			t.Errorf("question %+v", q)
		}
		seen[q.Field] = true
		cl := noRisks()
		*q.answer(&cl) = yes()
		if d := AssessChecklist(cl, day("2026-11-24")); d.Level == RiskStandard && len(d.SupportNeeded) == 0 {
			t.Errorf("%s: a yes changes nothing", q.Field)
		}
	}
	if len(seen) != 11 {
		t.Errorf("%d questions", len(seen))
	}
}

// ASB-5: the transition records the check-list, its level and reasons, and the review on a working day; the
// officer may raise the level, never lower it; a second assessment is a review.
func TestASB5_RecordChecklistAssessment(t *testing.T) {
	c := NewCase("ASB-1", report("noise"), Assess(report("noise"), mondayMorning), ChannelOnline, mondayMorning)
	now := at("2026-11-24T10:00:00Z") // Tuesday
	ev, err := c.RecordRiskAssessment(RiskAssessmentInput{Checklist: with(noRisks(), func(c *Checklist) { c.HealthImpact = yes() })}, by("o1"), now)
	if err != nil || c.RiskLevel != "medium" || c.RiskAssessment.NextReviewOn != day("2026-12-08") || c.RiskAssessment.Checklist == nil ||
		ev.Details["review"] != false || ev.Rule != "ASB-5" {
		t.Fatalf("first: %+v %v %v", c.RiskAssessment, ev.Details, err)
	}
	wantFields(t, func() error {
		_, err := c.RecordRiskAssessment(RiskAssessmentInput{Checklist: with(noRisks(), func(c *Checklist) { c.HealthImpact = yes() }), Level: "standard"}, by("o1"), now)
		return err
	}(), "level")
	ev, err = c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "high", NextReviewOn: "2026-11-27"}, by("o1"), now)
	if err != nil || c.RiskLevel != "high" || c.RiskAssessment.ChecklistLevel != "standard" || ev.Details["review"] != true ||
		ev.Details["previousLevel"] != "medium" || c.RiskReviews != 1 || c.RiskAssessment.NextReviewOn != day("2026-11-27") {
		t.Fatalf("review: %+v %v %v", c.RiskAssessment, ev.Details, err)
	}
}

// ASB-5: every unanswered question, a weekend review date, a review later than the level allows and an unknown
// level are each listed.
func TestASB5_ChecklistValidation(t *testing.T) {
	c := NewCase("ASB-1", report("noise"), Assess(report("noise"), mondayMorning), ChannelOnline, mondayMorning)
	now := at("2026-11-24T10:00:00Z")
	cl := noRisks()
	cl.Vulnerable, cl.LanguageSupport = nil, nil
	_, err := c.RecordRiskAssessment(RiskAssessmentInput{Checklist: cl, NextReviewOn: "2026-11-28"}, by("o"), now)
	wantFields(t, err, "checklist.vulnerable", "checklist.languageSupport", "nextReviewOn")
	_, err = c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Level: "extreme", NextReviewOn: "2027-01-29"}, by("o"), now)
	wantFields(t, err, "level", "nextReviewOn")
	_, err = c.RecordRiskAssessment(RiskAssessmentInput{Checklist: noRisks(), Notes: strings.Repeat("x", 2001)}, by("o"), now)
	wantFields(t, err, "notes")
	if e, _ := apperr.As(err); e == nil || c.RiskAssessment != nil {
		t.Fatal("a refused assessment changed the case")
	}
}
