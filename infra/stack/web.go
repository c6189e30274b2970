package stack

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	webfiles "github.com/councilhousing/backend/shared/web"
)

// The resident site's hosting: CloudFront in front of the HTTP API (the resident pages and the JSON API on one
// domain), the static assets from a private S3 bucket on the same domain, and a WAF web ACL with a rate-based
// rule. It is two stacks beside the housing stack:
//
//   - the firewall, in us-east-1: AWS accepts a web ACL of scope CLOUDFRONT only there, whatever region the
//     rest of the service is in (residents' data stays in the housing stack's region; the web ACL holds none);
//   - the site (bucket, asset deployment, distribution), in the housing stack's region, referring to the API
//     there directly and to the web ACL's ARN across regions (CloudFormation's Fn::GetStackOutput of the
//     firewall stack's output, which CDK's cross-region references write).
//
// Keeping them out of the housing stack keeps its template to what the catalog declares: the asset
// deployment's custom resource is a Lambda function of CDK's, not the catalog's. `cdk deploy --all` deploys the
// firewall first (the site depends on it), then the housing stack, then the site.

// FirewallRegion is the only region where a CloudFront web ACL can be created.
const FirewallRegion = "us-east-1"

// Default WAF rate limit: requests from one IP address in any 5 minutes. A resident completing the longest
// journey makes about 60 requests (a page and its answer each, plus the assets); an office behind one address
// of a few dozen residents stays well below it; a script hammering the forms is blocked.
const DefaultSiteRateLimit = 600

// AssetsPrefix is the key prefix of the assets in the bucket: CloudFront forwards /assets/app.css as the key
// assets/app.css.
const AssetsPrefix = "assets/"

// SiteProps configure the site's two stacks.
type SiteProps struct {
	// Env is the housing stack's environment: the site goes in its region, the firewall in us-east-1 (same account).
	Env *awscdk.Environment
	// API is the housing stack's HTTP API (NewHousingStack's HttpApi construct).
	API awsapigatewayv2.IHttpApi
	// AssetsDir is the folder deployed under /assets/ (shared/web/assets).
	AssetsDir string
	// RateLimit is the WAF limit per IP address per 5 minutes; zero means DefaultSiteRateLimit.
	RateLimit float64
}

// Site is the hosting's stacks and what the tests and outputs refer to.
type Site struct {
	Firewall, Stack awscdk.Stack
	WebACL          awswafv2.CfnWebACL
	Distribution    awscloudfront.Distribution
	Assets          awss3.Bucket
}

// NewSite adds the firewall stack (us-east-1) and the site stack (the housing stack's region) to scope; id
// names the site stack, id+"Firewall" the firewall's.
func NewSite(scope constructs.Construct, id string, props *SiteProps) Site {
	if props.Env == nil || props.Env.Region == nil || *awscdk.Token_IsUnresolved(props.Env.Region) {
		panic("stack: the site needs an explicit region (the firewall goes in " + FirewallRegion + ")")
	}
	if props.API == nil || props.AssetsDir == "" {
		panic("stack: the site needs the HTTP API and the assets folder")
	}
	limit := props.RateLimit
	if limit == 0 {
		limit = DefaultSiteRateLimit
	}
	s := Site{}
	s.Firewall = awscdk.NewStack(scope, jsii.String(id+"Firewall"), &awscdk.StackProps{
		Env:         &awscdk.Environment{Account: props.Env.Account, Region: jsii.String(FirewallRegion)},
		Description: jsii.String("Council housing services: the resident site's WAF web ACL (CloudFront's are in us-east-1)"),
	})
	s.WebACL = webACL(s.Firewall, limit)
	s.Stack = awscdk.NewStack(scope, jsii.String(id), &awscdk.StackProps{
		Env:         props.Env,
		Description: jsii.String("Council housing services: the resident site (CloudFront, private assets bucket)"),
		// the web ACL's ARN comes from us-east-1 (a no-op when the site is in us-east-1 too)
		CrossRegionReferences: jsii.Bool(*props.Env.Region != FirewallRegion),
	})
	s.Assets = assetsBucket(s.Stack)
	s.Distribution = distribution(s.Stack, props.API, s.Assets, s.WebACL.AttrArn())
	deployAssets(s.Stack, props.AssetsDir, s.Assets, s.Distribution)
	output(s.Stack, "SiteUrl", jsii.String(fmt.Sprintf("https://%s/", *s.Distribution.DistributionDomainName())),
		"The resident site's start page (CloudFront); a council domain is attached to the distribution with its certificate")
	output(s.Stack, "AssetsBucketName", s.Assets.BucketName(), "Private bucket of the site's static assets (deployed by CDK)")
	output(s.Firewall, "WebAclArn", s.WebACL.AttrArn(), "WAF web ACL of the resident site's CloudFront distribution")
	suppressSiteFindings(s)
	return s
}

