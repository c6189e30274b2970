package asb

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Case statuses.
const (
	StatusReceived     = "received"
	StatusAcknowledged = "acknowledged"
	StatusInProgress   = "in-progress"
	StatusClosed       = "closed"
	// StatusMerged: the case was the same problem as another and was merged into it (ASB-9: a further report on
	// an open case is not a new case); it is counted as that case's further incident, never as a case of its own.
	StatusMerged = "merged"
)

// Team and manager groups that own ASB deadlines.
const (
	Team    = "asb-officer"
	Manager = "asb-manager"
)

// RiskAssessment is the vulnerability check at the first meeting, reviewed by risk level (ASB-5).
type RiskAssessment struct {
	Level        string         `json:"level" dynamodbav:"level"`
	NextReviewOn workdays.Date  `json:"nextReviewOn" dynamodbav:"nextReviewOn"`
	AssessedAt   time.Time      `json:"assessedAt" dynamodbav:"assessedAt"`
	AssessedBy   casefile.Actor `json:"assessedBy" dynamodbav:"assessedBy"`
	// Checklist is the ASB-5 vulnerability check-list's answers; ChecklistLevel the level they set (Level may be
	// higher, by the officer's judgement), Reasons why. Nil for an assessment recorded before the check-list.
	Checklist      *Checklist       `json:"checklist,omitempty" dynamodbav:"checklist,omitempty"`
	ChecklistLevel string           `json:"checklistLevel,omitempty" dynamodbav:"checklistLevel,omitempty"`
	Reasons        decision.Reasons `json:"reasons,omitempty" dynamodbav:"reasons,omitempty"`
	Notes          string           `json:"notes,omitempty" dynamodbav:"notes,omitempty"` // at most 2,000 characters
}

// ActionItem is one step of the action plan, using an ASB-8 tool.
type ActionItem struct {
	ID          string        `json:"id" dynamodbav:"id"`
	Tool        string        `json:"tool" dynamodbav:"tool"`
	Description string        `json:"description" dynamodbav:"description"`
	DueOn       workdays.Date `json:"dueOn" dynamodbav:"dueOn"`
	CreatedAt   time.Time     `json:"createdAt" dynamodbav:"createdAt"`
	CompletedAt *time.Time    `json:"completedAt,omitempty" dynamodbav:"completedAt,omitempty"`
	// Outcome is what came of the action when it was closed at the case's closure (ASB-8).
	Outcome string `json:"outcome,omitempty" dynamodbav:"outcome,omitempty"`
}

// Satisfaction is the reporter's rating at closure, 1 (very dissatisfied) to 5 (very satisfied) (ASB-9).
type Satisfaction struct {
	Handling int `json:"handling,omitempty" dynamodbav:"handling,omitempty" validate:"omitempty,min=1,max=5"`
	Outcome  int `json:"outcome,omitempty" dynamodbav:"outcome,omitempty" validate:"omitempty,min=1,max=5"`
}

