package emulators

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/infra/catalog"
)

func TestMain(m *testing.M) { Main(m) }

// The emulators hold exactly the catalog's tables (with indexes and TTL) and queues (with DLQ redrive).
func TestFreshSetMatchesCatalog(t *testing.T) {
	set := Shared(t).Fresh(t)
	ctx := context.Background()
	for _, tbl := range catalog.System().Tables {
		out, err := set.DDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(set.Tables[tbl.Name])})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(out.Table.GlobalSecondaryIndexes); got != len(tbl.GSIs) {
			t.Errorf("%s: %d indexes, catalog has %d", tbl.Name, got, len(tbl.GSIs))
		}
		if tbl.TTLAttribute != "" {
			ttl, err := set.DDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(set.Tables[tbl.Name])})
			if err != nil || aws.ToString(ttl.TimeToLiveDescription.AttributeName) != tbl.TTLAttribute {
				t.Errorf("%s: TTL %v %v", tbl.Name, ttl, err)
			}
		}
	}
	for _, q := range catalog.System().Queues {
		attrs, err := set.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(set.Queues[q.Name]), AttributeNames: []sqstypes.QueueAttributeName{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		if attrs.Attributes["RedrivePolicy"] == "" {
			t.Errorf("%s has no redrive policy", q.Name)
		}
	}
	if set.Vars["CASES_TABLE"] == "" || set.Vars["OOH_CALLS_QUEUE_URL"] == "" {
		t.Errorf("env: %v", set.Vars)
	}
}
