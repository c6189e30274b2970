package complaints

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// story builds a complaint by steps; each step is (what, when) and panics the test on error.
type story struct {
	t *testing.T
	c Complaint
}

func newStory(t *testing.T, ref, area, when string) *story {
	s := submission()
	s.ServiceArea = area
	c, _, err := Submit(ref, s, at(when))
	if err != nil {
		t.Fatal(err)
	}
	return &story{t, c}
}

func (s *story) ack(handler, when string) *story {
	check{s.t}.ack(s.c.Acknowledge(Acknowledgement{Definition: "definition", OutcomesSought: "outcome", Handler: handler}, staff(handler), at(when)))
	return s
}

func (s *story) respond(decision, by, when string, actions ...string) *story {
	var items []ItemInput
	for _, a := range actions {
		items = append(items, ItemInput{Description: a, DueOn: workdays.DateOf(at(when)).AddDays(30).String()})
	}
	check{s.t}.letter(s.c.Respond(Response{Decision: decision, Reasons: "reasons", OutstandingActions: items}, staff(by), at(when)))
	return s
}

func (s *story) escalate(when string) *story {
	check{s.t}.event(s.c.Escalate(at(when)))
	return s
}

func (s *story) extend(r ExtensionRequest, when string) *story {
	check{s.t}.letter(s.c.Extend(r, staff("officer"), at(when)))
	return s
}

// seededYear is financial year 2026-27 (1 Apr 2026 to 31 Mar 2027) with complaints at its edges; the dates
// and deadlines are worked out by hand in the comments.
func seededYear(t *testing.T) []Complaint {
	// A: received Fri 10 Apr; acknowledged Mon 13 Apr (by 17 Apr: on time); respond by 27 Apr; answered 20 Apr.
	a := newStory(t, "A", "repairs", "2026-04-10T10:00:00Z").ack("h1", "2026-04-13T10:00:00Z").respond("upheld", "h1", "2026-04-20T10:00:00Z")
	// B: received Wed 23 Dec; acknowledged 24 Dec (respond by 12 Jan); answered 13 Jan: late. Escalated 20 Jan
	// (window to 10 Feb); stage 2 acknowledged 21 Jan (by 27 Jan: on time), respond by 18 Feb; extended by 21 WD
	// with a good reason on 25 Jan (to 19 Mar); answered 1 Feb with one outstanding action: on time.
	b := newStory(t, "B", "repairs", "2026-12-23T10:00:00Z").ack("h1", "2026-12-24T10:00:00Z").respond("not-upheld", "h1", "2027-01-13T10:00:00Z").
		escalate("2027-01-20T10:00:00Z").ack("h2", "2027-01-21T10:00:00Z").
		extend(ExtensionRequest{WorkingDays: 21, Reason: "Expert report", GoodReasonForLonger: "Court-appointed expert",
			KeepInformed: &UpdatePlanInput{EveryWorkingDays: 10, AgreedOn: "2027-01-25"}}, "2027-01-25T10:00:00Z").
		respond("partly-upheld", "h2", "2027-02-01T10:00:00Z", "Replace the boiler")
	// C: received 23:30 BST on Wed 31 Mar 2027: still this year; open.
	c := newStory(t, "C", "neighbourhoods", "2027-03-31T22:30:00Z")
	// D: received Fri 20 Mar 2026 (last year), acknowledged Mon 23 Mar, respond by Wed 8 Apr (Easter 3, 6 Apr);
	// answered on 8 Apr: on time, counted this year. Escalated 14 Apr (window to 7 May); not yet acknowledged.
	d := newStory(t, "D", "estate-services", "2026-03-20T10:00:00Z").ack("h1", "2026-03-23T10:00:00Z").
		respond("partly-upheld", "h1", "2026-04-08T15:00:00Z").escalate("2026-04-14T10:00:00Z")
	// E: a service request.
	e := newStory(t, "E", "repairs", "2026-06-01T10:00:00Z")
	check{t}.event(e.c.ReclassifyAsServiceRequest(ServiceRequestNote{Note: "Repair appointment", DueOn: "2026-06-16"}, staff("h1"), at("2026-06-02T10:00:00Z")))
	// F: refused, legal proceedings.
	f := newStory(t, "F", "repairs", "2026-07-01T10:00:00Z")
	check{t}.letter(f.c.Refuse(RefusalRequest{Exclusion: "legal-proceedings", Explanation: "Claim filed"}, staff("h1"), at("2026-07-02T10:00:00Z")))
	// G: received Tue 1 Sep; acknowledged 2 Sep (by 8 Sep), respond by 16 Sep; extended 5 WD on 10 Sep to 23
	// Sep; answered 22 Sep: on time thanks to the extension. Escalated Mon 2 Nov: late (window to 20 Oct).
	// Stage 2 acknowledged Tue 10 Nov: late (by 9 Nov); respond by 8 Dec; answered 9 Dec: late.
	g := newStory(t, "G", "tenancy", "2026-09-01T10:00:00Z").ack("h1", "2026-09-02T10:00:00Z").
		extend(ExtensionRequest{WorkingDays: 5, Reason: "Contractor records"}, "2026-09-10T10:00:00Z").
		respond("not-upheld", "h1", "2026-09-22T10:00:00Z").escalate("2026-11-02T10:00:00Z").ack("h3", "2026-11-10T10:00:00Z").
		respond("upheld", "h3", "2026-12-09T10:00:00Z")
	// H: all of it last year. I: received 00:30 BST on 1 April 2027, next year.
	h := newStory(t, "H", "repairs", "2026-02-02T10:00:00Z").ack("h1", "2026-02-03T10:00:00Z").respond("upheld", "h1", "2026-02-10T10:00:00Z")
	i := newStory(t, "I", "repairs", "2027-03-31T23:30:00Z")
	return []Complaint{a.c, b.c, c.c, d.c, e.c, f.c, g.c, h.c, i.c}
}

