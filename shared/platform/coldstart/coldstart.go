// Package coldstart is what every function's main does at cold start: JSON logs, AWS configuration, the
// DynamoDB store and SQS publisher the catalog gives the function (names and URLs from its environment), and its
// deployment settings (SSM Parameter Store in AWS, the environment locally), read once.
package coldstart

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/logging"
)

// Deps are the clients a function uses, and its settings.
type Deps struct {
	Config   aws.Config
	Store    *dynamo.Store
	Queues   *queue.Publisher
	settings map[string]string // by environment variable name
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
	if len(fn.Settings) > 0 {
		envs := make([]string, len(fn.Settings))
		for i, s := range fn.Settings {
			envs[i] = s.Env
		}
		client := func() awsenv.ParameterAPI { return ssm.NewFromConfig(cfg) }
		if deps.settings, err = awsenv.Settings(ctx, client, envs...); err != nil {
			slog.Error("settings unavailable", "error", err.Error())
			os.Exit(1)
		}
	}
	return deps
}

// Setting is one of the function's catalog settings, read at cold start.
func (d Deps) Setting(s catalog.Setting) string {
	v, ok := d.settings[s.Env]
	if !ok {
		panic("coldstart: " + s.Name + " is not one of this function's catalog settings") // caught by the e2e tests
	}
	return v
}

// IntSetting is a whole-number setting, or exits naming it.
func (d Deps) IntSetting(s catalog.Setting) int {
	n, err := strconv.Atoi(d.Setting(s))
	if err != nil {
		slog.Error("setting is not a whole number", "setting", s.Name, "env", s.Env)
		os.Exit(1)
	}
	return n
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
