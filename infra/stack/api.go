package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// api is one HTTP API (payload format 2.0) with a JWT authorizer from the staff user pool on staff routes only:
// public, resident, webhook and bearer-secret routes are checked by the functions themselves (see catalog.Auth).
func (b *builder) api() {
	pool, client := b.staffUserPool()
	b.staffConsoleSignIn(pool)
	authorizer := awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String("StaffJwt"), pool.UserPoolProviderUrl(),
		&awsapigatewayv2authorizers.HttpJwtAuthorizerProps{JwtAudience: &[]*string{client.UserPoolClientId()}})
	api := awsapigatewayv2.NewHttpApi(b.stack, jsii.String("HttpApi"), &awsapigatewayv2.HttpApiProps{
		ApiName:            jsii.String(*b.stack.StackName() + "-api"),
		Description:        jsii.String("Council housing services: ASB, complaints, housing register, out-of-hours webhook"),
		CreateDefaultStage: jsii.Bool(false), // defaultStage below adds throttling and access logs
	})
	b.httpAPI = api
	for _, f := range b.props.Catalog.Functions {
		if len(f.Routes) == 0 {
			continue
		}
		integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(logicalID(f.Name)+"Integration"), b.functions[f.Name],
			&awsapigatewayv2integrations.HttpLambdaIntegrationProps{PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0()})
		for _, r := range f.Routes {
			b.route(api, integration, authorizer, r)
		}
	}
	b.defaultStage(api)
	output(b.stack, "ApiUrl", api.ApiEndpoint(), "Base URL of the HTTP API")
	output(b.stack, "StaffUserPoolId", pool.UserPoolId(), "Cognito user pool for staff (add users to its groups)")
	output(b.stack, "StaffAppClientId", client.UserPoolClientId(), "Cognito app client the staff front end signs in with")
}

func (b *builder) route(api awsapigatewayv2.HttpApi, integration awsapigatewayv2.HttpRouteIntegration, authorizer awsapigatewayv2.IHttpRouteAuthorizer, r catalog.Route) {
	opts := &awsapigatewayv2.AddRoutesOptions{
		Path: jsii.String(r.Path), Methods: &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(r.Method)}, Integration: integration,
	}
	if r.Auth == catalog.Staff {
		opts.Authorizer = authorizer
	}
	for _, route := range *api.AddRoutes(opts) {
		if r.Auth != catalog.Staff {
			suppressOpenRoute(route, r.Auth)
		}
	}
}

// staffUserPool is for council staff only (administrators create the accounts):
//   - MFA is required, with an authenticator app: staff see safeguarding and ASB details about residents, and
//     SMS codes cost money and are open to SIM swapping;
//   - the Plus feature plan's threat protection blocks compromised credentials and risky sign-ins; for a
//     staff-sized pool (a few hundred users) it costs a few pounds a month;
//   - the app client has no secret (it is a browser app) and signs in with SRP only: no password is sent, no
//     admin or plain-password flows, and no hosted-UI OAuth flows, which would need callback URLs.
func (b *builder) staffUserPool() (awscognito.UserPool, awscognito.UserPoolClient) {
	pool := awscognito.NewUserPool(b.stack, jsii.String("StaffUserPool"), &awscognito.UserPoolProps{
		SelfSignUpEnabled: jsii.Bool(false),
		SignInAliases:     &awscognito.SignInAliases{Email: jsii.Bool(true)},
		AutoVerify:        &awscognito.AutoVerifiedAttrs{Email: jsii.Bool(true)},
		Mfa:               awscognito.Mfa_REQUIRED,
		MfaSecondFactor:   &awscognito.MfaSecondFactor{Otp: jsii.Bool(true), Sms: jsii.Bool(false)},
		PasswordPolicy: &awscognito.PasswordPolicy{
			MinLength: jsii.Number(12), RequireDigits: jsii.Bool(true), RequireLowercase: jsii.Bool(true),
			RequireUppercase: jsii.Bool(true), RequireSymbols: jsii.Bool(true),
			TempPasswordValidity: awscdk.Duration_Days(jsii.Number(3)),
		},
		AccountRecovery:              awscognito.AccountRecovery_EMAIL_ONLY,
		FeaturePlan:                  awscognito.FeaturePlan_PLUS,
		StandardThreatProtectionMode: awscognito.StandardThreatProtectionMode_FULL_FUNCTION,
		DeletionProtection:           jsii.Bool(true),
		RemovalPolicy:                awscdk.RemovalPolicy_RETAIN,
	})
	client := pool.AddClient(jsii.String("StaffApp"), &awscognito.UserPoolClientOptions{
		GenerateSecret:             jsii.Bool(false),
		AuthFlows:                  &awscognito.AuthFlow{UserSrp: jsii.Bool(true)},
		DisableOAuth:               jsii.Bool(true),
		PreventUserExistenceErrors: jsii.Bool(true),
		EnableTokenRevocation:      jsii.Bool(true),
		AccessTokenValidity:        awscdk.Duration_Hours(jsii.Number(1)),
		IdTokenValidity:            awscdk.Duration_Hours(jsii.Number(1)),
		RefreshTokenValidity:       awscdk.Duration_Hours(jsii.Number(12)), // one working day
	})
	for _, g := range staffGroups(b.props.Catalog) {
		pool.AddGroup(jsii.String(logicalID(g)+"Group"), &awscognito.UserPoolGroupOptions{
			GroupName: jsii.String(g), Description: jsii.String("Housing staff role " + g + " (checked by the functions)"),
		})
	}
	return pool, client
}

// accessLogFormat says who called which route and how it went; never bodies, query strings, tokens or claims.
const accessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",` +
	`"requestTime":"$context.requestTime","routeKey":"$context.routeKey","status":"$context.status",` +
	`"responseLength":"$context.responseLength","latency":"$context.responseLatency",` +
	`"integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error"}`

// defaultStage is the $default stage with throttling and JSON access logs. It is the L1 resource because the
// L2 HttpStage takes access log settings as a jsii interface that plain Go structs cannot implement.
func (b *builder) defaultStage(api awsapigatewayv2.HttpApi) {
	logs := b.logGroup("ApiAccessLogs")
	awsapigatewayv2.NewCfnStage(b.stack, jsii.String("DefaultStage"), &awsapigatewayv2.CfnStageProps{
		ApiId: api.ApiId(), StageName: jsii.String("$default"), AutoDeploy: jsii.Bool(true),
		DefaultRouteSettings: &awsapigatewayv2.CfnStage_RouteSettingsProperty{
			ThrottlingRateLimit: jsii.Number(b.props.RateLimit), ThrottlingBurstLimit: jsii.Number(b.props.BurstLimit),
		},
		AccessLogSettings: &awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
			DestinationArn: logs.LogGroupArn(), Format: jsii.String(accessLogFormat),
		},
	})
}

// staffGroups are the Cognito groups named by any staff route, sorted.
func staffGroups(c catalog.Catalog) []string {
	seen := map[string]bool{}
	for _, f := range c.Functions {
		for _, r := range f.Routes {
			for _, g := range r.Groups {
				seen[g] = true
			}
		}
	}
	return sortedKeys(seen)
}

func output(stack awscdk.Stack, id string, value *string, description string) {
	awscdk.NewCfnOutput(stack, jsii.String(id), &awscdk.CfnOutputProps{Value: value, Description: jsii.String(description)})
}