// CH-10: the annual report of a seeded year, every figure worked out by hand (homes: 4,000).
func TestCH10_AnnualReport(t *testing.T) {
	year := seededYear(t)
	for _, want := range []struct {
		ref, respondBy1, respondBy2 string
		onTime1, onTime2            bool
	}{{"B", "2027-01-12", "2027-03-19", false, true}, {"D", "2026-04-08", "", true, false}, {"G", "2026-09-23", "2026-12-08", true, false}} {
		for _, c := range year {
			if c.Reference != want.ref {
				continue
			}
			if c.Stages[0].RespondBy.String() != want.respondBy1 || c.Stages[0].OnTime() != want.onTime1 ||
				c.Stages[1].RespondBy.String() != want.respondBy2 || c.Stages[1].OnTime() != want.onTime2 {
				t.Fatalf("%s: seeded dates differ from the worked example: %+v", c.Reference, c.Stages)
			}
		}
	}

	r := Annual(2026, year, 4000)
	pct := func(v float64) *float64 { return &v }
	want := AnnualReport{Year: "2026-27", Homes: 4000,
		Stage1: StageFigures{Received: 5, Per1000Homes: 1.25, ByServiceArea: map[string]int{"repairs": 3, "neighbourhoods": 1, "tenancy": 1},
			Acknowledged: 3, AcknowledgedOnTime: 3, Responded: 4, RespondedOnTime: 3, PercentOnTime: pct(75), Extended: 1, LateWithoutAgreedUpdates: 1,
			Outcomes: map[string]int{"upheld": 1, "partly-upheld": 1, "not-upheld": 2}, StillOpen: 1},
		Stage2: StageFigures{Received: 3, Per1000Homes: 0.75, ByServiceArea: map[string]int{"repairs": 1, "estate-services": 1, "tenancy": 1},
			Acknowledged: 2, AcknowledgedOnTime: 1, Responded: 2, RespondedOnTime: 1, PercentOnTime: pct(50), Extended: 1, ExtendedBeyondLim: 1, LateWithoutAgreedUpdates: 1,
			Outcomes: map[string]int{"upheld": 1, "partly-upheld": 1, "not-upheld": 0}, StillOpen: 1},
		ByServiceArea: map[string]int{"repairs": 3, "neighbourhoods": 1, "tenancy": 1},
		Refused:       1, RefusedBy: map[string]int{"legal-proceedings": 1}, RefusedByArea: map[string]int{"repairs": 1}, ServiceRequests: 1, LateEscalations: 1,
		OutstandingItems: 1, Learning: []LearningEntry{}, SelfAssessment: SectionOf(2026, nil),
		Rules: []string{"CH-10", "CH-4", "CH-5", "CH-2", "CH-1", "CH-8", "Code 5.9", "Code 8.1"}}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("report\n got %+v\nwant %+v", r, want)
		t.Logf("stage 1 %+v (%v)\nstage 2 %+v (%v)", r.Stage1, *r.Stage1.PercentOnTime, r.Stage2, *r.Stage2.PercentOnTime)
	}
}

