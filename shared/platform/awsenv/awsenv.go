// Package awsenv is a function's AWS configuration, read from the environment Lambda gives it (the local cloud
// gives the very same names), and a small SigV4-signed caller for the AWS JSON protocols.
//
// It does not use the SDK's config package: config.LoadDefaultConfig links the whole credential chain (shared
// files, SSO, SSO OIDC, sign-in, STS, IMDS, ...) whose package inits and file lookups cost about 1.7 ms of
// every cold start, for credentials Lambda always passes as environment variables. Likewise the few calls the
// functions make to SQS, SSM and Secrets Manager go through Service (one signed POST each) rather than the
// SDK's clients, whose generated schemas alone took from 0.3 ms (SQS) to 3 ms (SSM) at init.
package awsenv

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// DefaultRegion is the region when neither AWS_REGION nor AWS_DEFAULT_REGION is set.
const DefaultRegion = "eu-west-2"

// Config is the AWS configuration from the environment: the region from AWS_REGION (else AWS_DEFAULT_REGION,
// else eu-west-2); the credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (Lambda
// sets them to the execution role's; the local cloud to local ones); AWS_MAX_ATTEMPTS and AWS_RETRY_MODE as
// the SDK reads them. Endpoint overrides are per service (Endpoint). Missing credentials are an error, so a
// misconfigured function fails its init rather than its first request.
func Config() (aws.Config, error) {
	cfg := aws.Config{Region: DefaultRegion, HTTPClient: awshttp.NewBuildableClient()}
	for _, name := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := os.Getenv(name); v != "" {
			cfg.Region = v
			break
		}
	}
	creds := aws.Credentials{
		AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Source: "EnvironmentVariables", AccountID: os.Getenv("AWS_ACCOUNT_ID"),
	}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return aws.Config{}, fmt.Errorf("AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set (Lambda sets them)")
	}
	cfg.Credentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	if v := os.Getenv("AWS_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return aws.Config{}, fmt.Errorf("AWS_MAX_ATTEMPTS %q is not a whole number of at least 1", v)
		}
		cfg.RetryMaxAttempts = n
	}
	if v := os.Getenv("AWS_RETRY_MODE"); v != "" {
		mode, err := aws.ParseRetryMode(v)
		if err != nil {
			return aws.Config{}, fmt.Errorf("AWS_RETRY_MODE: %w", err)
		}
		cfg.RetryMode = mode
	}
	if v := os.Getenv("AWS_SDK_UA_APP_ID"); v != "" {
		cfg.AppID = v
	}
	return cfg, nil
}

// Endpoint is the endpoint override for a service, named as the SDK names it (DYNAMODB, SQS, SSM,
// SECRETS_MANAGER): AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else "" (the service's own regional
// endpoint); AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores both. This is how the local cloud points the very
// same binaries at DynamoDB Local and the SQS emulator.
func Endpoint(service string) string {
	if strings.EqualFold(os.Getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return ""
	}
	if v := os.Getenv("AWS_ENDPOINT_URL_" + strings.ToUpper(strings.ReplaceAll(service, " ", "_"))); v != "" {
		return v
	}
	return os.Getenv("AWS_ENDPOINT_URL")
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
