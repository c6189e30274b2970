package asbcases_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
)

var officer = casework.Staff{ID: "officer-1", Name: "Olu Officer", Groups: []string{catalog.GroupASBOfficer}}

// monday is Monday 23 November 2026, 10:00 London (GMT).
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// ASB-2/ASB-4: an officer logs a phoned report two days after it was received: the targets run from the call.
func TestASB4_StaffLoggedReportTargetsRunFromReceipt(t *testing.T) {
	svc, store, _ := service()
	received := monday.AddDate(0, 0, -2).Add(-12 * time.Hour) // Friday 20 November, 22:00
	form := asb.LoggedReport{Report: report("noise", asb.Risk{}), Channel: asb.ChannelPhone, ReceivedAt: received.Format(time.RFC3339)}
	r, err := svc.Log(context.Background(), asbcases.Log{Form: form, By: officer, At: monday})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Case
	if c.Channel != asb.ChannelPhone || !c.ReceivedAt.Equal(received) || c.AcknowledgeBy.String() != "2026-11-23" ||
		c.AppointmentBy.String() != "2026-11-25" || c.LoggedBy == nil || c.LoggedBy.ID != "officer-1" || r.AccessToken == "" {
		t.Fatalf("%+v", c)
	}
	h, _ := store.History(context.Background(), c.Reference, 10, "")
	if len(h.Events) != 1 || h.Events[0].ActorID != "officer-1" || !h.Events[0].At.Equal(monday) {
		t.Fatalf("timeline %+v", h.Events)
	}
	// only ASB staff log reports
	if _, err := svc.Log(context.Background(), asbcases.Log{Form: form, By: casework.Staff{ID: "x", Groups: []string{"allocations-officer"}}, At: monday}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("other staff: %v", err)
	}
}

// ASB-9: three reports of the same problem (online, logged by phone, out of hours) make one case with three
// incidents; the month counts one new case and two further reports; each reporter hears which case it joined.
func TestASB9_FurtherReportJoinsOpenCase(t *testing.T) {
	svc, store, _ := service()
	ctx := context.Background()
	first, err := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday})
	if err != nil {
		t.Fatal(err)
	}
	ref := first.Case.Reference
	second := report("noise", asb.Risk{})
	second.Location = asb.Location{Address: "flat 2 10 HIGH STREET", Postcode: "nn1 1de"}
	second.Reporter = &asb.Reporter{Name: "Sam Neighbour", Email: "sam@example.org", PreferredContact: "email"}
	logged, err := svc.Log(ctx, asbcases.Log{Form: asb.LoggedReport{Report: second, Channel: asb.ChannelEmail,
		ReceivedAt: monday.Add(time.Hour).Format(time.RFC3339)}, By: officer, At: monday.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	call := asb.Call{Report: report("noise", asb.Risk{FeelsUnsafe: true}), CallID: "OOH-1", ReceivedAt: monday.Add(10 * time.Hour).Format(time.RFC3339), Operator: "op-7"}
	called, err := svc.RecordCall(ctx, asbcases.RecordCall{Call: call, At: monday.Add(10 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if logged.JoinedCase != ref || logged.Incident != "I2" || logged.MatchedOn != asb.MatchLocation || logged.AccessToken != "" ||
		called.Reference != ref || called.Receipt.Incident != "I3" {
		t.Fatalf("logged %+v / call %+v", logged, called)
	}
	again, err := svc.RecordCall(ctx, asbcases.RecordCall{Call: call, At: monday.Add(10 * time.Hour)})
	if err != nil || !again.Duplicate || again.Reference != ref {
		t.Fatalf("the call again: %+v %v", again, err)
	}
	st, _ := store.Load(ctx, ref)
	if st.Case.FurtherReports != 2 || st.Case.RiskLevel != asb.RiskHigh || len(store.All()) != 1 || len(store.Items()[ref]) != 2 {
		t.Fatalf("case %+v, %d cases, items %v", st.Case, len(store.All()), store.Items()[ref])
	}
	// the second reporter is told the case; the out-of-hours caller's high risk alerts the duty officer
	if ack := requestOf(t, store.Messages, ref+"#I2#received"); ack.Personalisation["reference"] != ref || ack.Personalisation["further_report"] == "" || ack.To.Email != "sam@example.org" {
		t.Fatalf("acknowledgement %+v", ack)
	}
	if a := alerts(t, store.Messages); a["email"].ID != ref+"#I3#duty-alert#email" {
		t.Fatalf("duty alerts %+v", a)
	}
	month, err := svc.MonthlyReport(ctx, asbcases.MonthlyReport{By: casework.Staff{ID: "m", Groups: []string{catalog.GroupASBManager}}, Month: "2026-11"})
	if err != nil || month.NewCases != 1 || month.FurtherReports != 2 || month.NoiseCases != 1 {
		t.Fatalf("%+v %v", month, err)
	}
	// ASB-7: further reports are their reporters' reports too: Alex's case, Alex's call (I3) and this one
	third, _ := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday.Add(24 * time.Hour)})
	if third.CaseReview.ReportsInLastSixMonths != 3 || !third.CaseReview.Eligible {
		t.Fatalf("case review %+v", third.CaseReview)
	}
	// a closed case is not joined
	if _, err := svc.Close(ctx, asbcases.Close{Ref: ref, By: officer, At: monday.Add(48 * time.Hour), Input: asb.Closure{Outcome: "Resolved"}}); err != nil {
		t.Fatal(err)
	}
	fresh, _ := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday.Add(72 * time.Hour)})
	if fresh.JoinedCase != "" || fresh.Case.Reference == ref {
		t.Fatalf("joined a closed case: %+v", fresh)
	}
}

