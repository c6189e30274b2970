// register-application: housing register eligibility, applications and banding with reasons (RULES HR). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/registerapi"
)

func main() {
	fn := catalog.MustFunction("register-application")
	deps := coldstart.Init(fn)
	svc := registercases.Service{Store: dynamo.NewApplications(deps.Store), Outbox: outbox.Outbox{Store: deps.Store, Queues: deps.Queues}}
	lambda.Start(tracing.Invocations(fn.Name, registerapi.API{Service: svc, Answers: deps.Store}.Routes().Handler(fn)))
}
