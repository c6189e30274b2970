// Package retentionjob is the retention job's transport: EventBridge Scheduler's event in, one run of the job at
// the event's time, its counts out (and in the log: counts per schedule entry, never a reference or a name). Run
// by hand with "reapply", it anonymises again the records erased on request that a restore from backup brought
// back (README, "Backups, restores and erasure").
package retentionjob

import (
	"context"
	"errors"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/retention"
)

// Handler runs the job for a scheduled event.
type Handler struct{ Job retention.Job }

// Invocation is the scheduled event, or an invocation by hand that also carries erasures to re-apply.
type Invocation struct {
	events.EventBridgeEvent
	Reapply []retention.Erasure `json:"reapply,omitempty"`
}

// Result is what the invocation did.
type Result struct {
	retention.Run
	Reapplied        int `json:"reapplied,omitempty"`
	ReappliedAlready int `json:"reappliedAlready,omitempty"`
}

// Handle re-applies the erasures given, if any, then runs the job "now" as the event says (the schedule's time;
// locally, the local cloud's clock).
func (h Handler) Handle(ctx context.Context, ev Invocation) (Result, error) {
	if ev.Time.IsZero() {
		return Result{}, errors.New("the invocation has no time (the scheduled event's time, RFC 3339)")
	}
	var out Result
	if len(ev.Reapply) > 0 {
		n, already, err := h.Job.Reapply(ctx, ev.Reapply)
		out.Reapplied, out.ReappliedAlready = n, already
		slog.InfoContext(ctx, "erasures re-applied", "anonymised", n, "alreadyAnonymised", already, "given", len(ev.Reapply))
		if err != nil {
			slog.ErrorContext(ctx, "re-applying erasures stopped", "error", err.Error())
			return out, err
		}
	}
	run, err := h.Job.Run(ctx, ev.Time)
	out.Run = run
	for _, e := range run.Entries {
		slog.InfoContext(ctx, "retention entry", "entry", e.Entry, "outcome", e.Outcome, "period", e.Period, "endedBy", e.EndedBy,
			"anonymised", e.Anonymised, "alreadyAnonymised", e.AlreadyAnonymised, "finished", e.Finished)
	}
	if err != nil {
		slog.ErrorContext(ctx, "retention run stopped", "error", err.Error(), "run", run.ID)
		return out, err
	}
	slog.InfoContext(ctx, "retention run", "run", run.ID, "finished", run.Finished)
	return out, nil
}
