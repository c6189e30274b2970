// Package asbapi is the JSON transport of the ASB case kind: the asb-report function's routes, the out-of-hours
// webhook (ooh-intake) and its queue consumer (ooh-processor). Each handler decodes the request into a command,
// calls the ASB application service (shared/app/asbcases) and encodes the typed answer; it knows HTTP and SQS,
// not the ASB rules.
package asbapi

import (
	"context"
	"maps"
	"net/http"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// API serves the asb-report routes over the service.
type API struct {
	Service asbcases.Service
	Answers idem.Answers // stored answers for Idempotency-Key retries
}

// Routes are asb-report's routes (shared/catalog declares them, with their groups).
func (a API) Routes() httpapi.Routes {
	s := a.Service
	routes := httpapi.Routes{
		"POST /asb/reports":                           a.report,
		"GET /asb/reports/{reference}":                a.status,
		"GET /asb/cases":                              a.list,
		"GET /asb/cases/{reference}":                  httpapi.StaffAction(s.Get, detailOf),
		"GET /asb/cases/{reference}/timeline":         httpapi.StaffHistory(s.History),
		"GET /reports/asb":                            a.monthlyReport,
		"POST /asb/cases/{reference}/acknowledgement": httpapi.StaffAction(s.Acknowledge, detailOf),
		"POST /asb/cases/{reference}/actions/{actionId}/completion": func(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
			return httpapi.StaffAction(func(ctx context.Context, a casework.Action[casework.NoInput]) (asbcases.Record, error) {
				return s.CompleteAction(ctx, asbcases.CompleteAction{Ref: a.Ref, By: a.By, At: a.At, Input: req.Path("actionId")})
			}, detailOf)(ctx, req)
		},
		"POST /asb/cases/{reference}/assignment":            httpapi.StaffAction(s.Assign, detailOf),
		"POST /asb/cases/{reference}/appointment":           httpapi.StaffAction(s.OfferAppointment, detailOf),
		"POST /asb/cases/{reference}/risk-assessment":       httpapi.StaffAction(s.RecordRiskAssessment, detailOf),
		"POST /asb/cases/{reference}/actions":               httpapi.StaffAction(s.AddAction, detailOf),
		"POST /asb/cases/{reference}/contacts":              httpapi.StaffAction(s.LogContact, detailOf),
		"POST /asb/cases/{reference}/closure":               httpapi.StaffAction(s.Close, detailOf),
		"POST /asb/cases/{reference}/reopening":             httpapi.StaffAction(s.Reopen, detailOf),
		"POST /asb/cases":                                   a.log,
		"POST /asb/cases/{reference}/merger":                httpapi.StaffAction(s.Merge, detailOf),
		"POST /asb/cases/{reference}/reclassification":      httpapi.StaffAction(s.Reclassify, detailOf),
		"POST /asb/reports/{reference}/case-review":         residentChange(s.RequestCaseReview),
		"POST /asb/cases/{reference}/case-review/outcome":   httpapi.StaffAction(s.DecideCaseReview, detailOf),
		"POST /asb/cases/{reference}/action-plan/agreement": httpapi.StaffAction(s.AgreeActionPlan, detailOf),
		"POST /asb/reports/{reference}/satisfaction":        residentChange(s.AnswerSurvey),
		"POST /asb/cases/{reference}/subjects":              httpapi.StaffAction(s.AddSubject, detailOf),
		"POST /asb/cases/{reference}/witnesses":             httpapi.StaffAction(s.AddWitness, detailOf),
		"POST /asb/cases/{reference}/evidence":              httpapi.StaffAction(s.AddEvidence, detailOf),
		"POST /asb/cases/{reference}/costs":                 httpapi.StaffAction(s.AddCost, detailOf),
		"POST /asb/reports/{reference}/diary":               residentChange(s.AddDiaryEntry),
		"POST /asb/cases/{reference}/incidents/{incidentId}/unlinking": func(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
			return httpapi.StaffAction(func(ctx context.Context, a casework.Action[asb.Unlinking]) (asbcases.Unlinked, error) {
				return s.Unlink(ctx, asbcases.Unlink{Ref: a.Ref, Incident: req.Path("incidentId"), By: a.By, At: a.At, Input: a.Input})
			}, unlinkedOf)(ctx, req)
		},
	}
	maps.Copy(routes, a.recordRoutes())
	return routes
}

// Contracts are the asb-report routes' typed requests and answers (infra/api keeps openapi.yaml in step).
func Contracts() []httpapi.Contract {
	detail := func(route string, in any) httpapi.Contract {
		return httpapi.Contract{Route: route, Request: in, Response: CaseDetail{}, Status: http.StatusOK}
	}
	return append([]httpapi.Contract{
		{Route: "POST /asb/reports", Request: asb.Report{}, Response: Receipt{}, Status: http.StatusCreated},
		{Route: "GET /asb/reports/{reference}", Response: PublicStatus{}, Status: http.StatusOK},
		{Route: "GET /asb/cases", Response: httpapi.PageBody[Summary]{}, Status: http.StatusOK},
		detail("GET /asb/cases/{reference}", nil),
		{Route: "GET /asb/cases/{reference}/timeline", Response: httpapi.PageBody[casefile.Event]{}, Status: http.StatusOK},
		detail("POST /asb/cases/{reference}/acknowledgement", nil),
		detail("POST /asb/cases/{reference}/assignment", asb.Assignment{}),
		detail("POST /asb/cases/{reference}/appointment", asb.Appointment{}),
		detail("POST /asb/cases/{reference}/risk-assessment", asb.RiskAssessmentInput{}),
		detail("POST /asb/cases/{reference}/actions", asb.NewAction{}),
		detail("POST /asb/cases/{reference}/actions/{actionId}/completion", nil),
		detail("POST /asb/cases/{reference}/contacts", asb.ContactLog{}),
		detail("POST /asb/cases/{reference}/closure", asb.Closure{}),
		detail("POST /asb/cases/{reference}/reopening", asb.Reopening{}),
		{Route: "GET /reports/asb", Response: asb.MonthlyReport{}, Status: http.StatusOK},
		{Route: "POST /asb/cases", Request: asb.LoggedReport{}, Response: Receipt{}, Status: http.StatusCreated},
		detail("POST /asb/cases/{reference}/merger", asb.CaseMerge{}),
		detail("POST /asb/cases/{reference}/reclassification", asb.Reclassification{}),
		{Route: "POST /asb/cases/{reference}/incidents/{incidentId}/unlinking", Request: asb.Unlinking{}, Response: Unlinked{}, Status: http.StatusOK},
		{Route: "POST /asb/reports/{reference}/case-review", Request: asb.CaseReviewRequest{}, Response: PublicStatus{}, Status: http.StatusOK},
		detail("POST /asb/cases/{reference}/case-review/outcome", asb.CaseReviewDecision{}),
		detail("POST /asb/cases/{reference}/action-plan/agreement", asb.ActionPlanAgreement{}),
		{Route: "POST /asb/reports/{reference}/satisfaction", Request: asb.SurveyAnswers{}, Response: PublicStatus{}, Status: http.StatusOK},
		detail("POST /asb/cases/{reference}/subjects", asb.SubjectInput{}),
		detail("POST /asb/cases/{reference}/witnesses", asb.WitnessInput{}),
		detail("POST /asb/cases/{reference}/evidence", asb.EvidenceInput{}),
		detail("POST /asb/cases/{reference}/costs", asb.CostInput{}),
		{Route: "POST /asb/reports/{reference}/diary", Request: asb.DiaryInput{}, Response: PublicStatus{}, Status: http.StatusOK},
	}, recordContracts()...)
}

func (a API) report(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var form asb.Report
	if err := req.DecodeJSON(&form); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, a.Answers, req, http.StatusCreated, func(answer idem.Recorder) (any, error) {
		r, err := a.Service.Report(ctx, asbcases.Report{Form: form, At: req.Now(), Answer: idem.Encode(answer, receiptOf)})
		return receiptOf(r), err
	})
}

