// tick is a test scheduled function: it answers with the event it received, exactly as it arrived.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
	var ev events.EventBridgeEvent
	return raw, json.Unmarshal(raw, &ev) // fails, as the real function would, if the event does not decode
}

func main() { lambda.Start(handle) }
