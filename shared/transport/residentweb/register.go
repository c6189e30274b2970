package residentweb

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/transport/web"
)

// registerJourney is "Apply to the housing register": the eligibility questions first (the pre-screen,
// registercases.Service.CheckEligibility, as POST /register/eligibility), then the application (the JSON API's
// register.Application, checked by its own Validate and sent to registercases.Service.Apply).
func (p Pages) registerJourney() journey {
	codes := func(cs []register.Code) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = c.Code
		}
		return out
	}
	eligible := func(a Answers) bool {
		e, err := p.Register.CheckEligibility(context.Background(), registercases.CheckEligibility{Input: eligibilityCheck(a)})
		return err == nil && e.Eligible
	}
	hasDebt := func(a Answers) bool { return eligible(a) && a.Yes("debt") }
	working := func(a Answers) bool { return eligible(a) && a.Yes("working") }
	volunteering := func(a Answers) bool { return eligible(a) && a.Yes("volunteering") }
	addMember := func(a Answers) bool { return eligible(a) && a.Yes("othersLiveWithYou") }
	steps := []step{
		{Name: "age", Intro: []string{"register.intro"}, Fields: []web.Field{{Name: "age", Kind: web.Number, Key: "register.age", Paths: []string{"age"}, MaxLength: 3, Width: "govuk-input--width-3"}}},
		{Name: "immigration", Fields: []web.Field{{Name: "immigration", Kind: web.Radios, Key: "register.immigration", Paths: []string{"eligibleImmigrationStatus"}, Options: yesNo}}},
		{Name: "circumstances", Fields: []web.Field{{Name: "circumstances", Kind: web.Checkboxes, Key: "register.circumstance", Paths: []string{"circumstances"}, Options: codes(register.Circumstances)}}},
		{Name: "behaviour", Fields: []web.Field{{Name: "behaviour", Kind: web.Checkboxes, Key: "register.behaviour", Paths: []string{"unacceptableBehaviour"}, Options: codes(register.UnacceptableBehaviourCodes)}}},
		{Name: "medical", Fields: []web.Field{{Name: "medicalNeed", Kind: web.Radios, Key: "register.medical", Paths: []string{"medicalOrWelfareNeed"}, Options: yesNo}}},
		{Name: "eligibility", Title: "register.eligibility.title", Dynamic: p.eligibilityResult},
		{Name: "date-of-birth", When: eligible, Fields: []web.Field{{Name: "dateOfBirth", Kind: web.Date, Key: "register.dob", Paths: []string{"applicant.dateOfBirth", "age"}}}},
		{Name: "address", Title: "register.address.title", When: eligible, Fields: []web.Field{
			{Name: "contactAddress", Kind: web.TextArea, Key: "register.address", Paths: []string{"applicant.address"}, MaxLength: 300},
			{Name: "contactPostcode", Kind: web.Text, Key: "register.postcode", Paths: []string{"applicant.postcode"}, MaxLength: 8, Width: "govuk-input--width-10", Autocomplete: "postal-code"},
		}},
		{Name: "others", When: eligible, Fields: []web.Field{{Name: "othersLiveWithYou", Kind: web.Radios, Key: "register.others", Options: yesNo}}},
		{Name: "household-member", Title: "register.member.title", When: addMember, Dynamic: p.householdSoFar, Fields: []web.Field{
			{Name: "memberName", Kind: web.Text, Key: "register.member.name", Paths: []string{"member.name"}, MaxLength: 200},
			{Name: "memberDob", Kind: web.Date, Key: "register.member.dob", Paths: []string{"member.dateOfBirth"}},
			{Name: "memberRelationship", Kind: web.Text, Key: "register.member.relationship", Paths: []string{"member.relationship"}, MaxLength: 50, Optional: true},
			{Name: "addAnother", Kind: web.Radios, Key: "register.member.another", Options: yesNo},
		}},
		{Name: "housing-debt", When: eligible, Fields: []web.Field{{Name: "debt", Kind: web.Radios, Key: "register.debt", Options: yesNo}}},
		{Name: "debt-details", Title: "register.debtDetails.title", When: hasDebt, Fields: []web.Field{
			{Name: "debtAmount", Kind: web.Text, Key: "register.debtDetails.amount", Paths: []string{"housingDebt.amount"}, MaxLength: 10, Width: "govuk-input--width-10"},
			{Name: "weeklyRent", Kind: web.Text, Key: "register.debtDetails.rent", Paths: []string{"housingDebt.weeklyRent"}, MaxLength: 10, Width: "govuk-input--width-10"},
			{Name: "repayment", Kind: web.Radios, Key: "register.debtDetails.plan", Paths: []string{"housingDebt.repaymentPlan"}, Options: []string{"kept", "agreed", "none"}},
		}},
		{Name: "work", When: eligible, Fields: []web.Field{{Name: "working", Kind: web.Radios, Key: "register.work", Options: yesNo}}},
		{Name: "work-details", Title: "register.workDetails.title", When: working, Fields: []web.Field{
			{Name: "hoursPerWeek", Kind: web.Number, Key: "register.workDetails.hours", Paths: []string{"working.hoursPerWeek"}, MaxLength: 3, Width: "govuk-input--width-3"},
			{Name: "monthsWorked", Kind: web.Number, Key: "register.workDetails.months", Paths: []string{"working.monthsInLastTwelve"}, MaxLength: 2, Width: "govuk-input--width-3"},
			{Name: "contract", Kind: web.Radios, Key: "register.workDetails.contract", Paths: []string{"working.contract"}, Options: []string{"permanent", "temporary", "self-employed"}},
		}},
		{Name: "seeking-work", When: func(a Answers) bool { return eligible(a) && !a.Yes("working") },
			Fields: []web.Field{{Name: "seekingWork", Kind: web.Radios, Key: "register.seekingWork", Paths: []string{"seekingWork"}, Options: yesNo}}},
		{Name: "volunteering", When: eligible, Fields: []web.Field{{Name: "volunteering", Kind: web.Radios, Key: "register.volunteering", Options: yesNo}}},
		{Name: "volunteering-details", Title: "register.volunteeringDetails.title", When: volunteering, Fields: []web.Field{
			{Name: "volunteeringMonths", Kind: web.Number, Key: "register.volunteeringDetails.months", Paths: []string{"communityContribution.volunteeringMonths"}, MaxLength: 4, Width: "govuk-input--width-4"},
			{Name: "volunteeringHours", Kind: web.Number, Key: "register.volunteeringDetails.hours", Paths: []string{"communityContribution.hoursPerMonth"}, MaxLength: 3, Width: "govuk-input--width-3"},
			{Name: "residenceYears", Kind: web.Number, Key: "register.volunteeringDetails.residence", Paths: []string{"communityContribution.residenceYears", "communityContribution"}, MaxLength: 3, Width: "govuk-input--width-3"},
		}},
	}
	for _, s := range contactSteps("applicant", eligible) {
		if s.Name == "your-details" { // the postal address is asked on its own page (the register writes to it)
			s.Fields = s.Fields[:3]
		}
		steps = append(steps, s)
	}
	return journey{Name: "apply", Caption: "register.caption", Steps: steps, Done: "register-confirmation",
		Outcome: func() any { return &registerOutcome{} },
		Check:   func(a Answers, at time.Time) error { return checkApplication(a, at) },
		OnSave:  saveMember,
		Rows:    householdRows,
		Submit: func(ctx context.Context, r *web.Request, a Answers) (any, error) {
			form, err := application(a, r.Now())
			if err != nil {
				return nil, err
			}
			rec, err := p.Register.Apply(ctx, registercases.Apply{Form: form, At: r.Now()})
			if err != nil {
				return nil, err
			}
			return registerOutcome{Reference: rec.Record.Reference, Decision: rec.Record.Decision}, nil
		}}
}

