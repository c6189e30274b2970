// bare is the cold-start benchmark's baseline: an aws-lambda-go binary that does nothing but start the runtime
// loop with a trivial handler. It lives under testdata so it is neither a catalog function nor built by ./...
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context, map[string]any) (string, error) { return "ok", nil })
}
