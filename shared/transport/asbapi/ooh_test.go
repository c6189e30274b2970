package asbapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/asbcases"
	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/logging"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/asbapi"
)

// The out-of-hours consumer (issue 10): a batch handled CallWorkers calls at a time reports exactly the records
// that failed, makes one case per call id however often it appears, and logs no personal data.

var callSentAt = time.Date(2026, 11, 20, 22, 41, 0, 0, time.UTC)

// queuedCall is a queued out-of-hours call from a named caller, as the ooh-calls queue holds it.
func queuedCall(id string) events.SQSMessage {
	call := noiseReport("caller-" + strings.ToLower(id) + "@example.org")
	// each call about a flat of its own: the same problem again would be a further report of its case (ASB-9)
	call["location"] = map[string]any{"address": "Flat " + id + ", 10 Example Road", "postcode": "NN1 1DE"}
	call["callId"], call["receivedAt"], call["operator"], call["advisedPolice"] = id, "2026-11-20T22:40:00Z", "op-7", false
	return events.SQSMessage{Body: testsupport.JSON(call), Attributes: map[string]string{"SentTimestamp": fmt.Sprint(callSentAt.UnixMilli())}}
}

// batchOf numbers the messages m0, m1, ... as SQS would give each its own id.
func batchOf(msgs ...events.SQSMessage) events.SQSEvent {
	for i := range msgs {
		msgs[i].MessageId = fmt.Sprintf("m%d", i)
	}
	return events.SQSEvent{Records: msgs}
}

func failed(r events.SQSEventResponse) []string {
	var out []string
	for _, f := range r.BatchItemFailures {
		out = append(out, f.ItemIdentifier)
	}
	return out
}

// downFor is the in-memory store with DynamoDB "down" for one call id, and a count of the calls recorded at once.
type downFor struct {
	testsupport.ASBCases
	call           string
	mu             sync.Mutex
	inFlight, most int
}

func (s *downFor) Create(ctx context.Context, st asbcases.Stored, w casework.Writes) error {
	s.mu.Lock()
	s.inFlight++
	s.most = max(s.most, s.inFlight)
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.inFlight--; s.mu.Unlock() }()
	time.Sleep(20 * time.Millisecond) // a DynamoDB round trip, so that calls of the batch overlap
	if st.Case.CallID == s.call {
		return errors.New("DynamoDB unavailable")
	}
	return s.ASBCases.Create(ctx, st, w)
}

func TestOutOfHoursBatchReportsExactlyTheFailedCalls(t *testing.T) {
	var logs bytes.Buffer
	var logMu sync.Mutex
	prev := slog.Default()
	slog.SetDefault(slog.New(logging.Redacting(slog.NewJSONHandler(syncWriter{&logMu, &logs}, nil))))
	t.Cleanup(func() { slog.SetDefault(prev) })

	store := &downFor{ASBCases: testsupport.NewASBCases(), call: "OOH-DOWN"}
	out := &testsupport.Outbox{}
	q := asbapi.CallQueue{Service: asbcases.Service{Store: store, Outbox: out, Homes: 12000}}
	poison := events.SQSMessage{Body: `{"callId": "OOH-POISON", "type": "not-a-type"}`}
	notJSON := events.SQSMessage{Body: `not a call`}
	badCopy := events.SQSMessage{Body: `{"callId": "OOH-1", "type": "not-a-type"}`, Attributes: queuedCall("OOH-1").Attributes}
	ev := batchOf(queuedCall("OOH-1"), queuedCall("OOH-2"), poison, queuedCall("OOH-1"), queuedCall("OOH-3"),
		queuedCall("OOH-DOWN"), queuedCall("OOH-4"), notJSON, badCopy, queuedCall("OOH-5"))

	resp, err := q.Process(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := failed(resp), []string{"m2", "m5", "m7", "m8"}; !slices.Equal(got, want) {
		t.Fatalf("batch item failures %v, want %v (the poison call, the call DynamoDB refused, the message that is "+
			"not a call, the invalid copy of a call already made)", got, want)
	}
	if store.most < 2 || store.most > asbapi.CallWorkers {
		t.Fatalf("%d calls recorded at once, want between 2 and %d", store.most, asbapi.CallWorkers)
	}
	byCall := map[string]string{}
	for _, c := range store.All() {
		if byCall[c.CallID] != "" {
			t.Fatalf("a second case for %s", c.CallID)
		}
		byCall[c.CallID] = c.Reference
	}
	if len(byCall) != 5 || byCall["OOH-DOWN"] != "" {
		t.Fatalf("cases for %v, want one each for OOH-1..OOH-5", byCall)
	}
	if len(out.Delivered) != 5 { // each case's acknowledgement to the caller, once
		t.Fatalf("%d messages delivered, want 5", len(out.Delivered))
	}

	// SQS redelivers the two failed calls with a copy of one already made: the copy is acknowledged, no case
	// is made twice, and the call that failed is made now
	store.call = ""
	resp, _ = q.Process(context.Background(), batchOf(queuedCall("OOH-DOWN"), queuedCall("OOH-3"), poison))
	if got := failed(resp); !slices.Equal(got, []string{"m2"}) {
		t.Fatalf("redelivery: failures %v, want only the poison call", got)
	}
	if n := len(store.All()); n != 6 {
		t.Fatalf("%d cases after the redelivery, want 6", n)
	}
	if ref, _ := store.OnceRef(context.Background(), asbcases.OutOfHoursCall, "OOH-3"); ref != byCall["OOH-3"] {
		t.Fatalf("OOH-3 leads to %q, want its first case %s", ref, byCall["OOH-3"])
	}

	text := logs.String()
	for _, personal := range []string{"@example.org", "Alex Resident", "Example Road", "NN1 1DE", "loud music"} {
		if strings.Contains(text, personal) {
			t.Errorf("personal data %q in the logs:\n%s", personal, text)
		}
	}
	for _, want := range []string{`"msg":"out-of-hours case created","messageId":"m0"`, `"msg":"call already processed","messageId":"m1"`,
		`"msg":"message failed; will be retried","messageId":"m2"`} {
		if !strings.Contains(text, want) {
			t.Errorf("no %s in the logs:\n%s", want, text)
		}
	}
}

type syncWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (s syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
