// outbox-relay: every 5 minutes, re-delivers messages stored with a change whose first delivery failed. Wiring only.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/councilhousing/backend/shared/adapters/outbox"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/platform/coldstart"
	"github.com/councilhousing/backend/shared/platform/tracing"
)

func main() {
	fn := catalog.MustFunction("outbox-relay")
	deps := coldstart.Init(fn)
	ob := outbox.Outbox{Store: deps.Store, Queues: deps.Queues}
	lambda.Start(tracing.Invocations(fn.Name, func(ctx context.Context, ev events.EventBridgeEvent) (map[string]int, error) {
		n, err := ob.Relay(ctx, ev.Time.Add(-outbox.Grace))
		return map[string]int{"relayed": n}, err
	}))
}
