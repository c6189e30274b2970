// ooh-processor: turns queued out-of-hours calls into ASB cases timed from the call (RULES ASB-10). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/asbapi"
)

func main() {
	fn := catalog.MustFunction("ooh-processor")
	deps := coldstart.Init(fn)
	svc := asbcases.Service{Store: dynamo.NewASBCases(deps.Store), Outbox: outbox.Outbox{Store: deps.Store, Queues: deps.Queues},
		Duty: asbcases.DutyOfficer{Email: deps.Setting(catalog.DutyOfficerMailbox), Phone: deps.Setting(catalog.DutyOfficerPhone)}}
	lambda.Start(tracing.Invocations(fn.Name, asbapi.CallQueue{Service: svc}.Process))
}
