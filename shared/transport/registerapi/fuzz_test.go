package registerapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/testsupport/routefuzz"
)

// Fuzz targets for the JSON bodies of the register routes anyone may call: POST /register/eligibility and
// POST /register/applications. `make test` runs each briefly from these seeds; `make fuzz` runs them for longer.

// The README's curl bodies, and variants near the edges of what is valid.
var eligibilitySeeds = []string{
	`{"age":34,"eligibleImmigrationStatus":true,"circumstances":["urgent-welfare"],"unacceptableBehaviour":[]}`,
	`{"age": 17, "eligibleImmigrationStatus": true, "circumstances": ["sharing-facilities"]}`,
	`{"age": 15, "eligibleImmigrationStatus": true, "circumstances": ["mappa"]}`,
	`{"age":34,"eligibleImmigrationStatus":true,"circumstances":["homeless-priority-need"],"medicalOrWelfareNeed":true}`,
	`{"age":0,"eligibleImmigrationStatus":false,"circumstances":null,"unacceptableBehaviour":["violence-to-staff"],"medicalAward":"severe"}`,
	`{"age":130,"eligibleImmigrationStatus":true,"medicalAward":{"level":"moderate"}}`,
	`{"age":131,"eligibleImmigrationStatus":true,"medicalAward":{"severity":"huge","assessedOn":"2026-13-01"}}`,
	`{"age":-1,"eligibleImmigrationStatus":"yes","circumstances":["rich","rich","mappa","mappa"]}`,
	`{"age":30,"eligibleImmigrationStatus":true,"income":1}`,
	`{"age":30.5,"eligibleImmigrationStatus":true,"circumstances":[` + strings.Repeat(`"x",`, 999) + `"x"]}`,
}

var applicationSeeds = []string{
	`{
  "applicant": {"name": "Jo Applicant", "dateOfBirth": "1990-05-01", "email": "jo@example.org", "address": "1 Example Road", "postcode": "NN1 1DE", "language": "en"},
  "household": [{"name": "Kim", "dateOfBirth": "2018-02-01", "relationship": "child"}], "age": 36, "eligibleImmigrationStatus": true,
  "circumstances": ["urgent-welfare"], "seekingWork": true,
  "housingDebt": {"amount": 300, "weeklyRent": 100, "repaymentPlan": {"agreed": false, "kept": false}}}`,
	`{"applicant":{"name":"Jo","dateOfBirth":"1990-05-01","email":"jo@example.org","address":"1 Road","postcode":"NN1 1DE"},"age":36,
  "eligibleImmigrationStatus":true,"circumstances":["homeless-priority-need","sharing-facilities"],"seekingWork":true,
  "medicalNeeds":[{"grounds":"medical","description":"Asthma made worse by damp"},{"grounds":"welfare","person":"Kim","description":"Needs to be near carers"}]}`,
	`{"applicant":{"name":"Jo","dateOfBirth":"1990-05-01","email":"jo@example.org","address":"1 Road","postcode":"NN1 1DE"},"age":36,
  "eligibleImmigrationStatus":true,"medicalNeeds":[` + strings.Repeat(`{"grounds":"medical","description":"x"},`, 5) + `{"grounds":"dental","description":""}],
  "council":{"decisions":[{"decision":"homeless-priority-need","applies":true}]}}`,
	`{"applicant":{"name":"A","dateOfBirth":"2010-11-23","phone":"07700 900123","address":"1 Road","postcode":"NN1 1DE"},"age":16,
  "eligibleImmigrationStatus":true,"circumstances":["homeless-priority-need"],"medicalAward":{"severity":"severe","assessedOn":"2025-11-22"},
  "housingDebt":{"amount":"999999.99","weeklyRent":"0.01","tenancyEndedOn":"2020-01-01","repaymentPlan":{"agreed":true,"kept":true}},
  "debtException":["urgent-medical"],"refusedOffers":["2026-01-01","2026-02-01"],"reducedPriority":[],"unacceptableBehaviour":[],
  "communityContribution":{"residenceYears":16,"positiveHistory":true,"volunteeringMonths":12,"hoursPerMonth":8,"notForProfit":true,"evidenceFromUnrelatedManager":true},
  "working":{"hoursPerWeek":16,"monthsInLastTwelve":12,"contract":"permanent"}}`,
	`{"applicant":{"name":"A","dateOfBirth":"1900-01-01","address":"1 Road","postcode":"NN1 1DE","preferredContact":"letter"},"age":126,
  "eligibleImmigrationStatus":false,"housingDebt":{"amount":1000000.01,"weeklyRent":10000.01},"verified":{"seekingWork":true}}`,
	`{"applicant":{"name":"A","dateOfBirth":"2026-11-24","email":"a@b.co","address":"1 Road","postcode":"NN1 1DE"},"age":40,
  "eligibleImmigrationStatus":true,"housingDebt":{"amount":1e200,"weeklyRent":-1},"medicalAward":"severe"}`,
	`{"applicant":{"name":"A","dateOfBirth":"1990-02-29","email":"a@b.co","address":"1 Road","postcode":"NN1 1DE"},"age":36,
  "eligibleImmigrationStatus":true,"housingDebt":{"amount":"300.505","weeklyRent":"1,000"},"communityContribution":{"residenceYears":37}}`,
	`{"applicant":{"name":"A","dateOfBirth":"1990-05-01","email":"a@b.co","address":"1 Road","postcode":"NN1 1DE","nickname":"Jo"},"age":36,"eligibleImmigrationStatus":true}`,
	`{"applicant":{"name":"A","dateOfBirth":"1990-05-01","email":"a@b.co","address":"1 Road","postcode":"NN1 1DE"},"age":36,"eligibleImmigrationStatus":true,
  "household":[` + strings.Repeat(`{"name":"K","dateOfBirth":"2099-01-01"},`, 25) + `{"name":"K","dateOfBirth":"x"}],
  "circumstances":[` + strings.Repeat(`"rich",`, 40) + `"rich"],"refusedOffers":[` + strings.Repeat(`"2026-01-01",`, 60) + `"x"]}`,
}

