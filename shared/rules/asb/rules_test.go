package asb

import (
	"strings"
	"testing"
)

// ASB-3: every type's category, label and appointment target, from Monday 23 Nov 2026 10:00 (dates by hand:
// 1 WD = Tue 24, 3 WD = Thu 26). Environmental is 3 WD: source 003 overrides the digest's 5 WD.
func TestASB3_TypeCategoryAndTarget(t *testing.T) {
	cases := []struct {
		typ, label  string
		category    Category
		days        int
		appointment string
	}{
		{"hate-incident", "Hate related incidents", Personal, 1, "2026-11-24"},
		{"domestic-abuse", "Domestic abuse", Personal, 1, "2026-11-24"},
		{"physical-violence", "Physical violence", Personal, 1, "2026-11-24"},
		{"verbal-abuse", "Verbal abuse / harassment / intimidation", Personal, 3, "2026-11-26"},
		{"noise", "Noise", Nuisance, 3, "2026-11-26"},
		{"drugs", "Drugs / dealing / misuse", Nuisance, 3, "2026-11-26"},
		{"alcohol", "Alcohol", Nuisance, 3, "2026-11-26"},
		{"communal-areas", "Misuse of communal areas", Nuisance, 3, "2026-11-26"},
		{"animals", "Pets and animal nuisance", Nuisance, 3, "2026-11-26"},
		{"prostitution", "Prostitution / sex acts / kerb crawling", Nuisance, 3, "2026-11-26"},
		{"vehicles", "Vehicle nuisance", Nuisance, 3, "2026-11-26"},
		{"other-crime", "Other criminal behaviour", Nuisance, 3, "2026-11-26"},
		{"garden", "Garden nuisance", Environmental, 5, "2026-11-30"},
		{"litter", "Litter / fly-tipping / rubbish", Environmental, 5, "2026-11-30"},
		{"vandalism", "Vandalism / graffiti", Environmental, 5, "2026-11-30"},
	}
	if len(Types) != len(cases) {
		t.Fatalf("the ASB-3 table has %d types, want %d", len(Types), len(cases))
	}
	for i, c := range cases {
		t.Run(c.typ, func(t *testing.T) {
			rule, ok := TypeRuleOf(c.typ)
			if !ok || rule.Label != c.label || rule.Category != c.category || rule.AppointmentDays != c.days || Types[i].Type != c.typ {
				t.Errorf("table row %+v (ok %v)", rule, ok)
			}
			a := Assess(report(c.typ), mondayMorning)
			if a.Category != c.category || a.RiskLevel != RiskStandard || a.AppointmentBy.String() != c.appointment || a.AcknowledgeBy.String() != "2026-11-24" {
				t.Errorf("assessed %s %s ack %s appt %s", a.Category, a.RiskLevel, a.AcknowledgeBy, a.AppointmentBy)
			}
			if !a.Reasons.Has("ASB-3") || !a.Reasons.Has("ASB-4") {
				t.Errorf("reasons %v", a.Reasons)
			}
		})
	}
	if _, ok := TypeRuleOf("shouting"); ok {
		t.Error("unknown type found")
	}
}

// ASB-4: a high-risk answer gives a 1 WD appointment whatever the type; a crime in progress alone does not
// (it is a police emergency, ASB-6 advice, not one of ASB-4's four factors).
func TestASB4_HighRiskOverride(t *testing.T) {
	cases := []struct {
		name        string
		typ         string
		risk        Risk
		level       string
		appointment string
	}{
		{"vulnerable victim", "litter", Risk{Vulnerable: true}, RiskHigh, "2026-11-24"},
		{"feels unsafe", "noise", Risk{FeelsUnsafe: true}, RiskHigh, "2026-11-24"},
		{"child at risk", "garden", Risk{ChildAtRisk: true}, RiskHigh, "2026-11-24"},
		{"threats", "verbal-abuse", Risk{Threats: true}, RiskHigh, "2026-11-24"},
		{"already 1 WD", "hate-incident", Risk{Threats: true}, RiskHigh, "2026-11-24"},
		{"crime in progress alone", "vandalism", Risk{CrimeInProgress: true}, RiskStandard, "2026-11-30"},
		{"no answers", "noise", Risk{}, RiskStandard, "2026-11-26"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := report(c.typ)
			r.Risk = c.risk
			a := Assess(r, mondayMorning)
			if a.RiskLevel != c.level || a.AppointmentBy.String() != c.appointment || a.AcknowledgeBy.String() != "2026-11-24" {
				t.Errorf("%s appt %s ack %s", a.RiskLevel, a.AppointmentBy, a.AcknowledgeBy)
			}
			highReason := false
			for _, reason := range a.Reasons {
				highReason = highReason || strings.HasPrefix(reason.Text, "High risk")
			}
			if highReason != (c.level == RiskHigh) {
				t.Errorf("high-risk reason given: %v, reasons %v", highReason, a.Reasons)
			}
		})
	}
	r := report("noise")
	r.Risk = Risk{Vulnerable: true, Threats: true}
	if text := Assess(r, mondayMorning).Reasons[1].Text; !strings.Contains(text, "vulnerable") || !strings.Contains(text, "threats") || !strings.Contains(text, "ASB-4") {
		t.Errorf("the reason names every factor and the rule: %q", text)
	}
}

