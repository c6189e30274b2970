package dynamo

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	rules "github.com/councilhousing/backend/shared/rules/retention"
)

// lookupFixture is one person's records of every kind on DynamoDB Local, and the directory over them.
type lookupFixture struct {
	t   *testing.T
	ctx context.Context
	s   *Store
	dir ContactDirectory
}

func newLookupFixture(t *testing.T) (lookupFixture, time.Time) {
	s := newStore(t)
	return lookupFixture{t: t, ctx: context.Background(), s: s, dir: ContactDirectory{Store: s}}, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
}

func (f lookupFixture) byPostcode(postcode string) []string {
	f.t.Helper()
	found, err := f.dir.FindPostcode(f.ctx, postcode, 20)
	if err != nil {
		f.t.Fatal(err)
	}
	return foundRefs(found)
}

func (f lookupFixture) byPhone(phone string) []string {
	f.t.Helper()
	c, ok := residentaccess.FromCanonical(asb.ContactKey(&contact.Details{Phone: phone}))
	if !ok {
		f.t.Fatalf("not a phone: %s", phone)
	}
	found, err := f.dir.Find(f.ctx, c, 20)
	if err != nil {
		f.t.Fatal(err)
	}
	return foundRefs(found)
}

// createASB stores an ASB case reported by d (nil: anonymously, ASB-2), located at NN1 1DE.
func (f lookupFixture) createASB(ref string, d *contact.Details, at time.Time) asb.Case {
	f.t.Helper()
	key := ""
	if d != nil {
		key = ids.Hash(asb.ContactKey(d))
	}
	c := asbCase(ref, "noise", asb.ChannelOnline, at, key)
	if err := NewASBCases(f.s).Create(f.ctx, asbcases.Stored{Case: c, Contact: d}, casework.Writes{}); err != nil {
		f.t.Fatal(err)
	}
	return c
}

func foundRefs(found []residentaccess.Found) []string {
	out := []string{}
	for _, x := range found {
		out = append(out, string(x.Kind)+":"+x.Ref)
	}
	slices.Sort(out)
	return out
}

