package register

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// officer makes every change below; now is 10:00 on today (GMT in November, so the London day is today).
var (
	officer  = casefile.Actor{ID: "0b6c1e52-officer-sub", Name: "Alex Officer"}
	now      = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	received = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) // Monday 2 November 2026
)

// recordOf is a stored record of a, received on 2 November 2026.
func recordOf(a Application) Record {
	r, _ := NewRecord("HR-TEST-1", a, received)
	return r
}

// problems lists an invalid error's fields as sorted "field: message" lines.
func problems(t *testing.T, err error) []string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		t.Fatalf("want an invalid error, got %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+": "+f.Message)
	}
	sort.Strings(out)
	return out
}

func sameProblems(t *testing.T, name string, err error, want ...string) {
	t.Helper()
	want = append([]string(nil), want...)
	sort.Strings(want)
	if got := problems(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("%s: problems\n got %q\nwant %q", name, got, want)
	}
}

// bandOf reads a band from event details (a *string, nil when there is none) as BandName does.
func bandOf(t *testing.T, v any) string {
	t.Helper()
	b, ok := v.(*string)
	if !ok {
		t.Fatalf("band detail is %T, want *string", v)
	}
	if b == nil {
		return ""
	}
	return *b
}

// wantChange checks the details every officer's change carries: the old and new band and stars, and the new
// decision's offerability and reasons.
func wantChange(t *testing.T, name string, ev casefile.Event, r Record, oldBand, newBand string, oldStars, newStars int) {
	t.Helper()
	d := ev.Details
	if got := bandOf(t, d["oldBand"]); got != oldBand {
		t.Errorf("%s: oldBand %q, want %q", name, got, oldBand)
	}
	if got := bandOf(t, d["newBand"]); got != newBand || r.Decision.BandName() != newBand {
		t.Errorf("%s: newBand %q (record %q), want %q", name, got, r.Decision.BandName(), newBand)
	}
	if d["oldStars"] != oldStars || d["newStars"] != newStars || r.Decision.Stars != newStars {
		t.Errorf("%s: stars %v -> %v (record %d), want %d -> %d", name, d["oldStars"], d["newStars"], r.Decision.Stars, oldStars, newStars)
	}
	if d["offerable"] != r.Decision.Offerable || !reflect.DeepEqual(d["reasons"], r.Decision.Reasons) {
		t.Errorf("%s: offerable %v, reasons %v; the record says %v, %v", name, d["offerable"], d["reasons"], r.Decision.Offerable, r.Decision.Reasons)
	}
}

// HR-D: the application is assessed as of the London day it arrived, and the timeline starts with the
// resident's application and the decision's reasons.
func TestHRD_NewRecordAssessesAndRecordsTheApplication(t *testing.T) {
	cases := []struct {
		name      string
		at        time.Time
		effective string
	}{
		{"a November morning", time.Date(2026, 11, 23, 9, 30, 0, 0, workdays.London), "2026-11-23"},
		{"23:30 UTC on 30 June is 1 July in London (WD-4)", time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), "2026-07-01"},
	}
	for _, c := range cases {
		a := base("sharing-facilities")
		r, ev := NewRecord("HR-ABC-123", a, c.at)
		if r.Reference != "HR-ABC-123" || !r.ReceivedAt.Equal(c.at) || r.ReceivedAt.Location() != time.UTC || !reflect.DeepEqual(r.Application, a) {
			t.Errorf("%s: record %+v", c.name, r)
		}
		if !reflect.DeepEqual(r.Decision, Assess(a, date(c.effective), nil)) || r.Decision.BandName() != BandB || dateString(r.Decision.EffectiveDate) != c.effective {
			t.Errorf("%s: decision %+v", c.name, r.Decision)
		}
		if !ev.At.Equal(c.at) || ev.At.Location() != time.UTC || ev.Actor != "resident" || ev.ActorID != "" || ev.Action != "applied" || ev.Rule != "HR-D" {
			t.Errorf("%s: event %+v", c.name, ev)
		}
		if len(ev.Details) != 4 || ev.Details["status"] != StatusRegistered || bandOf(t, ev.Details["band"]) != BandB || ev.Details["stars"] != 0 ||
			!reflect.DeepEqual(ev.Details["reasons"], r.Decision.Reasons) {
			t.Errorf("%s: details %v", c.name, ev.Details)
		}
	}
}

