package register

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// HR-R: an offer needs its date (real, not in the future) and the property; a refusal is on or after the offer
// and not in the future. Every problem is listed and the record is left as it was.
func TestHRR_OfferValidation(t *testing.T) {
	const (
		offerRequired   = "offeredOn: is required"
		offerRealDate   = "offeredOn: must be a real date in the form YYYY-MM-DD"
		offerFuture     = "offeredOn: cannot be in the future"
		propRequired    = "property: is required"
		propSpaces      = "property: is required"
		propTooLong     = "property: must have at most 200 characters or items"
		refusalOrder    = "refusedOn: must be on or after the offer and not in the future"
		refusalRealDate = "refusedOn: must be a real date in the form YYYY-MM-DD"
		refusalLeftOut  = "refusedOn: must be left out unless refused is true"
		reasonableOut   = "reasonable: must be left out unless refused is true"
	)
	const flat = "Flat 2, 1 Elm Road"
	cases := []struct {
		name string
		in   Offer
		want []string
	}{
		{"nothing given", Offer{}, []string{offerRequired, propRequired}},
		{"impossible offer date", Offer{OfferedOn: "2026-02-29", Property: flat}, []string{offerRealDate}},
		{"offered tomorrow", Offer{OfferedOn: "2026-11-24", Property: flat}, []string{offerFuture}},
		{"property only spaces", Offer{OfferedOn: "2026-11-20", Property: " \t "}, []string{propSpaces}},
		{"property over 200 characters", Offer{OfferedOn: "2026-11-20", Property: strings.Repeat("a", 201)}, []string{propTooLong}},
		{"refused the day before the offer", Offer{OfferedOn: "2026-11-10", Property: flat, Refused: true, RefusedOn: "2026-11-09"}, []string{refusalOrder}},
		{"refused tomorrow", Offer{OfferedOn: "2026-11-10", Property: flat, Refused: true, RefusedOn: "2026-11-24"}, []string{refusalOrder}},
		{"refusal date not a date", Offer{OfferedOn: "2026-11-10", Property: flat, Refused: true, RefusedOn: "23/11/2026"}, []string{refusalRealDate}},
		{"a refusal date on an offer not refused", Offer{OfferedOn: "2026-11-10", Property: flat, RefusedOn: "2026-11-12"}, []string{refusalLeftOut}},
		{"reasonable on an offer not refused", Offer{OfferedOn: "2026-11-10", Property: flat, Reasonable: no()}, []string{reasonableOut}},
		{"a same-day refusal of an impossible offer is reported once", Offer{OfferedOn: "2026-02-30", Property: flat, Refused: true}, []string{offerRealDate}},
		{"every problem at once", Offer{OfferedOn: "2026-13-01", Property: "   ", Refused: true, RefusedOn: "2026-11-24"},
			[]string{offerRealDate, propSpaces, refusalOrder}},
		{"every problem at once, not refused", Offer{OfferedOn: "2027-01-01", RefusedOn: "x", Reasonable: yes()},
			[]string{offerFuture, propRequired, refusalLeftOut, reasonableOut}},
	}
	for _, c := range cases {
		r := decidedRecord(base("mappa"), Council{})
		before := r
		ev, err := r.RecordOffer(c.in, officer, now)
		sameProblems(t, c.name, err, c.want...)
		if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
			t.Errorf("%s: a refused change changed the record or made an event", c.name)
		}
	}
	for _, ok := range []Offer{
		{OfferedOn: "2026-11-23", Property: strings.Repeat("é", 200)}, // 200 characters, 400 bytes
		{OfferedOn: "2026-11-20", Property: flat, Refused: true, RefusedOn: "2026-11-20"},
		{OfferedOn: "2026-11-20", Property: flat, Refused: true, RefusedOn: "2026-11-23", Reasonable: no()},
	} {
		r := decidedRecord(base("mappa"), Council{})
		if _, err := r.RecordOffer(ok, officer, now); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
}

// WD-4: "today" is the London day of the change, so at 23:30 UTC on 30 June (00:30 on 1 July in London) an offer
// of 1 July is not in the future, and half an hour earlier it is.
func TestHRR_OfferDatesAreLondonDays(t *testing.T) {
	in := Offer{OfferedOn: "2026-07-01", Property: "Flat 2, 1 Elm Road"}
	r := decidedRecord(base("mappa"), Council{})
	_, err := r.RecordOffer(in, officer, time.Date(2026, 6, 30, 22, 59, 0, 0, time.UTC))
	sameProblems(t, "23:59 on 30 June in London", err, "offeredOn: cannot be in the future")
	if _, err := r.RecordOffer(in, officer, time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)); err != nil {
		t.Errorf("00:30 on 1 July in London: %v", err)
	}
}

