// register-application: housing register eligibility, applications and banding with reasons (RULES HR). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/transport/registerapi"
)

func main() {
	deps := coldstart.Init(catalog.NotificationsQueue)
	svc := registerapi.Service{Store: deps.Store, Queues: deps.Queues}
	lambda.Start(svc.Routes().Handler())
}
