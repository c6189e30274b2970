package asbapi_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
)

// Issue 13 (casework, part 2) through the real asb-report binary and DynamoDB Local: the ASB-5 check-list sets
// the risk level and a working-day review; the reporter asks for a case review (ASB-7), a manager's task decided
// by a manager; the reporter is kept informed through the notifications queue (appointment, action plan, review,
// case review outcome, closure with the survey) and answers the survey with their token (ASB-9); an eviction is
// recorded at closure; the month counts the reviews, the eviction and the reporter's satisfaction.
func TestASBCaseworkChecklistReviewAndReporterInformed(t *testing.T) {
	c := localcloud.StartForTest(t, "asb-report")
	c.PinClock(time.Date(2026, 12, 17, 10, 0, 0, 0, time.UTC)) // Thursday before Christmas
	officer := c.StaffToken(t, "officer1", "asb-officer")
	manager := c.StaffToken(t, "manager1", "asb-manager")
	queue := c.Resources.Queues[catalog.NotificationsQueue]
	sent := func() []string { // the templates queued since the last look (nothing consumes the queue here)
		var out []string
		for {
			bodies := receive(t, c, queue)
			if len(bodies) == 0 {
				slices.Sort(out)
				return out
			}
			for _, b := range bodies {
				var r notification.Request
				if err := json.Unmarshal([]byte(b), &r); err != nil {
					t.Fatal(err)
				}
				out = append(out, r.Template)
			}
		}
	}
	report := noiseReport("informed@example.org")
	report["location"] = map[string]any{"address": "Flat 9, 40 Informed Road", "postcode": "NN1 1DE"}
	first := c.Call(t, "POST", "/asb/reports", report)
	ref, token := first.JSON["reference"].(string), first.JSON["accessToken"].(string)
	auth := "Bearer " + token
	if got := sent(); !slices.Equal(got, []string{notification.ASBReportReceived}) {
		t.Fatalf("acknowledgement: %v", got)
	}

	t.Run("ASB-5: the check-list sets the level with reasons and a review on a working day", func(t *testing.T) {
		r := c.Call(t, "POST", "/asb/cases/"+ref+"/risk-assessment", map[string]any{"checklist": map[string]any{"vulnerable": false}}, "Authorization", officer)
		if r.Status != 400 || len(fieldsOf(r)) != 10 {
			t.Fatalf("ten unanswered questions: %d %s", r.Status, r.Raw)
		}
		r = c.Call(t, "POST", "/asb/cases/"+ref+"/risk-assessment", map[string]any{"checklist": checklist("healthImpact", "hateMotivated")}, "Authorization", officer)
		ra, _ := r.JSON["case"].(map[string]any)["riskAssessment"].(map[string]any)
		// Thursday 17 December + 5 working days: Thursday 24th (Christmas Eve is a working day)
		if r.Status != 200 || ra["level"] != "high" || ra["nextReviewOn"] != "2026-12-24" || len(ra["reasons"].([]any)) < 2 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if got := sent(); len(got) != 0 {
			t.Fatalf("the first assessment is not a review: %v", got)
		}
	})

	t.Run("repeat subjects: a person reported on two cases is found from the second by key, never a scan", func(t *testing.T) {
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/subjects", map[string]any{"name": "Jo Bloggs", "tenant": true}, "Authorization", officer); r.Status != 200 ||
			r.JSON["subjectCases"] != nil {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		other := noiseReport("other@example.org")
		other["location"] = map[string]any{"address": "Flat 1, 40 Informed Road", "postcode": "NN1 1DE"}
		second := c.Call(t, "POST", "/asb/reports", other).JSON["reference"].(string)
		sent()
		r := c.Call(t, "POST", "/asb/cases/"+second+"/subjects", map[string]any{"name": "JO BLOGGS", "postcode": "nn11de"}, "Authorization", officer)
		if r.Status != 200 || len(r.JSON["subjectCases"].([]any)) != 1 || r.JSON["subjectCases"].([]any)[0] != ref {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
	})

	t.Run("casework records: a witness, evidence and a cost from the officer, a diary entry from the reporter", func(t *testing.T) {
		for path, body := range map[string]map[string]any{
			"witnesses": {"name": "Sam Neighbour", "willGiveEvidence": true},
			"evidence":  {"kind": "noise-recording", "reference": "rec-1.mp3", "obtainedOn": "2026-12-16"},
			"costs":     {"category": "legal", "amountPence": 45000, "description": "Counsel", "incurredOn": "2026-12-16"},
		} {
			if r := c.Call(t, "POST", "/asb/cases/"+ref+"/"+path, body, "Authorization", officer); r.Status != 200 {
				t.Fatalf("%s: %d %s", path, r.Status, r.Raw)
			}
		}
		if r := c.Call(t, "POST", "/asb/reports/"+ref+"/diary", map[string]any{"occurredAt": "2026-12-17T01:30:00Z", "description": "Music until 3am"},
			"Authorization", auth); r.Status != 200 {
			t.Fatalf("diary: %d %s", r.Status, r.Raw)
		}
		rec := c.Call(t, "GET", "/asb/cases/"+ref, nil, "Authorization", officer).JSON["case"].(map[string]any)["records"].(map[string]any)
		if rec["witnesses"] != 1.0 || rec["evidence"] != 1.0 || rec["costsPence"] != 45000.0 || rec["diaryEntries"] != 1.0 {
			t.Fatalf("records: %v", rec)
		}
	})

	t.Run("ASB-5/ASB-9: appointment, action plan agreed and each review are told to the reporter", func(t *testing.T) {
		for _, step := range []struct {
			path string
			body map[string]any
		}{
			{"appointment", map[string]any{"appointmentOn": "2026-12-18"}},
			{"actions", map[string]any{"tool": "possession", "description": "Seek possession", "dueOn": "2026-12-22"}},
			{"action-plan/agreement", map[string]any{"summary": "We will seek possession"}},
			{"risk-assessment", map[string]any{"checklist": checklist("threatsOrViolence")}},
		} {
			if r := c.Call(t, "POST", "/asb/cases/"+ref+"/"+step.path, step.body, "Authorization", officer); r.Status != 200 {
				t.Fatalf("%s: %d %s", step.path, r.Status, r.Raw)
			}
		}
		want := []string{notification.ASBActionPlan, notification.ASBAppointment, notification.ASBReview}
		slices.Sort(want)
		if got := sent(); !slices.Equal(got, want) {
			t.Fatalf("sent %v, want %v", got, want)
		}
	})

	t.Run("ASB-7: the reporter asks for a case review, a manager's task; a manager decides it", func(t *testing.T) {
		if r := c.Call(t, "POST", "/asb/reports/"+ref+"/case-review", map[string]any{"reason": "It goes on"}, "Authorization", auth); r.Status != 422 || r.JSON["rule"] != "ASB-7" {
			t.Fatalf("one report: %d %s", r.Status, r.Raw)
		}
		for range 2 { // two further reports of the same problem: three in six months
			if r := c.Call(t, "POST", "/asb/reports", report); r.JSON["joined"] != true {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
		}
		sent() // their acknowledgements
		if r := c.Call(t, "POST", "/asb/reports/"+ref+"/case-review", map[string]any{"reason": "It goes on"}, "Authorization", "Bearer wrong"); r.Status != 404 {
			t.Fatalf("wrong token: %d %s", r.Status, r.Raw)
		}
		r := c.Call(t, "POST", "/asb/reports/"+ref+"/case-review", map[string]any{"reason": "It goes on"}, "Authorization", auth)
		if r.Status != 200 || r.JSON["caseReview"].(map[string]any)["dueOn"] != "2027-01-05" {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		got := c.Call(t, "GET", "/asb/cases/"+ref, nil, "Authorization", officer)
		if !slices.ContainsFunc(got.JSON["openDeadlines"].([]any), func(d any) bool {
			m := d.(map[string]any)
			return m["name"] == "case-review" && m["team"] == "asb-manager" && m["due"] == "2027-01-05"
		}) {
			t.Fatalf("no manager task: %s", got.Raw)
		}
		outcome := map[string]any{"outcome": "no-further-action", "findings": "The plan is right"}
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/case-review/outcome", outcome, "Authorization", officer); r.Status != 403 {
			t.Fatalf("an officer: %d", r.Status)
		}
		if r := c.Call(t, "POST", "/asb/cases/"+ref+"/case-review/outcome", outcome, "Authorization", manager); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if got := sent(); !slices.Equal(got, []string{notification.ASBCaseReviewOutcome}) {
			t.Fatalf("sent %v", got)
		}
	})

	t.Run("ASB-9: closure with an eviction and the survey; the reporter answers once; the month counts it all", func(t *testing.T) {
		r := c.Call(t, "POST", "/asb/cases/"+ref+"/closure", map[string]any{"outcome": "Possession order executed", "evicted": true,
			"actionOutcomes": []any{map[string]any{"id": "A1", "outcome": "Order granted"}}}, "Authorization", officer)
		if r.Status != 200 || r.JSON["case"].(map[string]any)["evicted"] != true {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if got := sent(); !slices.Equal(got, []string{notification.ASBCaseClosed}) {
			t.Fatalf("sent %v", got)
		}
		status := c.Call(t, "GET", "/asb/reports/"+ref, nil, "Authorization", auth)
		if status.JSON["surveyPath"] != "/asb/reports/"+ref+"/satisfaction" {
			t.Fatalf("%s", status.Raw)
		}
		answers := map[string]any{"handling": 5, "outcome": 4, "comments": "Thank you"}
		if r := c.Call(t, "POST", "/asb/reports/"+ref+"/satisfaction", answers, "Authorization", auth); r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if r := c.Call(t, "POST", "/asb/reports/"+ref+"/satisfaction", answers, "Authorization", auth); r.Status != 409 || r.JSON["rule"] != "ASB-9" {
			t.Fatalf("twice: %d %s", r.Status, r.Raw)
		}
		month := c.Call(t, "GET", "/reports/asb?month=2026-12", nil, "Authorization", manager).JSON
		reviews := month["caseReviews"].(map[string]any)
		if month["evictionsForAsb"] != 1.0 || reviews["requested"] != 1.0 || reviews["outcomes"].(map[string]any)["no-further-action"] != 1.0 ||
			month["satisfactionWithCaseHandling"].(map[string]any)["responses"] != 1.0 || month["newCases"] != 2.0 { // this case and the repeat subject's other case
			t.Fatalf("month: %v", month)
		}
	})
}
