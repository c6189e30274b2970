package localcloud

// LOCAL ONLY: a tiny OpenID provider standing in for the staff user pool's managed login, so `make run` signs
// officers in to the staff console through the console's real code path (authorization code with PKCE, the
// code exchanged at a token endpoint, the ID token verified against a JWKS). It is not in the stack: in AWS the
// console talks to Cognito. There are no passwords: the authorize page lets you pick who you are and your
// groups (the catalog's). Its signing key is generated at start, so tokens never outlive the run.

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/councilhousing/backend/shared/catalog"
)

// oidcStandIn is the local OpenID provider. Codes live a minute and work once.
type oidcStandIn struct {
	issuer func() string
	groups []string
	key    *rsa.PrivateKey
	kid    string
	mu     sync.Mutex
	codes  map[string]oidcCode
}

type oidcCode struct {
	clientID, redirectURI, challenge, nonce string
	sub, name, email                        string
	groups                                  []string
	until                                   time.Time
}

// LocalStaffUsers are the people the stand-in's authorize page offers (any other id can be typed).
var LocalStaffUsers = []struct{ ID, Name, Email string }{
	{"officer-a", "Alex Officer", "alex.officer@council.example"},
	{"officer-b", "Bo Officer", "bo.officer@council.example"},
	{"manager-c", "Cam Manager", "cam.manager@council.example"},
}

func newOIDCStandIn(issuer func() string, sys catalog.Catalog) (*oidcStandIn, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	groups := sys.Groups()
	slices.Sort(groups)
	return &oidcStandIn{issuer: issuer, groups: groups, key: key, kid: "local-" + newID(), codes: map[string]oidcCode{}}, nil
}

func (o *oidcStandIn) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /_local/oidc/authorize", o.authorizePage)
	mux.HandleFunc("POST /_local/oidc/authorize", o.authorize)
	mux.HandleFunc("POST /_local/oidc/token", o.token)
	mux.HandleFunc("GET /_local/oidc/jwks.json", o.jwks)
	mux.HandleFunc("GET /_local/oidc/.well-known/openid-configuration", o.discovery)
	mux.HandleFunc("GET /_local/oidc/logout", o.logout)
}

