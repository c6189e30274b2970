// Package coldstart is what every function's main does at cold start: JSON logs, AWS configuration, and the
// DynamoDB store and SQS publisher the catalog gives the function (names and URLs from its environment).
package coldstart

import (
	"context"
	"log/slog"
	"os"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/logging"
)

// Deps are the clients a function uses.
type Deps struct {
	Config aws.Config
	Store  *dynamo.Store
	Queues *queue.Publisher
}

// Init prepares a function from its catalog entry: the queues it sends to and, when it pages lists, the key
// that signs its pagination tokens. It exits the process if AWS configuration cannot be loaded, as Lambda's
// init should.
func Init(fn catalog.Function) Deps {
	logging.Setup()
	ctx := context.Background()
	cfg, err := awsenv.Config(ctx)
	if err != nil {
		slog.Error("aws configuration", "error", err.Error())
		os.Exit(1)
	}
	deps := Deps{
		Config: cfg,
		Store:  dynamo.FromEnv(dynamodb.NewFromConfig(cfg)),
		Queues: queue.PublisherFromEnv(sqs.NewFromConfig(cfg), fn.SendsTo...),
	}
	if slices.Contains(fn.Secrets, catalog.PageTokenKey) {
		deps.Store.TokenKey = []byte(deps.MustSecret(catalog.PageTokenKey.Env))
	}
	return deps
}

// MustSecret reads a secret at cold start (environment locally, Secrets Manager in AWS) or exits.
func (d Deps) MustSecret(env string) string {
	v, err := awsenv.Secret(context.Background(), d.Config, env)
	if err != nil {
		slog.Error("secret unavailable", "name", env, "error", err.Error())
		os.Exit(1)
	}
	return v
}
