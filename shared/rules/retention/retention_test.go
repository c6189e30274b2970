package retention

import (
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

func schedule() Schedule {
	p := func(s string) Period {
		x, err := ParsePeriod(s)
		if err != nil {
			panic(err)
		}
		return x
	}
	return Schedule{
		{Name: "retention.asbCaseClosed", Kind: casefile.ASB, Outcome: OutcomeClosed, Period: p("P6Y"), Reason: "Limitation Act 1980"},
		{Name: "retention.asbCaseClosed", Kind: casefile.ASB, Outcome: OutcomeMerged, Period: p("P6Y"), Reason: "lives on in the case it joined"},
		{Name: "retention.complaintClosed", Kind: casefile.Complaint, Outcome: OutcomeClosed, Period: p("P6Y"), Reason: "Limitation Act 1980"},
		{Name: "retention.applicationClosed", Kind: casefile.Application, Outcome: OutcomeClosed, Period: p("P2Y"), Reason: "review, Ombudsman"},
		{Name: "retention.applicationClosed", Kind: casefile.Application, Outcome: OutcomeRefused, Period: p("P2Y"), Reason: "review, Ombudsman"},
		{Name: "retention.applicationHoused", Kind: casefile.Application, Outcome: OutcomeHoused, Period: p("P6Y"), Reason: "Limitation Act 1980"},
	}
}

var ended = time.Date(2020, 3, 10, 14, 0, 0, 0, time.UTC)

func TestRetention_DueOnlyAfterEachEntrysPeriod(t *testing.T) {
	for _, tc := range []struct {
		name    string
		kind    casefile.Kind
		outcome string
		now     time.Time
		due     bool
		entry   string
	}{
		{"ClosedASBCaseAfterSixYears", casefile.ASB, OutcomeClosed, ended.AddDate(6, 0, 0), true, "retention.asbCaseClosed"},
		{"ClosedASBCaseADayBeforeSixYears", casefile.ASB, OutcomeClosed, ended.AddDate(6, 0, -1), false, "retention.asbCaseClosed"},
		{"ClosedComplaintAfterSixYears", casefile.Complaint, OutcomeClosed, ended.AddDate(6, 0, 1), true, "retention.complaintClosed"},
		{"ClosedComplaintAfterFiveYears", casefile.Complaint, OutcomeClosed, ended.AddDate(5, 0, 0), false, "retention.complaintClosed"},
		{"ApplicationClosedUnhousedAfterTwoYears", casefile.Application, OutcomeClosed, ended.AddDate(2, 0, 0), true, "retention.applicationClosed"},
		{"ApplicationHousedKeptAfterTwoYears", casefile.Application, OutcomeHoused, ended.AddDate(2, 0, 0), false, "retention.applicationHoused"},
		{"ApplicationHousedAfterSixYears", casefile.Application, OutcomeHoused, ended.AddDate(6, 0, 0), true, "retention.applicationHoused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := schedule().Decide(Ended{Kind: tc.kind, Ref: "X-1", Outcome: tc.outcome, At: ended}, tc.now)
			if d.Due != tc.due || d.Entry.Name != tc.entry || d.Rule != RuleStorageLimitation || !strings.Contains(d.Reason, tc.entry) {
				t.Errorf("got %+v, want due=%v under %s with the reason", d, tc.due, tc.entry)
			}
		})
	}
}

func TestRetention_UnlistedOutcomeIsKept(t *testing.T) {
	if d := schedule().Decide(Ended{Kind: casefile.SubjectAccess, Outcome: OutcomeClosed, At: ended}, ended.AddDate(50, 0, 0)); d.Due {
		t.Errorf("a kind the schedule does not list was due: %+v", d)
	}
}

