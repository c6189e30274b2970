// tick is a test scheduled function: it answers with the EventBridge event it received.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, ev events.EventBridgeEvent) (events.EventBridgeEvent, error) {
	return ev, nil
}

func main() { lambda.Start(handle) }
