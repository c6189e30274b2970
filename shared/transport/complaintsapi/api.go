// Package complaintsapi is the complaint-escalation function: the public and resident routes and the staff
// routes of the Complaint Handling Code (shared/complaints), stored with shared/dynamo's versioned records.
package complaintsapi

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// Service is the complaints application.
type Service struct {
	Store  *dynamo.Store
	Queues queue.Sender
	Homes  int
}

const kindKey = "COMPLAINT"

func (s Service) records() dynamo.Records[complaints.Complaint, complaints.Contact] {
	return dynamo.Records[complaints.Complaint, complaints.Contact]{
		Store: s.Store, Kind: casefile.Complaint,
		Ref:       func(c complaints.Complaint) string { return c.Reference },
		Deadlines: complaints.OpenDeadlines,
		Indexes: func(c complaints.Complaint) map[string]types.AttributeValue {
			return map[string]types.AttributeValue{"gsi1pk": dynamo.S(kindKey), "gsi1sk": dynamo.S(c.ReceivedAt.UTC().Format(time.RFC3339Nano) + "#" + c.Reference),
				"status": dynamo.S(c.Status)}
		},
	}
}

var staff = []string{catalog.GroupComplaintsOfficer, catalog.GroupComplaintsManager}

// Routes are complaint-escalation's routes (infra/catalog).
func (s Service) Routes() httpapi.Routes {
	return httpapi.Routes{
		"POST /complaints":                             s.submit,
		"GET /complaints/{reference}":                  s.residentView,
		"POST /complaints/{reference}/escalation":      s.escalate,
		"GET /complaints":                              s.list,
		"GET /complaints/{reference}/record":           s.record,
		"POST /complaints/{reference}/acknowledgement": s.acknowledge,
		"POST /complaints/{reference}/extension":       s.extend,
		"POST /complaints/{reference}/response":        s.respond,
		"POST /complaints/{reference}/refusal":         s.refuse,
		"POST /complaints/{reference}/service-request": s.serviceRequest,
		"POST /complaints/{reference}/related-points":  s.relatedPoints,
		"GET /reports/complaints":                      s.annualReport,
	}
}

func (s Service) submit(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var sub complaints.Submission
	if err := req.DecodeJSON(&sub); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := req.Now()
	return idem.Run(ctx, s.Store, req, http.StatusCreated, func(record idem.Recorder) (any, error) {
		c, ev, err := complaints.Submit(ids.NewReference("CMP"), sub, now)
		if err != nil {
			return nil, err
		}
		token := ids.NewAccessToken()
		answer := map[string]any{"reference": c.Reference, "stage": c.Stage, "status": c.Status,
			"acknowledgeBy": c.Stages[0].AcknowledgeBy, "accessToken": token, "flags": c.Flags, "rules": []string{"CH-4"}}
		extra, err := record.Writes(answer)
		if err != nil {
			return nil, err
		}
		contact := complaints.Contact{Complainant: sub.Complainant, Representative: sub.Representative}
		messages, err := message(c, &contact, notification.ComplaintReceived, "#received", map[string]string{"acknowledge_by": c.Stages[0].AcknowledgeBy.String()}, now)
		if err != nil {
			return nil, err
		}
		pending, err := s.outbox().Writes(messages...)
		if err != nil {
			return nil, err
		}
		if err := s.records().Create(ctx, c, &contact, ids.HashToken(token), append(extra, pending...), ev); err != nil {
			return nil, err
		}
		_ = s.outbox().Deliver(ctx, messages...)
		return answer, nil
	})
}

func (s Service) outbox() outbox.Outbox { return outbox.Outbox{Store: s.Store, Queues: s.Queues} }

// message asks the notifier to tell the complainant (or their representative) something. It is written to the
// outbox in the change's own transaction, so it is sent even if the queue is down at that moment.
func message(c complaints.Complaint, contact *complaints.Contact, template, idSuffix string, extra map[string]string, at time.Time) ([]outbox.Entry, error) {
	if contact == nil {
		return nil, nil
	}
	who := contact.Complainant
	to := notification.Recipient{Role: notification.Resident, Email: who.Email, Phone: who.Phone, PreferredContact: who.PreferredContact, Language: who.Language}
	if rep := contact.Representative; rep != nil && rep.Email != "" {
		to = notification.Recipient{Role: notification.Resident, Email: rep.Email, PreferredContact: "email", Language: who.Language}
	}
	personal := map[string]string{"reference": c.Reference, "stage": strconv.Itoa(c.Stage), "status": c.Status}
	for k, v := range extra {
		personal[k] = v
	}
	msg := notification.Request{ID: c.Reference + idSuffix, Template: template, CaseKind: casefile.Complaint, CaseRef: c.Reference,
		To: to, Personalisation: personal, RequestedAt: at.UTC()}
	e, err := outbox.New(msg.ID, catalog.NotificationsQueue, notification.QueueMessageType, msg, at)
	return []outbox.Entry{e}, err
}

