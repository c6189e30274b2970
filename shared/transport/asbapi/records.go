package asbapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// The staff reads of a case's casework records (items of their own in its partition, read by key, newest first):
// GET /asb/cases/{reference}/subjects | witnesses | evidence | costs | diary | incidents. Pages take ?limit= (1 to
// asbcases.MaxRecordsPage) and ?nextToken=, a token signed for that case and kind; subjects (at most 10) are one
// page with each person's other cases.

// recordRoutes are the read routes, for Routes.
func (a API) recordRoutes() httpapi.Routes {
	s := a.Service
	return httpapi.Routes{
		"GET /asb/cases/{reference}/subjects":  a.subjects,
		"GET /asb/cases/{reference}/witnesses": recordsPage(s.Witnesses, pageOf[asb.CaseRecord[asb.WitnessInput]]),
		"GET /asb/cases/{reference}/evidence":  recordsPage(s.Evidence, pageOf[asb.CaseRecord[asb.EvidenceInput]]),
		"GET /asb/cases/{reference}/diary":     recordsPage(s.DiaryEntries, pageOf[asb.CaseRecord[asb.DiaryInput]]),
		"GET /asb/cases/{reference}/incidents": recordsPage(s.Incidents, pageOf[asb.Incident]),
		"GET /asb/cases/{reference}/costs":     recordsPage(s.Costs, costsOf),
	}
}

// recordContracts are the read routes' answers.
func recordContracts() []httpapi.Contract {
	return []httpapi.Contract{
		{Route: "GET /asb/cases/{reference}/subjects", Response: SubjectsBody{}, Status: http.StatusOK},
		{Route: "GET /asb/cases/{reference}/witnesses", Response: httpapi.PageBody[asb.CaseRecord[asb.WitnessInput]]{}, Status: http.StatusOK},
		{Route: "GET /asb/cases/{reference}/evidence", Response: httpapi.PageBody[asb.CaseRecord[asb.EvidenceInput]]{}, Status: http.StatusOK},
		{Route: "GET /asb/cases/{reference}/diary", Response: httpapi.PageBody[asb.CaseRecord[asb.DiaryInput]]{}, Status: http.StatusOK},
		{Route: "GET /asb/cases/{reference}/incidents", Response: httpapi.PageBody[asb.Incident]{}, Status: http.StatusOK},
		{Route: "GET /asb/cases/{reference}/costs", Response: CostsBody{}, Status: http.StatusOK},
	}
}

// SubjectsBody is the case's persons reported, newest first, each with the other cases they are a subject of.
type SubjectsBody struct {
	Items []Subject `json:"items"`
}

// Subject is a person reported with their repeat-subject history (newest first, at most 20).
type Subject struct {
	asb.Subject
	OtherCases []string `json:"otherCases"`
}

// CostsBody is a page of the case's costs with the total of them all, in pence, and their number.
type CostsBody struct {
	httpapi.PageBody[asb.CaseRecord[asb.CostInput]]
	TotalPence int `json:"totalPence"`
	Count      int `json:"count"`
}

func pageOf[V any](p asbcases.RecordsPage[V]) httpapi.PageBody[V] {
	body := httpapi.PageBody[V]{Items: orEmpty(p.Items)}
	if p.Next != "" {
		body.NextToken = &p.Next
	}
	return body
}

func costsOf(c asbcases.Costs) CostsBody {
	return CostsBody{PageBody: pageOf(c.RecordsPage), TotalPence: c.TotalPence, Count: c.Count}
}

// recordsPage is the handler of a page of one kind of record: ?limit= (1 to asbcases.MaxRecordsPage) and
// ?nextToken= from the previous page.
func recordsPage[Out, Body any](run func(context.Context, asbcases.ReadRecords) (Out, error), answer func(Out) Body) httpapi.HandlerFunc {
	return func(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
		by, err := req.Staff()
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		page := casework.PageRequest{Limit: asbcases.MaxRecordsPage, Token: req.Query("nextToken")}
		if v := req.Query("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > asbcases.MaxRecordsPage {
				var f apperr.Fields
				f.Add("limit", "must be a whole number from 1 to %d", asbcases.MaxRecordsPage)
				return events.APIGatewayV2HTTPResponse{}, f.Err()
			}
			page.Limit = n
		}
		out, err := run(ctx, asbcases.ReadRecords{Ref: req.Path("reference"), By: by, At: req.Now(), Input: page})
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return httpapi.OK(answer(out))
	}
}

func (a API) subjects(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	subjects, err := a.Service.Subjects(ctx, asbcases.ReadRecords{Ref: req.Path("reference"), By: by, At: req.Now()})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	body := SubjectsBody{Items: make([]Subject, len(subjects))}
	for i, s := range subjects {
		body.Items[i] = Subject{Subject: s.Subject, OtherCases: orEmpty(s.OtherCases)}
	}
	return httpapi.OK(body)
}
