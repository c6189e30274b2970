// notifier: sends emails and texts through GOV.UK Notify and records them on the case timeline. Wiring only.
package main

import (
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/govuknotify"
	"github.com/councilhousing/backend/shared/app/notificationsender"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/sqsbatch"
)

func main() {
	fn := catalog.MustFunction("notifier")
	deps := coldstart.Init(fn)
	client, err := govuknotify.New(awsenv.Must("NOTIFY_BASE_URL"), deps.MustSecret("NOTIFY_API_KEY"))
	if err != nil {
		slog.Error("notify client", "error", err.Error())
		os.Exit(1)
	}
	templates := map[string]string{}
	if err := json.Unmarshal([]byte(deps.Setting(catalog.NotifyTemplates)), &templates); err != nil {
		slog.Error("notifyTemplates (NOTIFY_TEMPLATES) must be a JSON object of template[.language][.channel] -> Notify template id", "error", err.Error())
		os.Exit(1)
	}
	n := notificationsender.Notifier{Records: dynamo.NotificationRecords{Store: deps.Store}, Notify: govuknotify.Sender{Client: client}, Templates: templates}
	lambda.Start(tracing.Invocations(fn.Name, sqsbatch.Bodies(n.Deliver)))
}
