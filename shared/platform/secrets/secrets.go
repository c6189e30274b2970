// Package secrets reads a function's secrets at cold start: from the environment locally, from Secrets Manager
// in AWS, with one signed GetSecretValue call each (awsenv.Service: the SDK's Secrets Manager client is not
// linked).
package secrets

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/councilhousing/backend/shared/platform/awsenv"
)

// Read returns the secret named by env: the variable itself when set (the local cloud), else the Secrets
// Manager secret whose ARN is in env+"_ARN" (AWS; AWS_ENDPOINT_URL_SECRETS_MANAGER overrides the endpoint).
func Read(ctx context.Context, cfg aws.Config, env string) (string, error) {
	if v := os.Getenv(env); v != "" {
		return v, nil
	}
	arn := os.Getenv(env + "_ARN")
	if arn == "" {
		return "", fmt.Errorf("secret %s: set %s or %s_ARN", env, env, env)
	}
	svc := awsenv.Service{Config: cfg, Name: "secretsmanager", EnvName: "SECRETS_MANAGER", Target: "secretsmanager", JSONVersion: "1.1"}
	var out struct{ SecretString *string }
	if err := svc.Call(ctx, "GetSecretValue", struct{ SecretId string }{arn}, &out); err != nil {
		return "", fmt.Errorf("secret %s: %w", env, err)
	}
	return aws.ToString(out.SecretString), nil
}
