package asb

import (
	"slices"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// ASB-9: the same location and type, written differently, is one key; another type or address is another.
func TestASB9_MatchKeysNormaliseLocationAndSubject(t *testing.T) {
	a := newCase()
	b := newCase()
	b.Location = Location{Address: "  1 HIGH ST. ", Postcode: "nn11de"}
	if ka, kb := MatchKeys(a), MatchKeys(b); len(ka) != 1 || !slices.Equal(ka, kb) {
		t.Fatalf("keys %v and %v should be the same location key", ka, kb)
	}
	other := newCase()
	other.Type = "garden"
	if slices.Equal(MatchKeys(a), MatchKeys(other)) {
		t.Fatal("another type at the same address is another problem")
	}
	a.ReporterKey, a.Subject = "hash-of-alex", "Jo  Bloggs"
	b.ReporterKey, b.Subject = "hash-of-alex", "jo bloggs"
	b.Location = Location{Address: "5 Other Road", Postcode: "NN2 2BB"}
	ka, kb := MatchKeys(a), MatchKeys(b)
	if len(ka) != 2 || len(kb) != 2 || ka[1] != kb[1] || ka[1].Name != MatchReporterSubject {
		t.Fatalf("the same reporter and subject should share a key: %v %v", ka, kb)
	}
	anonymous := newCase()
	anonymous.Subject = "Jo Bloggs"
	if len(MatchKeys(anonymous)) != 1 {
		t.Fatal("an anonymous report has no reporter-subject key")
	}
}

// ASB-9: only open cases are matched: a closed or merged case has no keys.
func TestASB9_OnlyOpenCasesHaveMatchKeys(t *testing.T) {
	c := newCase()
	ok(t)(c.Close(Closure{Outcome: "Resolved"}, by("o1"), mondayMorning))
	if k := MatchKeys(c); k != nil {
		t.Fatalf("closed case keys %v", k)
	}
	m := newCase()
	ok(t)(m.MergeInto("ASB-OTHER", CaseMerge{From: m.Reference, Reason: "Same flat"}, by("o1"), mondayMorning))
	if k := MatchKeys(m); k != nil || m.Status != StatusMerged {
		t.Fatalf("merged case keys %v, status %s", k, m.Status)
	}
}

// ASB-9: a further report on an open case is an incident of it, not a new case; a high-risk one raises the case's
// risk and brings the appointment forward (ASB-4); a new referral ground raises the referral once (ASB-6).
func TestASB9_FurtherReportJoinsOpenCase(t *testing.T) {
	c := newCase() // appointment by Thu 26 Nov
	r := report("noise")
	inc, raised, ev, err := c.AddFurtherReport(IncidentOf(r, ChannelPhone, at("2026-11-24T09:00:00Z"), ""), by("o1"), at("2026-11-24T09:05:00Z"))
	if err != nil || inc.ID != "I2" || c.FurtherReports != 1 || len(raised) != 0 || ev.Action != "further-report" || ev.Rule != "ASB-9" {
		t.Fatalf("%v %+v %v %+v", err, inc, raised, ev)
	}
	r.Risk = Risk{ChildAtRisk: true}
	inc, raised, _, err = c.AddFurtherReport(IncidentOf(r, ChannelOnline, at("2026-11-24T10:00:00Z"), ""), by("o1"), at("2026-11-24T10:00:00Z"))
	if err != nil || inc.ID != "I3" || c.FurtherReports != 2 || c.RiskLevel != RiskHigh || c.AppointmentBy != day("2026-11-25") ||
		len(raised) != 1 || raised[0].Kind != SafeguardingReferral {
		t.Fatalf("%v %+v risk %s appointment %s raised %v", err, inc, c.RiskLevel, c.AppointmentBy, raised)
	}
	if _, raised, _, _ = c.AddFurtherReport(IncidentOf(r, ChannelOnline, at("2026-11-24T11:00:00Z"), ""), by("o1"), at("2026-11-24T11:00:00Z")); len(raised) != 0 {
		t.Fatalf("the safeguarding referral was raised twice: %v", raised)
	}
	ok(t)(c.Close(Closure{Outcome: "Resolved"}, by("o1"), at("2026-11-25T10:00:00Z")))
	_, _, _, err = c.AddFurtherReport(IncidentOf(r, ChannelOnline, at("2026-11-25T11:00:00Z"), ""), by("o1"), at("2026-11-25T11:00:00Z"))
	wantConflict(t, err, "ASB-9")
}

// ASB-9: merging ends the other case as merged and adds its report to this one; neither may be closed, and a case
// is not merged into itself. Unlinking takes a further report out, once.
func TestASB9_MergeAndUnlink(t *testing.T) {
	a, b := newCase(), newCase()
	b.Reference, b.FurtherReports = "ASB-TEST-0002", 1
	in := CaseMerge{From: b.Reference, Reason: "The same flat"}
	if err := a.CheckMerge(CaseMerge{From: a.Reference, Reason: "x"}, a); err == nil {
		t.Fatal("merged into itself")
	}
	if err := a.CheckMerge(in, b); err != nil {
		t.Fatal(err)
	}
	ok(t)(b.MergeInto(a.Reference, in, by("o1"), mondayMorning))
	inc, _, ev, err := a.Absorb(b, nil, in, by("o1"), mondayMorning)
	if err != nil || inc.FromCase != b.Reference || a.FurtherReports != 2 || a.MergedCases != 1 || ev.Action != "merged-from" {
		t.Fatalf("%v %+v %d %+v", err, inc, a.FurtherReports, ev)
	}
	wantConflict(t, a.CheckMerge(in, b), "ASB-9") // b is merged already
	_, _, err = a.Unlink(inc, "ASB-NEW", Unlinking{Reason: "x"}, by("o1"), mondayMorning)
	if e, isErr := apperr.As(err); !isErr || e.Code != apperr.Unprocessable || e.Rule != "ASB-9" {
		t.Fatalf("a merged case's report was unlinked: %v", err)
	}
	further, _, _, _ := a.AddFurtherReport(IncidentOf(report("noise"), ChannelPhone, mondayMorning, ""), by("o1"), mondayMorning)
	out, ev, err := a.Unlink(further, "ASB-NEW", Unlinking{Reason: "Another flat"}, by("o1"), mondayMorning)
	if err != nil || out.UnlinkedTo != "ASB-NEW" || a.FurtherReports != 2 || ev.Action != "report-unlinked" {
		t.Fatalf("%v %+v %d", err, out, a.FurtherReports)
	}
	_, _, err = a.Unlink(out, "ASB-NEW2", Unlinking{Reason: "Again"}, by("o1"), mondayMorning)
	wantConflict(t, err, "ASB-9")
	wantFields(t, func() error { _, _, err := a.Unlink(further, "X", Unlinking{}, by("o1"), mondayMorning); return err }(), "reason")
}

// ASB-9: the month counts a merged case as a further report, not a new case.
func TestASB9_MonthlyCountsTheProblemOnce(t *testing.T) {
	c, m := newCase(), newCase()
	m.Reference, m.Status = "ASB-TEST-0002", StatusMerged
	r := Monthly("2026-11", []Summary{SummaryOf(c), SummaryOf(m)}, nil, 0)
	r.AddFurtherReports(2)
	if r.NewCases != 1 || r.FurtherReports != 3 || r.NoiseCases != 1 {
		t.Fatalf("new %d further %d noise %d", r.NewCases, r.FurtherReports, r.NoiseCases)
	}
}
