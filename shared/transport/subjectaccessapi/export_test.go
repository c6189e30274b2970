package subjectaccessapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/subjectaccessapi"
)

// Each part of an export, as JSON and as the HTML page, is under the limit as the Lambda response carries it
// (escaped as a JSON string), though its content is quotes, apostrophes and angle brackets that grow when escaped.
func TestExportPartsAreUnderTheLimitAsCarried(t *testing.T) {
	const limit = 64 << 10
	ctx := context.Background()
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	ig := casework.Staff{ID: "ig-1", Name: "Ira Governance", Groups: []string{sar.Group}}
	sam := contact.Details{Name: "Sam Subject", Email: "sam@example.org"}
	asbs := testsupport.NewStore[asb.Case, asb.Reporter](func(c asb.Case) string { return c.Reference })
	var entries []casefile.Event
	for i := range 200 {
		entries = append(entries, casefile.NewEvent(now, casefile.Actor{Name: "O'Brien"}, "contact-logged", "",
			map[string]any{"n": i, "note": strings.Repeat(`'"<&>" `, 150)}))
	}
	if err := asbs.Create(ctx, casework.Stored[asb.Case, asb.Reporter]{Case: asb.Case{Reference: "ASB-SAM", Description: `"It's <loud>"`},
		Contact: &asb.Reporter{Name: sam.Name, Email: sam.Email}}, casework.Writes{Events: entries}); err != nil {
		t.Fatal(err)
	}
	listed := []testsupport.Listed{{Found: residentaccess.Found{Kind: casefile.ASB, Ref: "ASB-SAM"}, Contact: sam}}
	svc := subjectaccess.Service{Store: testsupport.NewStore[sar.Request, struct{}](func(r sar.Request) string { return r.Reference }),
		Outbox: &testsupport.Outbox{}, ASB: asbs,
		Complaints:   testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference }),
		Applications: testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference }),
		Directory:    &testsupport.Directory{Sources: []func() []testsupport.Listed{func() []testsupport.Listed { return listed }}},
		ExportLimit:  limit, TokenKey: []byte("test-key")}
	st, err := svc.Log(ctx, subjectaccess.Log{Input: sar.Input{Email: sam.Email, ReceivedOn: "2026-11-30", IdentityChecked: "Passport"}, By: ig, At: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "html"} {
		measure, token, rows := subjectaccessapi.MeasureJSON, "", 0
		if format == "html" {
			measure = subjectaccessapi.MeasureHTML
		}
		for part := 1; ; part++ {
			e, err := svc.Export(ctx, subjectaccess.ExportPart{Read: subjectaccess.Read{Ref: st.Case.Reference, By: ig, At: now}, Token: token, Measure: measure})
			if err != nil {
				t.Fatalf("%s part %d: %v", format, part, err)
			}
			body, _ := json.Marshal(e)
			if format == "html" {
				page, err := subjectaccessapi.HTML(e)
				if err != nil {
					t.Fatal(err)
				}
				body = []byte(page)
				rows += strings.Count(page, "<tr><td>")
				if !strings.Contains(page, "part "+itoa(part)) || (e.NextToken != "" && !strings.Contains(page, e.NextToken)) {
					t.Errorf("html part %d does not say which part it is or how to fetch the next", part)
				}
			} else {
				for _, r := range e.Records {
					rows += len(r.Timeline)
				}
			}
			carried, _ := json.Marshal(string(body))
			if len(carried) > limit {
				t.Errorf("%s part %d is %d bytes as carried, over %d", format, part, len(carried), limit)
			}
			if token = e.NextToken; token == "" {
				break
			}
		}
		if rows != 200 {
			t.Errorf("%s: %d timeline entries across the parts, want 200", format, rows)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
