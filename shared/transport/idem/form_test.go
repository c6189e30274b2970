package idem

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// A web form's one-time key: what NewFormKey gives out is valid and nothing else of another length or alphabet
// is; the answer a form stored is found again by the same officer's sending of the key (sealed: the table holds
// neither the key nor the answer in clear), and by no other officer or form.
func TestFormKeysAreTheOfficersOwn(t *testing.T) {
	key := NewFormKey()
	if !ValidFormKey(key) || key == NewFormKey() {
		t.Fatalf("NewFormKey %q", key)
	}
	for _, bad := range []string{"", "short", strings.Repeat("a", FormKeyMax+1), "has spaces and is long enough", "équipe-équipe-équipe-équipe", "a/b+c=d" + key} {
		if ValidFormKey(bad) {
			t.Errorf("%q is a valid key", bad)
		}
	}
	stored := answers{}
	rec := ForForm("log", "officer-a", key, http.StatusSeeOther)
	a, err := Encode(rec, func(ref string) map[string]string { return map[string]string{"reference": ref} }).Record("CMP-AAAA-AAAA")
	if err != nil {
		t.Fatal(err)
	}
	stored[a.Key] = *a
	if strings.Contains(a.Key, key) || strings.Contains(a.Body, "CMP-AAAA-AAAA") {
		t.Errorf("stored in clear: %+v", a)
	}
	body, err := ForForm("log", "officer-a", key, http.StatusSeeOther).Replay(context.Background(), stored)
	if err != nil || string(body) != `{"reference":"CMP-AAAA-AAAA"}` {
		t.Errorf("the same officer's key: %s %v", body, err)
	}
	for name, other := range map[string]Recorder{"another officer": ForForm("log", "officer-b", key, http.StatusSeeOther),
		"another form": ForForm("other", "officer-a", key, http.StatusSeeOther), "another key": ForForm("log", "officer-a", NewFormKey(), http.StatusSeeOther)} {
		if body, err := other.Replay(context.Background(), stored); err != nil || body != nil {
			t.Errorf("%s finds %s %v", name, body, err)
		}
	}
}
