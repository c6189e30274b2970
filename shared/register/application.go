package register

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/councilhousing/backend/shared/apperr"
	"github.com/councilhousing/backend/shared/validate"
	"github.com/councilhousing/backend/shared/workdays"
)

// Applicant is the person applying; kept apart from the assessment and never logged.
type Applicant struct {
	Name        string `json:"name" dynamodbav:"name" validate:"required,max=200"`
	DateOfBirth string `json:"dateOfBirth" dynamodbav:"dateOfBirth" validate:"required,date"`
	Email       string `json:"email,omitempty" dynamodbav:"email,omitempty" validate:"omitempty,email,max=254"`
	Phone       string `json:"phone,omitempty" dynamodbav:"phone,omitempty" validate:"omitempty,ukphone"`
	Address     string `json:"address" dynamodbav:"address" validate:"required,max=300"`
	Postcode    string `json:"postcode" dynamodbav:"postcode" validate:"required,postcode"`
	Language    string `json:"language,omitempty" dynamodbav:"language,omitempty" validate:"omitempty,max=35"`
	Adjustments string `json:"adjustments,omitempty" dynamodbav:"adjustments,omitempty" validate:"omitempty,max=1000"`
	// PreferredContact chooses how the notifier writes (email when absent and an email is given).
	PreferredContact string `json:"preferredContact,omitempty" dynamodbav:"preferredContact,omitempty" validate:"omitempty,oneof=email sms phone letter"`
}

// Member is someone in the household.
type Member struct {
	Name         string `json:"name" dynamodbav:"name" validate:"required,max=200"`
	DateOfBirth  string `json:"dateOfBirth" dynamodbav:"dateOfBirth" validate:"required,date"`
	Relationship string `json:"relationship,omitempty" dynamodbav:"relationship,omitempty" validate:"omitempty,max=50"`
}

// MedicalAward is the independent adviser's recommendation (HR-M).
type MedicalAward struct {
	Severity   string `json:"severity" dynamodbav:"severity" validate:"required,oneof=none moderate severe"`
	AssessedOn string `json:"assessedOn,omitempty" dynamodbav:"assessedOn,omitempty" validate:"omitempty,date"`
}

