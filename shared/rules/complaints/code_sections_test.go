package complaints

import (
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Source 004 §5.9: a response that will fall outside the Code's timescales needs intervals agreed with the
// resident for keeping them informed. An extension beyond the limit (with a good reason) takes the response
// outside them: without keepInformed it is refused (422, the stage's rule); with it, the letter says how often and
// the next update is a deadline.
func TestCode5_9_ExtensionBeyondTheLimitNeedsAgreedUpdateIntervals(t *testing.T) {
	cases := []struct {
		name   string
		from   func(*testing.T) Complaint
		req    ExtensionRequest
		rule   string   // a 422 citing it
		fields []string // a 400 naming them
		nextBy string   // the update deadline when accepted with a plan
	}{
		{"stage 1, within the limit: no intervals needed", acknowledged, ExtensionRequest{WorkingDays: 10, Reason: "Surveyor"}, "", nil, ""},
		{"stage 1, beyond the limit without intervals", acknowledged, ExtensionRequest{WorkingDays: 11, Reason: "Surveyor", GoodReasonForLonger: "Away"}, "CH-4", nil, ""},
		{"stage 1, beyond the limit with intervals", acknowledged, ExtensionRequest{WorkingDays: 11, Reason: "Surveyor", GoodReasonForLonger: "Away",
			KeepInformed: &UpdatePlanInput{EveryWorkingDays: 5, AgreedOn: "2027-01-04", How: "a call from the handler"}}, "", nil, "2027-01-11"},
		{"stage 1, intervals without the day agreed", acknowledged, ExtensionRequest{WorkingDays: 11, Reason: "Surveyor", GoodReasonForLonger: "Away",
			KeepInformed: &UpdatePlanInput{EveryWorkingDays: 5}}, "", []string{"keepInformed.agreedOn"}, ""},
		{"stage 1, intervals agreed in the future, too long apart", acknowledged, ExtensionRequest{WorkingDays: 11, Reason: "Surveyor", GoodReasonForLonger: "Away",
			KeepInformed: &UpdatePlanInput{EveryWorkingDays: 21, AgreedOn: "2027-01-06"}}, "", []string{"keepInformed.everyWorkingDays", "keepInformed.agreedOn"}, ""},
		{"stage 2, beyond the limit without intervals", atStage2, ExtensionRequest{WorkingDays: 21, Reason: "Review", GoodReasonForLonger: "Expert"}, "CH-5", nil, ""},
		{"stage 2, intervals within the limit are kept", atStage2, ExtensionRequest{WorkingDays: 20, Reason: "Review",
			KeepInformed: &UpdatePlanInput{EveryWorkingDays: 10, AgreedOn: "2027-01-19"}}, "", nil, "2027-02-02"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, when := tc.from(t), "2027-01-05T10:00:00Z"
			if c.Stage == 2 {
				when = "2027-01-20T10:00:00Z"
			}
			letter, ev, err := c.Extend(tc.req, staff("manager-b"), at(when))
			switch {
			case tc.rule != "":
				wantRuleError(t, err, apperr.Unprocessable, tc.rule)
				if !strings.Contains(err.Error(), "§5.9") || c.Current().Extension != nil {
					t.Errorf("refusal: %v", err)
				}
				return
			case tc.fields != nil:
				wantFields(t, err, tc.fields...)
				return
			case err != nil:
				t.Fatal(err)
			}
			d := OpenDeadlines(c)
			if tc.nextBy == "" {
				if c.Current().UpdatePlan != nil || ev.Details["keepInformed"] != false {
					t.Errorf("a plan without one asked: %+v", c.Current().UpdatePlan)
				}
				return
			}
			if len(d) < 2 || d[1].Name != "stage"+itoa(c.Stage)+"-update" || d[1].Due.String() != tc.nextBy || !strings.Contains(d[1].Label, "5.9") {
				t.Fatalf("update deadline: %+v", d)
			}
			if !strings.Contains(letter.Text, "we will update you at least every "+itoa(tc.req.KeepInformed.EveryWorkingDays)+" working days") {
				t.Errorf("the extension letter does not give the intervals:\n%s", letter.Text)
			}
		})
	}
}

