// register-application: housing register eligibility, applications and banding with reasons (RULES HR). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/shared/registerapi"
	"github.com/councilhousing/backend/shared/runtime"
)

func main() {
	deps := runtime.Init(catalog.NotificationsQueue)
	svc := registerapi.Service{Store: deps.Store, Queues: deps.Queues}
	lambda.Start(svc.Routes().Handler())
}
