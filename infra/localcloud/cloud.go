// Package localcloud runs the whole back end on one machine from the catalog: DynamoDB Local and the SQS
// emulator, every function's real binary behind the Lambda Runtime API, API Gateway (HTTP API, payload 2.0)
// with a local JWT authorizer, SQS event sources, schedules, a settable clock and a GOV.UK Notify stand-in.
package localcloud

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/robfig/cron/v3"

	"github.com/councilhousing/backend/infra/config"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/catalog"
	webfiles "github.com/councilhousing/backend/shared/web"
)

// Options configure a local cloud. Zero values are the `make run` defaults.
type Options struct {
	Catalog        catalog.Catalog
	Root           string                   // repository root (default: found from the working directory)
	PackageOf      func(name string) string // Go package of a function (default ./functions/<name>)
	BinDir         string                   // built binaries, <BinDir>/<function>/bootstrap (default .local/bin)
	Addr           string                   // default 127.0.0.1:3000
	DataDir        string                   // DynamoDB Local files; "" keeps data in memory
	DynamoPort     int                      // 0: a free port
	SQSPort        int                      // 0: a free port
	DynamoEndpoint string                   // use running emulators instead of starting them (tests)
	SQSEndpoint    string
	ResourceSuffix string         // appended to table and queue names (tests share emulators)
	Concurrency    map[string]int // warm processes per function (default: catalog LocalConcurrency)
	// VisibilityTimeoutSec, when set, is how soon a failed message is delivered again (tests use 1 s); messages
	// in flight keep the queue's visibility timeout.
	VisibilityTimeoutSec int
	ExtraEnv             map[string]string // added to every function's environment
	// Settings are the deployment settings' values by catalog name, passed to the functions that read them as
	// their environment variables (no SSM locally). Default: the checked-in example configuration.
	Settings map[string]string
	Logf     func(format string, args ...any)
}

// region and account are what the local cloud pretends to be, in ARNs and events.
const (
	region  = emulators.Region
	account = emulators.Account
)

// Cloud is a running local cloud.
type Cloud struct {
	ready     atomic.Bool // everything below is set up; until then the API answers 503
	Clock     *Clock
	Resources emulators.Resources
	opts      Options
	addr      string
	jwtKey    []byte
	functions map[string]*function
	routes    []route
	schedules map[string]scheduled
	notify    *notifyStandIn
	oidc      *oidcStandIn // LOCAL ONLY: the staff console's OpenID provider (oidc.go)
	traces    *traceCollector
	emulators []*emulators.Process
	sqs       *sqs.Client
	server    *http.Server
	listener  net.Listener
	cron      *cron.Cron
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	secrets   map[string]string
}

type scheduled struct {
	schedule catalog.Schedule
	fn       *function
}

func (c *Cloud) logf(format string, args ...any) { c.opts.Logf(format, args...) }

// Start brings everything up and returns once every function process has been launched; /_local/health
// answers (503) from the first moment, and 200 once every process and emulator is up (see WaitHealthy).
func Start(ctx context.Context, opts Options) (*Cloud, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	c := &Cloud{Clock: &Clock{}, opts: opts, functions: map[string]*function{}, schedules: map[string]scheduled{}, secrets: map[string]string{}}
	c.jwtKey = make([]byte, 32)
	_, _ = rand.Read(c.jwtKey)
	l, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w (set LOCAL_PORT to use another port)", opts.Addr, err)
	}
	c.listener, c.addr = l, l.Addr().String()
	c.traces = &traceCollector{logf: c.logf}
	notifyKey := c.secret(catalog.Secret{Env: "NOTIFY_API_KEY", LocalDefault: catalog.LocalNotifyAPIKey})
	if c.notify, err = newNotifyStandIn(notifyKey, c.Clock); err != nil {
		_ = l.Close()
		return nil, err
	}
	if c.oidc, err = newOIDCStandIn(func() string { return c.URL() + "/_local/oidc" }, opts.Catalog); err != nil {
		_ = l.Close()
		return nil, err
	}
	c.server = &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.server.Serve(l) }()
	ok := false
	defer func() {
		if !ok {
			c.Stop()
		}
	}()
	if err := c.startBackends(ctx); err != nil {
		return nil, err
	}
	if err := c.startFunctions(); err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	for _, fn := range c.functions {
		if fn.spec.Queue != nil {
			c.pollQueue(runCtx, fn, *fn.spec.Queue)
		}
	}
	if err := c.startSchedules(runCtx); err != nil {
		return nil, err
	}
	c.ready.Store(true)
	ok = true
	return c, nil
}

