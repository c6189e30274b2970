// staff-web: the staff console (work queue, find, case pages and their actions as forms) over the same
// application services as the JSON API, signed in through the staff user pool's managed login. Wiring only.
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/staffweb"
	"github.com/councilhousing/backend/shared/transport/web"
)

func main() {
	fn := catalog.MustFunction(catalog.StaffWebFunction)
	deps := coldstart.Init(fn)
	box := outbox.Outbox{Store: deps.Store, Queues: deps.Queues}
	landlord := complaints.Landlord{Name: deps.Setting(catalog.LandlordName), Address: deps.Setting(catalog.LandlordAddress),
		Phone: deps.Setting(catalog.LandlordPhone), Email: deps.Setting(catalog.LandlordEmail)}
	server := staffweb.NewServer(staffweb.LoadTemplates(), dynamo.Sessions{Store: deps.Store, Prefix: dynamo.PKStaffSession},
		web.Site{Name: landlord.Name, Phone: landlord.Phone, Email: landlord.Email, Address: landlord.Address})
	asbService := asbcases.Service{Store: dynamo.NewASBCases(deps.Store), Outbox: box, Homes: deps.IntSetting(catalog.HomesCount),
		Duty: asbcases.DutyOfficer{Email: deps.Setting(catalog.DutyOfficerMailbox), Phone: deps.Setting(catalog.DutyOfficerPhone)}}
	registerService := registercases.Service{Store: dynamo.NewApplications(deps.Store), Outbox: box}
	consoleService := console.Service{Deadlines: dynamo.ReminderTables{Store: deps.Store}, Views: dynamo.CaseViews{Store: deps.Store}, ASB: asbService,
		Register: registerService, Contacts: dynamo.ContactDirectory{Store: deps.Store}, Postcodes: dynamo.ContactDirectory{Store: deps.Store},
		Audit: dynamo.StaffAudit{Store: deps.Store}}
	pages := staffweb.Pages{Web: server, SignIn: staffweb.ProviderFromEnv(deps.Setting(catalog.SiteURL)),
		Console:    consoleService,
		Complaints: complaintcases.Service{Store: dynamo.NewComplaints(deps.Store), Outbox: box, Homes: deps.IntSetting(catalog.HomesCount), Landlord: landlord},
		Register:   registerService,
		ASB:        asbService,
		Answers:    deps.Store}
	lambda.Start(tracing.Invocations(fn.Name, server.Handler(fn, pages.Routes())))
}