// Case is an ASB case. The reporter's contact details are not here: the store keeps them apart (ASB-2). Nor is
// the optimistic-locking version: the shared versioned record (shared/dynamo) carries it beside the case, so
// there is one version per stored case and no second copy to drift.
type Case struct {
	Reference            string        `json:"reference" dynamodbav:"reference"`
	Type                 string        `json:"type" dynamodbav:"type"`
	Category             Category      `json:"category" dynamodbav:"category"`
	Channel              string        `json:"channel" dynamodbav:"channel"`
	Status               string        `json:"status" dynamodbav:"status"`
	RiskLevel            string        `json:"riskLevel" dynamodbav:"riskLevel"`
	Description          string        `json:"description" dynamodbav:"description"`
	Location             Location      `json:"location" dynamodbav:"location"`
	OccurredAt           string        `json:"occurredAt,omitempty" dynamodbav:"occurredAt,omitempty"`
	Ongoing              bool          `json:"ongoing" dynamodbav:"ongoing"`
	Anonymous            bool          `json:"anonymous" dynamodbav:"anonymous"`
	Risk                 Risk          `json:"risk" dynamodbav:"risk"`
	ReceivedAt           time.Time     `json:"receivedAt" dynamodbav:"receivedAt"`
	AcknowledgeBy        workdays.Date `json:"acknowledgeBy" dynamodbav:"acknowledgeBy"`
	AppointmentBy        workdays.Date `json:"appointmentBy" dynamodbav:"appointmentBy"`
	AcknowledgedAt       *time.Time    `json:"acknowledgedAt,omitempty" dynamodbav:"acknowledgedAt,omitempty"`
	AppointmentOfferedAt *time.Time    `json:"appointmentOfferedAt,omitempty" dynamodbav:"appointmentOfferedAt,omitempty"`
	AppointmentOn        workdays.Date `json:"appointmentOn,omitzero" dynamodbav:"appointmentOn,omitempty"`
	// Officer is the staff id (JWT sub) of the officer who owns the case's deadlines and gets their reminders.
	Officer        string          `json:"officer,omitempty" dynamodbav:"officer,omitempty"`
	RiskAssessment *RiskAssessment `json:"riskAssessment,omitempty" dynamodbav:"riskAssessment,omitempty"`
	// RiskReviews counts the reviews of the risk assessment (each a new check-list, ASB-5).
	RiskReviews int          `json:"riskReviews,omitempty" dynamodbav:"riskReviews,omitempty"`
	Actions     []ActionItem `json:"actions" dynamodbav:"actions"`
	// ContactsLogged counts the contacts logged; each is a "contact-logged" entry on the case's timeline, an
	// item of its own, so the case stays the same size however many there are.
	ContactsLogged int           `json:"contactsLogged,omitempty" dynamodbav:"contactsLogged,omitempty"`
	Referrals      []Referral    `json:"referrals,omitempty" dynamodbav:"referrals,omitempty"`
	ClosedAt       *time.Time    `json:"closedAt,omitempty" dynamodbav:"closedAt,omitempty"`
	Outcome        string        `json:"outcome,omitempty" dynamodbav:"outcome,omitempty"`
	Satisfaction   *Satisfaction `json:"satisfaction,omitempty" dynamodbav:"satisfaction,omitempty"`
	ReopenedCount  int           `json:"reopenedCount,omitempty" dynamodbav:"reopenedCount,omitempty"`
	CallID         string        `json:"callId,omitempty" dynamodbav:"callId,omitempty"`
	Operator       string        `json:"operator,omitempty" dynamodbav:"operator,omitempty"`
	AdvisedPolice  bool          `json:"advisedPolice,omitempty" dynamodbav:"advisedPolice,omitempty"`
	Subject        string        `json:"subject,omitempty" dynamodbav:"subject,omitempty"`
	// LoggedBy and LoggedAt: the officer who logged a report taken by phone, email, letter, in person or from a
	// partner, and when (its targets run from ReceivedAt, ASB-4).
	LoggedBy *casefile.Actor `json:"loggedBy,omitempty" dynamodbav:"loggedBy,omitempty"`
	LoggedAt *time.Time      `json:"loggedAt,omitempty" dynamodbav:"loggedAt,omitempty"`
	// FurtherReports counts the further reports of the same problem added to the case (ASB-9), each an item of
	// its own (Incident, I2, I3, ...; the case's own report is I1); Incidents counts every one ever added, so ids
	// are never reused after an unlinking.
	FurtherReports int `json:"furtherReports" dynamodbav:"furtherReports"`
	Incidents      int `json:"incidents,omitempty" dynamodbav:"incidents,omitempty"`
	// MergedInto is the case this one was merged into (status merged); MergedCases counts the cases merged into it.
	MergedInto  string `json:"mergedInto,omitempty" dynamodbav:"mergedInto,omitempty"`
	MergedCases int    `json:"mergedCases,omitempty" dynamodbav:"mergedCases,omitempty"`
	// MergedAt is when the case was merged into MergedInto: its end, from which its retention period runs.
	MergedAt *time.Time `json:"mergedAt,omitempty" dynamodbav:"mergedAt,omitempty"`
	// CaseReview is the latest ASB case review asked for by the reporter (ASB-7), open until a manager records its
	// outcome; CaseReviews counts the reviews asked for (ids R1, R2, ...). Each is also an item of its own.
	CaseReview  *CaseReviewRecord `json:"caseReview,omitempty" dynamodbav:"caseReview,omitempty"`
	CaseReviews int               `json:"caseReviews,omitempty" dynamodbav:"caseReviews,omitempty"`
	// ActionPlanAgreedAt is when the action plan was last agreed with the reporter (ASB-5); ActionPlanAgreements
	// counts the agreements (a changed plan is agreed again).
	ActionPlanAgreedAt   *time.Time `json:"actionPlanAgreedAt,omitempty" dynamodbav:"actionPlanAgreedAt,omitempty"`
	ActionPlanAgreements int        `json:"actionPlanAgreements,omitempty" dynamodbav:"actionPlanAgreements,omitempty"`
	// Survey says who gave Satisfaction: the reporter through the survey sent at closure, or the officer from a
	// phone call at closure (ASB-9).
	Survey *SurveyResponse `json:"survey,omitempty" dynamodbav:"survey,omitempty"`
	// Evicted: the case closed with the eviction of the person reported (ASB-9's annual measure, evictions for ASB).
	Evicted bool `json:"evicted,omitempty" dynamodbav:"evicted,omitempty"`
	// Records counts the case's witnesses, diary entries, evidence references and costs (each an item of its own).
	Records Records `json:"records,omitzero" dynamodbav:"records"`
	// SubjectKeys are the hashes of the persons reported's SubjectKeys (S1 is the first), at most MaxSubjects: the
	// store files the case under each, so a person's other cases are found by key, never by a scan.
	SubjectKeys []string `json:"-" dynamodbav:"subjectKeys,omitempty"`
	// ReporterKey is a hash of the reporter's normalised contact (ASB-7), never the contact itself; "" when anonymous.
	ReporterKey string `json:"-" dynamodbav:"reporterKey,omitempty"`
	// Joined are the named reporters whose further reports joined the case, kept informed of its updates like the
	// first reporter (at most MaxJoinedReporters): which report holds each one's contact details, never the details.
	Joined []JoinedReporter `json:"-" dynamodbav:"joined,omitempty"`
}