// Source 004 §5.9: a response running late gets intervals recorded with KeepInformed, confirmed to the resident in
// a letter; each progress update is a letter and moves the next update on; an update alone needs intervals, and
// nothing is recorded once the stage is answered. Responses sent late with no intervals agreed are counted in the
// annual report.
func TestCode5_9_KeepingTheResidentInformedWhileTheResponseIsLate(t *testing.T) {
	c := acknowledged(t) // respond by Tue 12 Jan 2027
	late := at("2027-01-14T10:00:00Z")
	if !c.Current().OutsideTimescales(late) || c.Current().OutsideTimescales(at("2027-01-12T10:00:00Z")) {
		t.Fatal("a response is outside the Code's timescales the day after it was due, not before")
	}
	_, _, err := c.KeepInformed(KeepInformedInput{Progress: "The surveyor comes on Monday"}, staff("officer-a"), late)
	wantFields(t, err, "everyWorkingDays", "agreedOn")
	_, _, err = c.KeepInformed(KeepInformedInput{UpdatePlanInput: UpdatePlanInput{EveryWorkingDays: 5, AgreedOn: "2026-12-22"}}, staff("officer-a"), late)
	wantFields(t, err, "agreedOn") // before the complaint was received

	letter, ev := func() (Letter, map[string]any) {
		l, ev, err := c.KeepInformed(KeepInformedInput{UpdatePlanInput: UpdatePlanInput{EveryWorkingDays: 3, AgreedOn: "2027-01-13", How: "by phone"}}, staff("officer-a"), late)
		if err != nil {
			t.Fatal(err)
		}
		return l, ev.Details
	}()
	if ev["nextUpdateBy"] != "2027-01-18" || ev["outsideTimescales"] != true || letter.Kind != LetterKeepInformed ||
		!containsAll(letter.Text, "Wednesday 13 January 2027", "at least every 3 working days (by phone)", "Monday 18 January 2027", "Housing Ombudsman") {
		t.Fatalf("plan: %v\n%s", ev, letter.Text)
	}
	update := check{t}.letter(c.KeepInformed(KeepInformedInput{Progress: "The surveyor's report arrived today"}, staff("officer-a"), at("2027-01-18T10:00:00Z")))
	p := c.Current().UpdatePlan
	if p.Updates != 1 || p.NextUpdateBy.String() != "2027-01-21" || !containsAll(update.Text, "The surveyor's report arrived today", "Thursday 21 January 2027") {
		t.Fatalf("update: %+v\n%s", p, update.Text)
	}
	_, _, err = c.KeepInformed(KeepInformedInput{}, staff("officer-a"), at("2027-01-18T10:00:00Z"))
	wantFields(t, err, "progress")

	check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r"}, staff("officer-a"), at("2027-01-20T10:00:00Z")))
	_, _, err = c.KeepInformed(KeepInformedInput{Progress: "x"}, staff("officer-a"), at("2027-01-20T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-4")
	for _, d := range OpenDeadlines(c) {
		if strings.HasSuffix(d.Name, "-update") {
			t.Errorf("an update is due after the response: %+v", d)
		}
	}

	other := acknowledged(t)
	check{t}.letter(other.Respond(Response{Decision: "upheld", Reasons: "r"}, staff("officer-a"), late))
	r := Annual(2026, []Complaint{c, other}, 0)
	if r.Stage1.Responded != 2 || r.Stage1.RespondedOnTime != 0 || r.Stage1.LateWithoutAgreedUpdates != 1 {
		t.Errorf("late without agreed updates: %+v", r.Stage1)
	}
	if f := c.Facts(); f.Stages[0].UpdatePlan == nil || f.Stages[0].UpdatePlan.How != "" || c.Stages[0].UpdatePlan.How != "by phone" {
		t.Errorf("facts keep the plan without its text: %+v", f.Stages[0].UpdatePlan)
	}
}

// Source 004 §6.8 (CH-7): new points join the stage 1 complaint if they are related and its response has not been
// issued; where the response has been issued, the points are unrelated, or joining them would unreasonably delay
// the response, they must be logged as a new complaint (422 naming the exception).
func TestCode6_8_WhereNewPointsGo(t *testing.T) {
	full := func(t *testing.T) Complaint {
		c := acknowledged(t)
		for range MaxRelatedPoints {
			check{t}.event(c.AddRelatedPoints(RelatedPoints{Points: "p"}, staff("officer-a"), at("2027-01-05T10:00:00Z")))
		}
		return c
	}
	cases := []struct {
		name  string
		from  func(*testing.T) Complaint
		in    RelatedPoints
		where string
		says  string
	}{
		{"related, before the stage 1 acknowledgement", received, RelatedPoints{Points: "The windows too"}, PointsJoin, ""},
		{"related, before the stage 1 response", acknowledged, RelatedPoints{Points: "The windows too"}, PointsJoin, ""},
		{"unrelated", acknowledged, RelatedPoints{Points: "Parking permits", Unrelated: true}, PointsUnrelated, "unrelated to the issues already being investigated"},
		{"related but would unreasonably delay the response", acknowledged, RelatedPoints{Points: "A full damp survey", WouldDelayResponse: true}, PointsWouldDelay, "unreasonably delay"},
		{"after the stage 1 response", answered, RelatedPoints{Points: "The windows too"}, PointsAfterResponse, "has been answered"},
		{"at stage 2", atStage2, RelatedPoints{Points: "The windows too"}, PointsAfterResponse, "has been answered"},
		{"the most one complaint holds", full, RelatedPoints{Points: "One more"}, PointsTooMany, "the most related points"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.from(t)
			before := len(c.RelatedPoints)
			if got := c.WhereNewPointsGo(tc.in); got != tc.where {
				t.Fatalf("WhereNewPointsGo = %s, want %s", got, tc.where)
			}
			ev, err := c.AddRelatedPoints(tc.in, staff("officer-a"), at("2027-01-05T10:00:00Z"))
			if tc.where == PointsJoin {
				if err != nil || len(c.RelatedPoints) != before+1 || ev.Rule != "CH-7" {
					t.Fatalf("joined: %v %+v", err, c.RelatedPoints)
				}
				return
			}
			wantRuleError(t, err, apperr.Unprocessable, "CH-7")
			if !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), "new complaint") || !strings.Contains(err.Error(), "§6.8") ||
				len(c.RelatedPoints) != before {
				t.Errorf("refusal: %v", err)
			}
		})
	}
}

