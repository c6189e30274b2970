package asb

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// Casework records besides the persons reported (source 002: "support victims and witnesses", hearsay statements,
// evidence for possession "on the balance of probabilities" (source 003), reimbursement of witnesses' expenses):
// witnesses, the reporter's diary entries, evidence references and the case's costs. Each is an item of its own in
// the case's partition (W1.., D1.., E1.., C1..); the case keeps only their counts (and the costs' total), so it
// stays the same size. The maxima bound each case; every text has a documented maximum.
const (
	MaxWitnesses    = 20
	MaxDiaryEntries = 200
	MaxEvidence     = 100
	MaxCosts        = 100
	// MaxCostPence bounds one cost: £1,000,000.
	MaxCostPence = 100_000_000
)

// WitnessInput is a witness an officer records (POST /asb/cases/{reference}/witnesses).
type WitnessInput struct {
	Name      string `json:"name" validate:"required,max=200"`
	Contact   string `json:"contact,omitempty" validate:"omitempty,max=200"` // how to reach them, as they gave it
	Statement string `json:"statement,omitempty" validate:"omitempty,max=5000"`
	// WillGiveEvidence: willing to give evidence in court (source 002: support pre and post court).
	WillGiveEvidence bool `json:"willGiveEvidence"`
}

// DiaryInput is a diary entry the reporter sends with their case's token (POST /asb/reports/{reference}/diary):
// what happened and when (source 003: evidence is needed).
type DiaryInput struct {
	OccurredAt  string `json:"occurredAt" validate:"required,datetime=2006-01-02T15:04:05Z07:00"`
	Description string `json:"description" validate:"required,max=2000"`
}

// EvidenceKinds are the kinds of evidence referenced.
var EvidenceKinds = []string{"photo", "video", "audio", "noise-recording", "cctv", "document", "police-log", "statement", "other"}

// EvidenceInput references a piece of evidence kept elsewhere (POST /asb/cases/{reference}/evidence): what it is
// and where it is kept, never the evidence itself.
type EvidenceInput struct {
	Kind        string `json:"kind" validate:"required"`
	Reference   string `json:"reference" validate:"required,max=200"` // e.g. a file name, a police log number
	Description string `json:"description,omitempty" validate:"omitempty,max=1000"`
	ObtainedOn  string `json:"obtainedOn" validate:"required,date"`
}

// CostCategories are the kinds of cost recorded on a case.
var CostCategories = []string{"legal", "court-fees", "cctv", "mediation", "repairs", "witness-expenses", "other"}

// CostInput is a cost of the case (POST /asb/cases/{reference}/costs), in pence.
type CostInput struct {
	Category    string `json:"category" validate:"required"`
	AmountPence int    `json:"amountPence" validate:"required,min=1,max=100000000"`
	Description string `json:"description" validate:"required,max=500"`
	IncurredOn  string `json:"incurredOn" validate:"required,date"`
}

// CaseRecord is one stored casework record: its id, the input it was recorded with, who recorded it and when.
type CaseRecord[In any] struct {
	ID      string         `json:"id" dynamodbav:"id"`
	Record  In             `json:"record" dynamodbav:"record"`
	AddedAt time.Time      `json:"addedAt" dynamodbav:"addedAt"`
	AddedBy casefile.Actor `json:"addedBy" dynamodbav:"addedBy"`
}

// Records counts a case's casework records (the records are items of their own).
type Records struct {
	Witnesses    int `json:"witnesses,omitempty" dynamodbav:"witnesses,omitempty"`
	DiaryEntries int `json:"diaryEntries,omitempty" dynamodbav:"diaryEntries,omitempty"`
	Evidence     int `json:"evidence,omitempty" dynamodbav:"evidence,omitempty"`
	Costs        int `json:"costs,omitempty" dynamodbav:"costs,omitempty"`
	CostsPence   int `json:"costsPence,omitempty" dynamodbav:"costsPence,omitempty"`
}

