// retention-job: daily, anonymises the records whose retention period has ended (UK GDPR Art 5(1)(e)). Wiring only.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/retentionjob"
)

func main() {
	fn := catalog.MustFunction(catalog.RetentionJobFunction)
	deps := coldstart.Init(fn)
	schedule, err := retention.ScheduleFrom(deps.Setting)
	if err != nil {
		slog.Error("retention periods", "error", err.Error())
		os.Exit(1)
	}
	lists := dynamo.EndedLists{Store: deps.Store}
	job := retention.Job{Schedule: schedule, Lists: lists, Runs: lists, Anonymiser: dynamo.Anonymiser{Store: deps.Store},
		NewID: func() string { return ids.NewReference("RUN") }}
	lambda.Start(tracing.Invocations(fn.Name, retentionjob.Handler{Job: job}.Handle))
}
