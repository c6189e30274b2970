package register

import (
	"fmt"
	"strings"

	"github.com/councilhousing/backend/shared/rules/decision"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

const planNotKept = "the agreed repayment plan is not being kept"

// offerable applies HR-U to a registered application's decided facts: no offer while unacceptable behaviour
// applies. HR-U1 lifts the debt rules only (not, say, fraud) for victims of domestic violence or hate crime and
// for urgent medical need; source 001 says the council "may" then make an offer, so it is recorded as
// discretion, not a right. Debt the applicant declared but the council has not confirmed stops offers until it
// is confirmed: the amount and the plan decide HR-U, and only the council's record of them is a decided fact.
func offerable(f facts, today workdays.Date, r *decision.Reasons) bool {
	ok := true
	var debt []string
	for _, code := range f.behaviour {
		c, known := lookup(UnacceptableBehaviourCodes, code)
		switch {
		case !known || c.Code == codeViolenceToStaff:
			continue // violence to staff removes the application (HR-E3, Record.Remove)
		case c.Debt:
			debt = appendOnce(debt, planNotKept)
		default:
			ok = false
			explain(r, "HR-U", "No offer can be made while this applies: "+c.Text+".")
		}
	}
	if debtOwed(f.debt) && !f.debtConfirmed {
		ok = false
		explain(r, "HR-U", fmt.Sprintf("No offer can be made until the council has confirmed the housing debt of %s you told us about, and any repayment plan.", f.debt.Amount))
	} else {
		for _, bar := range debtBars(f.debt, today, r) {
			debt = appendOnce(debt, bar)
		}
	}
	if len(debt) == 0 {
		return ok
	}
	if exceptions := debtExceptions(f.exceptions); len(exceptions) > 0 {
		explain(r, "HR-U1", fmt.Sprintf("Although %s, an offer may still be made, at the council's discretion, because you are %s.", strings.Join(debt, " and "), strings.Join(exceptions, " and ")))
		return ok
	}
	explain(r, "HR-U", fmt.Sprintf("No offer can be made while %s; offers can resume once a repayment plan is kept and the debt is down to 2 weeks' rent.", strings.Join(debt, " and ")))
	return false
}

// debtBars are the debt rules of HR-U that apply. Source 001: a significant debt is 2 weeks' rent or more; with
// an approved plan being kept, offers may resume "once the debt reduces to the equivalent of 2 weeks rent", so
// exactly 2 weeks' rent no longer bars an applicant who keeps a plan. Old council tenancy debt (HR-R1) never
// bars by its amount, but a broken plan for it still does.
func debtBars(debt *HousingDebt, today workdays.Date, r *decision.Reasons) []string {
	if !debtOwed(debt) {
		return nil
	}
	var bars []string
	plan := debt.RepaymentPlan
	if plan.Agreed && !plan.Kept {
		bars = append(bars, planNotKept)
	}
	amount, twoWeeks := debt.Amount, 2*debt.WeeklyRent
	switch {
	case oldTenancyDebt(debt, today):
	case amount < twoWeeks:
		explain(r, "HR-U", fmt.Sprintf("Your debt of %s is under 2 weeks' rent (%s), so it does not stop offers.", debt.Amount, 2*debt.WeeklyRent))
	case amount == twoWeeks && plan.Agreed && plan.Kept:
		explain(r, "HR-U", fmt.Sprintf("Your repayment plan is being kept and your debt is down to 2 weeks' rent (%s): offers may resume.", 2*debt.WeeklyRent))
	default:
		bars = append(bars, fmt.Sprintf("your housing debt of %s is 2 weeks' rent (%s) or more", debt.Amount, 2*debt.WeeklyRent))
	}
	return bars
}

func debtExceptions(codes []string) []string {
	var out []string
	for _, code := range codes {
		if c, ok := lookup(DebtExceptionCodes, code); ok {
			out = append(out, c.Text)
		}
	}
	return out
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
