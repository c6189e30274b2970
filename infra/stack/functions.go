package stack

import (
	"fmt"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdaeventsources"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsscheduler"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// function is provided.al2023 on Graviton from dist/<fn>/bootstrap, with JSON logs kept for three months, its
// own role (no managed policies) and only the access its catalog entry names.
func (b *builder) function(f catalog.Function) awslambda.Function {
	id := logicalID(f.Name)
	logs := b.logGroup(id + "Logs")
	b.logGroups[f.Name] = logs
	role := awsiam.NewRole(b.stack, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs the " + f.Name + " function"),
	})
	logs.GrantWrite(role) // instead of AWSLambdaBasicExecutionRole, which may write to every log group
	env := f.Environment(
		func(t string) string { return *b.tables[t].TableName() },
		func(q string) string { return *b.queues[q].QueueUrl() })
	secrets := b.secrets(f, env)
	b.settingsEnv(f, env)
	props := &awslambda.FunctionProps{
		Description:           jsii.String(f.Description),
		Runtime:               awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:          awslambda.Architecture_ARM_64(),
		Handler:               jsii.String("bootstrap"),
		Code:                  awslambda.Code_FromAsset(jsii.String(filepath.Join(b.props.DistDir, f.Name)), nil),
		MemorySize:            jsii.Number(float64(f.MemoryMB)),
		Timeout:               seconds(f.TimeoutSec),
		Role:                  role,
		LogGroup:              logs,
		LoggingFormat:         awslambda.LoggingFormat_JSON,
		ApplicationLogLevelV2: awslambda.ApplicationLogLevel_INFO,
		SystemLogLevelV2:      awslambda.SystemLogLevel_WARN,
		Environment:           stringMap(env),
		Tracing:               awslambda.Tracing_ACTIVE,
		Layers:                &[]awslambda.ILayerVersion{b.collectorLayer()},
	}
	if len(f.Schedules) > 0 {
		// Scheduler invokes asynchronously; a run that still fails after Lambda's retries lands here.
		props.DeadLetterQueue = b.scheduledDLQ
	}
	fn := awslambda.NewFunction(b.stack, jsii.String(id+"Function"), props)
	for _, s := range secrets {
		s.GrantRead(fn, nil)
	}
	for _, s := range f.Settings {
		b.parameters[s.Name].GrantRead(fn)
	}
	b.grantCatalogAccess(f, fn)
	if f.Queue != nil {
		fn.AddEventSource(b.queueEventSource(*f.Queue))
	}
	for _, s := range f.Schedules {
		b.schedule(s, fn)
	}
	suppressFunctionRoleFindings(role)
	return fn
}

// collectorLayer is the ADOT collector layer (where catalog.TracingEnv sends each function's spans) for Graviton in the stack's region (AWS publishes it; its default
// configuration receives OTLP on localhost and exports to X-Ray). The version is pinned: a new one is a
// reviewed change, not a surprise at deploy.
func (b *builder) collectorLayer() awslambda.ILayerVersion {
	if b.adotLayer == nil {
		arn := awslambda.AdotLambdaLayerGenericVersion_V0_115_0().LayerArn(b.stack, awslambda.Architecture_ARM_64())
		b.adotLayer = awslambda.LayerVersion_FromLayerVersionArn(b.stack, jsii.String("OpenTelemetryCollectorLayer"), arn)
	}
	return b.adotLayer
}

