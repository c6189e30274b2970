// Package complaintcases is the complaints application service: one method per use case of the Housing
// Ombudsman's Complaint Handling Code (shared/rules/complaints), each run through the shared change pipeline
// (shared/app/casework). The JSON API, and the pages to come, are thin transports over it.
package complaintcases

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

// Stored is a complaint as stored.
type Stored = casework.Stored[complaints.Complaint, complaints.Contact]

// Store is what the service needs from storage (shared/adapters/dynamo implements it).
type Store interface {
	casework.Store[complaints.Complaint, complaints.Contact]
	// List pages through complaints newest first, optionally of one status.
	List(ctx context.Context, status string, limit int, token string) ([]complaints.Complaint, string, error)
	// InFinancialYear reads the facts of every complaint with an event in the financial year starting in April
	// of year (complaints.Complaint.ReportYears), whatever year it was received in (CH-10).
	InFinancialYear(ctx context.Context, year int) ([]complaints.Complaint, error)
	// SelfAssessment reads what was recorded for the financial year starting in April of year (nil when nothing
	// was), with its version for SaveSelfAssessment (CH-10, source 004 §8.1).
	SelfAssessment(ctx context.Context, year int) (*complaints.SelfAssessment, int, error)
	// SaveSelfAssessment writes it if it is still at readVersion (0: none yet); a conflict is a 409.
	SaveSelfAssessment(ctx context.Context, sa complaints.SelfAssessment, readVersion int) error
}

// Service runs the complaint use cases.
type Service struct {
	Store    Store
	Outbox   casework.Outbox
	Homes    int                 // homes managed, for CH01
	Landlord complaints.Landlord // how residents reach us, named in every letter (settings landlord.*)
}

func (s Service) pipeline() casework.Pipeline[complaints.Complaint, complaints.Contact] {
	return casework.Pipeline[complaints.Complaint, complaints.Contact]{Store: s.Store, Outbox: s.Outbox}
}

// Submit is a complaint from the public form.
type Submit struct {
	Form   complaints.Submission
	At     time.Time               // when it was received (CH-4 timescales run from it)
	Answer casework.AnswerRecorder // keeps the receipt with the complaint for a retried request
}

// Receipt is what the complainant is told.
type Receipt struct {
	Complaint   complaints.Complaint
	AccessToken string // shown once; stored only as a hash
}

// Submit validates the form, opens stage 1 (CH-4) and tells the complainant it was received.
func (s Service) Submit(ctx context.Context, cmd Submit) (Receipt, error) {
	c, ev, err := complaints.Submit(ids.NewReference("CMP"), cmd.Form, cmd.At)
	if err != nil {
		return Receipt{}, err
	}
	contact := complaints.Contact{Details: cmd.Form.Complainant, Representative: cmd.Form.Representative}
	msg, err := tell(c, &contact, notification.ComplaintReceived, "#received", map[string]string{"acknowledge_by": c.Stages[0].AcknowledgeBy.String(), "sign_in_path": notification.SignInPath(c.Reference)}, cmd.At)
	if err != nil {
		return Receipt{}, err
	}
	receipt := Receipt{Complaint: c, AccessToken: ids.NewAccessToken()}
	answer, err := cmd.Answer.Record(receipt)
	if err != nil {
		return Receipt{}, err
	}
	stored := Stored{Case: c, Contact: &contact, TokenHash: ids.HashToken(receipt.AccessToken)}
	return receipt, s.pipeline().Create(ctx, stored, casework.Writes{Events: []casefile.Event{ev}, Messages: msg, Answer: answer})
}

// Log is a complaint a member of staff took by phone, letter, email, in person, from a councillor or from a
// representative (source §3.1, §3.2), with the day it reached us.
type Log struct {
	Form   complaints.LoggedComplaint
	By     casework.Staff
	At     time.Time               // when it was logged; the timescales run from Form.ReceivedOn
	Answer casework.AnswerRecorder // keeps the answer with the complaint for a retried request
}

