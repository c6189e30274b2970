package asbapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/asbapi"
	"github.com/councilhousing/backend/shared/transport/webhook"
)

// Fast handler tests: one per route, against the in-memory store and outbox (the end-to-end tests in
// asbapi_test.go run the real binaries against the emulators).

// answers finds the idempotent answers the fake store kept.
type answers struct{ store testsupport.ASBCases }

func (a answers) FindAnswer(_ context.Context, key, hash string, _ time.Time) (*casework.Answer, error) {
	for _, ans := range a.store.Answers {
		if ans.Key == key {
			if ans.PayloadHash != hash {
				return nil, apperr.New(apperr.Unprocessable, "other body")
			}
			return &ans, nil
		}
	}
	return nil, nil
}

type fixture struct {
	h      testsupport.Handler
	store  testsupport.ASBCases
	outbox *testsupport.Outbox
	svc    asbcases.Service
}

func newFixture() fixture {
	store, out := testsupport.NewASBCases(), &testsupport.Outbox{}
	svc := asbcases.Service{Store: store, Outbox: out, Homes: 12000}
	h := asbapi.API{Service: svc, Answers: answers{store}}.Routes().Handler(catalog.MustFunction("asb-report"))
	return fixture{h: h, store: store, outbox: out, svc: svc}
}

var (
	monday  = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	officer = testsupport.Staff("officer-sub-1", catalog.GroupASBOfficer)
	manager = testsupport.Staff("manager-sub-1", catalog.GroupASBManager)
	tenant  = testsupport.Staff("someone", catalog.GroupAllocationsOfficer)
)

func (f fixture) call(t *testing.T, r testsupport.Request) testsupport.Response {
	t.Helper()
	if r.At.IsZero() {
		r.At = monday
	}
	return testsupport.Call(t, f.h, r)
}

// report files a noise report and returns its reference and access token.
func (f fixture) report(t *testing.T, body map[string]any) (string, string) {
	t.Helper()
	r := f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(body)})
	if r.Status != http.StatusCreated {
		t.Fatalf("report: %d %s", r.Status, r.Raw)
	}
	token, _ := r.Body["accessToken"].(string)
	return r.Body["reference"].(string), token
}

// act is a staff action on a case.
func (f fixture) act(t *testing.T, ref, path string, body any, claims map[string]string) testsupport.Response {
	t.Helper()
	route := "POST /asb/cases/{reference}/" + path
	params := map[string]string{"reference": ref}
	if path == "actions/A1/completion" {
		route, params["actionId"] = "POST /asb/cases/{reference}/actions/{actionId}/completion", "A1"
	}
	req := testsupport.Request{Route: route, Path: params, Claims: claims}
	if body != nil {
		req.Body = testsupport.JSON(body)
	}
	return f.call(t, req)
}

func noise() map[string]any {
	return map[string]any{
		"type": "noise", "description": "Very loud music from the flat above every night after midnight.",
		"location": map[string]any{"address": "Flat 2, 10 Example Road", "postcode": "NN1 1DE"}, "ongoing": true,
		"reporter": map[string]any{"name": "Alex Resident", "email": "alex@example.org", "preferredContact": "email"},
	}
}

func wantProblem(t *testing.T, r testsupport.Response, status int, rule string, fields ...string) {
	t.Helper()
	gotRule, gotFields := r.Problem()
	slices.Sort(gotFields)
	slices.Sort(fields)
	if r.Status != status || gotRule != rule || !slices.Equal(gotFields, fields) {
		t.Fatalf("got %d rule %q fields %v, want %d %q %v: %s", r.Status, gotRule, gotFields, status, rule, fields, r.Raw)
	}
}

