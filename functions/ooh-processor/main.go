// ooh-processor: turns queued out-of-hours calls into ASB cases timed from the call (RULES ASB-10). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/asbstore"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/transport/asbapi"
)

func main() {
	deps := coldstart.Init(catalog.ReferralsQueue, catalog.NotificationsQueue)
	svc := asbapi.Service{Store: asbstore.Store{Store: deps.Store}, Queues: deps.Queues}
	lambda.Start(svc.ProcessCalls)
}
