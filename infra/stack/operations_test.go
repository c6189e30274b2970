package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/infra/config"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/deliveryreceipts"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/notificationsender"
	"github.com/councilhousing/backend/shared/app/referralsender"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Running it in production (issue 17): the deployment's settings in SSM, alarms on every function and queue to
// one topic whose email is configuration, Notify's permanent failures as a metric, and a health dashboard.

const parameterRoot = "/Test/config" // the test stack is called Test

// Every catalog setting is an SSM String parameter under /<stack>/config/, holding the configuration's value.
func TestSettingsAreSSMParameters(t *testing.T) {
	assertTemplate(t, func() {
		template.ResourceCountIs(jsii.String("AWS::SSM::Parameter"), jsii.Number(len(sys.Settings)))
	})
	byName := map[string]cfnResource{}
	for _, p := range ofType("AWS::SSM::Parameter") {
		byName[fmt.Sprint(p.Properties["Name"])] = p
	}
	for _, s := range sys.Settings {
		p, ok := byName[s.ParameterName(parameterRoot)]
		if !ok {
			t.Errorf("%s: no parameter %s", s.Name, s.ParameterName(parameterRoot))
			continue
		}
		if p.Properties["Type"] != "String" || p.Properties["Tier"] != "Standard" || p.Properties["Value"] != cfg.Value(s) {
			t.Errorf("%s: %v, want String/Standard %q", s.Name, p.Properties, cfg.Value(s))
		}
	}
	if v := byName[parameterRoot+"/mailboxes/teams"].Properties["Value"]; !strings.Contains(fmt.Sprint(v), `"complaints-officer":"complaints@council.example"`) {
		t.Errorf("mailboxes.teams parameter = %v", v)
	}
}

// A function gets the names of the parameters it reads (never their values), may read those and no others, and
// its SETTINGS_VERSION follows the values, so a changed value reaches new instances after a deploy.
func TestFunctionsReadTheirSettingsFromSSM(t *testing.T) {
	parameterID := map[string]string{}
	for id, p := range ofType("AWS::SSM::Parameter") {
		parameterID[fmt.Sprint(p.Properties["Name"])] = id
	}
	readers := 0
	for _, f := range sys.Functions {
		env := obj(obj(resource(t, logicalID(f.Name)+"Function").Properties["Environment"])["Variables"])
		for _, s := range sys.Settings {
			id := parameterID[s.ParameterName(parameterRoot)]
			reads := slices.ContainsFunc(f.Settings, func(r catalog.Setting) bool { return r.Name == s.Name })
			if _, baked := env[s.Env]; baked {
				t.Errorf("%s: the value of %s is in the template", f.Name, s.Env)
			}
			if reads != refersTo(env[s.Env+"_PARAMETER"], id) {
				t.Errorf("%s: %s_PARAMETER = %v (reads %s: %v)", f.Name, s.Env, env[s.Env+"_PARAMETER"], s.Name, reads)
			}
			if can := slices.Contains(actionsOn(t, f.Name, id), "ssm:GetParameters"); can != reads {
				t.Errorf("%s may read %s: %v, reads it: %v", f.Name, s.Name, can, reads)
			}
		}
		if len(f.Settings) > 0 {
			readers++
			if v, _ := env["SETTINGS_VERSION"].(string); len(v) != 12 {
				t.Errorf("%s: SETTINGS_VERSION %v", f.Name, env["SETTINGS_VERSION"])
			}
		}
		for name, v := range env {
			if s := fmt.Sprint(v); strings.Contains(s, "council.example") || strings.Contains(s, "placeholder-") {
				t.Errorf("%s: %s carries a configuration value: %s", f.Name, name, s)
			}
		}
	}
	if readers < 4 {
		t.Errorf("%d functions read settings; asb-report, complaint-escalation, deadline-reminders and notifier do", readers)
	}
}

