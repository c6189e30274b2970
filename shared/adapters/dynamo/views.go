package dynamo

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// CaseViews records who opened a case in the staff console (console.ViewLog): one item per case, person and
// London day (VIEWS#<KIND>#<reference>, <date>#<staff id>) with the first and last time and a count, so the
// audit stays bounded however often a case is opened, and out of the case's own partition, so loading a case
// or its history never reads it.
type CaseViews struct{ Store *Store }

// ViewsKey is the partition of a case's view records.
func ViewsKey(kind string, ref string) string { return "VIEWS#" + kind + "#" + ref }

// RecordView adds one view: a single update by key.
func (v CaseViews) RecordView(ctx context.Context, view console.View) error {
	at := TimeKey(view.At)
	_, err := v.Store.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &v.Store.Cases,
		Key: map[string]types.AttributeValue{
			"pk": S(ViewsKey(KindKey(view.Kind), view.Ref)), "sk": S(workdays.DateOf(view.At).String() + "#" + view.By.ID)},
		UpdateExpression: stringPtr("SET firstAt = if_not_exists(firstAt, :at), lastAt = :at, staffId = :id, staffName = :name ADD viewCount :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": S(at), ":id": S(view.By.ID), ":name": S(view.By.Name), ":one": N(1)},
	})
	if err != nil {
		return fmt.Errorf("view record: %w", err)
	}
	return nil
}

func stringPtr(s string) *string { return &s }
