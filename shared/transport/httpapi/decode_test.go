package httpapi

import (
	"context"
	"strings"
	"testing"
)

// A body that is not a JSON object is refused, null included: decoding null into a form is a no-op, so it would
// pass as a form with every field left out (found by the hostile-input table: POST .../debt with the body
// `null` recorded a debt of 0, making the applicant offerable).
func TestDecodeJSONRefusesWhatIsNotAnObject(t *testing.T) {
	for _, body := range []string{`null`, ` null `, "\tnull\n", `[]`, `[{"name":"a"}]`, `"name"`, `2`, `true`, "\ufeff{}"} {
		f := form{Name: "kept", Count: 7}
		err := Request{Event: event("POST /x", body, nil)}.DecodeJSON(&f)
		resp := ErrorResponse(context.Background(), err, "r")
		if resp.StatusCode != 400 || !strings.Contains(resp.Body, "must be a JSON object") {
			t.Errorf("%q: %d %s", body, resp.StatusCode, resp.Body)
		}
	}
	var f form
	if err := (Request{Event: event("POST /x", " \n{\"count\":2}\n", nil)}).DecodeJSON(&f); err != nil || f.Count != 2 {
		t.Errorf("an object with white space around it: %v", err)
	}
}

// A body declared as anything but JSON in UTF-8 is refused with 415, whatever it holds; none declared is read as
// JSON.
func TestBodiesMustBeDeclaredJSON(t *testing.T) {
	for contentType, want := range map[string]int{
		"": 0, "application/json": 0, "application/json; charset=utf-8": 0, "Application/JSON; charset=UTF-8": 0,
		"application/merge-patch+json": 0, "text/plain": 415, "application/x-www-form-urlencoded": 415,
		"multipart/form-data; boundary=x": 415, "application/json; charset=iso-8859-1": 415, "@@@/;;;===": 415,
	} {
		ev := event("POST /x", `{"name":"a"}`, nil)
		ev.Headers["content-type"] = contentType
		var f form
		err := Request{Event: ev}.DecodeJSON(&f)
		if got := StatusOf(err); (want == 0 && err != nil) || (want != 0 && got != want) {
			t.Errorf("%q: %v", contentType, err)
		}
	}
}
