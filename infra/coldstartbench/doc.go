// Package coldstartbench measures the Lambda bootstraps' cold start (`make bench`): each catalog function is
// built as the Makefile builds it, next to a bare aws-lambda-go binary (testdata/bare) and a reference (the bare
// binary plus the AWS SDK's DynamoDB client, testdata/sdkdynamodb: what every function links before any code of
// ours), and the benchmark prints their linux/arm64 sizes and their init times (exec to the first Runtime API
// poll) measured side by side: with the environment `make run` gives, and, for functions with secrets or
// settings, reading them as in AWS from Secrets Manager and SSM stand-ins on loopback.
package coldstartbench
