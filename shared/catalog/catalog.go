// Package catalog declares every function, its triggers, its configuration and the tables and queues it may
// use. It is the one source of truth for the CDK stack (infra/stack) and the local cloud (infra/localcloud):
// neither declares a function, route, queue or table of its own.
package catalog

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Auth says who may call an HTTP route.
type Auth string

const (
	Public   Auth = "public"   // anyone; the function validates the body
	Resident Auth = "resident" // anyone at the gateway; the function checks the record's access token (wrong = 404)
	Webhook  Auth = "webhook"  // the function verifies a Standard Webhooks signature
	Staff    Auth = "staff"    // JWT authorizer at the gateway; the function checks the Cognito group
	// Bearer: a machine that cannot hold a Cognito token but sends a bearer token we chose (GOV.UK Notify's
	// callbacks). Anyone at the gateway; the function compares "Authorization: Bearer <token>" with the route's
	// Secret, in constant time (a wrong or missing token is 401).
	Bearer Auth = "bearer-secret"
)

// Access is what a function may do with a table.
type Access string

const (
	Read      Access = "read"
	ReadWrite Access = "readwrite"
)

// TimeZone is the zone every schedule runs in (WD-4).
const TimeZone = "Europe/London"

// Route is one HTTP API route (payload format 2.0).
type Route struct {
	Method string
	Path   string   // API Gateway form, e.g. /complaints/{reference}
	Auth   Auth     //
	Groups []string // staff routes: groups the function accepts (any of them)
	Secret string   // Bearer routes: the Env of the function's secret that the bearer token must equal
	// Page routes answer with HTML pages and take form posts (shared/transport/web): they are not part of the
	// JSON API's contract (openapi.yaml) and are public (the pages keep their own sessions and CSRF tokens).
	Page bool
}

// RouteKey is API Gateway's "METHOD /path".
func (r Route) RouteKey() string { return r.Method + " " + r.Path }

// QueueTrigger is an SQS event source mapping.
type QueueTrigger struct {
	Queue          string
	BatchSize      int
	MaxConcurrency int // SQS event source maximum concurrency (2..1000)
	BatchWindowSec int
}

// Schedule is an EventBridge Scheduler schedule in Europe/London.
type Schedule struct {
	Name string
	Cron string // AWS form: cron(minutes hours day-of-month month day-of-week year)
}

// Secret is a value that must not live in the code or the template. Locally it comes from the environment
// variable Env (LocalDefault when unset); in AWS from a Secrets Manager secret whose ARN is passed as Env+"_ARN".
type Secret struct {
	Env          string
	Description  string
	LocalDefault string
}

// SettingKind says what a setting's value is, so a deployment's configuration can be checked before it is used.
type SettingKind string

const (
	Text      SettingKind = "text"      // free text, e.g. the landlord's name
	Email     SettingKind = "email"     // one email address
	Phone     SettingKind = "phone"     // a UK phone number
	Mobile    SettingKind = "mobile"    // a UK mobile number (GOV.UK Notify sends texts to mobiles only)
	Count     SettingKind = "count"     // a positive whole number
	Period    SettingKind = "period"    // an ISO 8601 period of years, months and days, e.g. P6Y, P18M
	Mailboxes SettingKind = "mailboxes" // a JSON object of name -> email address; RequiredKeys must be there
	Templates SettingKind = "templates" // a JSON object of template[.language].channel -> GOV.UK Notify template id
)

// Setting is configuration a council gives per deployment (not a secret: those are Secret). The deployment's
// configuration file names it by Name (dots are nesting: "landlord.name" is {"landlord": {"name": ...}}). In AWS
// the stack stores it in the SSM parameter ParameterName(root) and passes that name to the functions that read it
// as Env+"_PARAMETER"; they read it once at cold start. Locally the local cloud passes the value itself in Env.
type Setting struct {
	Name         string
	Env          string
	Kind         SettingKind
	Description  string
	Default      string   // used when the configuration leaves it out; "" means the council must give it
	Reason       string   // why the default is what it is (retention periods)
	RequiredKeys []string // Mailboxes and Templates: keys the value must have
}

// ParameterName is the setting's SSM parameter under root (e.g. /HousingServices/config): dots become slashes.
func (s Setting) ParameterName(root string) string {
	return strings.TrimSuffix(root, "/") + "/" + strings.ReplaceAll(s.Name, ".", "/")
}