// ASB-4: acknowledged within 1 WD of receipt; met when done on or before that London date (WD-3, WD-4).
func TestASB4_Acknowledge(t *testing.T) {
	cases := []struct {
		name, received, due, acknowledged string
		onTime                            bool
	}{
		{"next day", "2026-11-23T10:00:00Z", "2026-11-24", "2026-11-24T16:00:00Z", true},
		{"same day", "2026-11-23T10:00:00Z", "2026-11-24", "2026-11-23T11:00:00Z", true},
		{"a day late", "2026-11-23T10:00:00Z", "2026-11-24", "2026-11-25T09:00:00Z", false},
		{"23:30 GMT is still the due day", "2026-11-23T10:00:00Z", "2026-11-24", "2026-11-24T23:30:00Z", true},
		{"23:30 UTC in summer is the next London day", "2026-07-10T10:00:00Z", "2026-07-13", "2026-07-13T23:30:00Z", false},
		{"Friday report, Monday due", "2026-11-27T15:00:00Z", "2026-11-30", "2026-11-30T09:00:00Z", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := report("noise")
			cs := NewCase("ASB-T", r, Assess(r, at(c.received)), ChannelOnline, at(c.received))
			if cs.AcknowledgeBy.String() != c.due || cs.Status != StatusReceived {
				t.Fatalf("due %s status %s", cs.AcknowledgeBy, cs.Status)
			}
			ev, err := cs.Acknowledge(by("officer1"), at(c.acknowledged))
			if err != nil || ev.Action != "acknowledged" || ev.Rule != "ASB-4" || ev.Actor != "Officer officer1" || ev.ActorID != "officer1" || ev.Details["onTime"] != c.onTime || ev.Details["due"] != c.due {
				t.Errorf("event %+v %v", ev, err)
			}
			if cs.Status != StatusAcknowledged || cs.AcknowledgedAt == nil || !cs.AcknowledgedAt.Equal(at(c.acknowledged)) {
				t.Errorf("status %s at %v", cs.Status, cs.AcknowledgedAt)
			}
			_, err = cs.Acknowledge(by("officer2"), at(c.acknowledged))
			wantConflict(t, err, "ASB-4")
		})
	}
}

