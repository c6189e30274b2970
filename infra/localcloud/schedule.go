package localcloud

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/councilhousing/backend/infra/catalog"
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

// cronSpec converts AWS's cron(min hour day-of-month month day-of-week year) to the five fields robfig/cron
// reads; AWS's "?" means "any".
func cronSpec(aws string) (string, error) {
	inner, ok := strings.CutPrefix(aws, "cron(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return "", fmt.Errorf("%q is not cron(...)", aws)
	}
	fields := strings.Fields(strings.TrimSuffix(inner, ")"))
	if len(fields) != 6 {
		return "", fmt.Errorf("%q needs six fields", aws)
	}
	for i, f := range fields[:5] {
		if f == "?" {
			fields[i] = "*"
		}
	}
	return strings.Join(fields[:5], " "), nil
}

// startSchedules runs each catalog schedule on its cron in Europe/London.
func (c *Cloud) startSchedules(ctx context.Context) error {
	london, err := time.LoadLocation(catalog.TimeZone)
	if err != nil {
		return err
	}
	c.cron = cron.New(cron.WithLocation(london))
	for name, s := range c.schedules {
		spec, err := cronSpec(s.schedule.Cron)
		if err != nil {
			return err
		}
		if _, err := c.cron.AddFunc(spec, func() {
			if _, err := c.fireSchedule(ctx, name); err != nil {
				c.logf("schedule %s: %v", name, err)
			}
		}); err != nil {
			return fmt.Errorf("schedule %s: %w", name, err)
		}
	}
	c.cron.Start()
	return nil
}

func (c *Cloud) fireSchedule(ctx context.Context, name string) ([]byte, error) {
	s, ok := c.schedules[name]
	if !ok {
		return nil, errUnknownSchedule
	}
	ev := scheduledEvent{
		Version: "0", ID: newID(), DetailType: "Scheduled Event", Source: "aws.scheduler", Account: "000000000000",
		Time: c.Clock.Now().UTC().Format(time.RFC3339), Region: "eu-west-2",
		Resources: []string{"arn:aws:scheduler:eu-west-2:000000000000:schedule/default/" + name}, Detail: json.RawMessage("{}"),
	}
	payload, _ := json.Marshal(ev)
	return s.fn.invoke(ctx, payload)
}

var errUnknownSchedule = fmt.Errorf("no such schedule")

// fireScheduleNow serves POST /_local/schedules/{name}.
func (c *Cloud) fireScheduleNow(w http.ResponseWriter, r *http.Request) {
	out, err := c.fireSchedule(r.Context(), r.PathValue("name"))
	switch {
	case err == errUnknownSchedule:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "no such schedule", "schedules": c.scheduleNames()})
	case err != nil:
		writeJSON(w, http.StatusBadGateway, map[string]string{"message": err.Error()})
	default:
		w.Header().Set("Content-Type", "application/json")
		if len(out) == 0 || string(out) == "null" {
			out = []byte("{}")
		}
		_, _ = w.Write(out)
	}
}

func (c *Cloud) scheduleNames() []string {
	var names []string
	for n := range c.schedules {
		names = append(names, n)
	}
	return names
}
