// Command cdk is the CDK app (cdk.json runs it from the repository root): the housing services stack, derived
// from the function catalog. It makes no lookups, so `cdk synth` works offline.
//
// DIST_DIR overrides the folder with the built functions (default: dist, from `make build`); `-c region=...`
// deploys outside London.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/infra/stack"
	"github.com/councilhousing/backend/shared/catalog"
)

// defaultRegion is London, so residents' data stays in the UK.
const defaultRegion = "eu-west-2"

func main() {
	system, dist := catalog.System(), distDir()
	if err := requireBuiltFunctions(system, dist); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1) // before jsii starts, so there is no node process to close
	}
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack.NewHousingStack(app, "HousingServices", &stack.HousingStackProps{
		StackProps: awscdk.StackProps{
			Env:         environment(app),
			Description: jsii.String("Council housing services back end (ASB, complaints, housing register)"),
		},
		Catalog: system,
		DistDir: dist,
	})
	app.Synth(nil)
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
	if region, ok := app.Node().TryGetContext(jsii.String("region")).(string); ok && region != "" {
		env.Region = jsii.String(region)
	}
	if account := os.Getenv("CDK_DEFAULT_ACCOUNT"); account != "" {
		env.Account = jsii.String(account)
	}
	return env
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
