package staffweb

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/transport/web"
)

// Provider is the OpenID provider staff sign in with: the staff user pool's managed login in AWS (MFA as the
// pool requires), the local cloud's stand-in under `make run`. The console is a public client: authorization
// code with PKCE (S256), no client secret.
type Provider struct {
	Issuer, ClientID                string
	AuthorizeURL, TokenURL, KeysURL string
	LogoutURL                       string // "" when the provider has none
	SiteURL                         string // the console's origin: redirect URIs are SiteURL+CallbackPath and SiteURL+SignedOutPath
	HTTP                            *http.Client
	Now                             func() time.Time // token expiry is checked against real time (default time.Now)
	verifierOnce                    sync.Once
	verifier                        *oidc.IDTokenVerifier
}

// Paths the provider sends the officer back to (registered on the app client).
const (
	CallbackPath  = "/staff/callback"
	SignedOutPath = "/staff/signed-out"
)

// ProviderFromEnv reads the catalog's StaffSignIn* environment, with site (the site.url setting) as the console's
// origin unless the local cloud overrides it. Nothing is fetched here: the provider's keys are fetched on the
// first sign-in (a cold start serving a page to a signed-in officer never needs them).
func ProviderFromEnv(site string) *Provider {
	if local := os.Getenv(catalog.StaffSiteURLEnv); local != "" {
		site = local
	}
	return &Provider{
		Issuer: os.Getenv(catalog.StaffSignInIssuerEnv), ClientID: os.Getenv(catalog.StaffSignInClientEnv),
		AuthorizeURL: os.Getenv(catalog.StaffSignInAuthorizeEnv), TokenURL: os.Getenv(catalog.StaffSignInTokenEnv),
		KeysURL: os.Getenv(catalog.StaffSignInKeysEnv), LogoutURL: os.Getenv(catalog.StaffSignInLogoutEnv),
		SiteURL: strings.TrimSuffix(site, "/"),
		HTTP:    &http.Client{Timeout: 5 * time.Second},
	}
}

func (p *Provider) config() *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, RedirectURL: p.SiteURL + CallbackPath,
		Endpoint: oauth2.Endpoint{AuthURL: p.AuthorizeURL, TokenURL: p.TokenURL, AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{oidc.ScopeOpenID, "email", "profile"}}
}

func (p *Provider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Provider) client(ctx context.Context) context.Context {
	if p.HTTP == nil {
		return ctx
	}
	return context.WithValue(ctx, oauth2.HTTPClient, p.HTTP)
}

// idVerifier checks an ID token's signature against the provider's keys (fetched when first needed and cached;
// refetched when a token names a key it has not seen), its issuer, its audience (our client id) and its expiry.
func (p *Provider) idVerifier() *oidc.IDTokenVerifier {
	p.verifierOnce.Do(func() {
		keys := oidc.NewRemoteKeySet(oidc.ClientContext(context.Background(), p.HTTP), p.KeysURL)
		p.verifier = oidc.NewVerifier(p.Issuer, keys, &oidc.Config{ClientID: p.ClientID, Now: p.now,
			SupportedSigningAlgs: []string{oidc.RS256}})
	})
	return p.verifier
}

// pending is the sign-in in progress, kept server-side in the visitor's pre-session (never in the URL or a
// cookie): the state we sent, the PKCE verifier whose S256 challenge we sent, the nonce the ID token must carry,
// where to go afterwards, and until when it may complete.
type pending struct {
	State, Verifier, Nonce, Return string
	Until                          time.Time
}

// pendingFor is how long a sign-in at the provider may take (typing a password and an MFA code).
const pendingFor = 10 * time.Minute

// Officer is the signed-in member of staff, from the ID token: the stable id (sub), the name and email shown on
// timelines and letters, and the groups that decide what they see and may do.
type Officer struct {
	ID, Name, Email string
	Groups          []string
	SignedInAt      time.Time
	SeenAt          time.Time
}

// Staff is the officer as the application services take them.
func (o Officer) Staff() casework.Staff {
	return casework.Staff{ID: o.ID, Name: o.Name, Email: o.Email, Groups: o.Groups}
}