// Function is one Lambda function: functions/<Name>/main.go.
type Function struct {
	Name        string
	Description string
	MemoryMB    int
	TimeoutSec  int
	Routes      []Route
	Queue       *QueueTrigger
	Schedules   []Schedule
	Env         map[string]string // static configuration (names of tables/queues are added from Tables/SendsTo)
	Secrets     []Secret
	Settings    []Setting         // deployment configuration it reads at cold start (declared in Catalog.Settings)
	Tables      map[string]Access // table name -> access
	SendsTo     []string          // queue names
	// LocalEnv overrides Env in the local cloud only; "{{LOCAL_URL}}" stands for the local cloud's base URL
	// (e.g. the Notify stand-in instead of GOV.UK Notify). The code is the same; only configuration differs.
	LocalEnv map[string]string
	// LocalConcurrency is how many warm processes the local cloud runs for this function.
	LocalConcurrency int
	// StaffSignIn: the function signs staff in with OAuth 2.0 (authorization code with PKCE) and OpenID
	// Connect. The stack gives it the StaffSignIn* environment of the staff user pool's console client and
	// managed login; LocalEnv points the same names at the local cloud's stand-in.
	StaffSignIn bool
}

// The environment of a StaffSignIn function: where to send an officer to sign in, where to exchange the code,
// whose ID tokens to accept (issuer, audience, keys) and where signing out ends at the provider. The site's
// address the provider sends the officer back to (redirect URIs are exact) is the site.url setting;
// StaffSiteURLEnv overrides it in the local cloud only (LocalEnv), where the site is the local cloud.
const (
	StaffSignInIssuerEnv    = "STAFF_SIGNIN_ISSUER"
	StaffSignInClientEnv    = "STAFF_SIGNIN_CLIENT_ID"
	StaffSignInAuthorizeEnv = "STAFF_SIGNIN_AUTHORIZE_URL"
	StaffSignInTokenEnv     = "STAFF_SIGNIN_TOKEN_URL"
	StaffSignInKeysEnv      = "STAFF_SIGNIN_JWKS_URL"
	StaffSignInLogoutEnv    = "STAFF_SIGNIN_LOGOUT_URL"
	StaffSiteURLEnv         = "STAFF_SITE_URL"
)

// StaffSignInEnv are the names a StaffSignIn function's environment has besides its catalog entry's.
var StaffSignInEnv = []string{StaffSignInIssuerEnv, StaffSignInClientEnv, StaffSignInAuthorizeEnv, StaffSignInTokenEnv,
	StaffSignInKeysEnv, StaffSignInLogoutEnv}

// Dir is the function's folder, relative to the repository root.
func (f Function) Dir() string { return "functions/" + f.Name }

// GSI is a global secondary index; all attributes are strings and projected (ALL).
type GSI struct {
	Name         string
	PartitionKey string
	SortKey      string
	Purpose      string
	// KeysOnly projects only the keys (an index read for counts); otherwise every attribute of the items that
	// carry the index's keys, which are small list entries or deadlines by design.
	KeysOnly bool
}

// Table is a DynamoDB table with string keys.
type Table struct {
	Name         string
	PartitionKey string
	SortKey      string
	GSIs         []GSI
	TTLAttribute string
	Purpose      string
}

// Queue is an SQS standard queue with its own dead-letter queue.
type Queue struct {
	Name            string
	Purpose         string
	MaxReceiveCount int // deliveries before the message moves to the DLQ
	// MaxAgeMinutes is how long a message may wait to be taken before it is a problem someone must act on: the
	// stack alarms when the oldest message on the queue is older (0: DefaultMaxAgeMinutes).
	MaxAgeMinutes int
}

// DefaultMaxAgeMinutes is the age alarm's threshold of a queue that does not declare its own.
const DefaultMaxAgeMinutes = 15

// AgeAlarmMinutes is the age of the oldest message that raises the queue's alarm.
func (q Queue) AgeAlarmMinutes() int {
	if q.MaxAgeMinutes > 0 {
		return q.MaxAgeMinutes
	}
	return DefaultMaxAgeMinutes
}

// DLQName is the dead-letter queue's name.
func (q Queue) DLQName() string { return q.Name + "-dlq" }

// Catalog is the whole system.
type Catalog struct {
	Functions []Function
	Tables    []Table
	Queues    []Queue
	Settings  []Setting
}

// Setting finds a setting by name.
func (c Catalog) Setting(name string) (Setting, bool) {
	i := slices.IndexFunc(c.Settings, func(s Setting) bool { return s.Name == name })
	if i < 0 {
		return Setting{}, false
	}
	return c.Settings[i], true
}

