// Package idem makes create requests safe to retry: with an Idempotency-Key header, the first answer is stored
// in the same transaction as the records it created (casework.Answer), sealed so that only a request with the
// same key and body can read it (the answer holds the resident's access token, which is otherwise stored only
// as a hash), and a retry with the same key and body gets that answer again (same key, another body: 422).
// Without the header every request is new.
package idem

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
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
	seal      []byte // the answer's encryption key, derived from what only the caller holds
	status    int
	at        time.Time
}

// sealKey is the key an answer is stored under: derived from the client's Idempotency-Key and the exact request
// body, which are stored nowhere. So a stored answer (a resident's access token among it) is unreadable to
// anyone with the table but not the request, while the caller's retry, which sends both, opens it.
func sealKey(clientKey string, body []byte) []byte {
	h := sha256.New()
	h.Write([]byte("idempotent-answer-v1\x00" + clientKey + "\x00"))
	h.Write(body)
	return h.Sum(nil)
}

func seal(key, plain []byte) (string, error) {
	aead, err := gcm(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, nil)), nil
}

func open(key []byte, sealed string) ([]byte, error) {
	aead, err := gcm(key)
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < aead.NonceSize() {
		return nil, errors.New("idempotent answer: not sealed")
	}
	return aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
}

func gcm(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
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
		sealed, err := seal(r.seal, raw)
		if err != nil {
			return nil, err
		}
		return &casework.Answer{Key: r.key, PayloadHash: r.hash, Status: r.status, Body: sealed, At: r.at}, nil
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
	rec := Recorder{key: "idem#" + req.Event.RouteKey + "#" + ids.Hash(clientKey), hash: ids.Hash(string(body)),
		seal: sealKey(clientKey, body), status: status, at: time.Now()}
	if replay, err := answers.FindAnswer(ctx, rec.key, rec.hash, rec.at); err != nil || replay != nil {
		return rec.respond(replay, err)
	}
	answer, err := create(rec)
	if apperr.CodeOf(err) == apperr.Conflict {
		// A concurrent request with the same key won the race: answer what it stored.
		return rec.respond(answers.FindAnswer(ctx, rec.key, rec.hash, rec.at))
	}
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return httpapi.JSON(status, answer)
}

// respond replays a stored answer, opened with this request's key.
func (r Recorder) respond(a *casework.Answer, err error) (events.APIGatewayV2HTTPResponse, error) {
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if a == nil {
		return events.APIGatewayV2HTTPResponse{}, apperr.New(apperr.Conflict, "A request with this Idempotency-Key is being processed; retry shortly.")
	}
	body, err := open(r.seal, a.Body)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("idempotent answer %s: %w", r.key, err)
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: a.Status, Body: string(body),
		Headers: map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store", "Idempotent-Replayed": "true"},
	}, nil
}

// FormKeyMax bounds a web form's one-time key: FormKey accepts only 22 to FormKeyMax characters of base64url.
const FormKeyMax = 64

// NewFormKey is a random one-time key for a web form (256 bits, base64url): the page puts it in a hidden field
// when it renders the form, so sending the same form twice (a double click, the browser's re-post after a network
// error, the back button) sends the same key.
func NewFormKey() string { return ids.NewAccessToken() }

// ValidFormKey says whether key looks like one NewFormKey gives out: base64url, 22 to FormKeyMax characters.
func ValidFormKey(key string) bool {
	if len(key) < 22 || len(key) > FormKeyMax {
		return false
	}
	for _, c := range key {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ForForm is the Recorder of a web form sent with a one-time key (ValidFormKey) by owner (the signed-in member
// of staff's id): the answer is stored under a hash of the form's scope, owner and key, so the same officer's
// second sending finds the first's answer whatever its body (the form may have been changed after the back
// button: it is still the same form), and another's sending of the key finds nothing. Like Run's, the answer is
// sealed with what only the sender holds (the key) and expires with the idempotency table's TTL.
func ForForm(scope, owner, key string, status int) Recorder {
	return Recorder{key: "idem#" + scope + "#" + ids.Hash(owner, key), hash: ids.Hash("form", scope, owner),
		seal: sealKey(key, []byte(scope+"\x00"+owner)), status: status, at: time.Now()}
}

// Replay is the answer stored for r's form and key, opened (nil when the form was not sent before, or its answer
// expired); a sending still being carried out is a Conflict.
func (r Recorder) Replay(ctx context.Context, answers Answers) ([]byte, error) {
	a, err := answers.FindAnswer(ctx, r.key, r.hash, r.at)
	if err != nil || a == nil {
		return nil, err
	}
	body, err := open(r.seal, a.Body)
	if err != nil {
		return nil, fmt.Errorf("idempotent answer %s: %w", r.key, err)
	}
	return body, nil
}
