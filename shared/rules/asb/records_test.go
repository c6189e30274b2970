package asb

import (
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Casework records (source 002: victims and witnesses supported, evidence for possession): each is bounded, listed
// field by field when invalid, numbered per kind, and counted on the case; costs keep their total.
func TestASBRecords_WitnessesDiaryEvidenceCosts(t *testing.T) {
	c := reviewable()
	now := at("2026-11-24T10:00:00Z")
	w, ev, err := c.AddWitness(WitnessInput{Name: "Sam", WillGiveEvidence: true}, by("o1"), now)
	if err != nil || w.ID != "W1" || ev.Action != "witness-added" || c.Records.Witnesses != 1 {
		t.Fatalf("%+v %v", w, err)
	}
	_, _, err = c.AddWitness(WitnessInput{Statement: strings.Repeat("x", 5001)}, by("o1"), now)
	wantFields(t, err, "name", "statement")
	d, ev, err := c.AddDiaryEntry(DiaryInput{OccurredAt: "2026-11-24T01:30:00Z", Description: "Music until 3am"}, now)
	if err != nil || d.ID != "D1" || ev.Actor != "resident" || ev.Details["description"] != nil {
		t.Fatalf("%+v %+v %v", d, ev, err)
	}
	_, _, err = c.AddDiaryEntry(DiaryInput{OccurredAt: "2026-11-25T01:30:00Z"}, now)
	wantFields(t, err, "occurredAt", "description")
	_, _, err = c.AddEvidence(EvidenceInput{Kind: "rumour", Reference: "x", ObtainedOn: "2026-11-25"}, by("o1"), now)
	wantFields(t, err, "kind", "obtainedOn")
	if e, _, err := c.AddEvidence(EvidenceInput{Kind: "cctv", Reference: "cam-3 2026-11-23", ObtainedOn: "2026-11-23"}, by("o1"), now); err != nil || e.ID != "E1" {
		t.Fatalf("%+v %v", e, err)
	}
	_, _, err = c.AddCost(CostInput{Category: "bribes", AmountPence: MaxCostPence + 1, IncurredOn: "2026-11-23"}, by("o1"), now)
	wantFields(t, err, "category", "amountPence", "description")
	for _, p := range []int{45000, 5500} {
		if _, _, err := c.AddCost(CostInput{Category: "legal", AmountPence: p, Description: "Counsel", IncurredOn: "2026-11-23"}, by("o1"), now); err != nil {
			t.Fatal(err)
		}
	}
	if c.Records.Costs != 2 || c.Records.CostsPence != 50500 {
		t.Fatalf("costs: %+v", c.Records)
	}
	c.Records.Witnesses = MaxWitnesses
	_, _, err = c.AddWitness(WitnessInput{Name: "One more"}, by("o1"), now)
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Unprocessable {
		t.Fatalf("over the maximum: %v", err)
	}
	ok(t)(c.Close(Closure{Outcome: "Resolved"}, by("o1"), now))
	_, _, err = c.AddDiaryEntry(DiaryInput{OccurredAt: "2026-11-24T01:30:00Z", Description: "Again"}, now)
	wantConflict(t, err, "ASB-9")
}
