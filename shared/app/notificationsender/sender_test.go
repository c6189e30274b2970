package notificationsender

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/govuknotify"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/transport/sqsbatch"
)

func TestMain(m *testing.M) { emulators.Main(m) }

const apiKey = "test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"

// fakeNotify answers like GOV.UK Notify, by recipient: 400 for bad@, 500 for down@, 429 for busy@, 201 otherwise;
// every request 403 when rejectKey is set. It keeps what it was sent.
type fakeNotify struct {
	mu        sync.Mutex
	got       []string // "<path> <to> <template_id> <reference>"
	srv       *httptest.Server
	rejectKey bool
	recovered bool // down@ and busy@ succeed
}

func newFake(t *testing.T) *fakeNotify {
	f := &fakeNotify{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		to, _ := body["email_address"].(string)
		if to == "" {
			to, _ = body["phone_number"].(string)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if p, _ := body["personalisation"].(map[string]any); to == "" && p["address_line_1"] != nil {
			to = fmt.Sprintf("%v/%v/%v/%v", p["address_line_1"], p["address_line_2"], p["address_line_3"], p["address_line_4"])
		}
		f.got = append(f.got, strings.Join([]string{r.URL.Path, to, body["template_id"].(string), body["reference"].(string)}, " "))
		answer := func(status int, kind string) {
			w.WriteHeader(status)
			_, _ = fmt.Fprintf(w, `{"status_code":%d,"errors":[{"error":%q,"message":"details"}]}`, status, kind)
		}
		switch {
		case f.rejectKey:
			answer(403, "AuthError")
		case to == "bad@example.org":
			answer(400, "ValidationError")
		case to == "down@example.org" && !f.recovered:
			answer(500, "Exception")
		case to == "busy@example.org" && !f.recovered:
			answer(429, "RateLimitError")
		default:
			w.WriteHeader(201)
			_, _ = w.Write([]byte(`{"id":"notify-` + body["reference"].(string) + `","reference":"` + body["reference"].(string) + `","content":{},"uri":"u","template":{"id":"t","version":1,"uri":"u"}}`))
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeNotify) sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.got)
}

// setup is a notifier on a fresh set of DynamoDB Local tables, talking to the fake Notify through the real client.
func setup(t *testing.T) (*Notifier, *fakeNotify, *dynamo.Store) {
	set := emulators.Shared(t).Fresh(t)
	store := &dynamo.Store{DB: set.DDB, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	fake := newFake(t)
	client, err := govuknotify.New(fake.srv.URL, apiKey)
	if err != nil {
		t.Fatal(err)
	}
	return &Notifier{Records: dynamo.NotificationRecords{Store: store}, Notify: govuknotify.Sender{Client: client}, Templates: map[string]string{
		"complaint-received.cy.email": "tmpl-complaint-cy-email", "complaint-received.email": "tmpl-complaint-email",
	}}, fake, store
}

// sampleBatch is events/notifications-batch.json plus one unreadable message.
func sampleBatch(t *testing.T) events.SQSEvent {
	data, err := os.ReadFile("../../../events/notifications-batch.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.SQSEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	ev.Records = append(ev.Records, events.SQSMessage{MessageId: "m-junk", Body: "not json"})
	return ev
}

func failures(resp events.SQSEventResponse) string {
	var ids []string
	for _, f := range resp.BatchItemFailures {
		ids = append(ids, f.ItemIdentifier)
	}
	return strings.Join(ids, ",")
}

func timeline(t *testing.T, store *dynamo.Store, kind casefile.Kind, ref string) []casefile.Event {
	items, err := store.CaseItems(kind, ref).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	evs, err := dynamo.Timeline(items)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// One batch: the 5xx, the 429 and the unreadable message are reported as failed (and only they); the 400 is
// recorded on the timeline and not retried; the letter to a resident with no postal address is recorded as not
// sent, the anonymous reporter gets nothing.
func TestNotifierPartialBatchFailures(t *testing.T) {
	n, fake, store := setup(t)
	batch := sampleBatch(t)
	resp, err := sqsbatch.Bodies(n.Deliver)(context.Background(), batch)
	if err != nil || failures(resp) != "m-notify-down,m-rate-limited,m-junk" {
		t.Fatalf("batch item failures %q %v, want the 5xx, the 429 and the unreadable message", failures(resp), err)
	}
	want := []string{
		"/v2/notifications/email sam@example.org tmpl-complaint-cy-email CMP-AAAA-0001#received", // Welsh template
		"/v2/notifications/sms 07700900123 asb-report-received.sms ASB-BBBB-0002#received",       // prefers SMS; unmapped -> local default
		"/v2/notifications/email complaints@council.example reminder-due-soon.email complaint#CMP-EEEE-0005#acknowledge#due-soon#2026-11-27",
		"/v2/notifications/email bad@example.org tmpl-complaint-email CMP-FFFF-0006#received", // no language: English
		"/v2/notifications/email down@example.org tmpl-complaint-email CMP-GGGG-0007#received",
		"/v2/notifications/email busy@example.org tmpl-complaint-email CMP-HHHH-0008#received",
	}
	if got := fake.sent(); !slices.Equal(got, want) {
		t.Fatalf("Notify got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	cases := []struct {
		kind           casefile.Kind
		ref, action    string
		channel, to    string
		role, notifyID string
	}{
		{casefile.Complaint, "CMP-AAAA-0001", ActionSent, "email", "sam@example.org", "resident", "notify-CMP-AAAA-0001#received"},
		{casefile.ASB, "ASB-BBBB-0002", ActionSent, "sms", "07700900123", "resident", "notify-ASB-BBBB-0002#received"},
		{casefile.Complaint, "CMP-CCCC-0003", ActionLetterNotSent, "letter", "by post", "resident", ""}, // prefers letters, no address
		{casefile.Complaint, "CMP-EEEE-0005", ActionSent, "email", "complaints@council.example", "team", "notify-complaint#CMP-EEEE-0005#acknowledge#due-soon#2026-11-27"},
		{casefile.Complaint, "CMP-FFFF-0006", ActionFailed, "email", "bad@example.org", "resident", ""},
	}
	for _, c := range cases {
		tl := timeline(t, store, c.kind, c.ref)
		if len(tl) != 1 {
			t.Errorf("%s: timeline %+v", c.ref, tl)
			continue
		}
		e := tl[0]
		if e.Action != c.action || e.Actor != "notifier" || e.Details["channel"] != c.channel || e.Details["to"] != c.to || e.Details["role"] != c.role ||
			!e.At.Equal(time.Date(2026, 11, 23, 10, 15, 0, 0, time.UTC)) || (c.notifyID != "" && e.Details["notifyId"] != c.notifyID) {
			t.Errorf("%s: %+v", c.ref, e)
		}
	}
	if e := timeline(t, store, casefile.Complaint, "CMP-CCCC-0003"); len(e) == 1 && e[0].Details["reason"] != "no postal address" {
		t.Errorf("letter not sent: %+v", e[0].Details)
	}
	if e := timeline(t, store, casefile.Complaint, "CMP-FFFF-0006"); len(e) == 1 && (e[0].Details["error"] != "ValidationError" || e[0].Details["status"] != float64(400)) {
		t.Errorf("refusal details %+v", e[0].Details)
	}
	for ref, kind := range map[string]casefile.Kind{"ASB-DDDD-0004": casefile.ASB, "CMP-GGGG-0007": casefile.Complaint, "CMP-HHHH-0008": casefile.Complaint} {
		if tl := timeline(t, store, kind, ref); len(tl) != 0 {
			t.Errorf("%s: %+v", ref, tl)
		}
	}

	// SQS redelivers the whole batch; Notify has recovered: only the two retried messages are sent, once each
	fake.recovered = true
	before := len(fake.sent())
	resp, _ = sqsbatch.Bodies(n.Deliver)(context.Background(), batch)
	if failures(resp) != "m-junk" || len(fake.sent()) != before+2 {
		t.Fatalf("redelivery: failures %q, Notify got %v", failures(resp), fake.sent()[before:])
	}
	if tl := timeline(t, store, casefile.Complaint, "CMP-GGGG-0007"); len(tl) != 1 || tl[0].Action != ActionSent {
		t.Fatalf("retried message: %+v", tl)
	}
}

// A concurrent duplicate delivery of the same request (SQS is at least once) holds the lease: this delivery
// sends nothing and goes back to the queue; once the holder is gone (lease run out) the message is sent.
func TestNotifierConcurrentDuplicateWaitsForTheLease(t *testing.T) {
	n, fake, store := setup(t)
	msg := sampleBatch(t).Records[0]
	now := time.Now()
	n.Now = func() time.Time { return now }
	var req notification.Request
	if err := json.Unmarshal([]byte(msg.Body), &req); err != nil {
		t.Fatal(err)
	}
	if done, held, err := (dynamo.NotificationRecords{Store: store}).Begin(context.Background(), req, lease, now); done || !held || err != nil {
		t.Fatalf("lease: %v %v %v", done, held, err)
	}
	resp, _ := sqsbatch.Bodies(n.Deliver)(context.Background(), events.SQSEvent{Records: []events.SQSMessage{msg}})
	if failures(resp) != "m-welsh" || len(fake.sent()) != 0 {
		t.Fatalf("within the lease: failures %q, sent %v", failures(resp), fake.sent())
	}
	now = now.Add(lease + 2*time.Second)
	resp, _ = sqsbatch.Bodies(n.Deliver)(context.Background(), events.SQSEvent{Records: []events.SQSMessage{msg, msg}})
	if failures(resp) != "" || len(fake.sent()) != 1 {
		t.Fatalf("after the lease: failures %q, sent %v", failures(resp), fake.sent())
	}
}

// A 403 means our API key is wrong: every message is kept for the DLQ (redriven once the key is fixed), and
// nothing is recorded against the residents.
func TestNotifierRejectedKeyKeepsTheMessages(t *testing.T) {
	n, fake, store := setup(t)
	fake.rejectKey = true
	batch := sampleBatch(t)
	batch.Records = batch.Records[:2]
	resp, _ := sqsbatch.Bodies(n.Deliver)(context.Background(), batch)
	if failures(resp) != "m-welsh,m-sms" {
		t.Fatalf("failures %q", failures(resp))
	}
	if tl := timeline(t, store, casefile.Complaint, "CMP-AAAA-0001"); len(tl) != 0 {
		t.Fatalf("timeline %+v", tl)
	}
	fake.rejectKey = false
	if resp, _ := sqsbatch.Bodies(n.Deliver)(context.Background(), batch); failures(resp) != "" {
		t.Fatalf("after the key is fixed: %q", failures(resp))
	}
}

// countingDB counts the requests made to DynamoDB.
type countingDB struct {
	dynamo.API
	n atomic.Int64
}

func (c *countingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.n.Add(1)
	return c.API.GetItem(ctx, in, o...)
}
func (c *countingDB) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.n.Add(1)
	return c.API.PutItem(ctx, in, o...)
}
func (c *countingDB) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.n.Add(1)
	return c.API.Query(ctx, in, o...)
}
func (c *countingDB) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.n.Add(1)
	return c.API.TransactWriteItems(ctx, in, o...)
}
func (c *countingDB) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.n.Add(1)
	return c.API.DeleteItem(ctx, in, o...)
}

// A staff digest is one notification: one email to its address, recorded once under the recipient's key (not on
// the timelines of the cases it lists), with two DynamoDB requests; a redelivery sends nothing and makes one.
func TestNotifierDeliversADigestOnce(t *testing.T) {
	n, fake, store := setup(t)
	db := &countingDB{API: store.DB}
	records := *store
	records.DB = db
	n.Records = dynamo.NotificationRecords{Store: &records}
	n.Templates["reminder-digest.email"] = "tmpl-digest"
	at := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	req := notification.Request{ID: "digest#2026-11-27#0123456789abcdef", Template: notification.ReminderDigest,
		To:              notification.Recipient{Role: notification.Team, Email: "complaints@council.example", PreferredContact: "email"},
		Personalisation: map[string]string{"date": "2026-11-27", "total": "1", "overdue": "None", "due_today": "* CMP-1: Acknowledge", "due_soon": "None"},
		RequestedAt:     at,
		Digest:          &notification.Digest{Day: "2026-11-27", Recipient: "0123456789abcdef", Counts: notification.DigestCounts{DueToday: 1}},
	}
	body, _ := json.Marshal(req)
	if err := n.Deliver(context.Background(), body, at); err != nil {
		t.Fatal(err)
	}
	if got := fake.sent(); !slices.Equal(got, []string{"/v2/notifications/email complaints@council.example tmpl-digest digest#2026-11-27#0123456789abcdef"}) {
		t.Fatalf("Notify got %v", got)
	}
	if got := db.n.Load(); got != 2 {
		t.Errorf("%d DynamoDB requests for one digest, want 2 (begin, record)", got)
	}
	items, err := store.NewQuery(&dynamodb.QueryInput{TableName: &store.Cases, KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(dynamo.DigestKey("0123456789abcdef"))}}).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := dynamo.Timeline(items)
	if len(items) != 1 || len(evs) != 1 || evs[0].Action != ActionSent || evs[0].Details["to"] != "complaints@council.example" || evs[0].Details["day"] != "2026-11-27" ||
		evs[0].Details["listed"].(map[string]any)["due_today"] != "* CMP-1: Acknowledge" {
		t.Fatalf("digest record: %d items, %+v", len(items), evs)
	}
	if tl := timeline(t, store, casefile.Complaint, "CMP-1"); len(tl) != 0 {
		t.Errorf("digest on a case's timeline: %+v", tl)
	}
	db.n.Store(0)
	if err := n.Deliver(context.Background(), body, at); err != nil || len(fake.sent()) != 1 || db.n.Load() != 1 {
		t.Fatalf("redelivery: %v, Notify got %v, %d requests", err, fake.sent(), db.n.Load())
	}
}

