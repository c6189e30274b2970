package dynamo

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
)

// Sign-in codes on DynamoDB Local: the hourly count stops at its limit; a code is stored with its message in
// the outbox, loses a try per attempt, stops at none left or when expired, and is used once.
func TestSignInCodes(t *testing.T) {
	ctx, s := context.Background(), newStore(t)
	codes := SignInCodes{Store: s}
	hour := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for i := 1; i <= 4; i++ {
		ok, err := codes.Allow(ctx, "contact-key", hour, 3)
		if err != nil || ok != (i <= 3) {
			t.Fatalf("code %d: %v %v", i, ok, err)
		}
	}
	if ok, _ := codes.Allow(ctx, "contact-key", hour.Add(time.Hour), 3); !ok {
		t.Fatal("the next hour has its own count")
	}

	msg, err := casework.NewMessage("CMP-1#sign-in#x", "notifications", "notification", map[string]string{"code": "123456"}, hour)
	if err != nil {
		t.Fatal(err)
	}
	code := residentaccess.Code{Session: "session-hash", Hash: "h1", Contact: "email:jo@example.org", Ref: "CMP-1", Attempts: 2, Expires: hour.Add(15 * time.Minute)}
	if err := codes.Put(ctx, code, []casework.Message{msg}); err != nil {
		t.Fatal(err)
	}
	var entry OutboxEntry
	if found, err := s.Get(ctx, OutboxPK(OutboxShard(msg.ID)), OutboxSK(msg), &entry); err != nil || !found || entry.ID != msg.ID {
		t.Fatalf("the message is not in the outbox: %v %v", found, err)
	}
	if _, live, _ := codes.Attempt(ctx, "session-hash", hour.Add(15*time.Minute)); live {
		t.Error("an expired code was tried")
	}
	got, live, err := codes.Attempt(ctx, "session-hash", hour)
	if err != nil || !live || got.Hash != "h1" || got.Contact != code.Contact || got.Ref != "CMP-1" || got.Attempts != 2 {
		t.Fatalf("first try: %+v %v %v", got, live, err)
	}
	if _, live, _ := codes.Attempt(ctx, "session-hash", hour); !live {
		t.Fatal("second try refused")
	}
	if _, live, _ := codes.Attempt(ctx, "session-hash", hour); live {
		t.Fatal("a third try of a code with two")
	}
	if _, live, _ := codes.Attempt(ctx, "no-such-session", hour); live {
		t.Fatal("a session without a code was tried")
	}

	code.Hash, code.Attempts = "h2", 5 // a new code replaces the old one
	if err := codes.Put(ctx, code, nil); err != nil {
		t.Fatal(err)
	}
	if used, _ := codes.Use(ctx, "session-hash", "h1"); used {
		t.Fatal("the replaced code was used")
	}
	if used, err := codes.Use(ctx, "session-hash", "h2"); err != nil || !used {
		t.Fatalf("use: %v %v", used, err)
	}
	if used, _ := codes.Use(ctx, "session-hash", "h2"); used {
		t.Fatal("a code was used twice")
	}
}

// The contact directory finds, by key and never by scan, ASB cases by the ASB-7 reporter key (email, or phone
// when the report gave no email) and the reporter's phone, complaints by the complainant's email address or
// phone, and applications by the applicant's email address (and phone: lookups_test.go); nobody else's.
func TestContactDirectory(t *testing.T) {
	ctx, s := context.Background(), newStore(t)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	jo := contact.Details{Name: "Jo", Email: "Jo@Example.org", Phone: "07700 900123"}
	textOnly := contact.Details{Name: "Jo", Phone: "+44 7700 900123"}

	asbs := NewASBCases(s)
	for ref, d := range map[string]contact.Details{"ASB-EMAIL": jo, "ASB-PHONE": textOnly, "ASB-OTHER": {Name: "Sam", Email: "sam@example.org"}} {
		c := asbCase(ref, "noise", asb.ChannelOnline, at, ids.Hash(asb.ContactKey(&d)))
		if err := asbs.Create(ctx, asbcases.Stored{Case: c, Contact: &d}, casework.Writes{}); err != nil {
			t.Fatal(err)
		}
	}
	cmps := NewComplaints(s)
	for ref, d := range map[string]contact.Details{"CMP-JO": jo, "CMP-OTHER": {Name: "Sam", Email: "sam@example.org", Phone: "07700 900999"}} {
		c, _, err := complaints.Submit(ref, complaints.Submission{Description: "d", OutcomesSought: "o", ServiceArea: "repairs", IssueDate: "2026-11-01",
			Complainant: d}, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := cmps.Create(ctx, casework.Stored[complaints.Complaint, complaints.Contact]{Case: c, Contact: &complaints.Contact{Details: d}}, casework.Writes{}); err != nil {
			t.Fatal(err)
		}
	}
	f := &applicationsFixture{t: t, s: s, apps: NewApplications(s), at: at}
	f.create("HR-JO", application(), at, casework.Writes{}) // Jo@Example.org

	dir := ContactDirectory{Store: s}
	find := func(typed string) []string {
		t.Helper()
		c, err := residentaccess.ParseContact(typed)
		if err != nil {
			t.Fatal(err)
		}
		found, err := dir.Find(ctx, c, 50)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range found {
			out = append(out, string(x.Kind)+":"+x.Ref)
		}
		slices.Sort(out)
		return out
	}
	if got, want := find("jo@example.org"), []string{"application:HR-JO", "asb:ASB-EMAIL", "complaint:CMP-JO"}; !slices.Equal(got, want) {
		t.Errorf("by email: %v, want %v", got, want)
	}
	// by phone: the complaint (its contact item's key), the report that gave no email (ASB-7's key) and the one
	// that gave both (its phone's lookup item); the application gave no phone
	if got, want := find("07700900123"), []string{"asb:ASB-EMAIL", "asb:ASB-PHONE", "complaint:CMP-JO"}; !slices.Equal(got, want) {
		t.Errorf("by phone: %v, want %v", got, want)
	}
	if got := find("nobody@example.org"); len(got) != 0 {
		t.Errorf("an unknown contact found %v", got)
	}
	// a complaint's keys survive a change of the complaint (Save keeps the contact's keys on the case item)
	st, err := cmps.Load(ctx, "CMP-JO")
	if err != nil {
		t.Fatal(err)
	}
	after := st.Case
	if _, _, err := after.Acknowledge(complaints.Acknowledgement{Definition: "d", OutcomesSought: "o"}, casefile.Actor{ID: "o1", Name: "O"}, at); err != nil {
		t.Fatal(err)
	}
	if _, err := cmps.Save(ctx, st, after, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	if got := find("JO@example.org"); !slices.Contains(got, "complaint:CMP-JO") {
		t.Errorf("after a change: %v", got)
	}
}