// HR-D: every officer's change is on the timeline with the officer's stable id and name, when it happened (UTC),
// what it was, its rule, and the new decision.
func TestHRD_EveryOfficerChangeRecordsTheOfficer(t *testing.T) {
	at := now.In(workdays.London)
	cases := []struct {
		action, rule string
		change       func(*Record) (casefile.Event, error)
	}{
		{"medical-award-recorded", "HR-M", func(r *Record) (casefile.Event, error) {
			return r.RecordMedicalAward(MedicalAward{Severity: "moderate", AssessedOn: "2026-11-01"}, officer, at)
		}},
		{"offer-recorded", "HR-R", func(r *Record) (casefile.Event, error) {
			return r.RecordOffer(Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road", Refused: true}, officer, at)
		}},
		{"debt-updated", "HR-U", func(r *Record) (casefile.Event, error) {
			return r.UpdateDebt(HousingDebt{Amount: pounds(50), WeeklyRent: pounds(100)}, officer, at)
		}},
		{"verification-recorded", "HR-S", func(r *Record) (casefile.Event, error) {
			return r.RecordVerification(Verification{SeekingWork: yes()}, officer, at)
		}},
	}
	for _, c := range cases {
		r := recordOf(base("mappa"))
		ev, err := c.change(&r)
		if err != nil {
			t.Fatalf("%s: %v", c.action, err)
		}
		if !ev.At.Equal(now) || ev.At.Location() != time.UTC || ev.ActorID != "0b6c1e52-officer-sub" || ev.Actor != "Alex Officer" ||
			ev.Action != c.action || ev.Rule != "HR-D" || ev.Details["rule"] != c.rule {
			t.Errorf("%s: event %+v", c.action, ev)
		}
		for _, key := range []string{"oldBand", "newBand", "oldStars", "newStars", "offerable", "reasons"} {
			if _, ok := ev.Details[key]; !ok {
				t.Errorf("%s: no %s in %v", c.action, key, ev.Details)
			}
		}
	}
}

// HR-M: a known severity, and for moderate and severe the assessment date, real and not in the future. Every
// problem is listed and the record is left as it was.
func TestHRM_MedicalAwardValidation(t *testing.T) {
	const (
		oneOf    = "severity: must be one of: none, moderate, severe"
		required = "assessedOn: is required when the severity is moderate or severe (HR-M: the award is reviewed once it is 12 months old)"
		realDate = "assessedOn: must be a real date in the form YYYY-MM-DD"
		future   = "assessedOn: cannot be in the future"
	)
	cases := []struct {
		name string
		in   MedicalAward
		want []string
	}{
		{"no severity, no date: both listed", MedicalAward{}, []string{oneOf, realDate}},
		{"unknown severity with a date", MedicalAward{Severity: "critical", AssessedOn: "2026-11-01"}, []string{oneOf}},
		{"unknown severity with an impossible date: both listed", MedicalAward{Severity: "extreme", AssessedOn: "2026-02-29"}, []string{oneOf, realDate}},
		{"severe without a date", MedicalAward{Severity: "severe"}, []string{required}},
		{"moderate without a date", MedicalAward{Severity: "moderate"}, []string{required}},
		{"impossible date", MedicalAward{Severity: "moderate", AssessedOn: "2026-02-29"}, []string{realDate}},
		{"not in the YYYY-MM-DD form", MedicalAward{Severity: "severe", AssessedOn: "23/11/2026"}, []string{realDate}},
		{"assessed tomorrow", MedicalAward{Severity: "severe", AssessedOn: "2026-11-24"}, []string{future}},
		{"none with a bad date", MedicalAward{Severity: "none", AssessedOn: "soon"}, []string{realDate}},
		// real dates, not in the future, but not plausible: a review "due" in year 2 (found by the hostile-input table)
		{"assessed in year 1", MedicalAward{Severity: "severe", AssessedOn: "0001-01-01"}, []string{"assessedOn: must be between 1900 and 2100"}},
		{"assessed in 1899", MedicalAward{Severity: "moderate", AssessedOn: "1899-12-31"}, []string{"assessedOn: must be between 1900 and 2100"}},
	}
	for _, c := range cases {
		r := recordOf(base("sharing-facilities"))
		before := r
		ev, err := r.RecordMedicalAward(c.in, officer, now)
		sameProblems(t, c.name, err, c.want...)
		if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
			t.Errorf("%s: a refused change changed the record or made an event", c.name)
		}
	}
	for _, ok := range []MedicalAward{{Severity: "none"}, {Severity: "severe", AssessedOn: "2026-11-23"}, {Severity: "moderate", AssessedOn: "2020-01-01"}} {
		r := recordOf(base("sharing-facilities"))
		if _, err := r.RecordMedicalAward(ok, officer, now); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
}

// HR-M: severe is Band A, moderate Band B, none takes the medical priority away; the award's review is due 12
// months after the assessment; the event shows the band and stars before and after.
func TestHRM_MedicalAwardReassesses(t *testing.T) {
	cases := []struct {
		name               string
		circumstances      []string
		prior              *MedicalAward
		in                 MedicalAward
		status             string
		oldBand, newBand   string
		oldStars, newStars int
		reviewDue          string
	}{
		{"severe moves Band B to Band A, with the medical star", []string{"sharing-facilities"}, nil,
			MedicalAward{Severity: "severe", AssessedOn: "2026-09-30"}, StatusRegistered, BandB, BandA, 0, 1, "2027-09-30"},
		{"moderate gives a place to an applicant with no other need", nil, nil,
			MedicalAward{Severity: "moderate", AssessedOn: "2026-11-23"}, StatusRegistered, "", BandB, 0, 1, "2027-11-23"},
		{"moderate on a Band A need keeps Band A and adds a star", []string{"mappa"}, nil,
			MedicalAward{Severity: "moderate", AssessedOn: "2026-11-01"}, StatusRegistered, BandA, BandA, 0, 1, "2027-11-01"},
		{"none withdraws a medical-only Band A", nil, &MedicalAward{Severity: "severe", AssessedOn: "2026-10-01"},
			MedicalAward{Severity: "none"}, StatusNotQualifying, BandA, "", 1, 0, "none"},
	}
	for _, c := range cases {
		a := base(c.circumstances...)
		a.MedicalAward = c.prior
		r := recordOf(a)
		ev, err := r.RecordMedicalAward(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, c.oldBand, c.newBand, c.oldStars, c.newStars)
		if r.Decision.Status != c.status || dateString(r.Decision.MedicalReviewDue) != c.reviewDue || r.Application.MedicalAward == nil || *r.Application.MedicalAward != c.in {
			t.Errorf("%s: status %s, review due %s, award %+v", c.name, r.Decision.Status, dateString(r.Decision.MedicalReviewDue), r.Application.MedicalAward)
		}
		if ev.Details["severity"] != c.in.Severity || ev.Details["assessedOn"] != c.in.AssessedOn || ev.Details["rule"] != "HR-M" || ev.Action != "medical-award-recorded" {
			t.Errorf("%s: details %v", c.name, ev.Details)
		}
	}
}

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
		r := recordOf(base("mappa"))
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
		r := recordOf(base("mappa"))
		if _, err := r.RecordOffer(ok, officer, now); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
}

