package register

import (
	"fmt"
	"strings"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Validate lists every problem with an application as of today (struct tags first, then the rules tags cannot
// express: known codes, dates not in the future, age agreeing with the date of birth, and cross-field rules).
// The public type has no field for a decision, award, verification, finding or exception, so the JSON decoder
// already refuses them as unknown fields (400, named).
func (a Application) Validate(today workdays.Date) error {
	f := validate.Struct(a)
	checkCodes(&f, "circumstances", a.Circumstances, Circumstances)
	app := a.Applicant
	// contact.Details leaves the postal address optional; the register writes to it and checks the local connection
	if app.Address == "" {
		f.Add("applicant.address", "is required")
	}
	if app.Postcode == "" {
		f.Add("applicant.postcode", "is required")
	}
	validate.Reachable(&f, "applicant", app.Email, app.Phone, app.Address, app.PreferredContact)
	if dob, ok := pastDate(&f, "applicant.dateOfBirth", app.DateOfBirth, today); ok {
		// A stated age a year or two out is common (age at the last form, a birthday since) and harmless; they must
		// only agree on what HR-E1 decides: whether the applicant is 16 or over.
		if years := ageOn(dob, today); a.Age >= 0 && (a.Age >= 16) != (years >= 16) {
			f.Add("age", "%d does not agree with the date of birth, which makes the applicant %d today (HR-E1: 16 or over)", a.Age, years)
		}
	}
	for i, m := range a.Household {
		pastDate(&f, fmt.Sprintf("household[%d].dateOfBirth", i), m.DateOfBirth, today)
	}
	if d := a.HousingDebt; d != nil {
		if d.Amount > 0 && d.WeeklyRent <= 0 {
			f.Add("housingDebt.weeklyRent", "must be more than 0 when there is a debt (it sets the 2 weeks' rent threshold, HR-U)")
		}
		// Money refuses negatives and absurd numbers when the request is read; these are the scheme's maximums
		if d.Amount > MaxHousingDebt*100 {
			f.Add("housingDebt.amount", "must be at most %d", MaxHousingDebt)
		}
		if d.WeeklyRent > MaxWeeklyRent*100 {
			f.Add("housingDebt.weeklyRent", "must be at most %d", MaxWeeklyRent)
		}
		pastDate(&f, "housingDebt.tenancyEndedOn", d.TenancyEndedOn, today)
	}
	if cc := a.CommunityContribution; cc != nil && a.Age >= 0 && cc.ResidenceYears > float64(a.Age) {
		f.Add("communityContribution.residenceYears", "cannot be more than the applicant's age (%d)", a.Age)
	}
	return f.Err()
}

// Validate lists every problem with the pre-screen.
func (e EligibilityCheck) Validate() error {
	f := validate.Struct(e)
	checkCodes(&f, "circumstances", e.Circumstances, Circumstances)
	checkCodes(&f, "unacceptableBehaviour", e.UnacceptableBehaviour, UnacceptableBehaviourCodes)
	return f.Err()
}

// checkCodes names each unknown or repeated code once, and the allowed codes once for the field (not per item,
// so a list of many bad codes cannot make a huge answer).
func checkCodes(f *apperr.Fields, field string, codes []string, table []Code) {
	seen, unknown := map[string]bool{}, false
	for i, c := range codes {
		if _, known := lookup(table, c); !known {
			f.Add(fmt.Sprintf("%s[%d]", field, i), "%q is not a known code", apperr.Quote(c))
			unknown = true
		} else if seen[c] {
			f.Add(fmt.Sprintf("%s[%d]", field, i), "%q is repeated", c)
		}
		seen[c] = true
	}
	if unknown {
		f.Add(field, "use codes from: %s", strings.Join(codeNames(table), ", "))
	}
}

// pastDate adds a problem when a well-formed date is after today (malformed ones are reported by the "date" tag)
// and returns the date when it can be used.
func pastDate(f *apperr.Fields, field, s string, today workdays.Date) (workdays.Date, bool) {
	d, err := workdays.ParseDate(s)
	if err != nil {
		return workdays.Date{}, false
	}
	if d.After(today) {
		f.Add(field, "cannot be in the future")
		return workdays.Date{}, false
	}
	return d, true
}

// ageOn is the age in whole years on a day (a 29 February birthday counts from 1 March in other years).
func ageOn(birth, day workdays.Date) int {
	years := day.Year - birth.Year
	if day.Before(birth.AddMonths(12 * years)) {
		years--
	}
	return years
}
