// Package stack is the AWS CDK stack of the back end, derived entirely from infra/catalog: it declares no
// function, route, table or queue of its own.
package stack

import (
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// HousingStackProps configure the stack.
type HousingStackProps struct {
	awscdk.StackProps
	Catalog catalog.Catalog
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
	alarmTopic   awssns.Topic
	scheduledDLQ awssqs.Queue // failed scheduled runs; nil when the catalog has no schedules
}

// NewHousingStack builds the stack from props.Catalog. It panics on an inconsistent catalog, so a mistake stops
// `cdk synth` rather than reaching AWS.
func NewHousingStack(scope constructs.Construct, id string, props *HousingStackProps) awscdk.Stack {
	if err := props.Catalog.Validate(); err != nil {
		panic(err)
	}
	p := *props
	if p.RateLimit == 0 {
		p.RateLimit, p.BurstLimit = DefaultRateLimit, DefaultBurstLimit
	}
	b := &builder{
		stack: awscdk.NewStack(scope, jsii.String(id), &p.StackProps), props: p,
		tables: map[string]awsdynamodb.Table{}, queues: map[string]awssqs.Queue{}, functions: map[string]awslambda.Function{},
	}
	b.alarmTopic = newAlarmTopic(b.stack)
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
