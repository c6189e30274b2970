// notify-receipts: GOV.UK Notify's delivery receipts (its callback, with the bearer token we chose), recorded on
// the timeline of the case each notification was about. Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/app/deliveryreceipts"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/notifyapi"
)

func main() {
	fn := catalog.MustFunction(catalog.NotifyReceiptsFunction)
	deps := coldstart.Init(fn)
	h := notifyapi.Receipts{Token: deps.MustSecret(catalog.NotifyCallbackToken.Env),
		Service: deliveryreceipts.Service{Records: dynamo.NotificationReceipts{Store: deps.Store}}}
	lambda.Start(tracing.Invocations(fn.Name, h.Routes().Handler(fn)))
}