// One topic for every alarm, with the configuration's alarm email subscribed.
func TestAlarmTopicEmailComesFromTheConfiguration(t *testing.T) {
	assertTemplate(t, func() {
		template.ResourceCountIs(jsii.String("AWS::SNS::Topic"), jsii.Number(1))
		template.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(1))
		template.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), &map[string]any{
			"Protocol": "email", "Endpoint": cfg.Value(catalog.AlarmEmail), "TopicArn": map[string]any{"Ref": idOf(t, "Alarms")},
		})
	})
	for id, a := range ofType("AWS::CloudWatch::Alarm") {
		if !reflect.DeepEqual(a.Properties["AlarmActions"], []any{map[string]any{"Ref": idOf(t, "Alarms")}}) {
			t.Errorf("%s: actions %v, want the alarm topic", id, a.Properties["AlarmActions"])
		}
		if d := fmt.Sprint(a.Properties["AlarmDescription"]); len(d) < 80 {
			t.Errorf("%s: description %q does not say what to do", id, d)
		}
		if a.Properties["TreatMissingData"] != "notBreaching" || a.Properties["EvaluationPeriods"] != float64(1) {
			t.Errorf("%s: %v", id, a.Properties)
		}
	}
}

// Errors (which include timeouts) and throttles, one alarm each per catalog function.
func TestEveryFunctionHasErrorAndThrottleAlarms(t *testing.T) {
	for _, metric := range []string{"Errors", "Throttles"} {
		alarms := alarmsOn(metric)
		if len(alarms) != len(sys.Functions) {
			t.Errorf("%d %s alarms, want %d", len(alarms), metric, len(sys.Functions))
		}
		for _, f := range sys.Functions {
			fnID := idOf(t, logicalID(f.Name)+"Function")
			found := slices.ContainsFunc(alarms, func(a cfnResource) bool {
				return a.Properties["Namespace"] == "AWS/Lambda" && a.Properties["Statistic"] == "Sum" && a.Properties["Threshold"] == float64(1) &&
					reflect.DeepEqual(a.Properties["Dimensions"], []any{map[string]any{"Name": "FunctionName", "Value": map[string]any{"Ref": fnID}}})
			})
			if !found {
				t.Errorf("%s: no %s alarm", f.Name, metric)
			}
		}
	}
}

// The age of the oldest message on every catalog queue, over its AgeAlarmMinutes; referrals undelivered after 15
// minutes.
func TestEveryQueueHasAnAgeAlarm(t *testing.T) {
	alarms := alarmsOn("ApproximateAgeOfOldestMessage")
	if len(alarms) != len(sys.Queues) {
		t.Errorf("%d age alarms, want %d", len(alarms), len(sys.Queues))
	}
	for _, q := range sys.Queues {
		queueID := idOf(t, logicalID(q.Name)+"Queue")
		i := slices.IndexFunc(alarms, func(a cfnResource) bool { return refersTo(a.Properties["Dimensions"], queueID) })
		if i < 0 {
			t.Errorf("%s: no age alarm", q.Name)
			continue
		}
		if p := alarms[i].Properties; p["Threshold"] != float64(q.AgeAlarmMinutes()*60) || p["ComparisonOperator"] != "GreaterThanThreshold" || p["Statistic"] != "Maximum" {
			t.Errorf("%s: %v", q.Name, p)
		}
	}
	referrals := alarms[slices.IndexFunc(alarms, func(a cfnResource) bool {
		return refersTo(a.Properties["Dimensions"], idOf(t, "ReferralsQueue"))
	})]
	if referrals.Properties["Threshold"] != float64(900) || referrals.Properties["AlarmName"] != "Test-referrals-oldest-message" {
		t.Errorf("referrals: %v", referrals.Properties)
	}
	for _, a := range alarmsOn("ApproximateNumberOfMessagesVisible") {
		if name := fmt.Sprint(a.Properties["AlarmName"]); name != "Test-scheduled-runs-dead-letters" && !slices.ContainsFunc(sys.Queues, func(q catalog.Queue) bool {
			return name == "Test-"+q.Name+"-dead-letters"
		}) {
			t.Errorf("DLQ alarm named %s", name)
		}
	}
}