// registerOutcome is what the confirmation page shows: the provisional decision with its reasons and what the
// council will check.
type registerOutcome struct {
	Reference string
	Decision  register.Decision
}

// SignInPath is the check-progress link with the reference filled in (the same as the decision message's).
func (o registerOutcome) SignInPath() string { return notification.SignInPath(o.Reference) }

func (o registerOutcome) ProvisionalBand() string {
	if o.Decision.Provisional.Band == nil {
		return ""
	}
	return *o.Decision.Provisional.Band
}

func eligibilityCheck(a Answers) register.EligibilityCheck {
	e := register.EligibilityCheck{Circumstances: a["circumstances"], UnacceptableBehaviour: a["behaviour"], MedicalOrWelfareNeed: a.Yes("medicalNeed")}
	if n, err := strconv.Atoi(a.Get("age")); err == nil {
		e.Age = &n
	} else if a.Get("age") != "" {
		bad := -1 // not a number: the validation's range names it
		e.Age = &bad
	}
	if v := a.Get("immigration"); v != "" {
		b := v == yes
		e.EligibleImmigrationStatus = &b
	}
	return e
}

// eligibilityResult shows the pre-screen's decision with its reasons and advice.
func (p Pages) eligibilityResult(ctx context.Context, r *web.Request, a Answers) (web.Question, error) {
	e, err := p.Register.CheckEligibility(ctx, registercases.CheckEligibility{Input: eligibilityCheck(a)})
	if err != nil {
		return web.Question{}, err
	}
	q := web.Question{}
	if e.Eligible {
		q.Intro = append(q.Intro, r.T("register.eligibility.yes"))
	} else {
		q.Warning = r.T("register.eligibility.no")
		q.NoContinue = true
	}
	for _, reason := range e.Reasons {
		q.Intro = append(q.Intro, reason.Text)
	}
	q.Intro = append(q.Intro, e.Advice)
	return q, nil
}

