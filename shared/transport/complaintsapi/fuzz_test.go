package complaintsapi

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/testsupport/routefuzz"
)

// The README's curl bodies for a complaint (dates as of 23 December 2026), and variants near the edges of what
// is valid.
var complaintSeeds = []string{
	`{
  "description": "My boiler repair was booked three times and nobody came.", "outcomesSought": "Fix the boiler and apologise",
  "serviceArea": "repairs", "issueDate": "2026-12-13", "legalProceedings": false,
  "complainant": {"name": "Sam Example", "email": "sam@example.org", "preferredContact": "email", "language": "en"}}`,
	`{"description":"No heating","outcomesSought":"Fix it",
  "serviceArea":"repairs","issueDate":"2026-11-20","complainant":{"name":"Sam","email":"sam@example.org","preferredContact":"email"}}`,
	`{"description":"x","outcomesSought":"y","serviceArea":"repairs","issueDate":"2025-12-22","legalProceedings":true,
  "complainant":{"name":"Sam","phone":"07700 900123","preferredContact":"sms","adjustments":"Large print"},
  "representative":{"name":"Advocate","email":"rep@example.org","consent":true}}`,
	`{"description":"x","outcomesSought":"y","serviceArea":"repairs","issueDate":"2026-12-24",
  "complainant":{"name":"Sam","address":"1 Road","preferredContact":"letter"},"representative":{"name":"Rep","consent":false}}`,
	`{"description":"x","outcomesSought":"y","serviceArea":"repairs","issueDate":"1899-12-31","complainant":{"name":"Sam","email":"a@b.co"}}`,
	`{"description":"x","outcomesSought":"y","serviceArea":"repairs","issueDate":"2026-02-30","complainant":{"name":"Sam","email":"a@b.co"}}`,
	`{"description":" ","outcomesSought":"\t","serviceArea":"\n","issueDate":" 2026-12-01","complainant":{"name":"  ","email":" "}}`,
	`{"description":"` + strings.Repeat("d", 10001) + `","outcomesSought":"` + strings.Repeat("o", 5001) + `","serviceArea":"` +
		strings.Repeat("s", 101) + `","issueDate":"2026-12-01","complainant":{"name":"Sam","email":"a@b.co","adjustments":"` + strings.Repeat("a", 1001) + `"}}`,
}

// FuzzComplaintBody: any body sent to POST /complaints, read as the handler reads it and validated, is either a
// valid submission that encodes and reads back the same, or an error a caller may be shown (bounded, not 5xx).
// The whole handler, over the in-memory store, never answers 5xx or an unbounded answer; it answers 201 exactly
// for the valid submissions (then one complaint is stored and the complainant can read it with their token);
// for the others nothing is stored and nobody is told anything.
func FuzzComplaintBody(f *testing.F) {
	testsupport.QuietLogs(f)
	for _, s := range append(complaintSeeds, testsupport.HostileBodies()...) {
		f.Add(s)
	}
	now := day("2026-12-23")

	f.Fuzz(func(t *testing.T, body string) {
		_, valid := routefuzz.Decode(t, body, func(s complaints.Submission) error { return s.Validate(now) })

		fx := newFixture(t)
		resp, err := fx.h(context.Background(), testsupport.Request{Route: "POST /complaints", Body: body, At: now}.Event())
		if err != nil {
			t.Fatal(err)
		}
		answer := testsupport.CheckAnswer(t, resp)
		if valid != (resp.StatusCode == http.StatusCreated) {
			t.Fatalf("valid=%v but answered %d: %.500s", valid, resp.StatusCode, resp.Body)
		}
		stored := fx.store.All()
		if !valid {
			if len(stored) != 0 || len(fx.outbox.Delivered) != 0 {
				t.Fatalf("answered %d but stored %d complaints, sent %d messages", resp.StatusCode, len(stored), len(fx.outbox.Delivered))
			}
			return
		}
		ref, _ := answer["reference"].(string)
		token, _ := answer["accessToken"].(string)
		if len(stored) != 1 || stored[0].Reference != ref || token == "" {
			t.Fatalf("201 for %q, stored %d complaints", ref, len(stored))
		}
		view, err := fx.h(context.Background(), testsupport.Request{Route: "GET /complaints/{reference}", Path: map[string]string{"reference": ref},
			Token: token, At: now}.Event())
		if err != nil || view.StatusCode != http.StatusOK {
			t.Fatalf("the complainant cannot read %s: %d %s", ref, view.StatusCode, view.Body)
		}
		testsupport.CheckAnswer(t, view)
	})
}