// Log opens stage 1 of a complaint made to a member of staff, timed from the day it was received (CH-4), and
// tells the complainant it was received. No access token is given: the complainant did not use the online form,
// and staff act for them (EscalateOnBehalf).
func (s Service) Log(ctx context.Context, cmd Log) (Record, error) {
	if err := cmd.By.Check(staff...); err != nil {
		return Record{}, err
	}
	c, ev, err := complaints.Log(ids.NewReference("CMP"), cmd.Form, cmd.By.Actor(), cmd.At)
	if err != nil {
		return Record{}, err
	}
	if about := c.AboutServiceRequest; about != "" { // source §1.5: a complaint about a service request, which goes on
		st, err := s.Store.Load(ctx, about)
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
			return Record{}, err
		}
		if err != nil || st.Case.Status != complaints.StatusServiceRequest {
			return Record{}, apperr.Rule(apperr.Unprocessable, "CH-1", "%s is not a service request we logged (aboutServiceRequest)", about)
		}
	}
	contact := complaints.Contact{Details: cmd.Form.Complainant, Representative: cmd.Form.Representative}
	msg, err := tell(c, &contact, notification.ComplaintReceived, "#received", map[string]string{"acknowledge_by": c.Stages[0].AcknowledgeBy.String(), "sign_in_path": notification.SignInPath(c.Reference)}, cmd.At)
	if err != nil {
		return Record{}, err
	}
	rec := Record{Stored: Stored{Case: c, Contact: &contact, Version: 1, Timeline: []casefile.Event{ev}}}
	answer, err := cmd.Answer.Record(rec)
	if err != nil {
		return Record{}, err
	}
	return rec, s.pipeline().Create(ctx, rec.Stored, casework.Writes{Events: []casefile.Event{ev}, Messages: msg, Answer: answer})
}

// ResidentRequest is the complainant acting with the access token they were given, or (Holds) signed in to the
// resident pages with a one-time code sent to their email address or phone (shared/app/residentaccess).
type ResidentRequest struct {
	Ref   string
	Token string
	At    time.Time
	// Holds, when set, stands in for Token: whether the complainant's contact details include the contact the
	// resident proved they hold.
	Holds func(complaints.Complainant) bool
}

// holds says whether the resident holds the complaint: by Holds when set, else by its access token.
func (q ResidentRequest) holds(s Stored) bool {
	if q.Holds != nil {
		return s.Contact != nil && q.Holds(s.Contact.Details)
	}
	return ids.TokenMatches(q.Token, s.TokenHash)
}

const what = "complaint"

// Status is the complainant's view of their complaint (a wrong token answers like an unknown reference).
func (s Service) Status(ctx context.Context, q ResidentRequest) (complaints.Complaint, error) {
	st, err := s.pipeline().ReadAsResident(ctx, q.Ref, q.Token, what)
	return st.Case, err
}

// Escalate moves the complaint to stage 2 at the complainant's request, no reasons asked (CH-5): through the JSON
// API with their access token, or from the resident pages signed in (ResidentRequest.Holds).
func (s Service) Escalate(ctx context.Context, cmd ResidentRequest) (complaints.Complaint, casefile.Event, error) {
	saved, out, err := s.pipeline().ChangeAsHolder(ctx, cmd.Ref, cmd.holds, what, func(c *complaints.Complaint, before Stored) (casework.Outcome, error) {
		ev, err := c.Escalate(cmd.At)
		if err != nil {
			return casework.Outcome{}, err
		}
		msg, err := tell(*c, before.Contact, notification.ComplaintEscalated, "#escalated", map[string]string{"acknowledge_by": c.Current().AcknowledgeBy.String()}, cmd.At)
		return casework.Outcome{Events: []casefile.Event{ev}, Messages: msg}, err
	})
	var ev casefile.Event
	if len(out.Events) > 0 {
		ev = out.Events[0]
	}
	return saved.Case, ev, err
}

// List is a page of complaints for staff.
type List struct {
	By     casework.Staff
	Status string
	Limit  int
	Token  string
}

// List pages through complaints, newest first.
func (s Service) List(ctx context.Context, q List) ([]complaints.Complaint, string, error) {
	if err := q.By.Check(staff...); err != nil {
		return nil, "", err
	}
	return s.Store.List(ctx, q.Status, q.Limit, q.Token)
}

var staff = []string{catalog.GroupComplaintsOfficer, catalog.GroupComplaintsManager}

