package complaints

import (
	"slices"
	"testing"

	"github.com/councilhousing/backend/shared/rules/apperr"
)

func formatDeadlineNames(c Complaint) []string {
	var names []string
	for _, d := range OpenDeadlines(c) {
		if d.Rule == "Code 5.10" && d.Name != "adjustments-review" {
			names = append(names, d.Name+" "+d.Due.String()+" "+d.Owner+" "+d.Team)
		}
	}
	return names
}

// Source 004 §5.10: a letter written while an alternative format is agreed is owed in that format (Notify prints
// standard letters only), so it is the handler's deadline the next working day until they record it was sent.
func TestCode5_10_LettersOwedInAnAlternativeFormatAreDeadlinesUntilSent(t *testing.T) {
	c := received(t)
	check{t}.event(c.RecordAdjustments(AdjustmentsInput{Format: "large-print", ReviewOn: "2027-03-01"}, staff("officer-a"), at("2026-12-23T11:00:00Z")))
	// acknowledged Thu 24 Dec 2026: the next working day is Tue 29 Dec (Christmas and Boxing Day substitute)
	ack := check{t}.letter(c.Acknowledge(Acknowledgement{Definition: "Missed boiler repairs", OutcomesSought: "Boiler fixed", Handler: "officer-a"},
		staff("officer-a"), at("2026-12-24T10:00:00Z")))
	if ack.Format != "large-print" || c.Letters[0].Format != "large-print" {
		t.Fatalf("the acknowledgement is owed in large print: returned %q, kept %q", ack.Format, c.Letters[0].Format)
	}
	if got, want := formatDeadlineNames(c), []string{"letter-format:1 2026-12-29 officer-a complaints-officer"}; !slices.Equal(got, want) {
		t.Fatalf("deadlines %v, want %v", got, want)
	}

	before := c
	ev := check{t}.event(c.RecordFormatSent(FormatSentInput{Letter: 1, How: "Posted in large print"}, staff("officer-a"), at("2026-12-29T09:00:00Z")))
	if ev.Action != "letter-sent-in-format" || ev.Rule != "Code 5.10" || ev.Details["format"] != "large-print" {
		t.Errorf("event %+v", ev)
	}
	if len(formatDeadlineNames(c)) != 0 || c.Letters[0].FormatSent == nil || c.Letters[0].FormatSent.How != "Posted in large print" {
		t.Errorf("recorded: deadlines %v, letter %+v", formatDeadlineNames(c), c.Letters[0])
	}
	if before.Letters[0].FormatSent != nil {
		t.Error("the loaded record changed with the transition")
	}
	_, err := c.RecordFormatSent(FormatSentInput{Letter: 1, How: "Again"}, staff("officer-a"), at("2026-12-29T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "Code 5.10")
}

func TestCode5_10_RecordingAFormatLetter(t *testing.T) {
	plain := acknowledged(t)
	_, err := plain.RecordFormatSent(FormatSentInput{Letter: 1, How: "Posted"}, staff("officer-a"), at("2026-12-29T10:00:00Z"))
	wantRuleError(t, err, apperr.Conflict, "Code 5.10") // a standard letter owes nothing
	for _, n := range []int{0, 2, -1} {
		if _, err := plain.RecordFormatSent(FormatSentInput{Letter: n, How: "Posted"}, staff("officer-a"), at("2026-12-29T10:00:00Z")); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("letter %d: %v, want 404", n, err)
		}
	}
	c := received(t)
	check{t}.event(c.RecordAdjustments(AdjustmentsInput{Format: "braille", ReviewOn: "2027-03-01"}, staff("officer-a"), at("2026-12-23T11:00:00Z")))
	check{t}.letter(c.Refuse(RefusalRequest{Exclusion: "legal-proceedings", Explanation: "Claim form filed on 1 Dec 2026"}, staff("officer-a"), at("2026-12-24T10:00:00Z")))
	if got := formatDeadlineNames(c); len(got) != 1 {
		t.Errorf("a refusal is owed in braille too: %v", got)
	}
	_, err = c.RecordFormatSent(FormatSentInput{Letter: 1}, staff("officer-a"), at("2026-12-29T10:00:00Z"))
	wantFields(t, err, "how")
}
