package stack

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// The stack is checked against the catalog it was built from: every table, queue, function, route, trigger,
// schedule and grant the catalog names, and nothing it does not. TestMain (synth_test.go) synthesises once.

const fourteenDays = 14 * 24 * 3600

func TestTablesFollowTheCatalog(t *testing.T) {
	assertTemplate(t, func() {
		template.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(len(sys.Tables)))
		template.AllResources(jsii.String("AWS::DynamoDB::Table"), &map[string]any{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
		template.AllResourcesProperties(jsii.String("AWS::DynamoDB::Table"), &map[string]any{
			"BillingMode":                      "PAY_PER_REQUEST",
			"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
			"SSESpecification":                 map[string]any{"SSEEnabled": true}, // AWS-managed KMS key
			"DeletionProtectionEnabled":        true,
		})
	})
	for _, table := range sys.Tables {
		props := resource(t, logicalID(table.Name)+"Table").Properties
		if _, deprecated := props["PointInTimeRecoveryEnabled"]; deprecated {
			t.Errorf("%s: uses the deprecated PointInTimeRecoveryEnabled", table.Name)
		}
		if got, want := props["KeySchema"], keySchema(table.PartitionKey, table.SortKey); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: key schema %v, want %v", table.Name, got, want)
		}
		for _, a := range list(props["AttributeDefinitions"]) {
			if obj(a)["AttributeType"] != "S" {
				t.Errorf("%s: attribute %v is not a string", table.Name, a)
			}
		}
		checkIndexes(t, table, props["GlobalSecondaryIndexes"])
		checkTTL(t, table, props["TimeToLiveSpecification"])
	}
}

func TestSparseDeadlinesIndex(t *testing.T) {
	assertTemplate(t, func() {
		template.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), &map[string]any{
			"GlobalSecondaryIndexes": assertions.Match_ArrayWith(&[]any{map[string]any{
				"IndexName":  catalog.IndexDeadlines,
				"KeySchema":  keySchema("duePk", "dueSk"),
				"Projection": map[string]any{"ProjectionType": "ALL"},
			}}),
		})
	})
}

func keySchema(partition, sort string) []any {
	keys := []any{map[string]any{"AttributeName": partition, "KeyType": "HASH"}}
	if sort != "" {
		keys = append(keys, map[string]any{"AttributeName": sort, "KeyType": "RANGE"})
	}
	return keys
}

func checkIndexes(t *testing.T, table catalog.Table, got any) {
	t.Helper()
	want := []any{}
	for _, g := range table.GSIs {
		projection := "ALL"
		if g.KeysOnly {
			projection = "KEYS_ONLY"
		}
		want = append(want, map[string]any{"IndexName": g.Name, "KeySchema": keySchema(g.PartitionKey, g.SortKey), "Projection": map[string]any{"ProjectionType": projection}})
	}
	if len(want) == 0 && got == nil {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: indexes %v, want %v", table.Name, got, want)
	}
}

func checkTTL(t *testing.T, table catalog.Table, got any) {
	t.Helper()
	if table.TTLAttribute == "" {
		if got != nil {
			t.Errorf("%s: unexpected TTL %v", table.Name, got)
		}
		return
	}
	if want := map[string]any{"AttributeName": table.TTLAttribute, "Enabled": true}; !reflect.DeepEqual(got, want) {
		t.Errorf("%s: TTL %v, want %v", table.Name, got, want)
	}
}

func TestQueuesHaveDeadLetterQueues(t *testing.T) {
	assertTemplate(t, func() {
		// each catalog queue and its DLQ, plus the DLQ for failed scheduled runs
		template.ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(2*len(sys.Queues)+1))
		template.AllResourcesProperties(jsii.String("AWS::SQS::Queue"), &map[string]any{"SqsManagedSseEnabled": true})
	})
	for _, q := range sys.Queues {
		queue := resource(t, logicalID(q.Name)+"Queue").Properties
		dlqID := idOf(t, logicalID(q.Name)+"DLQ")
		redrive := obj(queue["RedrivePolicy"])
		if !refersTo(redrive["deadLetterTargetArn"], dlqID) || redrive["maxReceiveCount"] != float64(q.MaxReceiveCount) {
			t.Errorf("%s: redrive %v, want DLQ %s after %d receives", q.Name, redrive, dlqID, q.MaxReceiveCount)
		}
		if q.MaxReceiveCount != 3 {
			t.Errorf("%s: maxReceiveCount %d, want 3", q.Name, q.MaxReceiveCount)
		}
	}
	for _, dlq := range deadLetterQueueIDs(t) {
		if got := tmpl.Resources[dlq].Properties["MessageRetentionPeriod"]; got != float64(fourteenDays) {
			t.Errorf("%s: retention %v, want 14 days", dlq, got)
		}
	}
}

