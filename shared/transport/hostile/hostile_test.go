// Package hostile_test sends a table of hostile requests to every route of the catalog, against the real
// function binaries in the local cloud (DynamoDB Local, the SQS emulator): malformed JSON, wrong types, nulls,
// oversize strings and arrays, deep nesting, unicode edge cases, injection strings, absurd numbers and dates,
// wrong content types, hostile path and query parameters and headers, missing or wrong credentials. Every answer
// must be 4xx with an application/problem+json body (or a 2xx where the hostile value is valid input), none
// 5xx, none over 64 KB (but for staff answers that carry a record's whole timeline, see answerLimit); and
// afterwards the tables hold exactly what the 2xx answers created, every case whole (its case item, contact and
// timeline, one version per change), nothing orphaned and nothing stuck.
//
// The requests are generated from the catalog (routes, auth, groups), the transports' typed contracts (each
// request's JSON fields, by reflection) and openapi.yaml (query parameters): a new route, field or parameter is
// covered without a change here. Only the valid example of each request (validBodies) is written by hand; a
// route without one gets a body generated from its type.
package hostile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/councilhousing/backend/infra/api"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/infra/localcloud"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

func TestMain(m *testing.M) { emulators.Main(m) }

// pinned is the clock of the whole run: Monday 23 November 2026, 10:00 London.
var pinned = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// maxAnswerBytes bounds any answer (Lambda's response limit is 6 MB; an error answer has no reason to be big).
const maxAnswerBytes = 64 << 10

// want is the range of statuses a probe may be answered with.
type want struct{ min, max int }

var (
	anyAnswer   = want{200, 499} // the hostile value may be valid input: never 5xx
	clientError = want{400, 499}
)

func exactly(status int) want { return want{status, status} }

func (w want) String() string {
	switch {
	case w == anyAnswer:
		return "2xx or 4xx"
	case w.min == w.max:
		return strconv.Itoa(w.min)
	}
	return fmt.Sprintf("%d..%d", w.min, w.max)
}

// probe is one hostile request.
type probe struct {
	name        string
	path        string // escaped, parameters filled
	query       string // raw query string
	body        []byte
	contentType string            // "" sends none
	headers     map[string]string // added to (or, with "", removing) the route's credentials
	unsigned    bool              // webhook routes: the probe's headers are its signature (others are signed correctly)
	want        want
	gateway     []int  // statuses the emulated API Gateway may answer itself (before any function runs)
	ref         string // the record a 2xx answer changed (none when the path names no record)
}

// target is a route with what reaches its handler: a record of the right kind, credentials, a valid body.
type target struct {
	fn       catalog.Function
	route    catalog.Route
	contract httpapi.Contract
	hasBody  bool
	ref      string // the record in the path ({reference})
	params   map[string]string
	auth     string // Authorization header that passes (staff, resident)
	token    string // the record's resident access token (for a preparation step on a resident route)
	query    url.Values
	qparams  []queryParam
	page     string // a real nextToken of this route
	foreign  string // a real nextToken of another route
	others   struct{ wrongGroup, commaGroup, noGroup, otherToken string }
}

// run is the state of one hostile run: the cloud, its log, and the ledger of what 2xx answers created.
type run struct {
	c        *localcloud.Cloud
	client   *http.Client
	contract map[string]httpapi.Contract
	ids      atomic.Int64

	logMu sync.Mutex
	logs  []string

	mu       sync.Mutex
	created  map[string]map[string]bool // function -> references created (2xx)
	changes  map[string]int             // reference -> 2xx changes
	idemKeys map[string]bool            // route + Idempotency-Key of a 2xx create
	webhooks map[string]bool            // webhook ids answered 202
	calls    map[string]bool            // callIds queued
	statuses map[string]map[int]int     // route -> status -> count
	sent     atomic.Int64
}

func (r *run) logf(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	r.logMu.Lock()
	r.logs = append(r.logs, line)
	r.logMu.Unlock()
}

