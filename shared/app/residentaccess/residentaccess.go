// Package residentaccess is "check your progress": a resident signs in with the email address or mobile number
// on their record and a one-time code sent through GOV.UK Notify, then sees their own ASB cases, complaints and
// register applications. It owns its ports: the codes (stored hashed, with a TTL), the directory that finds a
// contact's records by key (the byContact index, never a scan), and the case stores it reads.
//
// What a visitor learns is nothing they did not know: an unknown contact, a reference that is not theirs and a
// wrong, used or expired code all give the same answers (Start: "if we found a record we sent a code"; Verify:
// "that code is not right or has expired"), and Start does the same storage work either way (a code is stored
// for the session in both cases: one a resident was sent, or one nobody can know).
package residentaccess

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/register"
)

// The codes' limits.
const (
	CodeLife     = 15 * time.Minute // a code works for 15 minutes after it was sent
	CodeAttempts = 5                // wrong tries before a code stops working
	CodesPerHour = 5                // codes a contact can be sent in a clock hour (asking more sends nothing)
	CodeDigits   = 6
	MaxRecords   = 50 // records of each kind the directory returns for a contact, newest first
	// MaxReferenceLength bounds a typed reference ("ASB-7K3M-9QXD" is 13).
	MaxReferenceLength = 20
	historyPage        = 20 // timeline entries read for a record's messages (the newest)
)

// Code is a sign-in code as stored: under the hash of the session that asked for it (it works in that
// session only), as the hash of the session id and the code (the store holds neither, so it cannot be
// reversed from a copy of the table), with the contact it proves and what the resident asked to see.
type Code struct {
	Session  string // ids.HashToken(session id)
	Hash     string // codeHash(session id, code)
	Contact  string // Contact.Canonical()
	Ref      string // the record to show once signed in ("" for the list)
	Attempts int    // tries left
	Expires  time.Time
}

// Codes keeps sign-in codes (shared/adapters/dynamo.SignInCodes: the idempotency table, expiring by TTL).
type Codes interface {
	// Allow counts one more code for the contact (by its key) in the hour starting at hour: false, counting
	// nothing, when it has had limit already.
	Allow(ctx context.Context, contactKey string, hour time.Time, limit int) (bool, error)
	// Put stores the session's code, replacing any earlier one, with the messages that send it (the outbox),
	// in one write.
	Put(ctx context.Context, c Code, messages []casework.Message) error
	// Attempt takes one try of the session's code: the code as stored, false when there is none, it has
	// expired or it has no tries left.
	Attempt(ctx context.Context, session string, now time.Time) (Code, bool, error)
	// Use removes the session's code if it is still the one with hash: false when it was used already.
	Use(ctx context.Context, session, hash string) (bool, error)
}

// Found is one record a contact is on.
type Found struct {
	Kind casefile.Kind
	Ref  string
}

// Directory finds the records a contact is on by key (the byContact index: ASB-7's reporter key, the
// complainant's and the applicant's find keys), newest first, at most limit of each kind.
type Directory interface {
	Find(ctx context.Context, c Contact, limit int) ([]Found, error)
}

// Store reads one kind of record: its head and the newest page of its timeline.
type Store[T, C any] interface {
	Load(ctx context.Context, ref string) (casework.Stored[T, C], error)
	History(ctx context.Context, ref string, limit int, token string) (casework.History, error)
}

// Service runs the sign-in and the resident's views.
type Service struct {
	Codes        Codes
	Directory    Directory
	Outbox       casework.Outbox
	ASB          Store[asb.Case, asb.Reporter]
	Complaints   Store[complaints.Complaint, complaints.Contact]
	Applications Store[register.Record, register.Contact]
}

// StartSignIn asks for a code: the visitor's session id (the code works in that session only), what they typed,
// an optional reference (from the sign-in link, or typed), and the language of the page (the message's).
type StartSignIn struct {
	Session   string
	Contact   string
	Reference string
	Language  string
	At        time.Time
}