func deadLetterQueueIDs(t *testing.T) []string {
	ids := []string{idOf(t, "ScheduledRunsDLQ")}
	for _, q := range sys.Queues {
		ids = append(ids, idOf(t, logicalID(q.Name)+"DLQ"))
	}
	return ids
}

// enforceSSL: every queue's policy denies any request not made over TLS.
func TestQueuesRefuseRequestsWithoutTLS(t *testing.T) {
	for id := range ofType("AWS::SQS::Queue") {
		enforced := false
		for _, p := range ofType("AWS::SQS::QueuePolicy") {
			if !refersTo(p.Properties["Queues"], id) {
				continue
			}
			for _, s := range list(obj(p.Properties["PolicyDocument"])["Statement"]) {
				s := obj(s)
				condition := obj(obj(s["Condition"])["Bool"])
				enforced = enforced || (s["Effect"] == "Deny" && condition["aws:SecureTransport"] == "false")
			}
		}
		if !enforced {
			t.Errorf("queue %s accepts requests without TLS", id)
		}
	}
}

func TestVisibilityTimeoutIsAtLeastSixTimesTheConsumerTimeout(t *testing.T) {
	for id, m := range ofType("AWS::Lambda::EventSourceMapping") {
		queueRefs, fnRefs := refsIn(m.Properties["EventSourceArn"]), refsIn(m.Properties["FunctionName"])
		if len(queueRefs) != 1 || len(fnRefs) != 1 {
			t.Fatalf("%s: queue %v, function %v", id, queueRefs, fnRefs)
		}
		visibility := tmpl.Resources[queueRefs[0]].Properties["VisibilityTimeout"].(float64)
		timeout := tmpl.Resources[fnRefs[0]].Properties["Timeout"].(float64)
		if visibility < 6*timeout {
			t.Errorf("%s: visibility %v s < 6 x %v s", queueRefs[0], visibility, timeout)
		}
	}
}

func TestEachDeadLetterQueueHasOneAlarm(t *testing.T) {
	dlqs := deadLetterQueueIDs(t)
	visible := alarmsOn("ApproximateNumberOfMessagesVisible")
	if len(visible) != len(dlqs) {
		t.Errorf("%d alarms on visible messages, want one per DLQ (%d)", len(visible), len(dlqs))
	}
	for _, a := range visible {
		if a.Properties["Namespace"] != "AWS/SQS" || a.Properties["Threshold"] != float64(1) ||
			a.Properties["ComparisonOperator"] != "GreaterThanOrEqualToThreshold" {
			t.Errorf("DLQ alarm %v", a.Properties)
		}
	}
	for _, dlq := range dlqs {
		alarms := 0
		for _, a := range visible {
			if refersTo(a.Properties["Dimensions"], dlq) {
				alarms++
			}
		}
		if alarms != 1 {
			t.Errorf("%s: %d alarms, want 1", dlq, alarms)
		}
	}
}

