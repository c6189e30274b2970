package subjectaccess_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
	"github.com/councilhousing/backend/shared/testsupport"
)

// exportFixture is a requester with an ASB case of asbEntries timeline entries of size characters each, a
// complaint of 5 and an application of 40 (and a reference given that names nothing), and another person's
// complaint.
func exportFixture(t *testing.T, asbEntries, size, limit int) (subjectaccess.Service, string) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	sam := contact.Details{Name: "Sam Subject", Email: "sam@example.org"}
	alex := contact.Details{Name: "Alex Other", Email: "alex@example.org"}
	asbs := testsupport.NewStore[asb.Case, asb.Reporter](func(c asb.Case) string { return c.Reference })
	cmps := testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference })
	apps := testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })
	// entries numbered per record, with quotes and '<' that take more bytes escaped than plain
	entries := func(ref string, n int) []casefile.Event {
		var out []casefile.Event
		for i := range n {
			out = append(out, casefile.NewEvent(now, casefile.Actor{Name: "Officer"}, "contact-logged", "",
				map[string]any{"ref": ref, "n": i, "note": strings.Repeat(`"Loud" <music> `, size/15)}))
		}
		return out
	}
	must(asbs.Create(ctx, casework.Stored[asb.Case, asb.Reporter]{Case: asb.Case{Reference: "ASB-SAM", Status: "open"},
		Contact: &asb.Reporter{Name: sam.Name, Email: sam.Email}}, casework.Writes{Events: entries("ASB-SAM", asbEntries)}))
	must(cmps.Create(ctx, casework.Stored[complaints.Complaint, complaints.Contact]{Case: complaints.Complaint{Reference: "CMP-SAM"}},
		casework.Writes{Events: entries("CMP-SAM", 5)}))
	must(cmps.Create(ctx, casework.Stored[complaints.Complaint, complaints.Contact]{Case: complaints.Complaint{Reference: "CMP-ALEX"}},
		casework.Writes{Events: entries("CMP-ALEX", 5)}))
	must(apps.Create(ctx, casework.Stored[register.Record, register.Contact]{Case: register.Record{Reference: "HR-SAM"}},
		casework.Writes{Events: entries("HR-SAM", 40)}))
	listed := []testsupport.Listed{
		{Found: residentaccess.Found{Kind: casefile.ASB, Ref: "ASB-SAM"}, Contact: sam},
		{Found: residentaccess.Found{Kind: casefile.Complaint, Ref: "CMP-SAM"}, Contact: sam},
		{Found: residentaccess.Found{Kind: casefile.Complaint, Ref: "CMP-ALEX"}, Contact: alex},
	}
	reqs := testsupport.NewStore[sar.Request, struct{}](func(r sar.Request) string { return r.Reference })
	svc := subjectaccess.Service{Store: reqs, Outbox: &testsupport.Outbox{}, ASB: asbs, Complaints: cmps, Applications: apps,
		Directory:   &testsupport.Directory{Sources: []func() []testsupport.Listed{func() []testsupport.Listed { return listed }}},
		ExportLimit: limit, TokenKey: []byte("test-key")}
	st, err := svc.Log(ctx, subjectaccess.Log{Input: sar.Input{Email: sam.Email, References: []string{"HR-SAM", "CMP-NONE"},
		ReceivedOn: "2026-11-30", IdentityChecked: "Passport"}, By: ig, At: now})
	must(err)
	return svc, st.Case.Reference
}

// exportAll fetches every part, checking each is under the limit, and the entries of each record (by number).
func exportAll(t *testing.T, svc subjectaccess.Service, ref string, limit int) ([]subjectaccess.Export, map[string][]int, map[string]int) {
	t.Helper()
	var parts []subjectaccess.Export
	entries, heads := map[string][]int{}, map[string]int{}
	token := ""
	for {
		part, err := svc.Export(context.Background(), subjectaccess.ExportPart{Read: subjectaccess.Read{Ref: ref, By: ig, At: now}, Token: token})
		if err != nil {
			t.Fatalf("part %d: %v", len(parts)+1, err)
		}
		b, _ := json.Marshal(part)
		if len(b) > limit {
			t.Errorf("part %d is %d bytes, over the limit of %d", len(parts)+1, len(b), limit)
		}
		parts = append(parts, part)
		t.Logf("part %d: %d bytes, %d records", part.Part, len(b), len(part.Records))
		for _, rec := range part.Records {
			if rec.Record != nil {
				heads[rec.Reference]++
			}
			for _, ev := range rec.Timeline {
				entries[rec.Reference] = append(entries[rec.Reference], int(ev.Details["n"].(float64)))
			}
		}
		if token = part.NextToken; token == "" {
			return parts, entries, heads
		}
		if len(parts) > 1000 {
			t.Fatal("the parts never end")
		}
	}
}

func checkWhole(t *testing.T, entries map[string][]int, heads map[string]int, asbEntries int) {
	t.Helper()
	for ref, n := range map[string]int{"ASB-SAM": asbEntries, "CMP-SAM": 5, "HR-SAM": 40} {
		if heads[ref] != 1 {
			t.Errorf("%s: the record is in %d parts, want exactly 1", ref, heads[ref])
		}
		got := entries[ref]
		if len(got) != n {
			t.Errorf("%s: %d timeline entries across the parts, want each of its %d exactly once", ref, len(got), n)
			continue
		}
		for i, k := range got {
			if k != i {
				t.Errorf("%s: entry %d is number %d: not each once, oldest first", ref, i, k)
				break
			}
		}
	}
	if len(entries["CMP-ALEX"]) > 0 || heads["CMP-ALEX"] > 0 || heads["CMP-NONE"] > 0 {
		t.Errorf("the export holds records that are not the requester's: %v", heads)
	}
}