func (o *Options) defaults() error {
	if o.Root == "" {
		root, err := emulators.Root()
		if err != nil {
			return err
		}
		o.Root = root
	}
	if o.PackageOf == nil {
		o.PackageOf = func(name string) string { return "./" + catalog.Function{Name: name}.Dir() }
	}
	if o.BinDir == "" {
		o.BinDir = filepath.Join(o.Root, ".local", "bin")
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:3000"
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
	if err := o.Catalog.Validate(); err != nil {
		return err
	}
	if o.Settings == nil && slices.ContainsFunc(o.Catalog.Functions, func(f catalog.Function) bool { return len(f.Settings) > 0 }) {
		example, err := config.Example(o.Root)
		if err == nil {
			err = example.Check(false)
		}
		if err != nil {
			return err
		}
		o.Settings = example.Values()
	}
	return nil
}

// URL is the local cloud's base URL.
func (c *Cloud) URL() string { return "http://" + c.addr }

// startBackends starts the emulators (unless given) while the functions build, then creates the catalog's
// tables and queues.
func (c *Cloud) startBackends(ctx context.Context) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	errs := make([]error, 3)
	start := func(i int, endpoint *string, port int, run func(int) (*emulators.Process, error)) {
		if *endpoint != "" {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if port == 0 {
				port, errs[i] = emulators.FreePort()
			}
			if errs[i] != nil {
				return
			}
			var p *emulators.Process
			if p, errs[i] = run(port); errs[i] == nil {
				mu.Lock()
				*endpoint = p.Endpoint
				c.emulators = append(c.emulators, p)
				mu.Unlock()
			}
		}()
	}
	c.logf("starting DynamoDB Local and the SQS emulator...")
	start(0, &c.opts.DynamoEndpoint, c.opts.DynamoPort, func(port int) (*emulators.Process, error) {
		return emulators.StartDynamoDB(ctx, c.opts.Root, port, c.opts.DataDir)
	})
	start(1, &c.opts.SQSEndpoint, c.opts.SQSPort, func(port int) (*emulators.Process, error) {
		return emulators.StartSQS(ctx, c.opts.Root, port)
	})
	wg.Add(1)
	go func() { defer wg.Done(); errs[2] = c.build(ctx) }()
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	ddb, sqsClient := emulators.Clients(c.opts.DynamoEndpoint, c.opts.SQSEndpoint)
	c.sqs = sqsClient
	res, err := emulators.CreateResources(ctx, c.opts.Catalog, ddb, sqsClient, c.opts.ResourceSuffix)
	if err != nil {
		return err
	}
	c.Resources = res
	c.logf("DynamoDB Local on %s, SQS emulator on %s: %d tables, %d queues (each with a DLQ)",
		c.opts.DynamoEndpoint, c.opts.SQSEndpoint, len(res.Tables), len(res.Queues))
	return nil
}

