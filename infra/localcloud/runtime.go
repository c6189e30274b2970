package localcloud

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/councilhousing/backend/shared/catalog"
)

// queueWait is how long an invocation waits for a free warm process before it is refused as throttled. In AWS
// another execution environment would start; locally the function's LocalConcurrency is its limit.
const queueWait = 30 * time.Second

// FunctionError is what a function reported through the Runtime API's error endpoint, or a timeout, crash or
// throttle.
type FunctionError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

type invocation struct {
	id      string
	payload []byte
	done    chan invocationResult // buffered: a late answer never blocks
	once    sync.Once
}

type invocationResult struct {
	body []byte
	err  error
}

func (inv *invocation) finish(r invocationResult) { inv.once.Do(func() { inv.done <- r }) }

// function runs one catalog function as Lambda does: warm processes of the real binary, each pulling
// invocations from its own Runtime API endpoint.
type function struct {
	spec     catalog.Function
	binary   string
	taskRoot string // the binary's folder: LAMBDA_TASK_ROOT and the working directory, as /var/task in AWS
	env      []string
	pending  chan *invocation // unbuffered: a send completes when a process takes the invocation
	procs    []*process
	logf     func(format string, args ...any)
}

// process is one warm execution environment.
type process struct {
	fn       *function
	index    int
	listener net.Listener
	server   *http.Server
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{} // closed when cmd ends
	current  *invocation   // the invocation cmd is working on
	stopping bool
	ready    atomic.Bool // cmd has asked for work since it started
	backoff  time.Duration
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80 // version 4 UUID
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (f *function) timeout() time.Duration { return time.Duration(f.spec.TimeoutSec) * time.Second }

// start launches n warm processes, each with its own Runtime API endpoint.
func (f *function) start(n int) error {
	for i := range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		p := &process{fn: f, index: i, listener: l}
		p.server = &http.Server{Handler: p.runtimeAPI(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = p.server.Serve(l) }()
		f.procs = append(f.procs, p)
		if err := p.launch(); err != nil {
			return err
		}
	}
	return nil
}

// launch starts the binary with Lambda's environment; when it ends (crash, or killed after a timeout) a new
// one replaces it, after a growing pause if it keeps dying at once.
func (p *process) launch() error {
	cmd := exec.Command(p.fn.binary)
	cmd.Dir = p.fn.taskRoot
	cmd.Env = append(append([]string{}, p.fn.env...), "AWS_LAMBDA_RUNTIME_API="+p.listener.Addr().String(),
		fmt.Sprintf("AWS_LAMBDA_LOG_STREAM_NAME=%s/[$LATEST]%s", time.Now().UTC().Format("2006/01/02"), strings.ReplaceAll(newID(), "-", "")))
	prefix := fmt.Sprintf("[%s] ", p.fn.spec.Name)
	cmd.Stdout, cmd.Stderr = &lineWriter{prefix: prefix, logf: p.fn.logf}, &lineWriter{prefix: prefix, logf: p.fn.logf}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopping {
		return nil
	}
	p.ready.Store(false)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.fn.spec.Name, err)
	}
	exited := make(chan struct{})
	p.cmd, p.exited = cmd, exited
	started := time.Now()
	go func() {
		_ = cmd.Wait()
		p.ready.Store(false)
		close(exited)
		p.failCurrent(&FunctionError{Type: "Runtime.ExitError", Message: "the function process exited: " + cmd.ProcessState.String()})
		p.relaunch(time.Since(started))
	}()
	return nil
}

func (p *process) relaunch(lived time.Duration) {
	p.mu.Lock()
	if p.stopping {
		p.mu.Unlock()
		return
	}
	if lived > 5*time.Second {
		p.backoff = 0
	}
	p.backoff = min(max(2*p.backoff, 200*time.Millisecond), 5*time.Second)
	pause := p.backoff
	p.mu.Unlock()
	time.Sleep(pause)
	if err := p.launch(); err != nil {
		p.fn.logf("cannot restart %s: %v", p.fn.spec.Name, err)
	}
}

func (p *process) failCurrent(err error) {
	p.mu.Lock()
	inv := p.current
	p.current = nil
	p.mu.Unlock()
	if inv != nil {
		inv.finish(invocationResult{err: err})
	}
}

// killIfRunning ends the process if it is working on inv (Lambda discards a timed-out environment too).
func (p *process) killIfRunning(inv *invocation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.current == inv && p.cmd != nil {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	}
}

func (p *process) stop() {
	p.mu.Lock()
	p.stopping = true
	cmd, exited := p.cmd, p.exited
	p.mu.Unlock()
	if cmd != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(3 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}
	_ = p.server.Close()
}

