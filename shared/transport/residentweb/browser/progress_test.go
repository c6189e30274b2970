package browser

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/browsertest"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

// progress is "check your progress" after a journey's confirmation: the resident follows the sign-in link on it,
// types the contact the journey gave, reads the one-time code from the GOV.UK Notify stand-in's outbox, types a
// wrong code and then the right one, and finds the record on their list and its own page; for a complaint the
// staff answered, they ask for stage 2. Another resident's record looks like one that does not exist, and after
// signing out the records are behind the sign-in page again.
type progress struct {
	contact string // the email address the journey gave
	// staff acts on the record through the staff API before the resident signs in (a complaint answered, so
	// that it can go to stage 2); nil for none
	staff  func(t *testing.T, c *localcloud.Cloud, ref string)
	status string // the status the list and the record page then show
	// escalated is the status after the resident asks for stage 2 on the record page, and stored checks through
	// the staff API that the request was stored; "" for a record with no stage 2
	escalated string
	stored    func(t *testing.T, c *localcloud.Cloud, ref string)
	foreign   string // a journey of the same run whose record is someone else's
	// survey: the resident also reported ASB (through the JSON API), and the case was closed: signed in, they
	// answer its satisfaction survey on its page (ASB-9): one page and one post
	survey bool
}

// checkProgress signs in from the confirmation page of the record ref (the page the browser is on) and follows
// p; foreign is another resident's reference ("" for none).
func (r *resident) checkProgress(c *localcloud.Cloud, p progress, ref, foreign string) {
	r.T.Helper()
	if ref == "" {
		r.T.Fatal("the journey gave no reference to check the progress of")
	}
	if p.staff != nil {
		p.staff(r.T, c, ref)
	}
	sent := len(signInCodes(r.T, c, p.contact))
	closedASB := ""
	if p.survey {
		closedASB = closedASBCase(r.T, c, p.contact)
	}

	// the sign-in link on the confirmation fills in the reference
	r.follow("/progress/sign-in?ref=" + url.QueryEscape(ref))
	r.checkPage("")
	if got := eval[string](r, `document.getElementById('reference').value`); got != ref {
		r.T.Errorf("the sign-in link's page has reference %q, want %q", got, ref)
	}
	r.TypeInto("contact", p.contact)
	if status := r.submit(); status != 200 || r.Path() != "/progress/code" {
		r.T.Fatalf("sign in: %d on %s", status, r.Path())
	}
	r.checkPage("")
	r.shows("the code page", []string{p.contact})

	// the code, as the resident reads it in their email
	var codes []string
	localcloud.Eventually(r.T, 90*time.Second, "the sign-in code for "+p.contact+" in the Notify stand-in's outbox", func() bool {
		codes = signInCodes(r.T, c, p.contact)
		return len(codes) > sent
	})
	code := codes[0]
	r.TypeInto("code", wrongCode(code))
	if status := r.submit(); status != 422 {
		r.T.Fatalf("a wrong code answered %d, want 422", status)
	}
	if links := r.errorLinks(); !slices.Equal(links, []string{"#code"}) {
		r.T.Errorf("%s: error summary links %v after a wrong code, want [#code]", r.Path(), links)
	}
	r.shows("the code page after a wrong code", []string{"The code is not right, or it has expired"})
	r.checkPage("errors")
	r.followErrorLink("#code")
	r.TypeInto("code", code)
	record := "/progress/" + ref
	if status := r.submit(); status != 200 || r.Path() != record { // the sign-in link's reference: its page
		r.T.Fatalf("the right code: %d on %s, want %s", status, r.Path(), record)
	}
	r.checkPage("")
	r.shows("the record page", []string{"Reference " + ref, p.status})

	// their records: this one, with its status
	r.follow("/progress/your-records")
	r.checkPage("")
	card := eval[string](r, fmt.Sprintf(`[...document.querySelectorAll('.govuk-summary-card')]`+
		`.filter(c => c.querySelector('a[href=%s]') !== null).map(c => c.innerText).join('\n')`, browsertest.Quote(record)))
	for _, want := range []string{ref, p.status} {
		if !strings.Contains(card, want) {
			r.T.Errorf("the records list's card for %s lacks %q: %q", ref, want, card)
		}
	}
	r.follow(record)

	if p.escalated != "" { // stage 2, without reasons
		if status := r.Press(`form:has(input[name=action][value=escalate]) button[type=submit]`); status != 200 || r.Path() != record {
			r.T.Fatalf("asking for stage 2: %d on %s", status, r.Path())
		}
		r.checkPage("escalated")
		r.shows("the record page after asking for stage 2", []string{p.escalated})
		if eval[bool](r, `document.querySelector('input[name=action][value=escalate]') !== null`) {
			r.T.Errorf("%s: the page still offers stage 2 after asking for it", r.Path())
		}
		if p.stored != nil {
			p.stored(r.T, c, ref)
		}
	}
	if closedASB != "" {
		r.answerSurvey(c, closedASB)
	}
	if foreign != "" {
		r.notYours(foreign)
	}

	// signing out: the records are behind the sign-in page again
	r.Open("/progress/your-records")
	if status := r.Press(`form[action="/progress/sign-out"] button[type=submit]`); status != 200 || r.Path() != "/progress/signed-out" {
		r.T.Fatalf("signing out: %d on %s", status, r.Path())
	}
	r.checkPage("")
	r.Open("/progress/your-records")
	if got := r.Path(); got != "/progress/sign-in" {
		r.T.Errorf("after signing out, the records page shows %s, want the sign-in page", got)
	}
	r.Open(record)
	if got, query := r.Path(), eval[string](r, `location.search`); got != "/progress/sign-in" || query != "?ref="+ref {
		r.T.Errorf("after signing out, the record page shows %s%s, want the sign-in page with its reference", got, query)
	}
}

