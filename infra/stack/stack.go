// Package stack is the AWS CDK stack of the back end, derived entirely from infra/catalog: it declares no
// function, route, table or queue of its own.
package stack

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/councilhousing/backend/infra/catalog"
)

// Props configure the stack.
type Props struct {
	awscdk.StackProps
	Catalog catalog.Catalog
	DistDir string // folder with <function>/bootstrap, built by `make build`
	// Throttling of the API's default stage (requests per second, burst).
	RateLimit, BurstLimit float64
}

type builder struct {
	stack     awscdk.Stack
	props     Props
	tables    map[string]awsdynamodb.Table
	queues    map[string]awssqs.Queue
	functions map[string]awslambda.Function
	alarms    awssns.Topic
}

// New builds the stack.
func New(scope constructs.Construct, id string, props Props) awscdk.Stack {
	if err := props.Catalog.Validate(); err != nil {
		panic(err)
	}
	if props.RateLimit == 0 {
		props.RateLimit, props.BurstLimit = 50, 100
	}
	b := &builder{
		stack: awscdk.NewStack(scope, jsii.String(id), &props.StackProps), props: props,
		tables: map[string]awsdynamodb.Table{}, queues: map[string]awssqs.Queue{}, functions: map[string]awslambda.Function{},
	}
	b.alarms = awssns.NewTopic(b.stack, jsii.String("OperationalAlarms"), &awssns.TopicProps{
		DisplayName: jsii.String("Housing services alarms"), EnforceSSL: jsii.Bool(true),
	})
	for _, t := range props.Catalog.Tables {
		b.table(t)
	}
	for _, q := range props.Catalog.Queues {
		b.queue(q)
	}
	for _, f := range props.Catalog.Functions {
		b.function(f)
	}
	b.api()
	suppressNagFindings(b.stack)
	return b.stack
}

// suppressNagFindings records, with reasons, the cdk-nag AwsSolutions findings that are deliberate.
func suppressNagFindings(stack awscdk.Stack) {
	reasons := []struct{ id, reason string }{
		{"AwsSolutions-APIG4", "Only staff routes use the JWT authorizer. Public forms are open by design; resident routes check a per-record access token in the function (a wrong token looks like an unknown reference); the out-of-hours webhook is verified with its Standard Webhooks signature in the function."},
		{"AwsSolutions-IAM4", "AWSLambdaBasicExecutionRole only lets each function write its own logs; no FullAccess policy is used anywhere."},
		{"AwsSolutions-IAM5", "Wildcards come from CDK grants that are still scoped: <table>/index/* (queries on the table's own indexes), X-Ray PutTraceSegments (which has no resource-level permissions) and <function>:* (the scheduler invoking the function's versions)."},
		{"AwsSolutions-SMG4", "These secrets are issued by third parties (the answering service's webhook signing secret, the GOV.UK Notify API key) and are rotated with them by hand; there is no rotation Lambda to run."},
		{"AwsSolutions-COG3", "Staff sign-in requires MFA (TOTP) and strong passwords; Cognito threat protection needs the Plus feature plan, a cost the council decides on separately."},
	}
	var suppressions []*cdknag.NagPackSuppression
	for _, r := range reasons {
		suppressions = append(suppressions, &cdknag.NagPackSuppression{Id: jsii.String(r.id), Reason: jsii.String(r.reason)})
	}
	cdknag.NagSuppressions_AddStackSuppressions(stack, &suppressions, jsii.Bool(true))
}

