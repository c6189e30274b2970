package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// SessionStore keeps sessions server-side by the hash of their id (shared/adapters/dynamo.Sessions: the
// idempotency table, expiring by TTL). The cookie holds only the random id.
type SessionStore interface {
	Get(ctx context.Context, idHash string, now time.Time) ([]byte, bool, error)
	Put(ctx context.Context, idHash string, data []byte, expires time.Time) error
	Delete(ctx context.Context, idHash string) error
}

// SessionIdle is how long a session lives after its last change.
const SessionIdle = 60 * time.Minute

// CookieName is the session cookie. The __Host- prefix makes browsers insist on Secure, Path=/ and no Domain.
const CookieName = "__Host-session"

// MaxSessionBytes bounds what a session may hold (DynamoDB items are at most 400 KB).
const MaxSessionBytes = 200 << 10

// Session is one visitor's state: the CSRF token of their forms, the answers of each journey in progress (form
// field -> values, kept here until they are sent, never in hidden fields), the outcome of the last journey
// they finished (its confirmation page), and who they proved to be by a one-time code.
type Session struct {
	ID      string                         `json:"-"`
	CSRF    string                         `json:"csrf"`
	Answers map[string]map[string][]string `json:"answers,omitempty"`
	Done    map[string]json.RawMessage     `json:"done,omitempty"`
	// SignedIn is the contact (normalised email address or mobile number) the visitor proved they hold, until
	// SignedInIdle after SeenAt, their last signed-in page.
	SignedIn string    `json:"signedIn,omitempty"`
	SeenAt   time.Time `json:"seenAt,omitzero"`
	Created  time.Time `json:"created"`
	// Kept is a transport's own state by name (the staff console's signed-in officer and its sign-in in
	// progress), JSON, saved with the session.
	Kept map[string]json.RawMessage `json:"kept,omitempty"`

	isNew, dirty, ended bool
	retired             string // the id this session had before Renew, whose item goes
}

// SignedInIdle is how long a signed-in visitor stays signed in without opening a page: then they sign in again
// (the rest of the session lives on for SessionIdle).
const SignedInIdle = 20 * time.Minute

// SignIn records the contact the visitor proved they hold (Renew the session first).
func (s *Session) SignIn(contact string, now time.Time) {
	s.SignedIn, s.SeenAt, s.dirty = contact, now, true
}

// SignedInAs is the contact the visitor proved, "" when they have not or were away SignedInIdle (which signs
// them out); a signed-in page keeps them signed in (saved at most once a minute).
func (s *Session) SignedInAs(now time.Time) string {
	switch idle := now.Sub(s.SeenAt); {
	case s.SignedIn == "":
		return ""
	case idle > SignedInIdle || idle < -time.Minute:
		s.SignedIn, s.SeenAt, s.dirty = "", time.Time{}, true
		return ""
	case idle > time.Minute:
		s.SeenAt, s.dirty = now, true
	}
	return s.SignedIn
}

// Renew gives the session a new id and CSRF token, keeping what it holds, and removes the old id's item: done
// on signing in, so an id anyone saw before is not a signed-in one.
func (s *Session) Renew() {
	if !s.isNew && s.retired == "" {
		s.retired = s.ID
	}
	s.ID, s.CSRF, s.isNew, s.dirty = randomToken(), randomToken(), true, true
}

// End removes the session and its cookie after this request (signing out).
func (s *Session) End() { s.ended = true }

// Answers of one journey (created on first use).
func (s *Session) Journey(name string) map[string][]string {
	if s.Answers == nil {
		s.Answers = map[string]map[string][]string{}
	}
	if s.Answers[name] == nil {
		s.Answers[name] = map[string][]string{}
	}
	return s.Answers[name]
}

// Keep stores v under name (replacing what was there) and marks the session to be saved.
func (s *Session) Keep(name string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if s.Kept == nil {
		s.Kept = map[string]json.RawMessage{}
	}
	s.Kept[name], s.dirty = raw, true
	return nil
}

// KeptAs reads what Keep stored under name into v; false when there is none.
func (s *Session) KeptAs(name string, v any) bool {
	raw, ok := s.Kept[name]
	return ok && json.Unmarshal(raw, v) == nil
}

// Forget removes what Keep stored under name.
func (s *Session) Forget(name string) {
	if _, ok := s.Kept[name]; ok {
		delete(s.Kept, name)
		s.dirty = true
	}
}

// Changed marks the session to be saved after the request.
func (s *Session) Changed() { s.dirty = true }

// Finish ends a journey: its answers are dropped and outcome kept for its confirmation page.
func (s *Session) Finish(journey string, outcome any) error {
	raw, err := json.Marshal(outcome)
	if err != nil {
		return err
	}
	delete(s.Answers, journey)
	if s.Done == nil {
		s.Done = map[string]json.RawMessage{}
	}
	s.Done[journey] = raw
	s.dirty = true
	return nil
}

// Outcome reads a finished journey's outcome into v; false when there is none.
func (s *Session) Outcome(journey string, v any) bool {
	raw, ok := s.Done[journey]
	return ok && json.Unmarshal(raw, v) == nil
}

// ValidCSRF compares a form's token with the session's in constant time.
func (s *Session) ValidCSRF(token string) bool {
	return s.CSRF != "" && subtle.ConstantTimeCompare([]byte(s.CSRF), []byte(token)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

func newSession(now time.Time) *Session {
	return &Session{ID: randomToken(), CSRF: randomToken(), Created: now, isNew: true, dirty: true}
}

// HashID is the key a session is stored under: the SHA-256 of its id.
func HashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// sessionCookie is the Set-Cookie value: HttpOnly, Secure, SameSite=Lax (a link from an email opens the
// session; posts from other sites carry no cookie), for the whole site, until the browser closes.
func sessionCookie(name, id string) string {
	c := http.Cookie{Name: name, Value: id, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode}
	return c.String()
}

// expiredCookie removes the session cookie.
func expiredCookie(name string) string {
	c := http.Cookie{Name: name, Value: "", Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode, MaxAge: -1}
	return c.String()
}

// cookieValue finds the session id among payload 2.0's cookies ("name=value" each).
func cookieValue(cookies []string, cookieName string) string {
	for _, c := range cookies {
		for _, part := range strings.Split(c, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && name == cookieName && len(value) == 43 {
				return value
			}
		}
	}
	return ""
}

// loadSession reads the request's session, nil when it has none (or an unknown or expired one).
func loadSession(ctx context.Context, store SessionStore, cookieName string, cookies []string, now time.Time) (*Session, error) {
	id := cookieValue(cookies, cookieName)
	if id == "" {
		return nil, nil
	}
	data, found, err := store.Get(ctx, HashID(id), now)
	if err != nil || !found {
		return nil, err
	}
	var s Session
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, nil // unreadable: start afresh
	}
	s.ID = id
	return &s, nil
}

// errSessionFull is returned when a session would exceed MaxSessionBytes.
var errSessionFull = &sessionFull{}

type sessionFull struct{}

func (*sessionFull) Error() string { return "session too large" }

func saveSession(ctx context.Context, store SessionStore, s *Session, now time.Time) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if len(data) > MaxSessionBytes {
		return errSessionFull
	}
	return store.Put(ctx, HashID(s.ID), data, now.Add(SessionIdle))
}
