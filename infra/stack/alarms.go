package stack

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// Alarms people act on, all to one SNS topic whose email subscription is the configuration's alarmEmail. Each
// alarm's description is its runbook line (the README's "Running it in production" lists them too):
//   - per function: errors (an unhandled error or a timeout) and throttles;
//   - per queue: the age of its oldest message over the catalog's AgeAlarmMinutes (referrals: 15 minutes);
//   - per dead-letter queue: the first message (data.go);
//   - GOV.UK Notify refusing a notification for good (400) or our API key (403), counted from the logs of every
//     function that sends through Notify (the notifier, referral-sender), and a notification Notify could not
//     deliver for good (a permanent-failure delivery receipt), counted from notify-receipts' log;
//   - a scheduled run (the 07:00 reminders) close to its timeout, before it stops finishing.

// Log lines of the functions that send through Notify (shared/app/notificationsender, shared/app/referralsender)
// counted as Notify permanent failures. The stack tests check that both still log them.
const (
	NotifyRefusedMessage     = "notification refused by Notify"            // 400: the resident or officer was not told
	NotifyKeyRejectedMessage = "ALERT: GOV.UK Notify rejected our API key" // 403: nobody is told until the key is fixed
	NotifyFailuresMetric     = "NotifyPermanentFailures"
	// NotifyUndeliveredMessage is notify-receipts' line for a permanent-failure delivery receipt
	// (shared/app/deliveryreceipts): Notify accepted it, but the address or number is wrong.
	NotifyUndeliveredMessage = "notification not delivered: permanent failure (GOV.UK Notify delivery receipt)"
)

// nearTimeout is the share of its timeout after which a scheduled run is close to not finishing.
const nearTimeout = 0.8

// fiveMinutes is a function, not a variable: a package-level jsii value would start Node when the package loads
// (the deploy check must not).
func fiveMinutes() awscdk.Duration { return awscdk.Duration_Minutes(jsii.Number(5)) }

// newAlarmTopic is where alarms go. It is not KMS-encrypted: CloudWatch cannot publish to a topic under the
// AWS-managed SNS key, and alarm messages carry function and queue names and counts, never personal data.
func (b *builder) newAlarmTopic() awssns.Topic {
	topic := awssns.NewTopic(b.stack, jsii.String("Alarms"), &awssns.TopicProps{
		DisplayName: jsii.String("Housing services alarms"),
		EnforceSSL:  jsii.Bool(true),
	})
	// the address receives a confirmation email after the first deploy: nothing arrives until it is confirmed
	topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(b.props.Config.Value(catalog.AlarmEmail)), nil))
	return topic
}

func (b *builder) alarmName(parts ...string) string {
	name := *b.stack.StackName()
	for _, p := range parts {
		name += "-" + p
	}
	return name
}

// alarm raises props' alarm on one 5-minute period (missing data is fine: no traffic is not a fault) to the topic.
func (b *builder) alarm(id string, props *awscloudwatch.AlarmProps) awscloudwatch.Alarm {
	if props.EvaluationPeriods == nil {
		props.EvaluationPeriods = jsii.Number(1)
	}
	if props.TreatMissingData == "" {
		props.TreatMissingData = awscloudwatch.TreatMissingData_NOT_BREACHING
	}
	alarm := awscloudwatch.NewAlarm(b.stack, jsii.String(id), props)
	alarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(b.alarmTopic))
	b.alarms = append(b.alarms, alarm)
	return alarm
}

func (b *builder) functionAlarms() {
	for _, f := range b.props.Catalog.Functions {
		fn, id := b.functions[f.Name], logicalID(f.Name)
		b.alarm(id+"ErrorsAlarm", &awscloudwatch.AlarmProps{
			AlarmName: jsii.String(b.alarmName(f.Name, "errors")),
			AlarmDescription: jsii.String(fmt.Sprintf("%s failed (an unhandled error or a timeout). Read its ERROR lines in log group %s "+
				"(Logs Insights: filter level = 'ERROR'); %s", f.Name, *b.logGroups[f.Name].LogGroupName(), afterFailure(f))),
			Metric:             fn.MetricErrors(&awscloudwatch.MetricOptions{Period: fiveMinutes(), Statistic: jsii.String("Sum")}),
			Threshold:          jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		})
		b.alarm(id+"ThrottlesAlarm", &awscloudwatch.AlarmProps{
			AlarmName: jsii.String(b.alarmName(f.Name, "throttles")),
			AlarmDescription: jsii.String(fmt.Sprintf("Lambda refused to run %s for want of concurrency (callers got 429 or 503; queue "+
				"messages wait). Check the account's concurrent executions (Lambda console, Concurrency) and what else uses them; "+
				"ask AWS for a higher quota if the traffic is real.", f.Name)),
			Metric:             fn.MetricThrottles(&awscloudwatch.MetricOptions{Period: fiveMinutes(), Statistic: jsii.String("Sum")}),
			Threshold:          jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		})
		if len(f.Schedules) > 0 {
			limit := nearTimeout * float64(f.TimeoutSec) * 1000
			b.alarm(id+"NearTimeoutAlarm", &awscloudwatch.AlarmProps{
				AlarmName: jsii.String(b.alarmName(f.Name, "near-timeout")),
				AlarmDescription: jsii.String(fmt.Sprintf("A scheduled run of %s took over %.0f%% of its %d s timeout: soon runs will not "+
					"finish (a timeout raises its errors alarm and the run is retried, then dead-lettered). Look at what the run "+
					"read (open deadlines, outbox backlog) and raise TimeoutSec in the catalog or fix the slow call.",
					f.Name, nearTimeout*100, f.TimeoutSec)),
				Metric:             fn.MetricDuration(&awscloudwatch.MetricOptions{Period: fiveMinutes(), Statistic: jsii.String("Maximum")}),
				Threshold:          jsii.Number(limit),
				ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			})
		}
	}
}