// Find by postcode and by phone for every kind, on DynamoDB Local: an ASB case by its reporter's postcode, its
// location's postcode and its reporter's phone (even when the reporter gave an email, the ASB-7 key), a complaint
// by its complainant's postcode, an application by its applicant's phone (and postcode, as before). The lookup
// items hold the hashed keys only; a change of the applicant's contact moves them in its transaction, and a
// removed phone takes its lookup with it.
func TestFindByPostcodeAndPhoneForEveryKind(t *testing.T) {
	f, at := newLookupFixture(t)
	ctx, s := f.ctx, f.s
	jo := contact.Details{Name: "Jo", Email: "jo@example.org", Phone: "07700 900123", Postcode: "NN2 2BB"}

	f.createASB("ASB-JO", &jo, at)
	anon := asbCase("ASB-ANON", "garden", asb.ChannelOnline, at.Add(time.Hour), "") // anonymous (ASB-2): its location only
	anon.Location.Postcode = "NN3 3CC"
	if err := NewASBCases(s).Create(ctx, asbcases.Stored{Case: anon}, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	complainant := contact.Details{Name: "Jo", Email: "jo@example.org", Postcode: "nn2 2bb"}
	cm, _, err := complaints.Submit("CMP-JO", complaints.Submission{Description: "d", OutcomesSought: "o", ServiceArea: "repairs", IssueDate: "2026-11-01",
		Complainant: complainant}, at)
	if err != nil {
		t.Fatal(err)
	}
	cmps := NewComplaints(s)
	if err := cmps.Create(ctx, casework.Stored[complaints.Complaint, complaints.Contact]{Case: cm, Contact: &complaints.Contact{Details: complainant}}, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	app := application()
	app.Applicant.Phone, app.Applicant.Postcode = "+44 7700 900123", "NN2 2BB"
	apps := &applicationsFixture{t: t, s: s, apps: NewApplications(s), at: at}
	apps.create("HR-JO", app, at, casework.Writes{})

	if got, want := f.byPostcode("NN2 2BB"), []string{"application:HR-JO", "asb:ASB-JO", "complaint:CMP-JO"}; !slices.Equal(got, want) {
		t.Errorf("by the person's postcode: %v, want %v", got, want)
	}
	if got, want := f.byPostcode("nn11de"), []string{"asb:ASB-JO"}; !slices.Equal(got, want) {
		t.Errorf("by the location's postcode: %v, want %v", got, want)
	}
	if got, want := f.byPostcode("NN3 3CC"), []string{"asb:ASB-ANON"}; !slices.Equal(got, want) {
		t.Errorf("an anonymous report by its location: %v, want %v", got, want)
	}
	if got, want := f.byPhone("07700900123"), []string{"application:HR-JO", "asb:ASB-JO"}; !slices.Equal(got, want) {
		t.Errorf("by phone: %v, want %v", got, want)
	}
	if got := f.byPostcode("ZZ9 9ZZ"); len(got) != 0 {
		t.Errorf("another postcode found %v", got)
	}
	// the lookup items: a hashed key each, no text of the person's
	for _, pk := range []string{"ASB#ASB-JO", "COMPLAINT#CMP-JO", "APPLICATION#HR-JO"} {
		n := 0
		for sk, it := range partition(t, s, pk) {
			if !strings.HasPrefix(sk, SKFind) {
				continue
			}
			n++
			raw := strings.ToUpper(strings.Join(values(it), " "))
			for _, leak := range []string{"NN2", "NN1", "7700", "JO@"} {
				if strings.Contains(raw, leak) {
					t.Errorf("%s %s holds %q", pk, sk, leak)
				}
			}
			if len(it) != 4 {
				t.Errorf("%s %s holds more than its keys: %v", pk, sk, it)
			}
		}
		if n == 0 {
			t.Errorf("%s has no lookup item", pk)
		}
	}

	// the applicant moves and stops giving a phone: the change's transaction moves the postcode and deletes the phone
	st, err := apps.apps.Load(ctx, "HR-JO")
	if err != nil {
		t.Fatal(err)
	}
	moved := st.Case
	ct := *st.Contact
	ct.Phone, ct.Postcode = "", "NN4 4DD"
	moved.SetContact(ct)
	if _, err := apps.apps.Save(ctx, st, moved, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	if got := f.byPhone("07700 900123"); slices.Contains(got, "application:HR-JO") {
		t.Errorf("found by the phone the applicant no longer gives: %v", got)
	}
	if got := f.byPostcode("NN2 2BB"); slices.Contains(got, "application:HR-JO") || !slices.Contains(f.byPostcode("NN4 4DD"), "application:HR-JO") {
		t.Errorf("after the move: old %v, new %v", got, f.byPostcode("NN4 4DD"))
	}
	if _, ok := partition(t, s, "APPLICATION#HR-JO")[SKFind+LookupPhone]; ok {
		t.Error("the phone's lookup item was kept")
	}
}

// Rectification (UK GDPR Art 16) of a phone moves its lookup items with it, and the anonymiser deletes them: an
// anonymised record is found neither by its old phone nor by its postcode.
func TestRectifiedAndAnonymisedRecordsLeaveTheLookups(t *testing.T) {
	f, at := newLookupFixture(t)
	ctx, s := f.ctx, f.s
	sam := contact.Details{Name: "Sam", Email: "sam@example.org", Phone: "07700 900555", Postcode: "NN5 5EE"}
	f.createASB("ASB-SAM", &sam, at)
	app := application()
	app.Applicant.Details = sam
	apps := &applicationsFixture{t: t, s: s, apps: NewApplications(s), at: at}
	apps.create("HR-SAM", app, at, casework.Writes{})
	if got, want := f.byPhone("07700 900555"), []string{"application:HR-SAM", "asb:ASB-SAM"}; !slices.Equal(got, want) {
		t.Fatalf("before: %v, want %v", got, want)
	}

	ed := ContactEditor{Store: s}
	for _, rec := range []struct {
		kind casefile.Kind
		ref  string
	}{{casefile.ASB, "ASB-SAM"}, {casefile.Application, "HR-SAM"}} {
		ev := casefile.NewEvent(at.Add(time.Minute), casefile.Actor{ID: "ig-1", Name: "IG"}, "contact-rectified", rules.RuleRectification, map[string]any{"field": "phone"})
		if err := ed.Rectify(ctx, rec.kind, rec.ref, rules.FieldPhone, sam.Phone, "07700 900666", ev); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.byPhone("07700 900555"); len(got) != 0 {
		t.Errorf("the old phone still finds %v", got)
	}
	if got, want := f.byPhone("07700 900666"), []string{"application:HR-SAM", "asb:ASB-SAM"}; !slices.Equal(got, want) {
		t.Errorf("the new phone: %v, want %v", got, want)
	}

	an := Anonymiser{Store: s}
	mark := retention.Mark{On: time.Date(2032, 12, 1, 2, 30, 0, 0, time.UTC), Entry: "retention.test", Rule: rules.RuleStorageLimitation}
	for _, rec := range []struct {
		kind casefile.Kind
		ref  string
	}{{casefile.ASB, "ASB-SAM"}, {casefile.Application, "HR-SAM"}} {
		if done, err := an.Anonymise(ctx, rec.kind, rec.ref, mark); !done || err != nil {
			t.Fatalf("anonymise %s: %v %v", rec.ref, done, err)
		}
		for sk := range partition(t, s, CaseKey(rec.kind, rec.ref)) {
			if strings.HasPrefix(sk, SKFind) {
				t.Errorf("%s %s was kept", rec.ref, sk)
			}
		}
	}
	for _, what := range [][]string{f.byPhone("07700 900666"), f.byPostcode("NN5 5EE"), f.byPostcode("NN1 1DE")} {
		if len(what) != 0 {
			t.Errorf("an anonymised record is still found: %v", what)
		}
	}
}
