package dynamo

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
)

func application(circumstances ...string) register.Application {
	return register.Application{
		Applicant: register.Applicant{Details: contact.Details{Name: "Jo Applicant", Email: "Jo@Example.org", Address: "1 Example Road", Postcode: "NN1 1DE"},
			DateOfBirth: "1990-05-01"},
		Household: []register.Member{{Name: "Kim", DateOfBirth: "2018-02-01", Relationship: "child"}},
		Age:       36, EligibleImmigrationStatus: true, Circumstances: circumstances,
	}
}

var officer = casefile.Actor{ID: "alloc-1", Name: "A"}

type applicationsFixture struct {
	t    *testing.T
	s    *Store
	apps Applications
	at   time.Time
}

func newApplications(t *testing.T) *applicationsFixture {
	s := newStore(t)
	s.TokenKey = []byte("test-key")
	return &applicationsFixture{t: t, s: s, apps: NewApplications(s), at: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
}

func (f *applicationsFixture) create(ref string, a register.Application, at time.Time, w casework.Writes) register.Record {
	f.t.Helper()
	rec, ev := register.NewRecord(ref, a, at)
	c := register.ContactOf(a)
	w.Events = []casefile.Event{ev}
	if err := f.apps.Create(context.Background(), casework.Stored[register.Record, register.Contact]{Case: rec, Contact: &c, TokenHash: "h"}, w); err != nil {
		f.t.Fatal(err)
	}
	return rec
}

// change loads an application, applies a transition and saves it.
func (f *applicationsFixture) change(ref string, apply func(r *register.Record, before casework.Stored[register.Record, register.Contact]) (casefile.Event, error)) register.Record {
	f.t.Helper()
	ctx := context.Background()
	st, err := f.apps.Load(ctx, ref)
	if err != nil {
		f.t.Fatal(err)
	}
	after := st.Case
	ev, err := apply(&after, st)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.apps.Save(ctx, st, after, casework.Writes{Events: []casefile.Event{ev}}); err != nil {
		f.t.Fatal(err)
	}
	return after
}

func (f *applicationsFixture) decide(ref, code string) register.Record {
	f.t.Helper()
	yes := true
	return f.change(ref, func(r *register.Record, _ casework.Stored[register.Record, register.Contact]) (casefile.Event, error) {
		return r.RecordCouncilDecision(register.CouncilDecision{Decision: code, Applies: &yes, DecidedOn: "2026-11-20", Note: "decided"}, officer, f.at)
	})
}

func (f *applicationsFixture) priority(band string) []string {
	f.t.Helper()
	list, next, err := f.apps.PriorityList(context.Background(), band, 25, "")
	if err != nil || next != "" {
		f.t.Fatalf("priority list %s: %q %v", band, next, err)
	}
	return summaryRefs(list)
}

func (f *applicationsFixture) list(filter registercases.Filter) []string {
	f.t.Helper()
	list, _, err := f.apps.List(context.Background(), filter, 25, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return summaryRefs(list)
}

func (f *applicationsFixture) find(field, hash string) []string {
	f.t.Helper()
	list, _, err := f.apps.Find(context.Background(), registercases.FindKey{Field: field, Hash: hash}, 25, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return summaryRefs(list)
}

func summaryRefs(list []registercases.Summary) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.Reference)
	}
	return out
}

