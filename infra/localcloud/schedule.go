package localcloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London even on a machine without a zone database

	"github.com/robfig/cron/v3"

	"github.com/councilhousing/backend/shared/catalog"
)

// scheduledEvent is the input the stack gives EventBridge Scheduler's Lambda target: an EventBridge event whose
// time is the scheduled time. Locally the time is the clock's.
type scheduledEvent struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

// cronSpec converts AWS's cron(minutes hours day-of-month month day-of-week year) to the five fields
// robfig/cron reads, and returns the year field separately (robfig has none). AWS's "?" means "any", and its
// numbered week days run 1-7 from Sunday where robfig's run 0-6; names (MON-FRI) mean the same in both.
func cronSpec(expr string) (spec, years string, err error) {
	inner, ok := strings.CutPrefix(expr, "cron(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", "", fmt.Errorf("%q is not cron(...)", expr)
	}
	fields := strings.Fields(strings.TrimSuffix(inner, ")"))
	if len(fields) != 6 {
		return "", "", fmt.Errorf("%q needs six fields", expr)
	}
	if strings.ContainsAny(fields[2]+fields[4], "LW#") {
		return "", "", fmt.Errorf("%q: L, W and # are not supported locally", expr)
	}
	for i, f := range fields[:5] {
		if f == "?" {
			fields[i] = "*"
		}
	}
	fields[4] = shiftWeekdays(fields[4])
	return strings.Join(fields[:5], " "), fields[5], nil
}

var weekdayNumber = regexp.MustCompile(`(^|[,-])([1-7])`)

// shiftWeekdays turns AWS week-day numbers (1 = Sunday) into robfig's (0 = Sunday), leaving steps ("/2") alone.
func shiftWeekdays(field string) string {
	return weekdayNumber.ReplaceAllStringFunc(field, func(m string) string {
		return m[:len(m)-1] + string(m[len(m)-1]-1)
	})
}

// inYears reports whether year matches the AWS year field: *, a year, a range or a list of them.
func inYears(field string, year int) bool {
	if field == "*" || field == "?" {
		return true
	}
	for _, part := range strings.Split(field, ",") {
		from, to, isRange := strings.Cut(part, "-")
		if !isRange {
			to = from
		}
		lo, err1 := strconv.Atoi(from)
		hi, err2 := strconv.Atoi(to)
		if err1 == nil && err2 == nil && year >= lo && year <= hi {
			return true
		}
	}
	return false
}

// startSchedules runs each catalog schedule on its cron in Europe/London, against the machine's real time.
func (c *Cloud) startSchedules(ctx context.Context) error {
	london, err := time.LoadLocation(catalog.TimeZone)
	if err != nil {
		return err
	}
	c.cron = cron.New(cron.WithLocation(london))
	for name, s := range c.schedules {
		spec, years, err := cronSpec(s.schedule.Cron)
		if err != nil {
			return err
		}
		if _, err := c.cron.AddFunc(spec, func() {
			scheduled := time.Now().UTC().Truncate(time.Minute) // AWS's time is the scheduled time
			if !inYears(years, scheduled.In(london).Year()) {
				return
			}
			if _, err := c.fireSchedule(ctx, name, scheduled); err != nil {
				c.logf("schedule %s: %v", name, err)
			}
		}); err != nil {
			return fmt.Errorf("schedule %s: %w", name, err)
		}
	}
	c.cron.Start()
	return nil
}

// fireSchedule invokes the schedule's function with the input the stack gives EventBridge Scheduler. The
// event's time is the pinned clock's when pinned, else at (the scheduled time, or now for on-demand runs).
func (c *Cloud) fireSchedule(ctx context.Context, name string, at time.Time) ([]byte, error) {
	s, ok := c.schedules[name]
	if !ok {
		return nil, errUnknownSchedule
	}
	if c.Clock.Pinned() {
		at = c.Clock.Now()
	}
	ev := scheduledEvent{
		Version: "0", ID: newID(), DetailType: "Scheduled Event", Source: "aws.scheduler", Account: account,
		Time: at.UTC().Format(time.RFC3339), Region: region,
		Resources: []string{"arn:aws:scheduler:" + region + ":" + account + ":schedule/default/" + name}, Detail: json.RawMessage("{}"),
	}
	payload, _ := json.Marshal(ev)
	return s.fn.invoke(ctx, payload)
}

var errUnknownSchedule = errors.New("no such schedule")

// fireScheduleNow serves POST /_local/schedules/{name}.
func (c *Cloud) fireScheduleNow(w http.ResponseWriter, r *http.Request) {
	c.logf("schedule %s fired on request", r.PathValue("name"))
	out, err := c.fireSchedule(r.Context(), r.PathValue("name"), c.Clock.Now())
	switch {
	case errors.Is(err, errUnknownSchedule):
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "no such schedule", "schedules": c.scheduleNames()})
	case err != nil:
		answer := map[string]string{"message": err.Error()}
		var fe *FunctionError
		if errors.As(err, &fe) {
			answer["errorType"], answer["errorMessage"] = fe.Type, fe.Message
		}
		writeJSON(w, http.StatusBadGateway, answer)
	default:
		w.Header().Set("Content-Type", "application/json")
		if len(out) == 0 || string(out) == "null" {
			out = []byte("{}")
		}
		_, _ = w.Write(out)
	}
}

func (c *Cloud) scheduleNames() []string {
	return slices.Sorted(maps.Keys(c.schedules))
}