func TestRetention_ParsePeriod(t *testing.T) {
	for in, want := range map[string]Period{"P6Y": {6, 0, 0}, "P18M": {0, 18, 0}, "P2Y6M": {2, 6, 0}, "P30D": {0, 0, 30}} {
		if got, err := ParsePeriod(in); err != nil || got != want || got.String() != in {
			t.Errorf("%s: %+v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "P", "P0Y", "6 years", "PT1H", "P1W"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestRetention_EndedDates(t *testing.T) {
	closed := ended
	if e, ok := ASBEnded(asb.Case{Reference: "ASB-1", Status: asb.StatusClosed, ClosedAt: &closed}); !ok || !e.At.Equal(ended) || e.Outcome != OutcomeClosed {
		t.Errorf("closed ASB case: %+v %v", e, ok)
	}
	if _, ok := ASBEnded(asb.Case{Reference: "ASB-2", Status: "open"}); ok {
		t.Error("an open ASB case ended")
	}
	final := complaints.Complaint{Reference: "CMP-1", Status: complaints.StatusClosed, Stages: []complaints.Stage{{}, {RespondedAt: &closed}}}
	if e, ok := ComplaintEnded(final); !ok || !e.At.Equal(ended) {
		t.Errorf("final response: %+v %v", e, ok)
	}
	stage1 := complaints.Complaint{Reference: "CMP-2", Status: complaints.StatusResponded, EscalateBy: workdays.MustParseDate("2020-04-07")}
	if e, ok := ComplaintEnded(stage1); !ok || e.At.Before(workdays.MustParseDate("2020-04-07").StartOfDay()) {
		t.Errorf("stage 1 not escalated ends after its window: %+v %v", e, ok)
	}
	if _, ok := ComplaintEnded(complaints.Complaint{Status: complaints.StatusAcknowledged}); ok {
		t.Error("a complaint in the procedure ended")
	}
	housed := register.Record{Reference: "HR-1", Council: register.Council{Closure: &register.Closure{Reason: register.ClosedHoused, ClosedOn: workdays.MustParseDate("2020-03-10")}}}
	if e, ok := ApplicationEnded(housed); !ok || e.Outcome != OutcomeHoused {
		t.Errorf("housed: %+v %v", e, ok)
	}
	withdrawn := register.Record{Reference: "HR-2", Council: register.Council{Closure: &register.Closure{Reason: register.ClosedWithdrawn, ClosedOn: workdays.MustParseDate("2020-03-10")}}}
	if e, ok := ApplicationEnded(withdrawn); !ok || e.Outcome != OutcomeClosed {
		t.Errorf("withdrawn: %+v %v", e, ok)
	}
	if _, ok := ApplicationEnded(register.Record{Reference: "HR-3"}); ok {
		t.Error("an active application ended")
	}
}

func TestErasure_RefusedOrGrantedWithReason(t *testing.T) {
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	recent, old := now.AddDate(0, -2, 0), now.AddDate(-2, 0, 0)
	endedAt := func(kind casefile.Kind, outcome string, at time.Time) *Ended {
		return &Ended{Kind: kind, Ref: "R", Outcome: outcome, At: at}
	}
	for _, tc := range []struct {
		name  string
		h     Holding
		erase bool
		rule  string
	}{
		{"OpenASBCaseRefusedArt17_3b", Holding{Kind: casefile.ASB, Ref: "ASB-1"}, false, RulePublicTask},
		{"ClosedASBCaseWithSafeguardingReferralRefused", Holding{Kind: casefile.ASB, Ref: "ASB-2", Safeguarding: true, Ended: endedAt(casefile.ASB, OutcomeClosed, old)}, false, RulePublicTask},
		{"ClosedASBCaseWithoutReferralErased", Holding{Kind: casefile.ASB, Ref: "ASB-3", Ended: endedAt(casefile.ASB, OutcomeClosed, recent)}, true, RuleErasure},
		{"ComplaintInProcedureRefused", Holding{Kind: casefile.Complaint, Ref: "CMP-1"}, false, RulePublicTask},
		{"ComplaintWithinOmbudsmanWindowRefusedArt17_3e", Holding{Kind: casefile.Complaint, Ref: "CMP-2", Ended: endedAt(casefile.Complaint, OutcomeClosed, recent)}, false, RuleLegalClaims},
		{"ComplaintAfterOmbudsmanWindowErased", Holding{Kind: casefile.Complaint, Ref: "CMP-3", Ended: endedAt(casefile.Complaint, OutcomeClosed, old)}, true, RuleErasure},
		{"ActiveApplicationRefused", Holding{Kind: casefile.Application, Ref: "HR-1"}, false, RulePublicTask},
		{"ClosedApplicationErased", Holding{Kind: casefile.Application, Ref: "HR-2", Ended: endedAt(casefile.Application, OutcomeClosed, recent)}, true, RuleErasure},
		{"MergedASBCaseErased", Holding{Kind: casefile.ASB, Ref: "ASB-4", Ended: endedAt(casefile.ASB, OutcomeMerged, recent)}, true, RuleErasure},
		{"RefusedApplicationErased", Holding{Kind: casefile.Application, Ref: "HR-3", Ended: endedAt(casefile.Application, OutcomeRefused, recent)}, true, RuleErasure},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := schedule().ErasureOf(tc.h, now)
			if d.Erase != tc.erase || d.Rule != tc.rule || d.Reason == "" || !d.Erase && d.Entry == "" {
				t.Errorf("got %+v, want erase=%v citing %s with the schedule entry", d, tc.erase, tc.rule)
			}
		})
	}
}

func TestRectification_ValueCheckedAsItsField(t *testing.T) {
	for _, tc := range []struct {
		in   Rectification
		want int
	}{
		{Rectification{Field: FieldEmail, Value: "not-an-email"}, 1},
		{Rectification{Field: FieldEmail, Value: "jo@example.org"}, 0},
		{Rectification{Field: FieldPhone, Value: "call me"}, 1},
		{Rectification{Field: FieldPhone, Value: "07700 900123"}, 0},
		{Rectification{Field: FieldAddress, Value: "Flat 2, 10 Example Road"}, 0},
	} {
		if got := tc.in.Check(); len(got) != tc.want {
			t.Errorf("%+v: %v", tc.in, got)
		}
	}
}

func mustEvent(t *testing.T) func(casefile.Event, error) {
	return func(_ casefile.Event, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// ASB-9: a case merged into another ends at its merge, with its own outcome (merged), and is kept as long as a
// closed case (the same setting); it is never in the closed cases' entry.
func TestRetention_MergedASBCaseEndsAtItsMerge(t *testing.T) {
	merged := asb.Case{Reference: "ASB-2", Status: asb.StatusReceived, Actions: []asb.ActionItem{}}
	mustEvent(t)(merged.MergeInto("ASB-1", asb.CaseMerge{From: "ASB-2", Reason: "Same flat"}, casefile.Actor{ID: "o1", Name: "Officer"}, ended.In(workdays.London)))
	e, ok := ASBEnded(merged)
	if !ok || e.Outcome != OutcomeMerged || !e.At.Equal(ended) || e.At.Location() != time.UTC || e.Ref != "ASB-2" {
		t.Fatalf("merged case: %+v %v", e, ok)
	}
	for _, tc := range []struct {
		name string
		now  time.Time
		due  bool
	}{
		{"KeptADayBeforeSixYears", ended.AddDate(6, 0, -1), false},
		{"DueSixYearsAfterTheMerge", ended.AddDate(6, 0, 0), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := schedule().Decide(e, tc.now)
			if d.Due != tc.due || d.Entry.Name != "retention.asbCaseClosed" || d.Entry.Outcome != OutcomeMerged || !strings.Contains(d.Reason, "case it joined") {
				t.Errorf("got %+v, want due=%v under the merged entry", d, tc.due)
			}
		})
	}
	if _, ok := ASBEnded(asb.Case{Reference: "ASB-3", Status: asb.StatusMerged}); ok {
		t.Error("a case merged before its merge time was recorded ended (it has no time to start from)")
	}
}

func refusedApplication(eligible bool, circumstances ...string) register.Application {
	return register.Application{Applicant: register.Applicant{Details: contact.Details{Name: "Jo"}, DateOfBirth: "1990-05-01"}, Age: 36, EligibleImmigrationStatus: eligible, Circumstances: circumstances}
}

// HR-E1, HR-E2: an application decided ineligible or not qualifying is never closed, but it ends when that was
// decided, under its own outcome (refused), kept as long as an application closed unhoused (review within 21
// days, HA 1996 s.166A(9), the Ombudsman, judicial review).
func TestRetention_IneligibleApplicationEndsAtTheDecision(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a      register.Application
		status string
	}{
		{"Ineligible_HR-E1", refusedApplication(false, "sharing-facilities"), register.StatusIneligible},
		{"NotQualifying_HR-E2", refusedApplication(true), register.StatusNotQualifying},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := register.NewRecord("HR-1", tc.a, ended)
			e, ok := ApplicationEnded(r)
			if r.Decision.Status != tc.status || !ok || e.Outcome != OutcomeRefused || !e.At.Equal(ended) {
				t.Fatalf("%s: ended %+v %v", r.Decision.Status, e, ok)
			}
			if d := schedule().Decide(e, ended.AddDate(2, 0, -1)); d.Due || d.Entry.Outcome != OutcomeRefused || d.Entry.Name != "retention.applicationClosed" {
				t.Errorf("a day before two years: %+v", d)
			}
			if d := schedule().Decide(e, ended.AddDate(2, 0, 0)); !d.Due || d.Entry.Outcome != OutcomeRefused {
				t.Errorf("two years after the decision: %+v", d)
			}
		})
	}
	awaiting, _ := register.NewRecord("HR-2", refusedApplication(true, "sharing-facilities"), ended)
	if e, ok := ApplicationEnded(awaiting); ok {
		t.Errorf("an application awaiting verification ended: %+v", e)
	}
}