// Applications: created with their contact (flat), timeline, deadlines and idempotent answer in one transaction;
// the priority list holds only active applications (decided bands) and follows each change (a record that
// leaves a band leaves its list).
func TestApplicationsPriorityListAndContact(t *testing.T) {
	f := newApplications(t)
	s, apps, ctx, at := f.s, f.apps, context.Background(), f.at
	// the answer's expiry runs on real time (DynamoDB Local removes expired items, as TTL does)
	answer := &casework.Answer{Key: "idem#POST /register/applications#k1", PayloadHash: "p", Status: 201, Body: `{"reference":"HR-1"}`, At: time.Now()}
	f.create("HR-1", application("mappa"), at, casework.Writes{Answer: answer})
	starred := application("urgent-welfare")
	starred.SeekingWork = true
	f.create("HR-2", starred, at.Add(24*time.Hour), casework.Writes{})
	f.create("HR-3", application("sharing-facilities"), at, casework.Writes{}) // Band B once verified

	if got, err := s.FindAnswer(ctx, answer.Key, "p", answer.At); err != nil || got == nil || got.Body != answer.Body || got.Status != 201 {
		t.Fatalf("answer: %+v %v", got, err)
	}
	if got := f.priority(register.BandA); len(got) != 0 {
		t.Fatalf("claims awaiting verification are on the priority list: %v", got)
	}
	f.decide("HR-1", "mappa")
	f.decide("HR-2", "urgent-welfare")
	yes := true
	f.change("HR-2", func(r *register.Record, _ casework.Stored[register.Record, register.Contact]) (casefile.Event, error) {
		return r.VerifyClaim(register.ClaimCheck{Claim: register.ClaimSeekingWork, Verified: &yes, Note: "Jobcentre Plus"}, officer, at)
	})
	if got := f.priority(register.BandA); !slices.Equal(got, []string{"HR-2", "HR-1"}) {
		t.Fatalf("band A: %v", got)
	}

	st, err := apps.Load(ctx, "HR-1")
	if err != nil || st.Contact == nil || st.Contact.Email != "Jo@Example.org" || st.Contact.DateOfBirth != "1990-05-01" || st.TokenHash != "h" || len(st.Timeline) != 0 {
		t.Fatalf("load (the head, never the history): %+v %v", st, err)
	}
	if h, err := apps.History(ctx, "HR-1", 10, ""); err != nil || len(h.Events) != 2 || h.Next != "" {
		t.Fatalf("history: %+v %v", h, err)
	}
	// oldest first, a page at a time (a subject access export), with tokens of its own
	newest, _ := apps.History(ctx, "HR-1", 1, "")
	first, err := apps.HistoryOldestFirst(ctx, "HR-1", 1, "")
	if err != nil || len(first.Events) != 1 || first.Next == "" || first.Events[0].Action == newest.Events[0].Action {
		t.Fatalf("oldest first: %+v %v (newest %+v)", first, err, newest)
	}
	if second, err := apps.HistoryOldestFirst(ctx, "HR-1", 1, first.Next); err != nil || len(second.Events) != 1 || second.Events[0].Action != newest.Events[0].Action {
		t.Fatalf("oldest first, page 2: %+v %v", second, err)
	}
	if _, err := apps.HistoryOldestFirst(ctx, "HR-1", 1, newest.Next); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("a newest-first token read oldest first: %v", err)
	}
	var flat struct {
		Email     string `dynamodbav:"email"`
		Postcode  string `dynamodbav:"postcode"`
		Applicant any    `dynamodbav:"applicant"`
	}
	if found, err := s.Get(ctx, CaseKey(casefile.Application, "HR-1"), SKContact, &flat); !found || err != nil || flat.Email != "Jo@Example.org" || flat.Postcode != "NN1 1DE" || flat.Applicant != nil {
		t.Fatalf("CONTACT item is not flat: %+v %v", flat, err)
	}

	// three reasonable refusals: HR-1 moves to the reduced band's list
	f.change("HR-1", func(r *register.Record, _ casework.Stored[register.Record, register.Contact]) (casefile.Event, error) {
		var ev casefile.Event
		for _, d := range []string{"2026-06-01", "2026-09-01", "2026-11-20"} {
			var err error
			if ev, err = r.RecordOffer(register.Offer{OfferedOn: d, Property: "1 High St", Refused: true}, officer, at); err != nil {
				return ev, err
			}
		}
		return ev, nil
	})
	if got := f.priority(register.BandA); !slices.Equal(got, []string{"HR-2"}) {
		t.Fatalf("band A after the refusals: %v", got)
	}
	if got := f.priority(register.BandReduced); !slices.Equal(got, []string{"HR-1"}) {
		t.Fatalf("reduced band: %v", got)
	}
	// a closed application leaves every priority list
	f.change("HR-2", func(r *register.Record, _ casework.Stored[register.Record, register.Contact]) (casefile.Event, error) {
		return r.Close(register.Closing{Reason: register.ClosedHoused, Note: "Tenancy signed", Property: "Flat 1"}, officer, at)
	})
	if got := f.priority(register.BandA); len(got) != 0 {
		t.Fatalf("band A after HR-2 was housed: %v", got)
	}
}

