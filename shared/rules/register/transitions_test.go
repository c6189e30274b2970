package register

import (
	"encoding/json"
	"errors"
	"github.com/councilhousing/backend/shared/rules/decision"
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

// recordOf is a stored record of a, received on 2 November 2026: nothing decided yet.
func recordOf(a Application) Record {
	r, _ := NewRecord("HR-TEST-1", a, received)
	return r
}

// decidedRecord is a record of a received on 2 November 2026 whose claims the council has all confirmed, with c's
// records on top (confirmAll), decided as of that day: registered when a claims a need.
func decidedRecord(a Application, c Council) Record {
	return decidedRecordAt(a, c, received)
}

func decidedRecordAt(a Application, c Council, at time.Time) Record {
	r, _ := NewRecord("HR-TEST-1", a, at)
	r.Council = confirmAll(a, c)
	r.Decision = Assess(r.Application, r.Council, workdays.DateOf(at), nil)
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

// wantChange checks the details every change carries: the old and new band and stars, and the new decision's
// status, offerability, provisional band, reasons and outstanding list.
func wantChange(t *testing.T, name string, ev casefile.Event, r Record, oldBand, newBand string, oldStars, newStars int) {
	t.Helper()
	d := ev.Details
	if d["newStatus"] != r.Decision.Status || d["newOfferable"] != r.Decision.Offerable || !reflect.DeepEqual(d["outstanding"], r.Decision.Outstanding) ||
		bandOf(t, d["provisionalBand"]) != bandString(r.Decision.Provisional.Band) {
		t.Errorf("%s: status %v, offerable %v, outstanding %v, provisional %v; the record says %v %v %v", name, d["newStatus"], d["newOfferable"],
			d["outstanding"], d["provisionalBand"], r.Decision.Status, r.Decision.Offerable, r.Decision.Outstanding)
	}
	for _, key := range []string{"oldStatus", "oldOfferable"} {
		if _, ok := d[key]; !ok {
			t.Errorf("%s: no %s", name, key)
		}
	}
	if got := bandOf(t, d["oldBand"]); got != oldBand {
		t.Errorf("%s: oldBand %q, want %q", name, got, oldBand)
	}
	if got := bandOf(t, d["newBand"]); got != newBand || r.Decision.BandName() != newBand {
		t.Errorf("%s: newBand %q (record %q), want %q", name, got, r.Decision.BandName(), newBand)
	}
	if d["oldStars"] != oldStars || d["newStars"] != newStars || r.Decision.Stars != newStars {
		t.Errorf("%s: stars %v -> %v (record %d), want %d -> %d", name, d["oldStars"], d["newStars"], r.Decision.Stars, oldStars, newStars)
	}
	if !reflect.DeepEqual(d["reasons"], r.Decision.Reasons) {
		t.Errorf("%s: reasons %v; the record says %v", name, d["reasons"], r.Decision.Reasons)
	}
}

// HR-D: the application is assessed as of the London day it arrived; nothing in it is decided yet, so it is
// awaiting verification with a provisional band, and the timeline starts with the resident's application, the
// decision, the provisional band and what is outstanding.
func TestHRD_NewRecordAssessesAndRecordsTheApplication(t *testing.T) {
	cases := []struct {
		name string
		at   time.Time
		day  string
	}{
		{"a November morning", time.Date(2026, 11, 23, 9, 30, 0, 0, workdays.London), "2026-11-23"},
		{"23:30 UTC on 30 June is 1 July in London (WD-4)", time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC), "2026-07-01"},
	}
	for _, c := range cases {
		a := base("sharing-facilities")
		r, ev := NewRecord("HR-ABC-123", a, c.at)
		if r.Reference != "HR-ABC-123" || !r.ReceivedAt.Equal(c.at) || r.ReceivedAt.Location() != time.UTC || !reflect.DeepEqual(r.Application, a) ||
			!reflect.DeepEqual(r.Council, Council{}) {
			t.Errorf("%s: record %+v", c.name, r)
		}
		d, want := r.Decision, Assess(a, Council{}, date(c.day), nil)
		want.StatusSince = d.StatusSince // the decision's time is the application's (checked below)
		if d.StatusSince == nil || !d.StatusSince.Equal(c.at) || d.StatusSince.Location() != time.UTC ||
			!reflect.DeepEqual(d, want) || d.Status != StatusAwaitingVerification || d.Band != nil || d.Offerable ||
			d.EffectiveDate != nil || bandString(d.Provisional.Band) != BandB || !reflect.DeepEqual(outstandingClaims(d), []string{"sharing-facilities"}) {
			t.Errorf("%s: decision %+v", c.name, d)
		}
		if !ev.At.Equal(c.at) || ev.At.Location() != time.UTC || ev.Actor != "resident" || ev.ActorID != "" || ev.Action != "applied" || ev.Rule != "HR-D" {
			t.Errorf("%s: event %+v", c.name, ev)
		}
		if len(ev.Details) != 8 || ev.Details["status"] != StatusAwaitingVerification || bandOf(t, ev.Details["band"]) != "" || ev.Details["stars"] != 0 ||
			bandOf(t, ev.Details["provisionalBand"]) != BandB || !reflect.DeepEqual(ev.Details["reasons"], d.Reasons) ||
			!reflect.DeepEqual(ev.Details["outstanding"], d.Outstanding) || !reflect.DeepEqual(ev.Details["provisionalReasons"], d.Provisional.Reasons) {
			t.Errorf("%s: details %v", c.name, ev.Details)
		}
	}
}

// HR-D: every change is on the timeline with who made it (the officer's stable id and name, or the resident),
// when (UTC), what it was, its rule, and the old and new status, band, stars and offerability.
func TestHRD_EveryChangeRecordsWhoWhenWhatAndTheBands(t *testing.T) {
	at := now.In(workdays.London)
	seeking := base("mappa", "sharing-facilities")
	seeking.SeekingWork = true
	cases := []struct {
		action, rule string
		record       func() Record
		change       func(*Record) (casefile.Event, error)
	}{
		{"claim-checked", "HR-S", func() Record { return recordOf(seeking) }, func(r *Record) (casefile.Event, error) {
			return r.VerifyClaim(ClaimCheck{Claim: ClaimSeekingWork, Verified: yes(), Note: "Jobcentre Plus confirmed"}, officer, at)
		}},
		{"council-decision-recorded", "HR-A", func() Record { return recordOf(seeking) }, func(r *Record) (casefile.Event, error) {
			return r.RecordCouncilDecision(CouncilDecision{Decision: "mappa", Applies: yes(), DecidedOn: "2026-11-20", Note: "MAPPA level 2"}, officer, at)
		}},
		{"medical-award-recorded", "HR-M", func() Record { return decidedRecord(base("mappa"), Council{}) }, func(r *Record) (casefile.Event, error) {
			return r.RecordMedicalAward(MedicalAward{Severity: "moderate", Grounds: GroundsMedical, AssessedOn: "2026-11-01"}, officer, at)
		}},
		{"offer-recorded", "HR-R", func() Record { return decidedRecord(base("mappa"), Council{}) }, func(r *Record) (casefile.Event, error) {
			return r.RecordOffer(Offer{OfferedOn: "2026-11-20", Property: "Flat 2, 1 Elm Road", Refused: true}, officer, at)
		}},
		{"debt-updated", "HR-U", func() Record { return decidedRecord(base("mappa"), Council{}) }, func(r *Record) (casefile.Event, error) {
			return r.UpdateDebt(HousingDebt{Amount: pounds(50), WeeklyRent: pounds(100)}, officer, at)
		}},
		{"behaviour-recorded", "HR-U", func() Record { return decidedRecord(base("mappa"), Council{}) }, func(r *Record) (casefile.Event, error) {
			return r.RecordBehaviour(Finding{Code: "nuisance", Applies: yes(), Evidence: "Noise abatement notice of 3 Nov"}, officer, at)
		}},
		{"debt-exception-recorded", "HR-U1", func() Record { return decidedRecord(base("mappa"), Council{}) }, func(r *Record) (casefile.Event, error) {
			return r.RecordDebtException(Finding{Code: "hate-crime-victim", Applies: yes(), Evidence: "Police report"}, officer, at)
		}},
		{"removed", "HR-E3", func() Record { return decidedRecord(base("mappa"), Council{}) }, func(r *Record) (casefile.Event, error) {
			return r.Remove(Removal{IncidentOn: "2026-11-20", Evidence: "Threatened the housing officer at the office"}, officer, at)
		}},
		{"closed", "HR-D", func() Record { return decidedRecord(base("mappa"), Council{}) }, func(r *Record) (casefile.Event, error) {
			return r.Close(Closing{Reason: ClosedWithdrawn, Note: "Moved away"}, officer, at)
		}},
		{"assigned", "HR-D", func() Record { return recordOf(seeking) }, func(r *Record) (casefile.Event, error) {
			return r.Assign(Assignment{OfficerID: "alloc-7", OfficerName: "Sam Officer"}, officer, at)
		}},
		{"circumstances-changed", "HR-D", func() Record { return recordOf(seeking) }, func(r *Record) (casefile.Event, error) {
			return r.ChangeCircumstances(CircumstancesChange{Circumstances: []string{"child-at-risk"}}, officer, at)
		}},
		{"review-requested", "HR-R", func() Record {
			return decidedRecord(base("mappa"), Council{Decisions: councilFindings("tenancy-breach")})
		},
			func(r *Record) (casefile.Event, error) {
				return r.RequestReview(ReviewRequest{Grounds: "The breach was my former partner's", Channel: "verbal"}, officer, at)
			}},
	}
	for _, c := range cases {
		r := c.record()
		before := r.Decision
		ev, err := c.change(&r)
		if err != nil {
			t.Fatalf("%s: %v", c.action, err)
		}
		if !ev.At.Equal(now) || ev.At.Location() != time.UTC || ev.ActorID != "0b6c1e52-officer-sub" || ev.Actor != "Alex Officer" ||
			ev.Action != c.action || ev.Rule != "HR-D" || ev.Details["rule"] != c.rule {
			t.Errorf("%s: event %+v", c.action, ev)
		}
		wantChange(t, c.action, ev, r, before.BandName(), r.Decision.BandName(), before.Stars, r.Decision.Stars)
		if ev.Details["oldStatus"] != before.Status || ev.Details["oldOfferable"] != before.Offerable {
			t.Errorf("%s: old status %v offerable %v, want %v %v", c.action, ev.Details["oldStatus"], ev.Details["oldOfferable"], before.Status, before.Offerable)
		}
	}
}

// ---- Claims (HR-S, HR-CC, HR-W, and the self-declared circumstances) ----

// HR-S: an officer verifies or rejects each self-declared claim with a note; only verified claims count in the
// decided band and stars; a rejected claim counts nowhere, and its note is shown to the applicant.
func TestHRS_VerifyClaim(t *testing.T) {
	a := base("sharing-facilities", "mappa")
	a.SeekingWork, a.CommunityContribution = true, fullCC()
	a.Working = &Working{HoursPerWeek: 37.5, MonthsInLastTwelve: 12, Contract: "permanent"}
	mappa := Council{Decisions: councilFindings("mappa")}
	cases := []struct {
		name        string
		council     Council
		in          ClaimCheck
		rule        string
		status      string
		band        string
		stars       int
		provisional int
		outstanding []string
		reason      string // in the reasons of rule
	}{
		{"Jobcentre Plus confirms seeking work: its star counts", mappa, ClaimCheck{Claim: ClaimSeekingWork, Verified: yes(), Note: "JCP letter of 20 Nov"},
			"HR-S", StatusRegistered, BandA, 1, 3, []string{"sharing-facilities", ClaimCommunityContribution, ClaimWorking}, "Actively seeking work: 1 star (verified)"},
		{"Jobcentre Plus does not: no star, provisionally either", mappa, ClaimCheck{Claim: ClaimSeekingWork, Verified: no(), Note: "Not known to JCP"},
			"HR-S", StatusRegistered, BandA, 0, 2, []string{"sharing-facilities", ClaimCommunityContribution, ClaimWorking}, "Seeking work was not verified: no star"},
		{"the manager's letter verifies the community contribution", mappa, ClaimCheck{Claim: ClaimCommunityContribution, Verified: yes(), Note: "Letter from the food bank manager"},
			"HR-CC", StatusRegistered, BandA, 1, 3, []string{"sharing-facilities", ClaimSeekingWork, ClaimWorking}, "Community contribution: 1 star (verified)"},
		{"payslips verify the working household", mappa, ClaimCheck{Claim: ClaimWorking, Verified: yes(), Note: "12 months of payslips"},
			"HR-W", StatusRegistered, BandA, 1, 3, []string{"sharing-facilities", ClaimSeekingWork, ClaimCommunityContribution}, "Working household: 1 star (verified)"},
		{"sharing facilities verified: the first decided band", Council{}, ClaimCheck{Claim: "sharing-facilities", Verified: yes(), Note: "Tenancy agreement seen"},
			"HR-B", StatusRegistered, BandB, 0, 3, []string{"mappa", ClaimSeekingWork, ClaimCommunityContribution, ClaimWorking},
			"You are sharing a bathroom or kitchen with a separate household, as the evidence shows: Band B"},
		{"sharing facilities rejected: still awaiting the MAPPA decision", Council{}, ClaimCheck{Claim: "sharing-facilities", Verified: no(), Note: "The kitchen is the applicant's own"},
			"HR-B", StatusAwaitingVerification, "", 0, 3, []string{"mappa", ClaimSeekingWork, ClaimCommunityContribution, ClaimWorking},
			"The council could not verify that you are sharing a bathroom or kitchen with a separate household, so it does not count: The kitchen is the applicant's own"},
	}
	for _, c := range cases {
		r := recordOf(a)
		r.Council = c.council
		r.Decision = Assess(r.Application, r.Council, date("2026-11-02"), nil)
		before := r.Decision
		ev, err := r.VerifyClaim(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d := r.Decision
		wantChange(t, c.name, ev, r, before.BandName(), c.band, before.Stars, c.stars)
		if d.Status != c.status || d.Provisional.Stars != c.provisional || !reflect.DeepEqual(outstandingClaims(d), c.outstanding) {
			t.Errorf("%s: %s, %d provisional stars, outstanding %v", c.name, d.Status, d.Provisional.Stars, outstandingClaims(d))
		}
		mustContain(t, c.name, reasonText(d, c.rule)+" | "+strings.Join(reasonsOf(d.Provisional.Reasons, c.rule), " | "), c.reason)
		got, _ := r.Council.check(c.in.Claim)
		if got.Verified != *c.in.Verified || got.Note != c.in.Note || got.CheckedOn != today || got.By != officer || ev.Details["claim"] != c.in.Claim ||
			ev.Details["verified"] != *c.in.Verified || ev.Details["note"] != c.in.Note || ev.Details["rule"] != c.rule {
			t.Errorf("%s: check %+v, details %v", c.name, got, ev.Details)
		}
	}
	// a later check replaces the earlier one
	r := recordOf(a)
	_, _ = r.VerifyClaim(ClaimCheck{Claim: ClaimSeekingWork, Verified: no(), Note: "not yet"}, officer, now)
	_, _ = r.VerifyClaim(ClaimCheck{Claim: ClaimSeekingWork, Verified: yes(), Note: "now confirmed"}, officer, now)
	if len(r.Council.Checks) != 1 || !r.Council.Checks[0].Verified {
		t.Errorf("checks %+v", r.Council.Checks)
	}
}

func reasonsOf(rs decision.Reasons, rule string) []string {
	var out []string
	for _, r := range rs {
		if r.Rule == rule {
			out = append(out, r.Text)
		}
	}
	return out
}

// HR-S: a check names a claim this application makes and an officer verifies against evidence: council
// decisions, the medical award and the debt have their own transitions. Every problem is listed and the record
// is left as it was.
func TestHRS_VerifyClaimValidation(t *testing.T) {
	a := base("sharing-facilities", "homeless-priority-need")
	a.SeekingWork = true
	const claims = "sharing-facilities, seeking-work"
	cases := []struct {
		name string
		in   ClaimCheck
		want []string
	}{
		{"nothing given", ClaimCheck{}, []string{"claim: is required", "verified: is required", "note: is required"}},
		{"a note of spaces", ClaimCheck{Claim: ClaimSeekingWork, Verified: yes(), Note: "  "}, []string{"note: is required"}},
		{"a council-decided circumstance", ClaimCheck{Claim: "homeless-priority-need", Verified: yes(), Note: "x"},
			[]string{"claim: is decided by the council's homelessness service, not verified against evidence: record the council's decision instead (HR-EM)"}},
		{"the medical need", ClaimCheck{Claim: "medical", Verified: yes(), Note: "x"},
			[]string{"claim: is settled by the independent adviser's award: record the medical award instead (HR-M)"}},
		{"the debt", ClaimCheck{Claim: "housing-debt", Verified: yes(), Note: "x"},
			[]string{"claim: is settled by the council's record of the debt: record the debt instead (HR-U)"}},
		{"a circumstance not claimed", ClaimCheck{Claim: "notice-to-quit", Verified: yes(), Note: "x"},
			[]string{`claim: "notice-to-quit" is not claimed in this application: use one of ` + claims}},
		{"a star not claimed", ClaimCheck{Claim: ClaimWorking, Verified: yes(), Note: "x"},
			[]string{`claim: "working" is not claimed in this application: use one of ` + claims}},
		{"not a claim at all", ClaimCheck{Claim: "rich", Verified: no(), Note: "x"}, []string{`claim: "rich" is not a claim: use one of ` + claims}},
	}
	for _, c := range cases {
		r := recordOf(a)
		before := r
		ev, err := r.VerifyClaim(c.in, officer, now)
		sameProblems(t, c.name, err, c.want...)
		if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
			t.Errorf("%s: a refused change changed the record or made an event", c.name)
		}
	}
}

// ---- Council decisions (HR-EM, HR-A, HR-B, HR-R) ----

// HR-EM: the council's decisions make the decided band: homelessness acceptance puts a public claim of
// homelessness in the Emergency band (registered, on the priority list, offerable); a Private Sector Housing
// Team confirmation of a category 1 hazard gives Band A; a decision that a claim does not apply takes it away;
// intentional homelessness keeps the applicant out of Emergency with reduced priority.
func TestHREM_RecordCouncilDecision(t *testing.T) {
	homeless := base("homeless-priority-need", "hhsrs-category-1")
	cases := []struct {
		name     string
		earlier  []CouncilDecisionRecord
		in       CouncilDecision
		rule     string
		status   string
		band     string
		expires  string
		decider  string
		reason   string
		outstand []string
	}{
		{"homelessness accepted: Emergency, active", nil,
			CouncilDecision{Decision: codeHomeless, Applies: yes(), DecidedOn: "2026-11-20", Note: "Section 193 duty accepted"},
			"HR-EM", StatusRegistered, BandEmergency, "2027-01-04", "the council's homelessness service",
			"You are eligible, homeless and in priority need (and not intentionally homeless), as decided by the council's homelessness service: the Emergency band", []string{"hhsrs-category-1"}},
		{"category 1 hazard confirmed by the Private Sector Housing Team: Band A", nil,
			CouncilDecision{Decision: "hhsrs-category-1", Applies: yes(), DecidedOn: "2026-11-18", Note: "Damp and mould, category 1"},
			"HR-A", StatusRegistered, BandA, "none", "the council's Private Sector Housing Team",
			"as decided by the council's Private Sector Housing Team: Band A", []string{codeHomeless}},
		{"homelessness not accepted: not counted, the hazard still awaited", nil,
			CouncilDecision{Decision: codeHomeless, Applies: no(), DecidedOn: "2026-11-20", DecidedBy: "Housing Options", Note: "Not in priority need"},
			"HR-EM", StatusAwaitingVerification, "", "none", "Housing Options",
			"Housing Options did not accept that you are eligible, homeless and in priority need (and not intentionally homeless), so it does not count: Not in priority need", []string{"hhsrs-category-1"}},
		{"intentionally homeless: out of Emergency, reduced priority", councilFindings(codeHomeless),
			CouncilDecision{Decision: codeIntentionallyHomeless, Applies: yes(), DecidedOn: "2026-11-20", Note: "Gave up a settled home"},
			"HR-R", StatusRegistered, BandReduced, "none", "the council's homelessness service",
			"Reduced priority: found intentionally homeless", []string{"hhsrs-category-1"}},
		{"a decant nobody claimed: the council's decision counts", councilFindings(codeHomeless),
			CouncilDecision{Decision: "decant", Applies: yes(), DecidedOn: "2026-11-20", Note: "Block to be demolished"},
			"HR-EM", StatusRegistered, BandEmergency, "2026-12-14", "the council, under its decant procedure", "under its decant procedure", []string{"hhsrs-category-1"}},
	}
	for _, c := range cases {
		r := recordOf(homeless)
		r.Council.Decisions = c.earlier
		r.Decision = Assess(r.Application, r.Council, date("2026-11-02"), nil)
		before := r.Decision
		ev, err := r.RecordCouncilDecision(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d := r.Decision
		wantChange(t, c.name, ev, r, before.BandName(), c.band, 0, 0)
		if d.Status != c.status || dateString(d.EmergencyExpiresOn) != c.expires || !reflect.DeepEqual(outstandingClaims(d), c.outstand) ||
			d.Offerable != (c.status == StatusRegistered) {
			t.Errorf("%s: %s expires %s outstanding %v offerable %v", c.name, d.Status, dateString(d.EmergencyExpiresOn), outstandingClaims(d), d.Offerable)
		}
		if _, on := PriorityKey(r.Reference, d); on != (c.status == StatusRegistered) {
			t.Errorf("%s: on the priority list %v", c.name, on)
		}
		mustContain(t, c.name, reasonText(d, c.rule), c.reason)
		rec, _ := r.Council.decision(c.in.Decision)
		if rec.Applies != *c.in.Applies || rec.DecidedBy != c.decider || rec.DecidedOn != c.in.DecidedOn || rec.RecordedOn != today || rec.By != officer ||
			ev.Details["decision"] != c.in.Decision || ev.Details["decidedBy"] != c.decider || ev.Details["rule"] != c.rule {
			t.Errorf("%s: record %+v, details %v", c.name, rec, ev.Details)
		}
	}
}

func TestHREM_CouncilDecisionValidation(t *testing.T) {
	cases := []struct {
		name string
		in   CouncilDecision
		want []string
	}{
		{"nothing given", CouncilDecision{}, []string{"decision: is required", "applies: is required", "decidedOn: is required", "note: is required"}},
		{"a self-declared circumstance", CouncilDecision{Decision: "sharing-facilities", Applies: yes(), DecidedOn: "2026-11-20", Note: "x"},
			[]string{"decision: is checked against the applicant's evidence, not decided by the council: verify the claim instead (HR-B)"}},
		{"an unknown code", CouncilDecision{Decision: "rich", Applies: yes(), DecidedOn: "2026-11-20", Note: "x"},
			[]string{`decision: "rich" is not a council decision: use one of ` + strings.Join(codeNames(CouncilDecisionCodes()), ", ")}},
		{"decided tomorrow", CouncilDecision{Decision: "mappa", Applies: yes(), DecidedOn: "2026-11-24", Note: "x"}, []string{"decidedOn: cannot be in the future"}},
		{"decided in year 1", CouncilDecision{Decision: "mappa", Applies: yes(), DecidedOn: "0001-01-01", Note: "x"}, []string{"decidedOn: must be between 1900 and 2100"}},
	}
	for _, c := range cases {
		r := recordOf(base("mappa"))
		before := r
		ev, err := r.RecordCouncilDecision(c.in, officer, now)
		sameProblems(t, c.name, err, c.want...)
		if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
			t.Errorf("%s: a refused change changed the record or made an event", c.name)
		}
	}
}

// ---- Medical and welfare award (HR-M) ----

// HR-M: a known severity and grounds, and for moderate and severe the assessment date, real and not in the
// future. Every problem is listed and the record is left as it was.
func TestHRM_MedicalAwardValidation(t *testing.T) {
	const (
		severity = "severity: is required"
		oneOf    = "severity: must be one of: none, moderate, severe"
		grounds  = "grounds: is required"
		required = "assessedOn: is required when the severity is moderate or severe (HR-M: the award is reviewed once it is 12 months old)"
		realDate = "assessedOn: must be a real date in the form YYYY-MM-DD"
		future   = "assessedOn: cannot be in the future"
		property = "recommendedPropertyType: must have at most 200 characters or items"
	)
	m := func(severity, assessedOn string) MedicalAward {
		return MedicalAward{Severity: severity, Grounds: GroundsMedical, AssessedOn: assessedOn}
	}
	cases := []struct {
		name string
		in   MedicalAward
		want []string
	}{
		{"nothing given: all listed", MedicalAward{}, []string{severity, grounds, realDate}},
		{"unknown severity with a date", m("critical", "2026-11-01"), []string{oneOf}},
		{"unknown severity with an impossible date: both listed", m("extreme", "2026-02-29"), []string{oneOf, realDate}},
		{"unknown grounds", MedicalAward{Severity: "severe", Grounds: "cosmetic", AssessedOn: "2026-11-01"}, []string{"grounds: must be one of: medical, welfare"}},
		{"severe without a date", m("severe", ""), []string{required}},
		{"moderate without a date", m("moderate", ""), []string{required}},
		{"impossible date", m("moderate", "2026-02-29"), []string{realDate}},
		{"not in the YYYY-MM-DD form", m("severe", "23/11/2026"), []string{realDate}},
		{"assessed tomorrow", m("severe", "2026-11-24"), []string{future}},
		{"none with a bad date", m("none", "soon"), []string{realDate}},
		{"a property type over 200 characters", MedicalAward{Severity: "severe", Grounds: GroundsMedical, AssessedOn: "2026-11-01", RecommendedPropertyType: strings.Repeat("a", 201)}, []string{property}},
		// real dates, not in the future, but not plausible: a review "due" in year 2 (found by the hostile-input table)
		{"assessed in year 1", m("severe", "0001-01-01"), []string{"assessedOn: must be between 1900 and 2100"}},
		{"assessed in 1899", m("moderate", "1899-12-31"), []string{"assessedOn: must be between 1900 and 2100"}},
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
	for _, ok := range []MedicalAward{m("none", ""), m("severe", "2026-11-23"), {Severity: "moderate", Grounds: GroundsWelfare, AssessedOn: "2020-01-01", RecommendedPropertyType: "Ground floor, level-access shower"}} {
		r := recordOf(base("sharing-facilities"))
		if _, err := r.RecordMedicalAward(ok, officer, now); err != nil {
			t.Errorf("%+v: %v", ok, err)
		}
	}
}

// HR-M: severe is Band A, moderate Band B, none takes the medical priority away; the award's review is due 12
// months after the assessment; it settles the medical needs the applicant asked to have assessed; the event shows
// the band and stars before and after, the grounds and the recommended property type.
func TestHRM_MedicalAwardReassesses(t *testing.T) {
	asked := []MedicalNeed{{Grounds: GroundsMedical, Description: "Cannot manage stairs after a stroke"}}
	cases := []struct {
		name               string
		circumstances      []string
		needs              []MedicalNeed
		prior              *MedicalAward
		in                 MedicalAward
		status             string
		oldBand, newBand   string
		oldStars, newStars int
		reviewDue          string
	}{
		{"severe moves Band B to Band A, with the medical star", []string{"sharing-facilities"}, nil, nil,
			MedicalAward{Severity: "severe", Grounds: GroundsMedical, AssessedOn: "2026-09-30", RecommendedPropertyType: "Ground floor"}, StatusRegistered, BandB, BandA, 0, 1, "2027-09-30"},
		{"moderate gives a place to an applicant with no other need", nil, nil, nil,
			MedicalAward{Severity: "moderate", Grounds: GroundsWelfare, AssessedOn: "2026-11-23"}, StatusRegistered, "", BandB, 0, 1, "2027-11-23"},
		{"the need the applicant asked to have assessed: awaiting, then Band A", nil, asked, nil,
			MedicalAward{Severity: "severe", Grounds: GroundsMedical, AssessedOn: "2026-11-20"}, StatusRegistered, "", BandA, 0, 1, "2027-11-20"},
		{"moderate on a Band A need keeps Band A and adds a star", []string{"mappa"}, nil, nil,
			MedicalAward{Severity: "moderate", Grounds: GroundsMedical, AssessedOn: "2026-11-01"}, StatusRegistered, BandA, BandA, 0, 1, "2027-11-01"},
		{"none withdraws a medical-only Band A", nil, nil, award("severe", "2026-10-01"),
			MedicalAward{Severity: "none", Grounds: GroundsMedical}, StatusNotQualifying, BandA, "", 1, 0, "none"},
	}
	for _, c := range cases {
		a := base(c.circumstances...)
		a.MedicalNeeds = c.needs
		r := decidedRecord(a, Council{MedicalAward: c.prior})
		if c.needs != nil && (r.Decision.Status != StatusAwaitingVerification || !reflect.DeepEqual(outstandingClaims(r.Decision), []string{ClaimMedical})) {
			t.Errorf("%s: before the award %s %v", c.name, r.Decision.Status, outstandingClaims(r.Decision))
		}
		ev, err := r.RecordMedicalAward(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, c.oldBand, c.newBand, c.oldStars, c.newStars)
		if r.Decision.Status != c.status || dateString(r.Decision.MedicalReviewDue) != c.reviewDue || r.Council.MedicalAward == nil ||
			*r.Council.MedicalAward != c.in || len(r.Decision.Outstanding) != 0 || r.Council.MedicalNeedsAssessed != len(c.needs) {
			t.Errorf("%s: status %s, review due %s, award %+v, outstanding %v", c.name, r.Decision.Status, dateString(r.Decision.MedicalReviewDue), r.Council.MedicalAward, r.Decision.Outstanding)
		}
		if ev.Details["severity"] != c.in.Severity || ev.Details["grounds"] != c.in.Grounds || ev.Details["assessedOn"] != c.in.AssessedOn ||
			ev.Details["recommendedPropertyType"] != c.in.RecommendedPropertyType || ev.Details["rule"] != "HR-M" || ev.Action != "medical-award-recorded" {
			t.Errorf("%s: details %v", c.name, ev.Details)
		}
	}
}

// ---- Unacceptable behaviour (HR-U) and debt exceptions (HR-U1) ----

// HR-U: an officer records unacceptable behaviour with its evidence: no offer while it applies; a later finding
// that it no longer applies lifts it. Violence to staff is a removal (HR-E3), not a finding.
func TestHRU_RecordBehaviour(t *testing.T) {
	cases := []struct {
		name      string
		earlier   []FindingRecord
		in        Finding
		offerable bool
		reason    string
	}{
		{"nuisance: no offers", nil, Finding{Code: "nuisance", Applies: yes(), Evidence: "Injunction of 1 Nov"}, false, "No offer can be made while this applies: nuisance or annoyance to neighbours or visitors"},
		{"fraud: no offers", nil, Finding{Code: "fraud", Applies: yes(), Evidence: "Conviction"}, false, "housing or welfare benefit fraud"},
		{"no longer applies: offers resume", findings("nuisance"), Finding{Code: "nuisance", Applies: no(), Evidence: "Injunction discharged"}, true, ""},
		{"a plan not kept is a debt rule", nil, Finding{Code: "plan-not-kept", Applies: yes(), Evidence: "Missed 3 payments"}, false, "the agreed repayment plan is not being kept"},
	}
	for _, c := range cases {
		r := decidedRecord(base("mappa"), Council{UnacceptableBehaviour: c.earlier})
		before := r.Decision
		ev, err := r.RecordBehaviour(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, before.BandName(), BandA, 0, 0)
		if r.Decision.Offerable != c.offerable || len(r.Council.UnacceptableBehaviour) != 1 || r.Council.UnacceptableBehaviour[0].Evidence != c.in.Evidence {
			t.Errorf("%s: offerable %v, findings %+v", c.name, r.Decision.Offerable, r.Council.UnacceptableBehaviour)
		}
		if c.reason != "" {
			mustContain(t, c.name, reasonText(r.Decision, "HR-U"), c.reason)
		}
		if ev.Details["code"] != c.in.Code || ev.Details["applies"] != *c.in.Applies || ev.Details["evidence"] != c.in.Evidence {
			t.Errorf("%s: details %v", c.name, ev.Details)
		}
	}
	for name, c := range map[string]struct {
		in   Finding
		want []string
	}{
		"nothing given": {Finding{}, []string{"code: is required", "applies: is required", "evidence: is required"}},
		"violence to staff": {Finding{Code: "violence-to-staff", Applies: yes(), Evidence: "x"},
			[]string{"code: violence or threats towards staff or contractors remove the application at once: record the removal instead (HR-E3)"}},
		"an exception's code": {Finding{Code: "urgent-medical", Applies: yes(), Evidence: "x"},
			[]string{`code: "urgent-medical" is not a known code: use one of nuisance, illegal-use-conviction, domestic-abuse-perpetrator, deception, fraud, property-deterioration, serious-offence, plan-not-kept`}},
	} {
		r := decidedRecord(base("mappa"), Council{})
		_, err := r.RecordBehaviour(c.in, officer, now)
		sameProblems(t, name, err, c.want...)
	}
}

// HR-U1: an officer records an exception with its evidence: an offer may then be made despite debt (not despite
// other behaviour).
func TestHRU1_RecordDebtException(t *testing.T) {
	a := base("mappa")
	a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)} // 3 weeks' arrears, confirmed
	cases := []struct {
		name      string
		behaviour []FindingRecord
		in        Finding
		offerable bool
	}{
		{"a victim of domestic violence: offers despite debt", nil, Finding{Code: "domestic-violence-victim", Applies: yes(), Evidence: "MARAC referral"}, true},
		{"urgent medical need", nil, Finding{Code: "urgent-medical", Applies: yes(), Evidence: "Consultant's letter"}, true},
		{"not despite fraud", findings("fraud"), Finding{Code: "hate-crime-victim", Applies: yes(), Evidence: "Police report"}, false},
		{"found not to apply", nil, Finding{Code: "hate-crime-victim", Applies: no(), Evidence: "No report found"}, false},
	}
	for _, c := range cases {
		r := decidedRecord(a, Council{UnacceptableBehaviour: c.behaviour})
		ev, err := r.RecordDebtException(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, BandReduced, BandReduced, 0, 0)
		if r.Decision.Offerable != c.offerable || r.Decision.Reasons.Has("HR-U1") != *c.in.Applies || ev.Details["rule"] != "HR-U1" || ev.Action != "debt-exception-recorded" {
			t.Errorf("%s: offerable %v, reasons %v, event %+v", c.name, r.Decision.Offerable, r.Decision.Reasons, ev)
		}
	}
	r := decidedRecord(a, Council{})
	_, err := r.RecordDebtException(Finding{Code: "nuisance", Applies: yes(), Evidence: "x"}, officer, now)
	sameProblems(t, "a behaviour code", err, `code: "nuisance" is not a known code: use one of domestic-violence-victim, hate-crime-victim, urgent-medical, exceptional-circumstances`)
}

