// Package idem makes create requests safe to retry: with an Idempotency-Key header, the first answer is stored
// in the same DynamoDB transaction as the records it created, and a retry with the same key and body gets that
// answer again (same key, another body: 422). Without the header every request is new.
package idem

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/adapters/dynamo"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// Recorder turns the final answer into the write that stores it; nil when the request has no key.
type Recorder func(answer any) (types.TransactWriteItem, error)

// Run answers req with status and the result of create, idempotently. create must add the Recorder's write to
// its transaction (when the Recorder is not nil).
func Run(ctx context.Context, store *dynamo.Store, req httpapi.Request, status int, create func(Recorder) (any, error)) (events.APIGatewayV2HTTPResponse, error) {
	clientKey := req.IdempotencyKey()
	if clientKey == "" {
		answer, err := create(nil)
		if err != nil {
			return events.APIGatewayV2HTTPResponse{}, err
		}
		return httpapi.JSON(status, answer)
	}
	if len(clientKey) > 255 {
		var f apperr.Fields
		f.Add("Idempotency-Key", "must have at most 255 characters")
		return events.APIGatewayV2HTTPResponse{}, f.Err()
	}
	body, err := req.Body()
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	key, hash, now := dynamo.IdempotencyKey(req.Event.RouteKey, clientKey), dynamo.PayloadHash(body), req.Now()
	if replay, err := store.FindReplay(ctx, key, hash, now); err != nil || replay != nil {
		return respond(replay, err)
	}
	answer, err := create(func(answer any) (types.TransactWriteItem, error) {
		raw, err := json.Marshal(answer)
		if err != nil {
			return types.TransactWriteItem{}, err
		}
		return store.IdempotencyWrite(key, hash, status, string(raw), now)
	})
	if errors.Is(err, dynamo.ErrConditionFailed) {
		// A concurrent request with the same key won the race: answer what it stored.
		return respond(store.FindReplay(ctx, key, hash, now))
	}
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.JSON(status, answer)
}

func respond(r *dynamo.Replay, err error) (events.APIGatewayV2HTTPResponse, error) {
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if r == nil {
		return events.APIGatewayV2HTTPResponse{}, apperr.New(apperr.Conflict, "A request with this Idempotency-Key is being processed; retry shortly.")
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: r.Status, Body: r.Body,
		Headers: map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store", "Idempotent-Replayed": "true"},
	}, nil
}

// Writes is the stored answer as transaction items to add to the change: none when the request has no key.
func (r Recorder) Writes(answer any) ([]types.TransactWriteItem, error) {
	if r == nil {
		return nil, nil
	}
	w, err := r(answer)
	if err != nil {
		return nil, err
	}
	return []types.TransactWriteItem{w}, nil
}