// log is an officer logging a report taken by phone, email, letter, in person or from a partner (ASB-2).
func (a API) log(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var form asb.LoggedReport
	if err := req.DecodeJSON(&form); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, a.Answers, req, http.StatusCreated, func(answer idem.Recorder) (any, error) {
		r, err := a.Service.Log(ctx, asbcases.Log{Form: form, By: by, At: req.Now(), Answer: idem.Encode(answer, receiptOf)})
		return receiptOf(r), err
	})
}

func (a API) status(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	c, err := a.Service.Status(ctx, asbcases.ResidentRequest{Ref: req.Path("reference"), Token: req.BearerToken()})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(publicStatusOf(c))
}

// residentChange is the reporter acting on their case with its access token (Authorization: Bearer): a wrong
// token answers like an unknown reference (404); the answer is the reporter's view of the case.
func residentChange[In any](run func(context.Context, asbcases.ResidentChange[In]) (asb.Case, error)) httpapi.HandlerFunc {
	return func(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
		cmd := asbcases.ResidentChange[In]{ResidentRequest: asbcases.ResidentRequest{Ref: req.Path("reference"), Token: req.BearerToken()}, At: req.Now()}
		if err := req.DecodeJSON(&cmd.Input); err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		c, err := run(ctx, cmd)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return httpapi.OK(publicStatusOf(c))
	}
}

func (a API) list(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	today := workdays.DateOf(req.Now())
	q := asbcases.List{By: by, Token: req.Query("nextToken"), Filter: asbcases.Filter{Status: req.Query("status"), Type: req.Query("type"),
		Channel: req.Query("channel"), Officer: req.Query("officer"), Today: today}}
	var f apperr.Fields
	switch req.Query("overdue") {
	case "", "false":
	case "true":
		q.Filter.Overdue = true
	default:
		f.Add("overdue", "must be true or false")
	}
	for _, d := range []struct {
		name string
		to   *workdays.Date
	}{{"receivedFrom", &q.Filter.ReceivedFrom}, {"receivedTo", &q.Filter.ReceivedTo}} {
		if v := req.Query(d.name); v != "" {
			date, err := workdays.ParseDate(v)
			if err != nil || date.Year < 2000 || date.Year > 2100 {
				f.Add(d.name, "must be a date in the form YYYY-MM-DD between 2000 and 2100")
			}
			*d.to = date
		}
	}
	q.Limit = req.Limit(&f)
	q.Filter.Check(&f)
	if err := f.Err(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cases, next, err := a.Service.List(ctx, q)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	items := make([]Summary, len(cases))
	for i, c := range cases {
		items[i] = summaryOf(c, today)
	}
	return httpapi.Page(items, next)
}

func (a API) monthlyReport(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	report, err := a.Service.MonthlyReport(ctx, asbcases.MonthlyReport{By: by, Month: req.Query("month")})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(report)
}

// cmd is what every staff action on a case shares: which case, who acts, and when.