// HR-R: only refusals of reasonable offers count towards the 3 in 12 months; reasonable unless the officer says
// otherwise; the refusal is on the day of the offer unless another day is given.
func TestHRR_OfferRefusals(t *testing.T) {
	cases := []struct {
		name       string
		in         Offer
		refused    []string
		refusedOn  string
		reasonable bool
	}{
		{"accepted offer", Offer{OfferedOn: "2026-11-20", Property: " Flat 2, 1 Elm Road "}, []string{"2026-06-01"}, "", true},
		{"refused, reasonable when not said, on the day of the offer", Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road", Refused: true},
			[]string{"2026-06-01", "2026-11-20"}, "2026-11-20", true},
		{"refused later, reasonable", Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road", Refused: true, RefusedOn: "2026-11-22", Reasonable: yes()},
			[]string{"2026-06-01", "2026-11-22"}, "2026-11-22", true},
		{"refused, not a reasonable offer: recorded, not counted", Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road", Refused: true, Reasonable: no()},
			[]string{"2026-06-01"}, "2026-11-20", false},
	}
	for _, c := range cases {
		r := decidedRecord(base("mappa"), Council{Offers: refusals("2026-06-01")})
		ev, err := r.RecordOffer(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := r.Council.refusalDates(); !reflect.DeepEqual(got, c.refused) || len(r.Council.Offers) != 2 || r.Council.Offers[1].Number != 2 {
			t.Errorf("%s: refusals %v, want %v; offers %+v", c.name, got, c.refused, r.Council.Offers)
		}
		counts := len(c.refused) == 2
		want := map[string]any{"offeredOn": "2026-11-20", "property": "Flat 2, 1 Elm Road", "refused": c.in.Refused, "refusedOn": c.refusedOn,
			"reasonable": c.reasonable, "countsTowardsRefusals": counts, "rule": "HR-R", "number": 2, "direct": false}
		for k, v := range want {
			if ev.Details[k] != v {
				t.Errorf("%s: details[%s] = %v, want %v", c.name, k, ev.Details[k], v)
			}
		}
		wantChange(t, c.name, ev, r, BandA, BandA, 0, 0)
	}
}

// HR-R: the third refusal of a reasonable offer within 12 months reduces priority; a refusal exactly 12 months
// ago no longer counts; an unreasonable offer's refusal never does.
func TestHRR_ThirdReasonableRefusalReducesPriority(t *testing.T) {
	const threeRefusals = "You refused 3 reasonable offers in the 12 months to 2026-11-23: reduced priority (HR-R). | " +
		"Your housing need would place you in Band A, but reduced priority applies, so you rank below Band B (HR-R)."
	cases := []struct {
		name       string
		reasonable *bool
		band       string
		reason     string
	}{
		{"third reasonable refusal", nil, BandReduced, threeRefusals},
		{"third refusal marked reasonable", yes(), BandReduced, threeRefusals},
		{"third refusal, of an unreasonable offer", no(), BandA, ""},
	}
	for _, c := range cases {
		// the first is exactly 12 months ago
		r := decidedRecordAt(base("mappa"), Council{Offers: refusals("2025-11-23", "2026-01-10", "2026-06-01")}, now)
		ev, err := r.RecordOffer(Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road", Refused: true, Reasonable: c.reasonable}, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, BandA, c.band, 0, 0)
		if got := reasonText(r.Decision, "HR-R"); got != c.reason {
			t.Errorf("%s: HR-R reasons %q, want %q", c.name, got, c.reason)
		}
		if r.Decision.NeedBand != BandA || ev.Details["newOfferable"] != true {
			t.Errorf("%s: need band %q, offerable %v", c.name, r.Decision.NeedBand, ev.Details["newOfferable"])
		}
	}
}

// A change works on its own copy of the refusals: the record as loaded (which the store compares and the
// handler may still show) does not change with it, even when the slice has room to grow.
func TestHRR_OfferLeavesTheLoadedRecordAlone(t *testing.T) {
	c := Council{Offers: make([]OfferRecord, 1, 4)}
	c.Offers[0] = refusals("2026-06-01")[0]
	loaded := decidedRecord(base("mappa"), c)
	changed := loaded
	if _, err := changed.RecordOffer(Offer{OfferedOn: "2026-11-20", Property: "Flat 2", Refused: true}, officer, now); err != nil {
		t.Fatal(err)
	}
	if got := loaded.Council.Offers[:2]; got[1].Number != 0 || len(loaded.Council.Offers) != 1 {
		t.Errorf("the loaded record's offers changed: %+v", got)
	}
	if !reflect.DeepEqual(changed.Council.refusalDates(), []string{"2026-06-01", "2026-11-20"}) {
		t.Errorf("changed: %v", changed.Council.refusalDates())
	}
}

// HR-R: AsOf re-decides for another day without changing the stored record; refusals older than 12 months stop
// counting.
func TestHRR_AsOfRedecidesWithoutChangingTheRecord(t *testing.T) {
	a := base("mappa")
	r := decidedRecordAt(a, Council{Offers: refusals("2026-01-10", "2026-06-01", "2026-11-20")}, now)
	stored := r
	if r.Decision.BandName() != BandReduced {
		t.Fatalf("three refusals in 12 months: %s", r.Decision.BandName())
	}
	if same := r.AsOf(today); !reflect.DeepEqual(same, r) {
		t.Errorf("as of the day it was decided, nothing changes: %+v", same.Decision)
	}
	later := r.AsOf(date("2027-01-11")) // 10 January 2026 is now more than 12 months ago
	if later.Decision.BandName() != BandA || later.Decision.Reasons.Has("HR-R") || later.Reference != "HR-TEST-1" || !reflect.DeepEqual(later.Application, a) {
		t.Errorf("as of 11 January 2027: %s %v", later.Decision.BandName(), later.Decision.Reasons)
	}
	if !reflect.DeepEqual(r, stored) {
		t.Error("AsOf changed the stored record")
	}
}

// wantConflict checks a 409 citing the rule, and that the refused change left the record as it was.
func wantConflict(t *testing.T, name string, err error, rule string, r, before Record, ev casefile.Event) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Conflict || e.Rule != rule {
		t.Errorf("%s: got %v, want a conflict citing %s", name, err, rule)
	}
	if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
		t.Errorf("%s: a refused change changed the record or made an event", name)
	}
}

