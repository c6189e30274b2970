package register

import (
	"fmt"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Statutory review outcomes of a refused direct offer (HR-EM, source 001).
const (
	StatutoryPending    = "pending"
	StatutorySuitable   = "suitable"   // the refusal stands (and counts towards HR-R as a refused reasonable offer)
	StatutoryUnsuitable = "unsuitable" // a further direct offer within 7 days of the outcome; the refusal does not count
)

// FurtherDirectOfferDays: after a statutory review finds a direct offer unsuitable, a further direct offer of
// suitable alternative accommodation is made "within 7 days of the outcome" (source 001: calendar days).
const FurtherDirectOfferDays = 7

// StatutoryReview is whether the applicant who refused a direct offer asked for a statutory review (source 001:
// "the right to refuse this offer will be subject to a statutory review") and, once known, its outcome and date.
type StatutoryReview struct {
	Requested bool   `json:"requested" dynamodbav:"requested"`
	Outcome   string `json:"outcome,omitempty" dynamodbav:"outcome,omitempty" validate:"omitempty,oneof=pending suitable unsuitable"`
	DecidedOn string `json:"decidedOn,omitempty" dynamodbav:"decidedOn,omitempty"`
	Note      string `json:"note,omitempty" dynamodbav:"note,omitempty" validate:"omitempty,max=2000"`
}

// Offer is an offer of a property made to the applicant and whether it was refused (POST .../offers, HR-R).
// Reasonable says whether the offer was a reasonable one; nil means reasonable. Only refused reasonable offers
// count towards HR-R's 3 refusals in 12 months. Direct marks the direct offer made at the end of the Emergency
// period (HR-EM); the refusal of a direct offer says whether a statutory review was requested and its outcome.
type Offer struct {
	OfferedOn       string           `json:"offeredOn" validate:"required,date"`
	Property        string           `json:"property" validate:"required,max=200"`
	Direct          bool             `json:"direct,omitempty"`
	Refused         bool             `json:"refused"`
	RefusedOn       string           `json:"refusedOn,omitempty"` // defaults to OfferedOn when refused
	Reasonable      *bool            `json:"reasonable,omitempty"`
	StatutoryReview *StatutoryReview `json:"statutoryReview,omitempty"`
}

// Validate lists every problem with an offer as of today: offeredOn a real date not in the future, a property,
// and for a refusal a refusedOn on or after the offer and not in the future. refusedOn and reasonable describe a
// refusal, so they are refused on an offer that was not refused (an officer who forgot "refused" would otherwise
// lose the refusal without a word). A refused direct offer needs statutoryReview; any other offer must leave it
// out.
func (o Offer) Validate(today workdays.Date) error {
	f := validate.Struct(o)
	offered, offeredOK := pastDate(&f, "offeredOn", o.OfferedOn, today)
	switch {
	case o.Refused && o.RefusedOn != "": // a refusal on the day of the offer needs no refusedOn: offeredOn's problems are its own
		if d, err := workdays.ParseDate(o.RefusedOn); err != nil {
			f.Add("refusedOn", msgRealDate)
		} else if d.After(today) || (offeredOK && d.Before(offered)) {
			f.Add("refusedOn", "must be on or after the offer and not in the future")
		}
	case !o.Refused:
		if o.RefusedOn != "" {
			f.Add("refusedOn", "must be left out unless refused is true")
		}
		if o.Reasonable != nil {
			f.Add("reasonable", "must be left out unless refused is true")
		}
	}
	switch {
	case o.Direct && o.Refused && o.StatutoryReview == nil:
		f.Add("statutoryReview", "is required when a direct offer is refused: say whether a statutory review was requested (HR-EM)")
	case !(o.Direct && o.Refused) && o.StatutoryReview != nil:
		f.Add("statutoryReview", "must be left out unless a direct offer was refused")
	case o.StatutoryReview != nil:
		refused, _ := workdays.ParseDate(o.refusedOn())
		statutoryReviewProblems(&f, "statutoryReview.", *o.StatutoryReview, refused, today)
	}
	return f.Err()
}

// statutoryReviewProblems: an outcome only for a requested review; a decided outcome has its date, on or after
// the refusal and not in the future.
func statutoryReviewProblems(f *apperr.Fields, prefix string, s StatutoryReview, refused, today workdays.Date) {
	if !s.Requested && s.Outcome != "" {
		f.Add(prefix+"outcome", "must be left out unless a review was requested")
	}
	decided := s.Outcome == StatutorySuitable || s.Outcome == StatutoryUnsuitable
	switch {
	case decided && s.DecidedOn == "":
		f.Add(prefix+"decidedOn", "is required with the outcome %s", s.Outcome)
	case !decided && s.DecidedOn != "":
		f.Add(prefix+"decidedOn", "must be left out until the review is decided (suitable or unsuitable)")
	case decided:
		if d, problem := plausibleDate(s.DecidedOn); problem != "" {
			f.Add(prefix+"decidedOn", "%s", problem)
		} else if d.After(today) || (!refused.IsZero() && d.Before(refused)) {
			f.Add(prefix+"decidedOn", "must be on or after the refusal and not in the future")
		}
	}
}

// refusedOn is the day of the refusal ("" when the offer was not refused).
func (o Offer) refusedOn() string {
	switch {
	case !o.Refused:
		return ""
	case o.RefusedOn == "":
		return o.OfferedOn
	default:
		return o.RefusedOn
	}
}

// reasonable: an offer is reasonable unless the officer says it was not.
func (o Offer) reasonable() bool { return o.Reasonable == nil || *o.Reasonable }

// CanOffer says whether an offer made on a day may be recorded, as of today: refused (409, citing the rule) when
// the application is not on the active register (its band does not rest on decided facts, or it is closed), while
// an HR-U rule applies, or when the medical award was over 12 months old on the day of the offer and has not
// been reviewed (HR-M).
func (r Record) CanOffer(offeredOn, today workdays.Date) error {
	if err := r.open(); err != nil {
		return err
	}
	d := r.current(today)
	switch {
	case d.Status == StatusAwaitingVerification:
		return apperr.Rule(apperr.Conflict, "HR-E2", "No offer can be made while the application is awaiting verification: no housing need has been confirmed, so it is not on the active register; the council must first check or decide what is outstanding")
	case d.Status == StatusNotQualifying:
		return apperr.Rule(apperr.Conflict, "HR-E2", "No offer can be made: the applicant has no housing need and is not on the register")
	case d.Status == StatusIneligible:
		return apperr.Rule(apperr.Conflict, "HR-E1", "No offer can be made: the applicant is not eligible for the register")
	case !d.Active():
		return apperr.Rule(apperr.Conflict, "HR-D", "No offer can be made: the application is not on the active register")
	case !d.Offerable:
		var why []string
		for _, reason := range d.Reasons {
			if reason.Rule == "HR-U" && strings.HasPrefix(reason.Text, "No offer") {
				why = append(why, reason.Text)
			}
		}
		return apperr.Rule(apperr.Conflict, "HR-U", "No offer can be made while unacceptable behaviour applies: %s", strings.Join(why, " "))
	case d.MedicalReviewDue != nil && offeredOn.After(*d.MedicalReviewDue):
		return apperr.Rule(apperr.Conflict, "HR-M", "The medical assessment was over 12 months old on %s (its review was due %s): record the reviewed award before any offer", offeredOn, *d.MedicalReviewDue)
	}
	return nil
}

// RecordOffer records an offer and any refusal (HR-R): a refused reasonable offer counts towards the 3 refusals in
// 12 months that reduce priority; an unreasonable one, or a direct offer a statutory review found unsuitable, is
// recorded but does not count. It is refused (409) when CanOffer refuses the offer. A direct offer closes the
// Emergency period's deadline (HR-EM).
func (r *Record) RecordOffer(in Offer, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := in.Validate(today); err != nil {
		return casefile.Event{}, err
	}
	offered, _ := workdays.ParseDate(in.OfferedOn)
	if err := r.CanOffer(offered, today); err != nil {
		return casefile.Event{}, err
	}
	rec := OfferRecord{Number: len(r.Council.Offers) + 1, OfferedOn: in.OfferedOn, Property: strings.TrimSpace(in.Property), Direct: in.Direct,
		Refused: in.Refused, RefusedOn: in.refusedOn(), Reasonable: in.reasonable()}
	if s := in.StatutoryReview; s != nil {
		review := *s
		if review.Requested && review.Outcome == "" {
			review.Outcome = StatutoryPending
		}
		review.Note = strings.TrimSpace(review.Note)
		rec.StatutoryReview = &review
	}
	// a new slice: a copy of the record taken before the change (e.g. the loaded one) must not change with it
	r.Council.Offers = append(append([]OfferRecord(nil), r.Council.Offers...), rec)
	rule := "HR-R"
	if in.Direct {
		rule = "HR-EM"
	}
	what := map[string]any{"number": rec.Number, "offeredOn": rec.OfferedOn, "property": rec.Property, "direct": rec.Direct, "refused": rec.Refused,
		"refusedOn": rec.RefusedOn, "reasonable": rec.Reasonable, "countsTowardsRefusals": rec.countsAsRefusal(), "rule": rule}
	if rec.StatutoryReview != nil {
		what["statutoryReview"] = *rec.StatutoryReview
	}
	return r.reassess(today, by, at, "offer-recorded", what), nil
}

// StatutoryReviewOutcome records, for a refused direct offer (by its number), that a statutory review was
// requested or decided (POST .../offers/{number}/statutory-review): pending, suitable (the refusal stands) or
// unsuitable (a further direct offer within 7 days of the outcome), with the date of a decided outcome and a
// note.
type StatutoryReviewOutcome struct {
	Offer     int    `json:"offer" validate:"required,gte=1"`
	Outcome   string `json:"outcome" validate:"required,oneof=pending suitable unsuitable"`
	DecidedOn string `json:"decidedOn,omitempty"`
	Note      string `json:"note" validate:"required,max=2000"`
}

// RecordStatutoryReview records a statutory review of a refused direct offer (HR-EM). Refused (409) when the
// offer is not a refused direct offer or its review is already decided.
func (r *Record) RecordStatutoryReview(in StatutoryReviewOutcome, by casefile.Actor, at time.Time) (casefile.Event, error) {
	today := workdays.DateOf(at)
	if err := r.open(); err != nil {
		return casefile.Event{}, err
	}
	f := validate.Struct(in)
	var offer OfferRecord
	if in.Offer >= 1 && in.Offer <= len(r.Council.Offers) {
		offer = r.Council.Offers[in.Offer-1]
	} else if in.Offer >= 1 {
		f.Add("offer", "there is no offer %d: the application has %d", in.Offer, len(r.Council.Offers))
	}
	refused, _ := workdays.ParseDate(offer.RefusedOn)
	statutoryReviewProblems(&f, "", StatutoryReview{Requested: true, Outcome: in.Outcome, DecidedOn: in.DecidedOn}, refused, today)
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	switch {
	case !offer.Direct || !offer.Refused:
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "HR-EM", "Offer %d is not a refused direct offer: only the refusal of a direct offer is subject to a statutory review", in.Offer)
	case offer.StatutoryReview != nil && (offer.StatutoryReview.Outcome == StatutorySuitable || offer.StatutoryReview.Outcome == StatutoryUnsuitable):
		return casefile.Event{}, apperr.Rule(apperr.Conflict, "HR-EM", "The statutory review of offer %d was already decided (%s on %s)", in.Offer, offer.StatutoryReview.Outcome, offer.StatutoryReview.DecidedOn)
	}
	offer.StatutoryReview = &StatutoryReview{Requested: true, Outcome: in.Outcome, DecidedOn: in.DecidedOn, Note: strings.TrimSpace(in.Note)}
	offers := append([]OfferRecord(nil), r.Council.Offers...)
	offers[in.Offer-1] = offer
	r.Council.Offers = offers
	what := map[string]any{"offer": in.Offer, "outcome": in.Outcome, "note": offer.StatutoryReview.Note, "countsTowardsRefusals": offer.countsAsRefusal(), "rule": "HR-EM"}
	if in.DecidedOn != "" {
		what["decidedOn"] = in.DecidedOn
	}
	if in.Outcome == StatutoryUnsuitable {
		decided, _ := workdays.ParseDate(in.DecidedOn)
		what["furtherDirectOfferBy"] = decided.AddDays(FurtherDirectOfferDays).String()
	}
	return r.reassess(today, by, at, "statutory-review-recorded", what), nil
}

// furtherDirectOfferDue is when a further direct offer is due after a statutory review found a refused direct
// offer unsuitable (HR-EM, source 001: within 7 days of the outcome), unless a direct offer has been made since.
func furtherDirectOfferDue(c Council) (workdays.Date, int, bool) {
	for i := len(c.Offers) - 1; i >= 0; i-- {
		o := c.Offers[i]
		if !o.Direct || o.StatutoryReview == nil || o.StatutoryReview.Outcome != StatutoryUnsuitable {
			continue
		}
		decided, err := workdays.ParseDate(o.StatutoryReview.DecidedOn)
		if err != nil {
			return workdays.Date{}, 0, false
		}
		for _, later := range c.Offers[i+1:] {
			if later.Direct {
				return workdays.Date{}, 0, false
			}
		}
		return decided.AddDays(FurtherDirectOfferDays), o.Number, true
	}
	return workdays.Date{}, 0, false
}

// describeOffer names an offer in a label.
func describeOffer(n int) string { return fmt.Sprintf("offer %d", n) }
