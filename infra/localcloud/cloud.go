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
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/robfig/cron/v3"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/infra/emulators"
)

// Options configure a local cloud. Zero values are the `make run` defaults.
type Options struct {
	Catalog        catalog.Catalog
	Root           string                   // repository root (default: found from the working directory)
	PackageOf      func(name string) string // Go package of a function (default ./functions/<name>)
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
	Logf                 func(format string, args ...any)
}

// Cloud is a running local cloud.
type Cloud struct {
	Clock     *Clock
	Resources emulators.Resources
	opts      Options
	addr      string
	jwtKey    []byte
	functions map[string]*function
	routes    []route
	schedules map[string]scheduled
	notify    *notifyStandIn
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

// Start brings everything up and returns once the API is listening.
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
	c.server = &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.server.Serve(l) }()
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
		o.PackageOf = func(name string) string { return "./functions/" + name }
	}
	if o.Addr == "" {
		o.Addr = "127.0.0.1:3000"
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
	return o.Catalog.Validate()
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

func (c *Cloud) binDir() string { return filepath.Join(c.opts.Root, ".local", "bin") }

// build compiles every function for this machine in one go command (shared packages compile once).
func (c *Cloud) build(ctx context.Context) error {
	c.logf("building %d functions for this machine...", len(c.opts.Catalog.Functions))
	args := []string{"build", "-tags", "lambda.norpc", "-o", c.binDir() + string(filepath.Separator)}
	for _, f := range c.opts.Catalog.Functions {
		args = append(args, c.opts.PackageOf(f.Name))
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = c.opts.Root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	return nil
}

// startFunctions launches each function's warm processes with the environment Lambda would give it.
func (c *Cloud) startFunctions() error {
	notifyKey := c.secret(catalog.Secret{Env: "NOTIFY_API_KEY", LocalDefault: catalog.LocalNotifyAPIKey})
	standIn, err := newNotifyStandIn(notifyKey, c.Clock)
	if err != nil {
		return err
	}
	c.notify = standIn
	for _, spec := range c.opts.Catalog.Functions {
		fn := &function{spec: spec, binary: filepath.Join(c.binDir(), filepath.Base(c.opts.PackageOf(spec.Name))),
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

func (c *Cloud) functionEnv(spec catalog.Function) map[string]string {
	env := spec.Environment(func(t string) string { return c.Resources.Tables[t] }, func(q string) string { return c.Resources.Queues[q] })
	for k, v := range spec.LocalEnv {
		env[k] = strings.ReplaceAll(v, "{{LOCAL_URL}}", c.URL())
	}
	for _, s := range spec.Secrets {
		env[s.Env] = c.secret(s)
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
		"_HANDLER": "bootstrap", "TZ": "UTC", "LAMBDA_TASK_ROOT": filepath.Dir(c.binDir()), "LANG": "en_US.UTF-8",
	} {
		env[k] = v
	}
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
	fn, ok := c.functions[name]
	if !ok {
		return nil, fmt.Errorf("no function %s", name)
	}
	return fn.invoke(ctx, payload)
}

// Handler serves the /_local endpoints and the API.
func (c *Cloud) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_local/health", c.health)
	mux.HandleFunc("POST /_local/token", c.issueToken)
	mux.HandleFunc("GET /_local/clock", c.clockHandler)
	mux.HandleFunc("PUT /_local/clock", c.clockHandler)
	mux.HandleFunc("DELETE /_local/clock", c.clockHandler)
	mux.HandleFunc("POST /_local/schedules/{name}", c.fireScheduleNow)
	mux.HandleFunc("GET /_local/outbox", c.notify.outboxHandler)
	mux.HandleFunc("DELETE /_local/outbox", c.notify.outboxHandler)
	mux.HandleFunc("POST /_local/notify/v2/notifications/email", c.notify.send("email"))
	mux.HandleFunc("POST /_local/notify/v2/notifications/sms", c.notify.send("sms"))
	mux.HandleFunc("/", c.serveAPI)
	return mux
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

// Health checks every function and emulator.
func (c *Cloud) Health() Health {
	h := Health{Status: "up", Functions: map[string]ComponentHealth{}, Emulators: map[string]ComponentHealth{}}
	for name, fn := range c.functions {
		h.Functions[name] = ComponentHealth{Up: fn.up(), Processes: len(fn.procs)}
	}
	h.Emulators["dynamodb"] = ComponentHealth{Up: endpointUp(c.opts.DynamoEndpoint)}
	h.Emulators["sqs"] = ComponentHealth{Up: endpointUp(c.opts.SQSEndpoint)}
	for _, group := range []map[string]ComponentHealth{h.Functions, h.Emulators} {
		for _, comp := range group {
			if !comp.Up {
				h.Status = "starting"
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

// Routes lists the API's route keys, sorted (for the start-up banner).
func (c *Cloud) Routes() []string {
	var keys []string
	for _, r := range c.routes {
		keys = append(keys, fmt.Sprintf("%-6s %-55s %s", r.spec.Method, r.spec.Path, r.spec.Auth))
	}
	sort.Strings(keys)
	return keys
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
	} else if c.listener != nil {
		_ = c.listener.Close()
	}
	c.wg.Wait()
	var wg sync.WaitGroup
	for _, fn := range c.functions {
		wg.Add(1)
		go func() { defer wg.Done(); fn.stop() }()
	}
	wg.Wait()
	for _, p := range c.emulators {
		p.Stop()
	}
}
