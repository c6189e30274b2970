// Package asbcases is the ASB application service: one method per use case of anti-social behaviour reports and
// cases (shared/rules/asb), each run through the shared change pipeline (shared/app/casework). The JSON API, the
// out-of-hours queue consumer, and the pages to come, are thin transports over it.
package asbcases

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Stored is an ASB case as stored, with the reporter's contact (nil for an anonymous report).
type Stored = casework.Stored[asb.Case, asb.Reporter]

// Filter narrows the staff list; Today decides what is overdue. ReceivedFrom and ReceivedTo (London dates,
// inclusive; zero when open) narrow it to when cases were received; an overdue list is ordered by due date
// instead, so it takes no receipt range.
type Filter struct {
	Status, Type, Channel, Officer string
	Overdue                        bool
	Today                          workdays.Date
	ReceivedFrom, ReceivedTo       workdays.Date
}

// Store is what the service needs from storage (shared/adapters/dynamo implements it).
type Store interface {
	casework.Store[asb.Case, asb.Reporter]
	// List pages through cases newest first, narrowed by f.
	List(ctx context.Context, f Filter, limit int, token string) ([]asb.Summary, string, error)
	// Month reads the summaries of the cases received in [from, to) and of those closed in it (ASB-9).
	Month(ctx context.Context, from, to time.Time) (received, closed []asb.Summary, err error)
	// ReportsSince counts the cases reported by the reporter with this key (asb.Case.ReporterKey) received in
	// [since, until] (ASB-7).
	ReportsSince(ctx context.Context, reporterKey string, since, until time.Time) (int, error)
	// OnceRef is the case a once-only key led to, "" when the key is unused.
	OnceRef(ctx context.Context, scope, id string) (string, error)
	// OpenCaseFor is the newest open case filed under the first of keys that has one, and that key's name ("" when
	// none): one index query per key, never a scan, and never a closed case (ASB-9).
	OpenCaseFor(ctx context.Context, keys []asb.MatchKey) (ref, matched string, err error)
	// Incident reads a case's further report (NotFound when the case has none with that id).
	Incident(ctx context.Context, ref, id string) (asb.Incident, error)
	// FurtherReports counts the further reports received in [from, to) (ASB-9), from their dated list.
	FurtherReports(ctx context.Context, from, to time.Time) (int, error)
	// CasesWithSubject are the cases (newest first, at most limit) with a person reported under this key hash
	// (asb.Case.SubjectKeys): by key, never a scan.
	CasesWithSubject(ctx context.Context, keyHash string, limit int) ([]string, error)
	// CountDated counts the items in the dated list named dated (casework.Item.Dated) at [from, to), never a scan.
	CountDated(ctx context.Context, dated string, from, to time.Time) (int, error)
	// CaseItems pages through the case's items of one kind (ItemWitness, ItemIncident, ...), newest first, by key in
	// the case's partition (a token from another case or kind is a 400); each is called with every item's decoder.
	CaseItems(ctx context.Context, ref, kind string, limit int, token string, each func(unmarshal func(any) error) error) (next string, err error)
}

// Service runs the ASB use cases.
type Service struct {
	Store  Store
	Outbox casework.Outbox
	Homes  int         // homes managed, for NM01
	Duty   DutyOfficer // who is alerted at once about a high-risk or crime-in-progress report
}

// DutyOfficer is how the duty officer is reached for an immediate alert (asb.ImmediateAlert): the settings
// mailboxes.dutyOfficer and mailboxes.dutyOfficerPhone, which a deployment must give (infra/config refuses a
// configuration without them). The alert goes to each one given, by email and by text.
type DutyOfficer struct {
	Email string
	Phone string
}

func (s Service) pipeline() casework.Pipeline[asb.Case, asb.Reporter] {
	return casework.Pipeline[asb.Case, asb.Reporter]{Store: s.Store, Outbox: s.Outbox}
}

// OutOfHoursCall is the once-only scope of an out-of-hours call id: a redelivered call makes no second case.
const OutOfHoursCall = "out-of-hours-call"

const what = "ASB report"

var staff = []string{catalog.GroupASBOfficer, catalog.GroupASBManager}

// ResidentRequest is the reporter acting with the access token they were given.
type ResidentRequest struct {
	Ref   string
	Token string
	// ProvenKey, when set, stands in for Token where a use case takes it (AnswerSurvey): the key of the contact the
	// resident proved they hold with a one-time code (residentaccess.Contact.Key, the hash asb.Case.ReporterKey is),
	// the first reporter's or a joined reporter's (asb.Case.Joined).
	ProvenKey string
}

// holds says whether the resident holds the case: as its first or a joined reporter by ProvenKey when set, else by
// its access token.
func (q ResidentRequest) holds(s Stored) bool {
	if q.ProvenKey != "" {
		_, joined := s.Case.JoinedReporterOf(q.ProvenKey)
		return q.ProvenKey == s.Case.ReporterKey || joined
	}
	return ids.TokenMatches(q.Token, s.TokenHash)
}