// Start sends a code to the contact when it is on a record (on the referenced one, when a reference is given)
// and has not had CodesPerHour codes this hour. Whatever it finds, the answer is the same (nil, or the field
// errors of what was typed, which say nothing about any record), and the same work is done: the directory read,
// the count, and a code stored for the session (one nobody can know when nothing is sent).
func (s Service) Start(ctx context.Context, cmd StartSignIn) error {
	c, err := ParseContact(cmd.Contact)
	ref, rerr := ParseReference(cmd.Reference)
	if err = joinFields(err, rerr); err != nil {
		return err
	}
	if cmd.Session == "" {
		return apperr.New(apperr.Forbidden, "No session.")
	}
	found, err := s.Directory.Find(ctx, c, MaxRecords)
	if err != nil {
		return err
	}
	target, match := pick(found, ref)
	allowed, err := s.Codes.Allow(ctx, c.Key(), cmd.At.UTC().Truncate(time.Hour), CodesPerHour)
	if err != nil {
		return err
	}
	code := unguessable()
	var messages []casework.Message
	if match && allowed {
		code = newCode()
		m, err := codeMessage(c, target, code, cmd.Language, cmd.At)
		if err != nil {
			return err
		}
		messages = append(messages, m)
	}
	stored := Code{Session: ids.HashToken(cmd.Session), Hash: codeHash(cmd.Session, code), Contact: c.Canonical(), Ref: ref,
		Attempts: CodeAttempts, Expires: cmd.At.Add(CodeLife)}
	if err := s.Codes.Put(ctx, stored, messages); err != nil {
		return err
	}
	if len(messages) > 0 {
		_ = s.Outbox.Deliver(ctx, messages...) // stored with the code: the relay retries a failed delivery
	}
	return nil
}

// pick is the record the code's message is about (and recorded on): the referenced one, else the newest.
func pick(found []Found, ref string) (Found, bool) {
	if ref == "" {
		if len(found) == 0 {
			return Found{}, false
		}
		return found[0], true
	}
	i := slices.IndexFunc(found, func(f Found) bool { return f.Ref == ref })
	if i < 0 {
		return Found{}, false
	}
	return found[i], true
}

// codeMessage is the code's notification: by email to an address, by text to a mobile, in the page's language,
// recorded on the case's timeline (without the code: the notifier records the template, not the text).
func codeMessage(c Contact, about Found, code, language string, at time.Time) (casework.Message, error) {
	to := notification.Recipient{Role: notification.Resident, Email: c.Email(), Phone: c.Phone(), PreferredContact: "email", Language: language}
	if to.Phone != "" {
		to.PreferredContact = "sms"
	}
	req := notification.Request{ID: about.Ref + "#sign-in#" + randomID(), Template: notification.ResidentSignInCode, CaseKind: about.Kind,
		CaseRef: about.Ref, To: to, RequestedAt: at.UTC(),
		Personalisation: map[string]string{"code": code, "minutes": strconv.Itoa(int(CodeLife / time.Minute))}}
	return req.Message()
}

// VerifyCode is what the visitor typed on the code page, in the session that asked for the code.
type VerifyCode struct {
	Session string
	Code    string
	At      time.Time
}

// Grant is what a right code proves: the contact, and the record the resident asked to see ("" for the list).
type Grant struct {
	Contact Contact
	Ref     string
}

// ErrWrongCode is the one answer to a code that does not sign in: wrong, expired, used, out of tries, or
// never sent (an unknown contact or a reference that is not theirs).
func ErrWrongCode() error {
	var f apperr.Fields
	f.Add("code", "is not right, or it has expired")
	return f.Err()
}

// MaxCodeLength bounds a typed code.
const MaxCodeLength = 20