func TestFunctionsFollowTheCatalog(t *testing.T) {
	assertTemplate(t, func() {
		template.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(len(sys.Functions)))
		template.AllResourcesProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
			"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Handler": "bootstrap",
			"LoggingConfig": assertions.Match_ObjectLike(&map[string]any{"LogFormat": "JSON", "ApplicationLogLevel": "INFO"}),
			"TracingConfig": map[string]any{"Mode": "Active"},
		})
		template.AllResourcesProperties(jsii.String("AWS::Logs::LogGroup"), &map[string]any{"RetentionInDays": 90})
	})
	for _, f := range sys.Functions {
		props := resource(t, logicalID(f.Name)+"Function").Properties
		if props["MemorySize"] != float64(f.MemoryMB) || props["Timeout"] != float64(f.TimeoutSec) {
			t.Errorf("%s: %v MB / %v s, want %d MB / %d s", f.Name, props["MemorySize"], props["Timeout"], f.MemoryMB, f.TimeoutSec)
		}
		logGroup := refsIn(obj(props["LoggingConfig"])["LogGroup"])
		if len(logGroup) != 1 || tmpl.Resources[logGroup[0]].Properties["RetentionInDays"] != float64(90) {
			t.Errorf("%s: log group %v without 3-month retention", f.Name, logGroup)
		}
		if got, want := sortedKeys(obj(obj(props["Environment"])["Variables"])), expectedEnvNames(f); !slices.Equal(got, want) {
			t.Errorf("%s: environment %v, want %v", f.Name, got, want)
		}
		if scheduled := len(f.Schedules) > 0; scheduled != refersTo(props["DeadLetterConfig"], idOf(t, "ScheduledRunsDLQ")) {
			t.Errorf("%s: scheduled %v but dead-letter config %v", f.Name, scheduled, props["DeadLetterConfig"])
		}
	}
}

func expectedEnvNames(f catalog.Function) []string {
	env := f.Environment(func(string) string { return "" }, func(string) string { return "" })
	for _, s := range f.Secrets {
		env[s.Env+"_ARN"] = ""
	}
	for _, s := range f.Settings {
		env[s.Env+"_PARAMETER"], env["SETTINGS_VERSION"] = "", ""
	}
	if f.StaffSignIn {
		for _, k := range catalog.StaffSignInEnv {
			env[k] = ""
		}
	}
	return sortedKeys(env)
}

func TestSecretsArePassedByARN(t *testing.T) {
	count := 0
	for _, f := range sys.Functions {
		env := obj(obj(resource(t, logicalID(f.Name)+"Function").Properties["Environment"])["Variables"])
		for _, s := range f.Secrets {
			count++
			refs := refsIn(env[s.Env+"_ARN"])
			if len(refs) != 1 || tmpl.Resources[refs[0]].Type != "AWS::SecretsManager::Secret" {
				t.Fatalf("%s: %s_ARN = %v, want a secret's ARN", f.Name, s.Env, env[s.Env+"_ARN"])
			}
			secret := tmpl.Resources[refs[0]]
			if secret.Properties["GenerateSecretString"] == nil || secret.DeletionPolicy != "Retain" {
				t.Errorf("%s: secret %v should be generated and retained", f.Name, secret)
			}
			if !slices.Contains(actionsOn(t, f.Name, refs[0]), "secretsmanager:GetSecretValue") {
				t.Errorf("%s cannot read %s", f.Name, s.Env)
			}
		}
	}
	assertTemplate(t, func() { template.ResourceCountIs(jsii.String("AWS::SecretsManager::Secret"), jsii.Number(count)) })
}

func TestHTTPAPIRoutesAndAuthorizer(t *testing.T) {
	authorizerID := idOf(t, "HttpApiStaffJwt")
	assertTemplate(t, func() {
		template.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Api"), jsii.Number(1))
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), &map[string]any{"ProtocolType": "HTTP"})
		template.AllResourcesProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": "2.0"})
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), &map[string]any{
			"AuthorizerType": "JWT",
			"JwtConfiguration": map[string]any{
				"Audience": []any{map[string]any{"Ref": idOf(t, "StaffUserPoolStaffApp")}},
				"Issuer":   map[string]any{"Fn::GetAtt": []any{idOf(t, "StaffUserPool"), "ProviderURL"}},
			},
		})
	})
	routes := map[string]cfnResource{}
	for _, r := range ofType("AWS::ApiGatewayV2::Route") {
		routes[r.Properties["RouteKey"].(string)] = r
	}
	total := 0
	for _, f := range sys.Functions {
		for _, r := range f.Routes {
			total++
			checkRoute(t, f, r, routes[r.RouteKey()], authorizerID)
		}
	}
	if len(routes) != total {
		t.Errorf("%d routes, the catalog has %d", len(routes), total)
	}
}

