package register

import (
	"fmt"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Deadline names, unique within an application.
const (
	DeadlineEmergencyExpiry   = "emergency-expiry"
	DeadlineEmergencyTwoWeeks = "emergency-two-weeks-left"
	DeadlineMedicalReview     = "medical-review"
)

// Team is the allocations officers' group, who own every register deadline.
const Team = "allocations-officer"

// OpenDeadlines are a registered application's deadlines: the end of the Emergency period (HR-EM, officer: make
// a direct offer), the resident's message when two of the six weeks remain (HR-EM), and the medical review
// (HR-M, 12 months after the assessment). Applications that are not registered have none.
func OpenDeadlines(ref string, d Decision) []casefile.Deadline {
	if d.Status != StatusRegistered {
		return nil
	}
	var out []casefile.Deadline
	if e := d.EmergencyExpiresOn; e != nil {
		out = append(out,
			deadline(ref, DeadlineEmergencyExpiry, "HR-EM", *e, casefile.Officer, "Emergency band ends: make a direct offer of a suitable property"),
			deadline(ref, DeadlineEmergencyTwoWeeks, "HR-EM", e.AddDays(-14), casefile.Resident, fmt.Sprintf("Two weeks of Emergency status remain (it ends on %s): bid for suitable homes", e)))
	}
	if m := d.MedicalReviewDue; m != nil {
		out = append(out, deadline(ref, DeadlineMedicalReview, "HR-M", *m, casefile.Officer, "Medical assessment is 12 months old: review it before any offer"))
	}
	return out
}

func deadline(ref, name, rule string, due workdays.Date, audience casefile.Audience, label string) casefile.Deadline {
	return casefile.Deadline{CaseKind: casefile.Application, CaseRef: ref, Name: name, Due: due, Rule: rule,
		Team: Team, Manager: Team, Audience: audience, Label: label}
}
