// Package registerapi is the register-application function's JSON transport: each handler decodes the request
// into a command, calls the housing register application service (shared/app/registercases) and encodes the
// typed answer. It knows HTTP, not the allocation scheme.
package registerapi

import (
	"context"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// API serves the register routes over the service.
type API struct {
	Service registercases.Service
	Answers idem.Answers // stored answers for Idempotency-Key retries
}

const app = "/register/applications/{reference}"

// Routes are register-application's routes (shared/catalog declares them, with their groups).
func (a API) Routes() httpapi.Routes {
	s := a.Service
	return httpapi.Routes{
		"POST /register/eligibility":              a.eligibility,
		"POST /register/applications":             a.apply,
		"GET " + app:                              a.status,
		"POST " + app + "/circumstances":          residentChange(s.ChangeCircumstances),
		"POST " + app + "/review-request":         residentChange(s.RequestReview),
		"GET /register/applications":              a.list,
		"GET " + app + "/record":                  a.record,
		"GET " + app + "/timeline":                httpapi.StaffHistory(s.History),
		"POST " + app + "/claims":                 httpapi.StaffAction(s.VerifyClaim, recordOf),
		"POST " + app + "/decisions":              httpapi.StaffAction(s.RecordCouncilDecision, recordOf),
		"POST " + app + "/medical-award":          httpapi.StaffAction(s.RecordMedicalAward, recordOf),
		"POST " + app + "/debt":                   httpapi.StaffAction(s.UpdateDebt, recordOf),
		"POST " + app + "/unacceptable-behaviour": httpapi.StaffAction(s.RecordBehaviour, recordOf),
		"POST " + app + "/debt-exceptions":        httpapi.StaffAction(s.RecordDebtException, recordOf),
		"POST " + app + "/removal":                httpapi.StaffAction(s.Remove, recordOf),
		"POST " + app + "/closure":                httpapi.StaffAction(s.Close, recordOf),
		"POST " + app + "/assignment":             httpapi.StaffAction(s.Assign, recordOf),
		"POST " + app + "/offers":                 httpapi.StaffAction(s.RecordOffer, recordOf),
		"POST " + app + "/statutory-review":       httpapi.StaffAction(s.RecordStatutoryReview, recordOf),
		"POST " + app + "/review-decision":        httpapi.StaffAction(s.DecideReview, recordOf),
		"GET /register/priority-list":             a.priorityList,
		"GET /reports/register":                   a.bandReport,
	}
}

// Contracts are the routes' typed requests and answers (infra/api keeps openapi.yaml in step with them).
func Contracts() []httpapi.Contract {
	staff := func(path string, in any) httpapi.Contract {
		return httpapi.Contract{Route: "POST " + app + path, Request: in, Response: Record{}, Status: http.StatusOK}
	}
	return []httpapi.Contract{
		{Route: "POST /register/eligibility", Request: register.EligibilityCheck{}, Response: register.Eligibility{}, Status: http.StatusOK},
		{Route: "POST /register/applications", Request: register.Application{}, Response: Receipt{}, Status: http.StatusCreated},
		{Route: "GET " + app, Response: Decision{}, Status: http.StatusOK},
		{Route: "POST " + app + "/circumstances", Request: register.CircumstancesChange{}, Response: Decision{}, Status: http.StatusOK},
		{Route: "POST " + app + "/review-request", Request: register.ReviewRequest{}, Response: Decision{}, Status: http.StatusOK},
		{Route: "GET /register/applications", Response: httpapi.PageBody[Summary]{}, Status: http.StatusOK},
		{Route: "GET " + app + "/record", Response: Record{}, Status: http.StatusOK},
		{Route: "GET " + app + "/timeline", Response: httpapi.PageBody[casefile.Event]{}, Status: http.StatusOK},
		staff("/claims", register.ClaimCheck{}),
		staff("/decisions", register.CouncilDecision{}),
		staff("/medical-award", register.MedicalAward{}),
		staff("/debt", register.HousingDebt{}),
		staff("/unacceptable-behaviour", register.Finding{}),
		staff("/debt-exceptions", register.Finding{}),
		staff("/removal", register.Removal{}),
		staff("/closure", register.Closing{}),
		staff("/assignment", register.Assignment{}),
		staff("/offers", register.Offer{}),
		staff("/statutory-review", register.StatutoryReviewOutcome{}),
		staff("/review-decision", register.ReviewDecision{}),
		{Route: "GET /register/priority-list", Response: httpapi.PageBody[PriorityEntry]{}, Status: http.StatusOK},
		{Route: "GET /reports/register", Response: RegisterReport{}, Status: http.StatusOK},
	}
}

func (a API) eligibility(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var in register.EligibilityCheck
	if err := req.DecodeJSON(&in); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	e, err := a.Service.CheckEligibility(ctx, registercases.CheckEligibility{Input: in})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	e.Reasons = orEmpty(e.Reasons)
	return httpapi.OK(e)
}

func (a API) apply(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var form register.Application
	if err := req.DecodeJSON(&form); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, a.Answers, req, http.StatusCreated, func(answer idem.Recorder) (any, error) {
		r, err := a.Service.Apply(ctx, registercases.Apply{Form: form, At: req.Now(), Answer: idem.Encode(answer, receiptOf)})
		return receiptOf(r), err
	})
}

