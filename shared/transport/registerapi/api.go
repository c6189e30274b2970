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
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// API serves the register routes over the service.
type API struct {
	Service registercases.Service
	Answers idem.Answers // stored answers for Idempotency-Key retries
}

// Routes are register-application's routes (shared/catalog declares them, with their groups).
func (a API) Routes() httpapi.Routes {
	return httpapi.Routes{
		"POST /register/eligibility":                            a.eligibility,
		"POST /register/applications":                           a.apply,
		"GET /register/applications/{reference}":                a.status,
		"GET /register/applications/{reference}/record":         a.record,
		"POST /register/applications/{reference}/medical-award": httpapi.StaffAction(a.Service.RecordMedicalAward, recordOf),
		"POST /register/applications/{reference}/offers":        httpapi.StaffAction(a.Service.RecordOffer, recordOf),
		"POST /register/applications/{reference}/debt":          httpapi.StaffAction(a.Service.UpdateDebt, recordOf),
		"POST /register/applications/{reference}/verification":  httpapi.StaffAction(a.Service.RecordVerification, recordOf),
		"GET /register/priority-list":                           a.priorityList,
	}
}

// Contracts are the routes' typed requests and answers (infra/api keeps openapi.yaml in step with them).
func Contracts() []httpapi.Contract {
	return []httpapi.Contract{
		{Route: "POST /register/eligibility", Request: register.EligibilityCheck{}, Response: register.Eligibility{}, Status: http.StatusOK},
		{Route: "POST /register/applications", Request: register.Application{}, Response: Receipt{}, Status: http.StatusCreated},
		{Route: "GET /register/applications/{reference}", Response: Decision{}, Status: http.StatusOK},
		{Route: "GET /register/applications/{reference}/record", Response: Record{}, Status: http.StatusOK},
		{Route: "POST /register/applications/{reference}/medical-award", Request: register.MedicalAward{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /register/applications/{reference}/offers", Request: register.Offer{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /register/applications/{reference}/debt", Request: register.HousingDebt{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /register/applications/{reference}/verification", Request: register.Verification{}, Response: Record{}, Status: http.StatusOK},
		{Route: "GET /register/priority-list", Response: httpapi.PageBody[PriorityEntry]{}, Status: http.StatusOK},
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
	r, err := a.Service.Status(ctx, registercases.ResidentRequest{Ref: req.Path("reference"), Token: req.BearerToken(), At: req.Now()})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(decisionOf(r))
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
