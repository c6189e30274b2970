package asbcases

import (
	"context"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// Item kinds of the casework records in a case's partition (casework.Item): bounded each (asb.MaxWitnesses ...).
const (
	ItemWitness  = "WITNESS"
	ItemDiary    = "DIARY"
	ItemEvidence = "EVIDENCE"
	ItemCost     = "COST"
)

// Staff adding casework records to a case.
type (
	AddWitness  = casework.Action[asb.WitnessInput]
	AddEvidence = casework.Action[asb.EvidenceInput]
	AddCost     = casework.Action[asb.CostInput]
	// AddDiaryEntry is the reporter sending a diary entry with their case's access token.
	AddDiaryEntry = ResidentChange[asb.DiaryInput]
)

// addItem runs a staff transition that adds one casework record, stored as an item of its own with the case's
// change.
func addItem[In any](ctx context.Context, s Service, cmd casework.Action[In], kind string, add func(*asb.Case) (asb.CaseRecord[In], casefile.Event, error)) (Record, error) {
	saved, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(staff...) },
		func(c *asb.Case, _ Stored) (casework.Outcome, error) {
			r, ev, err := add(c)
			if err != nil {
				return casework.Outcome{}, err
			}
			return casework.Outcome{Events: []casefile.Event{ev}, Items: []casework.Item{{Kind: kind, ID: r.ID, Value: r, At: r.AddedAt}}}, nil
		})
	if err != nil {
		return Record{}, err
	}
	return recordOf(saved, cmd.At), nil
}

// AddWitness records a witness of the behaviour.
func (s Service) AddWitness(ctx context.Context, cmd AddWitness) (Record, error) {
	return addItem(ctx, s, cmd, ItemWitness, func(c *asb.Case) (asb.CaseRecord[asb.WitnessInput], casefile.Event, error) {
		return c.AddWitness(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// AddEvidence records a reference to a piece of evidence kept elsewhere.
func (s Service) AddEvidence(ctx context.Context, cmd AddEvidence) (Record, error) {
	return addItem(ctx, s, cmd, ItemEvidence, func(c *asb.Case) (asb.CaseRecord[asb.EvidenceInput], casefile.Event, error) {
		return c.AddEvidence(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// AddCost records a cost of the case; the case keeps the total.
func (s Service) AddCost(ctx context.Context, cmd AddCost) (Record, error) {
	return addItem(ctx, s, cmd, ItemCost, func(c *asb.Case) (asb.CaseRecord[asb.CostInput], casefile.Event, error) {
		return c.AddCost(cmd.Input, cmd.By.Actor(), cmd.At)
	})
}

// AddDiaryEntry records the reporter's diary entry on their open case (a wrong token answers like an unknown
// reference).
func (s Service) AddDiaryEntry(ctx context.Context, cmd AddDiaryEntry) (asb.Case, error) {
	saved, _, err := s.pipeline().ChangeAsResident(ctx, cmd.Ref, cmd.Token, what, func(c *asb.Case, _ Stored) (casework.Outcome, error) {
		r, ev, err := c.AddDiaryEntry(cmd.Input, cmd.At)
		if err != nil {
			return casework.Outcome{}, err
		}
		return casework.Outcome{Events: []casefile.Event{ev}, Items: []casework.Item{{Kind: ItemDiary, ID: r.ID, Value: r, At: r.AddedAt}}}, nil
	})
	return saved.Case, err
}
