// Command cdk is the CDK app (cdk.json runs it): the housing services stack from the function catalog.
package main

import (
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/infra/stack"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	dist := os.Getenv("DIST_DIR")
	if dist == "" {
		dist, _ = filepath.Abs("dist")
	}
	region := os.Getenv("CDK_DEFAULT_REGION")
	if region == "" {
		region = "eu-west-2"
	}
	var env *awscdk.Environment
	if account := os.Getenv("CDK_DEFAULT_ACCOUNT"); account != "" {
		env = &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}
	} else {
		env = &awscdk.Environment{Region: jsii.String(region)}
	}
	stack.New(app, "HousingServices", stack.Props{
		StackProps: awscdk.StackProps{Env: env, Description: jsii.String("Council housing services back end")},
		Catalog:    catalog.System(),
		DistDir:    dist,
	})
	app.Synth(nil)
}
