// web is a test function for the local cloud: it echoes what API Gateway gave it, and sleeps on /sleep.
package main

import (
	"context"
	"encoding/json"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func handle(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	if ev.RawPath == "/sleep" {
		time.Sleep(5 * time.Second)
	}
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	body, _ := json.Marshal(map[string]any{
		"event": ev, "requestId": lc.AwsRequestID, "functionName": lambdacontext.FunctionName,
		"deadlineInFuture": deadline.After(time.Now()), "table": os.Getenv("CASES_TABLE"), "secret": os.Getenv("TEST_SECRET"),
	})
	return events.APIGatewayV2HTTPResponse{StatusCode: 201, Headers: map[string]string{"Content-Type": "application/json", "X-Test": "yes"}, Body: string(body)}, nil
}

func main() { lambda.Start(handle) }