// notYours opens, signed in, another resident's record page and one that does not exist: the same 404 page.
func (r *resident) notYours(foreign string) {
	r.T.Helper()
	unknown := foreign[:len(foreign)-4] + "0000" // well formed, like the foreign one
	if unknown == foreign {
		unknown = foreign[:len(foreign)-4] + "1111"
	}
	page := func(ref string) string {
		if status := r.Open("/progress/" + ref); status != 404 {
			r.T.Errorf("signed in, /progress/%s answered %d, want 404", ref, status)
		}
		return eval[string](r, `document.querySelector('main').innerText`)
	}
	theirs := page(foreign)
	r.checkPage("not-found")
	if none := page(unknown); theirs != none {
		r.T.Errorf("another resident's record (%s) shows %q, one that does not exist (%s) %q", foreign, theirs, unknown, none)
	}
}

// signInCodes are the sign-in codes the GOV.UK Notify stand-in received for contact, newest first.
func signInCodes(t *testing.T, c *localcloud.Cloud, contact string) []string {
	t.Helper()
	var out []string
	items, _ := c.Call(t, "GET", "/_local/outbox", nil).JSON["items"].([]any)
	for _, it := range items {
		item, _ := it.(map[string]any)
		if tmpl, _ := item["templateId"].(string); strings.Contains(tmpl, "resident-sign-in-code") && item["to"] == contact {
			if code := field(item, "personalisation.code"); code != "" {
				out = append(out, code)
			}
		}
	}
	return out
}

// wrongCode is a well-formed code that is not code: each digit one more.
func wrongCode(code string) string {
	return strings.Map(func(d rune) rune {
		if d >= '0' && d <= '9' {
			return '0' + (d-'0'+1)%10
		}
		return d
	}, code)
}