// webACL blocks any IP address over the rate limit and known-bad traffic (AWS's IP reputation list and known
// bad inputs); everything else is allowed through to the pages, which check their own input. AWS's common rule
// set is left out: its 8 KB body limit would refuse a long complaint, which the pages accept up to 64 KB.
func webACL(stack awscdk.Stack, limit float64) awswafv2.CfnWebACL {
	visibility := func(name string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
		return &awswafv2.CfnWebACL_VisibilityConfigProperty{
			CloudWatchMetricsEnabled: jsii.Bool(true), MetricName: jsii.String(name), SampledRequestsEnabled: jsii.Bool(true),
		}
	}
	managed := func(priority float64, name string) *awswafv2.CfnWebACL_RuleProperty {
		return &awswafv2.CfnWebACL_RuleProperty{
			Name: jsii.String(name), Priority: jsii.Number(priority),
			OverrideAction: &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
			Statement: &awswafv2.CfnWebACL_StatementProperty{ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
				VendorName: jsii.String("AWS"), Name: jsii.String(name),
			}},
			VisibilityConfig: visibility(name),
		}
	}
	return awswafv2.NewCfnWebACL(stack, jsii.String("SiteWebAcl"), &awswafv2.CfnWebACLProps{
		Scope:            jsii.String("CLOUDFRONT"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
		Description:      jsii.String("Resident site: rate limit per IP address, AWS IP reputation list, known bad inputs"),
		VisibilityConfig: visibility("ResidentSite"),
		Rules: &[]any{
			&awswafv2.CfnWebACL_RuleProperty{
				Name: jsii.String("RateLimitPerIp"), Priority: jsii.Number(0),
				Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]any{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
					Limit: jsii.Number(limit), AggregateKeyType: jsii.String("IP"), EvaluationWindowSec: jsii.Number(300),
				}},
				VisibilityConfig: visibility("RateLimitPerIp"),
			},
			managed(1, "AWSManagedRulesAmazonIpReputationList"),
			managed(2, "AWSManagedRulesKnownBadInputsRuleSet"),
		},
	})
}

// assetsBucket is private: no public access, TLS only, read by CloudFront alone through origin access control.
func assetsBucket(stack awscdk.Stack) awss3.Bucket {
	return awss3.NewBucket(stack, jsii.String("AssetsBucket"), &awss3.BucketProps{
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		EnforceSSL:        jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		// only files built from the repository: a new deployment puts them back
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
}

// SecurityHeaders are the headers CloudFront adds to every answer. The pages send their own (stricter,
// per-page) Content-Security-Policy, so CloudFront's applies only where the origin sent none (the assets).
func securityHeaders(stack awscdk.Stack) awscloudfront.ResponseHeadersPolicy {
	return awscloudfront.NewResponseHeadersPolicy(stack, jsii.String("SecurityHeaders"), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String("Resident site: HSTS, no framing, no sniffing, no referrer beyond the origin"),
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
				AccessControlMaxAge: awscdk.Duration_Days(jsii.Number(730)), IncludeSubdomains: jsii.Bool(true), Override: jsii.Bool(true),
			},
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
			FrameOptions:       &awscloudfront.ResponseHeadersFrameOptions{FrameOption: awscloudfront.HeadersFrameOption_DENY, Override: jsii.Bool(true)},
			ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
				ReferrerPolicy: awscloudfront.HeadersReferrerPolicy_STRICT_ORIGIN_WHEN_CROSS_ORIGIN, Override: jsii.Bool(true),
			},
			ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
				ContentSecurityPolicy: jsii.String("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
				Override:              jsii.Bool(false),
			},
		},
	})
}