// A reminder run that did not finish: its errors alarm (a timeout is an error) and, before that, a run close to
// its timeout.
func TestReminderRunsThatDoNotFinishRaiseAlarms(t *testing.T) {
	reminders, _ := sys.Function("deadline-reminders")
	fnID := idOf(t, "DeadlineRemindersFunction")
	var near []cfnResource
	for _, a := range alarmsOn("Duration") {
		if refersTo(a.Properties["Dimensions"], fnID) {
			near = append(near, a)
		}
	}
	if len(near) != 1 || near[0].Properties["Threshold"] != 0.8*float64(reminders.TimeoutSec)*1000 || near[0].Properties["Statistic"] != "Maximum" {
		t.Fatalf("near-timeout alarms %v", near)
	}
	if !slices.ContainsFunc(alarmsOn("Errors"), func(a cfnResource) bool { return refersTo(a.Properties["Dimensions"], fnID) }) {
		t.Error("no errors alarm on deadline-reminders")
	}
}

// GOV.UK Notify's permanent refusals (400) and a rejected API key (403) are counted from the log group of every
// function that sends through Notify (the notifier and referral-sender), and its permanent-failure delivery
// receipts from notify-receipts', into one metric, with an alarm on the first.
func TestNotifyPermanentFailuresAreAMetricWithAnAlarm(t *testing.T) {
	senders := map[string][]string{} // log group reference -> filter patterns
	logGroup := func(name string) string {
		return fmt.Sprint(refsIn(obj(resource(t, name).Properties["LoggingConfig"])["LogGroup"]))
	}
	for _, name := range []string{"NotifierFunction", "ReferralSenderFunction", "NotifyReceiptsFunction"} {
		senders[logGroup(name)] = nil
	}
	for id, f := range ofType("AWS::Logs::MetricFilter") {
		transform := list(f.Properties["MetricTransformations"])
		logs := fmt.Sprint(refsIn(f.Properties["LogGroupName"]))
		if _, sender := senders[logs]; !sender || len(transform) != 1 ||
			obj(transform[0])["MetricName"] != NotifyFailuresMetric || obj(transform[0])["MetricNamespace"] != "Test" || obj(transform[0])["MetricValue"] != "1" {
			t.Errorf("%s: %v", id, f.Properties)
		}
		senders[logs] = append(senders[logs], fmt.Sprint(f.Properties["FilterPattern"]))
	}
	for logs, patterns := range senders {
		slices.Sort(patterns)
		want := []string{`{ $.message = "` + NotifyKeyRejectedMessage + `*" }`, `{ $.message = "` + NotifyRefusedMessage + `" }`}
		if logs == logGroup("NotifyReceiptsFunction") {
			want = []string{`{ $.message = "` + NotifyUndeliveredMessage + `" }`}
		}
		if !slices.Equal(patterns, want) {
			t.Errorf("log group %s: filter patterns %q, want %q", logs, patterns, want)
		}
	}
	alarms := alarmsOn(NotifyFailuresMetric)
	if len(alarms) != 1 || alarms[0].Properties["Namespace"] != "Test" || alarms[0].Properties["Threshold"] != float64(1) || alarms[0].Properties["Statistic"] != "Sum" {
		t.Errorf("Notify alarms %v", alarms)
	}
}