func TestReport(t *testing.T) {
	f := newFixture()
	r := f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(noise())})
	b := r.Body
	if r.Status != 201 || b["category"] != "nuisance" || b["riskLevel"] != "standard" || b["acknowledgeBy"] != "2026-11-24" ||
		b["appointmentBy"] != "2026-11-26" || b["accessToken"] == "" || b["channel"] != "online" || !strings.HasPrefix(b["reference"].(string), "ASB-") {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if len(f.outbox.Delivered) != 1 || f.outbox.Delivered[0].Queue != catalog.NotificationsQueue || !strings.Contains(string(f.outbox.Delivered[0].Body), "alex@example.org") {
		t.Fatalf("acknowledgement message: %+v", f.outbox.Delivered)
	}
	bad := noise()
	bad["type"], bad["colour"] = "shouting", "red"
	wantProblem(t, f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(bad)}), 400, "", "colour")
	delete(bad, "colour")
	delete(bad, "description")
	wantProblem(t, f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(bad)}), 400, "", "type", "description")

	// Idempotency-Key: the same answer again, and no second case
	key := map[string]string{"Idempotency-Key": "k-1"}
	elsewhere := noise() // another flat: a case of its own (the same flat's noise would join the first, ASB-9)
	elsewhere["location"] = map[string]any{"address": "Flat 3, 10 Example Road", "postcode": "NN1 1DE"}
	first := f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(elsewhere), Header: key})
	again := f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(elsewhere), Header: key})
	if first.Raw != again.Raw || again.Headers["Idempotent-Replayed"] != "true" || len(f.store.All()) != 2 {
		t.Fatalf("replay: %s / %s (%d cases)", first.Raw, again.Raw, len(f.store.All()))
	}

	// ASB-2/ASB-6: an anonymous hate incident keeps no contact, gets no token and is referred to the partner
	anon := noise()
	anon["type"], anon["anonymous"] = "hate-incident", true
	a := f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(anon)})
	if a.Status != 201 || a.Body["accessToken"] != nil || !strings.Contains(a.Raw, "not kept the contact details") {
		t.Fatalf("anonymous: %s", a.Raw)
	}
	st, _ := f.store.Load(context.Background(), a.Body["reference"].(string))
	last := f.outbox.Delivered[len(f.outbox.Delivered)-1]
	if st.Contact != nil || last.Queue != catalog.ReferralsQueue || last.Type != "partner-referral" {
		t.Fatalf("anonymous contact %v, last message %+v", st.Contact, last)
	}
}

// ASB-7: the third report from the same contact in six months may ask for a case review.
func TestReport_CaseReview(t *testing.T) {
	f := newFixture()
	var last testsupport.Response
	for i := range 3 {
		body := noise()
		body["reporter"].(map[string]any)["email"] = []string{"Repeat@example.org", "repeat@example.org", "REPEAT@EXAMPLE.ORG"}[i]
		last = f.call(t, testsupport.Request{Route: "POST /asb/reports", Body: testsupport.JSON(body), At: monday.AddDate(0, i, 0)})
	}
	if rv := last.Body["caseReview"].(map[string]any); rv["eligible"] != true || rv["reportsInLastSixMonths"] != float64(3) {
		t.Fatalf("%s", last.Raw)
	}
}

func TestPublicStatus(t *testing.T) {
	f := newFixture()
	ref, token := f.report(t, noise())
	route := "GET /asb/reports/{reference}"
	r := f.call(t, testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Token: token})
	if r.Status != 200 || r.Body["status"] != "received" || r.Body["acknowledged"] != false || r.Body["appointmentBy"] != "2026-11-26" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wrong := f.call(t, testsupport.Request{Route: route, Path: map[string]string{"reference": ref}, Token: "nope"})
	unknown := f.call(t, testsupport.Request{Route: route, Path: map[string]string{"reference": "ASB-0000-0000"}, Token: token})
	wantProblem(t, wrong, 404, "")
	if strings.Replace(wrong.Raw, ref, "X", 1) != strings.Replace(unknown.Raw, "ASB-0000-0000", "X", 1) {
		t.Fatalf("a wrong token must answer like an unknown reference:\n%s\n%s", wrong.Raw, unknown.Raw)
	}
}

