// Package awsenv loads AWS configuration and the function's settings from its environment. The SDK honours
// AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS, which is how the local cloud points the very same binaries
// at DynamoDB Local and the SQS emulator.
package awsenv

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
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

var secretCache sync.Map

// Secret returns the secret named by env: the variable itself when set (the local cloud), else the Secrets
// Manager secret whose ARN is in env+"_ARN" (AWS), fetched once per cold start.
func Secret(ctx context.Context, cfg aws.Config, env string) (string, error) {
	if v := os.Getenv(env); v != "" {
		return v, nil
	}
	arn := os.Getenv(env + "_ARN")
	if arn == "" {
		return "", fmt.Errorf("secret %s: set %s or %s_ARN", env, env, env)
	}
	if v, ok := secretCache.Load(arn); ok {
		return v.(string), nil
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn})
	if err != nil {
		return "", fmt.Errorf("secret %s: %w", env, err)
	}
	value := aws.ToString(out.SecretString)
	secretCache.Store(arn, value)
	return value, nil
}
