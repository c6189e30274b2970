package register

import (
	"fmt"

	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// RefusalsForReducedPriority is how many refusals of reasonable offers within 12 months reduce priority (HR-R).
const RefusalsForReducedPriority = 3

// Causes of reduced priority other than the findings' codes (ReviewRecord.Causes).
const (
	CauseHousingDebt   = "housing-debt"
	CauseRefusedOffers = "refused-offers"
)

// reducedPriority applies HR-R and HR-R1, with a reason for each cause. It is reached only with a housing need:
// source 001 gives reduced priority to customers who "qualify to join the Housing Register". Declared debt counts
// as soon as it is declared (it can only lower priority); the other causes are the council's findings and
// refusals. A cause that an overturned review lifted (source 001: the Housing Solutions Manager and the Social
// Welfare Panel) no longer counts: refusals and findings recorded after the review count again.
func reducedPriority(f facts, today workdays.Date, r, warnings *decision.Reasons) bool {
	applies := false
	if on, lifted := f.lifted[CauseHousingDebt]; lifted && debtOwed(f.debt) {
		explain(r, "HR-R", fmt.Sprintf("The review of your reduced priority decided on %s lifted it for your housing debt, which is still payable.", on))
	} else if debtReducesPriority(f.debt, today, r, warnings) {
		applies = true
	}
	for _, code := range f.reduced {
		c, _ := lookup(ReducedPriorityCodes, code)
		if on, lifted := f.lifted[code]; lifted && !f.reducedOn[code].After(on) {
			explain(r, "HR-R", fmt.Sprintf("The review of your reduced priority decided on %s lifted it for %s.", on, c.Text))
			continue
		}
		applies = true
		explain(r, "HR-R", "Reduced priority: "+c.Text+".")
	}
	refusals := f.refusals
	if on, lifted := f.lifted[CauseRefusedOffers]; lifted {
		refusals = refusalsAfter(refusals, on)
	}
	if n := refusalsInLastYear(refusals, today); n >= RefusalsForReducedPriority {
		applies = true
		explain(r, "HR-R", fmt.Sprintf("You refused %d reasonable offers in the 12 months to %s: reduced priority.", n, today))
	}
	return applies
}

// reducedCauses are the causes of reduced priority that apply as decided, for a review request.
func reducedCauses(f facts, today workdays.Date) []string {
	var causes []string
	var ignored decision.Reasons
	if _, lifted := f.lifted[CauseHousingDebt]; !lifted && debtReducesPriority(f.debt, today, &ignored, &ignored) {
		causes = append(causes, CauseHousingDebt)
	}
	for _, code := range f.reduced {
		if on, lifted := f.lifted[code]; !lifted || f.reducedOn[code].After(on) {
			causes = append(causes, code)
		}
	}
	refusals := f.refusals
	if on, lifted := f.lifted[CauseRefusedOffers]; lifted {
		refusals = refusalsAfter(refusals, on)
	}
	if refusalsInLastYear(refusals, today) >= RefusalsForReducedPriority {
		causes = append(causes, CauseRefusedOffers)
	}
	return causes
}

func debtOwed(debt *HousingDebt) bool { return debt != nil && debt.Amount > 0 }

// debtReducesPriority: any housing-related debt reduces priority until it is cleared; source 001 says so for
// debt generally ("until those debts are cleared", so a kept repayment plan does not lift it) and for debt on a
// council tenancy that ended over 6 years ago ("normally ... less priority ... until ... fully repaid"). What
// HR-R1 changes for that old debt is that it does not stop offers (see debtBars) and is still payable.
func debtReducesPriority(debt *HousingDebt, today workdays.Date, r, warnings *decision.Reasons) bool {
	if !debtOwed(debt) {
		return false
	}
	if oldTenancyDebt(debt, today) {
		explain(r, "HR-R1", fmt.Sprintf("Your housing debt of %s is from a council tenancy that ended over 6 years ago (%s): you can join the register and it does not stop offers, but it is still payable, and you have reduced priority until it is repaid; please arrange a repayment plan with us.", debt.Amount, debt.TenancyEndedOn))
		if !debt.RepaymentPlan.Agreed {
			explain(warnings, "HR-R1", "Old council tenancy debt is still payable: agree a repayment plan with the applicant.")
		}
		return true
	}
	text := fmt.Sprintf("You have housing-related debt of %s: reduced priority until it is cleared.", debt.Amount)
	if debt.RepaymentPlan.Agreed && debt.RepaymentPlan.Kept {
		text = fmt.Sprintf("You have housing-related debt of %s: reduced priority until it is cleared, even while your repayment plan is kept.", debt.Amount)
	}
	explain(r, "HR-R", text)
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

// refusalsAfter keeps the refusals after a day.
func refusalsAfter(dates []string, day workdays.Date) []string {
	var out []string
	for _, s := range dates {
		if d, err := workdays.ParseDate(s); err == nil && d.After(day) {
			out = append(out, s)
		}
	}
	return out
}