// addRecord is the shared step of every record: open case, valid input (more for the checks tags cannot make),
// room left (422), the next id.
func addRecord[In any](c *Case, in In, prefix string, count *int, most int, what string, more func(*apperr.Fields), by casefile.Actor,
	at time.Time, action string, details map[string]any) (CaseRecord[In], casefile.Event, error) {
	if err := c.mustBeOpen("record " + what); err != nil {
		return CaseRecord[In]{}, casefile.Event{}, err
	}
	if err := check(in, more); err != nil {
		return CaseRecord[In]{}, casefile.Event{}, err
	}
	if *count >= most {
		return CaseRecord[In]{}, casefile.Event{}, apperr.New(apperr.Unprocessable, "Case %s has %d %s, the most one case can hold", c.Reference, most, what)
	}
	*count++
	r := CaseRecord[In]{ID: fmt.Sprintf("%s%d", prefix, *count), Record: in, AddedAt: at.UTC(), AddedBy: by}
	details["id"] = r.ID
	c.inProgress()
	return r, casefile.NewEvent(at, by, action, "", details), nil
}

// AddWitness records a witness (at most MaxWitnesses).
func (c *Case) AddWitness(in WitnessInput, by casefile.Actor, at time.Time) (CaseRecord[WitnessInput], casefile.Event, error) {
	return addRecord(c, in, "W", &c.Records.Witnesses, MaxWitnesses, "witnesses", nil, by, at, "witness-added",
		map[string]any{"willGiveEvidence": in.WillGiveEvidence})
}

// AddDiaryEntry records the reporter's diary entry (at most MaxDiaryEntries): not in the future, not before
// MaxIncidentAgeYears. The timeline says an entry came, not what it says (the entry is the record).
func (c *Case) AddDiaryEntry(in DiaryInput, at time.Time) (CaseRecord[DiaryInput], casefile.Event, error) {
	return addRecord(c, in, "D", &c.Records.DiaryEntries, MaxDiaryEntries, "diary entries", func(f *apperr.Fields) {
		if t, err := time.Parse(time.RFC3339, in.OccurredAt); err == nil && (t.After(at.Add(clockSkew)) || t.Before(at.AddDate(-MaxIncidentAgeYears, 0, 0))) {
			f.Add("occurredAt", "must be in the last %d years, not in the future", MaxIncidentAgeYears)
		}
	}, casefile.ByResident, at, "diary-entry-added", map[string]any{"occurredAt": in.OccurredAt})
}

// AddEvidence records a reference to a piece of evidence (at most MaxEvidence).
func (c *Case) AddEvidence(in EvidenceInput, by casefile.Actor, at time.Time) (CaseRecord[EvidenceInput], casefile.Event, error) {
	return addRecord(c, in, "E", &c.Records.Evidence, MaxEvidence, "evidence references", func(f *apperr.Fields) {
		oneOf(f, "kind", in.Kind, EvidenceKinds)
		notFuture(f, "obtainedOn", in.ObtainedOn, at)
	}, by, at, "evidence-added", map[string]any{"kind": in.Kind, "reference": in.Reference})
}

// AddCost records a cost of the case (at most MaxCosts); the case keeps the total.
func (c *Case) AddCost(in CostInput, by casefile.Actor, at time.Time) (CaseRecord[CostInput], casefile.Event, error) {
	r, ev, err := addRecord(c, in, "C", &c.Records.Costs, MaxCosts, "costs", func(f *apperr.Fields) {
		oneOf(f, "category", in.Category, CostCategories)
		notFuture(f, "incurredOn", in.IncurredOn, at)
	}, by, at, "cost-added", map[string]any{"category": in.Category, "amountPence": in.AmountPence})
	if err == nil {
		c.Records.CostsPence += in.AmountPence
		ev.Details["costsPence"] = c.Records.CostsPence
	}
	return r, ev, err
}

func oneOf(f *apperr.Fields, field, v string, codes []string) {
	if v != "" && !slices.Contains(codes, v) {
		f.Add(field, "must be one of: %s", strings.Join(codes, ", "))
	}
}

func notFuture(f *apperr.Fields, field, v string, at time.Time) {
	if d, err := workdays.ParseDate(v); err == nil && d.After(workdays.DateOf(at)) {
		f.Add(field, "cannot be in the future")
	}
}