// members are the household members added so far: answers member.<n>.name|dob|relationship.
func members(a Answers) []register.Member {
	var out []register.Member
	for i := 0; ; i++ {
		name, ok := a[fmt.Sprintf("member.%d.name", i)]
		if !ok {
			return out
		}
		out = append(out, register.Member{Name: first(name), DateOfBirth: a.Get(fmt.Sprintf("member.%d.dob", i)),
			Relationship: a.Get(fmt.Sprintf("member.%d.relationship", i))})
	}
}

func first(v []string) string {
	if len(v) > 0 {
		return v[0]
	}
	return ""
}

// pendingMember is the member being added on the page, nil when its fields are empty.
func pendingMember(a Answers) *register.Member {
	m := register.Member{Name: a.Get("memberName"), DateOfBirth: web.ISODate(a["memberDob"]), Relationship: a.Get("memberRelationship")}
	if m.Name == "" && m.DateOfBirth == "" && m.Relationship == "" {
		return nil
	}
	return &m
}

// saveMember adds the member of a valid household page to the household and clears the page; true asks for
// the page again (add another).
func saveMember(stepName string, a Answers) bool {
	if stepName != "household-member" {
		return false
	}
	if m := pendingMember(a); m != nil {
		n := len(members(a))
		a[fmt.Sprintf("member.%d.name", n)] = []string{m.Name}
		a[fmt.Sprintf("member.%d.dob", n)] = []string{m.DateOfBirth}
		a[fmt.Sprintf("member.%d.relationship", n)] = []string{m.Relationship}
	}
	again := a.Yes("addAnother")
	for _, k := range []string{"memberName", "memberDob", "memberRelationship", "addAnother"} {
		delete(a, k)
	}
	return again && len(members(a)) < 20
}

// householdSoFar lists the members added so far above the page's fields.
func (p Pages) householdSoFar(_ context.Context, r *web.Request, a Answers) (web.Question, error) {
	q := web.Question{}
	for _, m := range members(a) {
		q.Intro = append(q.Intro, r.T("register.member.added", m.Name))
	}
	return q, nil
}

