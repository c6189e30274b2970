package asbapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/adapters/asbstore"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

var staffGroups = []string{catalog.GroupASBOfficer, catalog.GroupASBManager}

// Routes are the asb-report function's routes (infra/catalog).
func (s Service) Routes() httpapi.Routes {
	return httpapi.Routes{
		"POST /asb/reports":                                         s.report,
		"GET /asb/reports/{reference}":                              s.publicStatus,
		"GET /asb/cases":                                            s.list,
		"GET /asb/cases/{reference}":                                s.get,
		"POST /asb/cases/{reference}/acknowledgement":               s.acknowledge,
		"POST /asb/cases/{reference}/assignment":                    s.assign,
		"POST /asb/cases/{reference}/appointment":                   s.appointment,
		"POST /asb/cases/{reference}/risk-assessment":               s.riskAssessment,
		"POST /asb/cases/{reference}/actions":                       s.addAction,
		"POST /asb/cases/{reference}/actions/{actionId}/completion": s.completeAction,
		"POST /asb/cases/{reference}/contacts":                      s.logContact,
		"POST /asb/cases/{reference}/closure":                       s.close,
		"POST /asb/cases/{reference}/reopening":                     s.reopen,
		"GET /reports/asb":                                          s.monthlyReport,
	}
}

// report: POST /asb/reports (public). With an Idempotency-Key, a retry gets the first answer; the answer is
// stored in the case's own transaction.
func (s Service) report(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var r asb.Report
	if err := req.DecodeJSON(&r); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := req.Now()
	if err := r.Validate(now); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, s.Store.Store, req, http.StatusCreated, func(record idem.Recorder) (any, error) {
		return s.Submit(ctx, Submission{Report: r, Channel: "online", ReceivedAt: now, Actor: "resident", WithToken: true, Record: record})
	})
}

func (s Service) publicStatus(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	ref := req.Path("reference")
	l, err := s.Store.Records().Load(ctx, ref)
	if err := req.Resident(l.TokenHash, err, "ASB report", ref); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	c := l.Case
	status := map[string]any{
		"reference": c.Reference, "type": c.Type, "category": c.Category, "status": c.Status, "receivedAt": c.ReceivedAt,
		"acknowledgeBy": c.AcknowledgeBy, "appointmentBy": c.AppointmentBy, "acknowledged": c.AcknowledgedAt != nil,
	}
	if !c.AppointmentOn.IsZero() {
		status["appointmentOn"] = c.AppointmentOn
	}
	if c.ClosedAt != nil {
		status["closedAt"], status["outcome"] = c.ClosedAt, c.Outcome
	}
	return httpapi.OK(status)
}

// summary is a case in the staff list.
type summary struct {
	Reference     string        `json:"reference"`
	Type          string        `json:"type"`
	Category      asb.Category  `json:"category"`
	Channel       string        `json:"channel"`
	Status        string        `json:"status"`
	RiskLevel     string        `json:"riskLevel"`
	ReceivedAt    any           `json:"receivedAt"`
	AcknowledgeBy workdays.Date `json:"acknowledgeBy"`
	AppointmentBy workdays.Date `json:"appointmentBy"`
	Officer       string        `json:"officer,omitempty"`
	CallID        string        `json:"callId,omitempty"`
	Overdue       bool          `json:"overdue"`
}

func summarise(c asb.Case, today workdays.Date) summary {
	return summary{Reference: c.Reference, Type: c.Type, Category: c.Category, Channel: c.Channel, Status: c.Status,
		RiskLevel: c.RiskLevel, ReceivedAt: c.ReceivedAt, AcknowledgeBy: c.AcknowledgeBy, AppointmentBy: c.AppointmentBy,
		Officer: c.Officer, CallID: c.CallID, Overdue: asb.IsOverdue(c, today)}
}