func TestExport_WholeInOneAnswerWhenItFits(t *testing.T) {
	svc, ref := exportFixture(t, 30, 100, 0)
	parts, entries, heads := exportAll(t, svc, ref, subjectaccess.DefaultExportLimit)
	if len(parts) != 1 || parts[0].Part != 0 || parts[0].Found != nil || parts[0].NextToken != "" || len(parts[0].Records) != 3 {
		t.Fatalf("want one whole answer as before, got %d parts (part %d, found %v, %d records)", len(parts), parts[0].Part, parts[0].Found, len(parts[0].Records))
	}
	checkWhole(t, entries, heads, 30)
}

// A record whose timeline alone is larger than the limit is split across parts by timeline pages; every part is
// under the limit, lists every record found, and the parts hold each record and each entry exactly once.
func TestExport_InPartsUnderTheLimitWhenTooLarge(t *testing.T) {
	const limit = 64 << 10
	svc, ref := exportFixture(t, 300, 1000, limit) // the ASB case's timeline alone is ~330 KB
	parts, entries, heads := exportAll(t, svc, ref, limit)
	if len(parts) < 5 {
		t.Fatalf("%d parts, want the export split", len(parts))
	}
	for i, p := range parts {
		if p.Part != i+1 || len(p.Found) != 3 || len(p.Records) == 0 {
			t.Errorf("part %d: numbered %d, lists %d records found (want 3), carries %d", i+1, p.Part, len(p.Found), len(p.Records))
		}
	}
	checkWhole(t, entries, heads, 300)

	// each part is on the request's timeline, numbered, without content
	h, err := svc.Store.History(context.Background(), ref, 1000, "")
	if err != nil {
		t.Fatal(err)
	}
	audited := 0
	for _, ev := range h.Events {
		if ev.Action == "subject-access-exported" && ev.Details["part"] != nil {
			audited++
		}
		if b, _ := json.Marshal(ev); strings.Contains(string(b), "Loud") {
			t.Errorf("the request's timeline holds a record's content: %s", b)
		}
	}
	if audited != len(parts) {
		t.Errorf("%d parts audited on the request's timeline, want %d", audited, len(parts))
	}
}

func TestExport_RealLimitSplitsALongHistory(t *testing.T) {
	svc, ref := exportFixture(t, 1000, 5000, 0) // 1,000 logged contacts of 5,000 characters: ~8 MB as JSON
	parts, entries, heads := exportAll(t, svc, ref, subjectaccess.DefaultExportLimit)
	if len(parts) < 2 {
		t.Fatalf("%d parts, want the export split", len(parts))
	}
	checkWhole(t, entries, heads, 1000)
}

func TestExport_TamperedOrForeignTokenIs400(t *testing.T) {
	const limit = 64 << 10
	svc, ref := exportFixture(t, 300, 1000, limit)
	first, err := svc.Export(context.Background(), subjectaccess.ExportPart{Read: subjectaccess.Read{Ref: ref, By: ig, At: now}})
	if err != nil || first.NextToken == "" {
		t.Fatalf("first part: %v, token %q", err, first.NextToken)
	}
	other, err := svc.Log(context.Background(), subjectaccess.Log{Input: sar.Input{Email: "sam@example.org", ReceivedOn: "2026-11-30", IdentityChecked: "Passport"}, By: ig, At: now})
	if err != nil {
		t.Fatal(err)
	}
	payload, mac, _ := strings.Cut(first.NextToken, ".")
	forged, _ := json.Marshal(map[string]any{"n": 1, "r": "CMP-ALEX"})
	for name, c := range map[string]struct{ ref, token, format string }{
		"signature changed": {ref, payload + "." + flipped(mac), ""},
		"payload changed":   {ref, flipped(payload) + "." + mac, ""},
		"forged payload":    {ref, base64.RawURLEncoding.EncodeToString(forged) + "." + mac, ""},
		"not a token":       {ref, "part-2", ""},
		"too long":          {ref, strings.Repeat("a", 3000) + "." + mac, ""},
		"another request's": {other.Case.Reference, first.NextToken, ""},
		"another format's":  {ref, first.NextToken, "html"},
	} {
		_, err := svc.Export(context.Background(), subjectaccess.ExportPart{Read: subjectaccess.Read{Ref: c.ref, By: ig, At: now}, Token: c.token, Format: c.format})
		if e, _ := apperr.As(err); e == nil || e.Code != apperr.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != "nextToken" {
			t.Errorf("%s: %v, want a 400 naming nextToken", name, err)
		}
	}
	if _, err := svc.Export(context.Background(), subjectaccess.ExportPart{Read: subjectaccess.Read{Ref: ref, By: ig, At: now}, Token: first.NextToken}); err != nil {
		t.Errorf("the real token: %v", err)
	}
}

// An entry larger than a part is an error, never a part without progress (or one over the limit).
func TestExport_EntryLargerThanAPartIsAnError(t *testing.T) {
	svc, ref := exportFixture(t, 3, 40_000, 32<<10)
	token := ""
	for range 10 {
		part, err := svc.Export(context.Background(), subjectaccess.ExportPart{Read: subjectaccess.Read{Ref: ref, By: ig, At: now}, Token: token})
		if err != nil {
			return
		}
		if token = part.NextToken; token == "" {
			t.Fatal("an export with an entry larger than a part ended without an error")
		}
	}
	t.Fatal("the parts never end")
}

// flipped is s with its first character changed (always: ToUpper would leave "A1B2..." as it was).
func flipped(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}