// logGroup is retained when the stack goes so the last three months stay available for audit; the retention
// period still deletes the entries on time.
func (b *builder) logGroup(id string) awslogs.LogGroup {
	return awslogs.NewLogGroup(b.stack, jsii.String(id), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_THREE_MONTHS, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
}

// secrets creates a Secrets Manager secret per catalog secret, with a generated placeholder that operators
// replace with the real value, and passes its ARN as <Env>_ARN. Retained, so a redeploy never loses the value.
func (b *builder) secrets(f catalog.Function, env map[string]string) []awssecretsmanager.Secret {
	var secrets []awssecretsmanager.Secret
	for _, s := range f.Secrets {
		secret := awssecretsmanager.NewSecret(b.stack, jsii.String(logicalID(f.Name)+logicalID(s.Env)+"Secret"), &awssecretsmanager.SecretProps{
			Description:   jsii.String(fmt.Sprintf("%s: %s (replace the generated value after the first deploy)", f.Name, s.Description)),
			RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		})
		suppressManualRotation(secret)
		env[s.Env+"_ARN"] = *secret.SecretArn()
		secrets = append(secrets, secret)
	}
	return secrets
}

// grantCatalogAccess gives read or read/write on each table (and its indexes) and send-only on each queue the
// function sends to; nothing else.
func (b *builder) grantCatalogAccess(f catalog.Function, fn awslambda.Function) {
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
}

// queueEventSource reports partial batch failures, so one bad message is retried (and dead-lettered) alone.
// The event source grants the consume permissions on its queue.
func (b *builder) queueEventSource(t catalog.QueueTrigger) awslambda.IEventSource {
	props := &awslambdaeventsources.SqsEventSourceProps{
		BatchSize:               jsii.Number(float64(t.BatchSize)),
		MaxConcurrency:          jsii.Number(float64(t.MaxConcurrency)),
		ReportBatchItemFailures: jsii.Bool(true),
	}
	if t.BatchWindowSec > 0 {
		props.MaxBatchingWindow = seconds(t.BatchWindowSec)
	}
	return awslambdaeventsources.NewSqsEventSource(b.queues[t.Queue], props)
}

// scheduledEvent makes EventBridge Scheduler send an EventBridge-shaped "Scheduled Event" whose time is the
// scheduled time, so the function receives the same event in AWS and in the local cloud.
const scheduledEvent = `{"version":"0","id":"<aws.scheduler.execution-id>","detail-type":"Scheduled Event",` +
	`"source":"aws.scheduler","account":"%s","time":"<aws.scheduler.scheduled-time>","region":"%s",` +
	`"resources":["<aws.scheduler.schedule-arn>"],"detail":{}}`

// schedule runs fn on the catalog's cron in Europe/London (so 07:00 stays 07:00 across BST), at the exact
// time, through a role that may invoke only fn. Runs the scheduler cannot deliver go to the scheduled DLQ.
func (b *builder) schedule(s catalog.Schedule, fn awslambda.Function) {
	id := logicalID(s.Name)
	role := awsiam.NewRole(b.stack, jsii.String(id+"ScheduleRole"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("scheduler.amazonaws.com"), &awsiam.ServicePrincipalOpts{
			Conditions: &map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": b.stack.Account()}},
		}),
		Description: jsii.String("Lets EventBridge Scheduler run " + s.Name),
	})
	role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("lambda:InvokeFunction"), Resources: &[]*string{fn.FunctionArn()},
	}))
	b.scheduledDLQ.GrantSendMessages(role)
	awsscheduler.NewCfnSchedule(b.stack, jsii.String(id+"Schedule"), &awsscheduler.CfnScheduleProps{
		Description:                jsii.String(s.Name + ": " + s.Cron),
		ScheduleExpression:         jsii.String(s.Cron),
		ScheduleExpressionTimezone: jsii.String(catalog.TimeZone),
		FlexibleTimeWindow:         &awsscheduler.CfnSchedule_FlexibleTimeWindowProperty{Mode: jsii.String("OFF")},
		Target: &awsscheduler.CfnSchedule_TargetProperty{
			Arn:              fn.FunctionArn(),
			RoleArn:          role.RoleArn(),
			Input:            jsii.String(fmt.Sprintf(scheduledEvent, *b.stack.Account(), *b.stack.Region())),
			RetryPolicy:      &awsscheduler.CfnSchedule_RetryPolicyProperty{MaximumRetryAttempts: jsii.Number(3), MaximumEventAgeInSeconds: jsii.Number(3600)},
			DeadLetterConfig: &awsscheduler.CfnSchedule_DeadLetterConfigProperty{Arn: b.scheduledDLQ.QueueArn()},
		},
	})
}
