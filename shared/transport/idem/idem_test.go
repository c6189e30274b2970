package idem

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/testsupport"
	"github.com/councilhousing/backend/shared/transport/httpapi"
)

// answers is the idempotency table in memory: what a create stored, by key.
type answers map[string]casework.Answer

func (a answers) FindAnswer(_ context.Context, key, hash string, _ time.Time) (*casework.Answer, error) {
	got, ok := a[key]
	switch {
	case !ok:
		return nil, nil
	case got.PayloadHash != hash:
		return nil, apperr.New(apperr.Unprocessable, "This Idempotency-Key was already used with a different request body.")
	}
	return &got, nil
}

type receipt struct {
	Reference   string `json:"reference"`
	AccessToken string `json:"accessToken"`
}

// The stored answer holds the resident's access token, so it is sealed with what only the caller has (the key
// and the exact body): the table never holds a token in clear, and the caller's retry still gets the same
// answer, token included.
func TestAnswersAreStoredSealedAndReplayedToTheSameCaller(t *testing.T) {
	stored, made := answers{}, 0
	run := func(key, body string) (int, string) {
		req := httpapi.Request{Event: testsupport.Request{Route: "POST /complaints", Body: body, Header: map[string]string{"Idempotency-Key": key}}.Event()}
		resp, err := Run(context.Background(), stored, req, http.StatusCreated, func(rec Recorder) (any, error) {
			made++
			r := receipt{Reference: "CMP-1", AccessToken: "secret-token-" + key}
			answer, err := Encode(rec, func(r receipt) receipt { return r }).Record(r)
			if err != nil {
				return nil, err
			}
			stored[answer.Key] = *answer
			return r, nil
		})
		if err != nil {
			return httpapi.StatusOf(err), err.Error()
		}
		return resp.StatusCode, resp.Body
	}
	status, first := run("k-1", `{"a":1}`)
	if status != 201 || !strings.Contains(first, "secret-token-k-1") {
		t.Fatalf("first: %d %s", status, first)
	}
	for key, a := range stored {
		if strings.Contains(a.Body, "secret-token") || strings.Contains(key, "k-1") {
			t.Errorf("stored in clear: %s %s", key, a.Body)
		}
	}
	if status, again := run("k-1", `{"a":1}`); status != 201 || again != first || made != 1 {
		t.Errorf("retry: %d %s (created %d times)", status, again, made)
	}
	if status, _ := run("k-1", `{"a":2}`); status != 422 {
		t.Errorf("same key, other body: %d", status)
	}
}
