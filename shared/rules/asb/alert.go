package asb

import (
	"fmt"
	"strings"

	"github.com/councilhousing/backend/shared/rules/decision"
)

// CrimeInProgressGround is how a crime in progress is named among a report's risk grounds.
const CrimeInProgressGround = "a crime in progress (the reporter was told to call 999)"

// RiskGrounds are the reporter's answers that make a report urgent, in plain language: the ASB-4 high-risk
// factors (HighRiskFactors) and a crime in progress (ASB-6). Empty when there is none.
func RiskGrounds(risk Risk) []string {
	grounds := HighRiskFactors(risk)
	if risk.CrimeInProgress {
		grounds = append(grounds, CrimeInProgressGround)
	}
	return grounds
}

// DutyAlert is whether a new report must reach the duty officer at once, and why.
type DutyAlert struct {
	Needed  bool
	Grounds []string         // RiskGrounds: what the alert names
	Reasons decision.Reasons // the rule behind each kind of ground
}

// ImmediateAlert decides whether a new report alerts the duty officer now, by email and text, whatever channel
// it came by and at whatever hour: a high-risk report on an ASB-4 ground (a vulnerable victim, threats of
// violence, a child at risk, the reporter feeling unsafe), or a crime in progress (ASB-6).
//
// ASB-4 gives a high-risk report a 1 WD appointment, and ASB-6 sends a crime in progress to the police; neither
// says who hears of it out of hours. A report on a Friday evening would otherwise first reach staff at Monday's
// 07:00 reminder run (issue 13). Source 002 gives the landlord a "daily Duty Officer" and says "any safeguarding
// issues are swiftly identified and referred"; alerting the duty officer at any hour is the product's choice
// that follows from it (the sources are silent on nights and weekends). A report's type alone (e.g. domestic
// abuse, a hate incident) raises its ASB-6 referral, not an alert: the alert is for danger now.
func ImmediateAlert(risk Risk) DutyAlert {
	a := DutyAlert{Grounds: RiskGrounds(risk)}
	a.Needed = len(a.Grounds) > 0
	if factors := HighRiskFactors(risk); len(factors) > 0 {
		a.Reasons.Add("ASB-4", fmt.Sprintf("High risk (%s): the duty officer is alerted at once (ASB-4).", strings.Join(factors, ", ")))
	}
	if risk.CrimeInProgress {
		a.Reasons.Add("ASB-6", "A crime in progress: the reporter is told to call 999 and the duty officer is alerted at once (ASB-6).")
	}
	return a
}