// Record is the CH-9 record: the complaint, its contact details, its timeline and its open deadlines, and the
// letter the last change produced (if any).
type Record struct {
	Stored
	Letter *complaints.Letter
}

// Read is a member of staff opening a complaint.
type Read struct {
	Ref string
	By  casework.Staff
}

// Record reads a complaint's whole record.
func (s Service) Record(ctx context.Context, q Read) (Record, error) {
	if err := q.By.Check(staff...); err != nil {
		return Record{}, err
	}
	st, err := s.Store.Load(ctx, q.Ref)
	if err != nil {
		return Record{}, err
	}
	st, err = s.pipeline().WithHistory(ctx, st, q.Ref)
	return Record{Stored: st}, err
}

// History is a member of staff paging through a complaint's timeline (Input: the page's token, "" first).
type History = casework.Action[casework.PageRequest]

// History is a page of a complaint's timeline, newest first (CH-9).
func (s Service) History(ctx context.Context, q History) (casework.History, error) {
	return s.pipeline().History(ctx, q.Ref, q.Input, q.By, staff...)
}

// Staff actions: who, when, on which complaint, and the input of the Code's transition.
type (
	Acknowledge            = casework.Action[complaints.Acknowledgement]
	Extend                 = casework.Action[complaints.ExtensionRequest]
	Respond                = casework.Action[complaints.Response]
	Refuse                 = casework.Action[complaints.RefusalRequest]
	Reclassify             = casework.Action[complaints.ServiceRequestNote]
	AddRelatedPoints       = casework.Action[complaints.RelatedPoints]
	EscalateOnBehalf       = casework.Action[complaints.EscalationRequest]
	AskForClarification    = casework.Action[complaints.ClarificationRequest]
	AnswerClarification    = casework.Action[complaints.ClarificationAnswer]
	CompleteItem           = casework.Action[complaints.ItemCompletion] // Input.ID names the remedy or action
	CompleteServiceRequest = casework.Action[complaints.ServiceRequestDone]
	RecordAdjustments      = casework.Action[complaints.AdjustmentsInput]
	Restrict               = casework.Action[complaints.RestrictionInput]
	KeepInformed           = casework.Action[complaints.KeepInformedInput]
	RecordFormatSent       = casework.Action[complaints.FormatSentInput] // Input.Letter names the letter
)

// RecordFormatSent records that a letter went to the resident in the alternative format agreed, which ends its
// deadline (source 004 §5.10).
func (s Service) RecordFormatSent(ctx context.Context, cmd RecordFormatSent) (Record, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.RecordFormatSent(cmd.Input, cmd.By.Actor(), cmd.At)
		return nil, ev, err
	})
}

// RecordAdjustments records or reviews the reasonable adjustments and disclosed disabilities (source §5.10);
// letters must be able to go the way agreed to the resident's contact details.
func (s Service) RecordAdjustments(ctx context.Context, cmd RecordAdjustments) (Record, error) {
	var to complaints.Complainant
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.RecordAdjustments(cmd.Input, cmd.By.Actor(), cmd.At)
		if err == nil {
			err = cmd.Input.CheckDelivery(to)
		}
		return nil, ev, err
	}, func(st Stored) {
		if st.Contact != nil {
			to = st.Contact.Details
		}
	})
}

// KeepInformed records the intervals agreed with the resident for keeping them informed while the response is
// outside the Code's timescales, and any progress update, with a letter (source 004 §5.9). Stage 2 is a complaints
// manager's (CH-5).
func (s Service) KeepInformed(ctx context.Context, cmd KeepInformed) (Record, error) {
	cmd.Input.From = s.Landlord
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, true, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.KeepInformed(cmd.Input, cmd.By.Actor(), cmd.At)
		return &l, ev, err
	})
}

// Restrict sets, reviews or ends a restriction on contact for unacceptable behaviour: a complaints manager's
// decision (source §5.14, §5.15).
func (s Service) Restrict(ctx context.Context, cmd Restrict) (Record, error) {
	if err := cmd.By.Check(catalog.GroupComplaintsManager); err != nil {
		return Record{}, err
	}
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.Restrict(cmd.Input, cmd.By.Actor(), cmd.At)
		return nil, ev, err
	})
}