// Session limits: signed out after IdleFor without a page, and after AbsoluteFor whatever they do (a working
// day), so a session left open on a shared computer ends.
const (
	IdleFor     = 30 * time.Minute
	AbsoluteFor = 10 * time.Hour
)

const (
	keptOfficer = "staff"
	keptPending = "staff-signin"
	keptFlash   = "staff-flash"
)

// errSignIn is every refused sign-in: the page says the same whatever failed (state, code, token), and the
// log line says which without any of the values.
var errSignIn = errors.New("sign-in refused")

func randomValue() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// begin starts a sign-in: a pending entry in the pre-session and the provider's authorize URL with the state,
// the S256 challenge of a fresh verifier, and a nonce.
func (p *Provider) begin(s *web.Session, returnTo string, now time.Time) (string, error) {
	pd := pending{State: randomValue(), Verifier: oauth2.GenerateVerifier(), Nonce: randomValue(), Return: returnTo, Until: now.Add(pendingFor)}
	if err := s.Keep(keptPending, pd); err != nil {
		return "", err
	}
	return p.config().AuthCodeURL(pd.State, oauth2.S256ChallengeOption(pd.Verifier), oidc.Nonce(pd.Nonce)), nil
}

// finish completes a sign-in at the callback: the state must be the pending one's (and in time), the code is
// exchanged with the verifier, and the ID token must verify and carry our nonce. reason says what failed (for
// the log; never a value).
func (p *Provider) finish(ctx context.Context, s *web.Session, q url.Values, now time.Time) (o Officer, returnTo, reason string, err error) {
	var pd pending
	if !s.KeptAs(keptPending, &pd) {
		return Officer{}, "", "no sign-in in progress", errSignIn
	}
	s.Forget(keptPending) // one try: a replayed callback finds nothing
	switch {
	case now.After(pd.Until):
		return Officer{}, "", "sign-in took too long", errSignIn
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(pd.State)) != 1:
		return Officer{}, "", "state mismatch", errSignIn
	case q.Get("error") != "":
		return Officer{}, "", "the provider refused", errSignIn
	case q.Get("code") == "" || len(q.Get("code")) > 2048:
		return Officer{}, "", "no code", errSignIn
	}
	tok, err := p.config().Exchange(p.client(ctx), q.Get("code"), oauth2.VerifierOption(pd.Verifier))
	if err != nil {
		return Officer{}, "", "code exchange failed", errSignIn
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Officer{}, "", "no ID token", errSignIn
	}
	idt, err := p.idVerifier().Verify(p.client(ctx), raw)
	if err != nil {
		return Officer{}, "", "ID token not valid", errSignIn
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pd.Nonce)) != 1 {
		return Officer{}, "", "nonce mismatch", errSignIn
	}
	var claims struct {
		Email    string   `json:"email"`
		Name     string   `json:"name"`
		Username string   `json:"cognito:username"`
		Groups   []string `json:"cognito:groups"`
	}
	if err := idt.Claims(&claims); err != nil || idt.Subject == "" {
		return Officer{}, "", "claims not readable", errSignIn
	}
	name := cmpOr(claims.Name, claims.Email, claims.Username, idt.Subject)
	known := catalog.StaffGroups()
	groups := slices.DeleteFunc(slices.Clone(claims.Groups), func(g string) bool { return !slices.Contains(known, g) })
	return Officer{ID: idt.Subject, Name: name, Email: claims.Email, Groups: groups, SignedInAt: now, SeenAt: now}, pd.Return, "", nil
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// logoutURL ends the session at the provider too (Cognito's /logout with our client id and the signed-out
// page, which the app client lists as a sign-out URL); "" sends the officer straight to the signed-out page.
func (p *Provider) logoutURL() string {
	if p.LogoutURL == "" {
		return SignedOutPath
	}
	return p.LogoutURL + "?" + url.Values{"client_id": {p.ClientID}, "logout_uri": {p.SiteURL + SignedOutPath}}.Encode()
}