var anOffer = Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road"}

// HR-E2: an offer is refused (409) unless the application is on the active register, its band resting on decided
// facts: a public application claiming council decisions is awaiting verification until an officer decides.
func TestHRE2_NoOfferUntilTheApplicationIsActive(t *testing.T) {
	claims := base("homeless-priority-need")
	claims.SeekingWork = true
	closed := decidedRecord(base("mappa"), Council{Closure: &Closure{Reason: ClosedHoused, Rule: "HR-D", Property: "Flat 1", ClosedOn: today}})
	cases := []struct {
		name   string
		record Record
		rule   string
	}{
		{"awaiting verification", recordOf(claims), "HR-E2"},
		{"not qualifying", recordOf(base()), "HR-E2"},
		{"ineligible", func() Record { a := base("mappa"); a.Age, a.EligibleImmigrationStatus = 40, false; return recordOf(a) }(), "HR-E1"},
		{"closed", closed, "HR-D"},
	}
	for _, c := range cases {
		r := c.record
		before := r
		ev, err := r.RecordOffer(anOffer, officer, now)
		wantConflict(t, c.name, err, c.rule, r, before, ev)
	}
	r := recordOf(claims)
	_, err := r.RecordCouncilDecision(CouncilDecision{Decision: codeHomeless, Applies: yes(), DecidedOn: "2026-11-20", Note: "Accepted"}, officer, now)
	if err != nil || !r.Decision.Active() || !r.Decision.Offerable {
		t.Fatalf("decided: %v %+v", err, r.Decision)
	}
	if _, err := r.RecordOffer(anOffer, officer, now); err != nil {
		t.Errorf("once active: %v", err)
	}
}