// UnmarshalJSON accepts {"severity": "severe", "assessedOn": "2026-10-01"} and, as forms often send it, the
// bare severity "severe" (or {"level": ...}).
func (m *MedicalAward) UnmarshalJSON(b []byte) error {
	var severity string
	if json.Unmarshal(b, &severity) == nil {
		*m = MedicalAward{Severity: severity}
		return nil
	}
	var raw struct {
		Severity   string `json:"severity"`
		Level      string `json:"level"`
		AssessedOn string `json:"assessedOn"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return &json.UnmarshalTypeError{Value: "medicalAward", Type: reflect.TypeOf(MedicalAward{}), Field: "medicalAward"}
	}
	*m = MedicalAward{Severity: raw.Severity, AssessedOn: raw.AssessedOn}
	if m.Severity == "" {
		m.Severity = raw.Level
	}
	return nil
}

// RepaymentPlan for housing debt.
type RepaymentPlan struct {
	Agreed bool `json:"agreed" dynamodbav:"agreed"`
	Kept   bool `json:"kept" dynamodbav:"kept"`
}

// HousingDebt is money owed to a current or former landlord (HR-R, HR-U).
type HousingDebt struct {
	Amount         float64       `json:"amount" dynamodbav:"amount" validate:"gte=0"`
	WeeklyRent     float64       `json:"weeklyRent" dynamodbav:"weeklyRent" validate:"gte=0"`
	TenancyEndedOn string        `json:"tenancyEndedOn,omitempty" dynamodbav:"tenancyEndedOn,omitempty" validate:"omitempty,date"`
	RepaymentPlan  RepaymentPlan `json:"repaymentPlan" dynamodbav:"repaymentPlan"`
}

// CommunityContribution is the HR-CC claim.
type CommunityContribution struct {
	ResidenceYears               float64 `json:"residenceYears" dynamodbav:"residenceYears" validate:"gte=0,lte=120"`
	PositiveHistory              bool    `json:"positiveHistory" dynamodbav:"positiveHistory"`
	VolunteeringMonths           float64 `json:"volunteeringMonths" dynamodbav:"volunteeringMonths" validate:"gte=0,lte=1200"`
	HoursPerMonth                float64 `json:"hoursPerMonth" dynamodbav:"hoursPerMonth" validate:"gte=0,lte=744"`
	NotForProfit                 bool    `json:"notForProfit" dynamodbav:"notForProfit"`
	EvidenceFromUnrelatedManager bool    `json:"evidenceFromUnrelatedManager" dynamodbav:"evidenceFromUnrelatedManager"`
}

// Working is the HR-W claim.
type Working struct {
	HoursPerWeek       float64 `json:"hoursPerWeek" dynamodbav:"hoursPerWeek" validate:"gte=0,lte=168"`
	MonthsInLastTwelve int     `json:"monthsInLastTwelve" dynamodbav:"monthsInLastTwelve" validate:"gte=0,lte=12"`
	Contract           string  `json:"contract" dynamodbav:"contract" validate:"required,oneof=permanent temporary self-employed"`
}

// Verification is what allocations officers have checked: nil means not checked yet (the claim counts,
// subject to verification), true confirmed, false not confirmed (the star is withdrawn).
type Verification struct {
	SeekingWork           *bool `json:"seekingWork,omitempty" dynamodbav:"seekingWork,omitempty"`
	CommunityContribution *bool `json:"communityContribution,omitempty" dynamodbav:"communityContribution,omitempty"`
	Working               *bool `json:"working,omitempty" dynamodbav:"working,omitempty"`
}

// Application is everything the assessment reads. The JSON names are the public contract.
type Application struct {
	Applicant                 Applicant              `json:"applicant" dynamodbav:"-"`
	Household                 []Member               `json:"household" dynamodbav:"-" validate:"max=20,dive"`
	Age                       int                    `json:"age" dynamodbav:"age" validate:"gte=0,lte=130"`
	EligibleImmigrationStatus bool                   `json:"eligibleImmigrationStatus" dynamodbav:"eligibleImmigrationStatus"`
	Circumstances             []string               `json:"circumstances" dynamodbav:"circumstances"`
	MedicalAward              *MedicalAward          `json:"medicalAward,omitempty" dynamodbav:"medicalAward,omitempty"`
	HousingDebt               *HousingDebt           `json:"housingDebt,omitempty" dynamodbav:"housingDebt,omitempty"`
	RefusedOffers             []string               `json:"refusedOffers" dynamodbav:"refusedOffers" validate:"dive,date"`
	ReducedPriority           []string               `json:"reducedPriority" dynamodbav:"reducedPriority"`
	UnacceptableBehaviour     []string               `json:"unacceptableBehaviour" dynamodbav:"unacceptableBehaviour"`
	DebtException             []string               `json:"debtException" dynamodbav:"debtException"`
	SeekingWork               bool                   `json:"seekingWork" dynamodbav:"seekingWork"`
	CommunityContribution     *CommunityContribution `json:"communityContribution,omitempty" dynamodbav:"communityContribution,omitempty"`
	Working                   *Working               `json:"working,omitempty" dynamodbav:"working,omitempty"`
	Verified                  Verification           `json:"verified" dynamodbav:"verified"`
}

func checkCodes(f *apperr.Fields, field string, codes []string, known func(string) bool, allowed []string) {
	seen := map[string]bool{}
	for i, c := range codes {
		switch {
		case !known(c):
			f.Add(fmt.Sprintf("%s[%d]", field, i), "%q is not a known code; use one of: %s", c, strings.Join(allowed, ", "))
		case seen[c]:
			f.Add(fmt.Sprintf("%s[%d]", field, i), "%q is repeated", c)
		}
		seen[c] = true
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func circumstanceCodes() []string {
	out := make([]string, len(Circumstances))
	for i, c := range Circumstances {
		out[i] = c.Code
	}
	return out
}

// Validate lists every problem with an application as of today.
func (a Application) Validate(today workdays.Date) error {
	f := validate.Struct(a)
	f = append(f, a.codeProblems()...)
	if d, err := workdays.ParseDate(a.Applicant.DateOfBirth); err == nil && d.After(today) {
		f.Add("applicant.dateOfBirth", "cannot be in the future")
	}
	for i, m := range a.Household {
		if d, err := workdays.ParseDate(m.DateOfBirth); err == nil && d.After(today) {
			f.Add(fmt.Sprintf("household[%d].dateOfBirth", i), "cannot be in the future")
		}
	}
	if a.Applicant.Email == "" && a.Applicant.Phone == "" {
		f.Add("applicant", "needs an email address or a phone number")
	}
	if m := a.MedicalAward; m != nil && m.AssessedOn != "" {
		if d, err := workdays.ParseDate(m.AssessedOn); err == nil && d.After(today) {
			f.Add("medicalAward.assessedOn", "cannot be in the future")
		}
	}
	if d := a.HousingDebt; d != nil {
		if d.Amount > 0 && d.WeeklyRent <= 0 {
			f.Add("housingDebt.weeklyRent", "must be more than 0 when there is a debt (it sets the 2 weeks' rent threshold, HR-U)")
		}
		if t, err := workdays.ParseDate(d.TenancyEndedOn); d.TenancyEndedOn != "" && err == nil && t.After(today) {
			f.Add("housingDebt.tenancyEndedOn", "cannot be in the future")
		}
	}
	for i, s := range a.RefusedOffers {
		if d, err := workdays.ParseDate(s); err == nil && d.After(today) {
			f.Add(fmt.Sprintf("refusedOffers[%d]", i), "cannot be in the future")
		}
	}
	return f.Err()
}

// codeProblems checks the code lists (shared with the eligibility check).
func (a Application) codeProblems() apperr.Fields {
	var f apperr.Fields
	checkCodes(&f, "circumstances", a.Circumstances, func(c string) bool { _, ok := circumstance(c); return ok }, circumstanceCodes())
	checkCodes(&f, "reducedPriority", a.ReducedPriority, func(c string) bool { _, ok := ReducedPriorityCodes[c]; return ok }, keys(ReducedPriorityCodes))
	checkCodes(&f, "unacceptableBehaviour", a.UnacceptableBehaviour, func(c string) bool { _, ok := UnacceptableCodes[c]; return ok }, keys(UnacceptableCodes))
	checkCodes(&f, "debtException", a.DebtException, func(c string) bool { _, ok := DebtExceptionCodes[c]; return ok }, keys(DebtExceptionCodes))
	return f
}

// EligibilityCheck is the short pre-screen before the full form.
type EligibilityCheck struct {
	Age                       *int     `json:"age" validate:"required,gte=0,lte=130"`
	EligibleImmigrationStatus *bool    `json:"eligibleImmigrationStatus" validate:"required"`
	Circumstances             []string `json:"circumstances"`
	UnacceptableBehaviour     []string `json:"unacceptableBehaviour"`
}

// Validate lists every problem with the pre-screen.
func (e EligibilityCheck) Validate() error {
	f := validate.Struct(e)
	a := Application{Circumstances: e.Circumstances, UnacceptableBehaviour: e.UnacceptableBehaviour}
	f = append(f, a.codeProblems()...)
	return f.Err()
}