// Source 004 §8.1 (CH-10): the self-assessment is recorded per financial year against the form's sections, each
// with evidence, and what will bring a "no" into line; the report's section says plainly what is missing.
func TestCode8_1_SelfAssessmentRecordedAndReported(t *testing.T) {
	now := at("2027-06-01T10:00:00Z")
	row := func(sec, complies string) SectionAssessment {
		return SectionAssessment{Section: sec, Complies: complies, Evidence: "Policy section " + sec}
	}
	bad := []struct {
		name   string
		in     SelfAssessmentInput
		fields []string
	}{
		{"no sections", SelfAssessmentInput{Year: 2026}, []string{"sections"}},
		{"a year not started", SelfAssessmentInput{Year: 2027 + 1, Sections: []SectionAssessment{row("1.2", "yes")}}, []string{"financialYear"}},
		{"a section the form does not have", SelfAssessmentInput{Year: 2026, Sections: []SectionAssessment{row("6.18", "yes")}}, []string{"sections[0].section"}},
		{"a section twice", SelfAssessmentInput{Year: 2026, Sections: []SectionAssessment{row("1.2", "yes"), row("1.2", "yes")}}, []string{"sections[1].section"}},
		{"no without actions, no evidence, maybe", SelfAssessmentInput{Year: 2026, Sections: []SectionAssessment{row("6.3", "no"), {Section: "6.4", Complies: "maybe"}}},
			[]string{"sections[1].complies", "sections[1].evidence", "sections[0].actions"}},
		{"an Ombudsman finding in the future", SelfAssessmentInput{Year: 2026, Sections: []SectionAssessment{row("1.2", "yes")},
			OmbudsmanFindings: []OmbudsmanFinding{{Reference: "HOS-1", DecidedOn: "2027-07-01", Finding: "Delay"}}}, []string{"ombudsmanFindings[0].decidedOn"}},
	}
	for _, tc := range bad {
		_, err := RecordSelfAssessment(tc.in, nil, staff("manager-b"), now)
		t.Run(tc.name, func(t *testing.T) { wantFields(t, err, tc.fields...) })
	}

	if s := SectionOf(2026, nil); s.Status != AssessmentNotRecorded || len(s.MissingSections) != len(CodeSections) || !strings.Contains(s.Note, "Not yet filled in") {
		t.Fatalf("nothing recorded: %+v", s)
	}
	if slices.Contains(CodeSections, "6.18") || len(CodeSections) != 71 {
		t.Fatalf("the form's sections (source 004 has no 6.18): %d", len(CodeSections))
	}
	part := SelfAssessmentInput{Year: 2026, Sections: []SectionAssessment{row("5.9", "yes"), row("1.2", "yes"),
		{Section: "6.3", Complies: "no", Evidence: "Policy says 20 WD", Actions: "New policy from October"}},
		OmbudsmanFindings: []OmbudsmanFinding{{Reference: "HOS-202612345", DecidedOn: "2027-02-01", Finding: "Maladministration: stage 1 over 10 WD"}}}
	first, err := RecordSelfAssessment(part, nil, staff("manager-b"), now)
	if err != nil {
		t.Fatal(err)
	}
	s := SectionOf(2026, &first)
	if s.Status != AssessmentIncomplete || first.Sections[0].Section != "1.2" || len(s.MissingSections) != len(CodeSections)-3 ||
		!slices.Equal(s.NotComplying, []string{"6.3"}) || len(s.OmbudsmanFindings) != 1 || !strings.Contains(s.Note, "Not complete: 68 of the Code's 71") {
		t.Fatalf("partial: %+v", s)
	}
	all := SelfAssessmentInput{Year: 2026, QualitativeAnalysis: "Most complaints were about repairs"}
	for _, sec := range CodeSections {
		all.Sections = append(all.Sections, row(sec, "yes"))
	}
	second, err := RecordSelfAssessment(all, &first, staff("manager-b"), now)
	if err != nil {
		t.Fatal(err)
	}
	s = SectionOf(2026, &second)
	if s.Status != AssessmentComplete || second.Revision != 2 || len(s.MissingSections) != 0 || !strings.Contains(s.Note, "No finding of non-compliance") {
		t.Fatalf("complete: %+v", s)
	}
}

