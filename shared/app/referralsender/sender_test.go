package referralsender_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/app/referralsender"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/sqsbatch"
)

// Fast tests on in-memory ports: the real ASB service makes the case and its referral messages (so the queue's
// message shape is the one the producer writes), the records and Notify are fakes. The end-to-end test (e2e/)
// runs the real binaries against the emulators and the Notify stand-in.

var (
	partners = map[string]string{asb.PartnerReferral: "hate.crime@northtownpolice.uk", asb.SafeguardingReferral: "mash@northtown.gov.uk"}
	teams    = map[string]string{catalog.GroupASBOfficer: "asb@northtown.gov.uk", "officer-7f3a": "jo.officer@northtown.gov.uk"}
	received = time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC) // Saturday night
)

// records is an in-memory notificationsender.Records: entries by id, leases by id.
type records struct {
	mu      sync.Mutex
	entries map[string]casefile.Event
	leases  map[string]time.Time
	cases   map[string]string // id -> case reference of the entry
	down    bool
}

func newRecords() *records {
	return &records{entries: map[string]casefile.Event{}, leases: map[string]time.Time{}, cases: map[string]string{}}
}

func (r *records) Begin(_ context.Context, req notification.Request, d time.Duration, now time.Time) (bool, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		return false, false, errors.New("store unavailable")
	}
	if _, ok := r.entries[req.ID]; ok {
		return true, false, nil
	}
	if until, ok := r.leases[req.ID]; ok && until.After(now) {
		return false, false, nil
	}
	r.leases[req.ID] = now.Add(d)
	return false, true, nil
}

func (r *records) Finish(_ context.Context, req notification.Request, ev casefile.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.entries[req.ID]; !ok {
		r.entries[req.ID], r.cases[req.ID] = ev, string(req.CaseKind)+"#"+req.CaseRef
	}
	delete(r.leases, req.ID)
	return nil
}

func (r *records) Abandon(_ context.Context, req notification.Request) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.leases, req.ID)
	return nil
}

// refusal is Notify saying no.
type refusal struct {
	status int
	kind   string
}

func (e refusal) Error() string     { return fmt.Sprintf("notify: %d %s", e.status, e.kind) }
func (e refusal) AuthFailure() bool { return e.status == 403 }
func (e refusal) Permanent() bool   { return e.status == 400 || e.status == 403 }
func (e refusal) Status() int       { return e.status }
func (e refusal) Kind() string      { return e.kind }

type sent struct {
	channel, to, templateID, reference string
	personalisation                    map[string]string
}

// notify is a fake GOV.UK Notify: it answers fail (when set) or an id, and keeps what it accepted.
type notify struct {
	mu   sync.Mutex
	sent []sent
	fail error
}

func (n *notify) Send(_ context.Context, channel, to, templateID string, p map[string]string, reference string) (string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail != nil {
		return "", n.fail
	}
	n.sent = append(n.sent, sent{channel, to, templateID, reference, maps.Clone(p)})
	return "notify-" + reference, nil
}

type fixture struct {
	asb     asbcases.Service
	store   testsupport.ASBCases
	records *records
	notify  *notify
	sender  referralsender.Sender
}

func newFixture() fixture {
	store := testsupport.NewASBCases()
	f := fixture{asb: asbcases.Service{Store: store, Outbox: &testsupport.Outbox{}}, store: store, records: newRecords(), notify: &notify{}}
	f.sender = referralsender.Sender{Cases: store, Records: f.records, Notify: f.notify, Partners: partners, Teams: teams,
		Templates: map[string]string{"asb-referral-partner.email": "tmpl-partner", "asb-referral-safeguarding.email": "tmpl-safeguarding"},
		Now:       func() time.Time { return received.Add(2 * time.Second) }}
	return f
}

