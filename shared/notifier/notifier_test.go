package notifier

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/infra/emulators"
	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/dynamo"
	"github.com/councilhousing/backend/shared/notification"
	"github.com/councilhousing/backend/shared/notify"
)

func TestMain(m *testing.M) { emulators.Main(m) }

const apiKey = "test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"

// fakeNotify answers like Notify: 500 for one address, 400 for another, 201 otherwise; it counts what it got.
type fakeNotify struct {
	mu   sync.Mutex
	got  []map[string]any
	srv  *httptest.Server
	path []string
}

func newFake(t *testing.T) *fakeNotify {
	f := &fakeNotify{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.got, f.path = append(f.got, body), append(f.path, r.URL.Path)
		f.mu.Unlock()
		switch body["email_address"] {
		case "down@example.org":
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"status_code":500,"errors":[{"error":"Exception","message":"Internal server error"}]}`))
		case "bad@example.org":
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`{"status_code":400,"errors":[{"error":"BadRequestError","message":"Can't send to this recipient"}]}`))
		default:
			w.WriteHeader(201)
			_, _ = w.Write([]byte(`{"id":"n-1","reference":"r","content":{},"uri":"u","template":{"id":"t","version":1,"uri":"u"}}`))
		}
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func message(id string, to notification.Recipient) events.SQSMessage {
	req := notification.Request{ID: id, Template: notification.ComplaintReceived, CaseKind: casefile.Complaint, CaseRef: "CMP-" + id,
		To: to, Personalisation: map[string]string{"reference": "CMP-" + id}, RequestedAt: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	body, _ := json.Marshal(req)
	return events.SQSMessage{MessageId: "m-" + id, Body: string(body)}
}

func TestNotifierPartialFailuresAndTimeline(t *testing.T) {
	set := emulators.Shared(t).Fresh(t)
	store := &dynamo.Store{DB: set.DDB, Cases: set.Tables[catalog.CasesTable], Idempotency: set.Tables[catalog.IdempotencyTable]}
	fake := newFake(t)
	client, _ := notify.New(fake.srv.URL, apiKey)
	n := Notifier{Store: store, Notify: client, Templates: map[string]string{"complaint-received.cy.email": "tmpl-welsh", "complaint-received.email": "tmpl-en"}}
	batch := events.SQSEvent{Records: []events.SQSMessage{
		message("ok", notification.Recipient{Role: "resident", Email: "sam@example.org", PreferredContact: "email", Language: "cy"}),
		message("down", notification.Recipient{Role: "resident", Email: "down@example.org", PreferredContact: "email"}),
		message("bad", notification.Recipient{Role: "resident", Email: "bad@example.org", PreferredContact: "email"}),
		message("anon", notification.Recipient{Role: "resident"}),
		message("sms", notification.Recipient{Role: "resident", Email: "x@example.org", Phone: "07700900123", PreferredContact: "sms"}),
		message("post", notification.Recipient{Role: "resident", Email: "y@example.org", PreferredContact: "letter"}),
		{MessageId: "m-junk", Body: "not json"},
	}}
	resp, _ := n.Handle(context.Background(), batch)
	var failed []string
	for _, f := range resp.BatchItemFailures {
		failed = append(failed, f.ItemIdentifier)
	}
	if strings.Join(failed, ",") != "m-down,m-junk" {
		t.Fatalf("batch item failures %v, want the 5xx and the unreadable message only", failed)
	}
	if len(fake.got) != 4 || fake.got[0]["template_id"] != "tmpl-welsh" || fake.path[3] != "/v2/notifications/sms" || fake.got[3]["template_id"] != "tmpl-en" && fake.got[3]["template_id"] != "complaint-received.sms" {
		t.Fatalf("sent %v to %v", fake.got, fake.path)
	}
	timeline := func(ref string) []casefile.Event {
		items, err := store.CaseItems(casefile.Complaint, ref).All(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		evs, _ := dynamo.Timeline(items)
		return evs
	}
	if tl := timeline("CMP-ok"); len(tl) != 1 || tl[0].Action != "notification-sent" || tl[0].Details["channel"] != "email" || tl[0].Details["to"] != "sam@example.org" {
		t.Fatalf("sent: %+v", tl)
	}
	if tl := timeline("CMP-bad"); len(tl) != 1 || tl[0].Action != "notification-failed" {
		t.Fatalf("refused: %+v", tl)
	}
	if tl := timeline("CMP-post"); len(tl) != 1 || tl[0].Action != "letter-to-post" {
		t.Fatalf("letter: %+v", tl)
	}
	if tl := timeline("CMP-anon"); len(tl) != 0 {
		t.Fatalf("anonymous: %+v", tl)
	}
	// a redelivered message is not sent twice
	before := len(fake.got)
	resp, _ = n.Handle(context.Background(), events.SQSEvent{Records: batch.Records[:1]})
	if len(resp.BatchItemFailures) != 0 || len(fake.got) != before {
		t.Fatalf("redelivery sent again: %d -> %d", before, len(fake.got))
	}
}

func TestChannelAndTemplateChoice(t *testing.T) {
	cases := map[string]notification.Recipient{
		"email":  {Email: "a@b.c", PreferredContact: "email"},
		"sms":    {Email: "a@b.c", Phone: "07700900123", PreferredContact: "phone"},
		"letter": {Email: "a@b.c", PreferredContact: "letter"},
		"":       {},
	}
	for want, to := range cases {
		if got := Channel(to); got != want {
			t.Errorf("%+v: %q, want %q", to, got, want)
		}
	}
	if got := Channel(notification.Recipient{Email: "a@b.c", PreferredContact: "sms"}); got != "email" {
		t.Errorf("sms without a phone falls back to email: %s", got)
	}
	n := Notifier{Templates: map[string]string{"x.pl.sms": "polish", "x.en.sms": "english"}}
	if n.TemplateID("x", "pl", "sms") != "polish" || n.TemplateID("x", "so", "sms") != "english" || n.TemplateID("y", "en", "email") != "y.email" {
		t.Error("template choice")
	}
}