// answerComplaint is a complaints manager acknowledging the complaint and sending the stage 1 response through
// the staff API (after which the resident may ask for stage 2).
func answerComplaint(t *testing.T, c *localcloud.Cloud, ref string) {
	t.Helper()
	auth := c.StaffToken(t, "manager-1", catalog.GroupComplaintsManager)
	for _, call := range []struct {
		path string
		body map[string]any
	}{
		{"/acknowledgement", map[string]any{"definition": "Missed boiler repairs", "outcomesSought": "Fix the boiler and apologise"}},
		{"/response", map[string]any{"decision": "upheld", "reasons": "Three repair visits were missed"}},
	} {
		path := "/complaints/" + ref + call.path
		if resp := c.Call(t, "POST", path, call.body, "Authorization", auth); resp.Status != 200 {
			t.Fatalf("POST %s: %d %s", path, resp.Status, resp.Raw)
		}
	}
	expect(t, staffRead(t, c, "/complaints/"+ref+"/record", catalog.GroupComplaintsManager), map[string]string{"complaint.status": "responded"})
}

// complaintEscalated checks through the staff API that the resident's request for stage 2 was stored.
func complaintEscalated(t *testing.T, c *localcloud.Cloud, ref string) {
	t.Helper()
	expect(t, staffRead(t, c, "/complaints/"+ref+"/record", catalog.GroupComplaintsManager),
		map[string]string{"complaint.reference": ref, "complaint.status": "escalated", "complaint.stage": "2"})
}

// closedASBCase is an ASB case reported by contact through the JSON API and closed by an officer: its closure
// message links to the survey on the case's check-progress page (notification.SurveyPagePath).
func closedASBCase(t *testing.T, c *localcloud.Cloud, contact string) string {
	t.Helper()
	report := c.Call(t, "POST", "/asb/reports", map[string]any{"type": "noise", "description": "Music from the flat below until 3am.",
		"location": map[string]any{"address": fmt.Sprintf("Flat %d, 9 Survey Road", time.Now().UnixNano()%100000), "postcode": "NN1 9SR"},
		"ongoing":  false, "anonymous": false, "reporter": map[string]any{"name": "Sam Resident", "email": contact, "preferredContact": "email"}, "risk": map[string]any{}})
	ref, _ := report.JSON["reference"].(string)
	if report.Status != 201 || ref == "" || report.JSON["joined"] != false {
		t.Fatalf("reporting ASB: %d %s", report.Status, report.Raw)
	}
	closed := c.Call(t, "POST", "/asb/cases/"+ref+"/closure", map[string]any{"outcome": "The music stopped"},
		"Authorization", c.StaffToken(t, "officer-1", catalog.GroupASBOfficer))
	if closed.Status != 200 {
		t.Fatalf("closing %s: %d %s", ref, closed.Status, closed.Raw)
	}
	return ref
}

// answerSurvey opens the closed ASB case's page, answers its survey with the keyboard and checks through the staff
// API that the answers are the case's satisfaction, from the reporter (ASB-9).
func (r *resident) answerSurvey(c *localcloud.Cloud, ref string) {
	r.T.Helper()
	record := "/progress/" + ref
	if status := r.Open(record); status != 200 {
		r.T.Fatalf("%s: %d", record, status)
	}
	r.checkPage("survey")
	r.Choose("handling", "4")
	r.Choose("outcome", "5")
	r.TypeInto("comments", "Thank you")
	if status := r.Press(`form:has(input[name=action][value=survey]) button[type=submit]`); status != 200 || r.Path() != record {
		r.T.Fatalf("answering the survey: %d on %s", status, r.Path())
	}
	r.checkPage("surveyed")
	r.shows("the record page after the survey", []string{"Thank you for answering our survey"})
	expect(r.T, staffRead(r.T, c, "/asb/cases/"+ref, catalog.GroupASBOfficer), map[string]string{"case.satisfaction.handling": "4",
		"case.satisfaction.outcome": "5", "case.survey.source": "reporter", "case.survey.comments": "Thank you"})
}
