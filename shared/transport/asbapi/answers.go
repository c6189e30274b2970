package asbapi

import (
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Receipt is the answer to a new report (201).
type Receipt struct {
	Reference     string           `json:"reference"`
	Category      asb.Category     `json:"category"`
	RiskLevel     string           `json:"riskLevel"`
	AcknowledgeBy workdays.Date    `json:"acknowledgeBy"`
	AppointmentBy workdays.Date    `json:"appointmentBy"`
	CaseReview    asb.CaseReview   `json:"caseReview"`
	AccessToken   string           `json:"accessToken,omitempty"` // none for anonymous reports
	Advice        []string         `json:"advice"`
	Reasons       decision.Reasons `json:"reasons"`
	Channel       string           `json:"channel"`
	// ReceivedAt is when the report reached us: its targets run from it (ASB-4), also for a report logged later.
	ReceivedAt time.Time       `json:"receivedAt"`
	LoggedBy   *casefile.Actor `json:"loggedBy,omitempty"` // the officer who logged it (ASB-2)
	// Joined says the report was added to an open case of the same problem (ASB-9): Reference is that case,
	// Incident the report's id in it (I2, I3, ...), MatchedOn the key that matched (location or reporter-subject).
	Joined    bool   `json:"joined"`
	Incident  string `json:"incident,omitempty"`
	MatchedOn string `json:"matchedOn,omitempty"`
}

func receiptOf(r asbcases.Receipt) Receipt {
	c, a := r.Case, r.Assessment
	out := Receipt{Reference: c.Reference, Category: a.Category, RiskLevel: a.RiskLevel, AcknowledgeBy: a.AcknowledgeBy,
		AppointmentBy: a.AppointmentBy, CaseReview: r.CaseReview, AccessToken: r.AccessToken, Advice: orEmpty(a.Advice),
		Reasons: orEmpty(a.Reasons), Channel: c.Channel, ReceivedAt: c.ReceivedAt, LoggedBy: c.LoggedBy,
		Joined: r.JoinedCase != "", Incident: r.Incident, MatchedOn: r.MatchedOn}
	return out
}

// Unlinked answers an unlinking: the case the report was taken out of, and the reference of its own new case.
type Unlinked struct {
	Case         CaseDetail `json:"case"`
	NewReference string     `json:"newReference"`
}

func unlinkedOf(u asbcases.Unlinked) Unlinked {
	return Unlinked{Case: detailOf(u.Record), NewReference: u.NewCase.Reference}
}

// PublicStatus is the reporter's view of their report.
type PublicStatus struct {
	Reference     string        `json:"reference"`
	Type          string        `json:"type"`
	Category      asb.Category  `json:"category"`
	Status        string        `json:"status"`
	ReceivedAt    time.Time     `json:"receivedAt"`
	AcknowledgeBy workdays.Date `json:"acknowledgeBy"`
	AppointmentBy workdays.Date `json:"appointmentBy"`
	Acknowledged  bool          `json:"acknowledged"`
	AppointmentOn workdays.Date `json:"appointmentOn,omitzero"`
	ClosedAt      *time.Time    `json:"closedAt,omitempty"`
	Outcome       string        `json:"outcome,omitempty"`
	// CaseReview is the latest case review the reporter asked for (ASB-7): when it is due and, once decided, its
	// outcome and recommendations (not who decided it).
	CaseReview *PublicCaseReview `json:"caseReview,omitempty"`
	// Satisfaction is the reporter's answers to the survey sent at closure (ASB-9), once given; SurveyPath is
	// where to answer it while it is unanswered on a closed case (with the case's access token).
	Satisfaction *asb.Satisfaction `json:"satisfaction,omitempty"`
	SurveyPath   string            `json:"surveyPath,omitempty"`
}

// PublicCaseReview is the reporter's view of their case review (ASB-7).
type PublicCaseReview struct {
	RequestedAt     time.Time     `json:"requestedAt"`
	DueOn           workdays.Date `json:"dueOn"`
	Outcome         string        `json:"outcome,omitempty"`
	Recommendations []string      `json:"recommendations,omitempty"`
	DecidedAt       *time.Time    `json:"decidedAt,omitempty"`
}

func publicStatusOf(c asb.Case) PublicStatus {
	out := PublicStatus{Reference: c.Reference, Type: c.Type, Category: c.Category, Status: c.Status, ReceivedAt: c.ReceivedAt,
		AcknowledgeBy: c.AcknowledgeBy, AppointmentBy: c.AppointmentBy, Acknowledged: c.AcknowledgedAt != nil,
		AppointmentOn: c.AppointmentOn, ClosedAt: c.ClosedAt, Outcome: c.Outcome, CaseReview: publicReviewOf(c.CaseReview), Satisfaction: c.Satisfaction}
	if c.Status == asb.StatusClosed && c.Satisfaction == nil {
		out.SurveyPath = asbcases.SurveyPath(c.Reference)
	}
	return out
}

func publicReviewOf(r *asb.CaseReviewRecord) *PublicCaseReview {
	if r == nil {
		return nil
	}
	return &PublicCaseReview{RequestedAt: r.RequestedAt, DueOn: r.DueOn, Outcome: r.Outcome, Recommendations: r.Recommendations, DecidedAt: r.DecidedAt}
}

// Summary is a case in the staff list.
type Summary struct {
	Reference     string        `json:"reference"`
	Type          string        `json:"type"`
	Category      asb.Category  `json:"category"`
	Channel       string        `json:"channel"`
	Status        string        `json:"status"`
	RiskLevel     string        `json:"riskLevel"`
	ReceivedAt    time.Time     `json:"receivedAt"`
	AcknowledgeBy workdays.Date `json:"acknowledgeBy"`
	AppointmentBy workdays.Date `json:"appointmentBy"`
	Officer       string        `json:"officer,omitempty"`
	CallID        string        `json:"callId,omitempty"`
	Overdue       bool          `json:"overdue"`
}

func summaryOf(c asb.Summary, today workdays.Date) Summary {
	return Summary{Reference: c.Reference, Type: c.Type, Category: c.Category, Channel: c.Channel, Status: c.Status,
		RiskLevel: c.RiskLevel, ReceivedAt: c.ReceivedAt, AcknowledgeBy: c.AcknowledgeBy, AppointmentBy: c.AppointmentBy,
		Officer: c.Officer, CallID: c.CallID, Overdue: c.Overdue(today)}
}

// CaseDetail is the whole case for staff: the case, the reporter's contact (null when anonymous), the open
// deadlines and the timeline; after adding an action, the item added.
type CaseDetail struct {
	Reference         string              `json:"reference"`
	Version           int                 `json:"version"`
	Case              asb.Case            `json:"case"`
	Reporter          *asb.Reporter       `json:"reporter"`
	OpenDeadlines     []casefile.Deadline `json:"openDeadlines"`
	Timeline          []casefile.Event    `json:"timeline"`                    // newest first: a read's newest page, or the entries a change recorded
	TimelineNextToken string              `json:"timelineNextToken,omitempty"` // GET .../timeline?nextToken= gives the next page
	Overdue           bool                `json:"overdue"`
	Action            *asb.ActionItem     `json:"action,omitempty"`
	// Subject is the person reported just recorded, SubjectCases the other cases they are a subject of (newest
	// first, at most 20): repeat subjects (source 002).
	Subject      *asb.Subject `json:"subject,omitempty"`
	SubjectCases []string     `json:"subjectCases,omitempty"`
}

func detailOf(r asbcases.Record) CaseDetail {
	return CaseDetail{Reference: r.Case.Reference, Version: r.Version, Case: r.Case, Reporter: r.Contact,
		OpenDeadlines: orEmpty(asb.OpenDeadlines(r.Case)), Timeline: orEmpty(r.Timeline), TimelineNextToken: r.TimelineNext, Overdue: r.Overdue, Action: r.Action,
		Subject: r.Subject, SubjectCases: r.SubjectCases}
}

// Intake is the webhook's answer (202): the call is queued, or its webhook-id was seen already.
type Intake struct {
	Status    string `json:"status"` // queued | duplicate
	WebhookID string `json:"webhookId"`
	CallID    string `json:"callId"`
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
