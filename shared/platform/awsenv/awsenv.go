// Package awsenv loads AWS configuration and the function's required variables from its environment (secrets and
// settings are the packages secrets and settings, so that only the functions that read them link their clients).
// The SDK honours AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS, which is how the local cloud points the very
// same binaries at DynamoDB Local and the SQS emulator.
package awsenv

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// Config loads the default AWS configuration (region from AWS_REGION, eu-west-2 when unset).
func Config(ctx context.Context) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{}
	if os.Getenv("AWS_REGION") == "" && os.Getenv("AWS_DEFAULT_REGION") == "" {
		opts = append(opts, config.WithRegion("eu-west-2"))
	}
	return config.LoadDefaultConfig(ctx, opts...)
}

// Must returns the value of a required environment variable, or panics at cold start with its name: a
// misconfigured function should fail its init loudly, not its first resident's request.
func Must(name string) string {
	v := os.Getenv(name)
	if v == "" {
		panic(fmt.Sprintf("environment variable %s is required", name))
	}
	return v
}
