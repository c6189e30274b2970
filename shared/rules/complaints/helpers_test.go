package complaints

import (
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func submission() Submission {
	return Submission{Description: "Nobody came to fix the boiler.", OutcomesSought: "Fix it; apologise", ServiceArea: "repairs",
		IssueDate: "2026-01-15", Complainant: Complainant{Name: "Sam Jones", Email: "sam@example.org", PreferredContact: "email"}}
}

// check turns a transition's error into a test failure, so a scenario reads as a list of steps.
type check struct{ t *testing.T }

func (c check) event(ev casefile.Event, err error) casefile.Event {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	return ev
}

// ack is event for a transition that also writes a letter (Acknowledge).
func (c check) ack(_ Letter, ev casefile.Event, err error) casefile.Event {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	return ev
}

func (c check) letter(l Letter, _ casefile.Event, err error) Letter {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	return l
}

func receivedAt(t *testing.T, when string) Complaint {
	t.Helper()
	c, _, err := Submit("CMP-TEST", submission(), at(when))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The standard path, the API test's dates: received Wed 23 Dec 2026 (acknowledge by Mon 4 Jan 2027);
// acknowledged Thu 24 Dec by officer-a (respond by Tue 12 Jan); answered Fri 8 Jan (escalate by Fri 5 Feb);
// escalated Mon 11 Jan (acknowledge by Mon 18 Jan); stage 2 acknowledged the same day by manager-b (respond by
// Mon 8 Feb); stage 2 answered Mon 1 Feb.
func received(t *testing.T) Complaint { return receivedAt(t, "2026-12-23T10:00:00Z") }

func acknowledged(t *testing.T) Complaint {
	c := received(t)
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "Missed boiler repairs", OutcomesSought: "Boiler fixed", Handler: "officer-a"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	return c
}

func answered(t *testing.T) Complaint {
	c := acknowledged(t)
	check{t}.letter(c.Respond(Response{Decision: "not-upheld", Reasons: "Appointments were kept"}, staff("officer-a"), at("2027-01-08T10:00:00Z")))
	return c
}

func escalated(t *testing.T) Complaint {
	c := answered(t)
	check{t}.event(c.Escalate(at("2027-01-11T10:00:00Z")))
	return c
}

func atStage2(t *testing.T) Complaint {
	c := escalated(t)
	check{t}.ack(c.Acknowledge(Acknowledgement{Definition: "Missed boiler repairs, reviewed", OutcomesSought: "Boiler fixed", Handler: "manager-b"}, staff("manager-b"), at("2027-01-11T14:00:00Z")))
	return c
}

func closed(t *testing.T) Complaint {
	c := atStage2(t)
	check{t}.letter(c.Respond(Response{Decision: "upheld", Reasons: "All three visits failed"}, staff("manager-b"), at("2027-02-01T10:00:00Z")))
	return c
}

func refused(t *testing.T) Complaint {
	c := received(t)
	check{t}.letter(c.Refuse(RefusalRequest{Exclusion: "legal-proceedings", Explanation: "Claim form filed at Northampton County Court on 1 Dec 2026"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	return c
}

func serviceRequest(t *testing.T) Complaint {
	c := received(t)
	check{t}.event(c.ReclassifyAsServiceRequest(ServiceRequestNote{Note: "Asked for a repair appointment", DueOn: "2027-01-08"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	return c
}

// wantRuleError checks an error's code and rule id, and that the rule id is in the message shown.
func wantRuleError(t *testing.T, err error, code apperr.Code, rule string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code || e.Rule != rule || !strings.Contains(e.Message, "("+rule+")") {
		t.Fatalf("got %v, want %s citing %s", err, code, rule)
	}
}

// wantFields checks a 400 listing exactly these fields, in order.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		t.Fatalf("got %v, want invalid fields %v", err, fields)
	}
	got := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		got[i] = f.Field
	}
	if strings.Join(got, ",") != strings.Join(fields, ",") {
		t.Fatalf("invalid fields %v, want %v (%v)", got, fields, e.Fields)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// staff is a member of staff whose id and display name are both id.
func staff(id string) casefile.Actor { return casefile.Actor{ID: id, Name: id} }