// report files a report through the ASB service and returns its case and its referral messages' bodies by kind.
// reports counts the fixtures' reports: each is at an address of its own, so it opens a case of its own rather
// than joining an earlier report's case as a further incident (ASB-9).
var reports atomic.Int64

func (f fixture) report(t *testing.T, typ string, risk asb.Risk) (asb.Case, map[string][]byte) {
	t.Helper()
	address := fmt.Sprintf("Flat 2, %d High Street", 10+reports.Add(1))
	r, err := f.asb.Report(context.Background(), asbcases.Report{At: received, Form: asb.Report{Type: typ,
		Description: "Jo Bloggs at number 4 shouted abuse at my son.", Location: asb.Location{Address: address, Postcode: "NN1 1DE"}, Risk: risk,
		Reporter: &asb.Reporter{Name: "Alex Resident", Email: "alex@example.org", Phone: "07700 900123", PreferredContact: "sms"}}})
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{}
	for _, m := range f.store.Messages {
		var ref referralsender.Referral
		if m.Queue == catalog.ReferralsQueue && json.Unmarshal(m.Body, &ref) == nil && ref.CaseRef == r.Case.Reference {
			bodies[ref.Kind] = m.Body
		}
	}
	return r.Case, bodies
}

// noPersonalData fails when the email carries the reporter's details or the description.
func noPersonalData(t *testing.T, p map[string]string) {
	t.Helper()
	raw, _ := json.Marshal(p)
	for _, personal := range []string{"Alex", "alex@example.org", "07700", "900123", "Jo Bloggs", "shouted"} {
		if strings.Contains(string(raw), personal) {
			t.Errorf("the referral carries %q: %s", personal, raw)
		}
	}
}

// ASB-6: a hate incident reaches the council's partner mailbox with what the partner needs to act, once, and is
// recorded on the case's timeline with the partner and Notify's id.
func TestASB6_HateIncidentReferralToThePartner(t *testing.T) {
	f := newFixture()
	c, bodies := f.report(t, "hate-incident", asb.Risk{})
	if len(bodies) != 1 || bodies[asb.PartnerReferral] == nil {
		t.Fatalf("referral messages %v", slices.Collect(maps.Keys(bodies)))
	}
	if err := f.sender.Deliver(context.Background(), bodies[asb.PartnerReferral], received); err != nil {
		t.Fatal(err)
	}
	if len(f.notify.sent) != 1 {
		t.Fatalf("sent %+v", f.notify.sent)
	}
	s := f.notify.sent[0]
	id := c.Reference + "#partner"
	if s.channel != "email" || s.to != partners[asb.PartnerReferral] || s.templateID != "tmpl-partner" || s.reference != id {
		t.Errorf("sent %+v", s)
	}
	want := map[string]string{"reference": c.Reference, "referral": "the council's hate-crime partner", "type": "Hate related incidents",
		"category": "personal", "risk_level": "standard", "risk_grounds": "none given in the report", "rule": "ASB-6",
		"location": c.Location.Address + ", NN1 1DE", "channel": "online", "received_at": "Sat 28 Nov 2026 23:00 (London time)",
		"officer": "not yet assigned: contact the ASB team", "contact": "asb@northtown.gov.uk", "case_path": "/asb/cases/" + c.Reference}
	for k, v := range want {
		if s.personalisation[k] != v {
			t.Errorf("personalisation[%s] = %q, want %q", k, s.personalisation[k], v)
		}
	}
	if !strings.Contains(s.personalisation["why"], "council partner (ASB-6)") {
		t.Errorf("why %q", s.personalisation["why"])
	}
	noPersonalData(t, s.personalisation)

	ev, ok := f.records.entries[id]
	if !ok || f.records.cases[id] != "asb#"+c.Reference || ev.Action != referralsender.ActionSent || ev.Actor != "referral-sender" || ev.Rule != "ASB-6" ||
		!ev.At.Equal(received) || ev.Details["notifyId"] != "notify-"+id || ev.Details["partner"] != "the council's hate-crime partner" ||
		ev.Details["to"] != partners[asb.PartnerReferral] || ev.Details["kind"] != asb.PartnerReferral || ev.Details["templateId"] != "tmpl-partner" {
		t.Fatalf("timeline entry %v %+v", f.records.cases[id], ev)
	}
	if len(f.records.leases) != 0 {
		t.Errorf("lease left: %v", f.records.leases)
	}

	// redelivered (SQS at least once): nothing is sent twice
	if err := f.sender.Deliver(context.Background(), bodies[asb.PartnerReferral], received); err != nil || len(f.notify.sent) != 1 {
		t.Fatalf("redelivery: %v, sent %d", err, len(f.notify.sent))
	}
}

