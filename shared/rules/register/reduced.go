package register

import (
	"fmt"

	"github.com/councilhousing/backend/shared/rules/workdays"
)

// RefusalsForReducedPriority is how many refusals of reasonable offers within 12 months reduce priority (HR-R).
const RefusalsForReducedPriority = 3

// reducedPriority applies HR-R and HR-R1, with a reason for each cause. It is reached only with a housing need:
// source 001 gives reduced priority to customers who "qualify to join the Housing Register".
func reducedPriority(a Application, today workdays.Date, d *Decision) bool {
	applies := debtReducesPriority(a.HousingDebt, today, d)
	for _, code := range a.ReducedPriority {
		if c, ok := lookup(ReducedPriorityCodes, code); ok {
			applies = true
			explain(&d.Reasons, "HR-R", "Reduced priority: "+c.Text+".")
		}
	}
	if n := refusalsInLastYear(a.RefusedOffers, today); n >= RefusalsForReducedPriority {
		applies = true
		explain(&d.Reasons, "HR-R", fmt.Sprintf("You refused %d reasonable offers in the 12 months to %s: reduced priority.", n, today))
	}
	return applies
}

// debtReducesPriority: any housing-related debt reduces priority until it is cleared; source 001 says so for
// debt generally ("until those debts are cleared", so a kept repayment plan does not lift it) and for debt on a
// council tenancy that ended over 6 years ago ("normally ... less priority ... until ... fully repaid"). What
// HR-R1 changes for that old debt is that it does not stop offers (see debtBars) and is still payable.
func debtReducesPriority(debt *HousingDebt, today workdays.Date, d *Decision) bool {
	if debt == nil || debt.Amount <= 0 {
		return false
	}
	if oldTenancyDebt(debt, today) {
		explain(&d.Reasons, "HR-R1", fmt.Sprintf("Your housing debt of %s is from a council tenancy that ended over 6 years ago (%s): you can join the register and it does not stop offers, but it is still payable, and you have reduced priority until it is repaid; please arrange a repayment plan with us.", debt.Amount, debt.TenancyEndedOn))
		if !debt.RepaymentPlan.Agreed {
			explain(&d.Warnings, "HR-R1", "Old council tenancy debt is still payable: agree a repayment plan with the applicant.")
		}
		return true
	}
	text := fmt.Sprintf("You have housing-related debt of %s: reduced priority until it is cleared.", debt.Amount)
	if debt.RepaymentPlan.Agreed && debt.RepaymentPlan.Kept {
		text = fmt.Sprintf("You have housing-related debt of %s: reduced priority until it is cleared, even while your repayment plan is kept.", debt.Amount)
	}
	explain(&d.Reasons, "HR-R", text)
	return true
}

// oldTenancyDebt: debt on a previous council tenancy that ended over 6 years before today (HR-R1).
func oldTenancyDebt(debt *HousingDebt, today workdays.Date) bool {
	ended, err := workdays.ParseDate(debt.TenancyEndedOn)
	return err == nil && ended.Before(today.AddMonths(-72))
}

// refusalsInLastYear counts refusals in the 12 months ending today: after the same day a year ago, up to today.
func refusalsInLastYear(dates []string, today workdays.Date) int {
	since := today.AddMonths(-12)
	n := 0
	for _, s := range dates {
		if d, err := workdays.ParseDate(s); err == nil && d.After(since) && !d.After(today) {
			n++
		}
	}
	return n
}