// The filters count what the notifier and referral-sender really log: their 400 and 403 lines, in Lambda's JSON
// log format.
func TestNotifySendersLogWhatTheMetricFiltersCount(t *testing.T) {
	senders := map[string]func(refusal fakeRefusal){
		"notifier": func(refusal fakeRefusal) {
			n := notificationsender.Notifier{Records: &fakeRecords{}, Notify: fakeNotify{refusal}, Templates: map[string]string{}}
			body, _ := json.Marshal(notification.Request{ID: "CMP-1#received", Template: notification.ComplaintReceived, CaseKind: casefile.Complaint,
				CaseRef: "CMP-1", To: notification.Recipient{Role: notification.Resident, Email: "sam@example.org"}, RequestedAt: time.Now()})
			_ = n.Deliver(context.Background(), body, time.Now())
		},
		"referral-sender": func(refusal fakeRefusal) {
			s := referralsender.Sender{Cases: fakeCases{}, Records: &fakeRecords{}, Notify: fakeNotify{refusal},
				Partners: map[string]string{asb.PartnerReferral: "partner@northtown.gov.uk"}}
			body, _ := json.Marshal(referralsender.Referral{ID: "ASB-1#partner", Kind: asb.PartnerReferral, Rule: "ASB-6", CaseRef: "ASB-1", ReceivedAt: time.Now()})
			_ = s.Deliver(context.Background(), body, time.Now())
		},
	}
	for name, send := range senders {
		var out bytes.Buffer
		previous := slog.Default()
		slog.SetDefault(slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: lambdacontext.ReplaceAttr})))
		for _, refusal := range []fakeRefusal{{status: 400, kind: "BadRequestError"}, {status: 403, kind: "AuthError"}} {
			send(refusal)
		}
		slog.SetDefault(previous)
		var logged []string
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var entry map[string]any
			if err := json.Unmarshal([]byte(line), &entry); err != nil {
				t.Fatalf("%s: log line %q: %v", name, line, err)
			}
			logged = append(logged, fmt.Sprint(entry["message"]))
		}
		if !slices.Contains(logged, NotifyRefusedMessage) {
			t.Errorf("%s: a 400 logged %q, not %q", name, logged, NotifyRefusedMessage)
		}
		if !slices.ContainsFunc(logged, func(m string) bool { return strings.HasPrefix(m, NotifyKeyRejectedMessage) }) {
			t.Errorf("%s: a 403 logged %q, not %q...", name, logged, NotifyKeyRejectedMessage)
		}
	}
}

