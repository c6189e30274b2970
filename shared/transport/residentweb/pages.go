// Package residentweb is the resident pages' transport (the resident-web function): reporting anti-social
// behaviour, making a complaint, applying to the housing register and checking progress, as server-rendered
// pages that work without JavaScript. Each journey collects the same command the JSON API decodes (asb.Report,
// complaints.Submission, register.Application), checks it with the same validation, page by page, and sends it
// to the same application service method; it knows forms and pages, not the rules.
package residentweb

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/transport/web"
)

// Pages serves the resident pages over the application services.
type Pages struct {
	Web        *web.Server
	ASB        asbcases.Service
	Complaints complaintcases.Service
	Register   registercases.Service
	// Access is "check your progress": signing in with a one-time code and the resident's own records.
	Access residentaccess.Service
	// Retention is how long each kind of record is kept (the catalog's retention.* settings, ISO 8601
	// periods), for the privacy notice.
	Retention Retention
}

// Retention periods as configured (e.g. "P6Y").
type Retention struct {
	ASBCase, Complaint, ApplicationClosed, ApplicationHoused string
}

// Routes are resident-web's routes (shared/catalog declares them).
func (p Pages) Routes() web.Routes {
	asbJ, complaintJ := p.asbJourney(), p.complaintJourney()
	registerJ := p.registerJourney()
	return web.Routes{
		"GET /":                   p.start,
		"GET /report-asb/{page}":  asbJ.get,
		"POST /report-asb/{page}": asbJ.post,
		"GET /complain/{page}":    complaintJ.get,
		"POST /complain/{page}":   complaintJ.post,
		"GET /apply/{page}":       registerJ.get,
		"POST /apply/{page}":      registerJ.post,
		"GET /progress/{page}":    p.progressGet,
		"POST /progress/{page}":   p.progressPost,
		"GET /help/{page}":        p.help,
	}
}

func (p Pages) start(_ context.Context, r *web.Request) (web.Response, error) {
	return r.Render(http.StatusOK, "start", "start.title", web.Form{}, nil)
}

// helpPages are the accessibility statement, the privacy notice and the cookies page.
var helpPages = []string{"accessibility", "privacy", "cookies"}

func (p Pages) help(_ context.Context, r *web.Request) (web.Response, error) {
	page := r.Path("page")
	if !slices.Contains(helpPages, page) {
		return web.Response{}, web.NotFound()
	}
	return r.Render(http.StatusOK, "help-"+page, "help."+page+".title", web.Form{}, map[string]string{
		"retentionASB": period(r, p.Retention.ASBCase), "retentionComplaint": period(r, p.Retention.Complaint),
		"retentionApplicationClosed": period(r, p.Retention.ApplicationClosed), "retentionApplicationHoused": period(r, p.Retention.ApplicationHoused)})
}

// period is an ISO 8601 period of years or months (P6Y, P18M) in words; anything else as given.
func period(r *web.Request, iso string) string {
	var n int
	var unit string
	if _, err := fmt.Sscanf(iso, "P%d%s", &n, &unit); err == nil {
		switch unit {
		case "Y":
			return r.T("help.years", n)
		case "M":
			return r.T("help.months", n)
		}
	}
	return iso
}