func checkRoute(t *testing.T, f catalog.Function, r catalog.Route, route cfnResource, authorizerID string) {
	t.Helper()
	if route.Properties == nil {
		t.Errorf("%s: no route", r.RouteKey())
		return
	}
	staff := r.Auth == catalog.Staff
	if wantType := map[bool]string{true: "JWT", false: "NONE"}[staff]; route.Properties["AuthorizationType"] != wantType ||
		refersTo(route.Properties["AuthorizerId"], authorizerID) != staff {
		t.Errorf("%s (%s): authorization %v / %v", r.RouteKey(), r.Auth, route.Properties["AuthorizationType"], route.Properties["AuthorizerId"])
	}
	integration := refsIn(route.Properties["Target"])
	if len(integration) != 1 || !refersTo(tmpl.Resources[integration[0]].Properties["IntegrationUri"], idOf(t, logicalID(f.Name)+"Function")) {
		t.Errorf("%s: does not reach %s", r.RouteKey(), f.Name)
	}
}

func TestDefaultStageThrottlesAndLogsAccess(t *testing.T) {
	assertTemplate(t, func() {
		template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
			"StageName": "$default", "AutoDeploy": true,
			"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": DefaultRateLimit, "ThrottlingBurstLimit": DefaultBurstLimit},
			"AccessLogSettings": map[string]any{
				"DestinationArn": map[string]any{"Fn::GetAtt": []any{idOf(t, "ApiAccessLogs"), "Arn"}},
				"Format":         accessLogFormat,
			},
		})
	})
	var fields map[string]string
	if err := json.Unmarshal([]byte(accessLogFormat), &fields); err != nil {
		t.Fatalf("access log format is not JSON: %v", err)
	}
	for _, want := range []string{"requestId", "ip", "routeKey", "status", "responseLength", "integrationError"} {
		if fields[want] == "" {
			t.Errorf("access log lacks %s", want)
		}
	}
	for name, value := range fields {
		if strings.Contains(value, "$input") || strings.Contains(value, "claims") || strings.Contains(strings.ToLower(name), "body") {
			t.Errorf("access log field %s = %s may carry personal data", name, value)
		}
	}
}

func TestAPIURLIsAnOutput(t *testing.T) {
	want := map[string]any{"Fn::GetAtt": []any{idOf(t, "HttpApi"), "ApiEndpoint"}}
	if got := obj(tmpl.Outputs["ApiUrl"])["Value"]; !reflect.DeepEqual(got, want) {
		t.Errorf("ApiUrl output = %v, want %v", got, want)
	}
}

func TestStaffUserPool(t *testing.T) {
	assertTemplate(t, func() {
		template.HasResource(jsii.String("AWS::Cognito::UserPool"), &map[string]any{
			"DeletionPolicy": "Retain",
			"Properties": assertions.Match_ObjectLike(&map[string]any{
				"AdminCreateUserConfig": map[string]any{"AllowAdminCreateUserOnly": true},
				"MfaConfiguration":      "ON",
				"EnabledMfas":           []any{"SOFTWARE_TOKEN_MFA"},
				"Policies": map[string]any{"PasswordPolicy": map[string]any{
					"MinimumLength": 12, "RequireLowercase": true, "RequireUppercase": true, "RequireNumbers": true,
					"RequireSymbols": true, "TemporaryPasswordValidityDays": 3,
				}},
				"UserPoolAddOns": map[string]any{"AdvancedSecurityMode": "ENFORCED"},
			}),
		})
		template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolClient"), &map[string]any{
			"GenerateSecret":                  false,
			"ExplicitAuthFlows":               []any{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
			"AllowedOAuthFlowsUserPoolClient": false,
		})
	})
	var groups []string
	for _, g := range ofType("AWS::Cognito::UserPoolGroup") {
		groups = append(groups, g.Properties["GroupName"].(string))
	}
	want := []string{catalog.GroupASBManager, catalog.GroupASBOfficer, catalog.GroupAllocationsOfficer, catalog.GroupComplaintsManager, catalog.GroupComplaintsOfficer,
		catalog.GroupHousingSolutionsManager, catalog.GroupInformationGovernance}
	if slices.Sort(groups); !slices.Equal(groups, sortedSet(want)) {
		t.Errorf("groups %v, want %v", groups, sortedSet(want))
	}
}