// The filter counts what notify-receipts really logs for a permanent-failure delivery receipt, in Lambda's JSON
// log format, once per receipt however often Notify sends it.
func TestNotifyReceiptsLogWhatTheMetricFilterCounts(t *testing.T) {
	var out bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: lambdacontext.ReplaceAttr})))
	defer slog.SetDefault(previous)
	sent := notification.Request{ID: "CMP-1#received", Template: notification.ComplaintReceived, CaseKind: casefile.Complaint, CaseRef: "CMP-1",
		To: notification.Recipient{Role: notification.Resident}}
	s := deliveryreceipts.Service{Records: &fakeReceipts{sent: sent, written: map[string]bool{}}}
	for range 2 {
		if _, err := s.Record(context.Background(), deliveryreceipts.Receipt{NotifyID: "n-1", Reference: sent.ID,
			Status: deliveryreceipts.PermanentFailure, Type: "email", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	counted := 0
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if entry["message"] == NotifyUndeliveredMessage {
			counted++
		}
	}
	if counted != 1 {
		t.Errorf("%d lines %q, want 1: %s", counted, NotifyUndeliveredMessage, out.String())
	}
}

type fakeReceipts struct {
	sent    notification.Request
	written map[string]bool
}

func (f *fakeReceipts) Sent(_ context.Context, ref string) (notification.Request, bool, error) {
	return f.sent, ref == f.sent.ID, nil
}

func (f *fakeReceipts) Record(_ context.Context, _ notification.Request, notifyID, status string, _ casefile.Event) (bool, error) {
	if f.written[notifyID+status] {
		return false, nil
	}
	f.written[notifyID+status] = true
	return true, nil
}

// One dashboard of the service's health: every alarm's state, the API, every function and every queue.
func TestHealthDashboard(t *testing.T) {
	assertTemplate(t, func() {
		template.ResourceCountIs(jsii.String("AWS::CloudWatch::Dashboard"), jsii.Number(1))
		template.HasResourceProperties(jsii.String("AWS::CloudWatch::Dashboard"), &map[string]any{"DashboardName": "Test-health"})
	})
	var body any
	for _, d := range ofType("AWS::CloudWatch::Dashboard") {
		body = d.Properties["DashboardBody"]
	}
	want := []string{idOf(t, "HttpApi")}
	for id := range ofType("AWS::CloudWatch::Alarm") {
		want = append(want, id)
	}
	for _, f := range sys.Functions {
		want = append(want, idOf(t, logicalID(f.Name)+"Function"))
	}
	for _, q := range sys.Queues {
		want = append(want, idOf(t, logicalID(q.Name)+"Queue"))
	}
	want = append(want, deadLetterQueueIDs(t)...)
	for _, id := range want {
		if !refersTo(body, id) {
			t.Errorf("the dashboard does not show %s", id)
		}
	}
	text, _ := json.Marshal(body)
	for _, title := range []string{"Alarms", "API requests and errors", "Function errors", "Function throttles", "Age of the oldest message",
		"Dead-letter queues", "GOV.UK Notify permanent failures", NotifyFailuresMetric, "deadline-reminders run duration"} {
		if !strings.Contains(string(text), title) {
			t.Errorf("the dashboard lacks %q", title)
		}
	}
}

// A configuration that is missing a setting stops synthesis, naming it, before anything reaches AWS.
func TestUnusableConfigurationIsRefused(t *testing.T) {
	incomplete, err := config.Parse(sys, "incomplete.json", []byte(`{"homesCount": 12000}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		r := fmt.Sprint(recover())
		for _, want := range []string{"alarmEmail: missing", "notifyTemplates: missing", "landlord.name: missing"} {
			if !strings.Contains(r, want) {
				t.Errorf("recovered %q, want %q", r, want)
			}
		}
	}()
	NewHousingStack(nil, "Incomplete", &HousingStackProps{Catalog: sys, Config: incomplete})
}

// The example's placeholders are fine for synth (make synth works offline with it); only deploy refuses them.
func TestExamplePlaceholdersPassSynthButNotDeploy(t *testing.T) {
	if err := cfg.Check(false); err != nil {
		t.Error(err)
	}
	if err := cfg.Check(true); err == nil {
		t.Error("the example configuration would deploy")
	}
	assertTemplate(t, func() {
		template.HasResourceProperties(jsii.String("AWS::SSM::Parameter"), &map[string]any{
			"Name": parameterRoot + "/notifyTemplates", "Value": assertions.Match_StringLikeRegexp(jsii.String("placeholder-complaint-received.email")),
		})
	})
}

// alarmsOn are the alarms on a metric name.
func alarmsOn(metric string) []cfnResource {
	var out []cfnResource
	for _, a := range ofType("AWS::CloudWatch::Alarm") {
		if a.Properties["MetricName"] == metric {
			out = append(out, a)
		}
	}
	return out
}

type fakeRefusal struct {
	status int
	kind   string
}

func (r fakeRefusal) Error() string     { return fmt.Sprintf("notify %d %s", r.status, r.kind) }
func (r fakeRefusal) AuthFailure() bool { return r.status == 403 }
func (r fakeRefusal) Permanent() bool   { return r.status == 400 || r.status == 403 }
func (r fakeRefusal) Status() int       { return r.status }
func (r fakeRefusal) Kind() string      { return r.kind }

type fakeNotify struct{ refusal fakeRefusal }

func (f fakeNotify) Send(context.Context, string, string, string, map[string]string, string) (string, error) {
	return "", f.refusal
}

type fakeRecords struct{}

// fakeCases has every ASB case, as just reported.
type fakeCases struct{}

func (fakeCases) Load(_ context.Context, ref string) (casework.Stored[asb.Case, asb.Reporter], error) {
	return casework.Stored[asb.Case, asb.Reporter]{Case: asb.Case{Reference: ref, Type: "hate-incident", RiskLevel: asb.RiskStandard}}, nil
}

func (*fakeRecords) Begin(context.Context, notification.Request, time.Duration, time.Time) (done, held bool, err error) {
	return false, true, nil
}
func (*fakeRecords) Finish(context.Context, notification.Request, casefile.Event) error { return nil }
func (*fakeRecords) Abandon(context.Context, notification.Request) error                { return nil }