// ASB-9: officers merge a case into another and unlink a report, audited on both timelines.
func TestASB9_MergeAndUnlinkAreAudited(t *testing.T) {
	svc, store, _ := service()
	ctx := context.Background()
	a, _ := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday})
	other := report("noise", asb.Risk{})
	other.Location.Address = "Flat 3, 10 High Street"
	b, _ := svc.Report(ctx, asbcases.Report{Form: other, At: monday})
	if b.JoinedCase != "" {
		t.Fatal("another flat joined")
	}
	rec, err := svc.Merge(ctx, asbcases.Merge{Ref: a.Case.Reference, By: officer, At: monday.Add(time.Hour), Input: asb.CaseMerge{From: b.Case.Reference, Reason: "The same party"}})
	if err != nil || rec.Case.FurtherReports != 1 || rec.Case.MergedCases != 1 {
		t.Fatalf("%+v %v", rec.Case, err)
	}
	merged, _ := store.Load(ctx, b.Case.Reference)
	if merged.Case.Status != asb.StatusMerged || merged.Case.MergedInto != a.Case.Reference {
		t.Fatalf("%+v", merged.Case)
	}
	for ref, action := range map[string]string{a.Case.Reference: "merged-from", b.Case.Reference: "merged-into"} {
		if h, _ := store.History(ctx, ref, 1, ""); h.Events[0].Action != action || h.Events[0].ActorID != "officer-1" {
			t.Fatalf("%s: %+v", ref, h.Events)
		}
	}
	if _, err := svc.Merge(ctx, asbcases.Merge{Ref: a.Case.Reference, By: officer, At: monday, Input: asb.CaseMerge{From: b.Case.Reference, Reason: "Again"}}); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("merged twice: %v", err)
	}
	if _, err := svc.Merge(ctx, asbcases.Merge{Ref: a.Case.Reference, By: officer, At: monday, Input: asb.CaseMerge{From: "ASB-0000-0000", Reason: "x"}}); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("unknown case: %v", err)
	}
	joined, _ := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday.Add(2 * time.Hour)})
	u, err := svc.Unlink(ctx, asbcases.Unlink{Ref: a.Case.Reference, Incident: joined.Incident, By: officer, At: monday.Add(3 * time.Hour), Input: asb.Unlinking{Reason: "Another problem"}})
	if err != nil || u.NewCase.Reference == "" || !u.NewCase.ReceivedAt.Equal(monday.Add(2*time.Hour)) || u.Case.FurtherReports != 1 {
		t.Fatalf("%+v %v", u, err)
	}
	if h, _ := store.History(ctx, u.NewCase.Reference, 1, ""); h.Events[0].Details["unlinkedFrom"] != a.Case.Reference {
		t.Fatalf("%+v", h.Events)
	}
	if _, err := svc.Unlink(ctx, asbcases.Unlink{Ref: a.Case.Reference, Incident: joined.Incident, By: officer, At: monday, Input: asb.Unlinking{Reason: "Again"}}); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("unlinked twice: %v", err)
	}
	if _, err := svc.Unlink(ctx, asbcases.Unlink{Ref: a.Case.Reference, Incident: "I99", By: officer, At: monday, Input: asb.Unlinking{Reason: "x"}}); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("unknown report: %v", err)
	}
}

// requestOf is the notification request among msgs with the id.
func requestOf(t *testing.T, msgs []casework.Message, id string) notification.Request {
	t.Helper()
	for _, m := range msgs {
		var req notification.Request
		if m.ID == id && json.Unmarshal(m.Body, &req) == nil {
			return req
		}
	}
	t.Fatalf("no message %s", id)
	return notification.Request{}
}