// save stores a change with its messages in one transaction, then delivers the messages.
func (s Service) save(ctx context.Context, l dynamo.Loaded[complaints.Complaint, complaints.Contact], c complaints.Complaint,
	messages []outbox.Entry, ev casefile.Event) (int, error) {
	pending, err := s.outbox().Writes(messages...)
	if err != nil {
		return 0, err
	}
	version, err := s.records().Save(ctx, l, c, pending, ev)
	if err == nil {
		_ = s.outbox().Deliver(ctx, messages...) // the relay retries a failed delivery
	}
	return version, err
}

// residentLoad finds the complaint for its resident: unknown reference, wrong token and no token all answer
// the same 404.
func (s Service) residentLoad(ctx context.Context, req httpapi.Request) (dynamo.Loaded[complaints.Complaint, complaints.Contact], error) {
	ref := req.Path("reference")
	l, err := s.records().Load(ctx, ref)
	return l, req.Resident(l.TokenHash, err, "complaint", ref)
}

func residentView(c complaints.Complaint) map[string]any {
	stages := make([]map[string]any, len(c.Stages))
	for i, st := range c.Stages {
		stages[i] = map[string]any{"stage": st.Number, "acknowledgeBy": st.AcknowledgeBy, "acknowledgedAt": st.AcknowledgedAt,
			"respondBy": st.RespondBy, "respondedAt": st.RespondedAt, "decision": st.Decision, "extension": st.Extension}
	}
	deadlines := map[string]any{}
	for _, d := range complaints.OpenDeadlines(c) {
		deadlines[d.Name] = d.Due
	}
	return map[string]any{"reference": c.Reference, "status": c.Status, "stage": c.Stage, "receivedAt": c.ReceivedAt,
		"stages": stages, "deadlines": deadlines, "letters": c.Letters, "lateEscalation": c.LateEscalation,
		"acknowledgeBy": c.Current().AcknowledgeBy, "respondBy": c.Current().RespondBy}
}

func (s Service) residentView(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	l, err := s.residentLoad(ctx, req)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(residentView(l.Case))
}

