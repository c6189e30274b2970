package sqsbatch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/logging"
	"github.com/councilhousing/backend/shared/transport/sqsbatch"
)

func batch(n int) events.SQSEvent {
	var ev events.SQSEvent
	for i := range n {
		ev.Records = append(ev.Records, events.SQSMessage{MessageId: fmt.Sprintf("m%d", i), Body: fmt.Sprintf("%d", i)})
	}
	return ev
}

func failures(r events.SQSEventResponse) []string {
	var out []string
	for _, f := range r.BatchItemFailures {
		out = append(out, f.ItemIdentifier)
	}
	return out
}

// Up to the worker count of messages are in progress at once, never more, and the failures are exactly the
// messages that failed, in the batch's order, whatever order they finished in; a permanent failure is
// acknowledged and a panic fails only its own message.
func TestHandleConcurrently(t *testing.T) {
	const workers, n = 3, 10
	var inFlight, most atomic.Int32
	var entered atomic.Int32
	full := make(chan struct{}) // closed when the first `workers` messages are all in progress together
	var once sync.Once
	handle := func(ctx context.Context, m events.SQSMessage) error {
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for old := most.Load(); now > old && !most.CompareAndSwap(old, now); old = most.Load() {
		}
		if entered.Add(1) == workers {
			once.Do(func() { close(full) })
		}
		select {
		case <-full:
		case <-time.After(20 * time.Second):
			return errors.New("the first messages never ran together: the batch is handled one at a time")
		}
		switch m.Body {
		case "1": // finishes after the messages behind it: the answer still follows the batch's order
			time.Sleep(50 * time.Millisecond)
			return errors.New("store unavailable")
		case "8":
			return errors.New("store unavailable")
		case "4":
			return fmt.Errorf("bad message: %w", casework.ErrPermanent)
		case "6":
			panic("bug")
		}
		return nil
	}
	resp := sqsbatch.HandleConcurrently(context.Background(), batch(n), workers, nil, handle)
	if got, want := failures(resp), []string{"m1", "m6", "m8"}; !slices.Equal(got, want) {
		t.Fatalf("failures %v, want %v", got, want)
	}
	if m := most.Load(); m != workers {
		t.Fatalf("%d messages in progress at most, want %d", m, workers)
	}
}

// Messages with the same key never run together, and run in the batch's order; the others run beside them.
func TestSameKeyRunsInOrder(t *testing.T) {
	ev := batch(8)
	key := func(m events.SQSMessage) string { // m0, m3, m6 share a key, and m1, m4, m7; m2 and m5 have none
		if m.Body == "2" || m.Body == "5" {
			return ""
		}
		return fmt.Sprint(m.Body[0] % 3)
	}
	var mu sync.Mutex
	running := map[string]bool{}
	var order []string
	resp := sqsbatch.HandleConcurrently(context.Background(), ev, 4, key, func(_ context.Context, m events.SQSMessage) error {
		k := key(m)
		mu.Lock()
		if k != "" && running[k] {
			mu.Unlock()
			return fmt.Errorf("%s ran beside another message with key %s", m.MessageId, k)
		}
		running[k] = true
		order = append(order, m.MessageId)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		running[k] = false
		mu.Unlock()
		return nil
	})
	if len(resp.BatchItemFailures) != 0 {
		t.Fatalf("failures %v", failures(resp))
	}
	for _, group := range [][]string{{"m0", "m3", "m6"}, {"m1", "m4", "m7"}} {
		var got []string
		for _, id := range order {
			if slices.Contains(group, id) {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, group) {
			t.Fatalf("ran %v, want %v in that order", got, group)
		}
	}
	if len(order) != 8 {
		t.Fatalf("ran %v", order)
	}
}

// Handle is one message at a time: the order of the batch (for consumers whose messages depend on each other).
func TestHandleIsSequential(t *testing.T) {
	var order []string
	resp := sqsbatch.Handle(context.Background(), batch(5), func(_ context.Context, m events.SQSMessage) error {
		order = append(order, m.MessageId)
		if m.MessageId == "m3" {
			return errors.New("down")
		}
		return nil
	})
	if !slices.Equal(order, []string{"m0", "m1", "m2", "m3", "m4"}) || !slices.Equal(failures(resp), []string{"m3"}) {
		t.Fatalf("order %v, failures %v", order, failures(resp))
	}
}

// Past the function's deadline no message is started: every one is left for its retry.
func TestNothingStartsAfterTheDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ran atomic.Int32
	resp := sqsbatch.HandleConcurrently(ctx, batch(4), 2, nil, func(context.Context, events.SQSMessage) error {
		ran.Add(1)
		return nil
	})
	if ran.Load() != 0 || len(resp.BatchItemFailures) != 4 {
		t.Fatalf("ran %d, failures %v", ran.Load(), failures(resp))
	}
}

// Every line about a message, the transport's and the use case's, carries its messageId and never its body.
func TestLogLinesCarryTheMessageID(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	prev := slog.Default()
	slog.SetDefault(slog.New(logging.Redacting(slog.NewJSONHandler(lockedWriter{&mu, &buf}, nil))))
	t.Cleanup(func() { slog.SetDefault(prev) })
	ev := events.SQSEvent{Records: []events.SQSMessage{{MessageId: "m-ok", Body: "jo@example.org"}, {MessageId: "m-bad", Body: "jo@example.org"}}}
	sqsbatch.HandleConcurrently(context.Background(), ev, 2, nil, func(ctx context.Context, m events.SQSMessage) error {
		slog.InfoContext(ctx, "handled")
		if m.MessageId == "m-bad" {
			return errors.New("down")
		}
		return nil
	})
	out := buf.String()
	for _, want := range []string{`"msg":"handled","messageId":"m-ok"`, `"msg":"handled","messageId":"m-bad"`, `"msg":"message failed; will be retried","messageId":"m-bad"`} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "jo@example.org") {
		t.Errorf("a body was logged:\n%s", out)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