// Status is the reporter's view of their case (a wrong token answers like an unknown reference).
func (s Service) Status(ctx context.Context, q ResidentRequest) (asb.Case, error) {
	st, err := s.pipeline().ReadAsResident(ctx, q.Ref, q.Token, what)
	return st.Case, err
}

// List is a page of cases for staff.
type List struct {
	By     casework.Staff
	Filter Filter
	Limit  int
	Token  string
}

var statuses = []string{asb.StatusReceived, asb.StatusAcknowledged, asb.StatusInProgress, asb.StatusClosed}

// Check adds a field error for every filter value that is not one of its kind's, so a transport can list them
// with its own (e.g. the page size) in one answer.
func (f Filter) Check(fields *apperr.Fields) {
	if v := f.Status; v != "" && !slices.Contains(statuses, v) {
		fields.Add("status", "must be one of: %s", strings.Join(statuses, ", "))
	}
	if v := f.Type; v != "" {
		if _, ok := asb.TypeRuleOf(v); !ok {
			fields.Add("type", "must be one of: %s", strings.Join(asb.TypeNames(), ", "))
		}
	}
	if v := f.Channel; v != "" && !slices.Contains(asb.Channels, v) {
		fields.Add("channel", "must be one of: %s", strings.Join(asb.Channels, ", "))
	}
	if f.Overdue && (!f.ReceivedFrom.IsZero() || !f.ReceivedTo.IsZero()) {
		fields.Add("overdue", "cannot be combined with receivedFrom or receivedTo: the overdue list is in due-date order")
	}
	if !f.ReceivedFrom.IsZero() && !f.ReceivedTo.IsZero() && f.ReceivedTo.Before(f.ReceivedFrom) {
		fields.Add("receivedTo", "must not be before receivedFrom")
	}
}

// List pages through cases newest first, narrowed by the filter (every bad filter value is listed).
func (s Service) List(ctx context.Context, q List) ([]asb.Summary, string, error) {
	if err := q.By.Check(staff...); err != nil {
		return nil, "", err
	}
	var f apperr.Fields
	q.Filter.Check(&f)
	if err := f.Err(); err != nil {
		return nil, "", err
	}
	return s.Store.List(ctx, q.Filter, q.Limit, q.Token)
}

// Record is a case for staff: the case, the reporter's contact, the timeline and open deadlines, whether it is
// overdue, and the action item a change added (if any).
type Record struct {
	Stored
	Overdue bool
	Action  *asb.ActionItem
	// Subject is the person reported a change added, with the other cases they are a subject of (newest first).
	Subject      *asb.Subject
	SubjectCases []string
}

func recordOf(st Stored, at time.Time) Record {
	return Record{Stored: st, Overdue: asb.IsOverdue(st.Case, workdays.DateOf(at))}
}

// Read is a member of staff opening a case.
type Read = casework.Action[casework.NoInput] // At decides what is overdue

// Get reads a case's whole record.
func (s Service) Get(ctx context.Context, q Read) (Record, error) {
	if err := q.By.Check(staff...); err != nil {
		return Record{}, err
	}
	st, err := s.Store.Load(ctx, q.Ref)
	if err != nil {
		return Record{}, err
	}
	st, err = s.pipeline().WithHistory(ctx, st, q.Ref)
	return recordOf(st, q.At), err
}

// History is a member of staff paging through a case's timeline (Input: the token of the page, "" first).
type History = casework.Action[casework.PageRequest]

// History is a page of a case's timeline, newest first.
func (s Service) History(ctx context.Context, q History) (casework.History, error) {
	return s.pipeline().History(ctx, q.Ref, q.Input, q.By, staff...)
}

// Staff actions: who, when, on which case, and the input of the rules' transition.
type (
	Acknowledge          = casework.Action[casework.NoInput]
	Assign               = casework.Action[asb.Assignment]
	OfferAppointment     = casework.Action[asb.Appointment]
	RecordRiskAssessment = casework.Action[asb.RiskAssessmentInput]
	AddAction            = casework.Action[asb.NewAction]
	CompleteAction       = casework.Action[string] // the action item's id
	LogContact           = casework.Action[asb.ContactLog]
	Close                = casework.Action[asb.Closure]
	Reopen               = casework.Action[asb.Reopening]
)

// Acknowledge records the acknowledgement (ASB-4).
func (s Service) Acknowledge(ctx context.Context, cmd Acknowledge) (Record, error) {
	return s.act(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) { return c.Acknowledge(cmd.By.Actor(), cmd.At) })
}

// Assign gives the case to an officer, by staff id.
func (s Service) Assign(ctx context.Context, cmd Assign) (Record, error) {
	return s.act(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) { return c.Assign(cmd.Input, cmd.By.Actor(), cmd.At) })
}

