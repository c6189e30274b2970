package complaints

import (
	"reflect"
	"slices"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Source §5.10 (CH-9): reasonable adjustments and disclosed disabilities are recorded with a review date (a
// deadline of the complaint), flagged for handlers, named in the acknowledgement letter, and reviewed again;
// never on the timeline or in the list entry.
func TestCode5_10_AdjustmentsRecordedShownAndReviewed(t *testing.T) {
	c := received(t)
	ev, err := c.RecordAdjustments(AdjustmentsInput{Agreed: []string{"Letters in large print", "Calls after 2pm"}, DisclosedDisabilities: "Partially sighted",
		ReviewOn: "2027-03-01"}, staff("officer-a"), at("2026-12-23T12:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	if ev.Rule != "CH-9" || ev.Details["disabilitiesDisclosed"] != true || reflect.ValueOf(ev.Details).MapIndex(reflect.ValueOf("disclosedDisabilities")).IsValid() {
		t.Errorf("timeline entry (no special category data): %+v", ev.Details)
	}
	if !c.HasFlag(FlagAdjustments) || c.Adjustments.ReviewOn.String() != "2027-03-01" || c.Adjustments.Reviews != 0 {
		t.Errorf("adjustments: %+v %v", c.Adjustments, c.Flags)
	}
	if i := slices.IndexFunc(OpenDeadlines(c), func(d casefile.Deadline) bool { return d.Name == "adjustments-review" }); i < 0 || OpenDeadlines(c)[i].Due.String() != "2027-03-01" {
		t.Errorf("review deadline: %+v", OpenDeadlines(c))
	}
	letter := check{t}.letter(c.Acknowledge(Acknowledgement{Definition: "d", OutcomesSought: "o"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	wantInLetter(t, letter, "What we have agreed to make this easier for you", "Letters in large print")
	if f := c.Facts(); f.Adjustments != nil || !f.HasFlag(FlagAdjustments) {
		t.Errorf("facts: %+v", f)
	}
	// reviewed: none needed any more; the flag goes, the review count grows
	check{t}.event(c.RecordAdjustments(AdjustmentsInput{Agreed: []string{}, ReviewOn: "2027-02-01"}, staff("officer-b"), at("2027-01-05T10:00:00Z")))
	if c.HasFlag(FlagAdjustments) || c.Adjustments.Reviews != 1 || c.Adjustments.RecordedBy != staff("officer-b") {
		t.Errorf("after review: %+v %v", c.Adjustments, c.Flags)
	}
	before := c
	_, err = c.RecordAdjustments(AdjustmentsInput{Agreed: []string{" "}, ReviewOn: "2027-01-05"}, staff("officer-a"), at("2027-01-05T10:00:00Z"))
	wantFields(t, err, "agreed[0]", "reviewOn")
	_, err = c.RecordAdjustments(AdjustmentsInput{ReviewOn: "2027-07-06"}, staff("officer-a"), at("2027-01-05T10:00:00Z"))
	wantFields(t, err, "reviewOn")
	if !reflect.DeepEqual(before, c) {
		t.Error("a refused change changed the complaint")
	}
}

// Source §5.14, §5.15: a restriction on contact records its reasons, a proportionate scope, how the Equality Act
// was considered and a review date (a deadline for the managers); it can be reviewed and ended.
func TestCode5_14_RestrictionWithReasonsScopeAndReview(t *testing.T) {
	c := acknowledged(t)
	_, err := c.Restrict(RestrictionInput{Reasons: "Abusive calls to staff on 3 and 4 January"}, staff("manager-b"), at("2027-01-05T10:00:00Z"))
	wantFields(t, err, "scope", "equalityConsidered", "reviewOn")
	_, err = c.Restrict(RestrictionInput{Reasons: "x", End: true}, staff("manager-b"), at("2027-01-05T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "CH-9")
	in := RestrictionInput{Reasons: "Abusive calls to staff on 3 and 4 January", Scope: "Contact by email to one named officer; phone calls not taken",
		EqualityConsidered: "No disability disclosed; email suits the resident", ReviewOn: "2027-04-05"}
	ev := check{t}.event(c.Restrict(in, staff("manager-b"), at("2027-01-05T10:00:00Z")))
	if ev.Action != "restriction-set" || !c.Restriction.Active() || !c.HasFlag(FlagRestricted) {
		t.Fatalf("restriction: %+v %+v", ev, c.Restriction)
	}
	dl := OpenDeadlines(c)
	if i := slices.IndexFunc(dl, func(d casefile.Deadline) bool { return d.Name == "restriction-review" }); i < 0 || dl[i].Team != ManagerGroup || dl[i].Due.String() != "2027-04-05" {
		t.Errorf("review deadline: %+v", dl)
	}
	in.ReviewOn = "2027-08-01"
	_, err = c.Restrict(in, staff("manager-b"), at("2027-01-05T10:00:00Z"))
	wantFields(t, err, "reviewOn")
	ended := check{t}.event(c.Restrict(RestrictionInput{Reasons: "Behaviour improved", End: true}, staff("manager-b"), at("2027-02-01T10:00:00Z")))
	if ended.Action != "restriction-ended" || c.Restriction.Active() || c.Restriction.EndReason != "Behaviour improved" || c.HasFlag(FlagRestricted) {
		t.Errorf("ended: %+v", c.Restriction)
	}
	if slices.ContainsFunc(OpenDeadlines(c), func(d casefile.Deadline) bool { return d.Name == "restriction-review" }) {
		t.Error("an ended restriction has no review")
	}
}