// distribution serves everything from the API (pages and JSON, never cached, every method, the viewer's
// cookies, query strings and headers except Host) and /assets/* from the bucket (cached).
func distribution(stack awscdk.Stack, api awsapigatewayv2.IHttpApi, assets awss3.Bucket, webACLArn *string) awscloudfront.Distribution {
	headers := securityHeaders(stack)
	// https://<id>.execute-api.<region>.amazonaws.com -> its host name
	apiHost := awscdk.Fn_Select(jsii.Number(2), awscdk.Fn_Split(jsii.String("/"), api.ApiEndpoint(), nil))
	return awscloudfront.NewDistribution(stack, jsii.String("SiteDistribution"), &awscloudfront.DistributionProps{
		Comment: jsii.String("Resident site: pages and API from API Gateway, /assets/* from S3"),
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin: awscloudfrontorigins.NewHttpOrigin(apiHost, &awscloudfrontorigins.HttpOriginProps{
				ProtocolPolicy:     awscloudfront.OriginProtocolPolicy_HTTPS_ONLY,
				OriginSslProtocols: &[]awscloudfront.OriginSslPolicy{awscloudfront.OriginSslPolicy_TLS_V1_2},
			}),
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_ALL(),
			CachePolicy:           awscloudfront.CachePolicy_CACHING_DISABLED(),
			OriginRequestPolicy:   awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER(),
			ResponseHeadersPolicy: headers,
		},
		AdditionalBehaviors: &map[string]*awscloudfront.BehaviorOptions{
			webfiles.AssetsPath + "*": {
				Origin:                awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(assets, nil),
				ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
				AllowedMethods:        awscloudfront.AllowedMethods_ALLOW_GET_HEAD(),
				CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
				ResponseHeadersPolicy: headers,
			},
		},
		WebAclId:    webACLArn,
		HttpVersion: awscloudfront.HttpVersion_HTTP2_AND_3,
		PriceClass:  awscloudfront.PriceClass_PRICE_CLASS_100, // edge locations in Europe and North America
		EnableIpv6:  jsii.Bool(true),
	})
}

// deployAssets copies the assets folder into the bucket under assets/ and clears CloudFront's copies of them.
// The files are not fingerprinted, so browsers keep them an hour at most.
func deployAssets(stack awscdk.Stack, dir string, bucket awss3.Bucket, dist awscloudfront.Distribution) {
	awss3deployment.NewBucketDeployment(stack, jsii.String("AssetsDeployment"), &awss3deployment.BucketDeploymentProps{
		Sources:              &[]awss3deployment.ISource{awss3deployment.Source_Asset(jsii.String(dir), nil)},
		DestinationBucket:    bucket,
		DestinationKeyPrefix: jsii.String(AssetsPrefix),
		CacheControl:         &[]awss3deployment.CacheControl{awss3deployment.CacheControl_FromString(jsii.String("public, max-age=3600"))},
		Distribution:         dist,
		DistributionPaths:    &[]*string{jsii.String(webfiles.AssetsPath + "*")},
	})
}

// suppressSiteFindings records the site's deliberate cdk-nag findings, each on the one resource it concerns,
// with its reason.
func suppressSiteFindings(s Site) {
	suppress(s.Assets, "AwsSolutions-S1",
		"Holds only the public static assets (CSS, JavaScript) built from the repository and read by CloudFront alone; "+
			"every page request is in the API's access log and the web ACL's sampled requests.")
	suppress(s.Distribution, "AwsSolutions-CFR1",
		"No geographic restriction: residents abroad (on holiday, working away) must still be able to report, complain and apply.")
	suppress(s.Distribution, "AwsSolutions-CFR3",
		"Requests are logged where they are handled: the HTTP API's JSON access log (90 days) for pages and the API, and "+
			"the web ACL's metrics and sampled requests; the assets are public static files.")
	suppress(s.Distribution, "AwsSolutions-CFR4",
		"Served on the default *.cloudfront.net certificate until the council attaches its domain and ACM certificate "+
			"(then the minimum protocol is TLSv1.2_2021); CloudFront fixes the default certificate's policy.")
	for _, child := range *s.Stack.Node().Children() {
		if strings.HasPrefix(*child.Node().Id(), "Custom::CDKBucketDeployment") { // the deployment's handler, a CDK singleton
			suppress(child, "AwsSolutions-L1", "CDK's BucketDeployment handler: its runtime is CDK's, updated with aws-cdk-lib.")
			suppress(child, "AwsSolutions-IAM4", "CDK's BucketDeployment handler writes its logs with AWSLambdaBasicExecutionRole; it runs only during deployments.")
			suppress(child, "AwsSolutions-IAM5",
				"CDK's BucketDeployment grants: read its source in the CDK assets bucket, write and prune objects in the assets bucket "+
					"(both <bucket>/*), and create CloudFront invalidations (no resource-level permissions).",
				&cdknag.RegexAppliesTo{Regex: jsii.String(`/^(Action::s3:(GetBucket|GetObject|List|Abort|DeleteObject)\*|Resource::.*\/\*|Resource::\*)$/`)})
		}
	}
}

// HTTPAPI is the HTTP API of a stack NewHousingStack built, for NewSite.
func HTTPAPI(housing awscdk.Stack) awsapigatewayv2.IHttpApi {
	api, ok := housing.Node().FindChild(jsii.String("HttpApi")).(awsapigatewayv2.IHttpApi)
	if !ok {
		panic("stack: " + *housing.StackName() + " has no HttpApi")
	}
	return api
}