// CH-10: the year's bounds are London midnights; an empty year has no CH02 share (null, not 0%).
func TestCH10_FinancialYearBoundsAndEmptyYear(t *testing.T) {
	from, to := FinancialYear(2026)
	if from.Format(time.RFC3339) != "2026-03-31T23:00:00Z" || to.Format(time.RFC3339) != "2027-03-31T23:00:00Z" {
		t.Fatalf("bounds %s %s", from, to)
	}
	r := Annual(2027, seededYear(t)[8:], 0) // I: received 00:30 BST 1 April 2027
	if r.Year != "2027-28" || r.Stage1.Received != 1 || r.Stage1.Per1000Homes != 0 || r.Stage1.PercentOnTime != nil || r.Stage2.PercentOnTime != nil {
		t.Errorf("2027-28: %+v", r)
	}
	if r := Annual(2099, nil, 100); r.Year != "2099-00" || r.Stage1.Received != 0 {
		t.Errorf("century: %+v", r)
	}
}

// CH02 shares round to one decimal: 2 of 3 on time is 66.7%.
func TestCH10_ShareRounding(t *testing.T) {
	var year []Complaint
	for i, when := range []string{"2026-12-24T10:00:00Z", "2027-01-12T10:00:00Z", "2027-01-13T10:00:00Z"} {
		s := newStory(t, string(rune('A'+i)), "repairs", "2026-12-23T10:00:00Z").ack("h1", "2026-12-24T09:00:00Z").respond("upheld", "h1", when)
		year = append(year, s.c)
	}
	if p := Annual(2026, year, 3000).Stage1; p.PercentOnTime == nil || *p.PercentOnTime != 66.7 || p.Per1000Homes != 1 {
		t.Errorf("stage 1: %+v", p)
	}
}

