package register

import (
	"fmt"

	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Deadline names, unique within an application.
const (
	DeadlineEmergencyExpiry       = "emergency-expiry"
	DeadlineEmergencyTwoWeeks     = "emergency-two-weeks-left"
	DeadlineFurtherDirectOffer    = "further-direct-offer"
	DeadlineMedicalReview         = "medical-review"
	DeadlineReducedPriorityReview = "reduced-priority-review"
)

// Team is the allocations officers' group, who own every register deadline but the review of reduced priority
// (ManagerTeam's).
const Team = "allocations-officer"

// OpenDeadlines are an application's open deadlines, from its stored decision and the council's record:
//   - registered (active) in the Emergency band with a time limit, until a direct offer is made: the end of the
//     Emergency period (HR-EM, officer: make a direct offer) and the resident's message when two of the six weeks
//     remain (HR-EM);
//   - a refused direct offer that a statutory review found unsuitable, until a further direct offer: the further
//     direct offer, 7 days after the outcome (HR-EM, source 001);
//   - registered with a medical award: its review, 12 months after the assessment (HR-M);
//   - a review of reduced priority under way: the Housing Solutions Manager's decision (HR-R, ReviewWorkingDays).
//
// The officers' deadlines are the assigned officer's (Owner), else the team's. Closed and removed applications
// have none.
func OpenDeadlines(r Record) []casefile.Deadline {
	d := r.Decision
	if r.Council.Closure != nil {
		return nil
	}
	owner := ""
	if r.Council.Officer != nil {
		owner = r.Council.Officer.ID
	}
	officer := func(name, rule string, due workdays.Date, label string) casefile.Deadline {
		return deadline(r.Reference, name, rule, due, casefile.Officer, label, Team, owner)
	}
	var out []casefile.Deadline
	if d.Status == StatusRegistered {
		if e := d.EmergencyExpiresOn; e != nil && d.EffectiveDate != nil && !directOfferSince(r.Council, *d.EffectiveDate) {
			out = append(out,
				officer(DeadlineEmergencyExpiry, "HR-EM", *e, "Emergency band ends: make a direct offer of a suitable property"),
				deadline(r.Reference, DeadlineEmergencyTwoWeeks, "HR-EM", e.AddDays(-14), casefile.Resident,
					fmt.Sprintf("Two weeks of Emergency status remain (it ends on %s): bid for suitable homes", e), Team, ""))
		}
		if due, n, ok := furtherDirectOfferDue(r.Council); ok {
			out = append(out, officer(DeadlineFurtherDirectOffer, "HR-EM", due,
				fmt.Sprintf("The statutory review found %s unsuitable: make a further direct offer of suitable alternative accommodation", describeOffer(n))))
		}
		if m := d.MedicalReviewDue; m != nil {
			out = append(out, officer(DeadlineMedicalReview, "HR-M", *m, "Medical assessment is 12 months old: review it before any offer"))
		}
	}
	if review, ok := r.Council.pendingReview(); ok {
		out = append(out, deadline(r.Reference, DeadlineReducedPriorityReview, "HR-R", review.DueOn, casefile.Officer,
			fmt.Sprintf("Review of reduced priority asked for on %s: put it to the Social Welfare Panel and record the outcome", review.RequestedOn), ManagerTeam, ""))
	}
	return out
}

func deadline(ref, name, rule string, due workdays.Date, audience casefile.Audience, label, team, owner string) casefile.Deadline {
	return casefile.Deadline{CaseKind: casefile.Application, CaseRef: ref, Name: name, Due: due, Rule: rule,
		Owner: owner, Team: team, Manager: team, Audience: audience, Label: label}
}
