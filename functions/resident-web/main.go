// resident-web: the resident pages (report ASB, make a complaint, apply to the housing register, check progress)
// over the same application services as the JSON API. Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/residentweb"
	"github.com/councilhousing/backend/shared/transport/web"
	files "github.com/councilhousing/backend/shared/web"
)

func main() {
	fn := catalog.MustFunction(catalog.ResidentWebFunction)
	deps := coldstart.Init(fn)
	box := outbox.Outbox{Store: deps.Store, Queues: deps.Queues}
	landlord := complaints.Landlord{Name: deps.Setting(catalog.LandlordName), Address: deps.Setting(catalog.LandlordAddress),
		Phone: deps.Setting(catalog.LandlordPhone), Email: deps.Setting(catalog.LandlordEmail)}
	server := web.NewServer(web.MustLoadTemplates(files.ResidentTemplateFiles()), files.ResidentTexts(), dynamo.Sessions{Store: deps.Store},
		web.Site{Name: landlord.Name, Phone: landlord.Phone, Email: landlord.Email, Address: landlord.Address})
	asbCases, complaintStore, applications := dynamo.NewASBCases(deps.Store), dynamo.NewComplaints(deps.Store), dynamo.NewApplications(deps.Store)
	pages := residentweb.Pages{Web: server,
		ASB: asbcases.Service{Store: asbCases, Outbox: box,
			Duty: asbcases.DutyOfficer{Email: deps.Setting(catalog.DutyOfficerMailbox), Phone: deps.Setting(catalog.DutyOfficerPhone)}},
		Complaints: complaintcases.Service{Store: complaintStore, Outbox: box, Landlord: landlord},
		Register:   registercases.Service{Store: applications, Outbox: box},
		Access: residentaccess.Service{Codes: dynamo.SignInCodes{Store: deps.Store}, Directory: dynamo.ContactDirectory{Store: deps.Store}, Outbox: box,
			ASB: asbCases, Complaints: complaintStore, Applications: applications},
		Retention: residentweb.Retention{ASBCase: deps.Setting(catalog.RetentionASBCaseClosed), Complaint: deps.Setting(catalog.RetentionComplaintClosed),
			ApplicationClosed: deps.Setting(catalog.RetentionApplicationClosed), ApplicationHoused: deps.Setting(catalog.RetentionApplicationHoused)}}
	lambda.Start(tracing.Invocations(fn.Name, server.Handler(fn, pages.Routes())))
}