// afterFailure says what a failure left behind, by how the function is triggered.
func afterFailure(f catalog.Function) string {
	switch {
	case f.Queue != nil:
		return fmt.Sprintf("failed messages are retried and then moved to the %s DLQ: fix the cause, then redrive the DLQ.", f.Queue.Queue)
	case len(f.Schedules) > 0:
		return "the run is retried by the scheduler and then lands in the scheduled-runs DLQ: fix the cause, then run it again " +
			"(Lambda console, Test, with the DLQ message's event); a repeated run does not send anything twice."
	default:
		return "callers got an error answer (5xx) and may retry: fix the cause and redeploy; nothing is queued to replay."
	}
}

func (b *builder) queueAgeAlarms() {
	for _, q := range b.props.Catalog.Queues {
		description := fmt.Sprintf("A message has waited over %d minutes on %s (%s) ", q.AgeAlarmMinutes(), q.Name, q.Purpose)
		if consumer, ok := b.props.Catalog.Consumer(q.Name); ok {
			description += fmt.Sprintf("Its consumer %s is failing, throttled or stopped: see its alarms and logs, and check that its "+
				"SQS trigger is enabled (Lambda console, Configuration, Triggers).", consumer.Name)
		} else {
			description += "Nothing in this stack takes these messages: the receiving team's system has stopped collecting them. " +
				"Tell that team now (by phone for safeguarding) and check their system's access to the queue."
		}
		b.alarm(logicalID(q.Name)+"AgeAlarm", &awscloudwatch.AlarmProps{
			AlarmName:        jsii.String(b.alarmName(q.Name, "oldest-message")),
			AlarmDescription: jsii.String(description),
			Metric: b.queues[q.Name].MetricApproximateAgeOfOldestMessage(&awscloudwatch.MetricOptions{
				Period: fiveMinutes(), Statistic: jsii.String("Maximum"),
			}),
			Threshold:          jsii.Number(float64(q.AgeAlarmMinutes() * 60)),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		})
	}
}

// notifySenders are the functions that send through GOV.UK Notify: those that read the Notify templates (the
// notifier, referral-sender).
func (b *builder) notifySenders() []catalog.Function {
	var out []catalog.Function
	for _, f := range b.props.Catalog.Functions {
		if slices.ContainsFunc(f.Settings, func(s catalog.Setting) bool { return s.Name == catalog.NotifyTemplates.Name }) {
			out = append(out, f)
		}
	}
	return out
}

// notifyFailuresMetric counts Notify's permanent refusals from the senders' JSON logs.
func (b *builder) notifyFailuresMetric() awscloudwatch.IMetric {
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace: b.stack.StackName(), MetricName: jsii.String(NotifyFailuresMetric),
		Period: fiveMinutes(), Statistic: jsii.String("Sum"),
	})
}

// notifyReceivers are the functions that take GOV.UK Notify's delivery receipts: those that hold the callback's
// bearer token (notify-receipts).
func (b *builder) notifyReceivers() []catalog.Function {
	var out []catalog.Function
	for _, f := range b.props.Catalog.Functions {
		if slices.Contains(f.Secrets, catalog.NotifyCallbackToken) {
			out = append(out, f)
		}
	}
	return out
}

type logFilter struct{ id, message string }

func (b *builder) notifyFailureAlarm() {
	senders, receivers := b.notifySenders(), b.notifyReceivers()
	if len(senders)+len(receivers) == 0 {
		return
	}
	var names []string
	count := func(f catalog.Function, filters ...logFilter) {
		names = append(names, f.Name)
		for _, filter := range filters {
			awslogs.NewMetricFilter(b.stack, jsii.String(logicalID(f.Name)+filter.id+"Filter"), &awslogs.MetricFilterProps{
				LogGroup:        b.logGroups[f.Name],
				FilterPattern:   awslogs.FilterPattern_StringValue(jsii.String("$.message"), jsii.String("="), jsii.String(filter.message)),
				MetricNamespace: b.stack.StackName(),
				MetricName:      jsii.String(NotifyFailuresMetric),
				MetricValue:     jsii.String("1"),
			})
		}
	}
	for _, f := range senders {
		count(f, logFilter{"NotifyRefused", NotifyRefusedMessage}, logFilter{"NotifyKeyRejected", NotifyKeyRejectedMessage + "*"}) // the rest of the line varies
	}
	for _, f := range receivers {
		count(f, logFilter{"NotifyUndelivered", NotifyUndeliveredMessage})
	}
	b.alarm("NotifyPermanentFailuresAlarm", &awscloudwatch.AlarmProps{
		AlarmName: jsii.String(b.alarmName("notify-permanent-failures")),
		AlarmDescription: jsii.String("GOV.UK Notify refused or could not deliver a notification or a referral for good: a resident, " +
			"officer or partner team was not told. In the " + strings.Join(names, ", ") + " logs, find '" + NotifyRefusedMessage + "' (its template " +
			"and error say why: a wrong template id in notifyTemplates, or a bad address), '" + NotifyKeyRejectedMessage + "' " +
			"(replace that function's NOTIFY_API_KEY secret, then redrive its queue's DLQ) or '" + NotifyUndeliveredMessage + "' " +
			"(a wrong address or number). On the case timeline they are notification-failed or notification-permanently-failed: the " +
			"case officer must reach the person another way and correct their details; referral-failed, or a partner's " +
			"notification: phone the referral to the safeguarding team or the council partner now, and fix mailboxes.partners."),
		Metric:             b.notifyFailuresMetric(),
		Threshold:          jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
	})
}