// WD-4: "today" is the London day of the change, so at 23:30 UTC on 30 June (00:30 on 1 July in London) an offer
// of 1 July is not in the future, and half an hour earlier it is.
func TestHRR_OfferDatesAreLondonDays(t *testing.T) {
	in := Offer{OfferedOn: "2026-07-01", Property: "Flat 2, 1 Elm Road"}
	r := recordOf(base("mappa"))
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
		a := base("mappa")
		a.RefusedOffers = []string{"2026-06-01"}
		r := recordOf(a)
		ev, err := r.RecordOffer(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !reflect.DeepEqual(r.Application.RefusedOffers, c.refused) {
			t.Errorf("%s: refused offers %v, want %v", c.name, r.Application.RefusedOffers, c.refused)
		}
		counts := len(c.refused) == 2
		want := map[string]any{"offeredOn": "2026-11-20", "property": "Flat 2, 1 Elm Road", "refused": c.in.Refused, "refusedOn": c.refusedOn,
			"reasonable": c.reasonable, "countsTowardsRefusals": counts, "rule": "HR-R"}
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
		a := base("mappa")
		a.RefusedOffers = []string{"2025-11-23", "2026-01-10", "2026-06-01"} // the first is exactly 12 months ago
		r, _ := NewRecord("HR-TEST-3", a, now)
		ev, err := r.RecordOffer(Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road", Refused: true, Reasonable: c.reasonable}, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, BandA, c.band, 0, 0)
		if got := reasonText(r.Decision, "HR-R"); got != c.reason {
			t.Errorf("%s: HR-R reasons %q, want %q", c.name, got, c.reason)
		}
		if r.Decision.NeedBand != BandA || ev.Details["offerable"] != true {
			t.Errorf("%s: need band %q, offerable %v", c.name, r.Decision.NeedBand, ev.Details["offerable"])
		}
	}
}

// A change works on its own copy of the refusals: the record as loaded (which the store compares and the
// handler may still show) does not change with it, even when the slice has room to grow.
func TestHRR_OfferLeavesTheLoadedRecordAlone(t *testing.T) {
	a := base("mappa")
	a.RefusedOffers = make([]string, 1, 4)
	a.RefusedOffers[0] = "2026-06-01"
	loaded := recordOf(a)
	changed := loaded
	if _, err := changed.RecordOffer(Offer{OfferedOn: "2026-11-20", Property: "Flat 2", Refused: true}, officer, now); err != nil {
		t.Fatal(err)
	}
	if got := loaded.Application.RefusedOffers[:2]; got[1] != "" || len(loaded.Application.RefusedOffers) != 1 {
		t.Errorf("the loaded record's refusals changed: %q", got)
	}
	if !reflect.DeepEqual(changed.Application.RefusedOffers, []string{"2026-06-01", "2026-11-20"}) {
		t.Errorf("changed: %v", changed.Application.RefusedOffers)
	}
}

// HR-R: AsOf re-decides for another day without changing the stored record; refusals older than 12 months stop
// counting.
func TestHRR_AsOfRedecidesWithoutChangingTheRecord(t *testing.T) {
	a := base("mappa")
	a.RefusedOffers = []string{"2026-01-10", "2026-06-01", "2026-11-20"}
	r, _ := NewRecord("HR-TEST-2", a, now)
	stored := r
	if r.Decision.BandName() != BandReduced {
		t.Fatalf("three refusals in 12 months: %s", r.Decision.BandName())
	}
	if same := r.AsOf(today); !reflect.DeepEqual(same, r) {
		t.Errorf("as of the day it was decided, nothing changes: %+v", same.Decision)
	}
	later := r.AsOf(date("2027-01-11")) // 10 January 2026 is now more than 12 months ago
	if later.Decision.BandName() != BandA || later.Decision.Reasons.Has("HR-R") || later.Reference != "HR-TEST-2" || !reflect.DeepEqual(later.Application, a) {
		t.Errorf("as of 11 January 2027: %s %v", later.Decision.BandName(), later.Decision.Reasons)
	}
	if !reflect.DeepEqual(r, stored) {
		t.Error("AsOf changed the stored record")
	}
}

// HR-U: the amount up to £1,000,000, the weekly rent up to £10,000 and more than 0 with a debt, and the
// tenancy's end a real date not in the future. (Negative, fractional-penny and absurd amounts never get this far:
// Money refuses them when the request is read; see TestHRU_MoneyIsReadExactly.)
func TestHRU_DebtValidation(t *testing.T) {
	const (
		amountTooBig = "amount: must be at most 1000000"
		rentNeeded   = "weeklyRent: must be more than 0 when there is a debt"
		rentTooBig   = "weeklyRent: must be at most 10000"
		ended        = "tenancyEndedOn: must be a real date, not in the future"
	)
	cases := []struct {
		name string
		in   HousingDebt
		want []string
	}{
		{"a penny over the bound", HousingDebt{Amount: pounds(1_000_000.01), WeeklyRent: pounds(100)}, []string{amountTooBig}},
		{"the largest amount Money reads", HousingDebt{Amount: pounds(999_999_999.99), WeeklyRent: pounds(100)}, []string{amountTooBig}},
		{"debt with no rent", HousingDebt{Amount: pounds(300)}, []string{rentNeeded}},
		{"rent a penny over the bound", HousingDebt{Amount: pounds(300), WeeklyRent: pounds(10_000.01)}, []string{rentTooBig}},
		{"tenancy ends tomorrow", HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), TenancyEndedOn: "2026-11-24"}, []string{ended}},
		{"tenancy ended on 30 February", HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), TenancyEndedOn: "2019-02-30"}, []string{ended}},
		{"tenancy ended in year 1 (hostile-input table)", HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100), TenancyEndedOn: "0001-01-01"},
			[]string{"tenancyEndedOn: must be between 1900 and 2100"}},
		{"every problem at once", HousingDebt{Amount: pounds(2_000_000), TenancyEndedOn: "2027-01-01"}, []string{amountTooBig, rentNeeded, ended}},
	}
	for _, c := range cases {
		r := recordOf(base("mappa"))
		before := r
		ev, err := r.UpdateDebt(c.in, officer, now)
		sameProblems(t, c.name, err, c.want...)
		if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
			t.Errorf("%s: a refused change changed the record or made an event", c.name)
		}
	}
	for _, ok := range []HousingDebt{{}, {Amount: pounds(0), WeeklyRent: pounds(0)}, {Amount: pounds(1_000_000), WeeklyRent: pounds(10_000)}, {Amount: pounds(300), WeeklyRent: pounds(100), TenancyEndedOn: "2026-11-23"}} {
		r := recordOf(base("mappa"))
		if _, err := r.UpdateDebt(ok, officer, now); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
}

