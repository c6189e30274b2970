package residentweb

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/testsupport"
)

// directory finds the site's in-memory records by their contact details (the byContact index's stand-in).
func (s *site) directory() []func() []testsupport.Listed {
	ctx := context.Background()
	return []func() []testsupport.Listed{
		func() (out []testsupport.Listed) {
			for _, c := range s.asb.All() {
				if st, _ := s.asb.Load(ctx, c.Reference); st.Contact != nil {
					out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.ASB, Ref: c.Reference}, Contact: *st.Contact})
				}
				for _, it := range s.asb.Items()[c.Reference] { // further reports are filed under their reporters too (ASB-9)
					var inc asb.Incident
					if it.Kind == asbcases.ItemIncident && json.Unmarshal(it.Value.(json.RawMessage), &inc) == nil && inc.Reporter != nil && inc.UnlinkedTo == "" {
						out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.ASB, Ref: c.Reference}, Contact: *inc.Reporter})
					}
				}
			}
			return out
		},
		func() (out []testsupport.Listed) {
			for _, c := range s.cmp.All() {
				if st, _ := s.cmp.Load(ctx, c.Reference); st.Contact != nil {
					out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.Complaint, Ref: c.Reference}, Contact: st.Contact.Details})
				}
			}
			return out
		},
		func() (out []testsupport.Listed) {
			for _, a := range s.apps.All() {
				if st, _ := s.apps.Load(ctx, a.Reference); st.Contact != nil {
					out = append(out, testsupport.Listed{Found: residentaccess.Found{Kind: casefile.Application, Ref: a.Reference}, Contact: st.Contact.Details})
				}
			}
			return out
		},
	}
}

// code is the code in the newest sign-in message.
func (s *site) code() string {
	s.t.Helper()
	if len(s.codes.Sent) == 0 {
		s.t.Fatal("no code sent")
	}
	var req notification.Request
	if err := json.Unmarshal(s.codes.Sent[len(s.codes.Sent)-1].Body, &req); err != nil {
		s.t.Fatal(err)
	}
	return req.Personalisation["code"]
}

// signIn posts the sign-in page and then a code; it returns the code page's answer.
func (s *site) signIn(contact, ref, code string) web2 {
	s.t.Helper()
	s.do("GET", "/progress/sign-in", nil)
	r := s.do("POST", "/progress/sign-in", url.Values{"contact": {contact}, "reference": {ref}})
	if r.StatusCode != http.StatusSeeOther || r.Headers["Location"] != "/progress/code" {
		s.t.Fatalf("sign in %d %v", r.StatusCode, errorsOf(r.Body))
	}
	page := s.do("GET", "/progress/code", nil)
	if code == "" {
		code = s.code()
	}
	answer := s.do("POST", "/progress/code", url.Values{"code": {code}})
	return web2{page: page.Body, status: answer.StatusCode, body: answer.Body, location: answer.Headers["Location"]}
}

type web2 struct {
	page, body, location string
	status               int
}

var csrfValue = regexp.MustCompile(`name="csrf" value="[^"]+"`)

// same is a page with its CSRF token and the contact the visitor typed taken out.
func same(body string, typed ...string) string {
	body = csrfValue.ReplaceAllString(body, "")
	for _, t := range typed {
		body = strings.ReplaceAll(body, t, "[typed]")
	}
	return body
}