// ASB-6: domestic abuse with a child at risk raises one safeguarding referral, to the safeguarding team, naming
// its grounds and the risk; once the case has an officer, the partner contacts them.
func TestASB6_SafeguardingReferralToTheSafeguardingTeam(t *testing.T) {
	f := newFixture()
	c, bodies := f.report(t, "domestic-abuse", asb.Risk{ChildAtRisk: true, Threats: true})
	if len(bodies) != 1 || bodies[asb.SafeguardingReferral] == nil {
		t.Fatalf("referral messages %v", slices.Collect(maps.Keys(bodies)))
	}
	officer := casework.Staff{ID: "officer-7f3a", Name: "Jo Officer", Groups: []string{catalog.GroupASBOfficer}}
	if _, err := f.asb.Assign(context.Background(), asbcases.Assign{Ref: c.Reference, By: officer, At: received.Add(time.Minute),
		Input: asb.Assignment{Officer: "officer-7f3a"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.sender.Deliver(context.Background(), bodies[asb.SafeguardingReferral], received); err != nil {
		t.Fatal(err)
	}
	s := f.notify.sent[0]
	p := s.personalisation
	if s.to != partners[asb.SafeguardingReferral] || s.templateID != "tmpl-safeguarding" || s.reference != c.Reference+"#safeguarding" ||
		p["referral"] != "the safeguarding team" || p["risk_level"] != "high" || p["risk_grounds"] != "threats of violence; a child is at risk" ||
		p["type"] != "Domestic abuse" || p["officer"] != "officer-7f3a" || p["contact"] != "jo.officer@northtown.gov.uk" ||
		!strings.Contains(p["why"], "domestic abuse and a child at risk") {
		t.Fatalf("sent %+v", s)
	}
	noPersonalData(t, p)
	if ev := f.records.entries[c.Reference+"#safeguarding"]; ev.Action != referralsender.ActionSent || ev.Details["partner"] != "the safeguarding team" {
		t.Fatalf("timeline entry %+v", ev)
	}
}

// Temporary failures (Notify 5xx or 429, the network, the store) are retried through the queue with nothing
// recorded and the lease ended; a permanent refusal (400) is recorded as referral-failed and acknowledged (not
// retried into the DLQ); a rejected API key (403) is retried and recorded nowhere; an unreadable message or an
// unknown kind fails, for the DLQ.
func TestFailures(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(previous)

	f := newFixture()
	c, bodies := f.report(t, "hate-incident", asb.Risk{})
	body, id := bodies[asb.PartnerReferral], c.Reference+"#partner"
	for _, fail := range []error{refusal{500, "Exception"}, refusal{429, "RateLimitError"}, errors.New("notify: connection reset"), refusal{403, "AuthError"}} {
		f.notify.fail = fail
		err := f.sender.Deliver(ctx, body, received)
		if err == nil || errors.Is(err, casework.ErrPermanent) || len(f.records.entries) != 0 || len(f.records.leases) != 0 {
			t.Fatalf("%v: err %v, entries %v, leases %v", fail, err, f.records.entries, f.records.leases)
		}
	}
	if !strings.Contains(logs.String(), `"msg":"ALERT: GOV.UK Notify rejected our API key`) {
		t.Errorf("a 403 logs no ALERT line:\n%s", logs.String())
	}

	f.notify.fail = nil
	f.records.down = true
	if err := f.sender.Deliver(ctx, body, received); err == nil || len(f.notify.sent) != 0 {
		t.Fatalf("store down: %v, sent %d", err, len(f.notify.sent))
	}
	f.records.down = false

	// another delivery holds the lease: retried later, nothing sent
	f.records.leases[id] = received.Add(time.Hour)
	if err := f.sender.Deliver(ctx, body, received); err == nil || len(f.notify.sent) != 0 {
		t.Fatalf("in flight: %v, sent %d", err, len(f.notify.sent))
	}
	delete(f.records.leases, id)

	// 400: recorded, acknowledged, counted by the stack's metric filter
	f.notify.fail = refusal{400, "BadRequestError"}
	err := f.sender.Deliver(ctx, body, received)
	if ev := f.records.entries[id]; !errors.Is(err, casework.ErrPermanent) || ev.Action != referralsender.ActionFailed ||
		ev.Details["status"] != 400 || ev.Details["error"] != "BadRequestError" || ev.Details["to"] != partners[asb.PartnerReferral] {
		t.Fatalf("400: %v, entry %+v", err, ev)
	}
	if !strings.Contains(logs.String(), `"msg":"notification refused by Notify"`) {
		t.Errorf("a 400 is not logged as the metric filter counts it:\n%s", logs.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if strings.Contains(line, "northtownpolice") || strings.Contains(line, "High Street") {
			t.Errorf("a log line carries an address: %s", line)
		}
	}

	// never a referral: the message is unreadable, or its kind has no mailbox
	for _, bad := range []string{"not json", `{"id":"x"}`, strings.Replace(string(bodies[asb.PartnerReferral]), `"kind":"partner"`, `"kind":"police"`, 1)} {
		if err := f.sender.Deliver(ctx, []byte(bad), received); err == nil || errors.Is(err, casework.ErrPermanent) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// Through the SQS transport: only the temporary failure is reported for redelivery (batchItemFailures); the
// delivered referral and the one Notify refused for good are acknowledged.
func TestBatchReportsOnlyTemporaryFailures(t *testing.T) {
	f := newFixture()
	_, hate := f.report(t, "hate-incident", asb.Risk{})
	_, safeguarding := f.report(t, "domestic-abuse", asb.Risk{})
	_, badAddress := f.report(t, "hate-incident", asb.Risk{ChildAtRisk: true}) // a partner and a safeguarding referral
	var fails sync.Map
	fails.Store(string(badAddress[asb.PartnerReferral]), refusal{400, "ValidationError"})
	fails.Store(string(safeguarding[asb.SafeguardingReferral]), refusal{502, "BadGateway"})
	deliver := func(ctx context.Context, body []byte, at time.Time) error {
		if e, ok := fails.Load(string(body)); ok {
			f.notify.fail = e.(error)
			defer func() { f.notify.fail = nil }()
		}
		return f.sender.Deliver(ctx, body, at)
	}
	batch := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m-hate", Body: string(hate[asb.PartnerReferral])},
		{MessageId: "m-down", Body: string(safeguarding[asb.SafeguardingReferral])},
		{MessageId: "m-refused", Body: string(badAddress[asb.PartnerReferral])},
		{MessageId: "m-child", Body: string(badAddress[asb.SafeguardingReferral])},
	}}
	resp, err := sqsbatch.Bodies(deliver)(context.Background(), batch)
	if err != nil || len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "m-down" {
		t.Fatalf("batch item failures %+v %v, want m-down only", resp.BatchItemFailures, err)
	}
	if len(f.notify.sent) != 2 || len(f.records.entries) != 3 {
		t.Fatalf("sent %d, recorded %d", len(f.notify.sent), len(f.records.entries))
	}
}
