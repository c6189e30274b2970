// sdkdynamodb is a reference for the cold-start benchmark: the bare binary plus the one client every function
// needs, the AWS SDK's DynamoDB client, made as coldstart makes it (configuration from the environment, no
// config package). Its init is what linking the SDK's DynamoDB package costs before any code of ours: its
// endpoint tables are built by package init (and, from v1.69.0, its generated serde schemas too: 1.2 ms and
// 3,151 allocations, which is why go.mod holds the client at v1.68.0; see README, "Cold start").
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/councilhousing/backend/shared/platform/awsenv"
)

func main() {
	cfg, err := awsenv.Config()
	if err != nil {
		panic(err)
	}
	db := dynamodb.NewFromConfig(cfg)
	lambda.Start(func(ctx context.Context, _ map[string]any) (string, error) {
		_, err := db.GetItem(ctx, &dynamodb.GetItemInput{})
		return "ok", err
	})
}
