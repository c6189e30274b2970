// Package idem makes create requests safe to retry: with an Idempotency-Key header, the first answer is stored
// in the same transaction as the records it created (casework.Answer), and a retry with the same key and body
// gets that answer again (same key, another body: 422). Without the header every request is new.
package idem

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/platform/ids"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// Answers finds a stored answer: nil when there is none (or it expired), 422 when the key was used with
// another body (shared/adapters/dynamo implements it).
type Answers interface {
	FindAnswer(ctx context.Context, key, payloadHash string, now time.Time) (*casework.Answer, error)
}

// Recorder says how to store the answer of one request; the zero value (no Idempotency-Key) stores nothing.
type Recorder struct {
	key, hash string
	status    int
	at        time.Time
}

// Encode is the casework.AnswerRecorder that stores body(result), the transport's answer, with the change.
func Encode[R any, B any](r Recorder, body func(R) B) casework.AnswerRecorder {
	if r.key == "" {
		return nil
	}
	return func(result any) (*casework.Answer, error) {
		raw, err := json.Marshal(body(result.(R)))
		if err != nil {
			return nil, err
		}
		return &casework.Answer{Key: r.key, PayloadHash: r.hash, Status: r.status, Body: string(raw), At: r.at}, nil
	}
}

// Run answers req with status and the result of create, idempotently: create must give the Recorder to its use
// case (with Encode) so the answer is stored with what it creates.
func Run(ctx context.Context, answers Answers, req httpapi.Request, status int, create func(Recorder) (any, error)) (events.APIGatewayV2HTTPResponse, error) {
	clientKey := req.IdempotencyKey()
	if clientKey == "" {
		answer, err := create(Recorder{})
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
	// The answer's expiry runs on the real clock, as DynamoDB's TTL does: a request dated by a pinned clock (the
	// local cloud, a replay) must not store an answer that TTL removes before the client retries.
	rec := Recorder{key: "idem#" + req.Event.RouteKey + "#" + clientKey, hash: ids.Hash(string(body)), status: status, at: time.Now()}
	if replay, err := answers.FindAnswer(ctx, rec.key, rec.hash, rec.at); err != nil || replay != nil {
		return respond(replay, err)
	}
	answer, err := create(rec)
	if apperr.CodeOf(err) == apperr.Conflict {
		// A concurrent request with the same key won the race: answer what it stored.
		return respond(answers.FindAnswer(ctx, rec.key, rec.hash, rec.at))
	}
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.JSON(status, answer)
}

func respond(a *casework.Answer, err error) (events.APIGatewayV2HTTPResponse, error) {
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if a == nil {
		return events.APIGatewayV2HTTPResponse{}, apperr.New(apperr.Conflict, "A request with this Idempotency-Key is being processed; retry shortly.")
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: a.Status, Body: a.Body,
		Headers: map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store", "Idempotent-Replayed": "true"},
	}, nil
}
