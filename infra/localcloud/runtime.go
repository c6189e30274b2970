package localcloud

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
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

	"github.com/councilhousing/backend/infra/catalog"
)

// FunctionError is what a function reported through the Runtime API's error endpoint (or a timeout/crash).
type FunctionError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	done     chan invocationResult
	once     sync.Once
}

type invocationResult struct {
	body []byte
	err  error
}

func (inv *invocation) finish(r invocationResult) { inv.once.Do(func() { inv.done <- r }) }

// function runs one catalog function as Lambda does: warm processes of the real binary, each pulling
// invocations from the Runtime API.
type function struct {
	spec    catalog.Function
	binary  string
	env     []string
	pending chan *invocation
	procs   []*process
	logf    func(format string, args ...any)
}

// process is one warm execution environment: the binary and its own Runtime API endpoint.
type process struct {
	fn       *function
	index    int
	listener net.Listener
	server   *http.Server
	mu       sync.Mutex
	cmd      *exec.Cmd
	current  *invocation // the invocation this process is working on
	ready    atomic.Bool // it has asked for work since it (re)started
	stopping atomic.Bool
	exited   chan struct{}
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// start launches n warm processes.
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

func (p *process) launch() error {
	cmd := exec.Command(p.fn.binary)
	cmd.Env = append(append([]string{}, p.fn.env...), "AWS_LAMBDA_RUNTIME_API="+p.listener.Addr().String(),
		fmt.Sprintf("AWS_LAMBDA_LOG_STREAM_NAME=%s/[$LATEST]%d", time.Now().Format("2006/01/02"), p.index))
	prefix := fmt.Sprintf("[%s] ", p.fn.spec.Name)
	cmd.Stdout = prefixWriter(prefix)
	cmd.Stderr = prefixWriter(prefix)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p.ready.Store(false)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.fn.spec.Name, err)
	}
	p.mu.Lock()
	p.cmd, p.exited = cmd, make(chan struct{})
	exited := p.exited
	p.mu.Unlock()
	go func() {
		_ = cmd.Wait()
		close(exited)
		p.ready.Store(false)
		p.failCurrent(&FunctionError{Type: "Runtime.ExitError", Message: "the function process exited"})
		if !p.stopping.Load() {
			time.Sleep(200 * time.Millisecond) // a crashing binary should not spin
			if err := p.launch(); err != nil {
				p.fn.logf("cannot restart %s: %v", p.fn.spec.Name, err)
			}
		}
	}()
	return nil
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

// kill ends the process (it is restarted unless stopping).
func (p *process) kill() {
	p.mu.Lock()
	cmd := p.cmd
	p.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

func (p *process) stop() {
	p.stopping.Store(true)
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.mu.Unlock()
	if cmd != nil && cmd.Process != nil {
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
		body, _ := io.ReadAll(r.Body)
		p.fn.logf("%s failed to initialise: %s", p.fn.spec.Name, body)
		w.WriteHeader(http.StatusAccepted)
	})
	return mux
}

func (p *process) next(w http.ResponseWriter, r *http.Request) {
	p.ready.Store(true)
	var inv *invocation
	select {
	case inv = <-p.fn.pending:
	case <-r.Context().Done():
		return
	}
	p.mu.Lock()
	p.current = inv
	p.mu.Unlock()
	h := w.Header()
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", functionARN(p.fn.spec.Name))
	h.Set("Lambda-Runtime-Trace-Id", "Root=1-"+strings.ReplaceAll(inv.id, "-", "")[:8]+"-"+strings.ReplaceAll(inv.id, "-", "")[8:32]+";Sampled=0")
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
		http.Error(w, `{"errorMessage":"unknown request id","errorType":"InvalidRequestID"}`, http.StatusBadRequest)
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

// invoke runs one invocation on a free process, within the function's timeout. A timeout kills the process
// that had the invocation (Lambda discards the execution environment too) and answers Sandbox.Timedout.
func (f *function) invoke(ctx context.Context, payload []byte) ([]byte, error) {
	timeout := time.Duration(f.spec.TimeoutSec) * time.Second
	inv := &invocation{id: newID(), payload: payload, deadline: time.Now().Add(timeout), done: make(chan invocationResult, 1)}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case f.pending <- inv:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, &FunctionError{Type: "Sandbox.Timedout", Message: "no execution environment became free within the timeout"}
	}
	select {
	case r := <-inv.done:
		return r.body, r.err
	case <-timer.C:
		for _, p := range f.procs {
			p.mu.Lock()
			mine := p.current == inv
			p.mu.Unlock()
			if mine {
				p.kill()
			}
		}
		inv.finish(invocationResult{})
		return nil, &FunctionError{Type: "Sandbox.Timedout", Message: fmt.Sprintf("Task timed out after %d seconds", f.spec.TimeoutSec)}
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
		wg.Add(1)
		go func() { defer wg.Done(); p.stop() }()
	}
	wg.Wait()
}

func functionARN(name string) string {
	return "arn:aws:lambda:eu-west-2:000000000000:function:" + name
}

// prefixWriter forwards a function's output line by line, prefixed with its name.
func prefixWriter(prefix string) io.Writer {
	pr, pw := io.Pipe()
	go func() {
		buf := make([]byte, 0, 64*1024)
		chunk := make([]byte, 32*1024)
		for {
			n, err := pr.Read(chunk)
			buf = append(buf, chunk[:n]...)
			for {
				i := bytes.IndexByte(buf, '\n')
				if i < 0 {
					break
				}
				log.Printf("%s%s", prefix, buf[:i])
				buf = buf[i+1:]
			}
			if err != nil {
				if len(buf) > 0 {
					log.Printf("%s%s", prefix, buf)
				}
				return
			}
		}
	}()
	return pw
}

func environ(base map[string]string) []string {
	out := make([]string, 0, len(base))
	for k, v := range base {
		out = append(out, k+"="+v)
	}
	if path := os.Getenv("PATH"); path != "" {
		out = append(out, "PATH="+path)
	}
	return out
}