// HR-U: an offer is refused (409) while unacceptable behaviour applies, including housing debt the council has
// not confirmed or that is 2 weeks' rent or more; HR-U1 lifts the debt rules.
func TestHRU_NoOfferWhileUnacceptableBehaviourApplies(t *testing.T) {
	debt := base("mappa")
	debt.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}
	unconfirmed := decidedRecord(debt, Council{})
	unconfirmed.Council.HousingDebt = nil
	unconfirmed.Decision = Assess(unconfirmed.Application, unconfirmed.Council, today, nil)
	cases := []struct {
		name   string
		record Record
		says   string
	}{
		{"nuisance", decidedRecord(base("mappa"), Council{UnacceptableBehaviour: findings("nuisance")}), "nuisance or annoyance"},
		{"3 weeks' arrears", decidedRecord(debt, Council{}), "2 weeks' rent (£200.00) or more"},
		{"declared debt not yet confirmed", unconfirmed, "until the council has confirmed the housing debt of £300.00"},
	}
	for _, c := range cases {
		r := c.record
		before := r
		ev, err := r.RecordOffer(anOffer, officer, now)
		wantConflict(t, c.name, err, "HR-U", r, before, ev)
		mustContain(t, c.name, err.Error(), c.says)
	}
	r := decidedRecord(debt, Council{DebtExceptions: findings("domestic-violence-victim")})
	if _, err := r.RecordOffer(anOffer, officer, now); err != nil {
		t.Errorf("HR-U1: an offer despite debt: %v", err)
	}
}

// HR-M: an offer is refused (409) when the medical award was over 12 months old on the day of the offer and has
// not been reviewed; the review is a new award with its new date.
func TestHRM_NoOfferOnAnUnreviewedAward(t *testing.T) {
	r := decidedRecord(base(), Council{MedicalAward: award("moderate", "2025-11-01")}) // review due 2026-11-01
	before := r
	ev, err := r.RecordOffer(anOffer, officer, now)
	wantConflict(t, "offered 19 days after the review was due", err, "HR-M", r, before, ev)
	mustContain(t, "message", err.Error(), "over 12 months old on 2026-11-20", "due 2026-11-01")
	if _, err := r.RecordOffer(Offer{OfferedOn: "2026-11-01", Property: "Flat 1"}, officer, now); err != nil {
		t.Errorf("an offer made on the day the review fell due: %v", err)
	}
	if _, err := r.RecordMedicalAward(MedicalAward{Severity: "moderate", Grounds: GroundsMedical, AssessedOn: "2026-11-21"}, officer, now); err != nil {
		t.Fatal(err)
	}
	if _, err := r.RecordOffer(Offer{OfferedOn: "2026-11-23", Property: "Flat 3"}, officer, now); err != nil {
		t.Errorf("after the review: %v", err)
	}
}

// HR-EM: at the end of the 6 weeks the officer must make a direct offer (a deadline); the refusal of a direct
// offer records whether a statutory review was requested and its outcome; a review that finds the offer
// unsuitable means a further direct offer within 7 days of the outcome, and the refusal does not count (HR-R).
func TestHREM_DirectOfferAndStatutoryReview(t *testing.T) {
	awarded := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	r := decidedRecordAt(base("homeless-priority-need"), Council{}, awarded)
	names := func(r Record) (out []string) {
		for _, d := range OpenDeadlines(r) {
			out = append(out, d.Name+" "+d.Due.String())
		}
		return out
	}
	if got := names(r); !reflect.DeepEqual(got, []string{"emergency-expiry 2027-01-04", "emergency-two-weeks-left 2026-12-21"}) {
		t.Fatalf("deadlines %v", got)
	}
	jan := func(day int) time.Time { return time.Date(2027, 1, day, 10, 0, 0, 0, time.UTC) }
	ev, err := r.RecordOffer(Offer{OfferedOn: "2027-01-05", Property: "Flat 9", Direct: true, Refused: true, RefusedOn: "2027-01-06",
		StatutoryReview: &StatutoryReview{Requested: true}}, officer, jan(6))
	if err != nil {
		t.Fatal(err)
	}
	review := ev.Details["statutoryReview"].(StatutoryReview)
	if ev.Details["rule"] != "HR-EM" || ev.Details["direct"] != true || review.Outcome != StatutoryPending || ev.Details["countsTowardsRefusals"] != true || names(r) != nil {
		t.Errorf("direct offer refused: %v, deadlines %v", ev.Details, names(r))
	}
	ev, err = r.RecordStatutoryReview(StatutoryReviewOutcome{Offer: 1, Outcome: StatutoryUnsuitable, DecidedOn: "2027-01-20", Note: "No lift to the 9th floor"}, officer, jan(21))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Details["furtherDirectOfferBy"] != "2027-01-27" || ev.Details["countsTowardsRefusals"] != false || len(r.Council.refusalDates()) != 0 ||
		!reflect.DeepEqual(names(r), []string{"further-direct-offer 2027-01-27"}) {
		t.Errorf("unsuitable: %v, deadlines %v", ev.Details, names(r))
	}
	before := r
	ev, err = r.RecordStatutoryReview(StatutoryReviewOutcome{Offer: 1, Outcome: StatutorySuitable, DecidedOn: "2027-01-21", Note: "again"}, officer, jan(21))
	wantConflict(t, "decided twice", err, "HR-EM", r, before, ev)
	if _, err := r.RecordOffer(Offer{OfferedOn: "2027-01-25", Property: "Flat 1, ground floor", Direct: true}, officer, jan(25)); err != nil || names(r) != nil {
		t.Errorf("the further direct offer closes the deadline: %v %v", err, names(r))
	}
	before = r
	ev, err = r.RecordStatutoryReview(StatutoryReviewOutcome{Offer: 2, Outcome: StatutoryPending, Note: "asked"}, officer, jan(25))
	wantConflict(t, "an accepted offer has no review", err, "HR-EM", r, before, ev)

	// a review that finds the offer suitable: the refusal stands and counts towards HR-R
	s := decidedRecordAt(base("homeless-priority-need"), Council{}, awarded)
	_, _ = s.RecordOffer(Offer{OfferedOn: "2027-01-05", Property: "Flat 9", Direct: true, Refused: true, StatutoryReview: &StatutoryReview{Requested: true}}, officer, jan(6))
	if _, err := s.RecordStatutoryReview(StatutoryReviewOutcome{Offer: 1, Outcome: StatutorySuitable, DecidedOn: "2027-01-15", Note: "Suitable"}, officer, jan(15)); err != nil ||
		!reflect.DeepEqual(s.Council.refusalDates(), []string{"2027-01-05"}) || names(s) != nil {
		t.Errorf("suitable: %v %v %v", err, s.Council.refusalDates(), names(s))
	}
}