// The officers' lists: awaiting verification oldest first, by band, by status, by officer, each one key of the
// lists index; an application moves between lists with the change that moves it.
func TestApplicationsLists(t *testing.T) {
	f := newApplications(t)
	for i, ref := range []string{"HR-A1", "HR-A2", "HR-A3"} {
		f.create(ref, application("mappa"), f.at.Add(time.Duration(i)*time.Hour), casework.Writes{})
	}
	f.create("HR-B1", application("mappa"), f.at.Add(4*time.Hour), casework.Writes{})
	f.decide("HR-B1", "mappa")
	f.change("HR-B1", func(r *register.Record, _ casework.Stored[register.Record, register.Contact]) (casefile.Event, error) {
		return r.Assign(register.Assignment{OfficerID: "alloc-2", OfficerName: "Sam"}, officer, f.at)
	})
	awaiting := registercases.Filter{Status: register.StatusAwaitingVerification, OldestFirst: true}
	if got := f.list(awaiting); !slices.Equal(got, []string{"HR-A1", "HR-A2", "HR-A3"}) {
		t.Fatalf("awaiting verification, oldest first: %v", got)
	}
	if got := f.list(registercases.Filter{Status: register.StatusAwaitingVerification}); !slices.Equal(got, []string{"HR-A3", "HR-A2", "HR-A1"}) {
		t.Fatalf("newest first: %v", got)
	}
	for _, filter := range []registercases.Filter{{Band: register.BandA}, {Status: register.StatusRegistered}, {Officer: "alloc-2"},
		{Status: register.StatusRegistered, Band: register.BandA, Officer: "alloc-2"}} {
		if got := f.list(filter); !slices.Equal(got, []string{"HR-B1"}) {
			t.Errorf("%+v: %v", filter, got)
		}
	}
	if got := f.list(registercases.Filter{}); len(got) != 4 {
		t.Fatalf("every application: %v", got)
	}
	// pages over the shards: two of three, then the last, in order
	page, next, err := f.apps.List(context.Background(), awaiting, 2, "")
	if err != nil || len(page) != 2 || next == "" {
		t.Fatalf("first page: %v %q %v", page, next, err)
	}
	rest, last, err := f.apps.List(context.Background(), awaiting, 2, next)
	if err != nil || len(rest) != 1 || last != "" || rest[0].Reference != "HR-A3" {
		t.Fatalf("second page: %v %q %v", rest, last, err)
	}
	if _, _, err := f.apps.List(context.Background(), registercases.Filter{Status: register.StatusRegistered}, 2, next); err == nil {
		t.Fatal("a token of another list was accepted")
	}
	// decided: it leaves the queue
	f.decide("HR-A1", "mappa")
	if got := f.list(awaiting); !slices.Equal(got, []string{"HR-A2", "HR-A3"}) {
		t.Fatalf("after a decision: %v", got)
	}
	summary, _, _ := f.apps.List(context.Background(), registercases.Filter{Officer: "alloc-2"}, 1, "")
	if s := summary[0]; s.Band == nil || *s.Band != register.BandA || s.Officer == nil || s.Officer.ID != "alloc-2" || s.Status != register.StatusRegistered || !s.Offerable {
		t.Fatalf("summary: %+v", s)
	}
}

