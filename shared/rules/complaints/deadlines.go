package complaints

import (
	"slices"
	"strconv"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// OpenDeadlines are the complaint's deadlines, for the deadlines index: the current stage's acknowledgement until
// the stage is acknowledged, then its response (CH-4 at stage 1, CH-5 at stage 2), and every remedy or action
// not yet done, on its due date (CH-8), whatever the stage (a closed complaint's commitments stay open until
// done). Stage 1 belongs to the complaints officers, stage 2 to the complaints managers (source §6.20); managers
// are told when one is overdue; the owner is the stage's handler (empty, i.e. the team, until acknowledged), or
// the item's owner. While the complaint is open or has something still to do, the reviews of its reasonable
// adjustments and of a restriction on contact are deadlines too (source §5.10, §5.14). The 20 WD to escalate are
// the resident's, not a duty; while a stage awaits its response with intervals agreed for keeping the resident
// informed, the next update is a deadline too (source 004 §5.9); a refused complaint has none, and a service
// request only its own due date until it is done (CH-1, source §1.4), except that, whatever the status, a letter
// owed in an alternative format is a deadline until it is sent that way (source 004 §5.10, formats.go).
func OpenDeadlines(c Complaint) []casefile.Deadline {
	if len(c.Stages) == 0 {
		return nil
	}
	s := c.Stages[len(c.Stages)-1]
	stage := strconv.Itoa(s.Number)
	var out []casefile.Deadline
	switch c.Status {
	case StatusReceived, StatusEscalated:
		out = append(out, deadline(c, s, "stage"+stage+"-acknowledge", "Acknowledge, define and log the stage "+stage+" complaint", s.AcknowledgeBy))
	case StatusAcknowledged:
		out = append(out, deadline(c, s, "stage"+stage+"-response", "Send the stage "+stage+" response", s.RespondBy))
	case StatusRefused:
		return formatDeadlines(c)
	case StatusServiceRequest:
		if r := c.ServiceRequestRecord; r != nil && r.DoneAt == nil {
			out = append(out, casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: c.Reference, Name: "service-request", Due: r.DueOn, Rule: "CH-1",
				Owner: r.Owner, Team: OfficerGroup, Manager: ManagerGroup, Audience: casefile.Officer, Label: "Deal with the service request"})
		}
		return slices.Concat(out, formatDeadlines(c))
	}
	return slices.Concat(out, updateDeadline(c), itemDeadlines(c), reviewDeadlines(c), formatDeadlines(c))
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
