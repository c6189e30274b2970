// ooh-processor: turns queued out-of-hours calls into ASB cases timed from the call (RULES ASB-10). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/shared/asbapi"
	"github.com/councilhousing/backend/shared/asbstore"
	"github.com/councilhousing/backend/shared/runtime"
)

func main() {
	deps := runtime.Init(catalog.ReferralsQueue, catalog.NotificationsQueue)
	svc := asbapi.Service{Store: asbstore.Store{Store: deps.Store}, Queues: deps.Queues}
	lambda.Start(svc.ProcessCalls)
}