// Source 004 §5.10: the adjustments letters act on (how they are sent, their format) are recorded, flag the case,
// and are checked against the resident's contact details: letters cannot be agreed by post without an address.
func TestCode5_10_AdjustmentsThatChangeHowLettersAreSent(t *testing.T) {
	resident := Complainant{Name: "Sam Jones", Email: "sam@example.org"}
	cases := []struct {
		name   string
		in     AdjustmentsInput
		to     Complainant
		fields []string
	}{
		{"by post, with an address", AdjustmentsInput{SendBy: "letter"}, Complainant{Name: "Sam", Address: "1 Example Road", Postcode: "NN1 1DE"}, nil},
		{"by post, no address", AdjustmentsInput{SendBy: "letter"}, resident, []string{"sendBy"}},
		{"by text, no phone", AdjustmentsInput{SendBy: "sms"}, resident, []string{"sendBy"}},
		{"by email", AdjustmentsInput{SendBy: "email", Format: "large-print"}, resident, nil},
		{"a format only", AdjustmentsInput{Format: "braille"}, resident, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.CheckDelivery(tc.to)
			if tc.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFields(t, err, tc.fields...)
		})
	}
	c := received(t)
	_, err := c.RecordAdjustments(AdjustmentsInput{SendBy: "pigeon", Format: "tiny", ReviewOn: "2027-02-01"}, staff("officer-a"), at("2027-01-05T10:00:00Z"))
	wantFields(t, err, "sendBy", "format")
	ev := check{t}.event(c.RecordAdjustments(AdjustmentsInput{Format: "large-print", ReviewOn: "2027-02-01"}, staff("officer-a"), at("2027-01-05T10:00:00Z")))
	if !c.HasFlag(FlagAdjustments) || c.Adjustments.Format != "large-print" || ev.Details["format"] != "large-print" || len(OpenDeadlines(c)) != 2 {
		t.Errorf("a format alone is an adjustment, flagged and reviewed: %+v %v", c.Adjustments, OpenDeadlines(c))
	}
}

// Source 004 §3.6: a representative is written to by email or by post; when the resident is not to be copied, the
// representative must be reachable one way or the other.
func TestCode3_6_RepresentativeWrittenToByEmailOrPost(t *testing.T) {
	cases := []struct {
		name    string
		rep     Representative
		channel string
		fields  []string
	}{
		{"email", Representative{Name: "Pat", Email: "pat@example.org", Consent: true}, "email", nil},
		{"an address and no email: post", Representative{Name: "Pat", Address: "2 Advice Lane", Postcode: "NN1 2AB", Consent: true}, "letter", nil},
		{"both, prefers post", Representative{Name: "Pat", Email: "pat@example.org", Address: "2 Advice Lane", Postcode: "NN1 2AB", PreferredContact: "letter", Consent: true}, "letter", nil},
		{"prefers post, no address", Representative{Name: "Pat", Email: "pat@example.org", PreferredContact: "letter", Consent: true}, "letter", []string{"representative.address"}},
		{"prefers email, none given", Representative{Name: "Pat", Address: "2 Advice Lane", PreferredContact: "email", Consent: true}, "email", []string{"representative.email"}},
		{"only the representative, who cannot be reached", Representative{Name: "Pat", Consent: true, ResidentNotCopied: true}, "", []string{"representative"}},
		{"no consent", Representative{Name: "Pat", Email: "pat@example.org"}, "email", []string{"representative.consent"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rep.Details().PreferredContact; got != tc.channel {
				t.Errorf("channel %q, want %q", got, tc.channel)
			}
			s := submission()
			s.Representative = &tc.rep
			err := s.Validate(at("2026-12-23T10:00:00Z"))
			if tc.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantFields(t, err, tc.fields...)
		})
	}
}
