// asb-report: ASB reports from the public and ASB case management (RULES ASB). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/asbstore"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/transport/asbapi"
)

func main() {
	deps := coldstart.Init(catalog.ReferralsQueue, catalog.NotificationsQueue)
	svc := asbapi.Service{Store: asbstore.Store{Store: deps.Store}, Queues: deps.Queues, Homes: awsenv.Int("HOMES_COUNT", 0)}
	lambda.Start(svc.Routes().Handler())
}
