// Package coldstart is what every function's main does at cold start: JSON logs, AWS configuration from the
// Lambda environment (awsenv), the DynamoDB store and SQS publisher the catalog gives the function (names and
// URLs from its environment), and its secrets and deployment settings, read once and concurrently (in AWS,
// the Secrets Manager and SSM requests are in flight together).
//
// What it does not link matters as much (make bench measures it): not the SDK's config package and its
// credential chain, and not the SDK's SQS, SSM or Secrets Manager clients; those few calls are signed requests
// (awsenv.Service).
package coldstart

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/adapters/queue/sqsjson"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/awsenv"
	"github.com/councilhousing/backend/shared/platform/logging"
	"github.com/councilhousing/backend/shared/platform/secrets"
	"github.com/councilhousing/backend/shared/platform/settings"
	"github.com/councilhousing/backend/shared/platform/tracing"
)

// Deps are the clients a function uses, and its secrets and settings.
type Deps struct {
	Config   aws.Config
	Store    *dynamo.Store
	Queues   *sqsjson.Publisher
	secrets  map[string]string // by environment variable name
	settings map[string]string // by environment variable name
}

// Init prepares a function from its catalog entry: the queues it sends to, its secrets and settings and, when
// it pages lists, the key that signs its pagination tokens. It exits the process, with a log line naming what
// is missing, if the AWS configuration cannot be read, or a secret or setting cannot be read, as Lambda's init
// should.
func Init(fn catalog.Function) Deps {
	logging.Setup()
	tracing.Setup(fn.Name)
	ctx := context.Background()
	cfg, err := awsenv.Config()
	if err != nil {
		slog.Error("aws configuration", "error", err.Error())
		os.Exit(1)
	}
	cfg.APIOptions = append(cfg.APIOptions, tracing.SDKCalls)
	deps := Deps{Config: cfg}

	// Secrets and settings first: those the environment does not hold (in AWS) are requested concurrently, while
	// the clients are built; the others (locally) are read at once, with no goroutine to start.
	var wg sync.WaitGroup
	read := func(remote bool, f func()) {
		if remote {
			wg.Go(f)
		} else {
			f()
		}
	}
	secretErrs := make([]error, len(fn.Secrets))
	secretValues := make([]string, len(fn.Secrets))
	for i, s := range fn.Secrets {
		read(os.Getenv(s.Env) == "", func() { secretValues[i], secretErrs[i] = secrets.Read(ctx, cfg, s.Env) })
	}
	var settingsErr error
	if len(fn.Settings) > 0 {
		envs := make([]string, len(fn.Settings))
		for i, s := range fn.Settings {
			envs[i] = s.Env
		}
		remote := slices.ContainsFunc(envs, func(env string) bool { return os.Getenv(env) == "" })
		read(remote, func() { deps.settings, settingsErr = settings.FromSSM(ctx, cfg, envs...) })
	}

	deps.Store = dynamo.FromEnv(dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if e := awsenv.Endpoint("DYNAMODB"); e != "" {
			o.BaseEndpoint = aws.String(e)
		}
	}))
	deps.Queues = sqsjson.PublisherFromEnv(sqsjson.New(cfg), fn.SendsTo...)

	wg.Wait()
	deps.secrets = make(map[string]string, len(fn.Secrets))
	for i, s := range fn.Secrets {
		if secretErrs[i] != nil {
			slog.Error("secret unavailable", "env", s.Env, "error", secretErrs[i].Error()) // not "name": logging redacts it
			os.Exit(1)
		}
		deps.secrets[s.Env] = secretValues[i]
	}
	if settingsErr != nil {
		slog.Error("settings unavailable", "error", settingsErr.Error())
		os.Exit(1)
	}
	if slices.Contains(fn.Secrets, catalog.PageTokenKey) {
		deps.Store.TokenKey = []byte(deps.MustSecret(catalog.PageTokenKey.Env))
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

// MapSetting is a JSON object setting (mailboxes, Notify templates: name -> text), or exits naming it.
func (d Deps) MapSetting(s catalog.Setting) map[string]string {
	m := map[string]string{}
	if err := json.Unmarshal([]byte(d.Setting(s)), &m); err != nil {
		slog.Error("setting is not a JSON object of name -> text", "setting", s.Name, "env", s.Env, "error", err.Error())
		os.Exit(1)
	}
	return m
}

// MustSecret is one of the function's catalog secrets (environment locally, Secrets Manager in AWS), read at
// cold start.
func (d Deps) MustSecret(env string) string {
	v, ok := d.secrets[env]
	if !ok {
		panic("coldstart: secret " + env + " is not one of this function's catalog secrets") // caught by the e2e tests
	}
	return v
}
