package subjectaccess_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/app/retention"
	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
	rules "github.com/councilhousing/backend/shared/rules/retention"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/workdays"
	"github.com/councilhousing/backend/shared/testsupport"
)

var now = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

var ig = casework.Staff{ID: "ig-1", Name: "Ira Governance", Groups: []string{sar.Group}}

type fixture struct {
	svc  subjectaccess.Service
	mem  *testsupport.Retention
	reqs *testsupport.Store[sar.Request, struct{}]
	ref  string
}

// sam has an open ASB case with a safeguarding referral, a complaint closed two years ago, an application still
// on the register and one withdrawn; alex has a closed complaint.
func setup(t *testing.T) fixture {
	t.Helper()
	sam := contact.Details{Name: "Sam Subject", Email: "sam@example.org", Phone: "07700 900111", Address: "1 Acre Lane"}
	alex := contact.Details{Name: "Alex Other", Email: "alex@example.org"}
	ctx := context.Background()
	asbs := testsupport.NewStore[asb.Case, asb.Reporter](func(c asb.Case) string { return c.Reference })
	cmps := testsupport.NewStore[complaints.Complaint, complaints.Contact](func(c complaints.Complaint) string { return c.Reference })
	apps := testsupport.NewStore[register.Record, register.Contact](func(r register.Record) string { return r.Reference })
	answered := now.AddDate(-2, 0, 0)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(asbs.Create(ctx, casework.Stored[asb.Case, asb.Reporter]{Case: asb.Case{Reference: "ASB-SAM", Status: "open",
		Referrals: []asb.Referral{{Kind: "safeguarding"}}}}, casework.Writes{}))
	must(cmps.Create(ctx, casework.Stored[complaints.Complaint, complaints.Contact]{Case: complaints.Complaint{Reference: "CMP-SAM",
		Status: complaints.StatusClosed, Stages: []complaints.Stage{{}, {RespondedAt: &answered}}}}, casework.Writes{}))
	must(cmps.Create(ctx, casework.Stored[complaints.Complaint, complaints.Contact]{Case: complaints.Complaint{Reference: "CMP-ALEX",
		Status: complaints.StatusClosed, Stages: []complaints.Stage{{}, {RespondedAt: &answered}}}}, casework.Writes{}))
	must(apps.Create(ctx, casework.Stored[register.Record, register.Contact]{Case: register.Record{Reference: "HR-SAM"}}, casework.Writes{}))
	must(apps.Create(ctx, casework.Stored[register.Record, register.Contact]{Case: register.Record{Reference: "HR-SAM-OLD",
		Council: register.Council{Closure: &register.Closure{Reason: register.ClosedWithdrawn, ClosedOn: workdays.DateOf(now.AddDate(0, -3, 0))}}}}, casework.Writes{}))
	listed := []testsupport.Listed{
		{Found: residentaccess.Found{Kind: casefile.ASB, Ref: "ASB-SAM"}, Contact: sam},
		{Found: residentaccess.Found{Kind: casefile.Complaint, Ref: "CMP-SAM"}, Contact: sam},
		{Found: residentaccess.Found{Kind: casefile.Complaint, Ref: "CMP-ALEX"}, Contact: alex},
		{Found: residentaccess.Found{Kind: casefile.Application, Ref: "HR-SAM"}, Contact: sam},
		{Found: residentaccess.Found{Kind: casefile.Application, Ref: "HR-SAM-OLD"}, Contact: sam},
	}
	mem := testsupport.NewRetention()
	for _, l := range listed {
		mem.Contacts[l.Found.Ref] = l.Contact
	}
	schedule, err := retention.ScheduleFrom(func(catalog.Setting) string { return "" })
	must(err)
	reqs := testsupport.NewStore[sar.Request, struct{}](func(r sar.Request) string { return r.Reference })
	svc := subjectaccess.Service{Store: reqs, Outbox: &testsupport.Outbox{}, ASB: asbs, Complaints: cmps, Applications: apps,
		Directory: &testsupport.Directory{Sources: []func() []testsupport.Listed{func() []testsupport.Listed { return listed }}},
		Schedule:  schedule, Anonymiser: mem, Contacts: mem}
	st, err := svc.Log(ctx, subjectaccess.Log{Input: sar.Input{Email: sam.Email, ReceivedOn: "2026-11-30", IdentityChecked: "Passport"}, By: ig, At: now})
	must(err)
	return fixture{svc: svc, mem: mem, reqs: reqs, ref: st.Case.Reference}
}