// ---- Removal (HR-E3) and closure ----

// HR-E3: violence or threats towards staff or contractors remove the application at once, whatever the need:
// no band, no offers, no deadlines, no further change.
func TestHRE3_Remove(t *testing.T) {
	cases := []struct {
		name   string
		record func() Record
	}{
		{"an active Emergency application", func() Record { return decidedRecord(base("homeless-priority-need"), Council{}) }},
		{"an application awaiting verification", func() Record { return recordOf(base("mappa")) }},
	}
	for _, c := range cases {
		r := c.record()
		before := r.Decision
		ev, err := r.Remove(Removal{IncidentOn: "2026-11-20", Evidence: "Threatened the housing officer at the office"}, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, before.BandName(), "", before.Stars, 0)
		d := r.Decision
		if d.Status != StatusRemoved || d.Offerable || d.EffectiveDate != nil || !d.Reasons.Has("HR-E3") || OpenDeadlines(r) != nil || d.Outstanding != nil ||
			r.Council.Closure.Reason != ClosedRemoved || r.Council.Closure.IncidentOn != "2026-11-20" || ev.Details["rule"] != "HR-E3" {
			t.Errorf("%s: %+v, closure %+v", c.name, d, r.Council.Closure)
		}
		_, err = r.Assign(Assignment{OfficerID: "a", OfficerName: "b"}, officer, now)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict || e.Rule != "HR-E3" {
			t.Errorf("%s: a removed application changes no more: %v", c.name, err)
		}
		if err := r.CanOffer(today, today); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("%s: no offer to a removed applicant: %v", c.name, err)
		}
	}
	r := decidedRecord(base("mappa"), Council{})
	_, err := r.Remove(Removal{IncidentOn: "2026-11-24", Evidence: " "}, officer, now)
	sameProblems(t, "incident tomorrow, no evidence", err, "incidentOn: cannot be in the future", "evidence: is required")
}

