package stack

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"
	"github.com/aws/jsii-runtime-go"
)

// dashboard is the service's health on one page (<stack>-health): every alarm's state first, then the API, the
// functions, the queues and dead-letter queues, and GOV.UK Notify and the reminder run.
func (b *builder) dashboard() {
	var alarms []interfacesawscloudwatch.IAlarmRef
	for _, a := range b.alarms {
		alarms = append(alarms, a)
	}
	stat := func(s string) *awscloudwatch.MetricOptions {
		return &awscloudwatch.MetricOptions{Period: fiveMinutes(), Statistic: jsii.String(s)}
	}
	var errors, throttles, duration []awscloudwatch.IMetric
	for _, f := range b.props.Catalog.Functions {
		fn := b.functions[f.Name]
		label := func(o *awscloudwatch.MetricOptions) *awscloudwatch.MetricOptions {
			o.Label = jsii.String(f.Name)
			return o
		}
		errors = append(errors, fn.MetricErrors(label(stat("Sum"))))
		throttles = append(throttles, fn.MetricThrottles(label(stat("Sum"))))
		duration = append(duration, fn.MetricDuration(label(stat("p99"))))
	}
	var age, waiting, deadLetters []awscloudwatch.IMetric
	for _, q := range b.props.Catalog.Queues {
		queue := b.queues[q.Name]
		age = append(age, queue.MetricApproximateAgeOfOldestMessage(&awscloudwatch.MetricOptions{Period: fiveMinutes(), Statistic: jsii.String("Maximum"), Label: jsii.String(q.Name)}))
		waiting = append(waiting, queue.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: fiveMinutes(), Statistic: jsii.String("Maximum"), Label: jsii.String(q.Name)}))
	}
	for _, dlq := range b.dlqs {
		deadLetters = append(deadLetters, dlq.MetricApproximateNumberOfMessagesVisible(stat("Maximum")))
	}
	graph := func(title string, width float64, metrics []awscloudwatch.IMetric, annotations ...*awscloudwatch.HorizontalAnnotation) awscloudwatch.IWidget {
		props := &awscloudwatch.GraphWidgetProps{Title: jsii.String(title), Width: jsii.Number(width), Height: jsii.Number(6), Left: &metrics}
		if len(annotations) > 0 {
			props.LeftAnnotations = &annotations
		}
		return awscloudwatch.NewGraphWidget(props)
	}
	api := b.httpAPI
	rows := []*[]awscloudwatch.IWidget{
		{awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
			Title: jsii.String("Alarms (each one's description says what to do)"), Alarms: &alarms, Width: jsii.Number(24),
			Height: jsii.Number(float64(2 + len(alarms)/4)), SortBy: awscloudwatch.AlarmStatusWidgetSortBy_STATE_UPDATED_TIMESTAMP,
		})},
		{
			graph("API requests and errors", 12, []awscloudwatch.IMetric{api.MetricCount(stat("Sum")), api.MetricClientError(stat("Sum")), api.MetricServerError(stat("Sum"))}),
			graph("API latency (ms)", 12, []awscloudwatch.IMetric{api.MetricLatency(stat("p50")), api.MetricLatency(stat("p99"))}),
		},
		{
			graph("Function errors", 8, errors),
			graph("Function throttles", 8, throttles),
			graph("Function duration p99 (ms)", 8, duration),
		},
		{
			graph("Age of the oldest message (s)", 8, age, &awscloudwatch.HorizontalAnnotation{Value: jsii.Number(15 * 60), Label: jsii.String("referrals: 15 minutes")}),
			graph("Messages waiting", 8, waiting),
			graph("Dead-letter queues (should be 0)", 8, deadLetters),
		},
	}
	var last []awscloudwatch.IWidget
	if len(b.notifySenders()) > 0 {
		last = append(last, graph("GOV.UK Notify permanent failures (400, 403)", 12, []awscloudwatch.IMetric{b.notifyFailuresMetric()}))
	}
	for _, f := range b.props.Catalog.Functions {
		if len(f.Schedules) > 0 {
			last = append(last, graph(f.Name+" run duration (ms)", 12,
				[]awscloudwatch.IMetric{b.functions[f.Name].MetricDuration(stat("Maximum"))},
				&awscloudwatch.HorizontalAnnotation{Value: jsii.Number(float64(f.TimeoutSec) * 1000), Label: jsii.String(fmt.Sprintf("timeout %d s", f.TimeoutSec))}))
		}
	}
	rows = append(rows, &last)
	awscloudwatch.NewDashboard(b.stack, jsii.String("HealthDashboard"), &awscloudwatch.DashboardProps{
		DashboardName: jsii.String(b.alarmName("health")),
		Widgets:       &rows,
	})
}