// Check your progress: a resident who reported ASB with their email address signs in with a code (the
// confirmation's link carries the reference), sees the case, escalates their complaint without reasons, and
// signs out. A wrong code, an unknown contact and a reference that is not theirs look the same.
func TestCheckProgress(t *testing.T) {
	s := newSite(t)
	s.walk("/report-asb/what-is-happening", map[string]url.Values{
		"what-is-happening": {"type": {"noise"}}, "describe": {"description": {"Loud music every night after midnight."}},
		"where": {"address": {"Flat 2, 10 Example Road"}, "postcode": {"NN1 1DE"}}, "still-happening": {"ongoing": {"yes"}},
		"anonymous": {"anonymous": {"no"}}, "your-details": {"name": {"Alex Resident"}, "email": {"alex@example.org"}},
		"contact-preferences": {"preferredContact": {"email"}, "language": {"en"}},
	})
	s.do("POST", "/report-asb/check-answers", url.Values{})
	done := s.do("GET", "/report-asb/confirmation", nil)
	ref := s.asb.All()[0].Reference
	if !strings.Contains(done.Body, `href="/progress/sign-in?ref=`+ref+`"`) {
		t.Fatal("the confirmation has no sign-in link with the reference")
	}
	// someone else's complaint, and one of Alex's answered at stage 1
	other := s.complaint("CMP-SAM0-0002", contact.Details{Name: "Sam", Email: "sam@example.org"}, false)
	mine := s.complaint("CMP-ALEX-0003", contact.Details{Name: "Alex", Email: "alex@example.org"}, true)

	// signed out, a record or the list leads to sign-in (any well-formed reference alike)
	for path, want := range map[string]string{"/progress/your-records": "/progress/sign-in", "/progress/" + ref: "/progress/sign-in?ref=" + ref,
		"/progress/ASB-NONE-0000": "/progress/sign-in?ref=ASB-NONE-0000"} {
		if r := s.do("GET", path, nil); r.StatusCode != http.StatusSeeOther || r.Headers["Location"] != want {
			t.Errorf("%s signed out: %d %s", path, r.StatusCode, r.Headers["Location"])
		}
	}
	if r := s.do("GET", "/progress/sign-in?ref="+ref, nil); !strings.Contains(r.Body, `value="`+ref+`"`) {
		t.Error("the sign-in link does not fill in the reference")
	}

	// the same pages, whatever is wrong
	unknown := s.signIn("nobody@example.org", "", "123456")
	foreign := s.signIn("alex@example.org", other, "123456")
	wrongCode := s.signIn("alex@example.org", "", "000000x")
	if len(s.codes.Sent) != 1 {
		t.Fatalf("%d codes sent, want 1 (only for the known contact without a foreign reference)", len(s.codes.Sent))
	}
	for name, got := range map[string]web2{"unknown contact": unknown, "foreign reference": foreign} {
		if same(got.page, "nobody@example.org", "alex@example.org") != same(wrongCode.page, "alex@example.org") {
			t.Errorf("%s: the code page differs", name)
		}
		if got.status != http.StatusUnprocessableEntity || got.status != wrongCode.status || same(got.body, "nobody@example.org", "alex@example.org") != same(wrongCode.body, "alex@example.org") {
			t.Errorf("%s: the answer to a code differs: %d", name, got.status)
		}
	}
	if errs := errorsOf(wrongCode.body); len(errs) != 1 || errs[0][0] != "#code" || errs[0][1] != "The code is not right, or it has expired" {
		t.Fatalf("wrong code: %v", errs)
	}

	// the right code, with the reference of the link: the session is renewed and shows the case
	before := s.cookie
	in := s.signIn("Alex@Example.org", strings.ToLower(ref), "")
	if in.status != http.StatusSeeOther || in.location != "/progress/"+ref || s.cookie == before {
		t.Fatalf("right code: %d %s (new session: %v)", in.status, in.location, s.cookie != before)
	}
	c := s.asb.All()[0]
	page := s.do("GET", "/progress/"+ref, nil)
	for _, want := range []string{ref, "Anti-social behaviour report", "Noise", "Received", c.AcknowledgeBy.String(), c.AppointmentBy.String(), "Sign out"} {
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, want) {
			t.Errorf("the case page lacks %q (%d)", want, page.StatusCode)
		}
	}
	list := s.do("GET", "/progress/your-records", nil)
	if !strings.Contains(list.Body, `href="/progress/`+ref+`"`) || !strings.Contains(list.Body, mine) || strings.Contains(list.Body, other) {
		t.Errorf("the list shows the wrong records")
	}
	// another's record and no record: the same 404
	foreignPage, missingPage := s.do("GET", "/progress/"+other, nil), s.do("GET", "/progress/CMP-NONE-0000", nil)
	if foreignPage.StatusCode != http.StatusNotFound || same(foreignPage.Body) != same(missingPage.Body) {
		t.Errorf("a foreign record: %d", foreignPage.StatusCode)
	}

	// stage 2, no reasons asked (CH-5): the same complaintcases.Service.Escalate as the JSON API
	cp := s.do("GET", "/progress/"+mine, nil)
	if !strings.Contains(cp.Body, `value="escalate"`) || !strings.Contains(cp.Body, "Your complaint") && !strings.Contains(cp.Body, "Letters") {
		t.Fatalf("the complaint page offers no escalation or letters")
	}
	if r := s.do("POST", "/progress/"+other, url.Values{"action": {"escalate"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("escalating another's complaint: %d", r.StatusCode)
	}
	if r := s.do("POST", "/progress/"+mine, url.Values{"action": {"escalate"}}); r.StatusCode != http.StatusSeeOther || r.Headers["Location"] != "/progress/"+mine {
		t.Fatalf("escalate: %d %v", r.StatusCode, errorsOf(r.Body))
	}
	if st, _ := s.cmp.Load(context.Background(), mine); st.Case.Status != complaints.StatusEscalated || st.Case.Stage != 2 {
		t.Fatalf("after escalating: %s stage %d", st.Case.Status, st.Case.Stage)
	}
	if st, _ := s.cmp.Load(context.Background(), other); st.Case.Status != complaints.StatusReceived {
		t.Fatal("another's complaint changed")
	}
	if r := s.do("GET", "/progress/"+mine, nil); !strings.Contains(r.Body, "Review asked for (stage 2)") || strings.Contains(r.Body, `value="escalate"`) {
		t.Error("the complaint page does not show stage 2")
	}

	// signing out ends the session; so does 20 minutes away
	out := s.do("POST", "/progress/sign-out", url.Values{})
	if out.StatusCode != http.StatusSeeOther || out.Headers["Location"] != "/progress/signed-out" || len(out.Cookies) != 1 || !strings.Contains(out.Cookies[0], "Max-Age=0") {
		t.Fatalf("sign out: %d %v", out.StatusCode, out.Cookies)
	}
	if r := s.do("GET", "/progress/your-records", nil); r.StatusCode != http.StatusSeeOther {
		t.Error("still signed in after signing out")
	}
	s.signIn("alex@example.org", "", "")
	if r := s.do("GET", "/progress/your-records", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("signed in again: %d", r.StatusCode)
	}
	s.now = s.now.Add(21 * time.Minute)
	if r := s.do("GET", "/progress/your-records", nil); r.StatusCode != http.StatusSeeOther {
		t.Error("still signed in after 21 minutes away")
	}
	// what is typed wrongly is named at its field
	s.do("GET", "/progress/sign-in", nil)
	bad := s.do("POST", "/progress/sign-in", url.Values{"contact": {"01234 567890"}, "reference": {"<b>"}})
	if errs := errorsOf(bad.Body); bad.StatusCode != http.StatusUnprocessableEntity || len(errs) != 2 || errs[0][0] != "#contact" || errs[1][0] != "#reference" {
		t.Fatalf("typed wrongly: %d %v", bad.StatusCode, errs)
	}
}

// complaint stores a complaint made online, answered at stage 1 when responded.
func (s *site) complaint(ref string, d contact.Details, responded bool) string {
	s.t.Helper()
	c, _, err := complaints.Submit(ref, complaints.Submission{Description: "The lift has been broken for a month.", OutcomesSought: "Fix it",
		ServiceArea: "repairs", IssueDate: "2026-10-01", Complainant: d}, s.now.AddDate(0, 0, -30))
	if err != nil {
		s.t.Fatal(err)
	}
	if responded {
		officer := casefile.Actor{ID: "officer-1", Name: "Officer One"}
		if _, _, err := c.Acknowledge(complaints.Acknowledgement{Definition: "The lift", OutcomesSought: "Fix it"}, officer, s.now.AddDate(0, 0, -28)); err != nil {
			s.t.Fatal(err)
		}
		if _, _, err := c.Respond(complaints.Response{Decision: "upheld", Reasons: "We were slow."}, officer, s.now.AddDate(0, 0, -20)); err != nil {
			s.t.Fatal(err)
		}
	}
	if err := s.cmp.Create(context.Background(), casework.Stored[complaints.Complaint, complaints.Contact]{Case: c, Contact: &complaints.Contact{Details: d}},
		casework.Writes{}); err != nil {
		s.t.Fatal(err)
	}
	return ref
}

// ASB-9: the satisfaction survey of a closed ASB case on its check-progress page, for the signed-in resident: the
// first reporter and a reporter whose further report joined the case each answer once for themselves, through the
// same asbcases.Service.AnswerSurvey as the JSON API; a post without answers names each question in the error
// summary; someone signed in who is not a reporter of the case is offered no survey and cannot post one.
func TestCheckProgressSurvey(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	svc := asbcases.Service{Store: s.asb, Outbox: &testsupport.Outbox{}}
	form := func(name, email string) asb.Report {
		return asb.Report{Type: "noise", Description: "Loud music every night.", Location: asb.Location{Address: "Flat 2, 10 Example Road", Postcode: "NN1 1DE"},
			Reporter: &asb.Reporter{Name: name, Email: email, PreferredContact: "email"}}
	}
	first, err := svc.Report(ctx, asbcases.Report{Form: form("Alex Resident", "alex@example.org"), At: s.now.Add(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	ref := first.Case.Reference
	if r, err := svc.Report(ctx, asbcases.Report{Form: form("Sam Neighbour", "sam@example.org"), At: s.now.Add(-47 * time.Hour)}); err != nil || r.JoinedCase != ref {
		t.Fatalf("%+v %v", r, err)
	}
	s.complaint("CMP-LEE0-0001", contact.Details{Name: "Lee", Email: "lee@example.org"}, false)

	officer := casework.Staff{ID: "officer-1", Name: "Olu", Groups: []string{"asb-officer"}}
	signInAs := func(email string) {
		t.Helper()
		if r := s.do("GET", "/progress/your-records", nil); r.StatusCode == http.StatusOK {
			s.do("POST", "/progress/sign-out", url.Values{})
		}
		if in := s.signIn(email, "", ""); in.status != http.StatusSeeOther {
			t.Fatalf("%s signs in: %d", email, in.status)
		}
	}
	signInAs("alex@example.org")
	if page := s.do("GET", "/progress/"+ref, nil); strings.Contains(page.Body, `id="survey"`) {
		t.Fatal("an open case offers the survey")
	}
	if r := s.do("POST", "/progress/"+ref, url.Values{"action": {"survey"}, "handling": {"5"}, "outcome": {"5"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("answering an open case's survey: %d", r.StatusCode)
	}
	if _, err := svc.Close(ctx, asbcases.Close{Ref: ref, By: officer, At: s.now.Add(-time.Hour), Input: asb.Closure{Outcome: "The music stopped"}}); err != nil {
		t.Fatal(err)
	}
	page := s.do("GET", "/progress/"+ref, nil)
	for _, want := range []string{`id="survey"`, `value="survey"`, `name="handling"`, `name="outcome"`, `name="comments"`, "Very satisfied", `maxlength="2000"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the closed case's page lacks %q", want)
		}
	}
	bad := s.do("POST", "/progress/"+ref, url.Values{"action": {"survey"}, "handling": {"9"}, "comments": {"Thanks"}})
	if errs := errorsOf(bad.Body); bad.StatusCode != http.StatusUnprocessableEntity || len(errs) != 2 || errs[0][0] != "#handling" || errs[1][0] != "#outcome" ||
		!strings.Contains(bad.Body, ">Thanks</textarea>") {
		t.Fatalf("no answers: %d %v", bad.StatusCode, errs)
	}
	ok := s.do("POST", "/progress/"+ref, url.Values{"action": {"survey"}, "handling": {"4"}, "outcome": {"2"}, "comments": {"Took a while"}})
	if ok.StatusCode != http.StatusSeeOther || ok.Headers["Location"] != "/progress/"+ref+"#survey" {
		t.Fatalf("answers: %d %s %v", ok.StatusCode, ok.Headers["Location"], errorsOf(ok.Body))
	}
	if page := s.do("GET", "/progress/"+ref, nil); !strings.Contains(page.Body, "Thank you for answering") || strings.Contains(page.Body, `value="survey"`) {
		t.Error("the page still asks")
	}
	if again := s.do("POST", "/progress/"+ref, url.Values{"action": {"survey"}, "handling": {"1"}, "outcome": {"1"}}); again.StatusCode != http.StatusSeeOther {
		t.Fatalf("answering twice: %d", again.StatusCode)
	}

	signInAs("sam@example.org")
	if page := s.do("GET", "/progress/"+ref, nil); !strings.Contains(page.Body, `value="survey"`) {
		t.Fatal("the joined reporter is not asked")
	}
	if r := s.do("POST", "/progress/"+ref, url.Values{"action": {"survey"}, "handling": {"5"}, "outcome": {"5"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("the joined reporter answers: %d %v", r.StatusCode, errorsOf(r.Body))
	}
	signInAs("lee@example.org")
	if page := s.do("GET", "/progress/"+ref, nil); page.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else sees the case: %d", page.StatusCode)
	}
	s.do("GET", "/progress/your-records", nil) // the session's form token
	if r := s.do("POST", "/progress/"+ref, url.Values{"action": {"survey"}, "handling": {"1"}, "outcome": {"1"}}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("someone else answers: %d", r.StatusCode)
	}
	st, _ := s.asb.Load(ctx, ref)
	if sat := st.Case.Satisfaction; sat == nil || sat.Handling != 4 || sat.Outcome != 2 || st.Case.Survey.Comments != "Took a while" ||
		len(st.Case.JoinedSatisfaction()) != 1 || st.Case.JoinedSatisfaction()[0].Handling != 5 {
		t.Fatalf("recorded %+v %+v", st.Case.Satisfaction, st.Case.Joined)
	}
}