// HR-D: an application is closed with its reason (withdrawn, housed with the property, no longer eligible naming
// HR-E1 or HR-E2), which the applicant is told; it then changes no more.
func TestHRD_Close(t *testing.T) {
	cases := []struct {
		name   string
		in     Closing
		rule   string
		reason string
	}{
		{"withdrawn", Closing{Reason: ClosedWithdrawn, Note: "The applicant has moved in with family."}, "HR-D", "Your application was withdrawn: The applicant has moved in with family"},
		{"housed", Closing{Reason: ClosedHoused, Note: "Accepted", Property: "Flat 2, 1 Elm Road"}, "HR-D", "You have been housed (Flat 2, 1 Elm Road)"},
		{"no longer eligible", Closing{Reason: ClosedNoLongerEligible, Rule: "HR-E1", Note: "Leave to remain has ended"}, "HR-E1", "You are no longer eligible for the register, so your application is closed: Leave to remain has ended"},
	}
	for _, c := range cases {
		r := decidedRecord(base("mappa"), Council{})
		ev, err := r.Close(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, BandA, "", 0, 0)
		if r.Decision.Status != StatusClosed || r.Council.Closure.Reason != c.in.Reason || r.Council.Closure.Rule != c.rule || r.Council.Closure.ClosedOn != today ||
			ev.Details["rule"] != c.rule || ev.Details["reason"] != c.in.Reason {
			t.Errorf("%s: %+v %+v %v", c.name, r.Decision, r.Council.Closure, ev.Details)
		}
		mustContain(t, c.name, reasonText(r.Decision, c.rule), c.reason)
		if _, err := r.Close(c.in, officer, now); apperr.CodeOf(err) != apperr.Conflict {
			t.Errorf("%s: closed twice: %v", c.name, err)
		}
	}
	for name, c := range map[string]struct {
		in   Closing
		want []string
	}{
		"nothing":                         {Closing{}, []string{"reason: is required", "note: is required"}},
		"unknown reason":                  {Closing{Reason: "bored", Note: "x"}, []string{"reason: must be one of: withdrawn, housed, no-longer-eligible"}},
		"housed without the property":     {Closing{Reason: ClosedHoused, Note: "x"}, []string{"property: is required when the reason is housed"}},
		"no longer eligible with no rule": {Closing{Reason: ClosedNoLongerEligible, Note: "x"}, []string{"rule: is required when the reason is no-longer-eligible: HR-E1 (age or immigration status) or HR-E2 (no housing need)"}},
		"withdrawn with a rule and a property": {Closing{Reason: ClosedWithdrawn, Rule: "HR-E2", Note: "x", Property: "Flat"},
			[]string{"rule: must be left out unless the reason is no-longer-eligible", "property: must be left out unless the reason is housed"}},
		"a rule that is not an eligibility rule": {Closing{Reason: ClosedNoLongerEligible, Rule: "HR-U", Note: "x"}, []string{"rule: must be one of: HR-E1, HR-E2"}},
	} {
		r := decidedRecord(base("mappa"), Council{})
		_, err := r.Close(c.in, officer, now)
		sameProblems(t, name, err, c.want...)
	}
}

