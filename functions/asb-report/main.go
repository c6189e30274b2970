// asb-report: ASB reports from the public and ASB case management (RULES ASB). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/shared/asbapi"
	"github.com/councilhousing/backend/shared/asbstore"
	"github.com/councilhousing/backend/shared/awsenv"
	"github.com/councilhousing/backend/shared/runtime"
)

func main() {
	deps := runtime.Init(catalog.ReferralsQueue, catalog.NotificationsQueue)
	svc := asbapi.Service{Store: asbstore.Store{Store: deps.Store}, Queues: deps.Queues, Homes: awsenv.Int("HOMES_COUNT", 0)}
	lambda.Start(svc.Routes().Handler())
}
