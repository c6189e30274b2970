package dynamo

import (
	"context"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
)

func application(circumstances ...string) register.Application {
	return register.Application{
		Applicant: register.Applicant{Details: contact.Details{Name: "Jo Applicant", Email: "jo@example.org", Address: "1 Example Road", Postcode: "NN1 1DE"},
			DateOfBirth: "1990-05-01"},
		Age: 36, EligibleImmigrationStatus: true, Circumstances: circumstances,
	}
}

// Applications: created with their contact (flat), timeline, deadlines and idempotent answer in one transaction;
// the priority list follows each change (a record that leaves a band leaves its list).
func TestApplicationsPriorityListAndContact(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	apps := NewApplications(s)
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	create := func(ref string, a register.Application, at time.Time, w casework.Writes) register.Record {
		t.Helper()
		rec, ev := register.NewRecord(ref, a, at)
		c := register.ContactOf(a)
		w.Events = []casefile.Event{ev}
		if err := apps.Create(ctx, casework.Stored[register.Record, register.Contact]{Case: rec, Contact: &c, TokenHash: "h"}, w); err != nil {
			t.Fatal(err)
		}
		return rec
	}
	// the answer's expiry runs on real time (DynamoDB Local removes expired items, as TTL does)
	answer := &casework.Answer{Key: "idem#POST /register/applications#k1", PayloadHash: "p", Status: 201, Body: `{"reference":"HR-1"}`, At: time.Now()}
	create("HR-1", application("mappa"), at, casework.Writes{Answer: answer})
	starred := application("urgent-welfare")
	starred.SeekingWork = true
	create("HR-2", starred, at.Add(24*time.Hour), casework.Writes{})
	create("HR-3", application("sharing-facilities"), at, casework.Writes{}) // Band B

	if got, err := s.FindAnswer(ctx, answer.Key, "p", answer.At); err != nil || got == nil || got.Body != answer.Body || got.Status != 201 {
		t.Fatalf("answer: %+v %v", got, err)
	}
	list, next, err := apps.PriorityList(ctx, register.BandA, 25, "")
	if err != nil || next != "" || len(list) != 2 || list[0].Reference != "HR-2" || list[1].Reference != "HR-1" {
		t.Fatalf("band A: %v %q %v", list, next, err)
	}

	st, err := apps.Load(ctx, "HR-1")
	if err != nil || st.Contact == nil || st.Contact.Email != "jo@example.org" || st.Contact.DateOfBirth != "1990-05-01" || st.TokenHash != "h" || len(st.Timeline) != 1 {
		t.Fatalf("load: %+v %v", st, err)
	}
	var flat struct {
		Email     string `dynamodbav:"email"`
		Postcode  string `dynamodbav:"postcode"`
		Applicant any    `dynamodbav:"applicant"`
	}
	if found, err := s.Get(ctx, CaseKey(casefile.Application, "HR-1"), SKContact, &flat); !found || err != nil || flat.Email != "jo@example.org" || flat.Postcode != "NN1 1DE" || flat.Applicant != nil {
		t.Fatalf("CONTACT item is not flat: %+v %v", flat, err)
	}

	// three reasonable refusals: HR-1 moves to the reduced band's list
	after := st.Case
	for _, d := range []string{"2026-06-01", "2026-09-01", "2026-11-20"} {
		if _, err := after.RecordOffer(register.Offer{OfferedOn: d, Property: "1 High St", Refused: true}, casefile.Actor{ID: "a1", Name: "A"}, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := apps.Save(ctx, st, after, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	if list, _, _ := apps.PriorityList(ctx, register.BandA, 25, ""); len(list) != 1 || list[0].Reference != "HR-2" {
		t.Fatalf("band A after the refusals: %v", list)
	}
	if list, _, _ := apps.PriorityList(ctx, register.BandReduced, 25, ""); len(list) != 1 || list[0].Reference != "HR-1" {
		t.Fatalf("reduced band: %v", list)
	}
}
