package coldstartbench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
)

const (
	rounds  = 21 // measured rounds (the Done-when asks for 15 or more), after one warm-up round
	bare    = "bare"
	refused = "http://127.0.0.1:1" // nothing listens: a function that calls AWS at init fails fast, never reaches it
	limit   = 1.5                  // the bound on a function's init time relative to the bare binary
)

// references are measured with the functions but are not functions: the bare binary plus the AWS SDK's
// DynamoDB client (testdata/sdkdynamodb), the one dependency every function links whose package init is
// largest. It shows how much of a function's init is the SDK's.
var references = []string{"sdkdynamodb"}

// A run is one binary started with one environment; key names its samples.
type run struct {
	key, binary string
	env         []string
}

// awsPath marks the runs of a function with secrets or settings that reads them as in AWS: from Secrets Manager
// and SSM (stand-ins on loopback) rather than from the environment.
const awsPath = " (AWS)"

// BenchmarkColdStart builds every catalog function, the bare aws-lambda-go binary and the references with the
// Makefile's Lambda flags, prints their linux/arm64 sizes, and times each one's init (exec to its first GET of
// the next invocation from a fake Runtime API) on this machine, interleaved round by round, with the
// environment `make run` gives it; functions with secrets or settings are timed a second time reading them as in
// AWS, from Secrets Manager and SSM stand-ins on loopback.
func BenchmarkColdStart(b *testing.B) {
	root, err := emulators.Root()
	if err != nil {
		b.Fatal(err)
	}
	lambdaEnv, flags := makefileLambdaBuild(b, filepath.Join(root, "Makefile"))
	sys := catalog.System()
	names := append([]string{bare}, references...)
	pkgs := []string{"./infra/coldstartbench/testdata/bare"}
	for _, r := range references {
		pkgs = append(pkgs, "./infra/coldstartbench/testdata/"+r)
	}
	for _, f := range sys.Functions {
		names = append(names, f.Name)
		pkgs = append(pkgs, "./"+f.Dir())
	}

	arm := filepath.Join(b.TempDir(), "arm64")
	build(b, root, arm, lambdaEnv, flags, pkgs)
	timed, timedArch := arm, "arm64"
	if runtime.GOARCH != "arm64" || runtime.GOOS != "linux" {
		timed, timedArch = filepath.Join(b.TempDir(), runtime.GOARCH), runtime.GOARCH
		build(b, root, timed, append(slices.Clone(lambdaEnv), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH), flags, pkgs)
	}

	stand := newAWSStandIn()
	defer stand.Close()
	bareEnv := localEnv(b, root, sys, catalog.Function{Name: bare, MemoryMB: 128})
	runs := []run{{bare, bare, envList(bareEnv)}}
	for _, r := range references {
		runs = append(runs, run{r, r, envList(bareEnv)})
	}
	for _, f := range sys.Functions {
		env := localEnv(b, root, sys, f)
		runs = append(runs, run{f.Name, f.Name, envList(env)})
		if len(f.Secrets)+len(f.Settings) > 0 {
			runs = append(runs, run{f.Name + awsPath, f.Name, envList(stand.serve(f, env))})
		}
	}

	api := newFakeRuntimeAPI()
	defer api.Close()
	samples := map[string][]time.Duration{}
	for round := range rounds + 1 {
		for _, r := range runs {
			d := api.initTime(b, filepath.Join(timed, r.binary), r.env)
			if round > 0 { // the first round warms the page cache
				samples[r.key] = append(samples[r.key], d)
			}
		}
	}
	for b.Loop() { // the measurement above is the benchmark; it runs once whatever -benchtime says
	}

	fmt.Printf("\nLambda cold start: %d functions next to a bare aws-lambda-go binary, built with the Makefile's %s %s\n",
		len(sys.Functions), strings.Join(lambdaEnv, " "), strings.Join(quoted(flags), " "))
	fmt.Printf("size: GOOS=linux GOARCH=arm64 (what is deployed); init: exec to the first Runtime API poll, median of %d rounds\n", rounds)
	fmt.Printf("interleaved (%s), on this machine: %s/%s build with the same flags", strings.Join(names, ", "), runtime.GOOS, timedArch)
	if timedArch != "arm64" {
		fmt.Printf(" (this machine is not arm64)")
	}
	fmt.Printf(", %d CPUs\n", runtime.NumCPU())
	fmt.Printf("init: with the environment `make run` gives (secrets and settings as values); AWS path: secrets and settings read\n")
	fmt.Printf("from Secrets Manager and SSM stand-ins on loopback (signed requests, one round trip each, in the same rounds)\n\n")
	fmt.Printf("%-22s %12s %8s %12s %10s %8s %14s %8s\n", "binary", "size arm64", "vs bare", "init median", "(min)", "vs bare", "AWS path init", "vs bare")
	bareSize, bareInit := size(b, filepath.Join(arm, bare)), median(samples[bare])
	worst := 0.0
	for _, name := range names {
		s, m := size(b, filepath.Join(arm, name)), median(samples[name])
		ratio := float64(m) / float64(bareInit)
		aws := fmt.Sprintf("%14s %8s", "-", "")
		if a, ok := samples[name+awsPath]; ok {
			aws = fmt.Sprintf("%11.2f ms %7.2fx", ms(median(a)), float64(median(a))/float64(bareInit))
		}
		verdict := ""
		if slices.Contains(references, name) {
			verdict = "  (reference)"
		} else if name != bare {
			worst = max(worst, ratio)
			if ratio >= limit {
				verdict = fmt.Sprintf("  over %.1fx", limit)
			}
			b.ReportMetric(ratio, name+"-init/bare")
		}
		fmt.Printf("%-22s %8.2f MiB %7.2fx %9.2f ms %7.2f ms %7.2fx %s%s\n", name, mib(s), float64(s)/float64(bareSize),
			ms(m), ms(slices.Min(samples[name])), ratio, aws, verdict)
	}
	fmt.Printf("\nslowest function init: %.2fx the bare binary's (bound: under %.1fx)\n", worst, limit)
	fmt.Printf("what every function links before any code of ours: the SDK's DynamoDB client %.2fx\n",
		float64(median(samples[references[0]]))/float64(bareInit))
	fmt.Printf("AWS path: %d GetParameters and %d GetSecretValue requests answered\n\n", stand.parameterCalls.Load(), stand.secretCalls.Load())
	b.ReportMetric(ms(bareInit), "bare-init-ms")
	b.ReportMetric(0, "ns/op")
}

