package asbcases_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
)

// ASB-9 (source 002: "ensure reporters are kept updated"): a reporter whose further report joined the case hears of
// its updates like the first reporter, each in a message of their own with their own links and nothing of the
// other's; an anonymous further reporter, the first reporter reporting again and the same person twice are not
// told twice; each named reporter answers the survey for themselves, and each answer is one response.
func TestASB9_JoinedReportersAreKeptInformed(t *testing.T) {
	svc, store, _ := service()
	ctx := context.Background()
	first, err := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday})
	if err != nil {
		t.Fatal(err)
	}
	ref := first.Case.Reference
	sam := &asb.Reporter{Name: "Sam Neighbour", Email: "sam@example.org", PreferredContact: "email"}
	further := func(reporter *asb.Reporter, at time.Time) asbcases.Receipt {
		t.Helper()
		form := report("noise", asb.Risk{})
		form.Reporter, form.Anonymous = reporter, reporter == nil
		r, err := svc.Report(ctx, asbcases.Report{Form: form, At: at})
		if err != nil || r.JoinedCase != ref {
			t.Fatalf("%+v %v", r, err)
		}
		return r
	}
	further(sam, monday.Add(time.Hour))                                    // I2: told
	further(nil, monday.Add(2*time.Hour))                                  // I3: anonymous
	further(report("noise", asb.Risk{}).Reporter, monday.Add(3*time.Hour)) // I4: the first reporter again
	further(sam, monday.Add(4*time.Hour))                                  // I5: Sam again
	st, _ := store.Load(ctx, ref)
	if len(st.Case.Joined) != 1 || st.Case.Joined[0].Incident != "I2" {
		t.Fatalf("joined %+v", st.Case.Joined)
	}

	n := len(store.Messages)
	if _, err := svc.OfferAppointment(ctx, asbcases.OfferAppointment{Ref: ref, By: officer, At: monday, Input: asb.Appointment{AppointmentOn: "2026-11-25"}}); err != nil {
		t.Fatal(err)
	}
	if len(store.Messages) != n+2 {
		t.Fatalf("want two messages, got %d", len(store.Messages)-n)
	}
	alex, joined := requestOf(t, store.Messages, ref+"#appointment#2026-11-25"), requestOf(t, store.Messages, ref+"#I2#appointment#2026-11-25")
	if alex.To.Email != "alex@example.org" || alex.Personalisation["further_report"] != "" || alex.Personalisation["sign_in_path"] != notification.SignInPath(ref) {
		t.Fatalf("first reporter %+v", alex)
	}
	if joined.To.Email != "sam@example.org" || joined.To.Phone != "" || joined.Personalisation["appointment_on"] != "2026-11-25" ||
		!strings.Contains(joined.Personalisation["further_report"], ref) || joined.Personalisation["sign_in_path"] != notification.SignInPath(ref) {
		t.Fatalf("joined reporter %+v", joined)
	}

	if _, err := svc.AddAction(ctx, asbcases.AddAction{Ref: ref, By: officer, At: monday, Input: asb.NewAction{Tool: "mediation", Description: "Mediation with Jo at number 4", DueOn: "2026-12-04"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AgreeActionPlan(ctx, asbcases.AgreeActionPlan{Ref: ref, By: officer, At: monday, Input: asb.ActionPlanAgreement{Summary: "Alex agreed mediation with Jo"}}); err != nil {
		t.Fatal(err)
	}
	if p := requestOf(t, store.Messages, ref+"#I2#action-plan#1").Personalisation; p["actions"] != "mediation by 2026-12-04" || strings.Contains(p["summary"], "Alex") {
		t.Fatalf("the joined reporter's plan %+v", p)
	}
	if _, err := svc.CompleteAction(ctx, asbcases.CompleteAction{Ref: ref, By: officer, At: monday, Input: "A1"}); err != nil {
		t.Fatal(err)
	}
	closedAt := monday.Add(24 * time.Hour)
	if _, err := svc.Close(ctx, asbcases.Close{Ref: ref, By: officer, At: closedAt, Input: asb.Closure{Outcome: "The music stopped"}}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{ref + "#closed#0", ref + "#I2#closed#0"} {
		if p := requestOf(t, store.Messages, id).Personalisation; p["survey_path"] != notification.SurveyPagePath(ref) || p["outcome"] != "The music stopped" {
			t.Fatalf("%s: %+v", id, p)
		}
	}

	// each answers for themselves, signed in to check progress (the key of the contact they proved)
	key := func(r *asb.Reporter) string { return ids.Hash(asb.ContactKey(r)) }
	answer := func(k string, handling int) error {
		_, err := svc.AnswerSurvey(ctx, asbcases.AnswerSurvey{ResidentRequest: asbcases.ResidentRequest{Ref: ref, ProvenKey: k}, At: closedAt.Add(time.Hour),
			Input: asb.SurveyAnswers{Handling: handling, Outcome: 4}})
		return err
	}
	if err := answer(key(sam), 2); err != nil {
		t.Fatal(err)
	}
	if err := answer(key(sam), 5); apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("Sam twice: %v", err)
	}
	if err := answer(key(&asb.Reporter{Email: "stranger@example.org"}), 5); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("a stranger: %v", err)
	}
	if err := answer(key(report("noise", asb.Risk{}).Reporter), 5); err != nil {
		t.Fatalf("Alex: %v", err)
	}
	month, err := svc.MonthlyReport(ctx, asbcases.MonthlyReport{By: casework.Staff{ID: "m", Groups: []string{catalog.GroupASBManager}}, Month: "2026-11"})
	if err != nil || month.SatisfactionHandling.Responses != 2 || month.SatisfactionHandling.Satisfied != 1 || month.SatisfactionOutcome.Satisfied != 2 {
		t.Fatalf("%+v %v", month.SatisfactionHandling, err)
	}
}

// ASB-9: a further report taken out of the case into a case of its own takes its reporter off the case's updates.
func TestASB9_UnlinkedReporterIsNoLongerTold(t *testing.T) {
	svc, store, _ := service()
	ctx := context.Background()
	first, _ := svc.Report(ctx, asbcases.Report{Form: report("noise", asb.Risk{}), At: monday})
	form := report("noise", asb.Risk{})
	form.Reporter = &asb.Reporter{Name: "Sam Neighbour", Phone: "07700 900456", PreferredContact: "sms"}
	joined, _ := svc.Report(ctx, asbcases.Report{Form: form, At: monday.Add(time.Hour)})
	if _, err := svc.Unlink(ctx, asbcases.Unlink{Ref: first.Case.Reference, Incident: joined.Incident, By: officer, At: monday.Add(2 * time.Hour),
		Input: asb.Unlinking{Reason: "Another flat"}}); err != nil {
		t.Fatal(err)
	}
	n := len(store.Messages)
	if _, err := svc.OfferAppointment(ctx, asbcases.OfferAppointment{Ref: first.Case.Reference, By: officer, At: monday, Input: asb.Appointment{AppointmentOn: "2026-11-25"}}); err != nil {
		t.Fatal(err)
	}
	if len(store.Messages) != n+1 {
		t.Fatalf("want the first reporter's message only, got %d", len(store.Messages)-n)
	}
}