// Finding an application by the applicant's email or postcode: an index query on the hash of the normalised
// value (never the value, never a scan); a change of address moves the postcode's key in the same transaction
// as the change that sets it, and stores the new contact.
func TestApplicationsFindByEmailAndPostcode(t *testing.T) {
	f := newApplications(t)
	ctx := context.Background()
	f.create("HR-F1", application("mappa"), f.at, casework.Writes{})
	other := application("mappa")
	other.Applicant.Email, other.Applicant.Postcode = "sam@example.org", "nn1 1de"
	f.create("HR-F2", other, f.at.Add(time.Hour), casework.Writes{})

	email, postcode := registercases.EmailKey(" jo@EXAMPLE.org"), registercases.PostcodeKey("NN11DE")
	if got := f.find(registercases.FindByEmail, email); !slices.Equal(got, []string{"HR-F1"}) {
		t.Fatalf("by email: %v", got)
	}
	if got := f.find(registercases.FindByPostcode, postcode); !slices.Equal(got, []string{"HR-F2", "HR-F1"}) {
		t.Fatalf("by postcode, newest first: %v", got)
	}
	// the keys are hashes: neither the email address nor the postcode is in any key
	items, err := f.s.CaseItems(casefile.Application, "HR-F1").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		for _, attr := range []string{"pk", "sk", AttrContactPK, AttrContactSK, AttrListPK, AttrListSK, AttrEventPK, AttrEventSK} {
			v := strings.ToLower(str(it[attr]))
			if strings.Contains(v, "jo@example") || strings.Contains(v, "nn1") {
				t.Errorf("%s of %s holds the contact in clear: %s", attr, str(it["sk"]), v)
			}
		}
	}
	// the index is keys only
	out, err := f.s.DB.Query(ctx, queryInput(f.s.Cases, catalog.IndexByContact, AttrContactPK+" = :pk",
		map[string]types.AttributeValue{":pk": S(FindKey(registercases.FindByEmail, email))}))
	if err != nil || len(out.Items) != 1 || out.Items[0]["data"] != nil || out.Items[0]["email"] != nil {
		t.Fatalf("byContact: %v %v", out, err)
	}

	// a change of address, as the applicant makes it: the contact is put back, changed and stored
	f.change("HR-F1", func(r *register.Record, before casework.Stored[register.Record, register.Contact]) (casefile.Event, error) {
		r.SetContact(*before.Contact)
		return r.ChangeCircumstances(register.CircumstancesChange{Address: &register.NewAddress{Address: "5 New Street", Postcode: "NN2 2BB"}},
			casefile.ByResident, f.at)
	})
	if got := f.find(registercases.FindByPostcode, postcode); !slices.Equal(got, []string{"HR-F2"}) {
		t.Fatalf("the old postcode: %v", got)
	}
	if got := f.find(registercases.FindByPostcode, registercases.PostcodeKey("nn2 2bb")); !slices.Equal(got, []string{"HR-F1"}) {
		t.Fatalf("the new postcode: %v", got)
	}
	if got := f.find(registercases.FindByEmail, email); !slices.Equal(got, []string{"HR-F1"}) {
		t.Fatalf("the email after the move: %v", got)
	}
	st, err := f.apps.Load(ctx, "HR-F1")
	if err != nil || st.Contact.Address != "5 New Street" || st.Contact.Postcode != "NN2 2BB" || st.Contact.Email != "Jo@Example.org" || len(st.Contact.Household) != 1 {
		t.Fatalf("the contact after the move: %+v %v", st.Contact, err)
	}
	// a change that sets no contact keeps it, and its keys
	f.decide("HR-F1", "mappa")
	if got := f.find(registercases.FindByPostcode, registercases.PostcodeKey("NN2 2BB")); !slices.Equal(got, []string{"HR-F1"}) {
		t.Fatalf("after an officer's change: %v", got)
	}
	// pages, with a token signed for this search only
	f.create("HR-F3", other, f.at.Add(2*time.Hour), casework.Writes{})
	page, next, err := f.apps.Find(ctx, registercases.FindKey{Field: registercases.FindByEmail, Hash: registercases.EmailKey("sam@example.org")}, 1, "")
	if err != nil || len(page) != 1 || page[0].Reference != "HR-F3" || next == "" {
		t.Fatalf("first page: %v %q %v", page, next, err)
	}
	rest, _, err := f.apps.Find(ctx, registercases.FindKey{Field: registercases.FindByEmail, Hash: registercases.EmailKey("sam@example.org")}, 1, next)
	if err != nil || len(rest) != 1 || rest[0].Reference != "HR-F2" {
		t.Fatalf("second page: %v %v", rest, err)
	}
	if _, _, err := f.apps.Find(ctx, registercases.FindKey{Field: registercases.FindByEmail, Hash: email}, 1, next); err == nil {
		t.Fatal("a token of another search was accepted")
	}
}