// runtimeAPI serves the Lambda Runtime API (2018-06-01) for this process.
func (p *process) runtimeAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", p.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		p.complete(w, r, false)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", func(w http.ResponseWriter, r *http.Request) {
		p.complete(w, r, true)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		p.fn.logf("%s failed to initialise: %s", p.fn.spec.Name, body)
		w.WriteHeader(http.StatusAccepted)
	})
	return mux
}

// next blocks until an invocation arrives, then hands it to the process with Lambda's headers.
func (p *process) next(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	exited := p.exited
	p.mu.Unlock()
	p.ready.Store(true)
	var inv *invocation
	select {
	case inv = <-p.fn.pending:
	case <-r.Context().Done():
		return
	case <-exited:
		return
	}
	p.mu.Lock()
	select {
	case <-exited: // died while the invocation was handed over: nobody would answer it
		p.mu.Unlock()
		inv.finish(invocationResult{err: &FunctionError{Type: "Runtime.ExitError", Message: "the function process exited"}})
		return
	default:
		p.current = inv
	}
	p.mu.Unlock()
	compact := strings.ReplaceAll(inv.id, "-", "")
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(p.fn.timeout()).UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", functionARN(p.fn.spec.Name))
	h.Set("Lambda-Runtime-Trace-Id", fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), compact[:24], compact[16:]))
	h.Set("Content-Type", "application/json")
	_, _ = w.Write(inv.payload)
}

func (p *process) complete(w http.ResponseWriter, r *http.Request, failed bool) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	inv := p.current
	if inv != nil && inv.id == r.PathValue("id") {
		p.current = nil
	} else {
		inv = nil
	}
	p.mu.Unlock()
	if inv == nil {
		writeJSON(w, http.StatusBadRequest, FunctionError{Type: "InvalidRequestID", Message: "unknown request id"})
		return
	}
	result := invocationResult{body: body}
	if failed {
		fe := &FunctionError{}
		if json.Unmarshal(body, fe) != nil || fe.Type == "" {
			fe = &FunctionError{Type: r.Header.Get("Lambda-Runtime-Function-Error-Type"), Message: string(body)}
		}
		result = invocationResult{err: fe}
	}
	inv.finish(result)
	w.WriteHeader(http.StatusAccepted)
}

// invoke runs one invocation on the next free process. The function's timeout counts from when a process
// takes it; over it, the process is killed (and replaced) and the answer is Sandbox.Timedout.
func (f *function) invoke(ctx context.Context, payload []byte) ([]byte, error) {
	inv := &invocation{id: newID(), payload: payload, done: make(chan invocationResult, 1)}
	wait := time.NewTimer(queueWait)
	defer wait.Stop()
	select {
	case f.pending <- inv:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-wait.C:
		return nil, &FunctionError{Type: "TooManyRequestsException", Message: fmt.Sprintf("all %d warm processes stayed busy for %s", len(f.procs), queueWait)}
	}
	timer := time.NewTimer(f.timeout())
	defer timer.Stop()
	select {
	case r := <-inv.done:
		return r.body, r.err
	case <-timer.C:
		for _, p := range f.procs {
			p.killIfRunning(inv)
		}
		f.logf("%s: task timed out after %d seconds; its process is replaced", f.spec.Name, f.spec.TimeoutSec)
		return nil, &FunctionError{Type: "Sandbox.Timedout", Message: fmt.Sprintf("Task timed out after %d.00 seconds", f.spec.TimeoutSec)}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// up reports whether every process is waiting for or working on an invocation.
func (f *function) up() bool {
	for _, p := range f.procs {
		p.mu.Lock()
		busy := p.current != nil
		p.mu.Unlock()
		if !p.ready.Load() && !busy {
			return false
		}
	}
	return len(f.procs) > 0
}

func (f *function) stop() {
	var wg sync.WaitGroup
	for _, p := range f.procs {
		wg.Go(p.stop)
	}
	wg.Wait()
}

func functionARN(name string) string {
	return "arn:aws:lambda:" + region + ":" + account + ":function:" + name
}

// lineWriter forwards a function's output line by line, prefixed with its name (exec copies each stream
// from its own goroutine, so a writer is never used concurrently).
type lineWriter struct {
	prefix string
	logf   func(format string, args ...any)
	buf    []byte
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.buf = append(w.buf, b...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.logf("%s%s", w.prefix, w.buf[:i])
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > 64<<10 { // a very long line without a newline: pass it on in pieces
		w.logf("%s%s", w.prefix, w.buf)
		w.buf = w.buf[:0]
	}
	return len(b), nil
}

// environ is the process environment: exactly what Lambda would set, plus PATH (nothing else leaks in from
// the developer's shell, e.g. AWS profiles).
func environ(base map[string]string) []string {
	out := make([]string, 0, len(base)+1)
	for k, v := range base {
		out = append(out, k+"="+v)
	}
	if path := os.Getenv("PATH"); path != "" {
		out = append(out, "PATH="+path)
	}
	return out
}