func TestChannel(t *testing.T) {
	cases := []struct {
		name string
		to   notification.Recipient
		want string
	}{
		{"email preferred", notification.Recipient{Email: "a@b.c", Phone: "07700900123", PreferredContact: "email"}, "email"},
		{"sms preferred", notification.Recipient{Email: "a@b.c", Phone: "07700900123", PreferredContact: "sms"}, "sms"},
		{"phone preferred means a text", notification.Recipient{Email: "a@b.c", Phone: "07700900123", PreferredContact: "phone"}, "sms"},
		{"sms preferred without a phone: email", notification.Recipient{Email: "a@b.c", PreferredContact: "sms"}, "email"},
		{"no preference, phone only", notification.Recipient{Phone: "07700900123"}, "sms"},
		{"letter", notification.Recipient{Email: "a@b.c", PreferredContact: "letter"}, "letter"},
		{"anonymous (ASB-2)", notification.Recipient{Role: notification.Resident}, ""},
	}
	for _, c := range cases {
		if got := Channel(c.to); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestTemplateIDFallsBackToEnglish(t *testing.T) {
	n := Notifier{Templates: map[string]string{
		"x.pl.sms": "x-polish-sms", "x.cy": "x-welsh", "x.en.sms": "x-english-sms", "x.email": "x-email", "y": "y-any",
	}}
	cases := []struct{ template, language, channel, want string }{
		{"x", "pl", "sms", "x-polish-sms"},
		{"x", "cy", "email", "x-welsh"},
		{"x", "so", "sms", "x-english-sms"}, // no Somali template: English
		{"x", "", "email", "x-email"},
		{"y", "pl", "sms", "y-any"},
		{"z", "pl", "email", "z.email"}, // unmapped: the local default
	}
	for _, c := range cases {
		if got := n.TemplateID(c.template, c.language, c.channel); got != c.want {
			t.Errorf("%s.%s.%s: %q, want %q", c.template, c.language, c.channel, got, c.want)
		}
	}
}

// A resident who prefers letters, with a postal address, gets a letter through Notify's letter API (the address
// as address_line_1.., name first and postcode last, the letter template of their language), recorded on the
// timeline as sent by letter, "by post": the address stays in their contact details.
func TestNotifierSendsLettersToResidentsWhoPreferPost(t *testing.T) {
	n, fake, store := setup(t)
	n.Templates["complaint-received.letter"] = "tmpl-complaint-letter"
	at := time.Date(2026, 11, 23, 10, 15, 0, 0, time.UTC)
	req := notification.Request{ID: "CMP-LLLL-0009#received", Template: notification.ComplaintReceived, CaseKind: casefile.Complaint,
		CaseRef: "CMP-LLLL-0009", RequestedAt: at, Personalisation: map[string]string{"reference": "CMP-LLLL-0009"},
		To: notification.ToResident(contact.Details{Name: "Lee Resident", Email: "lee@example.org", Address: "Flat 2, 10 Example Road",
			Postcode: "nn1 1de", PreferredContact: contact.Letter})}
	body, _ := json.Marshal(req)
	if err := n.Deliver(context.Background(), body, at); err != nil {
		t.Fatal(err)
	}
	want := []string{"/v2/notifications/letter Lee Resident/Flat 2/10 Example Road/NN1 1DE tmpl-complaint-letter CMP-LLLL-0009#received"}
	if got := fake.sent(); !slices.Equal(got, want) {
		t.Fatalf("Notify got %v, want %v", got, want)
	}
	tl := timeline(t, store, casefile.Complaint, "CMP-LLLL-0009")
	if len(tl) != 1 || tl[0].Action != ActionSent || tl[0].Details["channel"] != "letter" || tl[0].Details["to"] != "by post" ||
		tl[0].Details["notifyId"] != "notify-CMP-LLLL-0009#received" || tl[0].Details["templateId"] != "tmpl-complaint-letter" {
		t.Fatalf("timeline %+v", tl)
	}
	// redelivered: nothing is posted twice
	if err := n.Deliver(context.Background(), body, at); err != nil || len(fake.sent()) != 1 {
		t.Fatalf("redelivery: %v, Notify got %v", err, fake.sent())
	}
	// the postcode missing: nothing sent, the timeline says why
	req.ID, req.CaseRef, req.To.Postcode = "CMP-LLLL-0010#received", "CMP-LLLL-0010", ""
	body, _ = json.Marshal(req)
	if err := n.Deliver(context.Background(), body, at); err != nil || len(fake.sent()) != 1 {
		t.Fatalf("no postcode: %v, Notify got %v", err, fake.sent())
	}
	tl = timeline(t, store, casefile.Complaint, "CMP-LLLL-0010")
	if len(tl) != 1 || tl[0].Action != ActionLetterNotSent || tl[0].Details["reason"] != contact.NoPostcode || tl[0].Details["to"] != "by post" {
		t.Fatalf("timeline %+v", tl)
	}
}

// Only residents who prefer letters carry a postal address in the queue message.
func TestOnlyLetterRecipientsCarryTheirAddress(t *testing.T) {
	d := contact.Details{Name: "Lee", Email: "lee@example.org", Address: "1 Example Road", Postcode: "NN1 1DE", PreferredContact: contact.Email}
	if r := notification.ToResident(d); r.Name != "" || r.Address != "" || r.Postcode != "" {
		t.Errorf("an email recipient carries %+v", r)
	}
	d.PreferredContact = contact.Letter
	if r := notification.ToResident(d); r.Name != "Lee" || r.Address != "1 Example Road" || r.Postcode != "NN1 1DE" || Channel(r) != Letter {
		t.Errorf("a letter recipient %+v", r)
	}
}

// Source 004 §5.10: adjustments agreed with a resident change how a message is sent. sendBy replaces the preferred
// channel (a resident who prefers email and agreed post gets a letter, addressed); an alternative format Notify
// cannot produce is not sent at all but handed to staff on the timeline, with the format and the channel.
func TestCode5_10_NotifierHonoursTheAgreedAdjustments(t *testing.T) {
	d := contact.Details{Name: "Lee Resident", Email: "lee@example.org", Address: "Flat 2, 10 Example Road", Postcode: "NN1 1DE", PreferredContact: contact.Email}
	if r := notification.ToResidentAdjusted(d, contact.Letter, ""); Channel(r) != Letter || r.Address != d.Address || r.Format != "" {
		t.Errorf("sendBy letter: %+v", r)
	}
	if r := notification.ToResidentAdjusted(d, "", ""); r != notification.ToResident(d) {
		t.Errorf("no adjustment changes nothing: %+v", r)
	}

	n, fake, store := setup(t)
	at := time.Date(2026, 11, 23, 10, 15, 0, 0, time.UTC)
	req := notification.Request{ID: "CMP-FFFF-0001#letter-1", Template: notification.ComplaintLetter, CaseKind: casefile.Complaint,
		CaseRef: "CMP-FFFF-0001", RequestedAt: at, Personalisation: map[string]string{"reference": "CMP-FFFF-0001"},
		To: notification.ToResidentAdjusted(d, contact.Letter, "large-print")}
	body, _ := json.Marshal(req)
	if err := n.Deliver(context.Background(), body, at); err != nil {
		t.Fatal(err)
	}
	if got := fake.sent(); len(got) != 0 {
		t.Fatalf("Notify cannot print large print, yet got %v", got)
	}
	tl := timeline(t, store, casefile.Complaint, "CMP-FFFF-0001")
	if len(tl) != 1 || tl[0].Action != ActionAlternativeFormat || tl[0].Details["format"] != "large-print" || tl[0].Details["channel"] != "letter" ||
		!strings.Contains(fmt.Sprint(tl[0].Details["note"]), "large print") {
		t.Fatalf("timeline %+v", tl)
	}
}