func TestQueueEventSources(t *testing.T) {
	triggers := 0
	for _, f := range sys.Functions {
		if f.Queue == nil {
			continue
		}
		triggers++
		assertTemplate(t, func() {
			template.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"), &map[string]any{
				"FunctionName":          map[string]any{"Ref": idOf(t, logicalID(f.Name)+"Function")},
				"EventSourceArn":        map[string]any{"Fn::GetAtt": []any{idOf(t, logicalID(f.Queue.Queue)+"Queue"), "Arn"}},
				"BatchSize":             f.Queue.BatchSize,
				"FunctionResponseTypes": []any{"ReportBatchItemFailures"},
				"ScalingConfig":         map[string]any{"MaximumConcurrency": f.Queue.MaxConcurrency},
			})
		})
	}
	assertTemplate(t, func() {
		template.ResourceCountIs(jsii.String("AWS::Lambda::EventSourceMapping"), jsii.Number(triggers))
	})
}

func TestSchedulesRunInLondonTime(t *testing.T) {
	for _, f := range sys.Functions {
		for _, s := range f.Schedules {
			schedule := tmpl.Resources[logicalID(s.Name)+"Schedule"].Properties
			target := obj(schedule["Target"])
			if schedule["ScheduleExpression"] != s.Cron || schedule["ScheduleExpressionTimezone"] != "Europe/London" ||
				!reflect.DeepEqual(schedule["FlexibleTimeWindow"], map[string]any{"Mode": "OFF"}) {
				t.Errorf("%s: %v", s.Name, schedule)
			}
			fnID := idOf(t, logicalID(f.Name)+"Function")
			if !refersTo(target["Arn"], fnID) || target["RetryPolicy"] == nil || !refersTo(target["DeadLetterConfig"], idOf(t, "ScheduledRunsDLQ")) {
				t.Errorf("%s: target %v", s.Name, target)
			}
			checkScheduledEvent(t, s.Name, target["Input"])
			checkScheduleRole(t, s.Name, refsIn(target["RoleArn"]), fnID)
		}
	}
}

// checkScheduledEvent: the function receives the same EventBridge-shaped event as in the local cloud.
func checkScheduledEvent(t *testing.T, name string, input any) {
	t.Helper()
	want := map[string]any{
		"version": "0", "id": "<aws.scheduler.execution-id>", "detail-type": "Scheduled Event", "source": "aws.scheduler",
		"account": testAccount, "time": "<aws.scheduler.scheduled-time>", "region": testRegion,
		"resources": []any{"<aws.scheduler.schedule-arn>"}, "detail": map[string]any{},
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(fmt.Sprint(input)), &got); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%s: input %v, want %v (%v)", name, input, want, err)
	}
}

// checkScheduleRole: the scheduler may invoke only its function and report failures to the scheduled DLQ.
func checkScheduleRole(t *testing.T, name string, roleRefs []string, fnID string) {
	t.Helper()
	if len(roleRefs) != 1 {
		t.Fatalf("%s: role %v", name, roleRefs)
	}
	for _, s := range roleStatements(roleRefs[0]) {
		invokesFunction := slices.Equal(s.Actions, []string{"lambda:InvokeFunction"}) &&
			reflect.DeepEqual(s.Resources, map[string]any{"Fn::GetAtt": []any{fnID, "Arn"}})
		sendsToDLQ := slices.Contains(s.Actions, "sqs:SendMessage") && refersTo(s.Resources, idOf(t, "ScheduledRunsDLQ"))
		if !invokesFunction && !sendsToDLQ {
			t.Errorf("%s: schedule role may %v on %v", name, s.Actions, s.Resources)
		}
	}
	trust, _ := json.Marshal(tmpl.Resources[roleRefs[0]].Properties["AssumeRolePolicyDocument"])
	if !strings.Contains(string(trust), `"Service":"scheduler.amazonaws.com"`) || !strings.Contains(string(trust), "aws:SourceAccount") {
		t.Errorf("%s: trust policy %s", name, trust)
	}
}