func TestList(t *testing.T) {
	f := newFixture()
	for i, typ := range []string{"noise", "garden", "noise"} {
		body := noise()
		body["type"] = typ
		body["location"] = map[string]any{"address": fmt.Sprintf("Flat %d, 10 Example Road", i+1), "postcode": "NN1 1DE"} // three problems
		f.report(t, body)
	}
	list := func(q map[string]string, claims map[string]string) testsupport.Response {
		return f.call(t, testsupport.Request{Route: "GET /asb/cases", Query: q, Claims: claims})
	}
	wantProblem(t, list(nil, nil), 401, "")
	wantProblem(t, list(nil, tenant), 403, "")
	r := list(map[string]string{"type": "noise", "limit": "1"}, officer)
	items := r.Body["items"].([]any)
	if r.Status != 200 || len(items) != 1 || items[0].(map[string]any)["type"] != "noise" || r.Body["nextToken"] == nil {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, list(map[string]string{"status": "lost", "channel": "pigeon"}, officer), 400, "", "status", "channel")
	wantProblem(t, list(map[string]string{"overdue": "maybe", "limit": "0"}, officer), 400, "", "overdue", "limit")
	late := f.call(t, testsupport.Request{Route: "GET /asb/cases", Query: map[string]string{"overdue": "true"}, Claims: officer, At: monday.AddDate(0, 0, 3)})
	if n := len(late.Body["items"].([]any)); n != 3 {
		t.Fatalf("overdue: %s", late.Raw)
	}
}

func TestGet(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	r := f.call(t, testsupport.Request{Route: "GET /asb/cases/{reference}", Path: map[string]string{"reference": ref}, Claims: officer})
	if r.Status != 200 || r.Body["reference"] != ref || r.Body["version"] != float64(1) || len(r.Body["timeline"].([]any)) != 1 ||
		len(r.Body["openDeadlines"].([]any)) != 2 || r.Body["reporter"].(map[string]any)["email"] != "alex@example.org" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.call(t, testsupport.Request{Route: "GET /asb/cases/{reference}", Path: map[string]string{"reference": "ASB-NONE"}, Claims: officer}), 404, "")
}

func TestAcknowledge(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	r := f.act(t, ref, "acknowledgement", nil, officer)
	tl := r.Body["timeline"].([]any)
	ev := tl[len(tl)-1].(map[string]any)
	if r.Status != 200 || r.Body["case"].(map[string]any)["status"] != "acknowledged" || ev["actorId"] != "officer-sub-1" || ev["actor"] != "officer-sub-1@council.example" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.act(t, ref, "acknowledgement", nil, officer), 409, "ASB-4")
	wantProblem(t, f.act(t, ref, "acknowledgement", nil, tenant), 403, "")
}

func TestAssign(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	r := f.act(t, ref, "assignment", map[string]any{"officer": "officer-sub-2"}, manager)
	deadlines := r.Body["openDeadlines"].([]any)
	if r.Status != 200 || r.Body["case"].(map[string]any)["officer"] != "officer-sub-2" || deadlines[0].(map[string]any)["owner"] != "officer-sub-2" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.act(t, ref, "assignment", map[string]any{"officer": " "}, manager), 400, "", "officer")
	wantProblem(t, f.act(t, ref, "assignment", map[string]any{"officr": "x"}, manager), 400, "", "officr")
}