// Acknowledge acknowledges, defines and logs the current stage (CH-4, CH-5), with its letter (source §5.6, §5.7).
func (s Service) Acknowledge(ctx context.Context, cmd Acknowledge) (Record, error) {
	cmd.Input.From = s.Landlord
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, true, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.Acknowledge(cmd.Input, cmd.By.Actor(), cmd.At)
		return &l, ev, err
	})
}

// Extend extends the current stage once, longer than the Code's limit only with a good reason (CH-4, CH-5).
func (s Service) Extend(ctx context.Context, cmd Extend) (Record, error) {
	cmd.Input.From = s.Landlord
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, true, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.Extend(cmd.Input, cmd.By.Actor(), cmd.At)
		return &l, ev, err
	})
}

// Respond answers the current stage with its letter (CH-6), tracking its remedies and actions (CH-8).
func (s Service) Respond(ctx context.Context, cmd Respond) (Record, error) {
	cmd.Input.From = s.Landlord
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, true, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.Respond(cmd.Input, cmd.By.Actor(), cmd.At)
		return &l, ev, err
	})
}

// Refuse excludes the complaint on a CH-2 ground, with a letter.
func (s Service) Refuse(ctx context.Context, cmd Refuse) (Record, error) {
	cmd.Input.From = s.Landlord
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.Refuse(cmd.Input, cmd.By.Actor(), cmd.At)
		return &l, ev, err
	})
}

// EscalateOnBehalf moves the complaint to stage 2 at a request the resident made to a member of staff (CH-5,
// source §3.2), timed from the day it reached us; the resident is told as when they escalate online.
func (s Service) EscalateOnBehalf(ctx context.Context, cmd EscalateOnBehalf) (Record, error) {
	saved, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(staff...) },
		func(c *complaints.Complaint, before Stored) (casework.Outcome, error) {
			ev, err := c.EscalateOnBehalf(cmd.Input, cmd.By.Actor(), cmd.At)
			if err != nil {
				return casework.Outcome{}, err
			}
			msg, err := tell(*c, before.Contact, notification.ComplaintEscalated, "#escalated", map[string]string{"acknowledge_by": c.Current().AcknowledgeBy.String()}, cmd.At)
			return casework.Outcome{Events: []casefile.Event{ev}, Messages: msg}, err
		})
	return Record{Stored: saved}, err
}

// AskForClarification asks the resident, by letter, to clarify their complaint, recorded on the case (source §5.6).
func (s Service) AskForClarification(ctx context.Context, cmd AskForClarification) (Record, error) {
	cmd.Input.From = s.Landlord
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.AskForClarification(cmd.Input, cmd.By.Actor(), cmd.At)
		return &l, ev, err
	})
}

// AnswerClarification records the resident's answer to the oldest open question (CH-9).
func (s Service) AnswerClarification(ctx context.Context, cmd AnswerClarification) (Record, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.AnswerClarification(cmd.Input, cmd.By.Actor(), cmd.At)
		return nil, ev, err
	})
}

// CompleteItem records a remedy or action as done and tells the resident, with what is still open (CH-8).
func (s Service) CompleteItem(ctx context.Context, cmd CompleteItem) (Record, error) {
	cmd.Input.From = s.Landlord
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		l, ev, err := c.CompleteItem(cmd.Input, cmd.By.Actor(), cmd.At)
		return &l, ev, err
	})
}

// Reclassify records that the contact was a service request, not a complaint (CH-1).
func (s Service) Reclassify(ctx context.Context, cmd Reclassify) (Record, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.ReclassifyAsServiceRequest(cmd.Input, cmd.By.Actor(), cmd.At)
		return nil, ev, err
	})
}

// CompleteServiceRequest records that a service request was dealt with (CH-1, source §1.4).
func (s Service) CompleteServiceRequest(ctx context.Context, cmd CompleteServiceRequest) (Record, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.CompleteServiceRequest(cmd.Input, cmd.By.Actor(), cmd.At)
		return nil, ev, err
	})
}

