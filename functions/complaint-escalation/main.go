// complaint-escalation: complaints under the Housing Ombudsman's Complaint Handling Code (RULES CH). Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/complaintsapi"
)

func main() {
	fn := catalog.MustFunction("complaint-escalation")
	deps := coldstart.Init(fn)
	svc := complaintcases.Service{Store: dynamo.NewComplaints(deps.Store), Outbox: outbox.Outbox{Store: deps.Store, Queues: deps.Queues},
		Homes: deps.IntSetting(catalog.HomesCount),
		Landlord: complaints.Landlord{Name: deps.Setting(catalog.LandlordName), Address: deps.Setting(catalog.LandlordAddress),
			Phone: deps.Setting(catalog.LandlordPhone), Email: deps.Setting(catalog.LandlordEmail)}}
	lambda.Start(tracing.Invocations(fn.Name, complaintsapi.API{Service: svc, Answers: deps.Store}.Routes().Handler(fn)))
}
