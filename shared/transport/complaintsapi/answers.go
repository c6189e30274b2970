package complaintsapi

import (
	"time"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Receipt is the answer to a new complaint (201).
type Receipt struct {
	Reference     string        `json:"reference"`
	Stage         int           `json:"stage"`
	Status        string        `json:"status"`
	AcknowledgeBy workdays.Date `json:"acknowledgeBy"`
	AccessToken   string        `json:"accessToken"`
	Flags         []string      `json:"flags"`
	Rules         []string      `json:"rules"`
}

func receiptOf(r complaintcases.Receipt) Receipt {
	c := r.Complaint
	return Receipt{Reference: c.Reference, Stage: c.Stage, Status: c.Status, AcknowledgeBy: c.Stages[0].AcknowledgeBy,
		AccessToken: r.AccessToken, Flags: orEmpty(c.Flags), Rules: []string{"CH-4"}}
}

// StageView is one stage as the complainant sees it.
type StageView struct {
	Stage          int                   `json:"stage"`
	AcknowledgeBy  workdays.Date         `json:"acknowledgeBy"`
	AcknowledgedAt *time.Time            `json:"acknowledgedAt,omitempty"`
	RespondBy      workdays.Date         `json:"respondBy,omitzero"`
	RespondedAt    *time.Time            `json:"respondedAt,omitempty"`
	Decision       string                `json:"decision,omitempty"`
	Extension      *complaints.Extension `json:"extension,omitempty"`
}

// ResidentView is the complainant's view of their complaint: stages, open deadlines and letters.
type ResidentView struct {
	Reference      string                   `json:"reference"`
	Status         string                   `json:"status"`
	Stage          int                      `json:"stage"`
	ReceivedAt     time.Time                `json:"receivedAt"`
	Stages         []StageView              `json:"stages"`
	Deadlines      map[string]workdays.Date `json:"deadlines"`
	Letters        []complaints.Letter      `json:"letters"`
	LateEscalation bool                     `json:"lateEscalation"`
	AcknowledgeBy  workdays.Date            `json:"acknowledgeBy"`
	RespondBy      workdays.Date            `json:"respondBy,omitzero"`
	Items          []ItemView               `json:"items"` // remedies and actions, tracked to completion (CH-8)
}

// ItemView is a remedy or action as the complainant sees it: what, by when, and whether it is done (CH-8).
type ItemView struct {
	ID          string        `json:"id"`
	Kind        string        `json:"kind"`
	Description string        `json:"description"`
	DueOn       workdays.Date `json:"dueOn"`
	Status      string        `json:"status"`
	CompletedAt *time.Time    `json:"completedAt,omitempty"`
}

func residentViewOf(c complaints.Complaint) ResidentView {
	v := ResidentView{Reference: c.Reference, Status: c.Status, Stage: c.Stage, ReceivedAt: c.ReceivedAt, Letters: orEmpty(c.Letters),
		LateEscalation: c.LateEscalation, AcknowledgeBy: c.Current().AcknowledgeBy, RespondBy: c.Current().RespondBy,
		Deadlines: map[string]workdays.Date{}, Items: []ItemView{}}
	for _, it := range c.Items {
		v.Items = append(v.Items, ItemView{ID: it.ID, Kind: it.Kind, Description: it.Description, DueOn: it.DueOn, Status: it.Status, CompletedAt: it.CompletedAt})
	}
	for _, st := range c.Stages {
		v.Stages = append(v.Stages, StageView{Stage: st.Number, AcknowledgeBy: st.AcknowledgeBy, AcknowledgedAt: st.AcknowledgedAt,
			RespondBy: st.RespondBy, RespondedAt: st.RespondedAt, Decision: st.Decision, Extension: st.Extension})
	}
	for _, d := range complaints.OpenDeadlines(c) {
		v.Deadlines[d.Name] = d.Due
	}
	return v
}

// Escalation is the answer to a request for stage 2 (CH-5).
type Escalation struct {
	Reference      string        `json:"reference"`
	Stage          int           `json:"stage"`
	Status         string        `json:"status"`
	AcknowledgeBy  workdays.Date `json:"acknowledgeBy"`
	LateEscalation bool          `json:"lateEscalation"`
	Note           string        `json:"note,omitempty"`
	Rules          []string      `json:"rules"`
}

// Summary is a complaint in the staff list.
type Summary struct {
	Reference     string        `json:"reference"`
	Status        string        `json:"status"`
	Stage         int           `json:"stage"`
	ServiceArea   string        `json:"serviceArea"`
	ReceivedAt    time.Time     `json:"receivedAt"`
	Handler       string        `json:"handler"`
	AcknowledgeBy workdays.Date `json:"acknowledgeBy"`
	RespondBy     workdays.Date `json:"respondBy,omitzero"`
	Flags         []string      `json:"flags"`
	Channel       string        `json:"channel,omitempty"` // how it arrived (none: online, before issue 14)
	OpenItems     int           `json:"openItems"`         // remedies and actions not yet done (CH-8)
}

func summaryOf(c complaints.Complaint) Summary {
	return Summary{Reference: c.Reference, Status: c.Status, Stage: c.Stage, ServiceArea: c.ServiceArea, ReceivedAt: c.ReceivedAt,
		Handler: c.Current().Handler, AcknowledgeBy: c.Current().AcknowledgeBy, RespondBy: c.Current().RespondBy, Flags: orEmpty(c.Flags),
		Channel: c.Channel, OpenItems: len(c.OpenItems())}
}

// Record is the CH-9 record for staff: the complaint, its contact details and adjustments, every letter, every
// timeline entry (who, when, what) and the open deadlines; after a change, the letter it produced.
type Record struct {
	Reference         string               `json:"reference"`
	Status            string               `json:"status"`
	Stage             int                  `json:"stage"`
	Version           int                  `json:"version"`
	RespondBy         workdays.Date        `json:"respondBy,omitzero"`
	Complaint         complaints.Complaint `json:"complaint"`
	Contact           *complaints.Contact  `json:"contact"`
	Timeline          []casefile.Event     `json:"timeline"`                    // newest first: a read's newest page, or the entries a change recorded
	TimelineNextToken string               `json:"timelineNextToken,omitempty"` // GET .../timeline?nextToken= gives the next page
	OpenDeadlines     []casefile.Deadline  `json:"openDeadlines"`
	Letter            *complaints.Letter   `json:"letter,omitempty"`
}

func recordOf(r complaintcases.Record) Record {
	c := r.Case
	return Record{Reference: c.Reference, Status: c.Status, Stage: c.Stage, Version: r.Version, RespondBy: c.Current().RespondBy,
		Complaint: c, Contact: r.Contact, Timeline: orEmpty(r.Timeline), TimelineNextToken: r.TimelineNext, OpenDeadlines: orEmpty(complaints.OpenDeadlines(c)), Letter: r.Letter}
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
