package asb

import (
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/apperr"
	"github.com/councilhousing/backend/shared/workdays"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func report(typ string) Report {
	return Report{Type: typ, Description: "Loud music every night", Location: Location{Address: "1 High St", Postcode: "NN1 1DE"},
		Reporter: &Reporter{Name: "A Resident", Email: "a@example.org", PreferredContact: "email"}}
}

// ASB-3: every type's category and appointment target, from a Monday 10:00 report (Mon 23 Nov 2026).
func TestASB3_TypeCategoryAndTarget(t *testing.T) {
	want := map[string]struct {
		cat  Category
		appt string
	}{
		"hate-incident": {Personal, "2026-11-24"}, "domestic-abuse": {Personal, "2026-11-24"}, "physical-violence": {Personal, "2026-11-24"},
		"verbal-abuse": {Personal, "2026-11-26"}, "noise": {Nuisance, "2026-11-26"}, "drugs": {Nuisance, "2026-11-26"},
		"alcohol": {Nuisance, "2026-11-26"}, "communal-areas": {Nuisance, "2026-11-26"}, "animals": {Nuisance, "2026-11-26"},
		"prostitution": {Nuisance, "2026-11-26"}, "vehicles": {Nuisance, "2026-11-26"}, "other-crime": {Nuisance, "2026-11-26"},
		"garden": {Environmental, "2026-11-30"}, "litter": {Environmental, "2026-11-30"}, "vandalism": {Environmental, "2026-11-30"},
	}
	if len(want) != len(Types) {
		t.Fatalf("the table has %d types, the test %d", len(Types), len(want))
	}
	for typ, w := range want {
		a := Assess(report(typ), at("2026-11-23T10:00:00Z"))
		if a.Category != w.cat || a.AppointmentBy.String() != w.appt || a.RiskLevel != "standard" {
			t.Errorf("%s: %s by %s (%s), want %s by %s", typ, a.Category, a.AppointmentBy, a.RiskLevel, w.cat, w.appt)
		}
		if !a.Reasons.Has("ASB-3") {
			t.Errorf("%s: no ASB-3 reason", typ)
		}
	}
}

// ASB-4: acknowledged within 1 WD; high risk gives a 1 WD appointment whatever the type.
func TestASB4_HighRiskOverride(t *testing.T) {
	for name, risk := range map[string]Risk{"vulnerable": {Vulnerable: true}, "feels unsafe": {FeelsUnsafe: true},
		"child at risk": {ChildAtRisk: true}, "threats": {Threats: true}} {
		r := report("litter")
		r.Risk = risk
		a := Assess(r, at("2026-11-23T10:00:00Z"))
		if a.RiskLevel != "high" || a.AppointmentBy.String() != "2026-11-24" || !a.Reasons.Has("ASB-4") {
			t.Errorf("%s: %s %s", name, a.RiskLevel, a.AppointmentBy)
		}
	}
	r := report("litter")
	r.Risk = Risk{CrimeInProgress: true}
	if a := Assess(r, at("2026-11-23T10:00:00Z")); a.RiskLevel != "standard" || a.AppointmentBy.String() != "2026-11-30" {
		t.Errorf("crime in progress alone: %s %s", a.RiskLevel, a.AppointmentBy)
	}
}

// WD-2/WD-4: dates across bank holidays and from the London day of receipt.
func TestASB4_DatesAcrossBankHolidays(t *testing.T) {
	cases := []struct {
		typ, received, ack, appt string
	}{
		{"noise", "2026-12-24T11:00:00Z", "2026-12-29", "2026-12-31"},         // Christmas, Boxing Day substitute
		{"garden", "2026-12-24T11:00:00Z", "2026-12-29", "2027-01-05"},        // and New Year's Day
		{"hate-incident", "2026-12-24T23:30:00Z", "2026-12-29", "2026-12-29"}, // 23:30 GMT is still the 24th in London
		{"noise", "2027-03-25T22:00:00Z", "2027-03-30", "2027-04-01"},         // Easter 2027
		{"noise", "2026-07-06T23:30:00Z", "2026-07-08", "2026-07-10"},         // 00:30 BST on Tuesday 7 July
		{"vandalism", "2026-11-28T15:00:00Z", "2026-11-30", "2026-12-04"},     // Saturday: the day itself never counts
	}
	for _, c := range cases {
		a := Assess(report(c.typ), at(c.received))
		if a.AcknowledgeBy.String() != c.ack || a.AppointmentBy.String() != c.appt {
			t.Errorf("%s at %s: ack %s appt %s, want %s %s", c.typ, c.received, a.AcknowledgeBy, a.AppointmentBy, c.ack, c.appt)
		}
	}
}

// ASB-6: referrals and advice.
func TestASB6_ReferralsAndAdvice(t *testing.T) {
	kinds := func(r Report) string {
		var k []string
		for _, x := range Assess(r, at("2026-11-23T10:00:00Z")).Referrals {
			k = append(k, x.Kind)
		}
		return strings.Join(k, ",")
	}
	hate := report("hate-incident")
	da := report("domestic-abuse")
	child := report("noise")
	child.Risk.ChildAtRisk = true
	hateChild := report("hate-incident")
	hateChild.Risk.ChildAtRisk = true
	for name, c := range map[string]struct {
		r    Report
		want string
	}{"hate": {hate, "partner"}, "domestic abuse": {da, "safeguarding"}, "child at risk": {child, "safeguarding"},
		"hate and child": {hateChild, "partner,safeguarding"}, "noise": {report("noise"), ""}} {
		if got := kinds(c.r); got != c.want {
			t.Errorf("%s: referrals %q, want %q", name, got, c.want)
		}
	}
	r := report("noise")
	r.Risk.CrimeInProgress = true
	if a := Assess(r, at("2026-11-23T10:00:00Z")); !strings.Contains(strings.Join(a.Advice, " "), "999") {
		t.Errorf("crime in progress: advice %v", a.Advice)
	}
}

// ASB-2: anonymous reports are accepted and keep no contact details, even when some were sent.
func TestASB2_AnonymousReports(t *testing.T) {
	r := report("noise")
	r.Anonymous, r.Reporter = true, nil
	if err := r.Validate(at("2026-11-23T10:00:00Z")); err != nil {
		t.Fatalf("anonymous report refused: %v", err)
	}
	r.Reporter = &Reporter{Name: "x", Email: "x@example.org", PreferredContact: "email"}
	if err := r.Validate(at("2026-11-23T10:00:00Z")); err != nil || !r.Anonymise() || r.Reporter != nil {
		t.Fatalf("contact details sent with an anonymous report are dropped, not refused: %v", err)
	}
	if cr := CaseReviewFor(true, 5); cr.Eligible || cr.ReportsInLastSixMonths != 0 {
		t.Fatalf("anonymous reports are never counted: %+v", cr)
	}
}

func hasField(err error, field string) bool {
	e, ok := apperr.As(err)
	if !ok {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestValidationListsEveryField(t *testing.T) {
	r := Report{Type: "shouting", Location: Location{Postcode: "NOT A POSTCODE"}, OccurredAt: "2027-01-01T00:00:00Z",
		Reporter: &Reporter{Name: "", Email: "not-an-email", Phone: "12", PreferredContact: "pigeon"}}
	err := r.Validate(at("2026-11-23T10:00:00Z"))
	for _, f := range []string{"type", "description", "location.address", "location.postcode", "occurredAt", "reporter.name", "reporter.email", "reporter.phone", "reporter.preferredContact"} {
		if !hasField(err, f) {
			t.Errorf("missing field error %s in %v", f, err)
		}
	}
	unstated := report("noise")
	unstated.Reporter.PreferredContact = "" // optional: email when given, else sms
	if err := unstated.Validate(at("2026-11-23T10:00:00Z")); err != nil {
		t.Errorf("no preferred contact: %v", err)
	}
	noContact := report("noise")
	noContact.Reporter = &Reporter{Name: "x", PreferredContact: "sms"}
	if err := noContact.Validate(at("2026-11-23T10:00:00Z")); !hasField(err, "reporter") || !hasField(err, "reporter.phone") {
		t.Errorf("no contact details: %v", err)
	}
}

// ASB-7: 3 reports in 6 months by the same verified contact make the reporter eligible for a case review.
func TestASB7_CaseReview(t *testing.T) {
	for earlier, eligible := range map[int]bool{0: false, 1: false, 2: true, 5: true} {
		if got := CaseReviewFor(false, earlier); got.Eligible != eligible || got.ReportsInLastSixMonths != earlier+1 {
			t.Errorf("%d earlier: %+v", earlier, got)
		}
	}
	same := []*Reporter{{Email: " Jo@Example.org "}, {Email: "jo@example.org", Phone: "07700 900123"}}
	if ContactKey(same[0]) != ContactKey(same[1]) {
		t.Error("email case and spaces should not matter")
	}
	if ContactKey(&Reporter{Phone: "07700 900123"}) != ContactKey(&Reporter{Phone: "+44 7700 900123"}) {
		t.Error("phone formats should match")
	}
	if ContactKey(nil) != "" {
		t.Error("anonymous reports have no contact key")
	}
}

func newCase(t *testing.T) Case {
	r := report("noise")
	received := at("2026-11-23T10:00:00Z")
	return NewCase("ASB-TEST-0001", r, Assess(r, received), "online", received)
}

func names(c Case) string {
	var n []string
	for _, d := range OpenDeadlines(c) {
		n = append(n, d.Name+"@"+d.Due.String())
	}
	return strings.Join(n, " ")
}

// ASB-4/ASB-3/ASB-5/ASB-8: each open deadline lives until its action is done; closing clears them all.
func TestOpenDeadlinesFollowTheCase(t *testing.T) {
	c := newCase(t)
	if got := names(c); got != "acknowledge@2026-11-24 appointment@2026-11-26" {
		t.Fatalf("new case: %s", got)
	}
	mustEvent(t)(c.Acknowledge("o1", at("2026-11-23T15:00:00Z")))
	mustEvent(t)(c.OfferAppointment(workdays.MustParseDate("2026-11-27"), "o1", at("2026-11-24T09:00:00Z")))
	mustEvent(t)(c.RecordRiskAssessment("high", workdays.Date{}, "o1", at("2026-11-27T10:00:00Z")))
	_, _, err := c.AddAction("mediation", "Offer mediation to both households", workdays.MustParseDate("2026-12-11"), "o1", at("2026-11-27T10:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if got := names(c); got != "risk-review@2026-12-04 action:A1@2026-12-11" {
		t.Fatalf("in progress: %s", got)
	}
	if !IsOverdue(c, workdays.MustParseDate("2026-12-05")) || IsOverdue(c, workdays.MustParseDate("2026-12-04")) {
		t.Error("overdue means due before today (WD-3)")
	}
	mustEvent(t)(c.CompleteAction("A1", "o1", at("2026-12-01T10:00:00Z")))
	mustEvent(t)(c.Close("Mediation agreed; noise stopped", &Satisfaction{Handling: 5, Outcome: 4}, "o1", at("2026-12-08T10:00:00Z")))
	if got := names(c); got != "" {
		t.Fatalf("closed case has deadlines: %s", got)
	}
	if c.DaysOpen() != 15 {
		t.Errorf("days open %d, want 15", c.DaysOpen())
	}
}

func mustEvent(t *testing.T) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestForbiddenTransitions(t *testing.T) {
	c := newCase(t)
	mustEvent(t)(c.Acknowledge("o1", at("2026-11-23T15:00:00Z")))
	if _, err := c.Acknowledge("o1", at("2026-11-23T16:00:00Z")); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("second acknowledgement: %v", err)
	}
	if _, err := c.Reopen("x", "o1", at("2026-11-24T10:00:00Z")); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("reopening an open case: %v", err)
	}
	if _, _, err := c.AddAction("thumbscrews", "", workdays.Date{}, "o1", at("2026-11-24T10:00:00Z")); !hasField(err, "tool") || !hasField(err, "description") || !hasField(err, "dueOn") {
		t.Errorf("bad action: %v", err)
	}
	if _, err := c.Close("done", &Satisfaction{Handling: 6}, "o1", at("2026-11-24T10:00:00Z")); !hasField(err, "satisfaction.handling") {
		t.Errorf("rating 6: %v", err)
	}
	mustEvent(t)(c.Close("done", nil, "o1", at("2026-11-24T10:00:00Z")))
	if _, err := c.Close("again", nil, "o1", at("2026-11-24T11:00:00Z")); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("closing twice: %v", err)
	}
	if _, _, err := c.AddAction("mediation", "x", workdays.MustParseDate("2026-12-01"), "o1", at("2026-11-24T12:00:00Z")); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("acting on a closed case: %v", err)
	}
	mustEvent(t)(c.Reopen("New incident reported", "o1", at("2026-11-25T10:00:00Z")))
	if c.Status != StatusInProgress || c.ReopenedCount != 1 {
		t.Errorf("reopened: %+v", c.Status)
	}
}

