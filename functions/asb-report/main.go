// asb-report: ASB reports from the public and ASB case management (RULES ASB). Wiring only.
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
	fn := catalog.MustFunction("asb-report")
	deps := coldstart.Init(fn)
	svc := asbcases.Service{Store: dynamo.NewASBCases(deps.Store), Outbox: outbox.Outbox{Store: deps.Store, Queues: deps.Queues},
		Homes: deps.IntSetting(catalog.HomesCount),
		Duty:  asbcases.DutyOfficer{Email: deps.Setting(catalog.DutyOfficerMailbox), Phone: deps.Setting(catalog.DutyOfficerPhone)}}
	lambda.Start(tracing.Invocations(fn.Name, asbapi.API{Service: svc, Answers: deps.Store}.Routes().Handler(fn)))
}
