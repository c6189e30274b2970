package residentaccess_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/testsupport"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type world struct {
	svc   residentaccess.Service
	codes *testsupport.SignInCodes
	dir   *testsupport.Directory
	cmp   *testsupport.Store[complaints.Complaint, complaints.Contact]
}

const jo = "jo@example.org"

// newWorld has one complaint by Jo (email and mobile), answered at stage 1, and one by someone else.
func newWorld(t *testing.T) world {
	t.Helper()
	w := world{codes: &testsupport.SignInCodes{},
		cmp: testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference })}
	add := func(ref string, d contact.Details, answered bool) {
		c, _, err := complaints.Submit(ref, complaints.Submission{Description: "The lift has been broken for a month.", OutcomesSought: "Fix it",
			ServiceArea: "repairs", IssueDate: "2026-10-01", Complainant: d}, now.AddDate(0, 0, -30))
		if err != nil {
			t.Fatal(err)
		}
		if answered {
			officer := casefile.Actor{ID: "officer-1", Name: "Officer One"}
			if _, _, err := c.Acknowledge(complaints.Acknowledgement{Definition: "The lift", OutcomesSought: "Fix it"}, officer, now.AddDate(0, 0, -28)); err != nil {
				t.Fatal(err)
			}
			if _, _, err := c.Respond(complaints.Response{Decision: "upheld", Reasons: "We were slow."}, officer, now.AddDate(0, 0, -20)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.cmp.Create(context.Background(), casework.Stored[complaints.Complaint, complaints.Contact]{Case: c,
			Contact: &complaints.Contact{Details: d}}, casework.Writes{}); err != nil {
			t.Fatal(err)
		}
	}
	add("CMP-JO00-0001", contact.Details{Name: "Jo", Email: "Jo@Example.org", Phone: "07700 900123"}, true)
	add("CMP-SAM0-0002", contact.Details{Name: "Sam", Email: "sam@example.org"}, false)
	w.dir = &testsupport.Directory{Sources: []func() []testsupport.Listed{func() []testsupport.Listed {
		var out []testsupport.Listed
		for _, c := range w.cmp.All() {
			st, _ := w.cmp.Load(context.Background(), c.Reference)
			out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.Complaint, Ref: c.Reference}, Contact: st.Contact.Details})
		}
		return out
	}}}
	w.svc = residentaccess.Service{Codes: w.codes, Directory: w.dir, Outbox: &testsupport.Outbox{}, Complaints: w.cmp,
		ASB: nil, Applications: nil}
	return w
}

// sentCode is the code in the newest message sent, and the message.
func (w world) sentCode(t *testing.T) (string, notification.Request) {
	t.Helper()
	if len(w.codes.Sent) == 0 {
		t.Fatal("no code was sent")
	}
	var req notification.Request
	if err := json.Unmarshal(w.codes.Sent[len(w.codes.Sent)-1].Body, &req); err != nil {
		t.Fatal(err)
	}
	return req.Personalisation["code"], req
}

func (w world) start(t *testing.T, session, typed, ref string, at time.Time) {
	t.Helper()
	if err := w.svc.Start(context.Background(), residentaccess.StartSignIn{Session: session, Contact: typed, Reference: ref, Language: "cy", At: at}); err != nil {
		t.Fatalf("start: %v", err)
	}
}

func wrong(err error) bool {
	e, ok := apperr.As(err)
	return ok && e.Code == apperr.Invalid && len(e.Fields) == 1 && e.Fields[0].Field == "code" && e.Fields[0].Message == "is not right, or it has expired"
}

// A right code signs in once, as the contact on the record, in the session that asked for it; the message goes
// by email to the address typed, in the page's language, and is recorded on the record it is about.
func TestRightCodeSignsInOnceInItsSession(t *testing.T) {
	w := newWorld(t)
	w.start(t, "session-1", " JO@example.org", "", now)
	code, req := w.sentCode(t)
	if len(code) != 6 || req.Template != notification.ResidentSignInCode || req.To.Email != jo || req.To.Phone != "" || req.To.Language != "cy" ||
		req.CaseKind != casefile.Complaint || req.CaseRef != "CMP-JO00-0001" || req.Personalisation["minutes"] != "15" {
		t.Fatalf("message %+v", req)
	}
	if _, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "session-2", Code: code, At: now}); !wrong(err) {
		t.Fatalf("another session's code: %v", err)
	}
	g, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "session-1", Code: " " + code[:3] + " " + code[3:], At: now.Add(time.Minute)})
	if err != nil || g.Contact.Email() != jo {
		t.Fatalf("right code: %v %v", g, err)
	}
	if _, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "session-1", Code: code, At: now.Add(2 * time.Minute)}); !wrong(err) {
		t.Fatalf("a used code: %v", err)
	}
}

// By mobile: the same records (a complaint is found by its complainant's email or phone), the code by text.
func TestMobileNumberGetsATextAndTheSameRecords(t *testing.T) {
	w := newWorld(t)
	w.start(t, "s", "+44 (0)7700 900123", "", now)
	code, req := w.sentCode(t)
	if req.To.Phone != "+447700900123" || req.To.Email != "" || req.To.PreferredContact != "sms" {
		t.Fatalf("recipient %+v", req.To)
	}
	g, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "s", Code: code, At: now})
	if err != nil {
		t.Fatal(err)
	}
	views, err := w.svc.Records(context.Background(), g.Contact, now)
	if err != nil || len(views) != 1 || views[0].Reference != "CMP-JO00-0001" {
		t.Fatalf("records %+v %v", views, err)
	}
}

