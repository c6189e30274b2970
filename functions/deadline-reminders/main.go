// deadline-reminders: weekday 07:00 (Europe/London) reminders of deadlines due soon, due today and overdue. Wiring only.
package main

import (
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/reminders"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
)

func main() {
	fn := catalog.MustFunction("deadline-reminders")
	deps := coldstart.Init(fn)
	var boxes reminders.Mailboxes
	if err := json.Unmarshal([]byte(deps.Setting(catalog.TeamMailboxes)), &boxes); err != nil {
		slog.Error("mailboxes.teams (TEAM_MAILBOXES) must be a JSON object of team, manager group or officer id -> mailbox", "error", err.Error())
		os.Exit(1)
	}
	runner := dynamo.NewReminderRunner(deps.Store, deps.Queues, boxes)
	lambda.Start(tracing.Invocations(fn.Name, runner.Run))
}
