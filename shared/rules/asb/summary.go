package asb

import (
	"time"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Summary is what the staff list and the monthly report need of a case, and nothing more: no description,
// location, risk answers, contacts or action plan. The store keeps it beside the case as the list's projection.
type Summary struct {
	Reference     string        `json:"reference" dynamodbav:"reference"`
	Type          string        `json:"type" dynamodbav:"type"`
	Category      Category      `json:"category" dynamodbav:"category"`
	Channel       string        `json:"channel" dynamodbav:"channel"`
	Status        string        `json:"status" dynamodbav:"status"`
	RiskLevel     string        `json:"riskLevel" dynamodbav:"riskLevel"`
	ReceivedAt    time.Time     `json:"receivedAt" dynamodbav:"receivedAt"`
	AcknowledgeBy workdays.Date `json:"acknowledgeBy" dynamodbav:"acknowledgeBy"`
	AppointmentBy workdays.Date `json:"appointmentBy" dynamodbav:"appointmentBy"`
	Officer       string        `json:"officer,omitempty" dynamodbav:"officer,omitempty"`
	CallID        string        `json:"callId,omitempty" dynamodbav:"callId,omitempty"`
	ClosedAt      *time.Time    `json:"closedAt,omitempty" dynamodbav:"closedAt,omitempty"`
	Satisfaction  *Satisfaction `json:"satisfaction,omitempty" dynamodbav:"satisfaction,omitempty"`
	// JoinedSatisfaction are the answers of reporters whose further reports joined the case, each one response.
	JoinedSatisfaction []Satisfaction `json:"joinedSatisfaction,omitempty" dynamodbav:"joinedSatisfaction,omitempty"`
	Evicted            bool           `json:"evicted,omitempty" dynamodbav:"evicted,omitempty"` // ASB-9 annual measure
	// NextDue is the earliest open deadline (zero when none): a case is overdue from the day after it (WD-3).
	NextDue workdays.Date `json:"nextDue,omitzero" dynamodbav:"nextDue,omitempty"`
}

// SummaryOf projects a case for the list and the report.
func SummaryOf(c Case) Summary {
	s := Summary{Reference: c.Reference, Type: c.Type, Category: c.Category, Channel: c.Channel, Status: c.Status,
		RiskLevel: c.RiskLevel, ReceivedAt: c.ReceivedAt, AcknowledgeBy: c.AcknowledgeBy, AppointmentBy: c.AppointmentBy,
		Officer: c.Officer, CallID: c.CallID, ClosedAt: c.ClosedAt, Satisfaction: c.Satisfaction, Evicted: c.Evicted,
		JoinedSatisfaction: c.JoinedSatisfaction()}
	for _, d := range OpenDeadlines(c) {
		if s.NextDue.IsZero() || d.Due.Before(s.NextDue) {
			s.NextDue = d.Due
		}
	}
	return s
}

// Overdue is IsOverdue from the summary: its earliest open deadline is before today.
func (s Summary) Overdue(today workdays.Date) bool {
	return !s.NextDue.IsZero() && s.NextDue.Before(today)
}

// DaysOpen is calendar days from receipt to closure (ASB-5, ASB-9), in London days.
func (s Summary) DaysOpen() int {
	if s.ClosedAt == nil {
		return 0
	}
	return workdays.DateOf(s.ReceivedAt).DaysUntil(workdays.DateOf(*s.ClosedAt))
}
