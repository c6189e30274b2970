// Package events holds sample events (SAM-style JSON) for each trigger kind; this test keeps the domain samples
// valid against the rules, so they stay usable for `sam local invoke`-style experiments and documentation.
package events

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/referralsender"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

func load(t *testing.T, file string, v any) {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

func body(t *testing.T, file string, v any) time.Time {
	var ev events.APIGatewayV2HTTPRequest
	load(t, file, &ev)
	if err := json.Unmarshal([]byte(ev.Body), v); err != nil {
		t.Fatalf("%s body: %v", file, err)
	}
	return time.UnixMilli(ev.RequestContext.TimeEpoch)
}

func TestSampleRequestsAreValid(t *testing.T) {
	var r asb.Report
	if err := r.Validate(body(t, "asb-report.json", &r)); err != nil {
		t.Errorf("asb-report.json: %v", err)
	}
	var call asb.Call
	if err := call.Validate(body(t, "ooh-webhook.json", &call)); err != nil {
		t.Errorf("ooh-webhook.json: %v", err)
	}
	var c complaints.Submission
	if err := c.Validate(body(t, "apigw-http-v2.json", &c)); err != nil {
		t.Errorf("apigw-http-v2.json (a complaint): %v", err)
	}
	var a register.Application
	if err := a.Validate(workdays.DateOf(body(t, "register-application.json", &a))); err != nil {
		t.Errorf("register-application.json: %v", err)
	}
	var e register.EligibilityCheck
	body(t, "register-eligibility.json", &e)
	if err := e.Validate(); err != nil {
		t.Errorf("register-eligibility.json: %v", err)
	}
}

func TestSampleQueueMessagesAreValid(t *testing.T) {
	var calls, notes events.SQSEvent
	load(t, "ooh-calls-sqs.json", &calls)
	var call asb.Call
	if err := json.Unmarshal([]byte(calls.Records[0].Body), &call); err != nil || call.Validate(time.UnixMilli(1795473600000)) != nil {
		t.Errorf("ooh-calls-sqs.json: %v %v", err, call.Validate(time.UnixMilli(1795473600000)))
	}
	load(t, "notifications-sqs.json", &notes)
	var req notification.Request
	if err := json.Unmarshal([]byte(notes.Records[0].Body), &req); err != nil || req.ID == "" || req.To.Email == "" {
		t.Errorf("notifications-sqs.json: %v %+v", err, req)
	}
	var referrals events.SQSEvent
	load(t, "referrals-sqs.json", &referrals)
	var ref referralsender.Referral
	if err := json.Unmarshal([]byte(referrals.Records[0].Body), &ref); err != nil || !ref.Valid() || ref.Kind != asb.PartnerReferral {
		t.Errorf("referrals-sqs.json: %v %+v", err, ref)
	}
	var sched events.EventBridgeEvent
	load(t, "eventbridge-schedule.json", &sched)
	if workdays.DateOf(sched.Time).String() != "2026-11-24" {
		t.Errorf("schedule sample time: %s", sched.Time)
	}
}