// HR-U: money is read exactly, in whole pence, from a number or a decimal string of pounds; a negative amount,
// a fraction of a penny, an exponent or anything else is refused when the request is read, naming the field,
// so nothing reaches the arithmetic or DynamoDB's number type (1e200 answered 500 before).
func TestHRU_MoneyIsReadExactly(t *testing.T) {
	for body, want := range map[string]Money{
		`{"amount": 300}`: 30000, `{"amount": 300.5}`: 30050, `{"amount": "300.50"}`: 30050, `{"amount": 0.01}`: 1,
		`{"amount": 0}`: 0, `{"amount": "999999999.99"}`: 99999999999,
	} {
		var d HousingDebt
		if err := json.Unmarshal([]byte(body), &d); err != nil || d.Amount != want {
			t.Errorf("%s: %d %v", body, d.Amount, err)
		}
	}
	for _, body := range []string{`{"amount": 1e200}`, `{"amount": -0.01}`, `{"amount": 300.505}`, `{"amount": "abc"}`, `{"amount": true}`,
		`{"amount": 1e3}`, `{"amount": "0300"}`, `{"amount": 9999999999}`, `{"amount": null}`} {
		var d HousingDebt
		err := json.Unmarshal([]byte(body), &d)
		var typeErr *json.UnmarshalTypeError
		if body == `{"amount": null}` {
			if err != nil || d.Amount != 0 {
				t.Errorf("null: %v", err)
			}
			continue
		}
		if !errors.As(err, &typeErr) || typeErr.Field != "amount" {
			t.Errorf("%s: got %v, want a type error naming amount", body, err)
		}
	}
	if got, _ := json.Marshal(HousingDebt{Amount: 30050, WeeklyRent: 10000}); !strings.Contains(string(got), `"amount":300.50,"weeklyRent":100.00`) {
		t.Errorf("shown as %s", got)
	}
	if s := Money(30050).String(); s != "£300.50" {
		t.Errorf("letters show %s", s)
	}
}

