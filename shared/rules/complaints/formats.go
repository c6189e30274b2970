package complaints

import (
	"strconv"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Letters in an alternative format (source 004 §5.10): GOV.UK Notify sends letters in standard print only, so a
// letter to a resident who needs large print, braille, audio or easy read is produced by the handler. Each such
// letter is a deadline until the handler records that it was sent that way, so it joins their reminder digest
// rather than depending on someone reading the timeline.

// FormatLetterWorkdays is how many working days the handler has to send a letter in its alternative format: the
// next working day, so the resident hears no later than others would by post.
const FormatLetterWorkdays = 1

// FormatSent records that a letter was sent in its alternative format.
type FormatSent struct {
	At  time.Time      `json:"at" dynamodbav:"at"`
	By  casefile.Actor `json:"by" dynamodbav:"by"`
	How string         `json:"how" dynamodbav:"how"`
}

// FormatSentInput is POST /complaints/{reference}/letters/{letterNumber}/sent-in-format: how the letter went.
type FormatSentInput struct {
	Letter int    `json:"-" validate:"-"` // from the path: the letter's number, 1 for the first
	How    string `json:"how" validate:"required,max=500"`
}

// addLetter keeps a letter on the complaint, marked with the alternative format the agreed adjustments ask for.
func (c *Complaint) addLetter(l Letter) Letter {
	if c.Adjustments != nil && c.Adjustments.Format != "" {
		l.Format = c.Adjustments.Format
	}
	c.Letters = append(c.Letters, l)
	return l
}

// RecordFormatSent records that a letter was sent in its alternative format (source 004 §5.10), which ends its
// deadline. A letter with no alternative format, or recorded already, is a conflict.
func (c *Complaint) RecordFormatSent(in FormatSentInput, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if in.Letter < 1 || in.Letter > len(c.Letters) {
		return casefile.Event{}, apperr.NotFoundf("Complaint %s has no letter %d.", c.Reference, in.Letter)
	}
	l := c.Letters[in.Letter-1]
	switch {
	case l.Format == "":
		return casefile.Event{}, conflict("Code 5.10", "letter %d of complaint %s was sent in standard form: no alternative format was agreed when it was written", in.Letter, c.Reference)
	case l.FormatSent != nil:
		return casefile.Event{}, conflict("Code 5.10", "letter %d of complaint %s was recorded as sent in %s on %s already", in.Letter, c.Reference, l.Format,
			workdays.DateOf(l.FormatSent.At))
	}
	f := validate.Struct(in)
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	c.own()
	c.Letters[in.Letter-1].FormatSent = &FormatSent{At: at.UTC(), By: by, How: strings.TrimSpace(in.How)}
	return event(at, by, "letter-sent-in-format", "Code 5.10", map[string]any{"letter": in.Letter, "kind": l.Kind, "format": l.Format}), nil
}

// formatDeadlines are the letters still to be sent in their alternative format, each due the working day after it
// was written, the handler's (their team's until acknowledged), whatever the complaint's status: a refusal or a
// final response is owed in the agreed format too.
func formatDeadlines(c Complaint) []casefile.Deadline {
	var out []casefile.Deadline
	owner := ""
	if len(c.Stages) > 0 {
		owner = c.Stages[len(c.Stages)-1].AcknowledgedBy.ID
	}
	for i, l := range c.Letters {
		if l.Format == "" || l.FormatSent != nil {
			continue
		}
		n := strconv.Itoa(i + 1)
		team := OfficerGroup
		if l.Stage == 2 {
			team = ManagerGroup
		}
		out = append(out, casefile.Deadline{CaseKind: casefile.Complaint, CaseRef: c.Reference, Name: "letter-format:" + n,
			Due: workdays.AddWorkingDays(workdays.DateOf(l.CreatedAt), FormatLetterWorkdays), Rule: "Code 5.10", Owner: owner, Team: team,
			Manager: ManagerGroup, Audience: casefile.Officer, Label: "Send letter " + n + " in " + l.Format + " (Code 5.10)"})
	}
	return out
}