// logsAbout are the function log lines that name id (the X-Request-Id of an answer).
func (r *run) logsAbout(id string) string {
	if id == "" {
		return "(no request id)"
	}
	r.logMu.Lock()
	defer r.logMu.Unlock()
	var out []string
	for _, l := range r.logs {
		if strings.Contains(l, id) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// start runs every function of the catalog as StartForTest does, keeping the functions' log lines so that a
// failure can quote the lines of its request.
func start(t *testing.T) *run {
	r := &run{contract: contracts(), created: map[string]map[string]bool{}, changes: map[string]int{}, idemKeys: map[string]bool{},
		webhooks: map[string]bool{}, calls: map[string]bool{}, statuses: map[string]map[int]int{},
		client: &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	env := emulators.Shared(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// more warm processes than `make run` for the functions behind routes: the table's workers keep them busy
	concurrency := map[string]int{}
	for _, fn := range catalog.System().Functions {
		if len(fn.Routes) > 0 {
			concurrency[fn.Name] = max(fn.LocalConcurrency, processes)
		}
	}
	c, err := localcloud.Start(ctx, localcloud.Options{
		Catalog: catalog.System(), Addr: "127.0.0.1:0", DynamoEndpoint: env.DynamoEndpoint, SQSEndpoint: env.SQSEndpoint,
		BinDir: localcloud.TestBinDir(t), ResourceSuffix: emulators.UniqueSuffix(), VisibilityTimeoutSec: 1, Logf: r.logf,
		Concurrency: concurrency,
	})
	if err != nil {
		t.Fatal(err)
	}
	env.DeleteWhenDone(t, c.Resources)
	t.Cleanup(c.Stop)
	if err := c.WaitHealthy(ctx); err != nil {
		t.Fatal(err)
	}
	c.PinClock(pinned)
	r.c = c
	return r
}

// answer is an HTTP answer.
type answer struct {
	status int
	header http.Header
	raw    []byte
	json   map[string]any
}

func (r *run) send(method string, p probe) (answer, error) {
	target := r.c.URL() + p.path
	if p.query != "" {
		target += "?" + p.query
	}
	var body io.Reader
	if p.body != nil {
		body = bytes.NewReader(p.body)
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		return answer{}, fmt.Errorf("request %s %.200s: %w", method, p.path, err)
	}
	if p.contentType != "" {
		req.Header.Set("Content-Type", p.contentType)
	}
	for k, v := range p.headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("%s %.200s: %w", method, p.path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	r.sent.Add(1)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &a.json)
	return a, nil
}

// mustSend is send for the set-up, where a failure ends the test.
func (r *run) mustSend(t *testing.T, method string, p probe) answer {
	t.Helper()
	a, err := r.send(method, p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestHostileInput is the table: one sub-test per route, one per request. The requests are sent first, by a
// few workers at once (each route's in order, so a route's requests meet its record in a known sequence), then
// each answer is judged in its own sub-test.
func TestHostileInput(t *testing.T) {
	began := time.Now()
	r := start(t)
	started := time.Now()
	t.Run("pages", func(t *testing.T) { probePages(t, r) })
	t.Run("progress", func(t *testing.T) { probeProgress(t, r) })
	targets := r.targets(t)
	tables := make([][]probe, len(targets))
	answers := make([][]sent, len(targets))
	type chunk struct{ target, from, to int }
	var chunks []chunk
	for i, tg := range targets {
		tables[i] = r.probes(tg)
		answers[i] = make([]sent, len(tables[i]))
		for _, c := range split(tg, tables[i]) {
			chunks = append(chunks, chunk{i, c[0], c[1]})
		}
	}
	sort.SliceStable(chunks, func(a, b int) bool { return chunks[a].to-chunks[a].from > chunks[b].to-chunks[b].from })
	work := make(chan chunk)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				tg := targets[c.target]
				for j := c.from; j < c.to; j++ {
					p := tables[c.target][j]
					a, err := r.send(tg.route.Method, p)
					if err == nil {
						r.record(tg, p, a)
					}
					answers[c.target][j] = sent{a, err}
				}
			}
		}()
	}
	for _, c := range chunks {
		work <- c
	}
	close(work)
	wg.Wait()
	probed := time.Now()

	t.Run("routes", func(t *testing.T) {
		for i, tg := range targets {
			t.Run(tg.route.RouteKey(), func(t *testing.T) {
				for j, p := range tables[i] {
					t.Run(p.name, func(t *testing.T) { r.judge(t, tg, p, answers[i][j]) })
				}
			})
		}
	})
	t.Run("storage", func(t *testing.T) { r.checkStorage(t) })
	t.Run("logs", func(t *testing.T) { r.checkLogs(t) })
	n := 0
	for _, table := range tables {
		n += len(table)
	}
	r.summary(t, len(targets), n, started.Sub(began), probed.Sub(started), time.Since(probed))
}

// workers send at once, to functions with processes warm processes each: enough to keep them busy, few enough
// for two cores.
const (
	workers   = 8
	processes = 4
)

// sent is a probe's answer, or why it got none.
type sent struct {
	a   answer
	err error
}

// split cuts a route's table into runs that may be sent at the same time: a route on a record is one run (its
// requests change the record in turn); another route's table is cut into runs of about 100, keeping an
// Idempotency-Key's requests together.
func split(tg *target, ps []probe) [][2]int {
	if tg.ref != "" {
		return [][2]int{{0, len(ps)}}
	}
	var out [][2]int
	from := 0
	for i := range ps {
		if i-from >= 100 && !strings.HasPrefix(ps[i].name, "header/idempotency-key-re") && !strings.HasPrefix(ps[i].name, "header/idempotency-key-other") {
			out = append(out, [2]int{from, i})
			from = i
		}
	}
	return append(out, [2]int{from, len(ps)})
}

// judge checks a probe's answer.
func (r *run) judge(t *testing.T, tg *target, p probe, s sent) {
	if s.err != nil {
		t.Fatalf("no answer: %v", s.err)
	}
	a := s.a
	t.Logf("%d %.160s", a.status, a.raw) // with -v: what every request was answered
	id := a.header.Get("X-Request-Id")
	show := func() string {
		return fmt.Sprintf("%s %s?%.200s (%d bytes of body, %.120q): %d %.600s", tg.route.Method, truncate(p.path, 200), p.query,
			len(p.body), truncate(string(p.body), 120), a.status, a.raw)
	}
	if a.status >= 500 {
		t.Errorf("5xx for hostile input: %s\nlog lines of request %s:\n%s", show(), id, r.logsAbout(id))
		return
	}
	if limit := answerLimit(tg, a.status); len(a.raw) > limit {
		t.Errorf("answer of %d bytes (limit %d): %s", len(a.raw), limit, show())
	}
	if a.status < p.want.min || a.status > p.want.max {
		t.Errorf("status %d, want %s: %s", a.status, p.want, show())
	}
	if id == "" { // not from the function: only the gateway's own refusals are allowed
		if !slices.Contains(p.gateway, a.status) {
			t.Errorf("answered by the gateway, not the function (no X-Request-Id): %s", show())
		}
		return
	}
	ct := a.header.Get("Content-Type")
	switch {
	case a.status >= 400:
		checkProblem(t, a, show)
	case a.status >= 200 && a.status < 300:
		if !strings.HasPrefix(ct, "application/json") || !json.Valid(a.raw) {
			t.Errorf("a 2xx answer must be JSON (Content-Type %q): %s", ct, show())
		}
	default:
		t.Errorf("unexpected status: %s", show())
	}
}

// answerLimit: every answer fits in 64 KB, whatever was sent, except a staff answer that carries a page of a
// record's timeline (at most casework.HistoryPageSize entries, each of bounded size), bounded at 256 KB.
func answerLimit(tg *target, status int) int {
	if status < 300 && hasField(reflectType(tg.contract.Response), "timeline") {
		return 256 << 10
	}
	return maxAnswerBytes
}

func hasField(t reflect.Type, name string) bool {
	if t == nil {
		return false
	}
	for _, f := range fieldsOf(deref(t)) {
		if f.name == name {
			return true
		}
	}
	return false
}

// leaks are words an answer to a caller must never contain: internals of the store, the runtime or Go.
var leaks = []string{"dynamodb", "operation error", "ValidationException", "ConditionalCheck", "runtime error", "goroutine",
	"panic:", "json: cannot", "json: unknown", "invalid character", "reflect.", "*asb.", "*register.", "*complaints.", "arn:aws"}

func checkProblem(t *testing.T, a answer, show func() string) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("a %d must be application/problem+json, not %q: %s", a.status, ct, show())
		return
	}
	var p struct {
		Type          string              `json:"type"`
		Title         string              `json:"title"`
		Status        int                 `json:"status"`
		Detail        string              `json:"detail"`
		Errors        []apperr.FieldError `json:"errors"`
		OmittedErrors int                 `json:"omittedErrors"`
	}
	if err := json.Unmarshal(a.raw, &p); err != nil {
		t.Errorf("problem body is not a problem document (%v): %s", err, show())
		return
	}
	if p.Status != a.status || p.Title == "" || p.Type == "" {
		t.Errorf("problem says status %d title %q type %q: %s", p.Status, p.Title, p.Type, show())
	}
	if len(p.Errors) > apperr.MaxFieldErrors || p.OmittedErrors < 0 {
		t.Errorf("%d field errors listed (at most %d), %d omitted: %s", len(p.Errors), apperr.MaxFieldErrors, p.OmittedErrors, show())
	}
	if len(p.Detail) > 1<<10 {
		t.Errorf("detail of %d bytes: %s", len(p.Detail), show())
	}
	for _, fe := range p.Errors {
		if fe.Field == "" || len(fe.Field) > 200 || fe.Message == "" || len(fe.Message) > 1<<10 {
			t.Errorf("field error out of bounds (field %d bytes, message %d bytes): %.100q %.100q: %s", len(fe.Field), len(fe.Message), fe.Field, fe.Message, show())
		}
	}
	text := strings.ToLower(p.Detail)
	for _, fe := range p.Errors {
		text += " " + strings.ToLower(fe.Message)
	}
	for _, word := range leaks {
		if strings.Contains(text, strings.ToLower(word)) {
			t.Errorf("the answer shows an internal detail (%q): %s", word, show())
		}
	}
}

// record keeps the ledger of what 2xx answers created and changed.
func (r *run) record(tg *target, p probe, a answer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := tg.route.RouteKey()
	if r.statuses[key] == nil {
		r.statuses[key] = map[int]int{}
	}
	r.statuses[key][a.status]++
	if a.status < 200 || a.status > 299 {
		return
	}
	replayed := a.header.Get("Idempotent-Replayed") == "true"
	switch {
	case tg.contract.Status == http.StatusCreated && tg.route.Method == http.MethodPost && a.json["joined"] == true:
		// a further report of an open case's problem changed that case (ASB-9)
		if ref, _ := a.json["reference"].(string); ref != "" && !replayed {
			r.changes[ref]++
		}
		if k := strings.TrimSpace(p.headers["Idempotency-Key"]); k != "" && !replayed {
			r.idemKeys[key+"\x00"+k] = true
		}
	case tg.contract.Status == http.StatusCreated && tg.route.Method == http.MethodPost:
		if ref, _ := a.json["reference"].(string); ref != "" {
			if r.created[tg.fn.Name] == nil {
				r.created[tg.fn.Name] = map[string]bool{}
			}
			r.created[tg.fn.Name][ref] = true
		}
		if k := strings.TrimSpace(p.headers["Idempotency-Key"]); k != "" && !replayed {
			r.idemKeys[key+"\x00"+k] = true
		}
	case tg.route.Auth == catalog.Webhook:
		r.webhooks[p.headers["webhook-id"]] = true
		if a.json["status"] == "queued" {
			var call struct {
				CallID string `json:"callId"`
			}
			_ = json.Unmarshal(p.body, &call)
			r.calls[call.CallID] = true
		}
	case tg.route.Method == http.MethodPost && p.ref != "" && !replayed:
		r.changes[p.ref]++
		if ref, _ := a.json["newReference"].(string); ref != "" { // a further report unlinked into a case of its own (ASB-9)
			if r.created[tg.fn.Name] == nil {
				r.created[tg.fn.Name] = map[string]bool{}
			}
			r.created[tg.fn.Name][ref] = true
		}
	}
}

// targets prepares every catalog route: a fresh record for routes on one (so that no route's hostile run
// depends on another's), the credentials that pass, the query parameters openapi.yaml declares, and real
// pagination tokens.
func (r *run) targets(t *testing.T) []*target {
	t.Helper()
	sys := catalog.System()
	staff := map[string]string{}
	for _, g := range sys.Groups() {
		staff[g] = r.c.StaffToken(t, "hostile-"+g, g)
	}
	queries := openapiQueries(t)
	// two records of each kind up front, so that every list has a second page, and a resident of another kind;
	// the two applications get the council's decision on what they claim, so the priority list has them too
	residentTokens := map[string]string{}
	for _, fn := range sys.Functions {
		for range 2 {
			ref, token := r.create(t, fn)
			if token != "" {
				residentTokens[fn.Name] = token
			}
			if decided := "POST /register/applications/{reference}/decisions"; ref != "" && fn.Name == "register-application" {
				route := catalog.Route{Method: "POST", Path: "/register/applications/{reference}/decisions", Auth: catalog.Staff}
				p := probe{path: pathOf(route, map[string]string{"reference": ref}), body: marshal(r.validBody(route)), contentType: "application/json",
					headers: map[string]string{"Authorization": staff[catalog.GroupAllocationsOfficer]}, ref: ref}
				a := r.mustSend(t, "POST", p)
				r.record(&target{fn: fn, route: route, contract: r.contract[decided]}, p, a)
				if a.status != http.StatusOK {
					t.Fatalf("deciding application %s: %d %s", ref, a.status, a.raw)
				}
			}
		}
	}
	var out []*target
	for _, fn := range sys.Functions {
		for _, route := range fn.Routes {
			if route.Page {
				continue // HTML pages answer with pages, not problem+json: TestPageRoutesRefuseHostileForms probes them
			}
			tg := &target{fn: fn, route: route, contract: r.contract[route.RouteKey()], params: map[string]string{}, query: url.Values{},
				qparams: queries[route.RouteKey()]}
			if tg.contract.Route == "" {
				t.Errorf("%s has no typed contract: its requests are probed without field-by-field values", route.RouteKey())
			}
			tg.hasBody = tg.contract.Request != nil
			var token string
			if strings.Contains(route.Path, "{reference}") {
				tg.ref, token = r.create(t, fn)
				tg.params["reference"], tg.token = tg.ref, token
			}
			switch route.Auth {
			case catalog.Staff:
				tg.auth = staff[route.Groups[0]]
				for _, g := range sys.Groups() {
					if !slices.Contains(route.Groups, g) {
						tg.others.wrongGroup = staff[g]
						break
					}
				}
				tg.others.commaGroup = r.c.StaffToken(t, "hostile-comma", "nobody,"+route.Groups[0])
				tg.others.noGroup = r.c.StaffToken(t, "hostile-none")
			case catalog.Bearer:
				tg.auth = "Bearer " + catalog.LocalNotifyCallbackToken
			case catalog.Resident:
				tg.auth = "Bearer " + token
				for name, other := range residentTokens {
					if name != fn.Name {
						tg.others.otherToken = "Bearer " + other
					}
				}
			}
			for _, q := range tg.qparams {
				if q.Required {
					tg.query.Set(q.Name, valid(q))
				}
			}
			r.prepare(t, tg)
			for _, m := range pathParam.FindAllStringSubmatch(route.Path, -1) {
				if _, ok := tg.params[m[1]]; !ok {
					t.Logf("%s: no value of {%s} reaches a record; its requests are refused before the handler acts", route.RouteKey(), m[1])
					tg.params[m[1]] = "X1"
				}
			}
			out = append(out, tg)
		}
	}
	// real pagination tokens, and another route's to pass off as this one's
	for _, tg := range out {
		if slices.ContainsFunc(tg.qparams, func(q queryParam) bool { return q.Name == "nextToken" }) && !noSecondPage[tg.route.RouteKey()] {
			q := cloneValues(tg.query)
			q.Set("limit", "1")
			a := r.mustSend(t, tg.route.Method, probe{path: pathOf(tg.route, tg.params), query: q.Encode(), headers: map[string]string{"Authorization": tg.auth}})
			tg.page, _ = a.json["nextToken"].(string)
			if tg.page == "" {
				t.Errorf("%s: no second page to take a real token from (%d %s)", tg.route.RouteKey(), a.status, a.raw)
			}
		}
	}
	for _, tg := range out {
		for _, other := range out {
			if other.page != "" && other.route.RouteKey() != tg.route.RouteKey() {
				tg.foreign = other.page
			}
		}
	}
	return out
}

// noSecondPage are routes whose second page needs more data than the table makes: a subject access export comes
// in parts only past 4 MiB (its real tokens are tested in shared/app/subjectaccess; the forged ones here). No
// set-up request is sent for them (an export is a change the storage check counts).
var noSecondPage = map[string]bool{"POST /subject-access-requests/{reference}/export": true}

var pathParam = regexp.MustCompile(`\{([^}+]+)\+?\}`)

// creator is the route that creates a function's records (answers 201), if it has one: the public one, else a
// staff one (subject access requests are logged by staff only).
func (r *run) creator(fn catalog.Function) (catalog.Route, bool) {
	for _, auth := range []catalog.Auth{catalog.Public, catalog.Staff} {
		for _, route := range fn.Routes {
			if route.Auth == auth && r.contract[route.RouteKey()].Status == http.StatusCreated {
				return route, true
			}
		}
	}
	return catalog.Route{}, false
}

// create makes one record of the function's kind with its valid example; it returns its reference and token.
func (r *run) create(t *testing.T, fn catalog.Function) (string, string) {
	t.Helper()
	route, ok := r.creator(fn)
	if !ok {
		return "", ""
	}
	tg := &target{fn: fn, route: route, contract: r.contract[route.RouteKey()]}
	p := probe{path: route.Path, body: marshal(r.validBody(route)), contentType: "application/json"}
	if route.Auth == catalog.Staff {
		p.headers = map[string]string{"Authorization": r.c.StaffToken(t, "hostile-creator", route.Groups[0])}
	}
	a := r.mustSend(t, route.Method, p)
	r.record(tg, p, a)
	ref, _ := a.json["reference"].(string)
	token, _ := a.json["accessToken"].(string)
	if a.status != http.StatusCreated || ref == "" {
		t.Fatalf("creating a record with %s: %d %s", route.RouteKey(), a.status, a.raw)
	}
	return ref, token
}

// preparations bring a fresh record to where a route applies (a complaint is acknowledged before it is
// extended or answered; an action exists before it is completed).
var preparations = map[string][]string{
	"POST /complaints/{reference}/extension":                     {"POST /complaints/{reference}/acknowledgement"},
	"POST /complaints/{reference}/response":                      {"POST /complaints/{reference}/acknowledgement"},
	"POST /complaints/{reference}/escalation-on-behalf":          {"POST /complaints/{reference}/acknowledgement", "POST /complaints/{reference}/response"},
	"POST /complaints/{reference}/clarification-answer":          {"POST /complaints/{reference}/clarification"},
	"POST /complaints/{reference}/actions/{actionId}/completion": {"POST /complaints/{reference}/acknowledgement", "POST /complaints/{reference}/response"},
	"POST /complaints/{reference}/service-request/completion":    {"POST /complaints/{reference}/service-request"},
	"POST /complaints/{reference}/keep-informed":                 {"POST /complaints/{reference}/acknowledgement"},
	// a letter owed in large print (source 004 §5.10)
	"POST /complaints/{reference}/letters/{letterNumber}/sent-in-format": {"POST /complaints/{reference}/adjustments", "POST /complaints/{reference}/acknowledgement"},
	"POST /asb/cases/{reference}/actions/{actionId}/completion":          {"POST /asb/cases/{reference}/actions"},
	"POST /asb/cases/{reference}/reopening":                              {"POST /asb/cases/{reference}/closure"},
	"POST /asb/cases/{reference}/case-review/outcome":                    {"POST /asb/reports/{reference}/case-review"}, // the reporter asks (ASB-7)
	"POST /asb/cases/{reference}/action-plan/agreement":                  {"POST /asb/cases/{reference}/actions"},
	"POST /asb/reports/{reference}/satisfaction":                         {"POST /asb/cases/{reference}/closure"}, // the survey follows closure (ASB-9)
	// two of each casework record, so each kind's page has a second page (issue 13)
	"GET /asb/cases/{reference}/witnesses": {"POST /asb/cases/{reference}/witnesses", "POST /asb/cases/{reference}/witnesses"},
	"GET /asb/cases/{reference}/evidence":  {"POST /asb/cases/{reference}/evidence", "POST /asb/cases/{reference}/evidence"},
	"GET /asb/cases/{reference}/costs":     {"POST /asb/cases/{reference}/costs", "POST /asb/cases/{reference}/costs"},
	"GET /asb/cases/{reference}/diary":     {"POST /asb/reports/{reference}/diary", "POST /asb/reports/{reference}/diary"},
	"GET /asb/cases/{reference}/subjects":  {"POST /asb/cases/{reference}/subjects"},
	// a second timeline entry, so the timeline has a second page
	"GET /asb/cases/{reference}/timeline":             {"POST /asb/cases/{reference}/acknowledgement"},
	"GET /complaints/{reference}/timeline":            {"POST /complaints/{reference}/acknowledgement"},
	"GET /register/applications/{reference}/timeline": {"POST /register/applications/{reference}/assignment"},
}

func (r *run) prepare(t *testing.T, tg *target) {
	t.Helper()
	if strings.Contains(tg.route.Path, "{actionId}") {
		tg.params["actionId"] = "A1"
	}
	if strings.Contains(tg.route.Path, "{letterNumber}") {
		tg.params["letterNumber"] = "1"
	}
	if n := furtherReports[tg.route.RouteKey()]; n > 0 {
		r.furtherReports(t, tg, n)
	}
	if strings.Contains(tg.route.Path, "{incidentId}") {
		tg.params["incidentId"] = "I2" // the first further report
	}
	for _, key := range preparations[tg.route.RouteKey()] {
		method, path, _ := strings.Cut(key, " ")
		step := &target{fn: tg.fn, route: catalog.Route{Method: method, Path: path, Auth: tg.route.Auth, Groups: tg.route.Groups},
			contract: r.contract[key]}
		auth := tg.auth
		for _, own := range tg.fn.Routes { // a step on a route of another audience acts as that audience
			if own.RouteKey() == key && own.Auth != tg.route.Auth {
				switch own.Auth {
				case catalog.Resident:
					auth = "Bearer " + tg.token
				case catalog.Staff:
					auth = r.c.StaffToken(t, "hostile-"+own.Groups[0], own.Groups[0])
				}
			}
		}
		p := probe{path: pathOf(step.route, tg.params), body: marshal(r.validBody(step.route)), contentType: "application/json",
			headers: map[string]string{"Authorization": auth}, ref: tg.ref}
		a := r.mustSend(t, method, p)
		r.record(step, p, a)
		if a.status != http.StatusOK {
			t.Fatalf("preparing %s with %s: %d %s", tg.route.RouteKey(), key, a.status, a.raw)
		}
	}
}

// furtherReports are the routes that need further reports of their record's problem (ASB-9): unlinking one (I2),
// and their list, two for a second page.
var furtherReports = map[string]int{
	"POST /asb/cases/{reference}/incidents/{incidentId}/unlinking": 1,
	"GET /asb/cases/{reference}/incidents":                         2,
}

// furtherReports reports the fresh case's problem again n times (the same type at its address, as the public
// form): each joins the case as a further report (I2, I3, ...).
func (r *run) furtherReports(t *testing.T, tg *target, n int) {
	t.Helper()
	get := r.mustSend(t, "GET", probe{path: pathOf(catalog.Route{Path: "/asb/cases/{reference}"}, tg.params),
		headers: map[string]string{"Authorization": r.c.StaffToken(t, "hostile-"+catalog.GroupASBOfficer, catalog.GroupASBOfficer)}})
	c, _ := get.json["case"].(map[string]any)
	if get.status != http.StatusOK || c == nil {
		t.Fatalf("reading %s to report it again: %d %s", tg.ref, get.status, get.raw)
	}
	route := catalog.Route{Method: "POST", Path: "/asb/reports", Auth: catalog.Public}
	for range n {
		body := r.validBody(route)
		body["type"], body["location"] = c["type"], c["location"]
		p := probe{path: route.Path, body: marshal(body), contentType: "application/json"}
		a := r.mustSend(t, route.Method, p)
		r.record(&target{fn: tg.fn, route: route, contract: r.contract[route.RouteKey()]}, p, a)
		if a.status != http.StatusCreated || a.json["joined"] != true || a.json["reference"] != tg.ref {
			t.Fatalf("a further report of %s: %d %s", tg.ref, a.status, a.raw)
		}
	}
}

// validBody is the route's valid example (a fresh copy; out-of-hours calls get a call id of their own).
func (r *run) validBody(route catalog.Route) map[string]any {
	if b, ok := validBodies(fmt.Sprintf("OOH-HOSTILE-%d", r.ids.Add(1)))[route.RouteKey()]; ok {
		return b
	}
	if c := r.contract[route.RouteKey()]; c.Request != nil {
		return generatedBody(reflectType(c.Request))
	}
	return nil
}

// openapiQueries are the query parameters of each route, from openapi.yaml.
func openapiQueries(t *testing.T) map[string][]queryParam {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string][]queryParam{}
	for path, ops := range doc.Paths {
		for method, node := range ops {
			var op struct {
				Parameters []struct {
					Name     string `yaml:"name"`
					In       string `yaml:"in"`
					Required bool   `yaml:"required"`
					Schema   struct {
						Enum []string `yaml:"enum"`
					} `yaml:"schema"`
				} `yaml:"parameters"`
			}
			if node.Decode(&op) != nil {
				continue // not an operation (e.g. the path's own parameters)
			}
			for _, p := range op.Parameters {
				if p.In == "query" {
					out[strings.ToUpper(method)+" "+path] = append(out[strings.ToUpper(method)+" "+path],
						queryParam{Name: p.Name, Required: p.Required, Enum: p.Schema.Enum})
				}
			}
		}
	}
	return out
}