// Verify signs the resident in when the code is the session's, live and right: one try used (CodeAttempts in
// all), compared in constant time, and the code removed (single use).
func (s Service) Verify(ctx context.Context, cmd VerifyCode) (Grant, error) {
	typed := strings.Join(strings.Fields(cmd.Code), "")
	if len(typed) > MaxCodeLength || cmd.Session == "" {
		typed = ""
	}
	session := ids.HashToken(cmd.Session)
	got, live, err := s.Codes.Attempt(ctx, session, cmd.At)
	if err != nil {
		return Grant{}, err
	}
	right := subtle.ConstantTimeCompare([]byte(codeHash(cmd.Session, typed)), []byte(got.Hash)) == 1
	if !live || !right || typed == "" {
		return Grant{}, ErrWrongCode()
	}
	used, err := s.Codes.Use(ctx, session, got.Hash)
	if err != nil {
		return Grant{}, err
	}
	c, ok := FromCanonical(got.Contact)
	if !used || !ok {
		return Grant{}, ErrWrongCode()
	}
	return Grant{Contact: c, Ref: got.Ref}, nil
}

// codeHash binds a code to its session: the SHA-256 of both.
func codeHash(session, code string) string { return ids.Hash("sign-in", session, code) }

// newCode is CodeDigits random digits.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// unguessable is the code stored when none is sent: 256 random bits, which no typed code can match.
func unguessable() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomID() string { return unguessable()[:16] }

// ParseReference reads a typed reference ("" for none): upper-cased, without spaces; letters, digits and
// hyphens, at most MaxReferenceLength.
func ParseReference(typed string) (string, error) {
	ref := strings.ToUpper(strings.Join(strings.Fields(typed), ""))
	if len(ref) > MaxReferenceLength || strings.Trim(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
		var f apperr.Fields
		f.Add("reference", "must be a reference such as ASB-7K3M-9QXD")
		return "", f.Err()
	}
	return ref, nil
}

func joinFields(errs ...error) error {
	var f apperr.Fields
	for _, err := range errs {
		if e, ok := apperr.As(err); ok {
			f = append(f, e.Fields...)
		}
	}
	return f.Err()
}

// Records are the resident's records, each kind newest first: ASB cases, complaints, applications.
func (s Service) Records(ctx context.Context, c Contact, at time.Time) ([]View, error) {
	found, err := s.mine(ctx, c)
	if err != nil {
		return nil, err
	}
	views := make([]View, len(found))
	errs := make([]error, len(found))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, f := range found {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			views[i], errs[i] = s.view(ctx, c, f, at, false)
		})
	}
	wg.Wait()
	out := make([]View, 0, len(found))
	for i := range found {
		switch {
		case apperr.CodeOf(errs[i]) == apperr.NotFound: // the index is eventually consistent: skip it
		case errs[i] != nil:
			return nil, errs[i]
		default:
			out = append(out, views[i])
		}
	}
	return out, nil
}

// Record is one of the resident's records with its letters and the messages sent to them. A reference that is
// not theirs answers exactly like one that does not exist.
func (s Service) Record(ctx context.Context, c Contact, ref string, at time.Time) (View, error) {
	found, err := s.mine(ctx, c)
	if err != nil {
		return View{}, err
	}
	f, ok := pick(found, ref)
	if !ok || ref == "" {
		return View{}, NotYours()
	}
	v, err := s.view(ctx, c, f, at, true)
	if apperr.CodeOf(err) == apperr.NotFound {
		return View{}, NotYours()
	}
	return v, err
}

// NotYours is the answer for a record that does not exist or is not the resident's.
func NotYours() error { return apperr.NotFoundf("There is no such record of yours.") }

// mine are the contact's records, each once, in the order of the kinds.
func (s Service) mine(ctx context.Context, c Contact) ([]Found, error) {
	if c.IsZero() {
		return nil, NotYours()
	}
	found, err := s.Directory.Find(ctx, c, MaxRecords)
	if err != nil {
		return nil, err
	}
	seen := map[Found]bool{}
	out := make([]Found, 0, len(found))
	for _, k := range []casefile.Kind{casefile.ASB, casefile.Complaint, casefile.Application} {
		for _, f := range found {
			if f.Kind == k && !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out, nil
}