// build compiles every function for this machine in one go command (shared packages compile once) into a
// staging folder, then links each binary into <BinDir>/<function>/bootstrap as Lambda's provided runtime
// expects. Replacing the link never disturbs a running process, and the staged copies let go build skip
// relinking what has not changed.
func (c *Cloud) build(ctx context.Context) error {
	lock, _ := buildLocks.LoadOrStore(c.opts.BinDir, &sync.Mutex{})
	lock.(*sync.Mutex).Lock() // clouds started in parallel (tests) share a folder
	defer lock.(*sync.Mutex).Unlock()
	c.logf("building %d functions for this machine...", len(c.opts.Catalog.Functions))
	staging := filepath.Join(c.opts.BinDir, ".build")
	args := []string{"build", "-tags", "lambda.norpc", "-o", staging + string(filepath.Separator)}
	outputs := map[string]string{}
	for _, f := range c.opts.Catalog.Functions {
		pkg := c.opts.PackageOf(f.Name)
		base := filepath.Base(pkg)
		if other, dup := outputs[base]; dup {
			return fmt.Errorf("functions %s and %s build to the same name %s", other, f.Name, base)
		}
		outputs[base] = f.Name
		args = append(args, pkg)
	}
	cmd := exec.CommandContext(ctx, goTool(), args...)
	cmd.Dir = c.opts.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	for base, name := range outputs {
		if err := install(filepath.Join(staging, base), c.bootstrap(name)); err != nil {
			return err
		}
	}
	return nil
}

var buildLocks sync.Map // BinDir -> *sync.Mutex

func (c *Cloud) bootstrap(function string) string {
	return filepath.Join(c.opts.BinDir, function, "bootstrap")
}

// install links src to dst atomically (a copy when links are not possible).
func install(src, dst string) error {
	dir := filepath.Dir(dst)
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		_ = os.Remove(dir) // a binary from the older .local/bin/<function> layout
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := dst + ".new"
	_ = os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		if err := os.WriteFile(tmp, data, 0o755); err != nil {
			return err
		}
	}
	return os.Rename(tmp, dst)
}

// goTool is the go command of the toolchain running this program when there is one (go run, go test).
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// startFunctions launches each function's warm processes with the environment Lambda would give it.
func (c *Cloud) startFunctions() error {
	c.logf("starting the functions' warm processes...")
	for _, spec := range c.opts.Catalog.Functions {
		fn := &function{spec: spec, binary: c.bootstrap(spec.Name), taskRoot: filepath.Dir(c.bootstrap(spec.Name)),
			env: environ(c.functionEnv(spec)), pending: make(chan *invocation), logf: c.logf}
		n := spec.LocalConcurrency
		if v, ok := c.opts.Concurrency[spec.Name]; ok {
			n = v
		}
		if err := fn.start(max(n, 1)); err != nil {
			return err
		}
		c.functions[spec.Name] = fn
		for _, r := range spec.Routes {
			c.routes = append(c.routes, compileRoute(r, fn))
		}
		for _, s := range spec.Schedules {
			c.schedules[s.Name] = scheduled{schedule: s, fn: fn}
		}
	}
	return nil
}

// FunctionEnv is the environment the local cloud would give spec (without AWS_LAMBDA_RUNTIME_API) for the
// resources res, with the cloud at baseURL: its catalog environment, secrets at their local values, settings from
// opts (default: the example configuration) and the SDK's endpoints and credentials. Tools that run a function's
// binary outside a cloud (the cold-start benchmark) use it so the binary starts as under `make run`.
func FunctionEnv(opts Options, res emulators.Resources, baseURL string, spec catalog.Function) (map[string]string, error) {
	opts.Logf = func(string, ...any) {}
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	c := &Cloud{opts: opts, Resources: res, addr: strings.TrimPrefix(baseURL, "http://"), secrets: map[string]string{}}
	return c.functionEnv(spec), nil
}

