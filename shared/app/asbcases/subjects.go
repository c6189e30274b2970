package asbcases

import (
	"context"
	"slices"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// ItemSubject is the kind of a person reported's item in its case's partition (casework.Item).
const ItemSubject = "SUBJECT"

// SubjectHistoryLimit bounds the other cases listed for a person reported (the newest).
const SubjectHistoryLimit = 20

// AddSubject is an officer recording a person reported on a case.
type AddSubject = casework.Action[asb.SubjectInput]

// AddSubject records a person reported (an item of its own; the case files itself under the hash of their
// normalised name and postcode) and answers with the other cases they are a subject of: repeat subjects are
// found by key, never by a scan (source 002: "record ... repeat perpetrators").
func (s Service) AddSubject(ctx context.Context, cmd AddSubject) (Record, error) {
	var added asb.Subject
	var keyHash string
	saved, _, err := s.pipeline().Change(ctx, cmd.Ref, func(Stored) error { return cmd.By.Check(staff...) },
		func(c *asb.Case, _ Stored) (casework.Outcome, error) {
			keyHash = ids.Hash(asb.SubjectKey(cmd.Input.Name, c.SubjectPostcode(cmd.Input)))
			subject, ev, err := c.AddSubject(cmd.Input, keyHash, cmd.By.Actor(), cmd.At)
			if err != nil {
				return casework.Outcome{}, err
			}
			added = subject
			return casework.Outcome{Events: []casefile.Event{ev}, Items: []casework.Item{{Kind: ItemSubject, ID: subject.ID, Value: subject, At: subject.AddedAt}}}, nil
		})
	if err != nil {
		return Record{}, err
	}
	refs, err := s.Store.CasesWithSubject(ctx, keyHash, SubjectHistoryLimit+1)
	if err != nil {
		return Record{}, err
	}
	r := recordOf(saved, cmd.At)
	r.Subject, r.SubjectCases = &added, slices.DeleteFunc(refs, func(ref string) bool { return ref == cmd.Ref })
	if len(r.SubjectCases) > SubjectHistoryLimit {
		r.SubjectCases = r.SubjectCases[:SubjectHistoryLimit]
	}
	return r, nil
}
