package retention_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	rules "github.com/councilhousing/backend/shared/rules/retention"
	"github.com/councilhousing/backend/shared/testsupport"
)

var now = time.Date(2026, 11, 30, 2, 30, 0, 0, time.UTC)

func job(t *testing.T, mem *testsupport.Retention) retention.Job {
	t.Helper()
	s, err := retention.ScheduleFrom(func(catalog.Setting) string { return "" }) // the defaults: P6Y, P6Y, P2Y, P6Y
	if err != nil {
		t.Fatal(err)
	}
	return retention.Job{Schedule: s, Lists: mem, Anonymiser: mem, Runs: mem, NewID: func() string { return "RUN-1" }}
}

func ended(kind casefile.Kind, ref, outcome string, at time.Time) rules.Ended {
	return rules.Ended{Kind: kind, Ref: ref, Outcome: outcome, At: at}
}

func counts(r retention.Run) map[string][2]int {
	out := map[string][2]int{}
	for _, e := range r.Entries {
		out[e.Entry+"/"+e.Outcome] = [2]int{e.Anonymised, e.AlreadyAnonymised} // a setting may configure more than one entry
	}
	return out
}

func TestRetentionJob_AnonymisesExactlyTheRecordsDue(t *testing.T) {
	mem := testsupport.NewRetention()
	due := []rules.Ended{
		ended(casefile.ASB, "ASB-OLD", rules.OutcomeClosed, now.AddDate(-6, 0, -1)),
		ended(casefile.Complaint, "CMP-OLD", rules.OutcomeClosed, now.AddDate(-7, 0, 0)),
		ended(casefile.Application, "HR-CLOSED", rules.OutcomeClosed, now.AddDate(-2, 0, -3)),
		ended(casefile.Application, "HR-HOUSED-OLD", rules.OutcomeHoused, now.AddDate(-6, -1, 0)),
		ended(casefile.ASB, "ASB-MERGED-OLD", rules.OutcomeMerged, now.AddDate(-6, 0, -1)),
		ended(casefile.Application, "HR-REFUSED-OLD", rules.OutcomeRefused, now.AddDate(-2, 0, -1)),
	}
	kept := []rules.Ended{
		ended(casefile.ASB, "ASB-NEW", rules.OutcomeClosed, now.AddDate(-5, 0, 0)),
		ended(casefile.Complaint, "CMP-NEW", rules.OutcomeClosed, now.AddDate(0, -1, 0)),
		ended(casefile.Application, "HR-HOUSED", rules.OutcomeHoused, now.AddDate(-3, 0, 0)), // housed: six years, not two
		ended(casefile.ASB, "ASB-MERGED", rules.OutcomeMerged, now.AddDate(-5, 0, 0)),
		ended(casefile.Application, "HR-REFUSED", rules.OutcomeRefused, now.AddDate(-1, 0, 0)),
	}
	for _, e := range append(append([]rules.Ended{}, due...), kept...) {
		mem.End(e)
	}
	run, err := job(t, mem).Run(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range due {
		if m, ok := mem.Marks[e.Ref]; !ok || !m.On.Equal(now) || m.Rule != rules.RuleStorageLimitation || m.Entry == "" {
			t.Errorf("%s was due: mark %+v %v", e.Ref, m, ok)
		}
	}
	for _, e := range kept {
		if _, ok := mem.Marks[e.Ref]; ok {
			t.Errorf("%s is within its period but was anonymised", e.Ref)
		}
	}
	if mem.Marks["ASB-OLD"].Entry != catalog.RetentionASBCaseClosed.Name || mem.Marks["HR-HOUSED-OLD"].Entry != catalog.RetentionApplicationHoused.Name {
		t.Errorf("marks name the wrong entries: %+v", mem.Marks)
	}
	// a merged case and a refused application: the settings of a closed case and a closed application, each
	// marked with its own outcome so the audit says which line of the schedule applied
	if m := mem.Marks["ASB-MERGED-OLD"]; m.Entry != catalog.RetentionASBCaseClosed.Name || m.Outcome != rules.OutcomeMerged {
		t.Errorf("merged case marked %+v", m)
	}
	if m := mem.Marks["HR-REFUSED-OLD"]; m.Entry != catalog.RetentionApplicationClosed.Name || m.Outcome != rules.OutcomeRefused {
		t.Errorf("refused application marked %+v", m)
	}
	want := map[string][2]int{"retention.asbCaseClosed/closed": {1, 0}, "retention.asbCaseClosed/merged": {1, 0}, "retention.complaintClosed/closed": {1, 0},
		"retention.applicationClosed/closed": {1, 0}, "retention.applicationClosed/refused": {1, 0}, "retention.applicationHoused/housed": {1, 0}}
	if got := counts(run); fmt.Sprint(got) != fmt.Sprint(want) || !run.Finished || len(mem.Runs) != 1 || mem.Runs[0].ID != "RUN-1" {
		t.Errorf("run %+v recorded %d times, counts %v, want %v", run, len(mem.Runs), got, want)
	}
}

func TestRetentionJob_ReRunIsSafeAndReadsNothingDone(t *testing.T) {
	mem := testsupport.NewRetention()
	mem.End(ended(casefile.ASB, "ASB-OLD", rules.OutcomeClosed, now.AddDate(-7, 0, 0)))
	j := job(t, mem)
	if _, err := j.Run(context.Background(), now); err != nil {
		t.Fatal(err)
	}
	calls := mem.Anonymises
	again, err := j.Run(context.Background(), now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if mem.Anonymises != calls || counts(again)["retention.asbCaseClosed/closed"] != [2]int{0, 0} || len(mem.Runs) != 2 {
		t.Errorf("a second run worked again: %d anonymise calls after %d, %+v", mem.Anonymises, calls, again)
	}
}

func TestRetentionJob_AlreadyErasedIsCountedNotRedone(t *testing.T) {
	mem := testsupport.NewRetention()
	mem.End(ended(casefile.Complaint, "CMP-ERASED", rules.OutcomeClosed, now.AddDate(-7, 0, 0)))
	mem.Marks["CMP-ERASED"] = retention.Mark{Entry: retention.EntryErasure}
	run, err := job(t, mem).Run(context.Background(), now)
	if err != nil || counts(run)["retention.complaintClosed/closed"] != [2]int{0, 1} || mem.Marks["CMP-ERASED"].Entry != retention.EntryErasure {
		t.Errorf("an erased record: %+v %v, mark %+v", run, err, mem.Marks["CMP-ERASED"])
	}
}

func TestRetentionJob_BoundedRunCarriesOnNextTime(t *testing.T) {
	mem := testsupport.NewRetention()
	for i := range 5 {
		mem.End(ended(casefile.ASB, fmt.Sprintf("ASB-%d", i), rules.OutcomeClosed, now.AddDate(-7, 0, i)))
	}
	j := job(t, mem)
	j.MaxPerRun, j.PageSize = 2, 2
	var total []int
	for range 3 {
		run, err := j.Run(context.Background(), now)
		if err != nil {
			t.Fatal(err)
		}
		total = append(total, len(mem.Marks))
		if last := len(mem.Marks) == 5; run.Finished != last {
			t.Errorf("after %d anonymised the run says finished=%v", len(mem.Marks), run.Finished)
		}
	}
	if fmt.Sprint(total) != "[2 4 5]" {
		t.Errorf("anonymised after each run: %v, want [2 4 5]", total)
	}
}

func TestRetentionJob_FailureKeepsItsPlaceForTheNextRun(t *testing.T) {
	mem := testsupport.NewRetention()
	mem.End(ended(casefile.ASB, "ASB-A", rules.OutcomeClosed, now.AddDate(-8, 0, 0)))
	mem.FailOn = "ASB-A"
	j := job(t, mem)
	if _, err := j.Run(context.Background(), now); err == nil {
		t.Fatal("a failed anonymising was not reported")
	}
	mem.FailOn = ""
	if _, err := j.Run(context.Background(), now); err != nil || mem.Marks["ASB-A"].Entry == "" {
		t.Errorf("the next run did not carry on: %v %+v", err, mem.Marks)
	}
}

func TestRetentionSchedule_FromConfigurationWithReasons(t *testing.T) {
	s, err := retention.ScheduleFrom(func(st catalog.Setting) string {
		if st.Name == catalog.RetentionApplicationClosed.Name {
			return "P18M"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	e, ok := s.For(casefile.Application, rules.OutcomeClosed)
	if !ok || e.Period.String() != "P18M" || e.Reason != catalog.RetentionApplicationClosed.Reason {
		t.Errorf("configured entry: %+v", e)
	}
	// the second entries of two settings: the same period, each with its reason
	if e, ok := s.For(casefile.Application, rules.OutcomeRefused); !ok || e.Name != catalog.RetentionApplicationClosed.Name || e.Period.String() != "P18M" ||
		e.Reason != catalog.RetentionApplicationClosed.Reason {
		t.Errorf("refused applications' entry: %+v", e)
	}
	if e, ok := s.For(casefile.ASB, rules.OutcomeMerged); !ok || e.Name != catalog.RetentionASBCaseClosed.Name || e.Period.String() != "P6Y" ||
		e.Reason != retention.MergedASBCaseReason {
		t.Errorf("merged ASB cases' entry: %+v", e)
	}
	if _, err := retention.ScheduleFrom(func(catalog.Setting) string { return "six years" }); err == nil {
		t.Error("a malformed period was accepted")
	}
}
