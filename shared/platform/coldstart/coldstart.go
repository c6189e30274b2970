// Package coldstart is what every function's main does at cold start: JSON logs, AWS configuration, the
// DynamoDB store and SQS publisher the catalog gives the function (names and URLs from its environment), and its
// secrets and deployment settings, read once. The Secrets Manager and SSM clients are not linked here: a function
// whose catalog entry has secrets or settings passes their readers (shared/platform/secrets, .../settings) in
// Sources, so the others do not carry them.
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

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/logging"
)

// Sources read what the function's catalog entry declares: Secret when it has Secrets (secrets.Read: the
// environment locally, Secrets Manager in AWS), Settings when it has Settings (settings.FromSSM: the environment
// locally, SSM Parameter Store in AWS).
type Sources struct {
	Secret   func(ctx context.Context, cfg aws.Config, env string) (string, error)
	Settings func(ctx context.Context, cfg aws.Config, envs ...string) (map[string]string, error)
}

// Deps are the clients a function uses, and its settings.
type Deps struct {
	Config   aws.Config
	Store    *dynamo.Store
	Queues   *queue.Publisher
	secret   func(ctx context.Context, cfg aws.Config, env string) (string, error)
	settings map[string]string // by environment variable name
}

// Init prepares a function from its catalog entry: the queues it sends to and, when it pages lists, the key
// that signs its pagination tokens. It exits the process if AWS configuration cannot be loaded, or a secret or
// setting cannot be read, as Lambda's init should.
func Init(fn catalog.Function, src Sources) Deps {
	logging.Setup()
	ctx := context.Background()
	if len(fn.Secrets) > 0 && src.Secret == nil || len(fn.Settings) > 0 && src.Settings == nil {
		panic("coldstart: " + fn.Name + " has catalog secrets or settings but no Sources to read them") // caught by the e2e tests
	}
	cfg, err := awsenv.Config(ctx)
	if err != nil {
		slog.Error("aws configuration", "error", err.Error())
		os.Exit(1)
	}
	deps := Deps{
		Config: cfg,
		Store:  dynamo.FromEnv(dynamodb.NewFromConfig(cfg)),
		Queues: queue.PublisherFromEnv(sqs.NewFromConfig(cfg), fn.SendsTo...),
		secret: src.Secret,
	}
	if slices.Contains(fn.Secrets, catalog.PageTokenKey) {
		deps.Store.TokenKey = []byte(deps.MustSecret(catalog.PageTokenKey.Env))
	}
	if len(fn.Settings) > 0 {
		envs := make([]string, len(fn.Settings))
		for i, s := range fn.Settings {
			envs[i] = s.Env
		}
		if deps.settings, err = src.Settings(ctx, cfg, envs...); err != nil {
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
	if d.secret == nil {
		panic("coldstart: secret " + env + " read without a Sources.Secret") // caught by the e2e tests
	}
	v, err := d.secret(context.Background(), d.Config, env)
	if err != nil {
		slog.Error("secret unavailable", "name", env, "error", err.Error())
		os.Exit(1)
	}
	return v
}