func logicalID(name string) string {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

// table: on demand, point-in-time recovery (the non-deprecated specification), retained on stack deletion,
// encrypted with an AWS-managed KMS key (auditable in CloudTrail, no key to administer).
func (b *builder) table(t catalog.Table) {
	props := &awsdynamodb.TableProps{
		PartitionKey:                     &awsdynamodb.Attribute{Name: jsii.String(t.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:                      awsdynamodb.BillingMode_PAY_PER_REQUEST,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: jsii.Bool(true)},
		RemovalPolicy:                    awscdk.RemovalPolicy_RETAIN,
		Encryption:                       awsdynamodb.TableEncryption_AWS_MANAGED,
		DeletionProtection:               jsii.Bool(true),
	}
	if t.SortKey != "" {
		props.SortKey = &awsdynamodb.Attribute{Name: jsii.String(t.SortKey), Type: awsdynamodb.AttributeType_STRING}
	}
	if t.TTLAttribute != "" {
		props.TimeToLiveAttribute = jsii.String(t.TTLAttribute)
	}
	table := awsdynamodb.NewTable(b.stack, jsii.String(logicalID(t.Name)+"Table"), props)
	for _, g := range t.GSIs {
		table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      jsii.String(g.Name),
			PartitionKey:   &awsdynamodb.Attribute{Name: jsii.String(g.PartitionKey), Type: awsdynamodb.AttributeType_STRING},
			SortKey:        &awsdynamodb.Attribute{Name: jsii.String(g.SortKey), Type: awsdynamodb.AttributeType_STRING},
			ProjectionType: awsdynamodb.ProjectionType_ALL,
		})
	}
	b.tables[t.Name] = table
}

// queue: its own DLQ with an alarm, SQS-managed encryption, TLS only, and a visibility timeout of at least six
// times its consumer's timeout.
func (b *builder) queue(q catalog.Queue) {
	id := logicalID(q.Name)
	dlq := awssqs.NewQueue(b.stack, jsii.String(id+"DLQ"), &awssqs.QueueProps{
		Encryption: awssqs.QueueEncryption_SQS_MANAGED, EnforceSSL: jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	queue := awssqs.NewQueue(b.stack, jsii.String(id+"Queue"), &awssqs.QueueProps{
		Encryption: awssqs.QueueEncryption_SQS_MANAGED, EnforceSSL: jsii.Bool(true),
		VisibilityTimeout: awscdk.Duration_Seconds(jsii.Number(float64(b.props.Catalog.VisibilityTimeoutSec(q.Name)))),
		DeadLetterQueue:   &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(float64(q.MaxReceiveCount))},
	})
	alarm := awscloudwatch.NewAlarm(b.stack, jsii.String(id+"DLQAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription:   jsii.String(fmt.Sprintf("Messages in the %s dead-letter queue: %s", q.Name, q.Purpose)),
		Metric:             dlq.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(5))}),
		Threshold:          jsii.Number(1),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	alarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(b.alarms))
	b.queues[q.Name] = queue
}

