package register

import (
	"reflect"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// withContact is r with its contact put back, as the service does before a change of address or household.
func withContact(r Record, a Application) Record {
	r.SetContact(ContactOf(a))
	return r
}

// HR-D: a change of circumstances after submitting is re-assessed as claims: new circumstances and needs count
// provisionally until the council checks or decides them; a move makes every check and decision about the old
// home stale, a change of household every one that depends on its size; an ended circumstance no longer counts.
func TestHRD_ChangeCircumstances(t *testing.T) {
	sharing := base("sharing-facilities", "armed-forces-injury")
	crowded := base("statutory-overcrowding", "mappa")
	cases := []struct {
		name        string
		a           Application
		c           Council
		in          CircumstancesChange
		status      string
		band        string
		provisional string
		outstanding []string
		recheck     []string
	}{
		{"a move: the old home's checks are stale", sharing, Council{},
			CircumstancesChange{Address: &NewAddress{Address: "2 New Street", Postcode: "NN2 2AA"}},
			StatusRegistered, BandEmergency, BandEmergency, []string{"sharing-facilities"}, []string{"sharing-facilities"}},
		{"a new need: provisional until decided", base("sharing-facilities"), Council{},
			CircumstancesChange{Circumstances: []string{"child-at-risk"}},
			StatusRegistered, BandB, BandA, []string{"child-at-risk"}, nil},
		{"an ended need no longer counts, whatever was decided", base("mappa"), Council{},
			CircumstancesChange{CircumstancesEnded: []string{"mappa"}},
			StatusNotQualifying, "", "", nil, nil},
		{"someone joins: size-dependent checks are stale", crowded, Council{},
			CircumstancesChange{HouseholdJoined: []Member{{Name: "Ash", DateOfBirth: "2026-10-01", Relationship: "child"}}},
			StatusRegistered, BandA, BandEmergency, []string{"statutory-overcrowding"}, []string{"statutory-overcrowding"}},
		{"a new medical need waits for the adviser, even with an award", base("sharing-facilities"), Council{MedicalAward: award("moderate", "2026-06-01")},
			CircumstancesChange{MedicalNeeds: []MedicalNeed{{Grounds: GroundsMedical, Person: "Kim", Description: "New diagnosis"}}},
			StatusRegistered, BandB, BandB, []string{ClaimMedical}, nil},
	}
	for _, c := range cases {
		r := withContact(decidedRecord(c.a, c.c), c.a)
		before := r.Decision
		ev, err := r.ChangeCircumstances(c.in, casefile.ByResident, now)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d := r.Decision
		wantChange(t, c.name, ev, r, before.BandName(), c.band, before.Stars, d.Stars)
		if d.Status != c.status || bandString(d.Provisional.Band) != c.provisional || !reflect.DeepEqual(outstandingClaims(d), c.outstanding) {
			t.Errorf("%s: %s provisional %q outstanding %v", c.name, d.Status, bandString(d.Provisional.Band), outstandingClaims(d))
		}
		if got, _ := ev.Details["recheck"].([]string); !reflect.DeepEqual(got, c.recheck) || ev.Actor != "resident" || ev.Action != "circumstances-changed" {
			t.Errorf("%s: event %+v", c.name, ev)
		}
	}
	// the contact to store follows the change
	r := withContact(decidedRecord(sharing, Council{}), sharing)
	_, err := r.ChangeCircumstances(CircumstancesChange{Address: &NewAddress{Address: "2 New Street", Postcode: "NN2 2AA"},
		HouseholdJoined: []Member{{Name: "Ash", DateOfBirth: "2026-10-01"}}, HouseholdLeft: []string{"kim"}}, casefile.ByResident, now)
	c := ContactOf(r.Application)
	if err != nil || c.Address != "2 New Street" || c.Postcode != "NN2 2AA" || len(c.Household) != 1 || c.Household[0].Name != "Ash" || c.Name != "Jo Applicant" {
		t.Errorf("contact %v %+v", err, c.Household)
	}
}

func TestHRD_ChangeCircumstancesValidation(t *testing.T) {
	cases := []struct {
		name string
		in   CircumstancesChange
		want []string
	}{
		{"nothing", CircumstancesChange{}, []string{"change: give at least one of address, householdJoined, householdLeft, circumstances, circumstancesEnded, medicalNeeds"}},
		{"already claimed, not claimed, unknown", CircumstancesChange{Circumstances: []string{"mappa", "rich"}, CircumstancesEnded: []string{"decant"}},
			[]string{`circumstances[0]: "mappa" is already claimed`, `circumstances[1]: "rich" is not a known code`, "circumstances: use codes from: " + codeList(),
				`circumstancesEnded[0]: "decant" is not claimed in this application`}},
		{"someone not in the household leaves", CircumstancesChange{HouseholdLeft: []string{"Sam"}}, []string{`householdLeft[0]: "Sam" is not in the household`}},
		{"a bad address, a baby born tomorrow", CircumstancesChange{Address: &NewAddress{Address: "x", Postcode: "XX"},
			HouseholdJoined: []Member{{Name: "Baby", DateOfBirth: "2026-11-24"}}},
			[]string{"address.postcode: must be a UK postcode", "householdJoined[0].dateOfBirth: cannot be in the future"}},
	}
	for _, c := range cases {
		r := withContact(decidedRecord(base("mappa"), Council{}), base("mappa"))
		before := r
		ev, err := r.ChangeCircumstances(c.in, casefile.ByResident, now)
		sameProblems(t, c.name, err, c.want...)
		if !reflect.DeepEqual(r, before) || !reflect.DeepEqual(ev, casefile.Event{}) {
			t.Errorf("%s: a refused change changed the record or made an event", c.name)
		}
	}
	r := decidedRecord(base("mappa"), Council{}) // contact not put back
	if _, err := r.ChangeCircumstances(CircumstancesChange{HouseholdLeft: []string{"Kim"}}, casefile.ByResident, now); apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("a change of household without the contact is a programming error: %v", err)
	}
}