// escalate: the resident asks for stage 2, with no reason required (CH-5).
func (s Service) escalate(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	l, err := s.residentLoad(ctx, req)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	c := l.Case
	ev, err := c.Escalate(req.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	messages, err := message(c, l.Contact, notification.ComplaintEscalated, "#escalated", map[string]string{"acknowledge_by": c.Current().AcknowledgeBy.String()}, req.Now())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if _, err := s.save(ctx, l, c, messages, ev); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	answer := map[string]any{"reference": c.Reference, "stage": c.Stage, "status": c.Status, "acknowledgeBy": c.Current().AcknowledgeBy,
		"lateEscalation": c.LateEscalation, "rules": []string{"CH-5"}}
	if c.LateEscalation {
		answer["note"] = ev.Details["note"]
	}
	return httpapi.OK(answer)
}

func (s Service) list(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(staff...); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var f apperr.Fields
	status := req.Query("status")
	statuses := []string{complaints.StatusReceived, complaints.StatusAcknowledged, complaints.StatusResponded, complaints.StatusEscalated,
		complaints.StatusClosed, complaints.StatusRefused, complaints.StatusServiceRequest}
	if status != "" && !slices.Contains(statuses, status) {
		f.Add("status", "must be one of the complaint statuses")
	}
	limit := req.Limit(&f)
	if err := f.Err(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Store.Cases, IndexName: aws.String(catalog.IndexByKind), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression: aws.String("gsi1pk = :k"), ExpressionAttributeValues: map[string]types.AttributeValue{":k": dynamo.S(kindKey)}}
	if status != "" {
		in.FilterExpression, in.ExpressionAttributeNames = aws.String("#s = :s"), map[string]string{"#s": "status"}
		in.ExpressionAttributeValues[":s"] = dynamo.S(status)
	}
	items, next, err := s.Store.NewQuery(in).Page(ctx, limit, req.Query("nextToken"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cs, err := s.records().Cases(items)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := make([]map[string]any, len(cs))
	for i, c := range cs {
		out[i] = map[string]any{"reference": c.Reference, "status": c.Status, "stage": c.Stage, "serviceArea": c.ServiceArea,
			"receivedAt": c.ReceivedAt, "handler": c.Current().Handler, "acknowledgeBy": c.Current().AcknowledgeBy, "respondBy": c.Current().RespondBy,
			"flags": c.Flags}
	}
	return httpapi.Page(out, next)
}

// fullRecord is the CH-9 record in one answer: the complaint, its contact details and adjustments, every letter,
// every timeline entry (who, when, what) and the open deadlines.
func fullRecord(l dynamo.Loaded[complaints.Complaint, complaints.Contact]) map[string]any {
	timeline := l.Timeline
	if timeline == nil {
		timeline = []casefile.Event{}
	}
	deadlines := complaints.OpenDeadlines(l.Case)
	if deadlines == nil {
		deadlines = []casefile.Deadline{}
	}
	return map[string]any{"complaint": l.Case, "contact": l.Contact, "timeline": timeline, "openDeadlines": deadlines,
		"reference": l.Case.Reference, "status": l.Case.Status, "stage": l.Case.Stage}
}

func (s Service) record(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(staff...); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	l, err := s.records().Load(ctx, req.Path("reference"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(fullRecord(l))
}

// change runs a staff action: load, apply the Code, save with optimistic locking; stage 2 actions need a
// complaints manager; a letter produced is sent to the resident.
func (s Service) change(ctx context.Context, req httpapi.Request, body any, managerAtStage2 bool,
	apply func(c *complaints.Complaint, by string) (*complaints.Letter, casefile.Event, error)) (events.APIGatewayV2HTTPResponse, error) {
	who, err := req.Staff(staff...)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if body != nil {
		if err := req.DecodeJSON(body); err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
	}
	l, err := s.records().Load(ctx, req.Path("reference"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if managerAtStage2 && l.Case.Stage == 2 && !who.In(catalog.GroupComplaintsManager) {
		return events.APIGatewayV2HTTPResponse{}, apperr.Rule(apperr.Forbidden, "CH-5", "Stage 2 is handled by a complaints manager")
	}
	c := l.Case
	letter, ev, err := apply(&c, who.Name())
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var messages []outbox.Entry
	if letter != nil {
		messages, err = message(c, l.Contact, notification.ComplaintLetter, "#letter-"+strconv.Itoa(len(c.Letters)),
			map[string]string{"subject": letter.Subject, "letter": letter.Text}, req.Now())
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
	}
	version, err := s.save(ctx, l, c, messages, ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	l.Case, l.Version, l.Timeline = c, version, append(l.Timeline, ev)
	answer := fullRecord(l)
	answer["respondBy"] = c.Current().RespondBy
	if letter != nil {
		answer["letter"] = letter
	}
	return httpapi.OK(answer)
}

func (s Service) acknowledge(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b struct{ Definition, OutcomesSought, Handler string }
	return s.change(ctx, req, &b, true, func(c *complaints.Complaint, by string) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.Acknowledge(b.Definition, b.OutcomesSought, b.Handler, by, req.Now())
		return nil, ev, err
	})
}

func (s Service) extend(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b struct {
		WorkingDays int    `json:"workingDays"`
		Reason      string `json:"reason"`
	}
	return s.change(ctx, req, &b, true, func(c *complaints.Complaint, by string) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.Extend(b.WorkingDays, b.Reason, by, req.Now())
		return &l, ev, err
	})
}

func (s Service) respond(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b complaints.Response
	return s.change(ctx, req, &b, true, func(c *complaints.Complaint, by string) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.Respond(b, by, req.Now())
		return &l, ev, err
	})
}

func (s Service) refuse(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b struct{ Exclusion, Explanation string }
	return s.change(ctx, req, &b, false, func(c *complaints.Complaint, by string) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.Refuse(b.Exclusion, b.Explanation, by, req.Now())
		return &l, ev, err
	})
}

func (s Service) serviceRequest(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b struct{ Note string }
	return s.change(ctx, req, &b, false, func(c *complaints.Complaint, by string) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.ReclassifyAsServiceRequest(b.Note, by, req.Now())
		return nil, ev, err
	})
}

func (s Service) relatedPoints(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b struct{ Points string }
	return s.change(ctx, req, &b, false, func(c *complaints.Complaint, by string) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.AddRelatedPoints(b.Points, by, req.Now())
		return nil, ev, err
	})
}

// annualReport: CH-10 for the financial year April YYYY to March YYYY+1, from that year's items only (one index
// query on the year's key range).
func (s Service) annualReport(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(catalog.GroupComplaintsManager); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	year, err := strconv.Atoi(req.Query("year"))
	if err != nil || year < 2000 || year > 2100 {
		var f apperr.Fields
		f.Add("year", "must be the year the financial year starts, e.g. 2026 for April 2026 to March 2027")
		return events.APIGatewayV2HTTPResponse{}, f.Err()
	}
	from, to := complaints.FinancialYear(year)
	in := &dynamodb.QueryInput{TableName: &s.Store.Cases, IndexName: aws.String(catalog.IndexByKind),
		KeyConditionExpression: aws.String("gsi1pk = :k AND gsi1sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":k": dynamo.S(kindKey),
			":from": dynamo.S(from.Format(time.RFC3339Nano)), ":to": dynamo.S(to.Add(-time.Nanosecond).Format(time.RFC3339Nano) + "#~")}}
	items, err := s.Store.NewQuery(in).All(ctx)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	cs, err := s.records().Cases(items)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(complaints.Annual(year, cs, s.Homes))
}