// function: provided.al2023 on Graviton, from dist/<fn>/bootstrap, JSON logs with explicit retention, and only
// the access the catalog grants.
func (b *builder) function(f catalog.Function) {
	id := logicalID(f.Name)
	logs := awslogs.NewLogGroup(b.stack, jsii.String(id+"Logs"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_THREE_MONTHS, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	env := f.Environment(
		func(t string) string { return *b.tables[t].TableName() },
		func(q string) string { return *b.queues[q].QueueUrl() })
	var secrets []awssecretsmanager.Secret
	for _, s := range f.Secrets {
		secret := awssecretsmanager.NewSecret(b.stack, jsii.String(id+logicalID(strings.ToLower(s.Env))+"Secret"), &awssecretsmanager.SecretProps{
			Description: jsii.String(s.Description + " (set the real value after deploying)"),
		})
		env[s.Env+"_ARN"] = *secret.SecretArn()
		secrets = append(secrets, secret)
	}
	fn := awslambda.NewFunction(b.stack, jsii.String(id+"Function"), &awslambda.FunctionProps{
		Description:           jsii.String(f.Description),
		Runtime:               awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:          awslambda.Architecture_ARM_64(),
		Handler:               jsii.String("bootstrap"),
		Code:                  awslambda.Code_FromAsset(jsii.String(filepath.Join(b.props.DistDir, f.Name)), nil),
		MemorySize:            jsii.Number(float64(f.MemoryMB)),
		Timeout:               awscdk.Duration_Seconds(jsii.Number(float64(f.TimeoutSec))),
		LoggingFormat:         awslambda.LoggingFormat_JSON,
		ApplicationLogLevelV2: awslambda.ApplicationLogLevel_INFO,
		SystemLogLevelV2:      awslambda.SystemLogLevel_WARN,
		LogGroup:              logs,
		Environment:           stringMap(env),
		Tracing:               awslambda.Tracing_ACTIVE,
	})
	b.functions[f.Name] = fn
	for _, secret := range secrets {
		secret.GrantRead(fn, nil)
	}
	for _, name := range sortedKeys(f.Tables) {
		if f.Tables[name] == catalog.ReadWrite {
			b.tables[name].GrantReadWriteData(fn)
		} else {
			b.tables[name].GrantReadData(fn)
		}
	}
	for _, q := range f.SendsTo {
		b.queues[q].GrantSendMessages(fn)
	}
	if f.Queue != nil {
		fn.AddEventSource(awslambdaeventsources.NewSqsEventSource(b.queues[f.Queue.Queue], &awslambdaeventsources.SqsEventSourceProps{
			BatchSize:               jsii.Number(float64(f.Queue.BatchSize)),
			MaxConcurrency:          jsii.Number(float64(f.Queue.MaxConcurrency)),
			ReportBatchItemFailures: jsii.Bool(true),
			MaxBatchingWindow:       awscdk.Duration_Seconds(jsii.Number(float64(f.Queue.BatchWindowSec))),
		}))
	}
	for _, s := range f.Schedules {
		b.schedule(f, s, fn)
	}
}

// scheduledInput makes EventBridge Scheduler send an EventBridge-shaped event whose time is the scheduled
// time, so the function gets the same event in AWS and in the local cloud.
const scheduledInput = `{"version":"0","id":"<aws.scheduler.execution-id>","detail-type":"Scheduled Event",` +
	`"source":"aws.scheduler","account":"%s","time":"<aws.scheduler.scheduled-time>","region":"%s",` +
	`"resources":["<aws.scheduler.schedule-arn>"],"detail":{}}`

func (b *builder) schedule(f catalog.Function, s catalog.Schedule, fn awslambda.Function) {
	id := logicalID(s.Name)
	role := awsiam.NewRole(b.stack, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("scheduler.amazonaws.com"), nil),
	})
	fn.GrantInvoke(role)
	awsscheduler.NewCfnSchedule(b.stack, jsii.String(id+"Schedule"), &awsscheduler.CfnScheduleProps{
		Description:                jsii.String(fmt.Sprintf("%s: %s", f.Name, s.Cron)),
		ScheduleExpression:         jsii.String(s.Cron),
		ScheduleExpressionTimezone: jsii.String(catalog.TimeZone),
		FlexibleTimeWindow:         &awsscheduler.CfnSchedule_FlexibleTimeWindowProperty{Mode: jsii.String("OFF")},
		Target: &awsscheduler.CfnSchedule_TargetProperty{
			Arn: fn.FunctionArn(), RoleArn: role.RoleArn(),
			Input:       jsii.String(fmt.Sprintf(scheduledInput, *b.stack.Account(), *b.stack.Region())),
			RetryPolicy: &awsscheduler.CfnSchedule_RetryPolicyProperty{MaximumRetryAttempts: jsii.Number(3), MaximumEventAgeInSeconds: jsii.Number(3600)},
		},
	})
}