func codeList() string {
	out := ""
	for i, c := range codeNames(Circumstances) {
		if i > 0 {
			out += ", "
		}
		out += c
	}
	return out
}

// HR-R: the applicant may ask for a review of a reduced-priority decision (source 001: to the Housing Solutions
// Manager, considered at the Social Welfare Panel); it becomes the manager's task, due in ReviewWorkingDays
// working days (no timescale in source 001: the product's choice). The manager's decision closes it: upheld, the
// reduced priority stands; overturned, it is lifted for the causes reviewed.
func TestHRR_RequestAndDecideReview(t *testing.T) {
	a := base("mappa")
	a.HousingDebt = &HousingDebt{Amount: pounds(300), WeeklyRent: pounds(100)}
	r := decidedRecord(a, Council{})
	ev, err := r.RequestReview(ReviewRequest{Grounds: "The arrears are my former partner's"}, casefile.ByResident, now)
	if err != nil {
		t.Fatal(err)
	}
	// 40 working days from Monday 23 November 2026, skipping 25 and 28 December and 1 January
	if ev.Details["dueOn"] != "2027-01-21" || !reflect.DeepEqual(ev.Details["causes"], []string{CauseHousingDebt}) || ev.Details["channel"] != "online" || ev.Details["rule"] != "HR-R" {
		t.Errorf("details %v", ev.Details)
	}
	if due := workdays.AddWorkingDays(today, ReviewWorkingDays); due.String() != "2027-01-21" {
		t.Errorf("hand count disagrees with the calendar: %s", due)
	}
	var task *casefile.Deadline
	for _, d := range OpenDeadlines(r) {
		if d.Name == DeadlineReducedPriorityReview {
			task = &d
		}
	}
	if task == nil || task.Due.String() != "2027-01-21" || task.Team != ManagerTeam || task.Manager != ManagerTeam || task.Rule != "HR-R" || task.Audience != casefile.Officer {
		t.Fatalf("the manager's task: %+v", task)
	}
	mustContain(t, "the applicant is told", reasonText(r.Decision, "HR-R"), "Social Welfare Panel and decide by 2027-01-21")
	before := r
	ev, err = r.RequestReview(ReviewRequest{Grounds: "again"}, casefile.ByResident, now)
	wantConflict(t, "one review at a time", err, "HR-R", r, before, ev)

	overturned := r
	ev, err = overturned.DecideReview(ReviewDecision{Review: 1, Outcome: ReviewOverturned, Note: "The debt is the former partner's"}, officer, now)
	if err != nil {
		t.Fatal(err)
	}
	wantChange(t, "overturned", ev, overturned, BandReduced, BandA, 0, 0)
	mustContain(t, "overturned", reasonText(overturned.Decision, "HR-R"), "lifted it for your housing debt, which is still payable", "it was lifted: The debt is the former partner's")
	if overturned.Decision.Offerable || OpenDeadlines(overturned) != nil && hasDeadline(OpenDeadlines(overturned), DeadlineReducedPriorityReview) {
		t.Errorf("HR-U still bars offers (3 weeks' arrears); the task is closed: %v %v", overturned.Decision.Offerable, OpenDeadlines(overturned))
	}
	before = overturned
	ev, err = overturned.DecideReview(ReviewDecision{Review: 1, Outcome: ReviewUpheld, Note: "x"}, officer, now)
	wantConflict(t, "decided twice", err, "HR-R", overturned, before, ev)

	upheld := r
	if _, err := upheld.DecideReview(ReviewDecision{Review: 1, Outcome: ReviewUpheld, Note: "The debt is joint"}, officer, now); err != nil ||
		upheld.Decision.BandName() != BandReduced || hasDeadline(OpenDeadlines(upheld), DeadlineReducedPriorityReview) {
		t.Errorf("upheld: %v %s", err, upheld.Decision.BandName())
	}
	mustContain(t, "upheld", reasonText(upheld.Decision, "HR-R"), "your reduced priority stands: The debt is joint")
	_, err = upheld.DecideReview(ReviewDecision{Review: 2, Outcome: "maybe"}, officer, now)
	sameProblems(t, "no such review", err, "outcome: must be one of: upheld, overturned", "note: is required", "review: there is no review 2: the application has 1")

	for name, rec := range map[string]Record{"Band A": decidedRecord(base("mappa"), Council{}), "awaiting verification": recordOf(base("mappa"))} {
		before := rec
		ev, err := rec.RequestReview(ReviewRequest{Grounds: "x"}, casefile.ByResident, now)
		wantConflict(t, name+": nothing to review", err, "HR-R", rec, before, ev)
	}
}