// A code expires after 15 minutes, and stops working after 5 wrong tries, even the right one.
func TestCodesExpireAndTriesAreLimited(t *testing.T) {
	w := newWorld(t)
	w.start(t, "s", jo, "", now)
	code, _ := w.sentCode(t)
	if _, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "s", Code: code, At: now.Add(residentaccess.CodeLife)}); !wrong(err) {
		t.Fatalf("expired code: %v", err)
	}
	w.start(t, "s", jo, "", now)
	code, _ = w.sentCode(t)
	for i := 0; i < residentaccess.CodeAttempts; i++ {
		if _, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "s", Code: "000000x", At: now}); !wrong(err) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if _, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "s", Code: code, At: now}); !wrong(err) {
		t.Fatalf("the right code after %d wrong tries: %v", residentaccess.CodeAttempts, err)
	}
}

// A contact is sent at most 5 codes in an hour; asking again answers the same and sends nothing.
func TestCodesPerContactPerHour(t *testing.T) {
	w := newWorld(t)
	for i := 0; i < residentaccess.CodesPerHour+2; i++ {
		w.start(t, "s", jo, "", now.Add(time.Duration(i)*time.Minute))
	}
	if len(w.codes.Sent) != residentaccess.CodesPerHour || w.codes.Puts != residentaccess.CodesPerHour+2 {
		t.Fatalf("%d codes sent, %d stored", len(w.codes.Sent), w.codes.Puts)
	}
	w.start(t, "s", jo, "", now.Add(time.Hour))
	if len(w.codes.Sent) != residentaccess.CodesPerHour+1 {
		t.Fatal("no code in the next hour")
	}
}

// An unknown contact and a reference that is not the contact's answer exactly like a known contact, and do the
// same work (a directory read, a count and a stored code), but nothing is sent and no code signs in.
func TestUnknownContactAndForeignReferenceLookTheSame(t *testing.T) {
	w := newWorld(t)
	for _, c := range []struct{ contact, ref string }{{"nobody@example.org", ""}, {jo, "CMP-SAM0-0002"}, {jo, "CMP-NONE-0000"}} {
		finds, puts := w.dir.Finds, w.codes.Puts
		w.start(t, "s", c.contact, c.ref, now)
		if w.dir.Finds != finds+1 || w.codes.Puts != puts+1 || len(w.codes.Sent) != 0 {
			t.Fatalf("%s %s: work %d %d, sent %d", c.contact, c.ref, w.dir.Finds-finds, w.codes.Puts-puts, len(w.codes.Sent))
		}
		for _, guess := range []string{"000000", "123456", ""} {
			if _, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "s", Code: guess, At: now}); !wrong(err) {
				t.Fatalf("%s %s %q: %v", c.contact, c.ref, guess, err)
			}
		}
	}
	// what a visitor typed wrongly is named, and says nothing about records
	err := w.svc.Start(context.Background(), residentaccess.StartSignIn{Session: "s", Contact: "not a contact", Reference: "<script>", At: now})
	if e, ok := apperr.As(err); !ok || len(e.Fields) != 2 || e.Fields[0].Field != "contact" || e.Fields[1].Field != "reference" {
		t.Fatalf("typed wrongly: %v", err)
	}
	// with their own reference, the code is sent and the sign-in lands on it
	w.start(t, "s", jo, "cmp-jo00-0001", now)
	code, _ := w.sentCode(t)
	if g, err := w.svc.Verify(context.Background(), residentaccess.VerifyCode{Session: "s", Code: code, At: now}); err != nil || g.Ref != "CMP-JO00-0001" {
		t.Fatalf("%+v %v", g, err)
	}
}

// The resident sees their complaint with its status, dates, letters and whether they may escalate; another's
// complaint and one that does not exist give the same NotFound.
func TestRecordsShowTheirOwnOnly(t *testing.T) {
	w := newWorld(t)
	c, _ := residentaccess.ParseContact(jo)
	v, err := w.svc.Record(context.Background(), c, "CMP-JO00-0001", now)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != complaints.StatusResponded || v.Stage != 1 || !v.CanEscalate || v.EscalateBy.IsZero() || len(v.Letters) != 2 ||
		v.Received.String() != "2026-10-25" || len(v.Dates) != 3 || !v.Dates[0].Done || !v.Dates[1].Done {
		t.Fatalf("view %+v", v)
	}
	_, foreign := w.svc.Record(context.Background(), c, "CMP-SAM0-0002", now)
	_, missing := w.svc.Record(context.Background(), c, "CMP-NONE-0000", now)
	if apperr.CodeOf(foreign) != apperr.NotFound || !reflect.DeepEqual(foreign, missing) {
		t.Fatalf("foreign %v, missing %v", foreign, missing)
	}
}

// Contacts are normalised as ASB-7 normalises a reporter's, and withheld from logs.
func TestContacts(t *testing.T) {
	for typed, want := range map[string]string{" Jo@Example.ORG": "email:jo@example.org", "07700 900123": "phone:+447700900123",
		"+44 7700 900123": "phone:+447700900123", "0044 (0)7700-900123": "phone:+447700900123"} {
		c, err := residentaccess.ParseContact(typed)
		if err != nil || c.Canonical() != want {
			t.Errorf("%q: %q %v", typed, c.Canonical(), err)
		}
		if got := asb.ContactKey(&contact.Details{Email: c.Email(), Phone: c.Phone()}); got != want {
			t.Errorf("%q: ASB-7 key %q", typed, got)
		}
	}
	for _, bad := range []string{"", "01234 567890", "jo@", "@example.org", "jo@example", "12345", strings.Repeat("a", 250) + "@x.org"} {
		if _, err := residentaccess.ParseContact(bad); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%q accepted", bad)
		}
	}
	c, _ := residentaccess.ParseContact(jo)
	if s := strings.Join([]string{c.String(), c.GoString()}, " "); strings.Contains(s, "jo@") {
		t.Errorf("printed: %s", s)
	}
}