// HR-D: an application is assigned to an officer, who then owns its officers' deadlines.
func TestHRD_Assign(t *testing.T) {
	r := decidedRecord(base("homeless-priority-need"), Council{})
	ev, err := r.Assign(Assignment{OfficerID: " alloc-7 ", OfficerName: "Sam Officer"}, officer, now)
	if err != nil {
		t.Fatal(err)
	}
	wantChange(t, "assigned", ev, r, BandEmergency, BandEmergency, 0, 0)
	if *r.Council.Officer != (casefile.Actor{ID: "alloc-7", Name: "Sam Officer"}) || ev.Details["oldOfficerId"] != "" || ev.Details["newOfficerId"] != "alloc-7" {
		t.Errorf("officer %+v, details %v", r.Council.Officer, ev.Details)
	}
	for _, d := range OpenDeadlines(r) {
		if d.Audience == casefile.Officer && d.Owner != "alloc-7" {
			t.Errorf("%s: owner %q", d.Name, d.Owner)
		}
	}
	ev, _ = r.Assign(Assignment{OfficerID: "alloc-8", OfficerName: "Kim Officer"}, officer, now)
	if ev.Details["oldOfficerId"] != "alloc-7" {
		t.Errorf("reassigned: %v", ev.Details)
	}
	_, err = r.Assign(Assignment{}, officer, now)
	sameProblems(t, "nobody", err, "officerId: is required", "officerName: is required")
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
		a.HousingDebt = c.prior // declared, and confirmed as declared
		r := decidedRecord(a, Council{})
		ev, err := r.UpdateDebt(c.in, officer, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		wantChange(t, c.name, ev, r, c.oldBand, c.newBand, 0, 0)
		if r.Decision.Offerable != c.offerable || ev.Details["newOfferable"] != c.offerable {
			t.Errorf("%s: offerable %v, want %v", c.name, r.Decision.Offerable, c.offerable)
		}
		if got := reasonText(r.Decision, "HR-U"); (c.reason == "") != (got == "") || !strings.Contains(got, c.reason) {
			t.Errorf("%s: HR-U reasons %q, want %q", c.name, got, c.reason)
		}
		if r.Council.HousingDebt == nil || *r.Council.HousingDebt != c.in || !reflect.DeepEqual(r.Application.HousingDebt, c.prior) {
			t.Errorf("%s: the council's debt %+v, the declared one %+v", c.name, r.Council.HousingDebt, r.Application.HousingDebt)
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
	r := decidedRecord(base("mappa"), Council{})
	ev, err := r.UpdateDebt(HousingDebt{Amount: pounds(900), WeeklyRent: pounds(100), TenancyEndedOn: "2019-03-01"}, officer, now)
	if err != nil {
		t.Fatal(err)
	}
	wantChange(t, "old tenancy debt", ev, r, BandA, BandReduced, 0, 0)
	if !r.Decision.Offerable || ev.Details["tenancyEndedOn"] != "2019-03-01" || !r.Decision.Reasons.Has("HR-R1") {
		t.Errorf("offerable %v, details %v, reasons %v", r.Decision.Offerable, ev.Details, r.Decision.Reasons)
	}
}
