package stack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/councilhousing/backend/infra/catalog"
)

var (
	template  assertions.Template
	resources map[string]resource // the synthesised template, for checks easier in plain Go
	nagErrors *[]*cxapi.SynthesisMessage
)

type resource struct {
	Type           string         `json:"Type"`
	Properties     map[string]any `json:"Properties"`
	DeletionPolicy string         `json:"DeletionPolicy"`
	UpdateReplace  string         `json:"UpdateReplacePolicy"`
}

// TestMain synthesises the stack once (jsii starts one node process) and closes jsii once.
func TestMain(m *testing.M) {
	code := func() int {
		defer jsii.Close()
		dist, err := os.MkdirTemp("", "dist")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(dist)
		for _, f := range catalog.System().Functions {
			_ = os.MkdirAll(filepath.Join(dist, f.Name), 0o755)
			_ = os.WriteFile(filepath.Join(dist, f.Name, "bootstrap"), []byte("#!/bin/sh\n"), 0o755)
		}
		app := awscdk.NewApp(nil)
		stack := New(app, "Test", Props{Catalog: catalog.System(), DistDir: dist,
			StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("eu-west-2")}}})
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{}), nil)
		template = assertions.Template_FromStack(stack, nil)
		nagErrors = assertions.Annotations_FromStack(stack).FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String(".*")))
		raw, _ := json.Marshal(template.ToJSON())
		var doc struct {
			Resources map[string]resource `json:"Resources"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			panic(err)
		}
		resources = doc.Resources
		return m.Run()
	}()
	os.Exit(code)
}

func ofType(t string) map[string]resource {
	out := map[string]resource{}
	for id, r := range resources {
		if r.Type == t {
			out[id] = r
		}
	}
	return out
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func TestTables(t *testing.T) {
	template.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(len(catalog.System().Tables)))
	template.AllResourcesProperties(jsii.String("AWS::DynamoDB::Table"), &map[string]any{
		"BillingMode":                      "PAY_PER_REQUEST",
		"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
		"SSESpecification":                 map[string]any{"SSEEnabled": true},
	})
	template.AllResources(jsii.String("AWS::DynamoDB::Table"), &map[string]any{"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})
	for _, r := range ofType("AWS::DynamoDB::Table") {
		if _, deprecated := r.Properties["PointInTimeRecoveryEnabled"]; deprecated {
			t.Error("uses the deprecated point-in-time recovery property")
		}
	}
	template.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), &map[string]any{
		"TimeToLiveSpecification": map[string]any{"AttributeName": "expiresAt", "Enabled": true},
	})
	template.HasResourceProperties(jsii.String("AWS::DynamoDB::Table"), &map[string]any{
		"GlobalSecondaryIndexes": assertions.Match_ArrayWith(&[]any{map[string]any{
			"IndexName":  catalog.IndexDeadlines,
			"KeySchema":  []any{map[string]any{"AttributeName": "duePk", "KeyType": "HASH"}, map[string]any{"AttributeName": "dueSk", "KeyType": "RANGE"}},
			"Projection": map[string]any{"ProjectionType": "ALL"},
		}}),
	})
}

func TestQueues(t *testing.T) {
	sys := catalog.System()
	template.ResourceCountIs(jsii.String("AWS::SQS::Queue"), jsii.Number(2*len(sys.Queues)))
	template.AllResourcesProperties(jsii.String("AWS::SQS::Queue"), &map[string]any{"SqsManagedSseEnabled": true})
	mains := 0
	for _, r := range ofType("AWS::SQS::Queue") {
		redrive := obj(r.Properties["RedrivePolicy"])
		if redrive == nil {
			continue
		}
		mains++
		if redrive["maxReceiveCount"] != float64(3) {
			t.Errorf("maxReceiveCount %v", redrive["maxReceiveCount"])
		}
	}
	if mains != len(sys.Queues) {
		t.Errorf("%d queues with a DLQ, want %d", mains, len(sys.Queues))
	}
	for _, q := range sys.Queues {
		if f, ok := sys.Consumer(q.Name); ok {
			template.HasResourceProperties(jsii.String("AWS::SQS::Queue"), &map[string]any{
				"VisibilityTimeout": 6 * f.TimeoutSec, "RedrivePolicy": assertions.Match_ObjectLike(&map[string]any{"maxReceiveCount": 3})})
		}
	}
	// enforceSSL: every queue has a policy denying aws:SecureTransport = false
	policies := ofType("AWS::SQS::QueuePolicy")
	denied := 0
	for _, p := range policies {
		raw, _ := json.Marshal(p.Properties)
		if strings.Contains(string(raw), `"aws:SecureTransport":"false"`) && strings.Contains(string(raw), `"Effect":"Deny"`) {
			denied++
		}
	}
	if denied != 2*len(sys.Queues) {
		t.Errorf("%d queue policies enforce TLS, want %d", denied, 2*len(sys.Queues))
	}
	template.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(len(sys.Queues)))
	template.AllResourcesProperties(jsii.String("AWS::CloudWatch::Alarm"), &map[string]any{
		"MetricName": "ApproximateNumberOfMessagesVisible", "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
	})
}

func TestFunctions(t *testing.T) {
	sys := catalog.System()
	template.ResourceCountIs(jsii.String("AWS::Lambda::Function"), jsii.Number(len(sys.Functions)))
	template.AllResourcesProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
		"Runtime": "provided.al2023", "Architectures": []any{"arm64"}, "Handler": "bootstrap",
		"LoggingConfig": assertions.Match_ObjectLike(&map[string]any{"LogFormat": "JSON"}),
	})
	for _, f := range sys.Functions {
		env := map[string]any{}
		for t := range f.Tables {
			env[catalog.TableEnv(t)] = assertions.Match_AnyValue()
		}
		for _, s := range f.Secrets {
			env[s.Env+"_ARN"] = assertions.Match_AnyValue()
		}
		template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), &map[string]any{
			"Description": f.Description, "MemorySize": f.MemoryMB, "Timeout": f.TimeoutSec,
			"Environment": map[string]any{"Variables": assertions.Match_ObjectLike(&env)},
		})
	}
	template.AllResourcesProperties(jsii.String("AWS::Logs::LogGroup"), &map[string]any{"RetentionInDays": 90})
	template.ResourceCountIs(jsii.String("AWS::Logs::LogGroup"), jsii.Number(len(sys.Functions)+1))
}

func TestEventSourcesAndSchedules(t *testing.T) {
	sys := catalog.System()
	for _, f := range sys.Functions {
		if f.Queue != nil {
			template.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"), &map[string]any{
				"BatchSize": f.Queue.BatchSize, "FunctionResponseTypes": []any{"ReportBatchItemFailures"},
				"ScalingConfig": map[string]any{"MaximumConcurrency": f.Queue.MaxConcurrency},
			})
		}
		for _, s := range f.Schedules {
			template.HasResourceProperties(jsii.String("AWS::Scheduler::Schedule"), &map[string]any{
				"ScheduleExpression": s.Cron, "ScheduleExpressionTimezone": "Europe/London",
				"FlexibleTimeWindow": map[string]any{"Mode": "OFF"},
				"Target":             assertions.Match_ObjectLike(&map[string]any{"Input": assertions.Match_StringLikeRegexp(jsii.String(`aws\.scheduler\.scheduled-time`))}),
			})
		}
	}
}

func TestAPI(t *testing.T) {
	sys := catalog.System()
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), &map[string]any{"ProtocolType": "HTTP"})
	template.AllResourcesProperties(jsii.String("AWS::ApiGatewayV2::Integration"), &map[string]any{"PayloadFormatVersion": "2.0", "IntegrationType": "AWS_PROXY"})
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), &map[string]any{
		"AuthorizerType": "JWT",
		"JwtConfiguration": map[string]any{
			"Audience": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("StaffPoolStaffApp"))}},
			"Issuer":   assertions.Match_AnyValue(),
		},
	})
	routes, staff := 0, 0
	for _, f := range sys.Functions {
		for _, r := range f.Routes {
			routes++
			props := map[string]any{"RouteKey": r.RouteKey()}
			if r.Auth == catalog.Staff {
				staff++
				props["AuthorizationType"] = "JWT"
			} else {
				props["AuthorizationType"] = "NONE"
			}
			template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &props)
		}
	}
	template.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(routes))
	template.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), &map[string]any{
		"StageName": "$default", "AutoDeploy": true,
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100},
		"AccessLogSettings":    map[string]any{"DestinationArn": assertions.Match_AnyValue(), "Format": assertions.Match_StringLikeRegexp(jsii.String(`routeKey`))},
	})
	template.HasOutput(jsii.String("ApiUrl"), &map[string]any{})
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPool"), &map[string]any{
		"MfaConfiguration": "ON", "AdminCreateUserConfig": map[string]any{"AllowAdminCreateUserOnly": true},
	})
	template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolClient"), &map[string]any{"GenerateSecret": false})
	for _, g := range staffGroups(sys) {
		template.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), &map[string]any{"GroupName": g})
	}
	if staff == 0 || staff == routes {
		t.Errorf("%d staff routes of %d", staff, routes)
	}
}

// Least privilege: no managed policies; each role reaches only the tables and queues its catalog entry names.
func TestLeastPrivilege(t *testing.T) {
	for id, r := range ofType("AWS::IAM::Role") {
		raw, _ := json.Marshal(r.Properties["ManagedPolicyArns"])
		if strings.Contains(string(raw), "FullAccess") {
			t.Errorf("%s has a FullAccess managed policy: %s", id, raw)
		}
	}
	policyOf := func(fn string) string {
		prefix := logicalID(fn) + "FunctionServiceRoleDefaultPolicy"
		for id, p := range ofType("AWS::IAM::Policy") {
			if strings.HasPrefix(id, prefix) {
				raw, _ := json.Marshal(p.Properties)
				return string(raw)
			}
		}
		return ""
	}
	intake := policyOf("ooh-intake")
	if strings.Contains(intake, "CasesTable") || !strings.Contains(intake, "IdempotencyTable") || !strings.Contains(intake, "OohCallsQueue") {
		t.Errorf("ooh-intake policy: %s", intake)
	}
	notifier := policyOf("notifier")
	if strings.Contains(notifier, "OohCallsQueue") && strings.Contains(notifier, "sqs:SendMessage") && strings.Contains(notifier, `"OohCallsQueue`) {
		t.Errorf("notifier may send to ooh-calls: %s", notifier)
	}
	reminders := policyOf("deadline-reminders")
	if strings.Contains(reminders, "dynamodb:PutItem") && !strings.Contains(reminders, "IdempotencyTable") {
		t.Errorf("deadline-reminders writes cases: %s", reminders)
	}
	for _, p := range ofType("AWS::IAM::Policy") {
		raw, _ := json.Marshal(p.Properties)
		if strings.Contains(string(raw), `"Action":"*"`) || strings.Contains(string(raw), `"dynamodb:*"`) || strings.Contains(string(raw), `"sqs:*"`) {
			t.Errorf("wildcard action: %s", raw)
		}
	}
}

// cdk-nag's AwsSolutions and Serverless packs find no unsuppressed error (suppressions carry written reasons).
func TestCdkNag(t *testing.T) {
	for _, m := range *nagErrors {
		t.Errorf("%s: %v", *m.Id, m.Entry.Data)
	}
}
