// sdkdynamodbvalidator is a reference for the cold-start benchmark: sdkdynamodb plus go-playground/validator,
// which every function links through shared/rules/validate (its package init builds its tables of country,
// currency and language codes and its validators, whatever tags are used).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/go-playground/validator/v10"

	"github.com/councilhousing/backend/shared/platform/awsenv"
)

func main() {
	cfg, err := awsenv.Config()
	if err != nil {
		panic(err)
	}
	db := dynamodb.NewFromConfig(cfg)
	lambda.Start(func(ctx context.Context, in map[string]any) (string, error) {
		if err := validator.New().Var(in["name"], "required,max=10"); err != nil {
			return "", err
		}
		_, err := db.GetItem(ctx, &dynamodb.GetItemInput{})
		return "ok", err
	})
}