// api: one HTTP API (payload 2.0), a Cognito user pool with a group per staff role, and a JWT authorizer whose
// audience is the app client, on staff routes only.
func (b *builder) api() {
	pool := awscognito.NewUserPool(b.stack, jsii.String("StaffPool"), &awscognito.UserPoolProps{
		SelfSignUpEnabled: jsii.Bool(false),
		SignInAliases:     &awscognito.SignInAliases{Email: jsii.Bool(true)},
		Mfa:               awscognito.Mfa_REQUIRED,
		MfaSecondFactor:   &awscognito.MfaSecondFactor{Otp: jsii.Bool(true), Sms: jsii.Bool(false)},
		PasswordPolicy: &awscognito.PasswordPolicy{MinLength: jsii.Number(12), RequireDigits: jsii.Bool(true),
			RequireLowercase: jsii.Bool(true), RequireUppercase: jsii.Bool(true), RequireSymbols: jsii.Bool(true)},
		AccountRecovery: awscognito.AccountRecovery_EMAIL_ONLY,
		RemovalPolicy:   awscdk.RemovalPolicy_RETAIN,
	})
	client := pool.AddClient(jsii.String("StaffApp"), &awscognito.UserPoolClientOptions{
		GenerateSecret: jsii.Bool(false), PreventUserExistenceErrors: jsii.Bool(true),
		AuthFlows: &awscognito.AuthFlow{UserSrp: jsii.Bool(true)},
	})
	for _, g := range staffGroups(b.props.Catalog) {
		awscognito.NewCfnUserPoolGroup(b.stack, jsii.String(logicalID(g)+"Group"), &awscognito.CfnUserPoolGroupProps{
			UserPoolId: pool.UserPoolId(), GroupName: jsii.String(g),
		})
	}
	authorizer := awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String("StaffJwt"),
		jsii.String(fmt.Sprintf("https://cognito-idp.%s.amazonaws.com/%s", *b.stack.Region(), *pool.UserPoolId())),
		&awsapigatewayv2authorizers.HttpJwtAuthorizerProps{JwtAudience: jsii.Strings(*client.UserPoolClientId())})
	api := awsapigatewayv2.NewHttpApi(b.stack, jsii.String("HttpApi"), &awsapigatewayv2.HttpApiProps{
		ApiName: jsii.String("housing-services"), CreateDefaultStage: jsii.Bool(false),
	})
	for _, f := range b.props.Catalog.Functions {
		if len(f.Routes) == 0 {
			continue
		}
		integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(logicalID(f.Name)+"Integration"), b.functions[f.Name],
			&awsapigatewayv2integrations.HttpLambdaIntegrationProps{PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0()})
		for _, r := range f.Routes {
			opts := &awsapigatewayv2.AddRoutesOptions{Path: jsii.String(r.Path), Methods: &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(r.Method)}, Integration: integration}
			if r.Auth == catalog.Staff {
				opts.Authorizer = authorizer
			}
			api.AddRoutes(opts)
		}
	}
	b.stage(api)
	awscdk.NewCfnOutput(b.stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: api.ApiEndpoint(), Description: jsii.String("The HTTP API's base URL")})
	awscdk.NewCfnOutput(b.stack, jsii.String("UserPoolId"), &awscdk.CfnOutputProps{Value: pool.UserPoolId()})
	awscdk.NewCfnOutput(b.stack, jsii.String("UserPoolClientId"), &awscdk.CfnOutputProps{Value: client.UserPoolClientId()})
}

// accessLogFormat logs who called what and how it went; never bodies, query strings or tokens.
const accessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",` +
	`"routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength",` +
	`"latency":"$context.responseLatency","integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error"}`

// stage is the $default stage with throttling and JSON access logs (the L1 because the L2's access log settings
// are an interface that jsii's Go binding cannot implement in plain Go).
func (b *builder) stage(api awsapigatewayv2.HttpApi) {
	logs := awslogs.NewLogGroup(b.stack, jsii.String("ApiAccessLogs"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_THREE_MONTHS, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	awsapigatewayv2.NewCfnStage(b.stack, jsii.String("DefaultStage"), &awsapigatewayv2.CfnStageProps{
		ApiId: api.ApiId(), StageName: jsii.String("$default"), AutoDeploy: jsii.Bool(true),
		DefaultRouteSettings: &awsapigatewayv2.CfnStage_RouteSettingsProperty{
			ThrottlingRateLimit: jsii.Number(b.props.RateLimit), ThrottlingBurstLimit: jsii.Number(b.props.BurstLimit),
		},
		AccessLogSettings: &awsapigatewayv2.CfnStage_AccessLogSettingsProperty{DestinationArn: logs.LogGroupArn(), Format: jsii.String(accessLogFormat)},
	})
}

func staffGroups(c catalog.Catalog) []string {
	seen := map[string]bool{}
	for _, f := range c.Functions {
		for _, r := range f.Routes {
			for _, g := range r.Groups {
				seen[g] = true
			}
		}
	}
	return sortedKeys(seen)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func stringMap(m map[string]string) *map[string]*string {
	out := map[string]*string{}
	for k, v := range m {
		out[k] = jsii.String(v)
	}
	return &out
}