var authorizeTemplate = template.Must(template.New("authorize").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Local sign-in (local only) – Housing staff console</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/assets/app.css"></head>
<body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>Local only: this page stands in for the council's sign-in (Cognito managed login). It is not part of the deployed service.</strong></div>
<h1 class="govuk-heading-l">Sign in to the staff console</h1>
<form method="post" action="/_local/oidc/authorize" novalidate>
{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Who are you?</legend>
<div class="govuk-radios" data-module="govuk-radios">{{range $i, $u := .Users}}
<div class="govuk-radios__item"><input class="govuk-radios__input" id="user-{{$i}}" name="user" type="radio" value="{{$u.ID}}"{{if eq $i 0}} checked{{end}}>
<label class="govuk-label govuk-radios__label" for="user-{{$i}}">{{$u.Name}} ({{$u.ID}})</label></div>{{end}}
</div></fieldset></div>
<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Your groups</legend>
<div class="govuk-checkboxes" data-module="govuk-checkboxes">{{range $i, $g := .Groups}}
<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="group-{{$i}}" name="groups" type="checkbox" value="{{$g}}">
<label class="govuk-label govuk-checkboxes__label" for="group-{{$i}}">{{$g}}</label></div>{{end}}
</div></fieldset></div>
<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>
</form></main></div></body></html>`))

// authorizePage checks the request as Cognito's authorize endpoint does (our client, a code flow with an S256
// challenge, a redirect URI on the local cloud) and asks who you are.
func (o *oidcStandIn) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := o.checkAuthorize(q); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	params := map[string]string{}
	for _, k := range []string{"client_id", "redirect_uri", "state", "code_challenge", "nonce"} {
		params[k] = q.Get(k)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = authorizeTemplate.Execute(w, map[string]any{"Params": params, "Users": LocalStaffUsers, "Groups": o.groups})
}

func (o *oidcStandIn) checkAuthorize(q url.Values) string {
	switch {
	case q.Get("client_id") != catalog.LocalStaffClientID:
		return "unknown client_id"
	case q.Has("response_type") && q.Get("response_type") != "code":
		return "only response_type=code"
	case q.Has("code_challenge_method") && q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) < 43:
		return "PKCE with S256 is required"
	case !strings.HasPrefix(q.Get("redirect_uri"), strings.TrimSuffix(o.issuer(), "/_local/oidc")+"/"):
		return "redirect_uri is not on the local cloud"
	case q.Get("state") == "":
		return "state is required"
	}
	return ""
}

// authorize issues a code for the chosen user and groups and sends the browser back with it and the state.
func (o *oidcStandIn) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	f.Set("response_type", "code")
	f.Set("code_challenge_method", "S256")
	if msg := o.checkAuthorize(f); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	sub := strings.TrimSpace(f.Get("user"))
	if sub == "" || len(sub) > 100 {
		http.Error(w, "choose a user", http.StatusBadRequest)
		return
	}
	c := oidcCode{clientID: f.Get("client_id"), redirectURI: f.Get("redirect_uri"), challenge: f.Get("code_challenge"),
		nonce: f.Get("nonce"), sub: sub, name: sub, until: time.Now().Add(time.Minute)}
	for _, u := range LocalStaffUsers {
		if u.ID == sub {
			c.name, c.email = u.Name, u.Email
		}
	}
	for _, g := range f["groups"] {
		if slices.Contains(o.groups, g) && !slices.Contains(c.groups, g) {
			c.groups = append(c.groups, g)
		}
	}
	code := newID() + newID()
	o.mu.Lock()
	o.codes[code] = c
	o.mu.Unlock()
	back, _ := url.Parse(c.redirectURI)
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", f.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code once, for the same client and redirect URI, with the verifier whose S256 hash is the
// challenge the authorize request carried.
func (o *oidcStandIn) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	f := r.PostForm
	o.mu.Lock()
	c, ok := o.codes[f.Get("code")]
	delete(o.codes, f.Get("code"))
	o.mu.Unlock()
	sum := sha256.Sum256([]byte(f.Get("code_verifier")))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	switch {
	case f.Get("grant_type") != "authorization_code":
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	case !ok || time.Now().After(c.until) || f.Get("client_id") != c.clientID || f.Get("redirect_uri") != c.redirectURI ||
		subtle.ConstantTimeCompare([]byte(challenge), []byte(c.challenge)) != 1:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims := jwt.MapClaims{"sub": c.sub, "cognito:username": c.sub, "name": c.name, "aud": c.clientID, "token_use": "id",
		"iss": o.issuer(), "iat": now.Unix(), "auth_time": now.Unix(), "exp": now.Add(time.Hour).Unix(), "jti": newID()}
	if c.email != "" {
		claims["email"] = c.email
	}
	if c.nonce != "" {
		claims["nonce"] = c.nonce
	}
	if len(c.groups) > 0 { // Cognito leaves the claim out for a user in no group
		claims["cognito:groups"] = c.groups
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = o.kid
	idToken, err := tok.SignedString(o.key)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"id_token": idToken, "access_token": newID(), "token_type": "Bearer", "expires_in": 3600})
}

func (o *oidcStandIn) jwks(w http.ResponseWriter, _ *http.Request) {
	pub := o.key.Public().(*rsa.PublicKey)
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "use": "sig", "alg": "RS256", "kid": o.kid,
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

func (o *oidcStandIn) discovery(w http.ResponseWriter, _ *http.Request) {
	iss := o.issuer()
	writeJSON(w, http.StatusOK, map[string]any{"issuer": iss, "authorization_endpoint": iss + "/authorize", "token_endpoint": iss + "/token",
		"jwks_uri": iss + "/jwks.json", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"}})
}

// logout ends nothing (the stand-in keeps no session) and sends the browser to the logout_uri, as Cognito does.
func (o *oidcStandIn) logout(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("logout_uri")
	if r.URL.Query().Get("client_id") != catalog.LocalStaffClientID || !strings.HasPrefix(to, strings.TrimSuffix(o.issuer(), "/_local/oidc")+"/") {
		http.Error(w, "unknown client or logout_uri", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}
