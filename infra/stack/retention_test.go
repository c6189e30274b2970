package stack

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
)

// The retention job (UK GDPR Art 5(1)(e)) runs daily at 02:30 London time from EventBridge Scheduler, failed runs
// to the scheduled-runs DLQ, with 5 minutes to work.
func TestRetentionJobRunsDailyInLondonTime(t *testing.T) {
	f := catalog.MustFunction(catalog.RetentionJobFunction)
	if len(f.Schedules) != 1 {
		t.Fatalf("retention-job schedules: %+v", f.Schedules)
	}
	schedule := tmpl.Resources[logicalID(f.Schedules[0].Name)+"Schedule"].Properties
	if schedule["ScheduleExpression"] != "cron(30 2 * * ? *)" || schedule["ScheduleExpressionTimezone"] != "Europe/London" {
		t.Errorf("retention-job schedule: %v", schedule)
	}
	target := obj(schedule["Target"])
	if !refersTo(target["Arn"], idOf(t, logicalID(f.Name)+"Function")) || !refersTo(target["DeadLetterConfig"], idOf(t, "ScheduledRunsDLQ")) {
		t.Errorf("retention-job schedule target: %v", target)
	}
	if props := resource(t, logicalID(f.Name)+"Function").Properties; fmt.Sprint(props["Timeout"]) != "300" {
		t.Errorf("retention-job timeout %v, want 300 s", props["Timeout"])
	}
}

// Least privilege: the retention job reads and writes the cases table (and its indexes) and reads the four
// retention periods; it cannot touch the idempotency table, any queue (but the scheduled-runs DLQ, for a failed run),
// any secret or any other setting.
func TestRetentionJobMayTouchOnlyTheCasesTableAndItsPeriods(t *testing.T) {
	fn := catalog.RetentionJobFunction
	cases := actionsOn(t, fn, idOf(t, "CasesTable"))
	for _, need := range []string{"dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem", "dynamodb:UpdateItem"} {
		if !slices.Contains(cases, need) {
			t.Errorf("retention-job on the cases table lacks %s: %v", need, cases)
		}
	}
	if actions := actionsOn(t, fn, idOf(t, "IdempotencyTable")); len(actions) > 0 {
		t.Errorf("retention-job may %v on the idempotency table", actions)
	}
	for _, q := range sys.Queues {
		for _, id := range []string{logicalID(q.Name) + "Queue", logicalID(q.Name) + "DLQ"} {
			if actions := actionsOn(t, fn, idOf(t, id)); len(actions) > 0 {
				t.Errorf("retention-job may %v on %s", actions, id)
			}
		}
	}
	retentionParams := 0
	for _, s := range roleStatements(functionRoleID(t, fn)) {
		for _, a := range s.Actions {
			service, _, _ := strings.Cut(a, ":")
			// sqs only to the scheduled-runs DLQ (a failed asynchronous run lands there)
			dlq := a == "sqs:SendMessage" && slices.Equal(refsIn(s.Resources), []string{idOf(t, "ScheduledRunsDLQ")})
			if !dlq && !slices.Contains([]string{"dynamodb", "ssm", "logs", "xray"}, service) {
				t.Errorf("retention-job may %s (%v)", a, s.Resources)
			}
		}
		if slices.Contains(s.Actions, "ssm:GetParameters") {
			for _, ref := range refsIn(s.Resources) {
				name := fmt.Sprint(tmpl.Resources[ref].Properties["Name"])
				if !strings.Contains(name, "/retention/") {
					t.Errorf("retention-job may read the parameter %s", name)
				}
				retentionParams++
			}
		}
	}
	if retentionParams != 4 {
		t.Errorf("retention-job reads %d retention parameters, want 4", retentionParams)
	}
}