// makefileLambdaBuild reads LAMBDA_ENV and LAMBDA_FLAGS from the Makefile, so the benchmark builds exactly as
// `make build` does.
func makefileLambdaBuild(b *testing.B, path string) (env, flags []string) {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	vars := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if name, value, ok := strings.Cut(sc.Text(), ":="); ok && strings.HasPrefix(name, "LAMBDA_") {
			vars[strings.TrimSpace(name)] = strings.TrimSpace(value)
		}
	}
	if vars["LAMBDA_ENV"] == "" || vars["LAMBDA_FLAGS"] == "" {
		b.Fatalf("%s: LAMBDA_ENV and LAMBDA_FLAGS not found", path)
	}
	return fields(vars["LAMBDA_ENV"]), fields(vars["LAMBDA_FLAGS"])
}

// fields splits like the shell for the Makefile's simple values: on spaces, keeping "double-quoted" words whole.
func fields(s string) []string {
	var out []string
	var word strings.Builder
	inQuote, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote, inWord = !inQuote, true
		case r == ' ' && !inQuote:
			if inWord {
				out, inWord = append(out, word.String()), false
				word.Reset()
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, word.String())
	}
	return out
}

func quoted(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if strings.Contains(a, " ") {
			out[i] = `"` + a + `"`
		}
	}
	return out
}

