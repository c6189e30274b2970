package registercases

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Summary is an application as the officers' lists show it: the decision without its reasons, the claims the
// council must still check or decide, and the officer it is assigned to. Every list entry carries one (never
// the application's answers or the contact), so it stays small.
type Summary struct {
	Reference          string
	ReceivedAt         time.Time
	Status             string
	Band               *string // the decided band; nil unless registered
	ProvisionalBand    *string // what the claims would give once confirmed
	Stars              int
	Offerable          bool
	EffectiveDate      *workdays.Date
	EmergencyExpiresOn *workdays.Date
	MedicalReviewDue   *workdays.Date
	Outstanding        []string // the claims the council must still check or decide (Outstanding.Claim)
	Officer            *casefile.Actor
}

// SummaryOf is the summary of a record as stored.
func SummaryOf(r register.Record) Summary {
	d := r.Decision
	s := Summary{Reference: r.Reference, ReceivedAt: r.ReceivedAt, Status: d.Status, Band: d.Band, ProvisionalBand: d.Provisional.Band,
		Stars: d.Stars, Offerable: d.Offerable, EffectiveDate: d.EffectiveDate, EmergencyExpiresOn: d.EmergencyExpiresOn,
		MedicalReviewDue: d.MedicalReviewDue, Officer: r.Council.Officer}
	for _, o := range d.Outstanding {
		s.Outstanding = append(s.Outstanding, o.Claim)
	}
	return s
}

// Bands are the bands of the priority list, highest first.
var Bands = []string{register.BandEmergency, register.BandA, register.BandB, register.BandReduced}

// Statuses are the statuses an application can have.
var Statuses = []string{register.StatusAwaitingVerification, register.StatusRegistered, register.StatusNotQualifying,
	register.StatusIneligible, register.StatusClosed, register.StatusRemoved}

// PriorityList is a page of one band's active applications for an allocations officer.
type PriorityList struct {
	By    casework.Staff
	Band  string
	Limit int
	Token string
}

// PriorityList serves one band in priority order: stars, then the effective date, oldest first. Only
// applications whose band rests on decided facts are on it (register.PriorityKey).
func (s Service) PriorityList(ctx context.Context, q PriorityList) ([]Summary, string, error) {
	if err := q.By.Check(officers...); err != nil {
		return nil, "", err
	}
	if !slices.Contains(Bands, q.Band) {
		var f apperr.Fields
		f.Add("band", "must be one of: %s", strings.Join(Bands, ", "))
		return nil, "", f.Err()
	}
	return s.Store.PriorityList(ctx, q.Band, q.Limit, q.Token)
}

// Orders of a list.
const (
	OrderOldest = "oldest"
	OrderNewest = "newest"
)

// Filter narrows the officers' list: a status, a decided band and an assigned officer (by staff id), any
// combination; OldestFirst reads it oldest first (the queue of applications awaiting verification).
type Filter struct {
	Status, Band, Officer string
	OldestFirst           bool
}

// List is a page of applications for staff.
type List struct {
	By     casework.Staff
	Filter Filter
	Order  string // "oldest", "newest", or "" for the default: oldest first awaiting verification, else newest
	Limit  int
	Token  string
}

// maxOfficerID bounds the officer filter (a staff id, the JWT sub).
const maxOfficerID = 200

// List pages through applications: awaiting verification oldest first (the work queue), by band, by status, by
// officer, or any combination, each one list key read by key (never a scan or a filter).
func (s Service) List(ctx context.Context, q List) ([]Summary, string, error) {
	if err := q.By.Check(readers...); err != nil {
		return nil, "", err
	}
	var f apperr.Fields
	if q.Filter.Status != "" && !slices.Contains(Statuses, q.Filter.Status) {
		f.Add("status", "must be one of: %s", strings.Join(Statuses, ", "))
	}
	if q.Filter.Band != "" && !slices.Contains(Bands, q.Filter.Band) {
		f.Add("band", "must be one of: %s", strings.Join(Bands, ", "))
	}
	if len(q.Filter.Officer) > maxOfficerID {
		f.Add("officer", "must be a staff id of at most %d characters", maxOfficerID)
	}
	switch q.Order {
	case "":
		q.Filter.OldestFirst = q.Filter.Status == register.StatusAwaitingVerification
	case OrderOldest:
		q.Filter.OldestFirst = true
	case OrderNewest:
		q.Filter.OldestFirst = false
	default:
		f.Add("order", "must be oldest or newest")
	}
	if err := f.Err(); err != nil {
		return nil, "", err
	}
	return s.Store.List(ctx, q.Filter, q.Limit, q.Token)
}

