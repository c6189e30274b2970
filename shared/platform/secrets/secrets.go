// Package secrets reads a function's secrets at cold start. Only the functions whose catalog entry lists
// secrets import it, so only they link the Secrets Manager client.
package secrets

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

var cache sync.Map

// Read returns the secret named by env: the variable itself when set (the local cloud), else the Secrets
// Manager secret whose ARN is in env+"_ARN" (AWS), fetched once per cold start.
func Read(ctx context.Context, cfg aws.Config, env string) (string, error) {
	if v := os.Getenv(env); v != "" {
		return v, nil
	}
	arn := os.Getenv(env + "_ARN")
	if arn == "" {
		return "", fmt.Errorf("secret %s: set %s or %s_ARN", env, env, env)
	}
	if v, ok := cache.Load(arn); ok {
		return v.(string), nil
	}
	out, err := secretsmanager.NewFromConfig(cfg).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &arn})
	if err != nil {
		return "", fmt.Errorf("secret %s: %w", env, err)
	}
	value := aws.ToString(out.SecretString)
	cache.Store(arn, value)
	return value, nil
}
