// subject-access: subject access requests (UK GDPR Art 15), and erasure and rectification on request (Art 17,
// 16), for the information governance team. Wiring only.
package main

import (
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/transport/subjectaccessapi"
)

func main() {
	fn := catalog.MustFunction(catalog.SubjectAccessFunction)
	deps := coldstart.Init(fn)
	schedule, err := retention.ScheduleFrom(deps.Setting)
	if err != nil {
		slog.Error("retention periods", "error", err.Error())
		os.Exit(1)
	}
	svc := subjectaccess.Service{Store: dynamo.NewSubjectAccessRequests(deps.Store), Outbox: outbox.Outbox{Store: deps.Store, Queues: deps.Queues},
		Directory: dynamo.ContactDirectory{Store: deps.Store}, ASB: dynamo.NewASBCases(deps.Store),
		Complaints: dynamo.NewComplaints(deps.Store), Applications: dynamo.NewApplications(deps.Store),
		Schedule: schedule, Anonymiser: dynamo.Anonymiser{Store: deps.Store}, Contacts: dynamo.ContactEditor{Store: deps.Store},
		TokenKey: deps.Store.TokenKey}
	lambda.Start(tracing.Invocations(fn.Name, subjectaccessapi.API{Service: svc, Answers: deps.Store}.Routes().Handler(fn)))
}
