// Package complaintsapi is the complaint-escalation function's JSON transport: each handler decodes the request
// into a command, calls the complaints application service (shared/app/complaintcases) and encodes the typed
// answer. It knows HTTP, not the Complaint Handling Code.
package complaintsapi

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// API serves the complaint routes over the service.
type API struct {
	Service complaintcases.Service
	Answers idem.Answers // stored answers for Idempotency-Key retries
}

// Routes are complaint-escalation's routes (shared/catalog declares them, with their groups).
func (a API) Routes() httpapi.Routes {
	return httpapi.Routes{
		"POST /complaints":                                                   a.submit,
		"GET /complaints/{reference}":                                        a.status,
		"POST /complaints/{reference}/escalation":                            a.escalate,
		"GET /complaints":                                                    a.list,
		"GET /complaints/{reference}/record":                                 a.record,
		"GET /complaints/{reference}/timeline":                               httpapi.StaffHistory(a.Service.History),
		"POST /complaints/{reference}/acknowledgement":                       httpapi.StaffAction(a.Service.Acknowledge, recordOf),
		"POST /complaints/{reference}/extension":                             httpapi.StaffAction(a.Service.Extend, recordOf),
		"POST /complaints/{reference}/response":                              httpapi.StaffAction(a.Service.Respond, recordOf),
		"POST /complaints/{reference}/refusal":                               httpapi.StaffAction(a.Service.Refuse, recordOf),
		"POST /complaints/{reference}/service-request":                       httpapi.StaffAction(a.Service.Reclassify, recordOf),
		"POST /complaints/{reference}/related-points":                        httpapi.StaffAction(a.Service.AddRelatedPoints, recordOf),
		"GET /reports/complaints":                                            a.annualReport,
		"POST /complaints/logged":                                            a.log,
		"POST /complaints/{reference}/escalation-on-behalf":                  httpapi.StaffAction(a.Service.EscalateOnBehalf, recordOf),
		"POST /complaints/{reference}/clarification":                         httpapi.StaffAction(a.Service.AskForClarification, recordOf),
		"POST /complaints/{reference}/clarification-answer":                  httpapi.StaffAction(a.Service.AnswerClarification, recordOf),
		"POST /complaints/{reference}/actions/{actionId}/completion":         a.completeItem,
		"POST /complaints/{reference}/adjustments":                           httpapi.StaffAction(a.Service.RecordAdjustments, recordOf),
		"POST /complaints/{reference}/restriction":                           httpapi.StaffAction(a.Service.Restrict, recordOf),
		"POST /complaints/{reference}/service-request/completion":            httpapi.StaffAction(a.Service.CompleteServiceRequest, recordOf),
		"POST /complaints/{reference}/keep-informed":                         httpapi.StaffAction(a.Service.KeepInformed, recordOf),
		"POST /reports/complaints/self-assessment":                           httpapi.StaffAction(a.Service.RecordSelfAssessment, same[complaints.SelfAssessmentSection]),
		"POST /complaints/{reference}/letters/{letterNumber}/sent-in-format": a.formatSent,
	}
}