// build compiles the packages into dir in one go command, one job at a time (-p 1: leave CPUs to others).
func build(b *testing.B, root, dir string, env, flags, pkgs []string) {
	args := append(append([]string{"build", "-p", "1"}, flags...), "-o", dir+string(filepath.Separator))
	cmd := exec.Command(goTool(), append(args, pkgs...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build (%s): %v\n%s", strings.Join(env, " "), err, out)
	}
}

func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// localEnv is the environment the local cloud gives the function (secrets and settings as values, so nothing
// is fetched from Secrets Manager or SSM at init, as under `make run`), with every AWS endpoint refusing.
func localEnv(b *testing.B, root string, sys catalog.Catalog, f catalog.Function) map[string]string {
	res := emulators.Resources{Tables: map[string]string{}, Queues: map[string]string{}}
	for _, t := range sys.Tables {
		res.Tables[t.Name] = t.Name
	}
	for _, q := range sys.Queues {
		res.Queues[q.Name] = refused + "/" + emulators.Account + "/" + q.Name
	}
	env, err := localcloud.FunctionEnv(localcloud.Options{Catalog: sys, Root: root, BinDir: b.TempDir(),
		DynamoEndpoint: refused, SQSEndpoint: refused, Addr: "127.0.0.1:1"}, res, "http://127.0.0.1:1", f)
	if err != nil {
		b.Fatal(err)
	}
	env["AWS_ENDPOINT_URL"] = refused // every other service too (Secrets Manager, SSM, STS)
	return env
}

func envList(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// awsStandIn answers SSM's GetParameters and Secrets Manager's GetSecretValue as those services do (awsJson1_1)
// for SigV4-signed requests, on loopback: what a function with settings or secrets asks AWS at init.
type awsStandIn struct {
	*httptest.Server
	mu                          sync.Mutex
	params, secrets             map[string]string // parameter name, secret ARN -> value
	parameterCalls, secretCalls atomic.Int64
}

func newAWSStandIn() *awsStandIn {
	s := &awsStandIn{params: map[string]string{}, secrets: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.answer))
	return s
}

// serve stores the function's secrets and settings in the stand-in, and returns env changed as the stack sets
// it in AWS: <ENV>_ARN and <ENV>_PARAMETER instead of the values, the endpoints pointed at the stand-in.
func (s *awsStandIn) serve(f catalog.Function, local map[string]string) map[string]string {
	env := maps.Clone(local)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sec := range f.Secrets {
		arn := "arn:aws:secretsmanager:" + emulators.Region + ":" + emulators.Account + ":secret:" + sec.Env
		s.secrets[arn] = env[sec.Env]
		delete(env, sec.Env)
		env[sec.Env+"_ARN"] = arn
	}
	for _, set := range f.Settings {
		name := "/Housing/config/" + set.Name
		s.params[name] = env[set.Env]
		delete(env, set.Env)
		env[set.Env+"_PARAMETER"] = name
	}
	env["AWS_ENDPOINT_URL_SSM"], env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = s.URL, s.URL
	return env
}

func (s *awsStandIn) answer(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	fail := func(code, msg string) {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=") || r.Header.Get("X-Amz-Date") == "" {
		fail("MissingAuthenticationTokenException", "request is not signed")
		return
	}
	var in struct {
		Names    []string
		SecretId string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail("SerializationException", err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.Header.Get("X-Amz-Target") {
	case "AmazonSSM.GetParameters":
		s.parameterCalls.Add(1)
		type parameter struct{ Name, Type, Value string }
		out := struct {
			Parameters        []parameter
			InvalidParameters []string
		}{Parameters: []parameter{}, InvalidParameters: []string{}}
		for _, n := range in.Names {
			if v, ok := s.params[n]; ok {
				out.Parameters = append(out.Parameters, parameter{n, "String", v})
			} else {
				out.InvalidParameters = append(out.InvalidParameters, n)
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	case "secretsmanager.GetSecretValue":
		s.secretCalls.Add(1)
		v, ok := s.secrets[in.SecretId]
		if !ok {
			fail("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"ARN": in.SecretId, "Name": in.SecretId, "SecretString": v, "VersionId": "v1"})
	default:
		fail("UnknownOperationException", r.Header.Get("X-Amz-Target"))
	}
}

// fakeRuntimeAPI answers nothing: it notes when a binary first asks for the next invocation.
type fakeRuntimeAPI struct {
	*httptest.Server
	polled chan time.Time
	failed chan string
}

func newFakeRuntimeAPI() *fakeRuntimeAPI {
	api := &fakeRuntimeAPI{polled: make(chan time.Time, 1), failed: make(chan string, 1)}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next":
			select {
			case api.polled <- now:
			default:
			}
			<-r.Context().Done() // long poll until the binary is killed
		default:
			select {
			case api.failed <- r.Method + " " + r.URL.Path:
			default:
			}
			w.WriteHeader(http.StatusAccepted)
		}
	}))
	return api
}

// initTime starts the binary, waits for its first poll and kills it.
func (api *fakeRuntimeAPI) initTime(b *testing.B, binary string, env []string) time.Duration {
	cmd := exec.Command(binary)
	cmd.Dir = filepath.Dir(binary)
	cmd.Env = append(slices.Clone(env), "AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(api.URL, "http://"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	exited := make(chan error, 1)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Kill()
		<-exited
	}()
	select {
	case at := <-api.polled:
		return at.Sub(start)
	case call := <-api.failed:
		b.Fatalf("%s called %s before polling: init failed\n%s", filepath.Base(binary), call, stderr.String())
	case err := <-exited:
		exited <- err
		b.Fatalf("%s exited before polling: %v\n%s", filepath.Base(binary), err, stderr.String())
	case <-time.After(30 * time.Second):
		b.Fatalf("%s did not poll within 30 s\n%s", filepath.Base(binary), stderr.String())
	}
	return 0
}

func size(b *testing.B, path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return info.Size()
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mib(n int64) float64        { return float64(n) / (1 << 20) }