// WD-2/WD-4: deadlines are the N-th working day after the London calendar day of receipt, skipping weekends
// and bank holidays; the day of receipt never counts. Expected dates worked out by hand from the calendar.
func TestWD2_DatesAcrossBankHolidays(t *testing.T) {
	cases := []struct {
		name, typ, received string
		risk                Risk
		ack, appointment    string
	}{
		// Thu 24 Dec 2026; Fri 25 Christmas, Mon 28 Boxing Day (substitute): Tue 29, Wed 30, Thu 31.
		{"Christmas Eve noise", "noise", "2026-12-24T11:00:00Z", Risk{}, "2026-12-29", "2026-12-31"},
		{"Christmas Eve garden", "garden", "2026-12-24T11:00:00Z", Risk{}, "2026-12-29", "2027-01-05"}, // and New Year's Day
		{"Christmas Eve high-risk litter", "litter", "2026-12-24T11:00:00Z", Risk{FeelsUnsafe: true}, "2026-12-29", "2026-12-29"},
		{"23:30 GMT is still Christmas Eve", "hate-incident", "2026-12-24T23:30:00Z", Risk{}, "2026-12-29", "2026-12-29"},
		// Out-of-hours call Thu 27 Aug 2026 23:30 UTC = Fri 28 Aug 00:30 BST; Mon 31 Aug is a bank holiday.
		// Taking the UTC day would give Fri 28 Aug and Wed 2 Sep.
		{"out-of-hours 23:30 UTC in summer", "noise", "2026-08-27T23:30:00Z", Risk{}, "2026-09-01", "2026-09-03"},
		// Received on the bank holiday itself: it never counts.
		{"received on a bank holiday", "physical-violence", "2026-08-31T10:00:00Z", Risk{}, "2026-09-01", "2026-09-01"},
		// Thu 25 Mar 2027 (still GMT); Good Friday 26 Mar, Easter Monday 29 Mar: Tue 30, Wed 31, Thu 1 Apr.
		{"Easter 2027", "noise", "2027-03-25T22:00:00Z", Risk{}, "2027-03-30", "2027-04-01"},
		// Saturday: Mon 30 Nov, Tue 1, Wed 2, Thu 3, Fri 4 Dec.
		{"Saturday report", "vandalism", "2026-11-28T15:00:00Z", Risk{}, "2026-11-30", "2026-12-04"},
		// Fri 24 Dec 2027: Christmas and Boxing Day fall on the weekend, substitutes Mon 27 and Tue 28.
		{"Christmas 2027 substitutes", "noise", "2027-12-24T10:00:00Z", Risk{}, "2027-12-29", "2027-12-31"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := report(c.typ)
			r.Risk = c.risk
			a := Assess(r, at(c.received))
			if a.AcknowledgeBy.String() != c.ack || a.AppointmentBy.String() != c.appointment {
				t.Errorf("ack %s appt %s, want %s %s", a.AcknowledgeBy, a.AppointmentBy, c.ack, c.appointment)
			}
		})
	}
	// ASB-10: an out-of-hours call is timed from the call, not from when the webhook arrives.
	call := Call{Report: report("noise"), CallID: "OOH-1", ReceivedAt: "2026-08-27T23:30:00Z", Operator: "op-7"}
	if err := call.Validate(at("2026-09-02T08:00:00Z")); err != nil {
		t.Fatal(err)
	}
	if a := Assess(call.Report, call.ReceivedTime()); a.AcknowledgeBy.String() != "2026-09-01" || a.AppointmentBy.String() != "2026-09-03" {
		t.Errorf("out-of-hours call: ack %s appt %s", a.AcknowledgeBy, a.AppointmentBy)
	}
}

// ASB-6: hate incidents go to the council partner; domestic abuse, a child at risk or a vulnerable victim raise
// one safeguarding referral naming every ground.
func TestASB6_Referrals(t *testing.T) {
	cases := []struct {
		name  string
		typ   string
		risk  Risk
		kinds string
		why   []string
	}{
		{"hate incident", "hate-incident", Risk{}, "partner", []string{"council partner"}},
		{"domestic abuse", "domestic-abuse", Risk{}, "safeguarding", []string{"domestic abuse"}},
		{"child at risk", "noise", Risk{ChildAtRisk: true}, "safeguarding", []string{"a child at risk"}},
		{"vulnerable adult", "drugs", Risk{Vulnerable: true}, "safeguarding", []string{"a vulnerable victim"}},
		{"domestic abuse with a child", "domestic-abuse", Risk{ChildAtRisk: true}, "safeguarding", []string{"domestic abuse and a child at risk"}},
		{"hate incident with a child", "hate-incident", Risk{ChildAtRisk: true}, "partner,safeguarding", []string{"council partner", "a child at risk"}},
		{"threats alone", "noise", Risk{Threats: true, FeelsUnsafe: true}, "", nil},
		{"plain noise", "noise", Risk{}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := report(c.typ)
			r.Risk = c.risk
			a := Assess(r, mondayMorning)
			var kinds, whys []string
			for _, ref := range a.Referrals {
				kinds = append(kinds, ref.Kind)
				whys = append(whys, ref.Why)
				if ref.Rule != "ASB-6" || !strings.Contains(ref.Why, "(ASB-6)") {
					t.Errorf("referral without its rule: %+v", ref)
				}
			}
			if strings.Join(kinds, ",") != c.kinds {
				t.Errorf("referrals %v, want %s", kinds, c.kinds)
			}
			for i, w := range c.why {
				if !strings.Contains(whys[i], w) {
					t.Errorf("referral %d says %q, want %q", i, whys[i], w)
				}
			}
			if a.Reasons.Has("ASB-6") != (c.kinds != "") {
				t.Errorf("ASB-6 reason: %v", a.Reasons)
			}
		})
	}
}