func (c *Cloud) functionEnv(spec catalog.Function) map[string]string {
	env := spec.Environment(func(t string) string { return c.Resources.Tables[t] }, func(q string) string { return c.Resources.Queues[q] })
	for k, v := range spec.LocalEnv {
		env[k] = strings.ReplaceAll(v, "{{LOCAL_URL}}", c.URL())
	}
	for _, s := range spec.Secrets {
		env[s.Env] = c.secret(s)
	}
	for _, s := range spec.Settings {
		env[s.Env] = c.opts.Settings[s.Name]
	}
	for k, v := range c.Resources.Env(c.opts.DynamoEndpoint, c.opts.SQSEndpoint) {
		if strings.HasPrefix(k, "AWS_") {
			env[k] = v
		}
	}
	for k, v := range map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": spec.Name, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(spec.MemoryMB), "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/" + spec.Name,
		"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "INFO", "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023",
		"_HANDLER": "bootstrap", "TZ": "UTC", "LAMBDA_TASK_ROOT": filepath.Dir(c.bootstrap(spec.Name)), "LANG": "en_US.UTF-8",
	} {
		env[k] = v
	}
	// Spans go to the local stand-in for the collector (traces.go), over OTLP/HTTP as in AWS.
	env["OTEL_EXPORTER_OTLP_ENDPOINT"] = c.URL() + "/_local/otlp"
	for k, v := range c.opts.ExtraEnv {
		env[k] = v
	}
	return env
}

// secret reads a secret from this process's environment, else the catalog's local default (said once).
func (c *Cloud) secret(s catalog.Secret) string {
	if v, ok := c.secrets[s.Env]; ok {
		return v
	}
	v, from := os.Getenv(s.Env), "from the environment"
	if v == "" {
		v, from = s.LocalDefault, "local default "+s.LocalDefault+" (set "+s.Env+" to change it)"
	}
	c.secrets[s.Env] = v
	c.logf("secret %s: %s", s.Env, from)
	return v
}

// Invoke calls a function directly with a payload (tests and tools).
func (c *Cloud) Invoke(ctx context.Context, name string, payload []byte) ([]byte, error) {
	fn, ok := c.function(name)
	if !ok {
		return nil, fmt.Errorf("no function %s", name)
	}
	return fn.invoke(ctx, payload)
}

// function finds a running function; none before start-up has finished.
func (c *Cloud) function(name string) (*function, bool) {
	if !c.ready.Load() {
		return nil, false
	}
	fn, ok := c.functions[name]
	return fn, ok
}

// Handler serves the /_local endpoints and the API.
func (c *Cloud) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_local/health", c.health)
	mux.HandleFunc("POST /_local/token", c.issueToken)
	mux.HandleFunc("GET /_local/clock", c.clockHandler)
	mux.HandleFunc("PUT /_local/clock", c.clockHandler)
	mux.HandleFunc("DELETE /_local/clock", c.clockHandler)
	mux.HandleFunc("POST /_local/schedules/{name}", c.whenReady(c.fireScheduleNow))
	mux.HandleFunc("GET /_local/outbox", c.notify.outboxHandler)
	mux.HandleFunc("DELETE /_local/outbox", c.notify.outboxHandler)
	mux.HandleFunc("POST /_local/notify/v2/notifications/email", c.notify.send("email"))
	mux.HandleFunc("POST /_local/notify/v2/notifications/sms", c.notify.send("sms"))
	mux.HandleFunc("POST /_local/notify/v2/notifications/letter", c.notify.send("letter"))
	mux.HandleFunc("POST /_local/notify/receipts", c.whenReady(c.postReceipt))
	mux.HandleFunc("POST /_local/otlp/v1/traces", c.traces.export)
	mux.HandleFunc("GET /_local/traces", c.traces.list)
	if c.oidc != nil {
		c.oidc.routes(mux)
	}
	// the resident pages' static assets on the same origin as the pages, as CloudFront serves them from S3
	mux.Handle("GET "+webfiles.AssetsPath, http.StripPrefix(webfiles.AssetsPath, http.FileServerFS(webfiles.Assets())))
	mux.HandleFunc("/", c.whenReady(c.serveAPI))
	return mux
}

// whenReady answers 503, as API Gateway does when it cannot reach the integration, until start-up is done.
func (c *Cloud) whenReady(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !c.ready.Load() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"message": "Service Unavailable"})
			return
		}
		h(w, r)
	}
}

