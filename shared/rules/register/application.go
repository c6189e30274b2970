package register

import (
	"github.com/councilhousing/backend/shared/rules/contact"
)

// The public application: what the applicant declares. Nothing here is a decision of the council; every claim
// counts in the decided band only once an officer has checked or decided it (see council.go).

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

// Medical need grounds (HR-M): the independent adviser assesses both.
const (
	GroundsMedical = "medical"
	GroundsWelfare = "welfare"
)

// MedicalNeed is a medical or welfare need the applicant asks to have assessed (HR-M): the council refers it to
// the independent medical adviser, whose award (Record.RecordMedicalAward) is what counts.
type MedicalNeed struct {
	Grounds     string `json:"grounds" dynamodbav:"grounds" validate:"required,oneof=medical welfare"`
	Person      string `json:"person,omitempty" dynamodbav:"person,omitempty" validate:"omitempty,max=200"` // who in the household; empty: the applicant
	Description string `json:"description" dynamodbav:"description" validate:"required,max=2000"`
}

// RepaymentPlan for housing debt.
type RepaymentPlan struct {
	Agreed bool `json:"agreed" dynamodbav:"agreed"`
	Kept   bool `json:"kept" dynamodbav:"kept"`
}

// HousingDebt is money owed to a current or former landlord by the applicant, a joint applicant or a household
// member (HR-R, HR-U). TenancyEndedOn is the end of the previous council tenancy the debt relates to, when it
// relates to one (HR-R1); leave it out for current or non-council debt. The applicant declares it; an officer
// records the debt the council has confirmed (Record.UpdateDebt), which replaces the declared one.
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

// Application is what the applicant declares: eligibility answers, the circumstances they claim, the household,
// housing debt, medical or welfare needs they ask to have assessed, and the star claims (seeking work,
// volunteering, work). The JSON names are the public contract; the public body is decoded straight into this
// type with unknown fields refused, so it holds no decision, award, verification, finding or exception.
// Applicant and Household are stored apart (Contact); Record.SetContact puts them back.
type Application struct {
	Applicant                 Applicant              `json:"applicant" dynamodbav:"-"`
	Household                 []Member               `json:"household" dynamodbav:"-" validate:"max=20,dive"`
	Age                       int                    `json:"age" dynamodbav:"age" validate:"gte=0,lte=130"`
	EligibleImmigrationStatus bool                   `json:"eligibleImmigrationStatus" dynamodbav:"eligibleImmigrationStatus"`
	Circumstances             []string               `json:"circumstances" dynamodbav:"circumstances" validate:"max=30"`
	MedicalNeeds              []MedicalNeed          `json:"medicalNeeds,omitempty" dynamodbav:"medicalNeeds,omitempty" validate:"max=5,dive"`
	HousingDebt               *HousingDebt           `json:"housingDebt,omitempty" dynamodbav:"housingDebt,omitempty"`
	SeekingWork               bool                   `json:"seekingWork" dynamodbav:"seekingWork"`
	CommunityContribution     *CommunityContribution `json:"communityContribution,omitempty" dynamodbav:"communityContribution,omitempty"`
	Working                   *Working               `json:"working,omitempty" dynamodbav:"working,omitempty"`
}

// EligibilityCheck is the short pre-screen before the full form (HR-E1..HR-E3). Nothing is stored or decided
// from it: it says whether the applicant may open the form. MedicalOrWelfareNeed is the applicant saying they
// need to move on medical or welfare grounds, a reasonable preference (source 001), so the pre-screen must not
// turn them away; the award itself is the independent adviser's (HR-M).
type EligibilityCheck struct {
	Age                       *int     `json:"age" validate:"required,gte=0,lte=130"`
	EligibleImmigrationStatus *bool    `json:"eligibleImmigrationStatus" validate:"required"`
	Circumstances             []string `json:"circumstances" validate:"max=30"`
	UnacceptableBehaviour     []string `json:"unacceptableBehaviour" validate:"max=30"`
	MedicalOrWelfareNeed      bool     `json:"medicalOrWelfareNeed,omitempty"`
}
