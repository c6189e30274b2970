package dynamo

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	rules "github.com/councilhousing/backend/shared/rules/retention"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

func partition(t *testing.T, s *Store, pk string) map[string]map[string]types.AttributeValue {
	t.Helper()
	items, err := s.NewQuery(queryInput(s.Cases, "", "pk = :pk", map[string]types.AttributeValue{":pk": S(pk)})).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]types.AttributeValue{}
	for _, it := range items {
		out[str(it["sk"])] = it
	}
	return out
}

// Anonymising an ASB case against DynamoDB Local: its contact, match, subject, deadline and notification items go
// (and what is kept about its notifications elsewhere), its timeline entries and further reports keep only what
// is counted, its list entries stay as they were, so the month's figures are the same; the case is marked, reads
// as anonymised, and a second anonymising does nothing.
func TestAnonymiseRemovesPersonalDataAndKeepsTheReportsFigures(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	a := NewASBCases(s)
	received := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	c := asbCase("ASB-ANON", "noise", asb.ChannelOnline, received, "reporterhash")
	c.Subject, c.SubjectKeys = "Jo Bloggs", []string{"subjecthash"}
	c.Location.Address = "Flat 9, Secret Street"
	by := casefile.Actor{ID: "o1", Name: "Officer One"}
	err := a.Create(ctx, asbcases.Stored{Case: c, Contact: &asb.Reporter{Name: "Rita Reporter", Email: "rita@example.org"}}, casework.Writes{
		Events: []casefile.Event{casefile.NewEvent(received, casefile.ByResident, "reported", "ASB-1", map[string]any{"description": "Secret Street music"})},
		Items: []casework.Item{{Kind: asbcases.ItemIncident, ID: "I2", Value: map[string]any{"description": "Secret Street again"}, Reporter: "otherhash",
			Dated: asbcases.DatedIncidents, At: received.Add(time.Hour)}}})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := a.Load(ctx, "ASB-ANON")
	closed := st.Case
	if _, err := closed.Close(asb.Closure{Outcome: "done"}, by, received.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Save(ctx, st, closed, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	// a notification sent about the case: its lease in the partition and its record elsewhere
	for _, it := range []map[string]types.AttributeValue{Key("ASB#ASB-ANON", SKLease+"ASB-ANON-n1"), Key(NotifiedKey("ASB-ANON-n1"), SKNotified)} {
		if _, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.Cases, Item: it}); err != nil {
			t.Fatal(err)
		}
	}
	month := func() (int, int, int) {
		rec, cl, err := a.Month(ctx, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		further, err := a.FurtherReports(ctx, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		return len(rec), len(cl), further
	}
	r0, c0, f0 := month()
	before := partition(t, s, "ASB#ASB-ANON")

	an := Anonymiser{Store: s}
	mark := retention.Mark{On: time.Date(2032, 12, 1, 2, 30, 0, 0, time.UTC), Entry: "retention.asbCaseClosed", Rule: rules.RuleStorageLimitation}
	if done, err := an.Anonymise(ctx, casefile.ASB, "ASB-ANON", mark); !done || err != nil {
		t.Fatalf("anonymise: %v %v", done, err)
	}
	after := partition(t, s, "ASB#ASB-ANON")
	for sk, it := range after {
		raw := strings.ToLower(strings.Join(values(it), " "))
		for _, leak := range []string{"rita", "jo bloggs", "secret street", "reporterhash", "subjecthash", "otherhash"} {
			if strings.Contains(raw, leak) {
				t.Errorf("%s still holds %q", sk, leak)
			}
		}
		switch {
		case sk == SKContact || strings.HasPrefix(sk, SKSubject) || strings.HasPrefix(sk, SKMatch) || strings.HasPrefix(sk, SKLease) || strings.HasPrefix(sk, SKDeadline):
			t.Errorf("%s is still stored", sk)
		case strings.HasPrefix(sk, SKList):
			if !reflect.DeepEqual(it, before[sk]) {
				t.Errorf("list entry %s changed", sk)
			}
		case strings.HasPrefix(sk, SKItem):
			if it["data"] != nil || it[AttrContactPK] != nil || it[AttrEventPK] == nil {
				t.Errorf("further report %s: %v", sk, it)
			}
		}
		if _, ok := it[AttrContactPK]; ok {
			t.Errorf("%s is still in the byContact index", sk)
		}
	}
	if len(partition(t, s, NotifiedKey("ASB-ANON-n1"))) != 0 {
		t.Error("the notification's record was kept")
	}
	head := after[SKCase]
	if str(head[AttrAnonymised]) != "2032-12-01" || str(head["retentionEntry"]) != "retention.asbCaseClosed" {
		t.Errorf("the mark: %v", head)
	}
	if r1, c1, f1 := month(); r1 != r0 || c1 != c0 || f1 != f0 || r0 != 1 || c0 != 1 || f0 != 1 {
		t.Errorf("the month's figures: received %d->%d, closed %d->%d, further reports %d->%d", r0, r1, c0, c1, f0, f1)
	}
	if _, err := a.Load(ctx, "ASB-ANON"); apperr.CodeOf(err) != apperr.NotFound || !strings.Contains(err.Error(), "anonymised on 2032-12-01") {
		t.Errorf("loading an anonymised case: %v", err)
	}
	h, _ := a.History(ctx, "ASB-ANON", 10, "")
	if len(h.Events) != 2 || h.Events[0].Action != "anonymised" || h.Events[1].Details["anonymised"] != true {
		t.Errorf("timeline after: %+v", h.Events)
	}
	if done, err := an.Anonymise(ctx, casefile.ASB, "ASB-ANON", mark); done || err != nil {
		t.Errorf("a second anonymising: %v %v", done, err)
	}
	if done, err := an.Anonymise(ctx, casefile.ASB, "ASB-NONE", mark); done || err != nil {
		t.Errorf("an unknown record: %v %v", done, err)
	}
}

func values(it map[string]types.AttributeValue) []string {
	var out []string
	for k, v := range it {
		out = append(out, k)
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			out = append(out, x.Value)
		case *types.AttributeValueMemberM:
			out = append(out, values(x.Value)...)
		case *types.AttributeValueMemberL:
			for _, e := range x.Value {
				out = append(out, values(map[string]types.AttributeValue{"": e})...)
			}
		}
	}
	return out
}

// The ended lists against DynamoDB Local: a complaint refused and applications closed (withdrawn; housed) are in
// their entry's list by the day they ended, read by key up to a day and from where the job stopped.
func TestEndedListsByKeyFromTheJobsPlace(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	cmps, apps := NewComplaints(s), NewApplications(s)
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	cm, ev, err := complaints.Submit("CMP-END", complaintSubmission("2026-03-01"), at)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmps.Create(ctx, complaintcases.Stored{Case: cm, Contact: &complaints.Contact{Details: complaintSubmission("").Complainant}}, casework.Writes{Events: []casefile.Event{ev}}); err != nil {
		t.Fatal(err)
	}
	st, _ := cmps.Load(ctx, "CMP-END")
	refused := st.Case
	refused.Status, refused.Refusal = complaints.StatusRefused, &complaints.Refusal{Exclusion: "legal-proceedings", At: at.Add(time.Hour)}
	if _, err := cmps.Save(ctx, st, refused, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	for ref, reason := range map[string]string{"HR-WITHDRAWN": register.ClosedWithdrawn, "HR-HOUSED": register.ClosedHoused} {
		r := register.Record{Reference: ref, ReceivedAt: at, Council: register.Council{Closure: &register.Closure{Reason: reason, ClosedOn: workdays.DateOf(at)}}}
		if err := apps.Create(ctx, registercases.Stored{Case: r}, casework.Writes{}); err != nil {
			t.Fatal(err)
		}
	}
	lists := EndedLists{Store: s}
	read := func(kind casefile.Kind, outcome string, by time.Time) []string {
		var refs []string
		for shard := range lists.Shards() {
			page, err := lists.Page(ctx, rules.Entry{Kind: kind, Outcome: outcome}, shard, by, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				refs = append(refs, e.Ref)
			}
		}
		return refs
	}
	if got := read(casefile.Complaint, rules.OutcomeClosed, at); len(got) != 0 {
		t.Errorf("ended after the day asked: %v", got)
	}
	if got := read(casefile.Complaint, rules.OutcomeClosed, at.Add(2*time.Hour)); len(got) != 1 || got[0] != "CMP-END" {
		t.Errorf("complaints ended: %v", got)
	}
	if got := read(casefile.Application, rules.OutcomeClosed, at.AddDate(0, 0, 1)); len(got) != 1 || got[0] != "HR-WITHDRAWN" {
		t.Errorf("applications closed: %v", got)
	}
	if got := read(casefile.Application, rules.OutcomeHoused, at.AddDate(0, 0, 1)); len(got) != 1 || got[0] != "HR-HOUSED" {
		t.Errorf("applications housed: %v", got)
	}
	e := rules.Entry{Kind: casefile.Complaint, Outcome: rules.OutcomeClosed}
	if err := lists.Advance(ctx, e, int(ShardOf("CMP-END")[0]-'0'), rules.Ended{Ref: "CMP-END", At: refused.Refusal.At}); err != nil {
		t.Fatal(err)
	}
	if got := read(casefile.Complaint, rules.OutcomeClosed, at.AddDate(1, 0, 0)); len(got) != 0 {
		t.Errorf("read again after the job's place: %v", got)
	}
	// a period made longer puts the cut-off before the place: nothing is due, and the key range is never inverted
	if got := read(casefile.Complaint, rules.OutcomeClosed, at.AddDate(-1, 0, 0)); len(got) != 0 {
		t.Errorf("read before the place: %v", got)
	}
}

// Rectifying a complainant's email address against DynamoDB Local: the contact item holds the new address, the
// complaint's timeline has the change, and the directory finds it by the new address and no longer by the old.
func TestRectifyMovesTheLookupKeys(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	cmps := NewComplaints(s)
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	cm, ev, err := complaints.Submit("CMP-RECT", complaintSubmission("2026-03-01"), at)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmps.Create(ctx, complaintcases.Stored{Case: cm, Contact: &complaints.Contact{Details: complaintSubmission("").Complainant}}, casework.Writes{Events: []casefile.Event{ev}}); err != nil {
		t.Fatal(err)
	}
	ed, dir := ContactEditor{Store: s}, ContactDirectory{Store: s}
	find := func(email string) int {
		c, err := residentaccess.ParseContact(email)
		if err != nil {
			t.Fatal(err)
		}
		found, err := dir.Find(ctx, c, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(found)
	}
	if find("sam@example.org") != 1 {
		t.Fatal("not found by the old address before")
	}
	change := casefile.NewEvent(at.Add(time.Minute), casefile.Actor{ID: "ig-1", Name: "IG"}, "contact-rectified", rules.RuleRectification, map[string]any{"field": "email"})
	if err := ed.Rectify(ctx, casefile.Complaint, "CMP-RECT", rules.FieldEmail, "sam@example.org", "sam.new@example.org", change); err != nil {
		t.Fatal(err)
	}
	got, err := ed.Contact(ctx, casefile.Complaint, "CMP-RECT")
	if err != nil || got != (contact.Details{Name: "Sam", Email: "sam.new@example.org"}) {
		t.Errorf("contact after: %+v %v", got, err)
	}
	if find("sam.new@example.org") != 1 || find("sam@example.org") != 0 {
		t.Errorf("directory: new %d, old %d", find("sam.new@example.org"), find("sam@example.org"))
	}
	if err := ed.Rectify(ctx, casefile.Complaint, "CMP-RECT", rules.FieldEmail, "sam@example.org", "x@example.org", change); apperr.CodeOf(err) != apperr.Conflict {
		t.Errorf("a rectification from a stale value: %v", err)
	}
	h, _ := cmps.History(ctx, "CMP-RECT", 10, "")
	if len(h.Events) != 2 || h.Events[0].Action != "contact-rectified" {
		t.Errorf("timeline: %+v", h.Events)
	}
}

// A merged ASB case and a refused application against DynamoDB Local: each is in its own ended list from the
// change that ended it (the merged case never in the closed list the monthly report counts); an application
// that qualifies again leaves its list with the change, and the same list entry is rewritten without the keys.
func TestEndedListsOfMergedCasesAndRefusedApplications(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	a, apps, lists := NewASBCases(s), NewApplications(s), EndedLists{Store: s}
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	by := casefile.Actor{ID: "o1", Name: "Officer One"}
	read := func(kind casefile.Kind, outcome string, endedBy time.Time) []string {
		t.Helper()
		var refs []string
		for shard := range lists.Shards() {
			page, err := lists.Page(ctx, rules.Entry{Kind: kind, Outcome: outcome}, shard, endedBy, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range page {
				refs = append(refs, e.Ref+"@"+e.At.Format(time.RFC3339))
			}
		}
		return refs
	}

	for _, ref := range []string{"ASB-KEEP", "ASB-JOIN"} {
		if err := a.Create(ctx, asbcases.Stored{Case: asbCase(ref, "noise", asb.ChannelOnline, at, ""), Contact: &asb.Reporter{Name: "R", Email: "r@example.org"}}, casework.Writes{}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := a.Load(ctx, "ASB-JOIN")
	merged := st.Case
	mergedAt := at.Add(2 * time.Hour)
	if _, err := merged.MergeInto("ASB-KEEP", asb.CaseMerge{From: "ASB-JOIN", Reason: "Same flat"}, by, mergedAt); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Save(ctx, st, merged, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	if got := read(casefile.ASB, rules.OutcomeMerged, at.AddDate(0, 0, 1)); len(got) != 1 || got[0] != "ASB-JOIN@2026-03-10T14:00:00Z" {
		t.Errorf("merged cases: %v", got)
	}
	if got := read(casefile.ASB, rules.OutcomeClosed, at.AddDate(0, 0, 1)); len(got) != 0 {
		t.Errorf("a merged case is in the closed list: %v", got)
	}
	if _, closed, err := a.Month(ctx, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)); err != nil || len(closed) != 0 {
		t.Errorf("the month's closed cases count a merged case: %v %v", closed, err)
	}

	app := register.Application{Applicant: register.Applicant{Details: contact.Details{Name: "Jo", Email: "jo@example.org", Address: "1 Example Road", Postcode: "NN1 1DE"},
		DateOfBirth: "1990-05-01"}, Age: 36, EligibleImmigrationStatus: true} // no need claimed: not qualifying (HR-E2)
	r, ev := register.NewRecord("HR-REFUSED", app, at)
	if err := apps.Create(ctx, registercases.Stored{Case: r, Contact: &register.Contact{Details: app.Applicant.Details}}, casework.Writes{Events: []casefile.Event{ev}}); err != nil {
		t.Fatal(err)
	}
	if got := read(casefile.Application, rules.OutcomeRefused, at.AddDate(0, 0, 1)); r.Decision.Status != register.StatusNotQualifying || len(got) != 1 || got[0] != "HR-REFUSED@2026-03-10T12:00:00Z" {
		t.Errorf("refused applications (%s): %v", r.Decision.Status, got)
	}
	if got := read(casefile.Application, rules.OutcomeClosed, at.AddDate(0, 0, 1)); len(got) != 0 {
		t.Errorf("a refused application is in the closed list: %v", got)
	}
	ast, err := apps.Load(ctx, "HR-REFUSED")
	if err != nil {
		t.Fatal(err)
	}
	again := ast.Case
	if _, err := again.ChangeCircumstances(register.CircumstancesChange{Circumstances: []string{"sharing-facilities"}}, by, at.AddDate(0, 1, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := apps.Save(ctx, ast, again, casework.Writes{}); err != nil {
		t.Fatal(err)
	}
	if got := read(casefile.Application, rules.OutcomeRefused, at.AddDate(1, 0, 0)); again.Decision.Refused() || len(got) != 0 {
		t.Errorf("an application that qualifies again (%s) is still ended: %v", again.Decision.Status, got)
	}
	if all := partition(t, s, CaseKey(casefile.Application, "HR-REFUSED"))[SKList+"all"]; all == nil || all[AttrEventPK] != nil || all[AttrEventSK] != nil {
		t.Errorf("the list entry after qualifying again: %v", all)
	}
}
