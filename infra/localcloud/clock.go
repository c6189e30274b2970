package localcloud

import (
	"sync"
	"time"
)

// Clock is the local cloud's time: real time unless pinned. It is written into every event wherever AWS
// writes time (requestContext.timeEpoch, SQS SentTimestamp, the EventBridge time), and handlers read "now"
// from the event, so pinning it moves every deadline calculation.
type Clock struct {
	mu     sync.RWMutex
	pinned *time.Time
}

// Now is the pinned time, or the real time.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.pinned != nil {
		return *c.pinned
	}
	return time.Now().UTC()
}

// Pinned reports whether the clock is pinned.
func (c *Clock) Pinned() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.pinned != nil
}

// Pin fixes the clock at t.
func (c *Clock) Pin(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t = t.UTC()
	c.pinned = &t
}

// Release returns the clock to real time.
func (c *Clock) Release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pinned = nil
}