// HR-U: the bounds hold on the application form too, so no stored debt is absurd.
func TestHRU_ApplicationDebtIsBounded(t *testing.T) {
	a := base("mappa")
	a.HousingDebt = &HousingDebt{Amount: pounds(1_000_000.01), WeeklyRent: pounds(10_000.01)}
	sameProblems(t, "over the bounds", a.Validate(today), "housingDebt.amount: must be at most 1000000", "housingDebt.weeklyRent: must be at most 10000")
	a.HousingDebt = &HousingDebt{Amount: pounds(1_000_000), WeeklyRent: pounds(10_000)}
	if err := a.Validate(today); err != nil {
		t.Errorf("the largest debt allowed: %v", err)
	}
}

// HR-R, HR-R1, HR-U: a debt reduces priority and, from 2 weeks' rent, stops offers; the event shows the change.
func TestHRU_DebtReassesses(t *testing.T) {
	cases := []struct {
		name      string
		prior     *HousingDebt
		in        HousingDebt
		oldBand   string
		newBand   string
		offerable bool
		reason    string // in the HR-U reasons
	}{
		{"3 weeks' arrears: reduced priority and no offers", nil, HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)},
			BandA, BandReduced, false, "your housing debt of £300.00 is 2 weeks' rent (£200.00) or more"},
		{"debt cleared", &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}, HousingDebt{Amount: pounds(0), WeeklyRent: pounds(100)},
			BandReduced, BandA, true, ""},
		{"kept plan down to 2 weeks' rent: offers resume, priority still reduced", &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)},
			HousingDebt{Amount: pounds(200), WeeklyRent: pounds(100), RepaymentPlan: RepaymentPlan{Agreed: true, Kept: true}},
			BandReduced, BandReduced, true, "down to 2 weeks' rent (£200.00): offers may resume"},
		{"the largest debt allowed is decided in exact pence", nil, HousingDebt{Amount: pounds(1_000_000), WeeklyRent: pounds(10_000)},
			BandA, BandReduced, false, "your housing debt of £1000000.00 is 2 weeks' rent (£20000.00) or more"},
	}
	for _, c := range cases {
		a := base("mappa")
		a.HousingDebt = c.prior
		r := recordOf(a)
		ev, err := r.UpdateDebt(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, c.oldBand, c.newBand, 0, 0)
		if r.Decision.Offerable != c.offerable || ev.Details["offerable"] != c.offerable {
			t.Errorf("%s: offerable %v, want %v", c.name, r.Decision.Offerable, c.offerable)
		}
		if got := reasonText(r.Decision, "HR-U"); (c.reason == "") != (got == "") || !strings.Contains(got, c.reason) {
			t.Errorf("%s: HR-U reasons %q, want %q", c.name, got, c.reason)
		}
		if r.Application.HousingDebt == nil || *r.Application.HousingDebt != c.in {
			t.Errorf("%s: stored debt %+v", c.name, r.Application.HousingDebt)
		}
		if ev.Details["amount"] != c.in.Amount || ev.Details["weeklyRent"] != c.in.WeeklyRent || ev.Details["repaymentPlan"] != c.in.RepaymentPlan ||
			ev.Details["rule"] != "HR-U" || ev.Action != "debt-updated" {
			t.Errorf("%s: details %v", c.name, ev.Details)
		}
		if _, has := ev.Details["tenancyEndedOn"]; has {
			t.Errorf("%s: tenancyEndedOn in the details without one", c.name)
		}
	}
}