// NewCase opens a case from a valid report, its assessment, and how it arrived.
func NewCase(ref string, r Report, a Assessment, channel string, receivedAt time.Time) Case {
	return Case{
		Reference: ref, Type: r.Type, Category: a.Category, Channel: channel, Status: StatusReceived, RiskLevel: a.RiskLevel,
		Description: r.Description, Location: r.Location, OccurredAt: r.OccurredAt, Ongoing: r.Ongoing, Anonymous: r.Anonymous,
		Risk: r.Risk, ReceivedAt: receivedAt.UTC(), AcknowledgeBy: a.AcknowledgeBy, AppointmentBy: a.AppointmentBy,
		Referrals: a.Referrals, Actions: []ActionItem{}, Subject: strings.TrimSpace(r.Subject),
	}
}

// DaysOpen is calendar days from receipt to closure (ASB-5, ASB-9), in London days.
func (c Case) DaysOpen() int {
	if c.ClosedAt == nil {
		return 0
	}
	return workdays.DateOf(c.ReceivedAt).DaysUntil(workdays.DateOf(*c.ClosedAt))
}

// OpenDeadlines are the deadlines the case has in its current state, for the deadlines index: the
// acknowledgement until acknowledged (ASB-4), the appointment until offered or the first meeting held (ASB-3),
// the risk review (ASB-5) and each open action item (ASB-8); none once closed, except an open case review (ASB-7:
// a closed case may be reviewed), which is the asb-manager team's task. Owner is the officer (empty: the
// asb-officer team); the asb-manager group hears of overdue ones.
func OpenDeadlines(c Case) []casefile.Deadline {
	var out []casefile.Deadline
	if c.CaseReview.Open() && c.Status != StatusMerged {
		out = append(out, casefile.Deadline{CaseKind: casefile.ASB, CaseRef: c.Reference, Name: "case-review", Due: c.CaseReview.DueOn, Rule: "ASB-7",
			Team: Manager, Manager: Manager, Audience: casefile.Officer, Label: "Decide the case review the reporter asked for"})
	}
	if c.closed() {
		return out
	}
	d := func(name, rule, label string, due workdays.Date) casefile.Deadline {
		return casefile.Deadline{CaseKind: casefile.ASB, CaseRef: c.Reference, Name: name, Due: due, Rule: rule,
			Owner: c.Officer, Team: Team, Manager: Manager, Audience: casefile.Officer, Label: label}
	}
	if c.AcknowledgedAt == nil {
		out = append(out, d("acknowledge", "ASB-4", "Acknowledge the report", c.AcknowledgeBy))
	}
	if c.AppointmentOfferedAt == nil && c.RiskAssessment == nil { // the assessment is made at the first meeting (ASB-5)
		out = append(out, d("appointment", "ASB-3", "Offer the reporter an appointment", c.AppointmentBy))
	}
	if c.RiskAssessment != nil {
		out = append(out, d("risk-review", "ASB-5", "Review the risk assessment", c.RiskAssessment.NextReviewOn))
	}
	for _, a := range c.Actions {
		if a.CompletedAt == nil {
			out = append(out, d("action:"+a.ID, "ASB-8", "Action plan: "+a.Tool, a.DueOn))
		}
	}
	return out
}

// IsOverdue reports whether any open deadline was due before today (WD-3: met on or before the date).
func IsOverdue(c Case, today workdays.Date) bool { return SummaryOf(c).Overdue(today) }
