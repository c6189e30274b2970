// referral-sender: emails ASB-6 referrals to the partner and safeguarding mailboxes through GOV.UK Notify and
// records them on the case timeline. Wiring only.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/govuknotify"
	"github.com/councilhousing/backend/shared/app/referralsender"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/sqsbatch"
)

func main() {
	fn := catalog.MustFunction("referral-sender")
	deps := coldstart.Init(fn)
	client, err := govuknotify.New(awsenv.Must("NOTIFY_BASE_URL"), deps.MustSecret("NOTIFY_API_KEY"))
	if err != nil {
		slog.Error("notify client", "error", err.Error())
		os.Exit(1)
	}
	s := referralsender.Sender{Cases: dynamo.NewASBCases(deps.Store), Records: dynamo.NotificationRecords{Store: deps.Store},
		Notify: govuknotify.Sender{Client: client}, Templates: deps.MapSetting(catalog.NotifyTemplates),
		Partners: deps.MapSetting(catalog.PartnerMailboxes), Teams: deps.MapSetting(catalog.TeamMailboxes)}
	lambda.Start(tracing.Invocations(fn.Name, sqsbatch.Bodies(s.Deliver)))
}