// HR-R1: old council tenancy debt reduces priority but does not stop offers; the event records the tenancy's end.
func TestHRU_OldTenancyDebt(t *testing.T) {
	r := recordOf(base("mappa"))
	ev, err := r.UpdateDebt(HousingDebt{Amount: pounds(900), WeeklyRent: pounds(100), TenancyEndedOn: "2019-03-01"}, officer, now)
	if err != nil {
		t.Fatal(err)
	}
	wantChange(t, "old tenancy debt", ev, r, BandA, BandReduced, 0, 0)
	if !r.Decision.Offerable || ev.Details["tenancyEndedOn"] != "2019-03-01" || !r.Decision.Reasons.Has("HR-R1") {
		t.Errorf("offerable %v, details %v, reasons %v", r.Decision.Offerable, ev.Details, r.Decision.Reasons)
	}
}

// HR-S: a verification must say something; every claim given is confirmed or not, and the others keep their
// earlier verification.
func TestHRS_VerificationValidation(t *testing.T) {
	r := recordOf(base("mappa"))
	before := r
	ev, err := r.RecordVerification(Verification{}, officer, now)
	sameProblems(t, "nothing verified", err, "verification: give at least one of seekingWork, communityContribution, working (true or false)")
	if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
		t.Error("a refused change changed the record or made an event")
	}
}

