package asbcases_test

import (
	"context"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
)

// Casework records read back for staff, a bounded page at a time, newest first (source 002: record witnesses,
// evidence, repeat perpetrators; ASB-9 further reports), with the costs' total and each person's other cases.
func TestCaseworkRecordsReadBack(t *testing.T) {
	svc, _, _ := service()
	ctx := context.Background()
	a, _ := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday})
	other := report("verbal-abuse", asb.Risk{})
	other.Location.Address = "Flat 9, 1 Other Road"
	b, _ := svc.Report(ctx, asbcases.Report{Form: other, At: monday.Add(time.Minute)})
	ref := a.Case.Reference
	read := func(token string, limit int) asbcases.ReadRecords {
		return asbcases.ReadRecords{Ref: ref, By: officer, At: monday, Input: casework.PageRequest{Limit: limit, Token: token}}
	}
	for i := range 11 { // W10 and W11 sort after W9: by number, not by text
		if _, err := svc.AddWitness(ctx, asbcases.AddWitness{Ref: ref, By: officer, At: monday, Input: asb.WitnessInput{Name: "Witness " + string(rune('A'+i))}}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := svc.Witnesses(ctx, read("", 2))
	if err != nil || len(p.Items) != 2 || p.Items[0].ID != "W11" || p.Items[1].ID != "W10" || p.Next == "" {
		t.Fatalf("%+v %v", p, err)
	}
	p, err = svc.Witnesses(ctx, read(p.Next, 20))
	if err != nil || len(p.Items) != 9 || p.Items[0].ID != "W9" || p.Items[8].ID != "W1" || p.Next != "" {
		t.Fatalf("%+v %v", p, err)
	}
	for _, amount := range []int{45000, 1250} {
		if _, err := svc.AddCost(ctx, asbcases.AddCost{Ref: ref, By: officer, At: monday, Input: asb.CostInput{Category: "legal", AmountPence: amount, Description: "Counsel", IncurredOn: "2026-11-23"}}); err != nil {
			t.Fatal(err)
		}
	}
	costs, err := svc.Costs(ctx, read("", 1))
	if err != nil || costs.TotalPence != 46250 || costs.Count != 2 || len(costs.Items) != 1 || costs.Items[0].Record.AmountPence != 1250 || costs.Next == "" {
		t.Fatalf("%+v %v", costs, err)
	}
	if _, err := svc.AddEvidence(ctx, asbcases.AddEvidence{Ref: ref, By: officer, At: monday, Input: asb.EvidenceInput{Kind: "cctv", Reference: "cam-4", ObtainedOn: "2026-11-23"}}); err != nil {
		t.Fatal(err)
	}
	if ev, err := svc.Evidence(ctx, read("", 0)); err != nil || len(ev.Items) != 1 || ev.Items[0].Record.Reference != "cam-4" || ev.Items[0].AddedBy.ID != "officer-1" {
		t.Fatalf("%+v %v", ev, err)
	}
	if _, err := svc.AddDiaryEntry(ctx, asbcases.AddDiaryEntry{ResidentRequest: asbcases.ResidentRequest{Ref: ref, Token: a.AccessToken}, At: monday,
		Input: asb.DiaryInput{OccurredAt: "2026-11-23T01:30:00Z", Description: "Music until 3am"}}); err != nil {
		t.Fatal(err)
	}
	if d, err := svc.DiaryEntries(ctx, read("", 0)); err != nil || len(d.Items) != 1 || d.Items[0].Record.Description != "Music until 3am" {
		t.Fatalf("%+v %v", d, err)
	}
	for i := range 2 {
		if r, err := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday.Add(time.Duration(i+1) * time.Hour)}); err != nil || r.JoinedCase != ref {
			t.Fatalf("%+v %v", r, err)
		}
	}
	inc, err := svc.Incidents(ctx, read("", 1))
	if err != nil || len(inc.Items) != 1 || inc.Items[0].ID != "I3" || inc.Next == "" {
		t.Fatalf("%+v %v", inc, err)
	}

	// repeat subjects: Jo Bloggs is a subject of both cases
	for _, r := range []string{b.Case.Reference, ref} {
		if _, err := svc.AddSubject(ctx, asbcases.AddSubject{Ref: r, By: officer, At: monday, Input: asb.SubjectInput{Name: "Jo Bloggs", Postcode: "NN1 1DE"}}); err != nil {
			t.Fatal(err)
		}
	}
	subjects, err := svc.Subjects(ctx, read("", 0))
	if err != nil || len(subjects) != 1 || subjects[0].ID != "S1" || len(subjects[0].OtherCases) != 1 || subjects[0].OtherCases[0] != b.Case.Reference {
		t.Fatalf("%+v %v", subjects, err)
	}

	// who may read, what, and how much at once
	if _, err := svc.Witnesses(ctx, asbcases.ReadRecords{Ref: ref, By: casework.Staff{ID: "x", Groups: []string{"allocations-officer"}}}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("other staff: %v", err)
	}
	if _, err := svc.Costs(ctx, asbcases.ReadRecords{Ref: "ASB-0000-0000", By: officer}); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown case: %v", err)
	}
	if _, err := svc.Incidents(ctx, read("", asbcases.MaxRecordsPage+1)); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a page too big: %v", err)
	}
	if _, err := svc.Witnesses(ctx, read("bogus", 1)); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a bad token: %v", err)
	}
}