// Fields an application can be found by, besides its reference.
const (
	FindByEmail    = "email"
	FindByPostcode = "postcode"
)

// FindKey is what the store looks an application up by: the field and the hash of its normalised value (the
// value itself is never in a key).
type FindKey struct {
	Field string
	Hash  string
}

// EmailKey is the key of an email address: trimmed and lower-cased, then hashed; "" for none.
func EmailKey(email string) string {
	e := strings.ToLower(strings.TrimSpace(email))
	if e == "" {
		return ""
	}
	return ids.Hash(FindByEmail, e)
}

// PostcodeKey is the key of a postcode: upper-cased without spaces, then hashed; "" for none.
func PostcodeKey(postcode string) string {
	p := strings.ToUpper(strings.Join(strings.Fields(postcode), ""))
	if p == "" {
		return ""
	}
	return ids.Hash(FindByPostcode, p)
}

// Find is a member of staff looking for an application by exactly one of its reference, the applicant's email
// address or postcode (as they were given or last changed).
type Find struct {
	By        casework.Staff
	Reference string
	Email     string
	Postcode  string
	Limit     int
	Token     string
}

// Bounds of what is looked up: a reference as the API gives them out, an email address and a postcode as the
// forms accept them.
const (
	maxReference = 64
	maxEmail     = 254
	maxPostcode  = 16
)

// Find finds applications by reference (the one application, or none), or by the applicant's email address or
// postcode, newest first: an index query on the hashed, normalised value (email trimmed and lower-cased,
// postcode upper-cased without spaces), never a scan.
func (s Service) Find(ctx context.Context, q Find) ([]Summary, string, error) {
	if err := q.By.Check(readers...); err != nil {
		return nil, "", err
	}
	var f apperr.Fields
	given := 0
	for _, v := range []string{q.Reference, q.Email, q.Postcode} {
		if strings.TrimSpace(v) != "" {
			given++
		}
	}
	if given != 1 {
		f.Add("query", "give exactly one of reference, email, postcode")
	}
	switch {
	case len(q.Reference) > maxReference:
		f.Add("reference", "must have at most %d characters", maxReference)
	case len(q.Email) > maxEmail:
		f.Add("email", "must have at most %d characters", maxEmail)
	case len(q.Postcode) > maxPostcode:
		f.Add("postcode", "must have at most %d characters", maxPostcode)
	case q.Reference != "" && q.Token != "":
		f.Add("nextToken", "a reference names one application: there is no next page")
	}
	if err := f.Err(); err != nil {
		return nil, "", err
	}
	switch {
	case strings.TrimSpace(q.Reference) != "":
		ref := strings.ToUpper(strings.TrimSpace(q.Reference))
		if !referenceShaped(ref) {
			return nil, "", nil // no reference this service gave out
		}
		st, err := s.Store.Load(ctx, ref)
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil, "", nil
		}
		if err != nil {
			return nil, "", err
		}
		return []Summary{SummaryOf(st.Case)}, "", nil
	case strings.TrimSpace(q.Email) != "":
		return s.Store.Find(ctx, FindKey{Field: FindByEmail, Hash: EmailKey(q.Email)}, q.Limit, q.Token)
	default:
		return s.Store.Find(ctx, FindKey{Field: FindByPostcode, Hash: PostcodeKey(q.Postcode)}, q.Limit, q.Token)
	}
}

// referenceShaped: letters, digits and dashes, as references are given out (e.g. "HR-7K3M-9QXD").
func referenceShaped(ref string) bool {
	for _, c := range ref {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return ref != ""
}