func TestHRS_VerificationMovesStars(t *testing.T) {
	working := &Working{HoursPerWeek: 37.5, MonthsInLastTwelve: 12, Contract: "permanent"}
	cases := []struct {
		name     string
		earlier  Verification
		in       Verification
		verified Verification
		details  map[string]any
		newStars int
		warnings int
	}{
		{"Jobcentre Plus does not confirm seeking work: its star goes", Verification{}, Verification{SeekingWork: no()},
			Verification{SeekingWork: no()}, map[string]any{"seekingWork": false}, 2, 2},
		{"seeking work and working confirmed: the stars stay, the warnings go", Verification{}, Verification{SeekingWork: yes(), Working: yes()},
			Verification{SeekingWork: yes(), Working: yes()}, map[string]any{"seekingWork": true, "working": true}, 3, 1},
		{"community contribution not confirmed; working stays confirmed", Verification{Working: yes()}, Verification{CommunityContribution: no()},
			Verification{CommunityContribution: no(), Working: yes()}, map[string]any{"communityContribution": false}, 2, 1},
	}
	for _, c := range cases {
		a := base("mappa")
		a.SeekingWork, a.CommunityContribution, a.Working, a.Verified = true, fullCC(), working, c.earlier
		r := recordOf(a)
		oldStars := r.Decision.Stars
		ev, err := r.RecordVerification(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, BandA, BandA, oldStars, c.newStars)
		if !reflect.DeepEqual(r.Application.Verified, c.verified) || len(r.Decision.Warnings) != c.warnings {
			t.Errorf("%s: verified %v, warnings %v", c.name, r.Application.Verified, r.Decision.Warnings)
		}
		c.details["rule"] = "HR-S"
		for _, k := range []string{"seekingWork", "communityContribution", "working", "rule"} {
			if ev.Details[k] != c.details[k] {
				t.Errorf("%s: details[%s] = %v, want %v", c.name, k, ev.Details[k], c.details[k])
			}
		}
		// the record keeps its own answers: changing the request afterwards changes nothing
		for _, p := range []*bool{c.in.SeekingWork, c.in.CommunityContribution, c.in.Working} {
			if p != nil {
				*p = !*p
			}
		}
		if !reflect.DeepEqual(r.Application.Verified, c.verified) {
			t.Errorf("%s: the record shares the request's answers", c.name)
		}
	}
}