func TestNoManagedOrWildcardPolicies(t *testing.T) {
	for id, r := range ofType("AWS::IAM::Role") {
		if arns := r.Properties["ManagedPolicyArns"]; arns != nil {
			t.Errorf("%s has managed policies %v (FullAccess or not, grants come from the catalog)", id, arns)
		}
	}
	for id, p := range ofType("AWS::IAM::Policy") {
		for _, s := range list(obj(p.Properties["PolicyDocument"])["Statement"]) {
			s := obj(s)
			for _, action := range stringList(s["Action"]) {
				if action == "*" || strings.HasSuffix(action, ":*") {
					t.Errorf("%s: wildcard action %s", id, action)
				}
			}
			if s["Resource"] == "*" && !allXRay(stringList(s["Action"])) {
				t.Errorf("%s: %v on every resource", id, s["Action"])
			}
		}
	}
}

func allXRay(actions []string) bool {
	return !slices.ContainsFunc(actions, func(a string) bool { return !strings.HasPrefix(a, "xray:") })
}

func TestOOHIntakeCannotTouchTheCasesTable(t *testing.T) {
	if actions := actionsOn(t, "ooh-intake", idOf(t, "CasesTable")); len(actions) > 0 {
		t.Errorf("ooh-intake may %v on the cases table", actions)
	}
	if !slices.Contains(actionsOn(t, "ooh-intake", idOf(t, "OohCallsQueue")), "sqs:SendMessage") {
		t.Error("ooh-intake cannot queue calls")
	}
}

func TestNotifierCannotSendToOOHCalls(t *testing.T) {
	if actions := actionsOn(t, "notifier", idOf(t, "OohCallsQueue")); len(actions) > 0 {
		t.Errorf("notifier may %v on ooh-calls", actions)
	}
	if actions := actionsOn(t, "notifier", idOf(t, "NotificationsQueue")); slices.Contains(actions, "sqs:SendMessage") || !slices.Contains(actions, "sqs:DeleteMessage") {
		t.Errorf("notifier on its own queue: %v, want consume only", actions)
	}
}

// referral-sender takes referrals and sends nothing to any queue (it emails through Notify).
func TestReferralSenderConsumesReferralsOnly(t *testing.T) {
	if actions := actionsOn(t, "referral-sender", idOf(t, "ReferralsQueue")); slices.Contains(actions, "sqs:SendMessage") || !slices.Contains(actions, "sqs:DeleteMessage") {
		t.Errorf("referral-sender on referrals: %v, want consume only", actions)
	}
	for _, q := range []string{"OohCallsQueue", "NotificationsQueue"} {
		if actions := actionsOn(t, "referral-sender", idOf(t, q)); len(actions) > 0 {
			t.Errorf("referral-sender may %v on %s", actions, q)
		}
	}
}

var writeActions = []string{"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}

// Every grant on a table, queue or secret is one the catalog names, at the access it names.
func TestGrantsAreExactlyTheCatalogs(t *testing.T) {
	for _, f := range sys.Functions {
		for _, table := range sys.Tables {
			actions := actionsOn(t, f.Name, idOf(t, logicalID(table.Name)+"Table"))
			access, uses := f.Tables[table.Name]
			writes := slices.ContainsFunc(actions, func(a string) bool { return slices.Contains(writeActions, a) })
			if uses != (len(actions) > 0) || writes != (access == catalog.ReadWrite) || (uses && !slices.Contains(actions, "dynamodb:Query")) {
				t.Errorf("%s on table %s (catalog: %q): %v", f.Name, table.Name, access, actions)
			}
		}
		for _, q := range sys.Queues {
			actions := actionsOn(t, f.Name, idOf(t, logicalID(q.Name)+"Queue"))
			sends, consumes := slices.Contains(actions, "sqs:SendMessage"), slices.Contains(actions, "sqs:ReceiveMessage")
			if sends != slices.Contains(f.SendsTo, q.Name) || consumes != (f.Queue != nil && f.Queue.Queue == q.Name) {
				t.Errorf("%s on queue %s: %v", f.Name, q.Name, actions)
			}
			if actions := actionsOn(t, f.Name, idOf(t, logicalID(q.Name)+"DLQ")); len(actions) > 0 {
				t.Errorf("%s on the %s DLQ: %v", f.Name, q.Name, actions)
			}
		}
	}
}

// cdk-nag: the AwsSolutions pack reports no error that is not suppressed with a reason (nag.go), and it does
// report errors on a stack that deserves them, so a silent pack cannot pass this test.
func TestCdkNagAwsSolutions(t *testing.T) {
	for _, e := range nagErrors {
		t.Error(e)
	}
	if !slices.ContainsFunc(canaryErrors, func(e string) bool { return strings.Contains(e, "AwsSolutions-SQS3") }) {
		t.Errorf("the AwsSolutions pack did not flag a queue without a DLQ: %v", canaryErrors)
	}
}

// No CDK deprecation or nag warnings: a new warning is either fixed or explained.
func TestSynthesisHasNoWarnings(t *testing.T) {
	for _, w := range stackWarnings {
		t.Error(w)
	}
}

// An inconsistent catalog stops synthesis before anything reaches AWS.
func TestInconsistentCatalogIsRefused(t *testing.T) {
	broken := catalog.Catalog{Functions: []catalog.Function{{Name: "orphan", MemoryMB: 128, TimeoutSec: 3,
		Tables: map[string]catalog.Access{"missing": catalog.Read}}}}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "unknown table missing") {
			t.Errorf("recovered %v, want the catalog's validation error", r)
		}
	}()
	NewHousingStack(nil, "Broken", &HousingStackProps{Catalog: broken})
}

