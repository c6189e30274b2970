package testsupport

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/contact"
)

// SignInCodes keeps sign-in codes in memory (residentaccess.Codes; the real one is shared/adapters/dynamo's),
// with the same conditions: expiry, tries left, single use, and the per-contact count per hour. Sent holds the
// messages stored with the codes.
type SignInCodes struct {
	mu     sync.Mutex
	codes  map[string]residentaccess.Code
	counts map[string]int
	Sent   []casework.Message
	Puts   int
}

// Allow counts a code for the contact's hour unless it has reached limit.
func (m *SignInCodes) Allow(_ context.Context, key string, hour time.Time, limit int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.counts == nil {
		m.counts = map[string]int{}
	}
	k := key + "#" + hour.UTC().Format(time.RFC3339)
	if m.counts[k] >= limit {
		return false, nil
	}
	m.counts[k]++
	return true, nil
}

// Put stores the session's code and its messages.
func (m *SignInCodes) Put(_ context.Context, c residentaccess.Code, messages []casework.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.codes == nil {
		m.codes = map[string]residentaccess.Code{}
	}
	m.codes[c.Session] = c
	m.Sent = append(m.Sent, messages...)
	m.Puts++
	return nil
}

// Attempt takes one try of a live code with tries left.
func (m *SignInCodes) Attempt(_ context.Context, session string, now time.Time) (residentaccess.Code, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[session]
	if !ok || c.Attempts <= 0 || !now.Before(c.Expires) {
		return residentaccess.Code{}, false, nil
	}
	before := c
	c.Attempts--
	m.codes[session] = c
	return before, true, nil
}

// Use removes the session's code if it still has hash.
func (m *SignInCodes) Use(_ context.Context, session, hash string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.codes[session]
	if !ok || c.Hash != hash {
		return false, nil
	}
	delete(m.codes, session)
	return true, nil
}

// Listed is a record and the contact details it is found by (and, for an ASB case, the postcode of its
// location, which FindPostcode finds it by too).
type Listed struct {
	Found    residentaccess.Found
	Contact  contact.Details
	Location string
}

// Directory finds records by contact in memory: each source lists records with their contact details, newest
// first (a stand-in for the byContact index; shared/adapters/dynamo.ContactDirectory is tested on DynamoDB).
type Directory struct {
	Sources []func() []Listed
	Finds   int
}

// Find lists the records whose contact details hold c, at most limit of each source.
func (d *Directory) Find(_ context.Context, c residentaccess.Contact, limit int) ([]residentaccess.Found, error) {
	d.Finds++
	var out []residentaccess.Found
	for _, src := range d.Sources {
		n := 0
		for _, l := range src() {
			if n < limit && c.Holds(l.Contact) {
				out = append(out, l.Found)
				n++
			}
		}
	}
	return out, nil
}

// FindPostcode lists the records whose contact's postcode, or location's, is the postcode (upper case, spaces
// aside), at most limit of each source (the stand-in of shared/adapters/dynamo.ContactDirectory.FindPostcode).
func (d *Directory) FindPostcode(_ context.Context, postcode string, limit int) ([]residentaccess.Found, error) {
	d.Finds++
	norm := func(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), "")) }
	var out []residentaccess.Found
	for _, src := range d.Sources {
		n := 0
		for _, l := range src() {
			if n < limit && norm(postcode) != "" && (norm(l.Contact.Postcode) == norm(postcode) || norm(l.Location) == norm(postcode)) {
				out = append(out, l.Found)
				n++
			}
		}
	}
	return out, nil
}