func (a API) status(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	r, err := a.Service.Status(ctx, resident(req))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(decisionOf(r))
}

func resident(req httpapi.Request) registercases.ResidentRequest {
	return registercases.ResidentRequest{Ref: req.Path("reference"), Token: req.BearerToken(), At: req.Now()}
}

// residentChange is the handler of an applicant's change with their access token: the body decoded into In,
// the answer the applicant's view of the decision after it.
func residentChange[In any](run func(context.Context, registercases.ResidentChange[In]) (register.Record, error)) httpapi.HandlerFunc {
	return func(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
		cmd := registercases.ResidentChange[In]{ResidentRequest: resident(req)}
		if err := req.DecodeJSON(&cmd.Input); err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		r, err := run(ctx, cmd)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return httpapi.OK(decisionOf(r))
	}
}

func (a API) record(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	st, err := a.Service.Record(ctx, registercases.Read{Ref: req.Path("reference"), By: by})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(recordOf(st))
}

// list is the officers' list (?status=, ?band=, ?officer=, ?order=) or, with ?reference=, ?email= or
// ?postcode=, finding an application.
func (a API) list(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var f apperr.Fields
	limit := req.Limit(&f)
	find := req.Query("reference") != "" || req.Query("email") != "" || req.Query("postcode") != ""
	if find {
		for _, name := range []string{"status", "band", "officer", "order"} {
			if req.Query(name) != "" {
				f.Add(name, "cannot be combined with reference, email or postcode")
			}
		}
	}
	if err := f.Err(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var found []registercases.Summary
	var next string
	if find {
		found, next, err = a.Service.Find(ctx, registercases.Find{By: by, Reference: req.Query("reference"), Email: req.Query("email"),
			Postcode: req.Query("postcode"), Limit: limit, Token: req.Query("nextToken")})
	} else {
		found, next, err = a.Service.List(ctx, registercases.List{By: by, Order: req.Query("order"), Limit: limit, Token: req.Query("nextToken"),
			Filter: registercases.Filter{Status: req.Query("status"), Band: req.Query("band"), Officer: req.Query("officer")}})
	}
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	items := make([]Summary, len(found))
	for i, s := range found {
		items[i] = summaryOf(s)
	}
	return httpapi.Page(items, next)
}

func (a API) priorityList(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var f apperr.Fields
	limit := req.Limit(&f)
	if err := f.Err(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	recs, next, err := a.Service.PriorityList(ctx, registercases.PriorityList{By: by, Band: req.Query("band"), Limit: limit, Token: req.Query("nextToken")})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	items := make([]PriorityEntry, len(recs))
	for i, r := range recs {
		items[i] = priorityEntryOf(r)
	}
	return httpapi.Page(items, next)
}

// bandReport is the register's size by band, now (no parameters: a count of each band's priority list).
func (a API) bandReport(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	size, err := a.Service.BandSizes(ctx, registercases.BandReport{By: by, At: req.Now()})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(registerReportOf(size))
}
