package testsupport

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Sample reads a sample event from the repository's events/ folder.
func Sample(t testing.TB, name string, v any) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// ReminderSchedule is the reminder schedule's event (events/schedule-deadline-reminders.json, a Friday
// morning), moved to 07:00 UTC on day when day is not "".
func ReminderSchedule(t testing.TB, day string) events.EventBridgeEvent {
	var ev events.EventBridgeEvent
	Sample(t, "schedule-deadline-reminders.json", &ev)
	if day != "" {
		ev.Time, _ = time.Parse(time.RFC3339, day+"T07:00:00Z")
	}
	return ev
}
