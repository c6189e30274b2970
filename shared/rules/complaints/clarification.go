package complaints

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/validate"
)

// MaxClarifications bounds the questions asked about one complaint (issue 10: every list inside a record is
// bounded); beyond it a request is refused (422, citing the stage's rule), since a complaint still unclear after
// so many questions needs a conversation, not another letter.
const MaxClarifications = 10

// Clarification is a question asked of the resident about what the complaint is or the outcome they seek, and
// their answer once they give it (source §5.6: "If any aspect of the complaint is unclear, the resident must be
// asked for clarification"; §5.7: areas where responsibility is unclear).
type Clarification struct {
	Stage      int            `json:"stage" dynamodbav:"stage"`
	Question   string         `json:"question" dynamodbav:"question"`
	AskedAt    time.Time      `json:"askedAt" dynamodbav:"askedAt"`
	AskedBy    casefile.Actor `json:"askedBy" dynamodbav:"askedBy"`
	Answer     string         `json:"answer,omitempty" dynamodbav:"answer,omitempty"`
	AnsweredAt *time.Time     `json:"answeredAt,omitempty" dynamodbav:"answeredAt,omitempty"`
	RecordedBy casefile.Actor `json:"recordedBy,omitzero" dynamodbav:"recordedBy,omitempty"`
}

// ClarificationRequest asks the resident to clarify their complaint (POST .../clarification).
type ClarificationRequest struct {
	Question string   `json:"question" validate:"required,max=2000"`
	From     Landlord `json:"-" validate:"-"`
}

// ClarificationAnswer is the resident's answer, as a member of staff records it (POST .../clarification-answer).
type ClarificationAnswer struct {
	Answer string `json:"answer" validate:"required,max=5000"`
}

// stageOpen: the current stage has not been answered (received, acknowledged or escalated).
func (c *Complaint) stageOpen(action string) error {
	if err := c.inProcedure(action); err != nil {
		return err
	}
	if c.Status == StatusResponded {
		return conflict(stageRule(c.Stage), "Stage 1 of complaint %s has been answered; it cannot %s unless the resident escalates", c.Reference, action)
	}
	return nil
}

// AskForClarification records a question to the resident on the complaint and writes it to them (source §5.6),
// at either stage, before the stage is answered. It does not stop the clock: the Code's timescales run on.
func (c *Complaint) AskForClarification(in ClarificationRequest, by casefile.Actor, at time.Time) (Letter, casefile.Event, error) {
	if err := c.stageOpen("be clarified"); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	f := validate.Struct(in)
	if err := f.Err(); err != nil {
		return Letter{}, casefile.Event{}, err
	}
	rule := stageRule(c.Stage)
	if len(c.Clarifications) >= MaxClarifications {
		return Letter{}, casefile.Event{}, apperr.Rule(apperr.Unprocessable, rule,
			"Complaint %s has %d questions to the resident, the most one complaint holds: speak to the resident instead", c.Reference, MaxClarifications)
	}
	c.own()
	c.Clarifications = append(c.Clarifications, Clarification{Stage: c.Stage, Question: strings.TrimSpace(in.Question), AskedAt: at.UTC(), AskedBy: by})
	letter := clarificationLetter(*c, c.Clarifications[len(c.Clarifications)-1], in.From, at)
	letter = c.addLetter(letter)
	return letter, event(at, by, "clarification-requested", rule, map[string]any{"stage": c.Stage, "question": in.Question,
		"letter": letter.onTimeline()}), nil
}

// AnswerClarification records the resident's answer to the oldest question not yet answered (CH-9: a full
// record of the correspondence).
func (c *Complaint) AnswerClarification(in ClarificationAnswer, by casefile.Actor, at time.Time) (casefile.Event, error) {
	if err := c.inProcedure("record an answer"); err != nil {
		return casefile.Event{}, err
	}
	i := -1
	for j, q := range c.Clarifications {
		if q.AnsweredAt == nil {
			i = j
			break
		}
	}
	if i < 0 {
		return casefile.Event{}, conflict("CH-9", "Complaint %s has no question to the resident waiting for an answer", c.Reference)
	}
	f := validate.Struct(in)
	if err := f.Err(); err != nil {
		return casefile.Event{}, err
	}
	c.own()
	t := at.UTC()
	q := &c.Clarifications[i]
	q.Answer, q.AnsweredAt, q.RecordedBy = strings.TrimSpace(in.Answer), &t, by
	return event(at, by, "clarification-answered", "CH-9", map[string]any{"stage": q.Stage, "question": q.Question, "answer": q.Answer}), nil
}