func householdRows(r *web.Request, a Answers) []web.Row {
	var rows []web.Row
	for i, m := range members(a) {
		rows = append(rows, web.Row{Key: r.T("register.member.row", i+1), Values: []string{m.Name, m.DateOfBirth, m.Relationship}})
	}
	return rows
}

// application is the register.Application the answers make; a money amount that cannot be read is a field
// error named as the JSON API names it.
func application(a Answers, at time.Time) (register.Application, error) {
	app := register.Application{Age: -1, EligibleImmigrationStatus: a.Get("immigration") == yes, Circumstances: a["circumstances"],
		SeekingWork: a.Yes("seekingWork") && !a.Yes("working"), Household: members(a)}
	if n, err := strconv.Atoi(a.Get("age")); err == nil {
		app.Age = n
	}
	app.Applicant.Details = contactOf(a)
	app.Applicant.DateOfBirth = web.ISODate(a["dateOfBirth"])
	if a.Yes("medicalNeed") {
		app.MedicalNeeds = []register.MedicalNeed{{Grounds: register.GroundsMedical, Description: "Asked for on the online application"}}
	}
	var f apperr.Fields
	if a.Yes("debt") {
		d := &register.HousingDebt{RepaymentPlan: register.RepaymentPlan{Agreed: a.Get("repayment") != "none" && a.Get("repayment") != "", Kept: a.Get("repayment") == "kept"}}
		for _, m := range []struct {
			field, path string
			to          *register.Money
		}{{"debtAmount", "housingDebt.amount", &d.Amount}, {"weeklyRent", "housingDebt.weeklyRent", &d.WeeklyRent}} {
			v := strings.TrimPrefix(strings.TrimSpace(a.Get(m.field)), "£")
			money, ok := register.ParseMoney(v)
			if !ok {
				f.Add(m.path, "must be %s", register.Money(0).JSONDescription())
			}
			*m.to = money
		}
		app.HousingDebt = d
	}
	number := func(field, path string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(a.Get(field)), 64)
		if err != nil {
			f.Add(path, "must be a number")
		}
		return v
	}
	if a.Yes("working") {
		app.Working = &register.Working{HoursPerWeek: number("hoursPerWeek", "working.hoursPerWeek"),
			MonthsInLastTwelve: int(number("monthsWorked", "working.monthsInLastTwelve")), Contract: a.Get("contract")}
	}
	if a.Yes("volunteering") {
		app.CommunityContribution = &register.CommunityContribution{VolunteeringMonths: number("volunteeringMonths", "communityContribution.volunteeringMonths"),
			HoursPerMonth: number("volunteeringHours", "communityContribution.hoursPerMonth"), ResidenceYears: number("residenceYears", "communityContribution.residenceYears"),
			NotForProfit: true}
	}
	return app, f.Err()
}

// checkApplication runs the pre-screen's validation and the application's, with the member being added on
// the household page as the household's last (its errors are shown at that page's fields, as member.*).
func checkApplication(a Answers, at time.Time) error {
	var f apperr.Fields
	if err := eligibilityCheck(a).Validate(); err != nil {
		if e, ok := apperr.As(err); ok {
			f = append(f, e.Fields...)
		}
	}
	app, err := application(a, at)
	if e, ok := apperr.As(err); ok {
		f = append(f, e.Fields...)
	}
	pending := -1
	if m := pendingMember(a); m != nil {
		pending = len(app.Household)
		app.Household = append(app.Household, *m)
	} else if a.Yes("othersLiveWithYou") && len(app.Household) == 0 {
		f.Add("member.name", "is required")
	}
	if err := app.Validate(workdays.DateOf(at)); err != nil {
		if e, ok := apperr.As(err); ok {
			for _, fe := range e.Fields {
				if prefix := fmt.Sprintf("household[%d]", pending); pending >= 0 && strings.HasPrefix(fe.Field, prefix) {
					fe.Field = "member" + strings.TrimPrefix(fe.Field, prefix)
				}
				f = append(f, fe)
			}
		}
	}
	return f.Err()
}
