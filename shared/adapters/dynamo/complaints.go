package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

// Complaints is the complaints adapter: versioned records plus the staff list and the annual report's range.
type Complaints struct {
	Records[complaints.Complaint, complaints.Contact]
}

var _ complaintcases.Store = Complaints{}

// NewComplaints is the complaints adapter over store.
func NewComplaints(store *Store) Complaints {
	return Complaints{Records[complaints.Complaint, complaints.Contact]{
		Store: store, Kind: casefile.Complaint,
		Ref:       func(c complaints.Complaint) string { return c.Reference },
		Deadlines: complaints.OpenDeadlines,
		Indexes: func(c complaints.Complaint) map[string]types.AttributeValue {
			return map[string]types.AttributeValue{AttrKindPK: S(KindKey(casefile.Complaint)), AttrKindSK: S(ReceivedKey(c.ReceivedAt, c.Reference)),
				"status": S(c.Status)}
		},
	}}
}

// List pages through complaints newest first (byKind index), optionally of one status.
func (c Complaints) List(ctx context.Context, status string, limit int, token string) ([]complaints.Complaint, string, error) {
	in := &dynamodb.QueryInput{TableName: &c.Store.Cases, IndexName: aws.String(catalog.IndexByKind), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    aws.String(AttrKindPK + " = :k"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":k": S(KindKey(casefile.Complaint))}}
	if status != "" {
		in.FilterExpression, in.ExpressionAttributeNames = aws.String("#s = :s"), map[string]string{"#s": "status"}
		in.ExpressionAttributeValues[":s"] = S(status)
	}
	items, next, err := c.Store.NewQuery(in).Page(ctx, limit, token)
	if err != nil {
		return nil, "", err
	}
	cs, err := c.Cases(items)
	return cs, next, err
}

// ReceivedBetween reads the complaints received in [from, to): one index query on that key range.
func (c Complaints) ReceivedBetween(ctx context.Context, from, to time.Time) ([]complaints.Complaint, error) {
	return c.Between(ctx, catalog.IndexByKind, AttrKindPK, AttrKindSK, KindKey(casefile.Complaint), from, to)
}