// FuzzEligibilityBody: any body sent to POST /register/eligibility, read as the handler reads it and validated,
// is either a valid pre-screen that encodes and reads back the same, or an error a caller may be shown (bounded,
// not 5xx); the whole handler answers 200 with a decision exactly for the valid ones, and never 5xx or an
// unbounded answer.
func FuzzEligibilityBody(f *testing.F) {
	testsupport.QuietLogs(f)
	for _, s := range append(eligibilitySeeds, testsupport.HostileBodies()...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		_, valid := routefuzz.Decode(t, body, register.EligibilityCheck.Validate)
		fx := newFixture(t)
		resp, err := fx.handler(context.Background(), testsupport.Request{Route: "POST /register/eligibility", Body: body, At: day}.Event())
		if err != nil {
			t.Fatal(err)
		}
		answer := testsupport.CheckAnswer(t, resp)
		if valid != (resp.StatusCode == http.StatusOK) {
			t.Fatalf("valid=%v but answered %d: %.500s", valid, resp.StatusCode, resp.Body)
		}
		if _, ok := answer["eligible"].(bool); valid && !ok {
			t.Fatalf("no decision: %s", resp.Body)
		}
	})
}

// FuzzApplicationBody: any body sent to POST /register/applications (housing debt in pounds, register.Money,
// included), read as the handler reads it and validated, is either a valid application that encodes and reads
// back the same, or an error a caller may be shown (bounded, not 5xx). The whole handler, over the in-memory
// store, never answers 5xx or an unbounded answer; it answers 201 exactly for the valid applications (then one is
// stored, the applicant can read the decision with their token, and a retry with the same Idempotency-Key gets
// the same answer without a second application); for the others nothing is stored and nobody is told anything.
func FuzzApplicationBody(f *testing.F) {
	testsupport.QuietLogs(f)
	for _, s := range append(applicationSeeds, testsupport.HostileBodies()...) {
		f.Add(s, "")
	}
	f.Add(applicationSeeds[0], "app-1")
	f.Add(applicationSeeds[1], strings.Repeat("k", 256))
	today := workdays.DateOf(day)

	f.Fuzz(func(t *testing.T, body, idempotencyKey string) {
		_, valid := routefuzz.Decode(t, body, func(a register.Application) error { return a.Validate(today) })

		fx := newFixture(t)
		req := testsupport.Request{Route: "POST /register/applications", Body: body, At: day, Header: map[string]string{"Idempotency-Key": idempotencyKey}}
		resp, err := fx.handler(context.Background(), req.Event())
		if err != nil {
			t.Fatal(err)
		}
		answer := testsupport.CheckAnswer(t, resp)
		key := strings.TrimSpace(idempotencyKey)
		switch {
		case valid && len(key) > 255:
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("an Idempotency-Key of %d characters: %d %s", len(key), resp.StatusCode, resp.Body)
			}
		case valid != (resp.StatusCode == http.StatusCreated):
			t.Fatalf("valid=%v but answered %d: %.500s", valid, resp.StatusCode, resp.Body)
		}
		stored := fx.store.All()
		if resp.StatusCode != http.StatusCreated {
			if len(stored) != 0 || len(fx.outbox.Delivered) != 0 {
				t.Fatalf("answered %d but stored %d applications, sent %d messages", resp.StatusCode, len(stored), len(fx.outbox.Delivered))
			}
			return
		}
		ref, _ := answer["reference"].(string)
		token, _ := answer["accessToken"].(string)
		if len(stored) != 1 || stored[0].Reference != ref || token == "" {
			t.Fatalf("201 for %q, stored %d applications", ref, len(stored))
		}
		view, err := fx.handler(context.Background(), testsupport.Request{Route: "GET /register/applications/{reference}",
			Path: map[string]string{"reference": ref}, Token: token, At: day}.Event())
		if err != nil || view.StatusCode != http.StatusOK {
			t.Fatalf("the applicant cannot read %s: %d %s", ref, view.StatusCode, view.Body)
		}
		testsupport.CheckAnswer(t, view)
		if key != "" {
			again, err := fx.handler(context.Background(), req.Event())
			if err != nil || again.StatusCode != http.StatusCreated || again.Body != resp.Body || len(fx.store.All()) != 1 {
				t.Fatalf("retry with the same Idempotency-Key: %d %s (%d applications)", again.StatusCode, again.Body, len(fx.store.All()))
			}
		}
	})
}