func (f fixture) timeline(t *testing.T) string {
	t.Helper()
	h, err := f.reqs.History(context.Background(), f.ref, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(h.Events)
	return string(b)
}

func TestErasure_RefusedWithReasonsAndGrantedWhereTheLawAllows(t *testing.T) {
	f := setup(t)
	res, err := f.svc.Erase(context.Background(), subjectaccess.Erase{Ref: f.ref, By: ig, At: now, Input: rules.ErasureInput{Grounds: "I no longer want you to hold my data"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]subjectaccess.ErasureOutcome{}
	for _, o := range res.Records {
		got[o.Reference] = o
	}
	for ref, want := range map[string]struct{ outcome, rule string }{
		"ASB-SAM":    {subjectaccess.Refused, rules.RulePublicTask},
		"CMP-SAM":    {subjectaccess.Erased, rules.RuleErasure},
		"HR-SAM":     {subjectaccess.Refused, rules.RulePublicTask},
		"HR-SAM-OLD": {subjectaccess.Erased, rules.RuleErasure},
	} {
		if o := got[ref]; o.Outcome != want.outcome || o.Rule != want.rule || o.Reason == "" {
			t.Errorf("%s: %+v, want %s citing %s", ref, o, want.outcome, want.rule)
		}
	}
	if _, other := got["CMP-ALEX"]; other || len(res.Records) != 4 {
		t.Errorf("decided on records that are not the requester's: %+v", res.Records)
	}
	if m := f.mem.Marks["CMP-SAM"]; m.Entry != retention.EntryErasure || m.Request != f.ref || m.Rule != rules.RuleErasure {
		t.Errorf("erased complaint's mark: %+v", m)
	}
	if _, ok := f.mem.Marks["ASB-SAM"]; ok {
		t.Error("the refused ASB case was anonymised")
	}
	tl := f.timeline(t)
	for _, want := range []string{`"erasure-decided"`, `"ASB-SAM"`, `"refused"`, rules.RulePublicTask, `"erased"`} {
		if !strings.Contains(tl, want) {
			t.Errorf("the request's timeline lacks %s: %s", want, tl)
		}
	}
	if strings.Contains(tl, "sam@example.org") || strings.Contains(tl, "I no longer want") {
		t.Errorf("the erasure's audit entry holds personal data: %s", tl)
	}
}

func TestErasure_SomeoneElsesRecordIs422AtItsField(t *testing.T) {
	f := setup(t)
	_, err := f.svc.Erase(context.Background(), subjectaccess.Erase{Ref: f.ref, By: ig, At: now,
		Input: rules.ErasureInput{Grounds: "x", References: []string{"CMP-SAM", "CMP-ALEX"}}})
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Unprocessable || len(e.Fields) != 1 || e.Fields[0].Field != "references[1]" {
		t.Fatalf("got %v", err)
	}
	if f.mem.Anonymises != 0 {
		t.Error("something was anonymised")
	}
	if _, err := f.svc.Erase(context.Background(), subjectaccess.Erase{Ref: f.ref, By: ig, At: now}); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("no grounds: %v", err)
	}
	officer := casework.Staff{ID: "o-1", Groups: []string{"asb-officer"}}
	if _, err := f.svc.Erase(context.Background(), subjectaccess.Erase{Ref: f.ref, By: officer, At: now, Input: rules.ErasureInput{Grounds: "x"}}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Errorf("an ASB officer erased: %v", err)
	}
}

func TestRectification_ContactDetailCorrectedAndAuditedWithoutValuesOnTheRequest(t *testing.T) {
	f := setup(t)
	res, err := f.svc.Rectify(context.Background(), subjectaccess.Rectify{Ref: f.ref, By: ig, At: now,
		Input: rules.Rectification{Record: "CMP-SAM", Field: rules.FieldAddress, Value: "2 Birch Road", Reason: "Moved in October"}})
	if err != nil || !res.Changed || res.Record != "CMP-SAM" {
		t.Fatalf("%+v %v", res, err)
	}
	if f.mem.Contacts["CMP-SAM"].Address != "2 Birch Road" {
		t.Errorf("address: %+v", f.mem.Contacts["CMP-SAM"])
	}
	evs := f.mem.Events["CMP-SAM"]
	if len(evs) != 1 || evs[0].Action != "contact-rectified" || evs[0].Details["from"] != "1 Acre Lane" || evs[0].Details["to"] != "2 Birch Road" || evs[0].Rule != rules.RuleRectification {
		t.Errorf("the record's timeline entry: %+v", evs)
	}
	if tl := f.timeline(t); !strings.Contains(tl, `"rectification-decided"`) || strings.Contains(tl, "Birch") || strings.Contains(tl, "Acre") {
		t.Errorf("the request's timeline: %s", tl)
	}
	for _, tc := range []struct {
		in    rules.Rectification
		code  apperr.Code
		field string
	}{
		{rules.Rectification{Record: "CMP-SAM", Field: "dateOfBirth", Value: "x", Reason: "y"}, apperr.Invalid, "field"},
		{rules.Rectification{Record: "CMP-SAM", Field: rules.FieldEmail, Value: "not an email", Reason: "y"}, apperr.Invalid, "value"},
		{rules.Rectification{Record: "CMP-ALEX", Field: rules.FieldName, Value: "Sam", Reason: "y"}, apperr.Unprocessable, "record"},
	} {
		_, err := f.svc.Rectify(context.Background(), subjectaccess.Rectify{Ref: f.ref, By: ig, At: now, Input: tc.in})
		e, ok := apperr.As(err)
		if !ok || e.Code != tc.code || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
			t.Errorf("%+v: %v", tc.in, err)
		}
	}
}
