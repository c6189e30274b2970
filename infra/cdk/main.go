// Command cdk is the CDK app (cdk.json runs it from the repository root): the housing services stack, derived
// from the function catalog and the deployment's configuration. It makes no lookups, so `cdk synth` works
// offline.
//
// Context (`-c name=value`, given to the CDK CLI):
//
//	config=<file>      the deployment's configuration (default infra/config/example.json)
//	<setting>=<value>  overrides one setting of the file, e.g. -c alarmEmail=ops@example.gov.uk
//	region=<region>    deploys outside London
//	strict=true        refuses placeholders too, as `make deploy` does
//
// `go run ./infra/cdk check [-c ...]` is the deploy check, run by `make deploy` before anything reaches AWS:
// it reads the same configuration and context, names every missing setting and every placeholder or example
// value, and exits 1 if there is any. It starts no CDK (no Node, no AWS call).
//
// DIST_DIR overrides the folder with the built functions (default: dist, from `make build`).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/infra/config"
	"github.com/councilhousing/backend/infra/stack"
	"github.com/councilhousing/backend/shared/catalog"
)

// defaultRegion is London, so residents' data stays in the UK.
const defaultRegion = "eu-west-2"

// Context keys of the app itself; every other key the app reads is a setting's name.
const (
	contextConfig = "config"
	contextRegion = "region"
	contextStrict = "strict"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "check" {
		os.Exit(check(os.Args[2:], os.Stdout, os.Stderr))
	}
	system, dist := catalog.System(), distDir()
	if err := requireBuiltFunctions(system, dist); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1) // before jsii starts, so there is no node process to close
	}
	app := awscdk.NewApp(nil)
	cfg, err := configuration(system, func(key string) (any, bool) {
		v := app.Node().TryGetContext(jsii.String(key))
		return v, v != nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		jsii.Close()
		os.Exit(1)
	}
	defer jsii.Close()
	env := environment(app)
	housing := stack.NewHousingStack(app, "HousingServices", &stack.HousingStackProps{
		StackProps: awscdk.StackProps{
			Env:         env,
			Description: jsii.String("Council housing services back end (ASB, complaints, housing register)"),
		},
		Catalog: system,
		Config:  cfg,
		DistDir: dist,
	})
	// the resident site: CloudFront, the assets bucket and (in us-east-1) its WAF web ACL
	stack.NewSite(app, "HousingServicesSite", &stack.SiteProps{Env: env, API: stack.HTTPAPI(housing), AssetsDir: assetsDir()})
	app.Synth(nil)
}

// configuration reads the configuration file the context names, with the context's settings over it, and
// checks it: strict (placeholders refused) when the context says so.
func configuration(system catalog.Catalog, context func(string) (any, bool)) (config.Config, error) {
	file := config.ExampleFile
	if v, ok := context(contextConfig); ok && fmt.Sprint(v) != "" {
		file = fmt.Sprint(v)
	}
	overrides := map[string]any{}
	for _, s := range system.Settings {
		if v, ok := context(s.Name); ok {
			overrides[s.Name] = v
		}
	}
	return load(system, file, overrides, context)
}

func load(system catalog.Catalog, file string, overrides map[string]any, context func(string) (any, bool)) (config.Config, error) {
	cfg, err := config.Load(system, file, overrides)
	if err != nil {
		return cfg, err
	}
	strict, _ := context(contextStrict)
	if err := cfg.Check(fmt.Sprint(strict) == "true"); err != nil {
		return cfg, err
	}
	if placeholders := len(cfg.Problems(true)); placeholders > 0 {
		fmt.Fprintf(os.Stderr, "configuration %s: %d example or placeholder values, fine for synth; `make deploy` refuses them "+
			"(go run ./infra/cdk check -c config=%s lists them)\n", cfg.Source, placeholders, file)
	}
	return cfg, nil
}

// check is the deploy check: the configuration `cdk deploy` would get from the same -c arguments, refused if
// anything is missing, malformed or a placeholder. Every -c key other than config, region and strict must be a
// setting.
func check(args []string, stdout, stderr io.Writer) int {
	context, err := parseContext(args)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	file, overrides := config.ExampleFile, map[string]any{}
	for key, value := range context {
		switch key {
		case contextConfig:
			file = fmt.Sprint(value)
		case contextRegion, contextStrict:
		default:
			overrides[key] = value
		}
	}
	system := catalog.System()
	cfg, err := load(system, file, overrides, func(key string) (any, bool) { return "true", key == contextStrict })
	var refused *config.Refused
	switch {
	case errors.As(err, &refused):
		fmt.Fprintln(stderr, err)
		fmt.Fprintln(stderr, "Nothing was deployed. Fix these in the configuration file (or with -c <setting>=<value>) and run make deploy again.")
		return 1
	case err != nil:
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "configuration %s is ready to deploy: %d settings, no placeholders\n", cfg.Source, len(system.Settings))
	return 0
}

// parseContext reads the CDK CLI's context arguments: -c key=value, --context key=value or --context=key=value.
func parseContext(args []string) (map[string]any, error) {
	context := map[string]any{}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		var pair string
		switch {
		case arg == "-c" || arg == "--context":
			if i+1 >= len(args) {
				return nil, fmt.Errorf("%s needs key=value", arg)
			}
			i++
			pair = args[i]
		case strings.HasPrefix(arg, "--context="):
			pair = strings.TrimPrefix(arg, "--context=")
		default:
			return nil, fmt.Errorf("check: unexpected argument %q (use -c key=value)", arg)
		}
		key, value, ok := strings.Cut(pair, "=")
		if !ok || key == "" {
			return nil, fmt.Errorf("check: %q is not key=value", pair)
		}
		context[key] = value
	}
	return context, nil
}

// requireBuiltFunctions says which build is missing, rather than CDK's "cannot find asset".
func requireBuiltFunctions(c catalog.Catalog, dist string) error {
	for _, f := range c.Functions {
		if _, err := os.Stat(filepath.Join(dist, f.Name, "bootstrap")); err != nil {
			return fmt.Errorf("%s/%s/bootstrap is missing: run `make build` (or point DIST_DIR at the built functions)", dist, f.Name)
		}
	}
	return nil
}

// environment is the CLI's account (CDK_DEFAULT_ACCOUNT; unresolved without credentials, which synth accepts)
// in London. The region comes from `-c region=...`, never from CDK_DEFAULT_REGION: the CLI sets that to
// us-east-1 whenever no region is configured, which would quietly move residents' data out of the UK.
func environment(app awscdk.App) *awscdk.Environment {
	env := &awscdk.Environment{Region: jsii.String(defaultRegion)}
	if region, ok := app.Node().TryGetContext(jsii.String(contextRegion)).(string); ok && region != "" {
		env.Region = jsii.String(region)
	}
	if account := os.Getenv("CDK_DEFAULT_ACCOUNT"); account != "" {
		env.Account = jsii.String(account)
	}
	return env
}

// assetsDir is the resident pages' static assets (cdk.json runs the app from the repository root).
func assetsDir() string {
	abs, err := filepath.Abs(filepath.Join("shared", "web", "assets"))
	if err != nil {
		panic(err)
	}
	return abs
}

func distDir() string {
	dir := os.Getenv("DIST_DIR")
	if dir == "" {
		dir = "dist"
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		panic(err)
	}
	return abs
}
