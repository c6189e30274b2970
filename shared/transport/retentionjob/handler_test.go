package retentionjob

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/testsupport"
)

func handler(t *testing.T, mem *testsupport.Retention) Handler {
	s, err := retention.ScheduleFrom(func(catalog.Setting) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return Handler{Job: retention.Job{Schedule: s, Lists: mem, Anonymiser: mem, Runs: mem}}
}

// The scheduled event runs the job at the event's time; an invocation by hand with "reapply" first anonymises
// again the records erased on request (after a restore), marked as their erasure was.
func TestRetentionJobHandler_ScheduledRunAndReapply(t *testing.T) {
	mem := testsupport.NewRetention()
	var ev Invocation
	testsupport.Sample(t, "schedule-deadline-reminders.json", &ev)
	out, err := handler(t, mem).Handle(context.Background(), ev)
	if err != nil || len(out.Entries) != 6 || !out.At.Equal(ev.Time) || len(mem.Runs) != 1 {
		t.Fatalf("scheduled run: %+v %v", out, err)
	}
	var manual Invocation
	if err := json.Unmarshal([]byte(`{"time":"2026-12-01T03:00:00Z","reapply":[{"kind":"complaint","reference":"CMP-1","request":"SAR-1","on":"2026-11-20"},
		{"kind":"asb","reference":"ASB-1","request":"SAR-1","on":"2026-11-20"}]}`), &manual); err != nil {
		t.Fatal(err)
	}
	mem.Marks["ASB-1"] = retention.Mark{Entry: retention.EntryErasure}
	out, err = handler(t, mem).Handle(context.Background(), manual)
	if err != nil || out.Reapplied != 1 || out.ReappliedAlready != 1 || mem.Marks["CMP-1"].Request != "SAR-1" || mem.Marks["CMP-1"].Entry != retention.EntryErasure {
		t.Errorf("reapply: %+v %v, marks %+v", out, err, mem.Marks)
	}
	bad := manual
	bad.Reapply = []retention.Erasure{{Kind: casefile.SubjectAccess, Ref: "SAR-9", On: "2026-11-20"}}
	if _, err := handler(t, mem).Handle(context.Background(), bad); err == nil {
		t.Error("a subject access request was re-applied as an erasure")
	}
	if _, err := handler(t, mem).Handle(context.Background(), Invocation{}); err == nil {
		t.Error("an invocation without a time ran")
	}
}
