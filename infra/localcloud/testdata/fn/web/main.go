// web is a test function for the local cloud: it echoes what API Gateway gave it (typed and raw), and
// misbehaves on request: /sleep outlives its timeout, /crash exits, /fail returns an error, /plain answers a
// bare JSON value instead of a response object.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, err
	}
	switch ev.RawPath {
	case "/sleep":
		time.Sleep(5 * time.Second)
	case "/crash":
		os.Exit(3)
	case "/fail":
		return nil, errors.New("failed on purpose")
	case "/plain":
		return map[string]string{"plain": "yes"}, nil
	}
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	wd, _ := os.Getwd()
	body, _ := json.Marshal(map[string]any{
		"event": ev, "raw": raw, "requestId": lc.AwsRequestID, "functionArn": lc.InvokedFunctionArn,
		"functionName": lambdacontext.FunctionName, "deadlineInFuture": deadline.After(time.Now()),
		"table": os.Getenv("CASES_TABLE"), "secret": os.Getenv("TEST_SECRET"), "notifyURL": os.Getenv("NOTIFY_BASE_URL"),
		"taskRoot": os.Getenv("LAMBDA_TASK_ROOT"), "workingDir": wd, "handler": os.Getenv("_HANDLER"),
		"dynamoEndpoint": os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"), "region": os.Getenv("AWS_REGION"), "tz": os.Getenv("TZ"),
	})
	return events.APIGatewayV2HTTPResponse{StatusCode: 201, Headers: map[string]string{"Content-Type": "application/json", "X-Test": "yes"},
		Cookies: []string{"seen=1; Path=/"}, Body: string(body)}, nil
}

func main() { lambda.Start(handle) }