// ASB-9: a seeded month's figures, worked out by hand.
func TestASB9_MonthlyReport(t *testing.T) {
	mk := func(typ, received, closed string, sat *Satisfaction) Case {
		c := Case{Type: typ, ReceivedAt: at(received), Satisfaction: sat}
		if closed != "" {
			ct := at(closed)
			c.ClosedAt = &ct
		}
		return c
	}
	received := []Case{
		mk("noise", "2026-11-02T10:00:00Z", "", nil), mk("noise", "2026-11-03T10:00:00Z", "", nil),
		mk("noise", "2026-11-30T23:30:00Z", "", nil), // 23:30 GMT is still November in London
		mk("hate-incident", "2026-11-10T10:00:00Z", "", nil), mk("garden", "2026-11-11T10:00:00Z", "", nil),
	}
	closed := []Case{
		mk("noise", "2026-10-01T10:00:00Z", "2026-11-05T10:00:00Z", &Satisfaction{Handling: 5, Outcome: 2}), // 35 days
		mk("drugs", "2026-11-02T10:00:00Z", "2026-11-12T10:00:00Z", &Satisfaction{Handling: 3, Outcome: 4}), // 10 days
		mk("litter", "2026-09-01T10:00:00Z", "2026-11-20T10:00:00Z", nil),                                   // 80 days
	}
	r := Monthly("2026-11", received, closed, 12000)
	if r.NewCases != 5 || r.CasesClosed != 3 || r.NoiseCases != 3 || *r.AverageDaysToClose != 41.7 {
		t.Errorf("measures: %+v avg %v", r, *r.AverageDaysToClose)
	}
	if r.SatisfactionHandling.Responses != 2 || *r.SatisfactionHandling.Percent != 50 || *r.SatisfactionOutcome.Percent != 50 {
		t.Errorf("satisfaction: %+v %+v", r.SatisfactionHandling, r.SatisfactionOutcome)
	}
	if len(r.ByType) != 15 || r.ByType[4].Type != "noise" || r.ByType[4].Count != 3 || r.ByType[0].Count != 1 {
		t.Errorf("by type: %+v", r.ByType)
	}
	if r.ASBCasesPer1000Homes != 0.42 || r.HateCasesPer1000Home != 0.08 {
		t.Errorf("NM01: %v %v", r.ASBCasesPer1000Homes, r.HateCasesPer1000Home)
	}
	from, to, _ := MonthBounds("2026-11")
	if from.Format(time.RFC3339) != "2026-11-01T00:00:00Z" || to.Format(time.RFC3339) != "2026-12-01T00:00:00Z" {
		t.Errorf("bounds %s %s", from, to)
	}
	from, _, _ = MonthBounds("2026-07")
	if from.Format(time.RFC3339) != "2026-06-30T23:00:00Z" {
		t.Errorf("BST month starts at 23:00 UTC: %s", from)
	}
}
