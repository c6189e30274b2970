package register

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/casefile"
)

// HR-D, issue 12: a public application claiming council-decided circumstances, a medical need and stars gets a
// provisional band with its reasons and a plain-language list of what is outstanding; it is awaiting
// verification, not on the priority list and not offerable. After the officer records the decisions it has the
// decided band, with reasons naming each rule and decision, and may be made an offer.
func TestHRD_ClaimsAreProvisionalUntilTheCouncilDecides(t *testing.T) {
	body := `{"applicant": {"name": "Jo Applicant", "dateOfBirth": "1990-05-01", "email": "jo@example.org", "address": "1 Example Road", "postcode": "NN1 1DE"},
		"household": [{"name": "Kim", "dateOfBirth": "2018-02-01", "relationship": "child"}], "age": 36, "eligibleImmigrationStatus": true,
		"circumstances": ["homeless-priority-need", "hhsrs-category-1"], "seekingWork": true,
		"medicalNeeds": [{"grounds": "medical", "person": "Kim", "description": "Asthma made worse by damp"}]}`
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	var a Application
	if err := dec.Decode(&a); err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(today); err != nil {
		t.Fatal(err)
	}
	r, _ := NewRecord("HR-TEST-12", a, now)
	d := r.Decision
	if d.Status != StatusAwaitingVerification || d.Band != nil || d.Stars != 0 || d.Offerable || d.EffectiveDate != nil ||
		bandString(d.Provisional.Band) != BandEmergency || d.Provisional.Stars != 1 {
		t.Fatalf("on submission: %+v", d)
	}
	if _, on := PriorityKey(r.Reference, d); on || OpenDeadlines(r) != nil {
		t.Error("not on the priority list, no deadlines, until decided")
	}
	if got := outstandingClaims(d); !reflect.DeepEqual(got, []string{codeHomeless, "hhsrs-category-1", ClaimMedical, ClaimSeekingWork}) {
		t.Errorf("outstanding %v", got)
	}
	mustContain(t, "outstanding", d.Outstanding[0].Text+d.Outstanding[1].Text,
		"The council's homelessness service must decide whether you are eligible, homeless and in priority need",
		"The council's Private Sector Housing Team must decide whether you are living with a category 1 hazard")
	mustContain(t, "provisional", reasonText(Decision{Reasons: d.Provisional.Reasons}, "HR-EM"), "You told us you are eligible, homeless and in priority need", "if the council's homelessness service decides so")
	if err := r.CanOffer(today, today); err == nil {
		t.Error("no offer while awaiting verification")
	}

	steps := []func() (casefile.Event, error){
		func() (casefile.Event, error) {
			return r.RecordCouncilDecision(CouncilDecision{Decision: codeHomeless, Applies: yes(), DecidedOn: "2026-11-20", Note: "Main housing duty accepted"}, officer, now)
		},
		func() (casefile.Event, error) {
			return r.RecordCouncilDecision(CouncilDecision{Decision: "hhsrs-category-1", Applies: no(), DecidedOn: "2026-11-19", Note: "Category 2 only"}, officer, now)
		},
		func() (casefile.Event, error) {
			return r.RecordMedicalAward(MedicalAward{Severity: MedicalModerate, Grounds: GroundsMedical, AssessedOn: "2026-11-21", RecommendedPropertyType: "Dry, well ventilated"}, officer, now)
		},
		func() (casefile.Event, error) {
			return r.VerifyClaim(ClaimCheck{Claim: ClaimSeekingWork, Verified: yes(), Note: "Jobcentre Plus confirmed"}, officer, now)
		},
	}
	for i, step := range steps {
		if _, err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	d = r.Decision
	if d.Status != StatusRegistered || d.BandName() != BandEmergency || d.Stars != 2 || !d.Offerable || dateString(d.EffectiveDate) != "2026-11-23" ||
		len(d.Outstanding) != 0 || dateString(d.EmergencyExpiresOn) != "2027-01-04" {
		t.Fatalf("decided: %+v", d)
	}
	for _, rule := range []string{"HR-EM", "HR-A", "HR-M", "HR-S"} {
		if !d.Reasons.Has(rule) {
			t.Errorf("no %s reason: %v", rule, d.Reasons)
		}
	}
	mustContain(t, "decided", reasonText(d, "HR-EM")+reasonText(d, "HR-A"), "as decided by the council's homelessness service: the Emergency band",
		"The council's Private Sector Housing Team did not accept that you are living with a category 1 hazard")
	if key, on := PriorityKey(r.Reference, d); !on || key != "0#97#2026-11-23#HR-TEST-12" {
		t.Errorf("priority key %q %v", key, on)
	}
	if _, err := r.RecordOffer(Offer{OfferedOn: "2026-11-23", Property: "Flat 2, 1 Elm Road"}, officer, now); err != nil {
		t.Errorf("an offer once decided: %v", err)
	}
}
