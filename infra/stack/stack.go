// Package stack is the AWS CDK stack of the back end, derived entirely from shared/catalog: it declares no
// function, route, table, queue or setting of its own. The values of the settings come from the deployment's
// configuration (infra/config).
package stack

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/infra/config"
	"github.com/councilhousing/backend/shared/catalog"
)

// HousingStackProps configure the stack.
type HousingStackProps struct {
	awscdk.StackProps
	Catalog catalog.Catalog
	// Config gives every catalog setting its value (stored in SSM); the alarm email subscribes to the alarms.
	Config  config.Config
	DistDir string // folder with <function>/bootstrap, built by `make build`
	// Throttling of the API's default stage; zero means DefaultRateLimit and DefaultBurstLimit.
	RateLimit, BurstLimit float64
}

// Default API throttling: well above a council's form traffic, low enough to blunt a flood.
const (
	DefaultRateLimit  = 50  // requests per second
	DefaultBurstLimit = 100 // requests
)

type builder struct {
	stack        awscdk.Stack
	props        HousingStackProps
	tables       map[string]awsdynamodb.Table
	queues       map[string]awssqs.Queue
	functions    map[string]awslambda.Function
	logGroups    map[string]awslogs.LogGroup // by function name
	parameters   map[string]awsssm.StringParameter
	alarmTopic   awssns.Topic
	alarms       []awscloudwatch.Alarm
	dlqs         []awssqs.Queue
	scheduledDLQ awssqs.Queue // failed scheduled runs; nil when the catalog has no schedules
	httpAPI      awsapigatewayv2.HttpApi
	adotLayer    awslambda.ILayerVersion // the OpenTelemetry collector, shared by every function
}

// NewHousingStack builds the stack from props.Catalog and props.Config. It panics on an inconsistent catalog or
// an unusable configuration (a missing or malformed setting), so a mistake stops `cdk synth` rather than
// reaching AWS. Placeholders pass: refusing them is the deploy check's job (config.Config.Check(true)).
func NewHousingStack(scope constructs.Construct, id string, props *HousingStackProps) awscdk.Stack {
	if err := props.Catalog.Validate(); err != nil {
		panic(err)
	}
	if err := props.Config.Check(false); err != nil {
		panic(err)
	}
	for _, s := range props.Catalog.Settings {
		if props.Config.Value(s) == "" {
			panic(fmt.Sprintf("configuration %q gives no value for setting %s: load it with config.Load", props.Config.Source, s.Name))
		}
	}
	p := *props
	if p.RateLimit == 0 {
		p.RateLimit, p.BurstLimit = DefaultRateLimit, DefaultBurstLimit
	}
	b := &builder{
		stack: awscdk.NewStack(scope, jsii.String(id), &p.StackProps), props: p,
		tables: map[string]awsdynamodb.Table{}, queues: map[string]awssqs.Queue{}, functions: map[string]awslambda.Function{},
		logGroups: map[string]awslogs.LogGroup{}, parameters: map[string]awsssm.StringParameter{},
	}
	b.alarmTopic = b.newAlarmTopic()
	for _, s := range p.Catalog.Settings {
		b.parameters[s.Name] = b.parameter(s)
	}
	for _, t := range p.Catalog.Tables {
		b.tables[t.Name] = b.table(t)
	}
	for _, q := range p.Catalog.Queues {
		b.queues[q.Name] = b.queue(q)
	}
	if hasSchedules(p.Catalog) {
		b.scheduledDLQ = b.deadLetterQueue("ScheduledRuns", "scheduled runs that failed after their retries")
	}
	for _, f := range p.Catalog.Functions {
		b.functions[f.Name] = b.function(f)
	}
	b.api()
	b.functionAlarms()
	b.queueAgeAlarms()
	b.notifyFailureAlarm()
	b.dashboard()
	return b.stack
}

func hasSchedules(c catalog.Catalog) bool {
	for _, f := range c.Functions {
		if len(f.Schedules) > 0 {
			return true
		}
	}
	return false
}

// logicalID turns a catalog name (ooh-calls) into a construct id part (OohCalls).
func logicalID(name string) string {
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' })
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

// kebab turns a construct id part (OohCalls) back into a catalog-style name (ooh-calls).
func kebab(id string) string {
	var out strings.Builder
	for i, r := range id {
		if unicode.IsUpper(r) {
			if i > 0 {
				out.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		out.WriteRune(r)
	}
	return out.String()
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