// A later change that leaves the refusal as it was keeps its time; one that makes the application qualify again
// means it has not ended (its ended-list entry goes with the change); refused again, it ends at the new decision.
func TestRetention_ApplicationThatQualifiesAgainHasNotEnded(t *testing.T) {
	by := casefile.Actor{ID: "o1", Name: "Officer"}
	r, _ := register.NewRecord("HR-1", refusedApplication(true), ended)
	steps := []struct {
		name    string
		change  register.CircumstancesChange
		at      time.Time
		ended   bool
		endedAt time.Time
	}{
		{"AChangeStillRefusedKeepsTheRefusalsTime", register.CircumstancesChange{HouseholdJoined: []register.Member{{Name: "Kim", DateOfBirth: "2018-02-01", Relationship: "child"}}}, ended.AddDate(0, 1, 0), true, ended},
		{"ANeedClaimedQualifiesAgain", register.CircumstancesChange{Circumstances: []string{"sharing-facilities"}}, ended.AddDate(0, 2, 0), false, time.Time{}},
		{"TheNeedEndedRefusedAgainFromThen", register.CircumstancesChange{CircumstancesEnded: []string{"sharing-facilities"}}, ended.AddDate(0, 3, 0), true, ended.AddDate(0, 3, 0)},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			mustEvent(t)(r.ChangeCircumstances(st.change, by, st.at))
			e, ok := ApplicationEnded(r)
			if ok != st.ended || ok && (!e.At.Equal(st.endedAt) || e.Outcome != OutcomeRefused) {
				t.Errorf("status %s: ended %+v %v, want ended=%v at %s", r.Decision.Status, e, ok, st.ended, st.endedAt)
			}
		})
	}
}