// OfferAppointment records the appointment offered to the reporter (ASB-3) and tells them the date.
func (s Service) OfferAppointment(ctx context.Context, cmd OfferAppointment) (Record, error) {
	return s.actTelling(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) {
		return c.OfferAppointment(cmd.Input, cmd.By.Actor(), cmd.At)
	}, func(c asb.Case, _ casefile.Event) telling {
		on := c.AppointmentOn.String()
		return telling{template: notification.ASBAppointment, suffix: "appointment#" + on, extra: map[string]string{"appointment_on": on}}
	})
}

// RecordRiskAssessment records the ASB-5 check-list, the risk level it sets and its next review; each review
// (every assessment after the first) is told to the reporter with the date of the next one.
func (s Service) RecordRiskAssessment(ctx context.Context, cmd RecordRiskAssessment) (Record, error) {
	return s.actTelling(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) {
		return c.RecordRiskAssessment(cmd.Input, cmd.By.Actor(), cmd.At)
	}, func(c asb.Case, ev casefile.Event) telling {
		if ev.Details["review"] != true {
			return telling{}
		}
		return telling{template: notification.ASBReview, suffix: "review#" + strconv.Itoa(c.RiskReviews),
			extra: map[string]string{"next_review_on": c.RiskAssessment.NextReviewOn.String()}}
	})
}

// AddAction adds an action-plan item using an ASB-8 tool; the record names the item added.
func (s Service) AddAction(ctx context.Context, cmd AddAction) (Record, error) {
	var added asb.ActionItem
	r, err := s.act(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) {
		item, ev, err := c.AddAction(cmd.Input, cmd.By.Actor(), cmd.At)
		added = item
		return ev, err
	})
	if err == nil {
		r.Action = &added
	}
	return r, err
}

// CompleteAction marks an action-plan item done (ASB-8).
func (s Service) CompleteAction(ctx context.Context, cmd CompleteAction) (Record, error) {
	return s.act(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) {
		return c.CompleteAction(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// LogContact records a contact in the case's contacts log.
func (s Service) LogContact(ctx context.Context, cmd LogContact) (Record, error) {
	return s.act(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) { return c.LogContact(cmd.Input, cmd.By.Actor(), cmd.At) })
}

// Close ends the case with its outcome and, when the officer took them by phone, the reporter's satisfaction
// answers (ASB-9); each named reporter (the first and those joined) is told the outcome with a link to the
// satisfaction survey on their check-progress page, unless they answered already.
func (s Service) Close(ctx context.Context, cmd Close) (Record, error) {
	return s.actTelling(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) { return c.Close(cmd.Input, cmd.By.Actor(), cmd.At) },
		func(c asb.Case, _ casefile.Event) telling {
			return telling{template: notification.ASBCaseClosed, suffix: "closed#" + strconv.Itoa(c.ReopenedCount),
				extra: map[string]string{"outcome": c.Outcome}, survey: true}
		})
}

// Reopen puts a closed case back in progress (ASB-9).
func (s Service) Reopen(ctx context.Context, cmd Reopen) (Record, error) {
	return s.act(ctx, cmd.Ref, cmd.By, cmd.At, func(c *asb.Case) (casefile.Event, error) { return c.Reopen(cmd.Input, cmd.By.Actor(), cmd.At) })
}

// act runs one officer's transition through the pipeline: ASB officers and managers only; no messages.
func (s Service) act(ctx context.Context, ref string, by casework.Staff, at time.Time, apply func(*asb.Case) (casefile.Event, error)) (Record, error) {
	saved, err := s.pipeline().Act(ctx, ref, by, staff, apply)
	if err != nil {
		return Record{}, err
	}
	return recordOf(saved, at), nil
}

// MonthlyReport is an ASB manager asking for the ASB-9 report of one London month.
type MonthlyReport struct {
	By    casework.Staff
	Month string // YYYY-MM
}

// MonthlyReport is ASB-9 and NM01 for one month, from that month's cases only.
func (s Service) MonthlyReport(ctx context.Context, q MonthlyReport) (asb.MonthlyReport, error) {
	if err := q.By.Check(catalog.GroupASBManager); err != nil {
		return asb.MonthlyReport{}, err
	}
	from, to, err := asb.MonthBounds(q.Month)
	if err != nil {
		var f apperr.Fields
		f.Add("month", "must be a month in the form YYYY-MM")
		return asb.MonthlyReport{}, f.Err()
	}
	received, closed, err := s.Store.Month(ctx, from, to)
	if err != nil {
		return asb.MonthlyReport{}, err
	}
	further, err := s.Store.FurtherReports(ctx, from, to)
	if err != nil {
		return asb.MonthlyReport{}, err
	}
	report := asb.Monthly(q.Month, received, closed, s.Homes)
	report.AddFurtherReports(further)
	requested, err := s.Store.CountDated(ctx, DatedCaseReviews, from, to)
	if err != nil {
		return asb.MonthlyReport{}, err
	}
	outcomes := map[string]int{}
	for _, o := range asb.ReviewOutcomes {
		if outcomes[o], err = s.Store.CountDated(ctx, DatedReviewOutcome(o), from, to); err != nil {
			return asb.MonthlyReport{}, err
		}
	}
	report.AddCaseReviews(requested, outcomes)
	return report, nil
}
