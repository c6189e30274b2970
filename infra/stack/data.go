package stack

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// table is on demand, with point-in-time recovery (the non-deprecated specification), deletion protection, and
// is retained if the stack goes: it holds the council's case records.
//
// Encryption uses the AWS-managed KMS key (aws/dynamodb): every use is in CloudTrail, there is no key policy
// to administer, no monthly key charge, and no risk of an operator disabling a customer key and making the
// records unreadable. A customer-managed key would only add value for cross-account access or crypto-shredding,
// neither of which this service needs.
//
// awsdynamodb.Table (not TableV2) because it renders a plain AWS::DynamoDB::Table with
// PointInTimeRecoverySpecification and no replica machinery, which this single-region service does not need.
func (b *builder) table(t catalog.Table) awsdynamodb.Table {
	props := &awsdynamodb.TableProps{
		PartitionKey:                     stringKey(t.PartitionKey),
		BillingMode:                      awsdynamodb.BillingMode_PAY_PER_REQUEST,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: jsii.Bool(true)},
		RemovalPolicy:                    awscdk.RemovalPolicy_RETAIN,
		DeletionProtection:               jsii.Bool(true),
		Encryption:                       awsdynamodb.TableEncryption_AWS_MANAGED,
	}
	if t.SortKey != "" {
		props.SortKey = stringKey(t.SortKey)
	}
	if t.TTLAttribute != "" {
		props.TimeToLiveAttribute = jsii.String(t.TTLAttribute)
	}
	table := awsdynamodb.NewTable(b.stack, jsii.String(logicalID(t.Name)+"Table"), props)
	for _, g := range t.GSIs {
		projection := awsdynamodb.ProjectionType_ALL
		if g.KeysOnly {
			projection = awsdynamodb.ProjectionType_KEYS_ONLY
		}
		table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      jsii.String(g.Name),
			PartitionKey:   stringKey(g.PartitionKey),
			SortKey:        stringKey(g.SortKey),
			ProjectionType: projection,
		})
	}
	return table
}

func stringKey(name string) *awsdynamodb.Attribute {
	return &awsdynamodb.Attribute{Name: jsii.String(name), Type: awsdynamodb.AttributeType_STRING}
}

// queue has its own alarmed DLQ, SQS-managed encryption, TLS only, and a visibility timeout of six times its
// consumer's timeout, so a message is not redelivered while a slow batch is still being worked on.
func (b *builder) queue(q catalog.Queue) awssqs.Queue {
	dlq := b.deadLetterQueue(logicalID(q.Name), q.Purpose)
	return awssqs.NewQueue(b.stack, jsii.String(logicalID(q.Name)+"Queue"), &awssqs.QueueProps{
		Encryption:        awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		VisibilityTimeout: seconds(b.props.Catalog.VisibilityTimeoutSec(q.Name)),
		DeadLetterQueue:   &awssqs.DeadLetterQueue{Queue: dlq, MaxReceiveCount: jsii.Number(float64(q.MaxReceiveCount))},
	})
}

// deadLetterQueue keeps failed messages for the SQS maximum of 14 days and raises an alarm on the first one.
func (b *builder) deadLetterQueue(id, purpose string) awssqs.Queue {
	dlq := awssqs.NewQueue(b.stack, jsii.String(id+"DLQ"), &awssqs.QueueProps{
		Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
		EnforceSSL:      jsii.Bool(true),
		RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
	})
	b.alarm(id+"DLQAlarm", &awscloudwatch.AlarmProps{
		AlarmName:        jsii.String(b.alarmName(kebab(id), "dead-letters")),
		AlarmDescription: jsii.String(fmt.Sprintf("A message reached the dead-letter queue (%s). Inspect it, fix the cause, then redrive it.", purpose)),
		Metric: dlq.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{
			Period: awscdk.Duration_Minutes(jsii.Number(5)), Statistic: jsii.String("Maximum"),
		}),
		Threshold:          jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
	})
	b.dlqs = append(b.dlqs, dlq)
	return dlq
}

func seconds(n int) awscdk.Duration { return awscdk.Duration_Seconds(jsii.Number(float64(n))) }