// Function finds a function by name.
func (c Catalog) Function(name string) (Function, bool) {
	i := slices.IndexFunc(c.Functions, func(f Function) bool { return f.Name == name })
	if i < 0 {
		return Function{}, false
	}
	return c.Functions[i], true
}

// Queue finds a queue by name.
func (c Catalog) Queue(name string) (Queue, bool) {
	i := slices.IndexFunc(c.Queues, func(q Queue) bool { return q.Name == name })
	if i < 0 {
		return Queue{}, false
	}
	return c.Queues[i], true
}

// Consumer is the function that consumes a queue, if any.
func (c Catalog) Consumer(queue string) (Function, bool) {
	for _, f := range c.Functions {
		if f.Queue != nil && f.Queue.Queue == queue {
			return f, true
		}
	}
	return Function{}, false
}

// VisibilityTimeoutSec is six times the consumer's timeout (AWS's guidance for SQS event sources), or 30 s
// for a queue nobody in the stack consumes.
func (c Catalog) VisibilityTimeoutSec(queue string) int {
	if f, ok := c.Consumer(queue); ok {
		return 6 * f.TimeoutSec
	}
	return 30
}

// TableEnv is the environment variable that holds a table's name, e.g. CASES_TABLE.
func TableEnv(table string) string { return envName(table) + "_TABLE" }

// QueueEnv is the environment variable that holds a queue's URL, e.g. OOH_CALLS_QUEUE_URL.
func QueueEnv(queue string) string { return envName(queue) + "_QUEUE_URL" }