func (s Service) list(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(staffGroups...); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	today := workdays.DateOf(req.Now())
	f := asbstore.Filter{Status: req.Query("status"), Type: req.Query("type"), Channel: req.Query("channel"), Officer: req.Query("officer"), Today: today}
	var fields apperr.Fields
	if f.Status != "" && !slices.Contains([]string{asb.StatusReceived, asb.StatusAcknowledged, asb.StatusInProgress, asb.StatusClosed}, f.Status) {
		fields.Add("status", "must be one of: received, acknowledged, in-progress, closed")
	}
	if f.Type != "" {
		if _, ok := asb.TypeRuleOf(f.Type); !ok {
			fields.Add("type", "must be one of: %s", strings.Join(asb.TypeNames(), ", "))
		}
	}
	if f.Channel != "" && !slices.Contains(asb.Channels, f.Channel) {
		fields.Add("channel", "must be one of: %s", strings.Join(asb.Channels, ", "))
	}
	switch req.Query("overdue") {
	case "", "false":
	case "true":
		f.Overdue = true
	default:
		fields.Add("overdue", "must be true or false")
	}
	limit := req.Limit(&fields)
	if err := fields.Err(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cases, next, err := s.Store.List(ctx, f, limit, req.Query("nextToken"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	items := make([]summary, len(cases))
	for i, c := range cases {
		items[i] = summarise(c, today)
	}
	return httpapi.Page(items, next)
}

// detail is the full case for staff: the case, the reporter's contact, open deadlines and the timeline.
func detail(l asbstore.Loaded, today workdays.Date) map[string]any {
	deadlines := asb.OpenDeadlines(l.Case)
	if deadlines == nil {
		deadlines = []casefile.Deadline{}
	}
	timeline := l.Timeline
	if timeline == nil {
		timeline = []casefile.Event{}
	}
	return map[string]any{"case": l.Case, "version": l.Version, "reporter": l.Contact, "openDeadlines": deadlines, "timeline": timeline,
		"overdue": asb.IsOverdue(l.Case, today), "reference": l.Case.Reference}
}

func (s Service) get(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(staffGroups...); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	l, err := s.Store.Records().Load(ctx, req.Path("reference"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(detail(l, workdays.DateOf(req.Now())))
}

// change runs one staff action: load, apply the rule, save with optimistic locking, answer the new state.
func (s Service) change(ctx context.Context, req httpapi.Request, body any, apply func(c *asb.Case, by string) (casefile.Event, error)) (events.APIGatewayV2HTTPResponse, error) {
	staff, err := req.Staff(staffGroups...)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if body != nil {
		if raw, _ := req.Body(); len(strings.TrimSpace(string(raw))) > 0 {
			if err := req.DecodeJSON(body); err != nil {
				return events.APIGatewayV2HTTPResponse{}, err
			}
		}
	}
	l, err := s.Store.Records().Load(ctx, req.Path("reference"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	c := l.Case
	ev, err := apply(&c, staff.Name())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	version, err := s.Store.Records().Save(ctx, l, c, nil, ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	l.Case, l.Version, l.Timeline = c, version, append(l.Timeline, ev)
	return httpapi.OK(detail(l, workdays.DateOf(req.Now())))
}

func (s Service) acknowledge(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	return s.change(ctx, req, nil, func(c *asb.Case, by string) (casefile.Event, error) { return c.Acknowledge(by, req.Now()) })
}

func (s Service) assign(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		Officer string `json:"officer"`
	}
	return s.change(ctx, req, &body, func(c *asb.Case, by string) (casefile.Event, error) { return c.Assign(body.Officer, by, req.Now()) })
}

func dateField(name, value string, required bool, f *apperr.Fields) workdays.Date {
	if value == "" {
		if required {
			f.Add(name, "is required")
		}
		return workdays.Date{}
	}
	d, err := workdays.ParseDate(value)
	if err != nil {
		f.Add(name, "must be a real date in the form YYYY-MM-DD")
	}
	return d
}

func (s Service) appointment(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		AppointmentOn string `json:"appointmentOn"`
	}
	return s.change(ctx, req, &body, func(c *asb.Case, by string) (casefile.Event, error) {
		var f apperr.Fields
		on := dateField("appointmentOn", body.AppointmentOn, true, &f)
		if err := f.Err(); err != nil {
			return casefile.Event{}, err
		}
		return c.OfferAppointment(on, by, req.Now())
	})
}

func (s Service) riskAssessment(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		Level        string `json:"level"`
		NextReviewOn string `json:"nextReviewOn"`
	}
	return s.change(ctx, req, &body, func(c *asb.Case, by string) (casefile.Event, error) {
		var f apperr.Fields
		next := dateField("nextReviewOn", body.NextReviewOn, false, &f)
		if err := f.Err(); err != nil {
			return casefile.Event{}, err
		}
		return c.RecordRiskAssessment(body.Level, next, by, req.Now())
	})
}

func (s Service) addAction(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		Tool        string `json:"tool"`
		Description string `json:"description"`
		DueOn       string `json:"dueOn"`
	}
	return s.change(ctx, req, &body, func(c *asb.Case, by string) (casefile.Event, error) {
		var f apperr.Fields
		due := dateField("dueOn", body.DueOn, false, &f)
		if err := f.Err(); err != nil {
			return casefile.Event{}, err
		}
		_, ev, err := c.AddAction(body.Tool, body.Description, due, by, req.Now())
		return ev, err
	})
}

func (s Service) completeAction(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	return s.change(ctx, req, nil, func(c *asb.Case, by string) (casefile.Event, error) {
		return c.CompleteAction(req.Path("actionId"), by, req.Now())
	})
}

func (s Service) logContact(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		Method  string `json:"method"`
		With    string `json:"with"`
		Summary string `json:"summary"`
	}
	return s.change(ctx, req, &body, func(c *asb.Case, by string) (casefile.Event, error) {
		return c.LogContact(body.Method, body.With, body.Summary, by, req.Now())
	})
}

func (s Service) close(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		Outcome      string            `json:"outcome"`
		Satisfaction *asb.Satisfaction `json:"satisfaction"`
	}
	return s.change(ctx, req, &body, func(c *asb.Case, by string) (casefile.Event, error) {
		return c.Close(body.Outcome, body.Satisfaction, by, req.Now())
	})
}

func (s Service) reopen(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var body struct {
		Reason string `json:"reason"`
	}
	return s.change(ctx, req, &body, func(c *asb.Case, by string) (casefile.Event, error) { return c.Reopen(body.Reason, by, req.Now()) })
}

func (s Service) monthlyReport(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(catalog.GroupASBManager); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	month := req.Query("month")
	from, to, err := asb.MonthBounds(month)
	if err != nil {
		var f apperr.Fields
		f.Add("month", "must be a month in the form YYYY-MM")
		return events.APIGatewayV2HTTPResponse{}, f.Err()
	}
	received, closed, err := s.Store.Month(ctx, from, to)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(asb.Monthly(month, received, closed, s.Homes))
}