// ASB-6 (source 003): 999 for a crime in progress, 101 for other criminal matters; ASB-2: no updates when
// anonymous.
func TestASB6_Advice(t *testing.T) {
	cases := []struct {
		name      string
		typ       string
		risk      Risk
		anonymous bool
		want      []string
		notWant   []string
	}{
		{"crime in progress", "noise", Risk{CrimeInProgress: true}, false, []string{"call the police on 999"}, []string{"101"}},
		{"criminal type", "other-crime", Risk{}, false, []string{"101"}, nil},
		{"vandalism is criminal damage", "vandalism", Risk{}, false, []string{"101"}, nil},
		{"threats", "noise", Risk{Threats: true}, false, []string{"101"}, nil},
		{"plain noise", "noise", Risk{}, false, []string{"access token"}, []string{"101", "999", "anonymous"}},
		{"domestic abuse helpline", "domestic-abuse", Risk{}, false, []string{"0808 2000 247", "101"}, nil},
		{"anonymous", "litter", Risk{}, true, []string{"cannot send you updates"}, []string{"access token"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := report(c.typ)
			r.Risk, r.Anonymous = c.risk, c.anonymous
			advice := strings.Join(Assess(r, mondayMorning).Advice, "\n")
			for _, w := range c.want {
				if !strings.Contains(advice, w) {
					t.Errorf("advice lacks %q:\n%s", w, advice)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(advice, w) {
					t.Errorf("advice has %q:\n%s", w, advice)
				}
			}
		})
	}
}

// ASB-7: eligible for a case review when this report makes 3 or more in 6 months from the same verified
// contact; anonymous reports are never counted.
func TestASB7_CaseReview(t *testing.T) {
	cases := []struct {
		anonymous bool
		earlier   int
		want      CaseReview
	}{
		{false, 0, CaseReview{Eligible: false, ReportsInLastSixMonths: 1}},
		{false, 1, CaseReview{Eligible: false, ReportsInLastSixMonths: 2}},
		{false, 2, CaseReview{Eligible: true, ReportsInLastSixMonths: 3}},
		{false, 7, CaseReview{Eligible: true, ReportsInLastSixMonths: 8}},
		{true, 0, CaseReview{}},
		{true, 5, CaseReview{}},
	}
	for _, c := range cases {
		if got := CaseReviewFor(c.anonymous, c.earlier); got != c.want {
			t.Errorf("anonymous %v, %d earlier: %+v, want %+v", c.anonymous, c.earlier, got, c.want)
		}
	}
	keys := []struct {
		name     string
		reporter *Reporter
		want     string
	}{
		{"anonymous", nil, ""},
		{"no contact", &Reporter{Name: "x"}, ""},
		{"email trimmed and lower-cased", &Reporter{Email: " Jo@Example.ORG "}, "email:jo@example.org"},
		{"email wins over phone", &Reporter{Email: "jo@example.org", Phone: "07700 900123"}, "email:jo@example.org"},
		{"national phone", &Reporter{Phone: "07700 900123"}, "phone:+447700900123"},
		{"international phone", &Reporter{Phone: "+44 7700 900123"}, "phone:+447700900123"},
		{"00 44 phone", &Reporter{Phone: "0044 7700 900123"}, "phone:+447700900123"},
		{"+44 (0) phone", &Reporter{Phone: "+44 (0)7700-900123"}, "phone:+447700900123"},
		{"landline", &Reporter{Phone: "(01604) 837 000"}, "phone:+441604837000"},
	}
	for _, k := range keys {
		if got := ContactKey(k.reporter); got != k.want {
			t.Errorf("%s: %q, want %q", k.name, got, k.want)
		}
	}
}
