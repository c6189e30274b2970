package register

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"github.com/councilhousing/backend/shared/rules/contact"
)

// Applicant is the person applying: the contact details every case kind shares (contact.Details, with the same
// JSON names) and a date of birth; kept apart from the assessment and never logged (Details withholds itself from
// fmt and slog). The register also needs the postal address and postcode, which contact.Details leaves optional:
// Application.Validate requires them.
type Applicant struct {
	contact.Details
	DateOfBirth string `json:"dateOfBirth" dynamodbav:"dateOfBirth" validate:"required,date"`
}

// Member is someone in the household.
type Member struct {
	Name         string `json:"name" dynamodbav:"name" validate:"required,max=200"`
	DateOfBirth  string `json:"dateOfBirth" dynamodbav:"dateOfBirth" validate:"required,date"`
	Relationship string `json:"relationship,omitempty" dynamodbav:"relationship,omitempty" validate:"omitempty,max=50"`
}

// MedicalAward is the independent adviser's recommendation (HR-M); AssessedOn is required for moderate and severe
// awards because the award must be reviewed before an offer once it is over 12 months old.
type MedicalAward struct {
	Severity   string `json:"severity" dynamodbav:"severity" validate:"required,oneof=none moderate severe"`
	AssessedOn string `json:"assessedOn,omitempty" dynamodbav:"assessedOn,omitempty" validate:"omitempty,date"`
}

// UnmarshalJSON accepts {"severity": "severe", "assessedOn": "2026-10-01"} and, as forms often send it, the
// bare severity "severe" (or {"level": ...}). Like every request body, the object may hold no other field (a
// custom decoder does not inherit the request decoder's DisallowUnknownFields), and a value of the wrong type is
// named by its own field (the decoder adds the path to it, e.g. "medicalAward.severity").
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
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) || strings.HasPrefix(err.Error(), "json: unknown field ") {
			return err
		}
		return &json.UnmarshalTypeError{Value: "medicalAward", Type: reflect.TypeOf(MedicalAward{})}
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

// HousingDebt is money owed to a current or former landlord by the applicant, a joint applicant or a household
// member (HR-R, HR-U). TenancyEndedOn is the end of the previous council tenancy the debt relates to, when it
// relates to one (HR-R1); leave it out for current or non-council debt.
type HousingDebt struct {
	Amount         Money         `json:"amount" dynamodbav:"amountPence"`
	WeeklyRent     Money         `json:"weeklyRent" dynamodbav:"weeklyRentPence"`
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

// Verification is what allocations officers have checked (HR-S: Jobcentre Plus for seeking work, the
// manager's letter for HR-CC, payslips or accounts for HR-W): nil means not checked yet (the claim counts,
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
	Circumstances             []string               `json:"circumstances" dynamodbav:"circumstances" validate:"max=30"`
	MedicalAward              *MedicalAward          `json:"medicalAward,omitempty" dynamodbav:"medicalAward,omitempty"`
	HousingDebt               *HousingDebt           `json:"housingDebt,omitempty" dynamodbav:"housingDebt,omitempty"`
	RefusedOffers             []string               `json:"refusedOffers" dynamodbav:"refusedOffers" validate:"max=50,dive,date"`
	ReducedPriority           []string               `json:"reducedPriority" dynamodbav:"reducedPriority" validate:"max=30"`
	UnacceptableBehaviour     []string               `json:"unacceptableBehaviour" dynamodbav:"unacceptableBehaviour" validate:"max=30"`
	DebtException             []string               `json:"debtException" dynamodbav:"debtException" validate:"max=30"`
	SeekingWork               bool                   `json:"seekingWork" dynamodbav:"seekingWork"`
	CommunityContribution     *CommunityContribution `json:"communityContribution,omitempty" dynamodbav:"communityContribution,omitempty"`
	Working                   *Working               `json:"working,omitempty" dynamodbav:"working,omitempty"`
	Verified                  Verification           `json:"verified" dynamodbav:"verified"`
}

// EligibilityCheck is the short pre-screen before the full form (HR-E1..HR-E3). MedicalAward is optional: a
// medical or welfare award is a housing need on its own (HR-M), so the pre-screen must not turn it away.
type EligibilityCheck struct {
	Age                       *int          `json:"age" validate:"required,gte=0,lte=130"`
	EligibleImmigrationStatus *bool         `json:"eligibleImmigrationStatus" validate:"required"`
	Circumstances             []string      `json:"circumstances" validate:"max=30"`
	UnacceptableBehaviour     []string      `json:"unacceptableBehaviour" validate:"max=30"`
	MedicalAward              *MedicalAward `json:"medicalAward,omitempty"`
}
