package complaints

import (
	"strconv"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// OpenDeadlines are the deadlines of the current stage, for the deadlines index: the acknowledgement until the
// stage is acknowledged, then the response (CH-4 at stage 1, CH-5 at stage 2). Stage 1 belongs to the
// complaints officers, stage 2 to the complaints managers (source §6.20); managers are told when one is
// overdue; the owner is the stage's handler (empty, i.e. the team, until acknowledged). Answered, closed,
// refused and reclassified complaints have none: the 20 WD to escalate is the resident's, not a duty.
func OpenDeadlines(c Complaint) []casefile.Deadline {
	if len(c.Stages) == 0 {
		return nil
	}
	s := c.Stages[len(c.Stages)-1]
	stage := strconv.Itoa(s.Number)
	switch c.Status {
	case StatusReceived, StatusEscalated:
		return []casefile.Deadline{deadline(c, s, "stage"+stage+"-acknowledge", "Acknowledge, define and log the stage "+stage+" complaint", s.AcknowledgeBy)}
	case StatusAcknowledged:
		return []casefile.Deadline{deadline(c, s, "stage"+stage+"-response", "Send the stage "+stage+" response", s.RespondBy)}
	}
	return nil
}

func deadline(c Complaint, s Stage, name, label string, due workdays.Date) casefile.Deadline {
	team := OfficerGroup
	if s.Number == 2 {
		team = ManagerGroup
	}
	rule := stageRule(s.Number)
	return casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: c.Reference, Name: name, Due: due, Rule: rule,
		Owner: s.AcknowledgedBy.ID, Team: team, Manager: ManagerGroup, Audience: casefile.Officer, Label: label + " (" + rule + ")"}
}
