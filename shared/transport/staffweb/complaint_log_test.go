package staffweb

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/testsupport"
)

// storedAnswers finds the answers the in-memory store kept with the changes that made them (idem.Answers), as
// the idempotency table does: another body under the same key is a 422.
type storedAnswers struct {
	*testsupport.Store[complaints.Complaint, complaints.Contact]
}

func (s storedAnswers) FindAnswer(_ context.Context, key, hash string, _ time.Time) (*casework.Answer, error) {
	for _, a := range s.Answers {
		if a.Key == key {
			if a.PayloadHash != hash {
				return nil, apperr.New(apperr.Unprocessable, "used with another body")
			}
			return &a, nil
		}
	}
	return nil, nil
}

var onceInput = regexp.MustCompile(`<input type="hidden" name="once" value="([A-Za-z0-9_-]+)">`)

// onceOf is the log form's one-time key in a page.
func onceOf(t *testing.T, page string) string {
	t.Helper()
	m := onceInput.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no one-time key in the log form")
	}
	return m[1]
}

// The log-a-complaint form carries a one-time key (a hidden field, kept across a 422): the same form sent again
// (a double click, a re-post after a network error, the back button) logs nothing more and leads to the complaint
// it logged, even changed; the key is the officer's own (another's sending of it logs their own complaint), and a
// key that is not one the page gives out logs nothing and comes back with a new one.
func TestLoggingTheSameFormTwiceLogsOneComplaint(t *testing.T) {
	c := newConsole(t)
	c.signIn("officer-a", catalog.GroupComplaintsOfficer)
	first := onceOf(t, c.do("GET", "/staff/log-complaint", nil).Body)
	if again := onceOf(t, c.do("GET", "/staff/log-complaint", nil).Body); again == first || len(first) < 40 {
		t.Errorf("one-time keys %q and %q: each form gets its own", first, again)
	}
	form := url.Values{"channel": {"phone"}, "receivedOn-day": {"23"}, "receivedOn-month": {"11"}, "receivedOn-year": {"2026"},
		"name": {"Lee Resident"}, "phone": {"07700 900777"}, "serviceArea": {"repairs"},
		"outcomesSought": {"A new boiler"}, "issueDate-day": {"1"}, "issueDate-month": {"11"}, "issueDate-year": {"2026"}, "once": {first}}
	// a mistake first: the page keeps the key
	if bad := c.do("POST", "/staff/log-complaint", form); bad.StatusCode != http.StatusUnprocessableEntity || onceOf(t, bad.Body) != first {
		t.Fatalf("a form without a description: %d, key kept: %v", bad.StatusCode, onceOf(t, bad.Body) == first)
	}
	form.Set("description", "The boiler keeps failing.")
	logged := c.do("POST", "/staff/log-complaint", form)
	if logged.StatusCode != http.StatusSeeOther || !strings.HasPrefix(logged.Headers["Location"], "/staff/complaints/CMP-") {
		t.Fatalf("logging: %d %s", logged.StatusCode, logged.Headers["Location"])
	}
	// sent again, and again after the back button with an answer changed: the same complaint, nothing more logged
	for _, change := range []string{"", "The boiler keeps failing, and the radiators too."} {
		if change != "" {
			form.Set("description", change)
		}
		again := c.do("POST", "/staff/log-complaint", form)
		if again.StatusCode != http.StatusSeeOther || again.Headers["Location"] != logged.Headers["Location"] {
			t.Errorf("the same form again: %d %s, want %s", again.StatusCode, again.Headers["Location"], logged.Headers["Location"])
		}
		if page := c.do("GET", again.Headers["Location"], nil); !strings.Contains(page.Body, "This form was sent before") {
			t.Error("the complaint's page does not say the form was sent before")
		}
	}
	if n := len(c.cmp.Store.All()); n != 1 {
		t.Fatalf("%d complaints logged from one form", n)
	}
	if s := c.cmp.Store.Answers[0]; strings.Contains(s.Key, first) || strings.Contains(s.Body, "Lee Resident") || strings.Contains(s.Body, "CMP-") {
		t.Errorf("the stored answer shows its key or what it holds: %+v", s)
	}
	// another officer's sending of the key is their own form: it logs their complaint
	c.signIn("officer-b", catalog.GroupComplaintsOfficer)
	c.do("GET", "/staff/log-complaint", nil) // a page: the new session's CSRF token
	form.Del("csrf")
	theirs := c.do("POST", "/staff/log-complaint", form)
	if theirs.StatusCode != http.StatusSeeOther || theirs.Headers["Location"] == logged.Headers["Location"] || len(c.cmp.Store.All()) != 2 {
		t.Errorf("another officer's sending: %d %s", theirs.StatusCode, theirs.Headers["Location"])
	}
	// a key the page does not give out (missing, too long, another alphabet) logs nothing, and the page has a new one
	for _, bad := range []string{"", strings.Repeat("a", 65), "not a key; it has spaces and more", "short"} {
		form.Set("once", bad)
		r := c.do("POST", "/staff/log-complaint", form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "nothing was logged") || !strings.Contains(r.Body, `href="#rule-error"`) {
			t.Errorf("key %q: %d", bad, r.StatusCode)
		}
		if got := onceOf(t, r.Body); got == bad || got == first {
			t.Errorf("key %q: the page gives back %q", bad, got)
		}
	}
	if n := len(c.cmp.Store.All()); n != 2 {
		t.Errorf("%d complaints after the refused keys, want 2", n)
	}
}
