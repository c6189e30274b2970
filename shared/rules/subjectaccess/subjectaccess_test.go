package subjectaccess

import (
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

var officer = casefile.Actor{ID: "ig-1", Name: "Information governance"}

// UK GDPR Art 12(3): one month from receipt, to the same day of the next month or, without one, its last day.
func TestArt12_3_DueOneCalendarMonthAfterReceipt(t *testing.T) {
	for received, want := range map[string]string{
		"2026-11-30": "2026-12-30", "2027-01-31": "2027-02-28", "2028-01-31": "2028-02-29", "2026-12-15": "2027-01-15",
		"2027-03-31": "2027-04-30", "2027-08-31": "2027-09-30", "2026-12-25": "2027-01-25", // a bank holiday is no matter: calendar days
	} {
		if got := DueOn(workdays.MustParseDate(received)); got.String() != want {
			t.Errorf("received %s: due %s, want %s", received, got, want)
		}
	}
}

func TestArt15_ARequestIsLoggedWithItsDueDateAndADeadline(t *testing.T) {
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	r, ev, err := New(Input{Email: " sam@example.org ", ReceivedOn: "2026-11-27", IdentityChecked: "Passport seen at the civic centre"}, "SAR-1", officer, at)
	if err != nil {
		t.Fatal(err)
	}
	if r.DueOn.String() != "2026-12-27" || r.Status != StatusOpen || r.Email != "sam@example.org" || ev.Rule != RuleTimeLimit || ev.Details["dueOn"] != "2026-12-27" {
		t.Errorf("request %+v, event %+v", r, ev)
	}
	if ev.Details["email"] != nil {
		t.Error("the timeline carries the requester's address")
	}
	d := OpenDeadlines(r)
	if len(d) != 1 || d[0].Due != r.DueOn || d[0].Team != Group || d[0].CaseKind != casefile.SubjectAccess {
		t.Errorf("deadlines %+v", d)
	}
	cp := r
	done := check(t)(cp.Complete(Completion{HowSent: "Emailed an encrypted PDF"}, officer, at.AddDate(0, 0, 10)))
	if done.Details["onTime"] != true || len(OpenDeadlines(r)) != 1 {
		t.Errorf("completion on a copy changed the original: %+v", done)
	}
	if _, err := r.Complete(Completion{HowSent: "x"}, officer, at); err != nil {
		t.Fatal(err)
	}
	if len(OpenDeadlines(r)) != 0 {
		t.Error("a completed request still has a deadline")
	}
	if _, err := r.Complete(Completion{HowSent: "x"}, officer, at); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("completed twice: %v", err)
	}
}

func check(t *testing.T) func(casefile.Event, error) casefile.Event {
	return func(ev casefile.Event, err error) casefile.Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
}

func TestArt15_RequestInput(t *testing.T) {
	at := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		in     Input
		fields []string
	}{
		"no identifier":           {Input{ReceivedOn: "2026-11-30", IdentityChecked: "Passport"}, []string{"email"}},
		"no identifier, and more": {Input{ReceivedOn: "2026-12-01"}, []string{"email", "receivedOn", "identityChecked"}},
		"blank":                   {Input{Email: " \u00a0", Phone: "07700 900456", ReceivedOn: "2026-11-30", IdentityChecked: "Passport"}, []string{"email"}},
		"future":                  {Input{Email: "a@example.org", ReceivedOn: "2026-12-01", IdentityChecked: "Passport"}, []string{"receivedOn"}},
		"too long ago":            {Input{Email: "a@example.org", ReceivedOn: "2026-10-01", IdentityChecked: "Passport"}, []string{"receivedOn"}},
		"identity":                {Input{Email: "a@example.org", ReceivedOn: "2026-11-30"}, []string{"identityChecked"}},
		"bad email":               {Input{Email: "not an address", ReceivedOn: "2026-11-30", IdentityChecked: "Passport"}, []string{"email"}},
		"too many records":        {Input{Email: "a@example.org", ReceivedOn: "2026-11-30", IdentityChecked: "Passport", References: make([]string, 21)}, []string{"references"}},
	} {
		_, _, err := New(tc.in, "SAR-1", officer, at)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.Invalid {
			t.Errorf("%s: %v, want 400", name, err)
			continue
		}
		for _, f := range tc.fields {
			found := false
			for _, fe := range e.Fields {
				found = found || fe.Field == f
			}
			if !found {
				t.Errorf("%s: %v does not name %s", name, e.Fields, f)
			}
		}
	}
}