// The staff console signs in through Cognito's managed login: its own app client, for the authorization code
// grant only (no implicit grant, no client credentials, no password flows), a public client (no secret: PKCE
// protects the code), scopes openid, email and profile, calling back only to the site's own domain; a Cognito
// domain with managed login (version 2) and a style for the client; and staff-web told where they are. The
// JSON API's client and its JWT audience are unchanged.
func TestStaffConsoleSignsInThroughManagedLogin(t *testing.T) {
	var console map[string]any
	for _, c := range ofType("AWS::Cognito::UserPoolClient") {
		if flows, _ := c.Properties["AllowedOAuthFlows"].([]any); len(flows) > 0 {
			if console != nil {
				t.Fatal("more than one OAuth client")
			}
			console = c.Properties
		}
	}
	if console == nil {
		t.Fatal("no OAuth app client for the staff console")
	}
	site := "https://housing.council.example" // infra/config/example.json's site.url
	for key, want := range map[string]any{
		"AllowedOAuthFlows": []any{"code"}, "AllowedOAuthFlowsUserPoolClient": true,
		"AllowedOAuthScopes":         []any{"openid", "email", "profile"},
		"CallbackURLs":               []any{site + "/staff/callback"},
		"LogoutURLs":                 []any{site + "/staff/signed-out"},
		"SupportedIdentityProviders": []any{"COGNITO"},
		"GenerateSecret":             false,
		"PreventUserExistenceErrors": "ENABLED",
	} {
		if got := console[key]; !reflect.DeepEqual(got, want) {
			t.Errorf("console client %s = %v, want %v", key, got, want)
		}
	}
	if flows, ok := console["ExplicitAuthFlows"].([]any); ok && slices.ContainsFunc(flows, func(f any) bool {
		return f != "ALLOW_REFRESH_TOKEN_AUTH"
	}) {
		t.Errorf("the console client allows sign-in flows other than the managed login: %v", flows)
	}
	assertTemplate(t, func() {
		template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolDomain"), &map[string]any{
			"Domain": "housing-council-example-staff", "ManagedLoginVersion": 2,
		})
		template.HasResourceProperties(jsii.String("AWS::Cognito::ManagedLoginBranding"), &map[string]any{"UseCognitoProvidedValues": true})
	})
	// the API's JWT authorizer still accepts only the API client's tokens
	for _, a := range ofType("AWS::ApiGatewayV2::Authorizer") {
		aud := a.Properties["JwtConfiguration"].(map[string]any)["Audience"].([]any)
		if len(aud) != 1 || refsIn(aud)[0] == "" {
			t.Errorf("authorizer audience %v", aud)
		}
	}
	fn := ofType("AWS::Lambda::Function")
	var env map[string]any
	for _, f := range fn {
		if d, _ := f.Properties["Description"].(string); strings.HasPrefix(d, "Staff console") {
			env = f.Properties["Environment"].(map[string]any)["Variables"].(map[string]any)
		}
	}
	for _, k := range catalog.StaffSignInEnv {
		if env[k] == nil {
			t.Errorf("staff-web has no %s", k)
		}
	}
}
