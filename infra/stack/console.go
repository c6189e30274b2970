package stack

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// Paths of the staff console the managed login sends officers back to (shared/transport/staffweb).
const (
	ConsoleCallbackPath  = "/staff/callback"
	ConsoleSignedOutPath = "/staff/signed-out"
)

// staffConsoleSignIn adds the staff console's sign-in to the staff user pool: a second app client, apart from
// the JSON API's (whose tokens the API's JWT authorizer accepts, and which keeps OAuth off), for the
// authorization code grant only, as a public client with PKCE (no secret: the console's code would be its only
// keeper), scopes openid, email and profile, calling back to the site's own domain (the site.url setting); a
// Cognito domain with managed login (version 2, with Cognito's own styles for the client), where the pool's
// MFA applies; and each StaffSignIn function's environment pointing at them (the site's address it reads from
// the site.url setting, as every configuration value).
func (b *builder) staffConsoleSignIn(pool awscognito.UserPool) awscognito.UserPoolClient {
	site := strings.TrimSuffix(b.props.Config.Value(catalog.SiteURL), "/")
	client := pool.AddClient(jsii.String("StaffConsole"), &awscognito.UserPoolClientOptions{
		GenerateSecret: jsii.Bool(false),
		AuthFlows:      &awscognito.AuthFlow{}, // no password or SRP flows: only the managed login signs in
		OAuth: &awscognito.OAuthSettings{
			Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true), ImplicitCodeGrant: jsii.Bool(false), ClientCredentials: jsii.Bool(false)},
			Scopes:       &[]awscognito.OAuthScope{awscognito.OAuthScope_OPENID(), awscognito.OAuthScope_EMAIL(), awscognito.OAuthScope_PROFILE()},
			CallbackUrls: &[]*string{jsii.String(site + ConsoleCallbackPath)},
			LogoutUrls:   &[]*string{jsii.String(site + ConsoleSignedOutPath)},
		},
		SupportedIdentityProviders: &[]awscognito.UserPoolClientIdentityProvider{awscognito.UserPoolClientIdentityProvider_COGNITO()},
		PreventUserExistenceErrors: jsii.Bool(true),
		EnableTokenRevocation:      jsii.Bool(true),
		AccessTokenValidity:        awscdk.Duration_Hours(jsii.Number(1)),
		IdTokenValidity:            awscdk.Duration_Hours(jsii.Number(1)),
		RefreshTokenValidity:       awscdk.Duration_Hours(jsii.Number(10)), // the console's absolute session
	})
	domain := pool.AddDomain(jsii.String("StaffLogin"), &awscognito.UserPoolDomainOptions{
		CognitoDomain:       &awscognito.CognitoDomainOptions{DomainPrefix: jsii.String(domainPrefix(site))},
		ManagedLoginVersion: awscognito.ManagedLoginVersion_NEWER_MANAGED_LOGIN,
	})
	awscognito.NewCfnManagedLoginBranding(b.stack, jsii.String("StaffConsoleLoginStyle"), &awscognito.CfnManagedLoginBrandingProps{
		UserPoolId: pool.UserPoolId(), ClientId: client.UserPoolClientId(), UseCognitoProvidedValues: jsii.Bool(true),
	})
	base := domain.BaseUrl(nil)
	env := map[string]*string{
		catalog.StaffSignInIssuerEnv: pool.UserPoolProviderUrl(), catalog.StaffSignInClientEnv: client.UserPoolClientId(),
		catalog.StaffSignInAuthorizeEnv: jsii.String(*base + "/oauth2/authorize"), catalog.StaffSignInTokenEnv: jsii.String(*base + "/oauth2/token"),
		catalog.StaffSignInKeysEnv:   jsii.String(*pool.UserPoolProviderUrl() + "/.well-known/jwks.json"),
		catalog.StaffSignInLogoutEnv: jsii.String(*base + "/logout"),
	}
	for _, f := range b.props.Catalog.Functions {
		if !f.StaffSignIn {
			continue
		}
		for _, k := range sortedKeys(env) {
			b.functions[f.Name].AddEnvironment(jsii.String(k), env[k], nil)
		}
	}
	output(b.stack, "StaffConsoleClientId", client.UserPoolClientId(), "Cognito app client of the staff console (authorization code with PKCE)")
	output(b.stack, "StaffConsoleUrl", jsii.String(site+"/staff"), "The staff console (signs in through the staff user pool's managed login)")
	return client
}

var notPrefix = regexp.MustCompile(`[^a-z0-9-]+`)

// domainPrefix is the Cognito domain's prefix, unique to the council: the site's host name with dots as hyphens
// ("housing-northtown-gov-uk-staff"). Cognito refuses "aws", "amazon" and "cognito" in it.
func domainPrefix(site string) string {
	host := site
	if u, err := url.Parse(site); err == nil && u.Host != "" {
		host = u.Hostname()
	}
	p := notPrefix.ReplaceAllString(strings.ToLower(strings.ReplaceAll(host, ".", "-")), "-")
	for _, banned := range []string{"aws", "amazon", "cognito"} {
		p = strings.ReplaceAll(p, banned, "x")
	}
	p = strings.Trim(p, "-")
	if len(p) > 50 {
		p = strings.Trim(p[:50], "-")
	}
	return p + "-staff"
}
