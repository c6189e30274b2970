package complaints

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

// Every problem with the public form is listed at once, by JSON path.
func TestSubmissionValidation(t *testing.T) {
	receivedAt := at("2026-12-23T10:00:00Z")
	cases := []struct {
		name   string
		change func(*Submission)
		fields []string
	}{
		{"valid, by email", func(*Submission) {}, nil},
		{"valid, by SMS with a representative", func(s *Submission) {
			s.Complainant = Complainant{Name: "Sam", Phone: "07700 900123", PreferredContact: "sms"}
			s.Representative = &Representative{Name: "Alex", Email: "alex@advice.org", Consent: true}
		}, nil},
		{"valid, by letter only", func(s *Submission) {
			s.Complainant = Complainant{Name: "Pat", Address: "1 Example Road, Kettering NN16 0AA", PreferredContact: "letter"}
		}, nil},
		{"valid, issue today", func(s *Submission) { s.IssueDate = "2026-12-23" }, nil},
		{"everything missing", func(s *Submission) { *s = Submission{} },
			[]string{"description", "outcomesSought", "serviceArea", "issueDate", "complainant.name", "complainant"}},
		{"blank text", func(s *Submission) { s.Description, s.Complainant.Name = "   ", " " }, []string{"description", "complainant.name"}},
		{"formats", func(s *Submission) {
			s.Complainant = Complainant{Name: "Sam", Email: "sam@", Phone: "12345", PreferredContact: "pigeon"}
		}, []string{"complainant.email", "complainant.phone", "complainant.preferredContact"}},
		{"preferred SMS without a phone", func(s *Submission) { s.Complainant.PreferredContact = "sms" }, []string{"complainant.phone"}},
		{"preferred letter without an address", func(s *Submission) { s.Complainant.PreferredContact = "letter" }, []string{"complainant.address"}},
		{"preferred email without one", func(s *Submission) {
			s.Complainant = Complainant{Name: "Sam", Phone: "07700 900123", PreferredContact: "email"}
		}, []string{"complainant.email"}},
		{"representative without consent", func(s *Submission) {
			s.Representative = &Representative{Email: "alex@", Consent: false}
		}, []string{"representative.name", "representative.email", "representative.consent"}},
		{"impossible date", func(s *Submission) { s.IssueDate = "2026-02-30" }, []string{"issueDate"}},
		{"future date (tomorrow in London)", func(s *Submission) { s.IssueDate = "2026-12-24" }, []string{"issueDate"}},
		{"too long", func(s *Submission) {
			s.Description, s.ServiceArea = strings.Repeat("x", 10001), strings.Repeat("x", 101)
		}, []string{"description", "serviceArea"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := submission()
			tc.change(&s)
			c, _, err := Submit("CMP-V", s, receivedAt)
			if tc.fields == nil {
				if err != nil || c.Reference != "CMP-V" {
					t.Fatalf("want valid: %v", err)
				}
				return
			}
			wantFields(t, err, tc.fields...)
			if c.Reference != "" {
				t.Error("an invalid form opened a complaint")
			}
		})
	}
}

// The issue date is checked against the London calendar day of receipt (WD-4): 00:30 BST on 1 April is
// already 1 April.
func TestSubmissionIssueDateUsesLondonDay(t *testing.T) {
	s := submission()
	s.IssueDate = "2026-04-01"
	if err := s.Validate(at("2026-03-31T23:30:00Z")); err != nil {
		t.Errorf("issue on the London day of receipt: %v", err)
	}
	if err := s.Validate(at("2026-03-31T22:30:00Z")); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("23:30 BST on 31 March is before the issue date: %v", err)
	}
}

// CH-9: contact details are stored (JSON, DynamoDB) but never printed or logged.
func TestContactDetailsAreNeverPrintedOrLogged(t *testing.T) {
	contact := Contact{Details: Complainant{Name: "Sam Jones", Email: "sam@example.org", Phone: "07700 900123", Adjustments: "Large print"},
		Representative: &Representative{Name: "Alex Smith", Email: "alex@advice.org", Consent: true}}
	s := submission()
	s.Representative = contact.Representative
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("saving", "contact", contact, "complainant", contact.Details, "representative", contact.Representative)
	printed := fmt.Sprintf("%v %+v %#v %s %v %+v", contact, contact, contact, contact.Details, s, s) + logged.String()
	for _, secret := range []string{"Sam Jones", "sam@example.org", "07700", "Large print", "Alex Smith", "alex@advice.org"} {
		if strings.Contains(printed, secret) {
			t.Errorf("%q was printed: %s", secret, printed)
		}
	}
	stored, _ := json.Marshal(contact)
	if !strings.Contains(string(stored), "sam@example.org") || !strings.Contains(string(stored), "Large print") {
		t.Errorf("the store still needs the details: %s", stored)
	}
}