// HR-R: refusals lifted by a review stop counting; refusals after it count again.
func TestHRR_ReviewLiftsRefusalsBeforeIt(t *testing.T) {
	r := decidedRecord(base("mappa"), Council{Offers: refusals("2026-01-10", "2026-06-01", "2026-10-01")})
	if _, err := r.RequestReview(ReviewRequest{Grounds: "Two were not suitable", Channel: "written"}, casefile.ByResident, now); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DecideReview(ReviewDecision{Review: 1, Outcome: ReviewOverturned, Note: "Lifted"}, officer, now); err != nil || r.Decision.BandName() != BandA {
		t.Fatalf("%v %s", err, r.Decision.BandName())
	}
	if d := r.AsOf(date("2026-12-01")); d.Decision.BandName() != BandA {
		t.Errorf("still lifted: %s", d.Decision.BandName())
	}
	r.Council.Offers = append(r.Council.Offers, refusals("2026-11-25", "2026-11-26", "2026-11-27")...)
	if d := r.AsOf(date("2026-12-01")); d.Decision.BandName() != BandReduced {
		t.Errorf("3 refusals after the review: %s", d.Decision.BandName())
	}
}

func hasDeadline(ds []casefile.Deadline, name string) bool {
	for _, d := range ds {
		if d.Name == name {
			return true
		}
	}
	return false
}
