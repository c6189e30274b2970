// ooh-intake: the out-of-hours line's signed webhook; verifies it and queues the call (RULES ASB-10). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/asbapi"
)

func main() {
	fn := catalog.MustFunction("ooh-intake")
	deps := coldstart.Init(fn)
	intake := asbapi.WebhookIntake{Secret: deps.MustSecret("OOH_WEBHOOK_SECRET"), Claims: deps.Store, Queues: deps.Queues}
	lambda.Start(tracing.Invocations(fn.Name, intake.Routes().Handler(fn)))
}
