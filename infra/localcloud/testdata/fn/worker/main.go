// worker is a test SQS consumer. It appends every event it receives to $PROBE_OUT/events.jsonl and, per
// message, "<body> <SentTimestamp> <ApproximateReceiveCount>" to $PROBE_OUT/worker.log; it reports messages
// whose body is "poison" as batch item failures.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func appendTo(name string, line string) error {
	f, err := os.OpenFile(filepath.Join(os.Getenv("PROBE_OUT"), name), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(line + "\n")
	return err
}

func handle(ctx context.Context, raw json.RawMessage) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	var ev events.SQSEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return resp, err
	}
	if err := appendTo("events.jsonl", string(raw)); err != nil {
		return resp, err
	}
	for _, m := range ev.Records {
		if err := appendTo("worker.log", fmt.Sprintf("%s %s %s", m.Body, m.Attributes["SentTimestamp"], m.Attributes["ApproximateReceiveCount"])); err != nil {
			return resp, err
		}
		if m.Body == "poison" {
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

func main() { lambda.Start(handle) }