func envName(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

// TracingEnv is in every function's environment: its OpenTelemetry spans (shared/platform/tracing) go over
// OTLP/HTTP to the collector beside it on localhost (in AWS the ADOT collector layer, which passes them to
// X-Ray; the local cloud points it at its own stand-in).
var TracingEnv = map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318"}

// Environment is the function's full environment: its static settings, the names of the tables and the URLs
// of the queues it uses (resolved by the caller: CDK tokens in the stack, local names in the local cloud).
func (f Function) Environment(tableName func(string) string, queueURL func(string) string) map[string]string {
	env := map[string]string{}
	for k, v := range TracingEnv {
		env[k] = v
	}
	for k, v := range f.Env {
		env[k] = v
	}
	for t := range f.Tables {
		env[TableEnv(t)] = tableName(t)
	}
	for _, q := range f.SendsTo {
		env[QueueEnv(q)] = queueURL(q)
	}
	return env
}

// Validate checks the catalog's internal consistency: unique names, known tables and queues, sane limits.
func (c Catalog) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	tables := map[string]bool{}
	for _, t := range c.Tables {
		tables[t.Name] = true
	}
	queues := map[string]bool{}
	for _, q := range c.Queues {
		queues[q.Name] = true
		if q.MaxReceiveCount < 1 {
			add("queue %s: MaxReceiveCount must be at least 1", q.Name)
		}
		if q.MaxAgeMinutes < 0 {
			add("queue %s: MaxAgeMinutes cannot be negative", q.Name)
		}
	}
	c.validateSettings(add)
	seen := map[string]bool{}
	routes := map[string]string{}
	for _, f := range c.Functions {
		if seen[f.Name] {
			add("function %s declared twice", f.Name)
		}
		seen[f.Name] = true
		if f.MemoryMB < 128 || f.TimeoutSec < 1 || f.TimeoutSec > 900 {
			add("function %s: memory %d MB / timeout %d s out of range", f.Name, f.MemoryMB, f.TimeoutSec)
		}
		for t := range f.Tables {
			if !tables[t] {
				add("function %s uses unknown table %s", f.Name, t)
			}
		}
		for _, q := range f.SendsTo {
			if !queues[q] {
				add("function %s sends to unknown queue %s", f.Name, q)
			}
		}
		if f.Queue != nil {
			if !queues[f.Queue.Queue] {
				add("function %s consumes unknown queue %s", f.Name, f.Queue.Queue)
			}
			if f.Queue.MaxConcurrency < 2 || f.Queue.BatchSize < 1 || f.Queue.BatchSize > 10 {
				add("function %s: SQS batch size 1..10 and max concurrency >= 2", f.Name)
			}
		}
		for _, r := range f.Routes {
			if other, dup := routes[r.RouteKey()]; dup {
				add("route %s is claimed by %s and %s", r.RouteKey(), other, f.Name)
			}
			routes[r.RouteKey()] = f.Name
			if (r.Auth == Staff) != (len(r.Groups) > 0) {
				add("route %s: staff routes, and only they, name their groups", r.RouteKey())
			}
			if r.Page && r.Auth != Public {
				add("route %s: page routes are public (the pages check their own sessions)", r.RouteKey())
			}
			if (r.Auth == Bearer) != (r.Secret != "") ||
				r.Secret != "" && !slices.ContainsFunc(f.Secrets, func(s Secret) bool { return s.Env == r.Secret }) {
				add("route %s: bearer-secret routes, and only they, name one of their function's secrets", r.RouteKey())
			}
		}
		for _, s := range f.Schedules {
			if !strings.HasPrefix(s.Cron, "cron(") {
				add("schedule %s: use the AWS cron(...) form", s.Name)
			}
		}
		for _, s := range f.Settings {
			if declared, ok := c.Setting(s.Name); !ok || !reflect.DeepEqual(declared, s) {
				add("function %s reads setting %s, which the catalog's Settings do not declare (as it is)", f.Name, s.Name)
			}
			if _, clash := f.Env[s.Env]; clash {
				add("function %s: %s is both static configuration and a setting", f.Name, s.Env)
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("catalog: %s", strings.Join(problems, "; "))
	}
	return nil
}

// settingName is compiled when the catalog is first validated (by the tools and tests; a function never does).
var settingName = lazy[*regexp.Regexp]{build: func() *regexp.Regexp {
	return regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$`)
}}

func (c Catalog) validateSettings(add func(string, ...any)) {
	names, envs := map[string]bool{}, map[string]bool{}
	for _, s := range c.Settings {
		if names[s.Name] || envs[s.Env] {
			add("setting %s (%s) declared twice", s.Name, s.Env)
		}
		names[s.Name], envs[s.Env] = true, true
		if !settingName.get().MatchString(s.Name) || s.Env == "" {
			add("setting %q: name must be dotted words (e.g. landlord.name) and have an environment variable", s.Name)
		}
		switch s.Kind {
		case Text, Email, Phone, Mobile, Count, Period:
		case Mailboxes, Templates:
			if len(s.RequiredKeys) == 0 {
				add("setting %s: a %s setting lists its RequiredKeys", s.Name, s.Kind)
			}
		default:
			add("setting %s: unknown kind %q", s.Name, s.Kind)
		}
	}
	for _, s := range c.Settings {
		for _, other := range c.Settings {
			if strings.HasPrefix(other.Name, s.Name+".") {
				add("setting %s cannot also be the group of %s", s.Name, other.Name)
			}
		}
	}
}

// lazy is a value built on first use. It is not a sync.OnceValue: calling one in a package-level initializer
// makes the compiler build every initializer after it at run time rather than lay it out as static data
// (cmd/compile's staticinit stops at the first call), which put the function table back into every cold start
// (issue 10).
type lazy[T any] struct {
	once  sync.Once
	build func() T
	value T
}

func (l *lazy[T]) get() T {
	l.once.Do(func() { l.value = l.build() })
	return l.value
}

// declared are the system's functions for the run-time lookups below: the static function table itself (no
// copy), so they are shared: read only. System builds a catalog of its own, which callers may change.
var declared = Catalog{Functions: functionTable}

// MustFunction is the system's declaration of a function, for its main at cold start (a missing one is a
// programming error, caught by the catalog tests). Read only: its slices are shared.
func MustFunction(name string) Function {
	f, ok := declared.Function(name)
	if !ok {
		panic("catalog: no function " + name)
	}
	return f
}

// RouteGroups are the groups of every declared route, by route key (RouteKey), built on first use. Read only.
func RouteGroups() map[string][]string { return routeGroups.get() }

var routeGroups = lazy[map[string][]string]{build: func() map[string][]string {
	out := map[string][]string{}
	for _, f := range declared.Functions {
		for _, r := range f.Routes {
			out[r.RouteKey()] = r.Groups
		}
	}
	return out
}}

// StaffGroups are the staff groups some declared route admits (Groups), found on first use. Read only.
func StaffGroups() []string { return staffGroups.get() }

var staffGroups = lazy[[]string]{build: declared.Groups}

// Groups are the staff groups that some route of the catalog admits.
func (c Catalog) Groups() []string {
	var groups []string
	for _, f := range c.Functions {
		for _, r := range f.Routes {
			for _, g := range r.Groups {
				if !slices.Contains(groups, g) {
					groups = append(groups, g)
				}
			}
		}
	}
	return groups
}