// Contracts are the routes' typed requests and answers (infra/api keeps openapi.yaml in step with them).
func Contracts() []httpapi.Contract {
	return []httpapi.Contract{
		{Route: "POST /complaints", Request: complaints.Submission{}, Response: Receipt{}, Status: http.StatusCreated},
		{Route: "GET /complaints/{reference}", Response: ResidentView{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/escalation", Response: Escalation{}, Status: http.StatusOK},
		{Route: "GET /complaints", Response: httpapi.PageBody[Summary]{}, Status: http.StatusOK},
		{Route: "GET /complaints/{reference}/record", Response: Record{}, Status: http.StatusOK},
		{Route: "GET /complaints/{reference}/timeline", Response: httpapi.PageBody[casefile.Event]{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/acknowledgement", Request: complaints.Acknowledgement{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/extension", Request: complaints.ExtensionRequest{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/response", Request: complaints.Response{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/refusal", Request: complaints.RefusalRequest{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/service-request", Request: complaints.ServiceRequestNote{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/related-points", Request: complaints.RelatedPoints{}, Response: Record{}, Status: http.StatusOK},
		{Route: "GET /reports/complaints", Response: complaints.AnnualReport{}, Status: http.StatusOK},
		{Route: "POST /complaints/logged", Request: complaints.LoggedComplaint{}, Response: Record{}, Status: http.StatusCreated},
		{Route: "POST /complaints/{reference}/escalation-on-behalf", Request: complaints.EscalationRequest{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/clarification", Request: complaints.ClarificationRequest{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/clarification-answer", Request: complaints.ClarificationAnswer{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/actions/{actionId}/completion", Request: complaints.ItemCompletion{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/adjustments", Request: complaints.AdjustmentsInput{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/restriction", Request: complaints.RestrictionInput{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/service-request/completion", Request: complaints.ServiceRequestDone{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/keep-informed", Request: complaints.KeepInformedInput{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /reports/complaints/self-assessment", Request: complaints.SelfAssessmentInput{}, Response: complaints.SelfAssessmentSection{}, Status: http.StatusOK},
		{Route: "POST /complaints/{reference}/letters/{letterNumber}/sent-in-format", Request: complaints.FormatSentInput{}, Response: Record{}, Status: http.StatusOK},
	}
}

// log is a complaint a member of staff took by phone, letter, email, in person, from a councillor or a
// representative: 201 with the staff record (no access token: the resident did not use the form).
func (a API) log(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var form complaints.LoggedComplaint
	if err := req.DecodeJSON(&form); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, a.Answers, req, http.StatusCreated, func(answer idem.Recorder) (any, error) {
		r, err := a.Service.Log(ctx, complaintcases.Log{Form: form, By: by, At: req.Now(), Answer: idem.Encode(answer, recordOf)})
		if err != nil {
			return nil, err
		}
		return recordOf(r), nil
	})
}

// completeItem records a remedy (R…) or action (A…) as done: the {actionId} path parameter names it.
func (a API) completeItem(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	return httpapi.StaffAction(func(ctx context.Context, cmd complaintcases.CompleteItem) (complaintcases.Record, error) {
		cmd.Input.ID = req.Path("actionId")
		return a.Service.CompleteItem(ctx, cmd)
	}, recordOf)(ctx, req)
}

// formatSent records that a letter went in its alternative format: {letterNumber} is its number, 1 for the
// first (a number that is no letter of the complaint is a 404).
func (a API) formatSent(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	return httpapi.StaffAction(func(ctx context.Context, cmd complaintcases.RecordFormatSent) (complaintcases.Record, error) {
		n, err := strconv.Atoi(req.Path("letterNumber"))
		if err != nil || n < 1 || n > 1000 {
			return complaintcases.Record{}, apperr.NotFoundf("There is no letter with that number.")
		}
		cmd.Input.Letter = n
		return a.Service.RecordFormatSent(ctx, cmd)
	}, recordOf)(ctx, req)
}

// same answers a service's result as it is.
func same[T any](v T) T { return v }

func (a API) submit(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var form complaints.Submission
	if err := req.DecodeJSON(&form); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, a.Answers, req, http.StatusCreated, func(answer idem.Recorder) (any, error) {
		r, err := a.Service.Submit(ctx, complaintcases.Submit{Form: form, At: req.Now(), Answer: idem.Encode(answer, receiptOf)})
		if err != nil {
			return nil, err
		}
		return receiptOf(r), nil
	})
}

func (a API) resident(req httpapi.Request) complaintcases.ResidentRequest {
	return complaintcases.ResidentRequest{Ref: req.Path("reference"), Token: req.BearerToken(), At: req.Now()}
}

func (a API) status(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	c, err := a.Service.Status(ctx, a.resident(req))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(residentViewOf(c))
}

func (a API) escalate(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	c, ev, err := a.Service.Escalate(ctx, a.resident(req))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	answer := Escalation{Reference: c.Reference, Stage: c.Stage, Status: c.Status, AcknowledgeBy: c.Current().AcknowledgeBy,
		LateEscalation: c.LateEscalation, Rules: []string{"CH-5"}}
	if c.LateEscalation {
		answer.Note, _ = ev.Details["note"].(string)
	}
	return httpapi.OK(answer)
}

// statuses a list can be filtered by.
var statuses = []string{complaints.StatusReceived, complaints.StatusAcknowledged, complaints.StatusResponded, complaints.StatusEscalated,
	complaints.StatusClosed, complaints.StatusRefused, complaints.StatusServiceRequest}

func (a API) list(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var f apperr.Fields
	status := req.Query("status")
	if status != "" && !slices.Contains(statuses, status) {
		f.Add("status", "must be one of the complaint statuses")
	}
	limit := req.Limit(&f)
	if err := f.Err(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cs, next, err := a.Service.List(ctx, complaintcases.List{By: by, Status: status, Limit: limit, Token: req.Query("nextToken")})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	items := make([]Summary, len(cs))
	for i, c := range cs {
		items[i] = summaryOf(c)
	}
	return httpapi.Page(items, next)
}

func (a API) record(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	r, err := a.Service.Record(ctx, complaintcases.Read{Ref: req.Path("reference"), By: by})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(recordOf(r))
}

func (a API) annualReport(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	year, err := strconv.Atoi(req.Query("year"))
	if err != nil {
		year = 0 // the service names the field
	}
	report, err := a.Service.AnnualReport(ctx, complaintcases.Report{By: by, Year: year})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(report)
}
