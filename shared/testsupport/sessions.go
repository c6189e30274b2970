package testsupport

import (
	"context"
	"sync"
	"time"
)

// Sessions is an in-memory session store for the HTML transports' tests (web.SessionStore; the real one is
// shared/adapters/dynamo.Sessions). Expiry is not modelled.
type Sessions struct {
	mu   sync.Mutex
	data map[string][]byte
}

// Get reads a session by the hash of its id.
func (m *Sessions) Get(_ context.Context, id string, _ time.Time) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.data[id]
	return d, ok, nil
}

// Put stores a session.
func (m *Sessions) Put(_ context.Context, id string, d []byte, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		m.data = map[string][]byte{}
	}
	m.data[id] = d
	return nil
}

// Delete removes a session.
func (m *Sessions) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.data, id)
	return nil
}
