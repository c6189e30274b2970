package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
)

// Applications is the housing register adapter: versioned records plus the priority list, which the byEvent
// index serves (a registered application is in its band's partition, sorted by its priority key).
type Applications struct {
	Records[register.Record, register.Contact]
}

var _ registercases.Store = Applications{}

// NewApplications is the housing register adapter over store.
func NewApplications(store *Store) Applications {
	return Applications{Records[register.Record, register.Contact]{
		Store: store, Kind: casefile.Application,
		Ref:       func(r register.Record) string { return r.Reference },
		Deadlines: func(r register.Record) []casefile.Deadline { return register.OpenDeadlines(r.Reference, r.Decision) },
		Indexes:   applicationIndexes,
	}}
}

// applicationIndexes puts every application in the byKind index and a registered one in its band's priority list
// (a save that takes it off the register removes it from the list: the case item is replaced whole).
func applicationIndexes(r register.Record) map[string]types.AttributeValue {
	idx := map[string]types.AttributeValue{AttrKindPK: S(KindKey(casefile.Application)), AttrKindSK: S(ReceivedKey(r.ReceivedAt, r.Reference))}
	if band := r.Decision.BandName(); band != "" && r.Decision.Status == register.StatusRegistered {
		idx[AttrEventPK], idx[AttrEventSK] = S(BandKey(band)), S(register.PriorityKey(r.Reference, r.Decision))
	}
	return idx
}

// PriorityList pages through one band in priority order (byEvent index).
func (a Applications) PriorityList(ctx context.Context, band string, limit int, token string) ([]register.Record, string, error) {
	in := &dynamodb.QueryInput{TableName: &a.Store.Cases, IndexName: aws.String(catalog.IndexByEvent),
		KeyConditionExpression:    aws.String(AttrEventPK + " = :b"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":b": S(BandKey(band))}}
	items, next, err := a.Store.NewQuery(in).Page(ctx, limit, token)
	if err != nil {
		return nil, "", err
	}
	recs, err := a.Cases(items)
	return recs, next, err
}