func TestOfferAppointment(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	wantProblem(t, f.act(t, ref, "appointment", map[string]any{"appointmentOn": "26/11/2026"}, officer), 400, "", "appointmentOn")
	r := f.act(t, ref, "appointment", map[string]any{"appointmentOn": "2026-11-25"}, officer)
	if r.Status != 200 || r.Body["case"].(map[string]any)["appointmentOn"] != "2026-11-25" || r.Body["case"].(map[string]any)["status"] != "in-progress" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestRecordRiskAssessment(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	wantProblem(t, f.act(t, ref, "risk-assessment", map[string]any{"level": "extreme", "nextReviewOn": "2026-11-23"}, officer), 400, "",
		"checklist.vulnerable", "checklist.threatsOrViolence", "checklist.feelsUnsafe", "checklist.childAtRisk", "checklist.immediateRiskOfHarm",
		"checklist.exploitation", "checklist.repeatVictim", "checklist.healthImpact", "checklist.hateMotivated", "checklist.childrenInHousehold",
		"checklist.languageSupport", "level", "nextReviewOn")
	r := f.act(t, ref, "risk-assessment", map[string]any{"checklist": checklist("feelsUnsafe")}, officer)
	ra, _ := r.Body["case"].(map[string]any)["riskAssessment"].(map[string]any)
	if r.Status != 200 || ra["nextReviewOn"] != "2026-11-30" || ra["level"] != "high" || ra["checklistLevel"] != "high" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

// checklist answers the ASB-5 vulnerability check-list: yes to the questions named, no to the others.
func checklist(yesTo ...string) map[string]any {
	out := map[string]any{}
	for _, q := range asb.ChecklistQuestions {
		out[q.Field] = slices.Contains(yesTo, q.Field)
	}
	return out
}

func TestAddAndCompleteAction(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	wantProblem(t, f.act(t, ref, "actions/A1/completion", nil, officer), 404, "")
	wantProblem(t, f.act(t, ref, "actions", map[string]any{"tool": "thumbscrews", "description": " "}, officer), 400, "", "tool", "description", "dueOn")
	r := f.act(t, ref, "actions", map[string]any{"tool": "mediation", "description": "Offer mediation", "dueOn": "2026-12-04"}, officer)
	if r.Status != 200 || r.Body["action"].(map[string]any)["id"] != "A1" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	done := f.act(t, ref, "actions/A1/completion", nil, officer)
	if done.Status != 200 || done.Body["case"].(map[string]any)["actions"].([]any)[0].(map[string]any)["completedAt"] == nil {
		t.Fatalf("%d %s", done.Status, done.Raw)
	}
	wantProblem(t, f.act(t, ref, "actions/A1/completion", nil, officer), 409, "ASB-8")
}

func TestLogContact(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	wantProblem(t, f.act(t, ref, "contacts", map[string]any{"method": "pigeon"}, officer), 400, "", "method", "summary")
	r := f.act(t, ref, "contacts", map[string]any{"method": "phone", "with": "reporter", "summary": "Agreed a visit"}, officer)
	// the contact is a timeline entry of its own: the answer carries it, the case only counts it
	entry, _ := r.Body["timeline"].([]any)
	if r.Status != 200 || len(entry) != 1 || entry[0].(map[string]any)["actorId"] != "officer-sub-1" ||
		entry[0].(map[string]any)["details"].(map[string]any)["summary"] != "Agreed a visit" || r.Body["case"].(map[string]any)["contactsLogged"] != float64(1) {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestCloseAndReopen(t *testing.T) {
	f := newFixture()
	ref, _ := f.report(t, noise())
	wantProblem(t, f.act(t, ref, "reopening", map[string]any{"reason": "x"}, officer), 409, "ASB-9")
	wantProblem(t, f.act(t, ref, "closure", map[string]any{"outcome": "", "satisfaction": map[string]any{"handling": 6}}, officer), 400, "", "outcome", "satisfaction.handling")
	closure := map[string]any{"outcome": "Mediation worked", "satisfaction": map[string]any{"handling": 5, "outcome": 4}}
	if r := f.act(t, ref, "closure", closure, officer); r.Status != 200 || r.Body["case"].(map[string]any)["status"] != "closed" || len(r.Body["openDeadlines"].([]any)) != 0 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	wantProblem(t, f.act(t, ref, "closure", closure, officer), 409, "ASB-9")
	wantProblem(t, f.act(t, ref, "reopening", map[string]any{}, officer), 400, "", "reason")
	if r := f.act(t, ref, "reopening", map[string]any{"reason": "A further report"}, officer); r.Status != 200 || r.Body["case"].(map[string]any)["status"] != "in-progress" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestMonthlyReport(t *testing.T) {
	f := newFixture()
	f.report(t, noise())
	report := func(month string, claims map[string]string) testsupport.Response {
		return f.call(t, testsupport.Request{Route: "GET /reports/asb", Query: map[string]string{"month": month}, Claims: claims})
	}
	wantProblem(t, report("2026-11", officer), 403, "")
	wantProblem(t, report("November", manager), 400, "", "month")
	if r := report("2026-11", manager); r.Status != 200 || r.Body["newCases"] != float64(1) || r.Body["noiseCases"] != float64(1) {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

// claims and sent are the webhook's fakes: webhook ids seen, calls queued.
type claims struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (c *claims) Claim(_ context.Context, key string, _ time.Duration, _ time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := !c.seen[key]
	c.seen[key] = true
	return fresh, nil
}

func (c *claims) Release(_ context.Context, key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.seen, key)
	return nil
}

type sent struct{ messages []casework.Message }

func (s *sent) Publish(_ context.Context, msgs ...casework.Message) error {
	for _, m := range msgs {
		if m.Queue != catalog.OOHCallsQueue {
			return fmt.Errorf("unexpected queue %s", m.Queue)
		}
	}
	s.messages = append(s.messages, msgs...)
	return nil
}

func oohCall(id string) map[string]any {
	call := noise()
	call["callId"], call["receivedAt"], call["operator"], call["advisedPolice"] = id, "2026-11-20T22:40:00Z", "op-7", false
	return call
}

func TestOutOfHoursWebhook(t *testing.T) {
	queued := &sent{}
	h := asbapi.WebhookIntake{Secret: catalog.LocalWebhookSecret, Claims: &claims{seen: map[string]bool{}}, Queues: queued}.Routes().
		Handler(catalog.MustFunction("ooh-intake"))
	body := testsupport.JSON(oohCall("OOH-1"))
	post := func(id string, at time.Time, signedAt time.Time) testsupport.Response {
		sig, err := webhook.Sign(catalog.LocalWebhookSecret, id, signedAt, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		return testsupport.Call(t, h, testsupport.Request{Route: "POST /webhooks/out-of-hours", Body: body, At: at,
			Header: map[string]string{"webhook-id": id, "webhook-timestamp": fmt.Sprint(signedAt.Unix()), "webhook-signature": sig}})
	}
	now := time.Date(2026, 11, 20, 22, 45, 0, 0, time.UTC)
	wantProblem(t, post("msg_old", now, now.Add(-6*time.Minute)), 401, "")
	if r := post("msg_1", now, now); r.Status != 202 || r.Body["status"] != "queued" || r.Body["callId"] != "OOH-1" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := post("msg_1", now, now); r.Status != 202 || r.Body["status"] != "duplicate" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	// correctly signed, but an id no key can hold: a 400 (the sender must not retry), nothing queued
	wantProblem(t, post(strings.Repeat("m", 5000), now, now), 400, "", "webhook-id")
	if len(queued.messages) != 1 {
		t.Fatalf("%d calls queued", len(queued.messages))
	}
}

// ASB-10: a queued call makes one case timed from the call, however often it is delivered; a poison message is
// a batch item failure (retried, then the DLQ) while the rest of its batch succeeds.
func TestOutOfHoursCalls(t *testing.T) {
	f := newFixture()
	q := asbapi.CallQueue{Service: f.svc}
	sentAt := map[string]string{"SentTimestamp": fmt.Sprint(time.Date(2026, 11, 20, 22, 41, 0, 0, time.UTC).UnixMilli())}
	msg := func(id, body string) events.SQSMessage {
		return events.SQSMessage{MessageId: id, Body: body, Attributes: sentAt}
	}
	call := testsupport.JSON(oohCall("OOH-1"))
	resp, _ := q.Process(context.Background(), events.SQSEvent{Records: []events.SQSMessage{
		msg("m1", call), msg("m2", `{"callId": "OOH-POISON", "type": "not-a-type"}`), msg("m3", call)}})
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "m2" {
		t.Fatalf("failures: %+v", resp.BatchItemFailures)
	}
	cases := f.store.All()
	if len(cases) != 1 || cases[0].CallID != "OOH-1" || cases[0].Channel != "out-of-hours" || cases[0].AcknowledgeBy.String() != "2026-11-23" ||
		cases[0].AppointmentBy.String() != "2026-11-25" {
		t.Fatalf("cases: %+v", cases)
	}
	if ref, _ := f.store.OnceRef(context.Background(), asbcases.OutOfHoursCall, "OOH-1"); ref != cases[0].Reference {
		t.Fatalf("once key leads to %q", ref)
	}
}
