// Package coldstartbench measures the Lambda bootstraps' cold start (`make bench`): each catalog function is
// built as the Makefile builds it, next to a bare aws-lambda-go binary (testdata/bare), and the benchmark prints
// their linux/arm64 sizes and their init times (exec to the first Runtime API poll) measured side by side.
package coldstartbench
