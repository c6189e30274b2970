// Package registerapi is the register-application function: the eligibility pre-screen, applications with
// their banding decision and reasons, the resident's view, the allocations officers' changes (each one
// re-assesses and is recorded on the timeline) and the priority list served by an index.
package registerapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
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
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/httpapi"
	"github.com/councilhousing/backend/shared/transport/idem"
)

// Service is the register application.
type Service struct {
	Store  *dynamo.Store
	Queues queue.Sender
}

// Record is a stored application: what the assessment reads, and its current decision.
type Record struct {
	Reference   string               `json:"reference" dynamodbav:"reference"`
	ReceivedAt  time.Time            `json:"receivedAt" dynamodbav:"receivedAt"`
	Application register.Application `json:"application" dynamodbav:"application"`
	Decision    register.Decision    `json:"decision" dynamodbav:"decision"`
}

// Contact is the applicant and household, kept apart from the assessment.
type Contact struct {
	Applicant register.Applicant `json:"applicant" dynamodbav:"applicant"`
	Household []register.Member  `json:"household" dynamodbav:"household"`
}

const kindKey = "APPLICATION"

func (s Service) records() dynamo.Records[Record, Contact] {
	return dynamo.Records[Record, Contact]{
		Store: s.Store, Kind: casefile.Application,
		Ref:       func(r Record) string { return r.Reference },
		Deadlines: func(r Record) []casefile.Deadline { return register.OpenDeadlines(r.Reference, r.Decision) },
		Indexes: func(r Record) map[string]types.AttributeValue {
			idx := map[string]types.AttributeValue{"gsi1pk": dynamo.S(kindKey), "gsi1sk": dynamo.S(r.ReceivedAt.UTC().Format(time.RFC3339Nano) + "#" + r.Reference)}
			if band := r.Decision.BandName(); band != "" && r.Decision.Status == register.StatusRegistered {
				idx["gsi2pk"], idx["gsi2sk"] = dynamo.S("REGISTER#"+band), dynamo.S(register.PriorityKey(r.Reference, r.Decision))
			}
			return idx
		},
	}
}

var officers = []string{catalog.GroupAllocationsOfficer}

// Routes are register-application's routes (infra/catalog).
func (s Service) Routes() httpapi.Routes {
	return httpapi.Routes{
		"POST /register/eligibility":                            s.eligibility,
		"POST /register/applications":                           s.apply,
		"GET /register/applications/{reference}":                s.residentView,
		"GET /register/applications/{reference}/record":         s.record,
		"POST /register/applications/{reference}/medical-award": s.medicalAward,
		"POST /register/applications/{reference}/offers":        s.offer,
		"POST /register/applications/{reference}/debt":          s.debt,
		"POST /register/applications/{reference}/verification":  s.verification,
		"GET /register/priority-list":                           s.priorityList,
	}
}

