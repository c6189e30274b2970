// complaint-escalation: complaints under the Housing Ombudsman's Complaint Handling Code (RULES CH). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/transport/complaintsapi"
)

func main() {
	deps := coldstart.Init(catalog.NotificationsQueue)
	svc := complaintsapi.Service{Store: deps.Store, Queues: deps.Queues, Homes: awsenv.Int("HOMES_COUNT", 0)}
	lambda.Start(svc.Routes().Handler())
}