func valid(q queryParam) string {
	if v, ok := validQuery[q.Name]; ok {
		return v
	}
	if len(q.Enum) > 0 {
		return q.Enum[0]
	}
	return "x"
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// summary logs how many requests each route got and what it answered.
func (r *run) summary(t *testing.T, routes, probes int, starting, probing, checking time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	keys := make([]string, 0, len(r.statuses))
	for k := range r.statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		n := 0
		var parts []string
		codes := make([]int, 0, len(r.statuses[k]))
		for code := range r.statuses[k] {
			codes = append(codes, code)
		}
		sort.Ints(codes)
		for _, code := range codes {
			n += r.statuses[k][code]
			parts = append(parts, fmt.Sprintf("%d×%d", code, r.statuses[k][code]))
		}
		fmt.Fprintf(&b, "  %-62s %5d  %s\n", k, n, strings.Join(parts, " "))
	}
	r.logMu.Lock()
	lines := len(r.logs)
	r.logMu.Unlock()
	t.Logf("local cloud up in %s; %d requests in the tables of %d routes (%d with the set-up) sent in %s; judged and storage checked in %s; %d log lines; answers per route (set-up included):\n%s",
		starting.Round(time.Second), probes, routes, r.sent.Load(), probing.Round(time.Second), checking.Round(time.Second), lines, b.String())
}
