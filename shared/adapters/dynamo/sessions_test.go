package dynamo

import (
	"context"
	"testing"
	"time"
)

// A session is read back until it expires (whether or not TTL has removed it yet), and gone once deleted.
func TestSessionsExpireAndDelete(t *testing.T) {
	ctx := context.Background()
	s := Sessions{Store: newStore(t)}
	now := time.Now()
	if err := s.Put(ctx, "h1", []byte(`{"csrf":"x"}`), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "h2", []byte(`{}`), now.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if data, ok, err := s.Get(ctx, "h1", now); err != nil || !ok || string(data) != `{"csrf":"x"}` {
		t.Fatalf("live session: %q %v %v", data, ok, err)
	}
	if _, ok, _ := s.Get(ctx, "h2", now); ok {
		t.Error("an expired session was read")
	}
	if err := s.Delete(ctx, "h1"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get(ctx, "h1", now); ok {
		t.Error("a deleted session was read")
	}
}
