// worker is a test SQS consumer: it fails messages whose body is "poison" (partial batch failure) and
// appends the others, with their SentTimestamp, to $PROBE_OUT/worker.log.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	f, err := os.OpenFile(filepath.Join(os.Getenv("PROBE_OUT"), "worker.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return resp, err
	}
	defer f.Close()
	for _, m := range ev.Records {
		if m.Body == "poison" {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			continue
		}
		fmt.Fprintf(f, "%s %s %s\n", m.Body, m.Attributes["SentTimestamp"], m.Attributes["ApproximateReceiveCount"])
	}
	return resp, nil
}

func main() { lambda.Start(handle) }
