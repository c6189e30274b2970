// Package subjectaccessapi is the subject-access function's JSON transport (UK GDPR Art 15): the information
// governance team logs a request, reads it, exports the requester's records (JSON, or a readable HTML page to
// redact and send), erases or rectifies them on request (Art 17, 16) and records that the response went. It knows
// HTTP, not the Regulation.
package subjectaccessapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/retention"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// API serves the subject access routes over the service.
type API struct {
	Service subjectaccess.Service
	Answers idem.Answers // stored answers for Idempotency-Key retries
}

// Record is a request as the team reads it: the request and its newest timeline entries.
type Record struct {
	Reference    string           `json:"reference"`
	Request      sar.Request      `json:"request"`
	Timeline     []casefile.Event `json:"timeline"`
	TimelineNext string           `json:"timelineNext,omitempty"`
}

func recordOf(s subjectaccess.Stored) Record {
	return Record{Reference: s.Case.Reference, Request: s.Case, Timeline: s.Timeline, TimelineNext: s.TimelineNext}
}

// Routes are subject-access's routes (shared/catalog declares them, for the information-governance group).
func (a API) Routes() httpapi.Routes {
	return httpapi.Routes{
		"POST /subject-access-requests":                        a.log,
		"GET /subject-access-requests/{reference}":             httpapi.StaffAction(a.Service.Get, recordOf),
		"POST /subject-access-requests/{reference}/export":     a.export,
		"POST /subject-access-requests/{reference}/completion": httpapi.StaffAction(a.Service.Complete, recordOf),
		// the requester's other rights (UK GDPR Art 17, 16), on the same request: its identity check and its timeline
		"POST /subject-access-requests/{reference}/erasure":       httpapi.StaffAction(a.erase, same[subjectaccess.ErasureResult]),
		"POST /subject-access-requests/{reference}/rectification": httpapi.StaffAction(a.Service.Rectify, same[subjectaccess.RectificationResult]),
	}
}

// Contracts are the routes' typed requests and answers (infra/api keeps openapi.yaml in step with them).
func Contracts() []httpapi.Contract {
	return []httpapi.Contract{
		{Route: "POST /subject-access-requests", Request: sar.Input{}, Response: Record{}, Status: http.StatusCreated},
		{Route: "GET /subject-access-requests/{reference}", Response: Record{}, Status: http.StatusOK},
		{Route: "POST /subject-access-requests/{reference}/export", Response: subjectaccess.Export{}, Status: http.StatusOK},
		{Route: "POST /subject-access-requests/{reference}/completion", Request: sar.Completion{}, Response: Record{}, Status: http.StatusOK},
		{Route: "POST /subject-access-requests/{reference}/erasure", Request: retention.ErasureInput{}, Response: subjectaccess.ErasureResult{}, Status: http.StatusOK},
		{Route: "POST /subject-access-requests/{reference}/rectification", Request: retention.Rectification{}, Response: subjectaccess.RectificationResult{}, Status: http.StatusOK},
	}
}

func same[T any](v T) T { return v }

// erase runs the erasure and logs each record erased (kind, reference, request and day: no personal data). The
// log outlives the backups' point-in-time window (3 months against 35 days), so after a restore the erasures made
// since the restore point can be listed and re-applied (retention-job's "reapply" invocation, README).
func (a API) erase(ctx context.Context, cmd subjectaccess.Erase) (subjectaccess.ErasureResult, error) {
	out, err := a.Service.Erase(ctx, cmd)
	for _, r := range out.Records {
		if r.Outcome == subjectaccess.Erased {
			slog.InfoContext(ctx, "record erased", "kind", string(r.Kind), "reference", r.Reference, "request", cmd.Ref,
				"on", cmd.At.UTC().Format(time.DateOnly))
		}
	}
	return out, err
}

func (a API) log(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cmd := subjectaccess.Log{By: by, At: req.Now()}
	if err := req.DecodeJSON(&cmd.Input); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, a.Answers, req, http.StatusCreated, func(answer idem.Recorder) (any, error) {
		cmd.Answer = idem.Encode(answer, recordOf)
		st, err := a.Service.Log(ctx, cmd)
		if err != nil {
			return nil, err
		}
		return recordOf(st), nil
	})
}

// export answers the export as JSON, or (?format=html) as a page to read, redact and print.
func (a API) export(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	format := req.Query("format")
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "html" {
		var f apperr.Fields
		f.Add("format", "must be json or html")
		return events.APIGatewayV2HTTPResponse{}, f.Err()
	}
	by, err := req.Staff()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	measure := MeasureJSON
	if format == "html" {
		measure = MeasureHTML
	}
	out, err := a.Service.Export(ctx, subjectaccess.ExportPart{Read: subjectaccess.Read{Ref: req.Path("reference"), By: by, At: req.Now()},
		Token: req.Query("nextToken"), Measure: measure, Format: format})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if format != "html" {
		return httpapi.OK(out)
	}
	page, err := HTML(out)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: http.StatusOK, Body: page, Headers: map[string]string{
		"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
		"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"}}, nil
}

// MeasureJSON and MeasureHTML measure a piece of an export (subjectaccess.Measure) as the answer carries it: in
// the format, then as the body string of the Lambda response (JSON-escaped: a quote or '<' takes more than one
// byte there), which is what Lambda's 6 MB response limit counts.
func MeasureJSON(piece any) (int, error) {
	b, err := json.Marshal(piece)
	if err != nil {
		return 0, err
	}
	return carried(string(b))
}

func MeasureHTML(piece any) (int, error) {
	var b strings.Builder
	switch p := piece.(type) {
	case subjectaccess.Export:
		writeExport(&b, p)
	case subjectaccess.ExportedRecord:
		writeRecord(&b, p)
	case casefile.Event:
		writeEntry(&b, p)
	default:
		return 0, fmt.Errorf("subjectaccessapi: cannot measure a %T", piece)
	}
	return carried(b.String())
}

// carried is the size of body as the Lambda response carries it.
func carried(body string) (int, error) {
	b, err := json.Marshal(body)
	return len(b) - 2, err
}