func (c *Cloud) clockHandler(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPut:
		var body struct {
			Now string `json:"now"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		t, err := time.Parse(time.RFC3339, body.Now)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": `send {"now": "<RFC 3339 time, e.g. 2026-12-24T10:00:00Z>"}`})
			return
		}
		c.Clock.Pin(t)
		c.logf("clock pinned at %s", t.UTC().Format(time.RFC3339))
	case http.MethodDelete:
		c.Clock.Release()
		c.logf("clock released")
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": c.Clock.Now().Format(time.RFC3339Nano), "pinned": c.Clock.Pinned()})
}

// Health is what GET /_local/health reports.
type Health struct {
	Status    string                     `json:"status"`
	Functions map[string]ComponentHealth `json:"functions"`
	Emulators map[string]ComponentHealth `json:"emulators"`
}

// ComponentHealth says whether a function or emulator is up.
type ComponentHealth struct {
	Up        bool `json:"up"`
	Processes int  `json:"processes,omitempty"`
}

// Health checks every function and emulator. During start-up everything is reported down.
func (c *Cloud) Health() Health {
	h := Health{Status: "up", Functions: map[string]ComponentHealth{}, Emulators: map[string]ComponentHealth{}}
	if !c.ready.Load() {
		for _, f := range c.opts.Catalog.Functions {
			h.Functions[f.Name] = ComponentHealth{}
		}
		h.Emulators["dynamodb"], h.Emulators["sqs"] = ComponentHealth{}, ComponentHealth{}
		h.Status = "starting"
		return h
	}
	for name, fn := range c.functions {
		h.Functions[name] = ComponentHealth{Up: fn.up(), Processes: len(fn.procs)}
	}
	h.Emulators["dynamodb"] = ComponentHealth{Up: endpointUp(c.opts.DynamoEndpoint)}
	h.Emulators["sqs"] = ComponentHealth{Up: endpointUp(c.opts.SQSEndpoint)}
	for _, group := range []map[string]ComponentHealth{h.Functions, h.Emulators} {
		for _, comp := range group {
			if !comp.Up {
				h.Status = "down"
			}
		}
	}
	return h
}

func endpointUp(endpoint string) bool {
	client := http.Client{Timeout: time.Second}
	resp, err := client.Get(endpoint)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return true
}

func (c *Cloud) health(w http.ResponseWriter, _ *http.Request) {
	h := c.Health()
	status := http.StatusOK
	if h.Status != "up" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, h)
}

// WaitHealthy waits until every function and emulator is up.
func (c *Cloud) WaitHealthy(ctx context.Context) error {
	for {
		if c.Health().Status == "up" {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("not healthy: %+v", c.Health())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Routes lists the API's routes with their auth kind and function, by path (for the start-up banner).
func (c *Cloud) Routes() []string {
	type line struct{ path, text string }
	var lines []line
	for _, f := range c.opts.Catalog.Functions {
		for _, r := range f.Routes {
			lines = append(lines, line{r.Path + " " + r.Method, fmt.Sprintf("%-6s %-55s %-13s -> %s", r.Method, r.Path, r.Auth, f.Name)})
		}
	}
	slices.SortFunc(lines, func(a, b line) int { return strings.Compare(a.path, b.path) })
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text
	}
	return out
}

// Stop shuts down the API, pollers, schedules, function processes and emulators.
func (c *Cloud) Stop() {
	if c.cancel != nil {
		c.cancel()
	}
	if c.cron != nil {
		c.cron.Stop()
	}
	if c.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		_ = c.server.Shutdown(ctx)
		cancel()
	}
	c.wg.Wait()
	var wg sync.WaitGroup
	for _, fn := range c.functions {
		wg.Go(fn.stop)
	}
	wg.Wait()
	for _, p := range c.emulators {
		p.Stop()
	}
}
