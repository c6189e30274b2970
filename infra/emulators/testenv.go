package emulators

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/shared/catalog"
)

// Env is a pair of running emulators shared by one test binary.
type Env struct {
	DynamoEndpoint string
	SQSEndpoint    string
	DDB            *dynamodb.Client
	SQS            *sqs.Client
	procs          []*Process
	external       bool // reusing emulators that outlive this test binary
}

// Set is a fresh, isolated set of the catalog's tables and queues.
type Set struct {
	*Env
	Resources
	Vars map[string]string // the function environment for this set (see Resources.Env)
}

var (
	shared     *Env
	sharedErr  error
	sharedOnce sync.Once
	setCounter atomic.Int64
	atExitMu   sync.Mutex
	atExit     []func()
)

// Main runs a package's tests, then the functions given to OnExit, then stops the shared emulators, and exits
// with the tests' code. Call it from TestMain: func TestMain(m *testing.M) { emulators.Main(m) }.
// Without it the emulators still end with the test binary (they get SIGKILL when their parent dies).
func Main(m *testing.M) {
	code := m.Run()
	atExitMu.Lock()
	for i := len(atExit) - 1; i >= 0; i-- {
		atExit[i]()
	}
	atExitMu.Unlock()
	if shared != nil {
		for _, p := range shared.procs {
			p.Stop()
		}
	}
	os.Exit(code)
}

// OnExit registers fn to run when Main ends, before the emulators stop (e.g. removing files shared by every
// test of the binary).
func OnExit(fn func()) {
	atExitMu.Lock()
	defer atExitMu.Unlock()
	atExit = append(atExit, fn)
}

// Shared starts (once per test binary) or reuses the emulators: TEST_DYNAMODB_ENDPOINT and
// TEST_SQS_ENDPOINT point at running ones; otherwise in-memory ones start on free ports.
func Shared(tb testing.TB) *Env {
	tb.Helper()
	sharedOnce.Do(func() { shared, sharedErr = startShared() })
	if sharedErr != nil {
		tb.Fatalf("emulators: %v", sharedErr)
	}
	return shared
}

func startShared() (*Env, error) {
	env := &Env{DynamoEndpoint: os.Getenv("TEST_DYNAMODB_ENDPOINT"), SQSEndpoint: os.Getenv("TEST_SQS_ENDPOINT")}
	env.external = env.DynamoEndpoint != "" || env.SQSEndpoint != ""
	root, err := Root()
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []string
	launch := func(endpoint *string, startFn func(port int) (*Process, error)) {
		if *endpoint != "" {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A free port can be taken by a parallel test binary before the emulator binds it: try fresh ones.
			var p *Process
			var err error
			for attempt := 0; attempt < 3; attempt++ {
				var port int
				if port, err = FreePort(); err == nil {
					if p, err = startFn(port); err == nil {
						break
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err.Error())
				return
			}
			env.procs = append(env.procs, p)
			*endpoint = p.Endpoint
		}()
	}
	ctx := context.Background()
	launch(&env.DynamoEndpoint, func(port int) (*Process, error) { return StartDynamoDB(ctx, root, port, "") })
	launch(&env.SQSEndpoint, func(port int) (*Process, error) { return StartSQS(ctx, root, port) })
	wg.Wait()
	if len(errs) > 0 {
		for _, p := range env.procs {
			p.Stop()
		}
		return nil, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	env.DDB, env.SQS = Clients(env.DynamoEndpoint, env.SQSEndpoint)
	return env, nil
}

// Fresh creates a new, uniquely named set of every table and queue of catalog.System(), so tests never see
// each other's data.
func (e *Env) Fresh(tb testing.TB) *Set { return e.FreshFor(tb, catalog.System()) }

// FreshFor is Fresh for another catalog (e.g. a test's own). On reused emulators the set is deleted when the
// test ends; in-memory emulators simply end with the test binary.
func (e *Env) FreshFor(tb testing.TB, cat catalog.Catalog) *Set {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := CreateResources(ctx, cat, e.DDB, e.SQS, UniqueSuffix())
	e.DeleteWhenDone(tb, res)
	if err != nil {
		tb.Fatalf("emulators: %v", err)
	}
	return &Set{Env: e, Resources: res, Vars: res.Env(e.DynamoEndpoint, e.SQSEndpoint)}
}

// UniqueSuffix is a resource-name suffix no other set in this or another test binary uses.
func UniqueSuffix() string { return fmt.Sprintf("-t%d-%d", os.Getpid(), setCounter.Add(1)) }

// DeleteWhenDone deletes resources created for a test when it ends, if the emulators are reused ones
// (TEST_DYNAMODB_ENDPOINT / TEST_SQS_ENDPOINT) that would otherwise keep them.
func (e *Env) DeleteWhenDone(tb testing.TB, res Resources) {
	if e.external {
		tb.Cleanup(func() { e.delete(res) })
	}
}

func (e *Env) delete(res Resources) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, name := range res.Tables {
		_, _ = e.DDB.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	}
	for _, urls := range []map[string]string{res.Queues, res.DLQs} {
		for _, url := range urls {
			_, _ = e.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: aws.String(url)})
		}
	}
}

// Setenv sets the set's function environment for the duration of the test (not with t.Parallel).
func (s *Set) Setenv(tb testing.TB) {
	for k, v := range s.Vars {
		tb.Setenv(k, v)
	}
}
