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

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/infra/catalog"
)

// Env is a pair of running emulators shared by one test binary.
type Env struct {
	DynamoEndpoint string
	SQSEndpoint    string
	DDB            *dynamodb.Client
	SQS            *sqs.Client
	procs          []*Process
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
)

// Main runs a package's tests and then stops the shared emulators. Use it in TestMain: os.Exit is called.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		for _, p := range shared.procs {
			p.Stop()
		}
	}
	os.Exit(code)
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
			port, err := FreePort()
			var p *Process
			if err == nil {
				p, err = startFn(port)
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
	launch(&env.DynamoEndpoint, func(port int) (*Process, error) { return StartDynamoDB(root, port, "") })
	launch(&env.SQSEndpoint, func(port int) (*Process, error) { return StartSQS(root, port) })
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

// Fresh creates a new, uniquely named set of every catalog table and queue, so tests never see each other's data.
func (e *Env) Fresh(tb testing.TB) *Set {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	suffix := fmt.Sprintf("-t%d-%d", os.Getpid(), setCounter.Add(1))
	res, err := CreateResources(ctx, catalog.System(), e.DDB, e.SQS, suffix)
	if err != nil {
		tb.Fatalf("emulators: %v", err)
	}
	return &Set{Env: e, Resources: res, Vars: res.Env(e.DynamoEndpoint, e.SQSEndpoint)}
}

// Setenv sets the set's function environment for the duration of the test.
func (s *Set) Setenv(tb testing.TB) {
	for k, v := range s.Vars {
		tb.Setenv(k, v)
	}
}