// AddRelatedPoints joins new points to the stage 1 complaint before its response (CH-7).
func (s Service) AddRelatedPoints(ctx context.Context, cmd AddRelatedPoints) (Record, error) {
	return s.staffChange(ctx, cmd.Ref, cmd.By, cmd.At, false, func(c *complaints.Complaint) (*complaints.Letter, casefile.Event, error) {
		ev, err := c.AddRelatedPoints(cmd.Input, cmd.By.Actor(), cmd.At)
		return nil, ev, err
	})
}

// staffChange runs a staff action through the pipeline. Stage 2 acknowledgements, extensions and responses
// are for a complaints manager (CH-5); the letter a transition produces goes to the complainant. Each of loaded
// sees the stored record before apply runs.
func (s Service) staffChange(ctx context.Context, ref string, by casework.Staff, at time.Time, managerAtStage2 bool,
	apply func(*complaints.Complaint) (*complaints.Letter, casefile.Event, error), loaded ...func(Stored)) (Record, error) {
	var letter *complaints.Letter
	saved, _, err := s.pipeline().Change(ctx, ref, func(st Stored) error {
		for _, f := range loaded {
			f(st)
		}
		if err := by.Check(staff...); err != nil {
			return err
		}
		if managerAtStage2 && st.Case.Stage == 2 && !by.In(catalog.GroupComplaintsManager) {
			return apperr.Rule(apperr.Forbidden, "CH-5", "Stage 2 is handled by a complaints manager")
		}
		return nil
	}, func(c *complaints.Complaint, before Stored) (casework.Outcome, error) {
		l, ev, err := apply(c)
		if err != nil {
			return casework.Outcome{}, err
		}
		out := casework.Outcome{Events: []casefile.Event{ev}}
		if l != nil {
			letter = l
			out.Messages, err = tell(*c, before.Contact, notification.ComplaintLetter, "#letter-"+strconv.Itoa(len(c.Letters)),
				map[string]string{"subject": l.Subject, "letter": l.Text}, at)
		}
		return out, err
	})
	return Record{Stored: saved, Letter: letter}, err
}

// Report is a complaints manager asking for the CH-10 annual report.
type Report struct {
	By   casework.Staff
	Year int // the year the financial year starts (April Year to March Year+1)
}

// AnnualReport is CH-10 for one financial year.
func (s Service) AnnualReport(ctx context.Context, q Report) (complaints.AnnualReport, error) {
	if err := q.By.Check(catalog.GroupComplaintsManager); err != nil {
		return complaints.AnnualReport{}, err
	}
	if q.Year < 2000 || q.Year > 2100 {
		var f apperr.Fields
		f.Add("year", "must be the year the financial year starts, e.g. 2026 for April 2026 to March 2027")
		return complaints.AnnualReport{}, f.Err()
	}
	cs, err := s.Store.InFinancialYear(ctx, q.Year)
	if err != nil {
		return complaints.AnnualReport{}, err
	}
	sa, _, err := s.Store.SelfAssessment(ctx, q.Year)
	if err != nil {
		return complaints.AnnualReport{}, err
	}
	r := complaints.Annual(q.Year, cs, s.Homes)
	r.SelfAssessment = complaints.SectionOf(q.Year, sa) // the landlord's section (source 004 §8.1, §8.2)
	return r, nil
}

// RecordSelfAssessment is a complaints manager recording the landlord's section of a year's annual report.
type RecordSelfAssessment = casework.Action[complaints.SelfAssessmentInput]

// RecordSelfAssessment records (or records again, replacing) the year's self-assessment against the Code, the
// qualitative analysis, the Ombudsman's findings and reports and the governing body's response (CH-10, source 004
// §8.1, §8.2), and answers the report's section as it now reads.
func (s Service) RecordSelfAssessment(ctx context.Context, cmd RecordSelfAssessment) (complaints.SelfAssessmentSection, error) {
	return s.recordSelfAssessment(ctx, cmd, -1)
}

// SelfAssessmentAt is what was recorded for a financial year (nil when nothing was) and its version, for a form
// that records it again from what it shows (RecordSelfAssessmentOver).
func (s Service) SelfAssessmentAt(ctx context.Context, q Report) (*complaints.SelfAssessment, int, error) {
	if err := q.By.Check(catalog.GroupComplaintsManager); err != nil {
		return nil, 0, err
	}
	if q.Year < 2000 || q.Year > 2100 {
		var f apperr.Fields
		f.Add("financialYear", "must be the year the financial year starts, e.g. 2026 for April 2026 to March 2027")
		return nil, 0, f.Err()
	}
	return s.Store.SelfAssessment(ctx, q.Year)
}

