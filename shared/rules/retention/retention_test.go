package retention

import (
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
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
		{Name: "retention.complaintClosed", Kind: casefile.Complaint, Outcome: OutcomeClosed, Period: p("P6Y"), Reason: "Limitation Act 1980"},
		{Name: "retention.applicationClosed", Kind: casefile.Application, Outcome: OutcomeClosed, Period: p("P2Y"), Reason: "review, Ombudsman"},
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