func (s Service) eligibility(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var e register.EligibilityCheck
	if err := req.DecodeJSON(&e); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := e.Validate(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	eligible, reasons, advice := register.CheckEligibility(e)
	return httpapi.OK(map[string]any{"eligible": eligible, "reasons": reasons, "advice": advice})
}

// answer is the decision as the API shows it.
func answer(r Record) map[string]any {
	d := r.Decision
	out := map[string]any{"reference": r.Reference, "status": d.Status, "band": d.Band, "stars": d.Stars, "offerable": d.Offerable,
		"reasons": d.Reasons, "effectiveDate": d.EffectiveDate, "receivedAt": r.ReceivedAt}
	if d.NeedBand != "" {
		out["needBand"] = d.NeedBand
	}
	if d.EmergencyExpiresOn != nil {
		out["emergencyExpiresOn"] = d.EmergencyExpiresOn
	}
	if d.MedicalReviewDue != nil {
		out["medicalReviewDue"] = d.MedicalReviewDue
	}
	if len(d.Warnings) > 0 {
		out["warnings"] = d.Warnings
	}
	return out
}

func (s Service) apply(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var a register.Application
	if err := req.DecodeJSON(&a); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := req.Now()
	today := workdays.DateOf(now)
	if err := a.Validate(today); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return idem.Run(ctx, s.Store, req, http.StatusCreated, func(record idem.Recorder) (any, error) {
		rec := Record{Reference: ids.NewReference("HR"), ReceivedAt: now.UTC(), Application: a, Decision: register.Assess(a, today, nil)}
		token := ids.NewAccessToken()
		body := answer(rec)
		body["accessToken"] = token
		extra, err := record.Writes(body)
		if err != nil {
			return nil, err
		}
		ev := casefile.Event{At: now.UTC(), Actor: "resident", Action: "applied", Rule: "HR-D",
			Details: map[string]any{"status": rec.Decision.Status, "band": rec.Decision.Band, "stars": rec.Decision.Stars, "reasons": rec.Decision.Reasons}}
		contact := Contact{Applicant: a.Applicant, Household: a.Household}
		messages, err := decisionMessage(rec, contact.Applicant)
		if err != nil {
			return nil, err
		}
		ob := outbox.Outbox{Store: s.Store, Queues: s.Queues}
		pending, err := ob.Writes(messages...)
		if err != nil {
			return nil, err
		}
		if err := s.records().Create(ctx, rec, &contact, ids.HashToken(token), append(extra, pending...), ev); err != nil {
			return nil, err
		}
		_ = ob.Deliver(ctx, messages...) // stored with the application: the relay retries a failed delivery
		return body, nil
	})
}

// decisionMessage is the applicant's decision letter with its reasons (HR-D), for the outbox.
func decisionMessage(rec Record, a register.Applicant) ([]outbox.Entry, error) {
	var reasons []string
	for _, r := range rec.Decision.Reasons {
		reasons = append(reasons, r.Text) // each reason's text already cites its rule (HR-D)
	}
	preferred := a.PreferredContact
	if preferred == "" {
		preferred = "email"
	}
	msg := notification.Request{ID: rec.Reference + "#decision", Template: notification.ApplicationDecision, CaseKind: casefile.Application,
		CaseRef: rec.Reference, RequestedAt: rec.ReceivedAt,
		To: notification.Recipient{Role: notification.Resident, Email: a.Email, Phone: a.Phone, PreferredContact: preferred, Language: a.Language},
		Personalisation: map[string]string{"reference": rec.Reference, "status": rec.Decision.Status, "band": rec.Decision.BandName(),
			"stars": strconv.Itoa(rec.Decision.Stars), "reasons": strings.Join(reasons, "\n")}}
	e, err := outbox.New(msg.ID, catalog.NotificationsQueue, notification.QueueMessageType, msg, rec.ReceivedAt)
	return []outbox.Entry{e}, err
}

func (s Service) residentView(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	ref := req.Path("reference")
	l, err := s.records().Load(ctx, ref)
	if err := req.Resident(l.TokenHash, err, "application", ref); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	rec := l.Case
	// the decision as of today (e.g. refusals older than 12 months no longer count), without changing the record
	rec.Decision = register.Assess(rec.Application, workdays.DateOf(req.Now()), &l.Case.Decision)
	return httpapi.OK(answer(rec))
}

func (s Service) record(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(officers...); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	l, err := s.records().Load(ctx, req.Path("reference"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.OK(full(l))
}

func full(l dynamo.Loaded[Record, Contact]) map[string]any {
	out := answer(l.Case)
	out["application"], out["contact"] = l.Case.Application, l.Contact
	out["timeline"], out["openDeadlines"] = orEmpty(l.Timeline), orEmpty(register.OpenDeadlines(l.Case.Reference, l.Case.Decision))
	return out
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// change applies an officer's change, re-assesses, and records who, when, what, and the old and new band.
func (s Service) change(ctx context.Context, req httpapi.Request, body any, action string, apply func(a *register.Application, today workdays.Date) (map[string]any, error)) (events.APIGatewayV2HTTPResponse, error) {
	who, err := req.Staff(officers...)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := req.DecodeJSON(body); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	l, err := s.records().Load(ctx, req.Path("reference"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := req.Now()
	today := workdays.DateOf(now)
	rec := l.Case
	what, err := apply(&rec.Application, today)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	before := rec.Decision
	rec.Decision = register.Assess(rec.Application, today, &before)
	what["oldBand"], what["newBand"], what["oldStars"], what["newStars"] = before.Band, rec.Decision.Band, before.Stars, rec.Decision.Stars
	what["offerable"], what["reasons"] = rec.Decision.Offerable, rec.Decision.Reasons
	ev := casefile.Event{At: now.UTC(), Actor: who.Name(), Action: action, Rule: "HR-D", Details: what}
	version, err := s.records().Save(ctx, l, rec, nil, ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	l.Case, l.Version, l.Timeline = rec, version, append(l.Timeline, ev)
	return httpapi.OK(full(l))
}

func (s Service) medicalAward(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b register.MedicalAward
	return s.change(ctx, req, &b, "medical-award-recorded", func(a *register.Application, today workdays.Date) (map[string]any, error) {
		var f apperr.Fields
		if b.Severity != "none" && b.Severity != "moderate" && b.Severity != "severe" {
			f.Add("severity", "must be one of: none, moderate, severe")
		}
		if b.Severity != "none" {
			if d, err := workdays.ParseDate(b.AssessedOn); err != nil {
				f.Add("assessedOn", "must be a real date in the form YYYY-MM-DD")
			} else if d.After(today) {
				f.Add("assessedOn", "cannot be in the future")
			}
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
		award := b
		a.MedicalAward = &award
		return map[string]any{"severity": b.Severity, "assessedOn": b.AssessedOn, "rule": "HR-M"}, nil
	})
}

func (s Service) offer(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b struct {
		OfferedOn  string `json:"offeredOn"`
		Property   string `json:"property"`
		Refused    bool   `json:"refused"`
		RefusedOn  string `json:"refusedOn"`
		Reasonable *bool  `json:"reasonable"`
	}
	return s.change(ctx, req, &b, "offer-recorded", func(a *register.Application, today workdays.Date) (map[string]any, error) {
		var f apperr.Fields
		offered, err := workdays.ParseDate(b.OfferedOn)
		if err != nil {
			f.Add("offeredOn", "must be a real date in the form YYYY-MM-DD")
		} else if offered.After(today) {
			f.Add("offeredOn", "cannot be in the future")
		}
		refusedOn := b.RefusedOn
		if b.Refused {
			if refusedOn == "" {
				refusedOn = b.OfferedOn
			}
			if d, err := workdays.ParseDate(refusedOn); err != nil {
				f.Add("refusedOn", "must be a real date in the form YYYY-MM-DD")
			} else if d.After(today) || (err == nil && d.Before(offered)) {
				f.Add("refusedOn", "must be on or after the offer and not in the future")
			}
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
		reasonable := b.Reasonable == nil || *b.Reasonable
		if b.Refused && reasonable {
			a.RefusedOffers = append(a.RefusedOffers, refusedOn) // counts towards HR-R's 3 refusals in 12 months
		}
		return map[string]any{"offeredOn": b.OfferedOn, "property": b.Property, "refused": b.Refused, "refusedOn": refusedOn, "reasonable": reasonable}, nil
	})
}

func (s Service) debt(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b register.HousingDebt
	return s.change(ctx, req, &b, "debt-updated", func(a *register.Application, today workdays.Date) (map[string]any, error) {
		var f apperr.Fields
		if b.Amount < 0 {
			f.Add("amount", "must be at least 0")
		}
		if b.WeeklyRent < 0 || (b.Amount > 0 && b.WeeklyRent == 0) {
			f.Add("weeklyRent", "must be more than 0 when there is a debt")
		}
		if b.TenancyEndedOn != "" {
			if d, err := workdays.ParseDate(b.TenancyEndedOn); err != nil || d.After(today) {
				f.Add("tenancyEndedOn", "must be a real date, not in the future")
			}
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
		debt := b
		a.HousingDebt = &debt
		return map[string]any{"amount": b.Amount, "weeklyRent": b.WeeklyRent, "repaymentPlan": b.RepaymentPlan, "rule": "HR-U"}, nil
	})
}

func (s Service) verification(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	var b register.Verification
	return s.change(ctx, req, &b, "verification-recorded", func(a *register.Application, _ workdays.Date) (map[string]any, error) {
		if b.SeekingWork == nil && b.CommunityContribution == nil && b.Working == nil {
			var f apperr.Fields
			f.Add("verification", "give at least one of seekingWork, communityContribution, working (true or false)")
			return nil, f.Err()
		}
		what := map[string]any{"rule": "HR-S"}
		if b.SeekingWork != nil {
			a.Verified.SeekingWork, what["seekingWork"] = b.SeekingWork, *b.SeekingWork
		}
		if b.CommunityContribution != nil {
			a.Verified.CommunityContribution, what["communityContribution"] = b.CommunityContribution, *b.CommunityContribution
		}
		if b.Working != nil {
			a.Verified.Working, what["working"] = b.Working, *b.Working
		}
		return what, nil
	})
}

// priorityList serves one band in priority order (stars, then effective date, oldest first) from the byEvent
// index, paginated.
func (s Service) priorityList(ctx context.Context, req httpapi.Request) (events.APIGatewayV2HTTPResponse, error) {
	if _, err := req.Staff(officers...); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var f apperr.Fields
	band := req.Query("band")
	switch band {
	case register.BandEmergency, register.BandA, register.BandB, register.BandReduced:
	default:
		f.Add("band", "must be one of: emergency, A, B, reduced")
	}
	limit := req.Limit(&f)
	if err := f.Err(); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	in := &dynamodb.QueryInput{TableName: &s.Store.Cases, IndexName: aws.String(catalog.IndexByEvent),
		KeyConditionExpression: aws.String("gsi2pk = :b"), ExpressionAttributeValues: map[string]types.AttributeValue{":b": dynamo.S("REGISTER#" + band)}}
	items, next, err := s.Store.NewQuery(in).Page(ctx, limit, req.Query("nextToken"))
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	recs, err := s.records().Cases(items)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = map[string]any{"reference": r.Reference, "band": r.Decision.Band, "stars": r.Decision.Stars,
			"effectiveDate": r.Decision.EffectiveDate, "offerable": r.Decision.Offerable, "emergencyExpiresOn": r.Decision.EmergencyExpiresOn}
	}
	return httpapi.Page(out, next)
}