func TestHREM_DirectOfferValidation(t *testing.T) {
	const flat = "Flat 9"
	cases := []struct {
		name string
		in   Offer
		want []string
	}{
		{"a refused direct offer says whether a review was requested", Offer{OfferedOn: "2026-11-20", Property: flat, Direct: true, Refused: true},
			[]string{"statutoryReview: is required when a direct offer is refused: say whether a statutory review was requested (HR-EM)"}},
		{"no review of an ordinary offer", Offer{OfferedOn: "2026-11-20", Property: flat, Refused: true, StatutoryReview: &StatutoryReview{}},
			[]string{"statutoryReview: must be left out unless a direct offer was refused"}},
		{"no review of an accepted direct offer", Offer{OfferedOn: "2026-11-20", Property: flat, Direct: true, StatutoryReview: &StatutoryReview{}},
			[]string{"statutoryReview: must be left out unless a direct offer was refused"}},
		{"an outcome of a review not requested", Offer{OfferedOn: "2026-11-20", Property: flat, Direct: true, Refused: true,
			StatutoryReview: &StatutoryReview{Outcome: "pending"}}, []string{"statutoryReview.outcome: must be left out unless a review was requested"}},
		{"a decided outcome needs its date", Offer{OfferedOn: "2026-11-20", Property: flat, Direct: true, Refused: true,
			StatutoryReview: &StatutoryReview{Requested: true, Outcome: "suitable"}}, []string{"statutoryReview.decidedOn: is required with the outcome suitable"}},
		{"decided before the refusal", Offer{OfferedOn: "2026-11-20", Property: flat, Direct: true, Refused: true,
			StatutoryReview: &StatutoryReview{Requested: true, Outcome: "unsuitable", DecidedOn: "2026-11-19"}},
			[]string{"statutoryReview.decidedOn: must be on or after the refusal and not in the future"}},
		{"an unknown outcome", Offer{OfferedOn: "2026-11-20", Property: flat, Direct: true, Refused: true,
			StatutoryReview: &StatutoryReview{Requested: true, Outcome: "maybe"}}, []string{"statutoryReview.outcome: must be one of: pending, suitable, unsuitable"}},
	}
	for _, c := range cases {
		r := decidedRecord(base("homeless-priority-need"), Council{})
		before := r
		ev, err := r.RecordOffer(c.in, officer, now)
		sameProblems(t, c.name, err, c.want...)
		if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
			t.Errorf("%s: a refused change changed the record or made an event", c.name)
		}
	}
	r := decidedRecord(base("homeless-priority-need"), Council{})
	_, err := r.RecordStatutoryReview(StatutoryReviewOutcome{Offer: 3, Outcome: StatutoryUnsuitable, Note: strings.Repeat("x", 2001)}, officer, now)
	sameProblems(t, "no such offer, no date, a long note", err, "offer: there is no offer 3: the application has 0",
		"decidedOn: is required with the outcome unsuitable", "note: must have at most 2000 characters or items")
}