// CH-10, TSM CH02 (issue 14): a complaint received on 25 March and answered on 8 April is received in one
// financial year and answered in the next, and each year's report counts the event that happened in it; the
// complaint is listed under both years.
func TestCH10_CrossYearComplaintCountedInTheYearOfEachEvent(t *testing.T) {
	// Received Wed 25 Mar 2026, acknowledged Thu 26 Mar (respond by Mon 13 Apr, after Easter), answered Wed 8 Apr.
	s := newStory(t, "X", "repairs", "2026-03-25T10:00:00Z").ack("h1", "2026-03-26T10:00:00Z").
		respond("upheld", "h1", "2026-04-08T10:00:00Z", "Replace the boiler")
	if got := s.c.ReportYears(); !reflect.DeepEqual(got, []int{2025, 2026}) {
		t.Fatalf("report years %v", got)
	}
	last, this := Annual(2025, []Complaint{s.c}, 1000), Annual(2026, []Complaint{s.c}, 1000)
	if last.Stage1.Received != 1 || last.Stage1.Acknowledged != 1 || last.Stage1.Responded != 0 || last.Stage1.StillOpen != 0 || last.OutstandingItems != 0 {
		t.Errorf("2025-26 counts the receipt and the acknowledgement only: %+v", last.Stage1)
	}
	if this.Stage1.Received != 0 || this.Stage1.Responded != 1 || this.Stage1.RespondedOnTime != 1 || *this.Stage1.PercentOnTime != 100 ||
		this.Stage1.Outcomes["upheld"] != 1 || this.OutstandingItems != 1 {
		t.Errorf("2026-27 counts the response, on time: %+v", this.Stage1)
	}
	// The item completed the next year counts there, on time or not.
	check{t}.letter(s.c.CompleteItem(ItemCompletion{ID: "A1"}, staff("h1"), at("2027-04-20T10:00:00Z")))
	if got := s.c.ReportYears(); !reflect.DeepEqual(got, []int{2025, 2026, 2027}) {
		t.Errorf("report years after the completion %v", got)
	}
	if r := Annual(2027, []Complaint{s.c}, 1000); r.ItemsCompleted != 1 || r.ItemsOnTime != 0 || r.Stage1.Responded != 0 {
		t.Errorf("2027-28: %+v", r)
	}
}

// CH-10: a financial year starts at midnight on 1 April, London time.
func TestCH10_FinancialYearOf(t *testing.T) {
	for when, want := range map[string]int{
		"2026-03-31T22:59:59Z": 2025, // 23:59:59 BST on 31 March
		"2026-03-31T23:00:00Z": 2026, // 00:00 BST on 1 April
		"2027-01-01T00:00:00Z": 2026,
		"2099-04-01T00:00:00Z": 2099,
	} {
		if got := FinancialYearOf(at(when)); got != want {
			t.Errorf("%s: %d, want %d", when, got, want)
		}
	}
}

// CH-10 (source §5.12): a complaint logged by staff counts in the year it reached us, not the year it was logged.
func TestCH10_LoggedComplaintCountsFromTheDayReceived(t *testing.T) {
	l := LoggedComplaint{Submission: submission(), Channel: ChannelLetter, ReceivedOn: "2026-03-30"}
	c, _, err := Log("L", l, staff("h1"), at("2026-04-02T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if r := Annual(2025, []Complaint{c}, 0); r.Stage1.Received != 1 {
		t.Errorf("received in 2025-26: %+v", r.Stage1)
	}
	if r := Annual(2026, []Complaint{c}, 0); r.Stage1.Received != 0 {
		t.Errorf("not received in 2026-27: %+v", r.Stage1)
	}
}

// Source §9.1, §8.1.4 (CH-10): each response records what was learned and the service improvement it led to; the
// report of the year the response was sent lists them, and the list entry's facts keep them.
func TestCode9_1_LearningInTheAnnualReport(t *testing.T) {
	c := acknowledged(t)
	check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "r", Learning: "Repair slots were double-booked",
		ServiceImprovement: "One booking system for all repair contractors"}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	if strings.Contains(c.Letters[len(c.Letters)-1].Text, "double-booked") {
		t.Error("the learning is for the report, not the letter")
	}
	r := Annual(2026, []Complaint{c.Facts()}, 0)
	want := []LearningEntry{{Reference: "CMP-TEST", Stage: 1, ServiceArea: "repairs", RespondedOn: workdays.MustParseDate("2027-01-08"),
		Learning: "Repair slots were double-booked", ServiceImprovement: "One booking system for all repair contractors"}}
	if !reflect.DeepEqual(r.Learning, want) {
		t.Errorf("learning %+v", r.Learning)
	}
	if r := Annual(2027, []Complaint{c}, 0); len(r.Learning) != 0 {
		t.Errorf("another year: %+v", r.Learning)
	}
	long := acknowledged(t)
	_, _, err := long.Respond(Response{Decision: "upheld", Reasons: "r", Learning: strings.Repeat("x", 1001)}, staff("officer-a"), at("2027-01-08T10:00:00Z"))
	wantFields(t, err, "learning")
}