// RecordSelfAssessmentOver is RecordSelfAssessment from a form that showed what was recorded at readVersion (0:
// nothing yet): a recording made since (another manager's) is a 409, never overwritten unseen.
func (s Service) RecordSelfAssessmentOver(ctx context.Context, cmd RecordSelfAssessment, readVersion int) (complaints.SelfAssessmentSection, error) {
	return s.recordSelfAssessment(ctx, cmd, readVersion)
}

// recordSelfAssessment records the year's self-assessment over what is stored, which must be at readVersion when
// that is not -1.
func (s Service) recordSelfAssessment(ctx context.Context, cmd RecordSelfAssessment, readVersion int) (complaints.SelfAssessmentSection, error) {
	if err := cmd.By.Check(catalog.GroupComplaintsManager); err != nil {
		return complaints.SelfAssessmentSection{}, err
	}
	var previous *complaints.SelfAssessment
	version := 0
	if y := cmd.Input.Year; y >= 2000 && y <= 2100 {
		var err error
		if previous, version, err = s.Store.SelfAssessment(ctx, y); err != nil {
			return complaints.SelfAssessmentSection{}, err
		}
	}
	if readVersion >= 0 && version != readVersion {
		return complaints.SelfAssessmentSection{}, apperr.New(apperr.Conflict,
			"The self-assessment for %d was recorded again since this form was opened: nothing was saved.", cmd.Input.Year)
	}
	sa, err := complaints.RecordSelfAssessment(cmd.Input, previous, cmd.By.Actor(), cmd.At)
	if err != nil {
		return complaints.SelfAssessmentSection{}, err
	}
	if err := s.Store.SaveSelfAssessment(ctx, sa, version); err != nil {
		return complaints.SelfAssessmentSection{}, err
	}
	return complaints.SectionOf(sa.Year, &sa), nil
}

// tell asks the notifier to tell the complainant something, and their representative too when there is one we
// can write to, by email or by post (source §3.6: both, unless the resident asked that only the representative be
// written to). The messages are stored with the change (outbox), so they are sent even if the queue is down at that
// moment. The resident's carry the agreed reasonable adjustments and are sent the way agreed: by the channel agreed,
// in the format agreed (which the notifier hands to staff; source §5.10). The representative's go their own way.
func tell(c complaints.Complaint, contact *complaints.Contact, template, idSuffix string, extra map[string]string, at time.Time) ([]casework.Message, error) {
	if contact == nil {
		return nil, nil
	}
	personal := map[string]string{"reference": c.Reference, "stage": strconv.Itoa(c.Stage), "status": c.Status}
	if a := c.Adjustments; a != nil && len(a.Agreed) > 0 {
		personal["adjustments"] = strings.Join(a.Agreed, "; ") // how the letter must be sent (source §5.10)
	}
	for k, v := range extra {
		personal[k] = v
	}
	type addressee struct {
		to     notification.Recipient
		suffix string
	}
	var to []addressee
	rep := contact.Representative
	if !rep.Reachable() || !rep.ResidentNotCopied {
		resident := notification.ToResident(contact.Details)
		if a := c.Adjustments; a != nil {
			resident = notification.ToResidentAdjusted(contact.Details, a.SendBy, a.Format)
		}
		to = append(to, addressee{resident, ""})
	}
	if rep.Reachable() {
		d := rep.Details()
		d.Language = contact.Language
		to = append(to, addressee{notification.ToResident(d), "#representative"})
	}
	var out []casework.Message
	for _, a := range to {
		req := notification.Request{ID: c.Reference + idSuffix + a.suffix, Template: template, CaseKind: casefile.Complaint, CaseRef: c.Reference,
			To: a.to, Personalisation: personal, RequestedAt: at.UTC()}
		msg, err := req.Message()
		if err != nil {
			return nil, err
		}
		out = append(out, msg)
	}
	return out, nil
}
