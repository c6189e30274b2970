package stack

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// The site's two stacks, synthesised once in an app of their own beside a stand-in for the housing stack's
// HTTP API (the housing stack itself is checked by the other tests).
var (
	siteOnce                       sync.Once
	site                           Site
	siteTemplate, firewallTemplate assertions.Template
	siteTmpl, firewallTmpl         cfnTemplate
	siteNagErrors, siteWarnings    []string
)

func synthesiseSite(t *testing.T) {
	t.Helper()
	siteOnce.Do(func() {
		context := cdkJSONContext()
		(*context)["@aws-cdk/core:annotationsInValidationReport"] = false // findings listed by TestSiteCdkNag
		app := awscdk.NewApp(&awscdk.AppProps{Context: context})
		env := &awscdk.Environment{Account: jsii.String(testAccount), Region: jsii.String(testRegion)}
		apiStack := awscdk.NewStack(app, jsii.String("Api"), &awscdk.StackProps{Env: env})
		api := awsapigatewayv2.NewHttpApi(apiStack, jsii.String("HttpApi"), nil)
		site = NewSite(app, "TestSite", &SiteProps{Env: env, API: api, AssetsDir: filepath.Join(repoRoot(), "shared", "web", "assets")})
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{}), nil)
		siteTemplate = assertions.Template_FromStack(site.Stack, nil)
		firewallTemplate = assertions.Template_FromStack(site.Firewall, nil)
		decode(siteTemplate, &siteTmpl)
		decode(firewallTemplate, &firewallTmpl)
		for _, s := range []awscdk.Stack{site.Stack, site.Firewall} {
			siteNagErrors = append(siteNagErrors, errors(s)...)
			siteWarnings = append(siteWarnings, messages(assertions.Annotations_FromStack(s).FindWarning(jsii.String("*"), assertions.Match_AnyValue()))...)
		}
	})
}

func decode(template assertions.Template, into *cfnTemplate) {
	raw, err := json.Marshal(template.ToJSON())
	must(err)
	must(json.Unmarshal(raw, into))
}

// CloudFront's managed policies (AWS documents their ids).
const (
	cachingDisabled           = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	cachingOptimized          = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	allViewerExceptHostHeader = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

func siteResource(t *testing.T, tmpl cfnTemplate, cfnType string) (string, cfnResource) {
	t.Helper()
	ids := ofTypeIn(tmpl, cfnType)
	if len(ids) != 1 {
		t.Fatalf("%d resources of type %s, want 1", len(ids), cfnType)
	}
	return ids[0], tmpl.Resources[ids[0]]
}

func distributionConfig(t *testing.T) map[string]any {
	t.Helper()
	synthesiseSite(t)
	_, d := siteResource(t, siteTmpl, "AWS::CloudFront::Distribution")
	return obj(d.Properties["DistributionConfig"])
}

// Pages and the JSON API: every method, never cached, the viewer's cookies, query strings and headers (all but
// Host, which must be the API's) forwarded, HTTPS only, to the HTTP API's host name.
func TestSiteDistributionFrontsTheAPI(t *testing.T) {
	config := distributionConfig(t)
	def := obj(config["DefaultCacheBehavior"])
	if def["CachePolicyId"] != cachingDisabled || def["OriginRequestPolicyId"] != allViewerExceptHostHeader ||
		def["ViewerProtocolPolicy"] != "redirect-to-https" || len(list(def["AllowedMethods"])) != 7 {
		t.Errorf("default behaviour %v", def)
	}
	if id, _ := siteResource(t, siteTmpl, "AWS::CloudFront::ResponseHeadersPolicy"); !refersTo(def["ResponseHeadersPolicyId"], id) {
		t.Errorf("default behaviour without the security headers: %v", def["ResponseHeadersPolicyId"])
	}
	var apiOrigin map[string]any
	for _, o := range list(config["Origins"]) {
		if obj(o)["Id"] == def["TargetOriginId"] {
			apiOrigin = obj(o)
		}
	}
	domain, _ := json.Marshal(apiOrigin["DomainName"])
	custom := obj(apiOrigin["CustomOriginConfig"])
	if !strings.Contains(string(domain), `"Fn::Select":[2,{"Fn::Split":["/"`) || !strings.Contains(string(domain), "ApiEndpoint") ||
		custom["OriginProtocolPolicy"] != "https-only" || !reflect.DeepEqual(custom["OriginSSLProtocols"], []any{"TLSv1.2"}) {
		t.Errorf("API origin %v", apiOrigin)
	}
	if config["WebACLId"] == nil || config["HttpVersion"] != "http2and3" || config["Enabled"] != true {
		t.Errorf("distribution %v", config)
	}
}

// /assets/* comes from the private bucket through origin access control (not the legacy origin access
// identity), cached, GET and HEAD only; the bucket admits CloudFront for this distribution only.
func TestSiteAssetsFromAPrivateBucketWithOriginAccessControl(t *testing.T) {
	config := distributionConfig(t)
	behaviours := list(config["CacheBehaviors"])
	if len(behaviours) != 1 {
		t.Fatalf("cache behaviours %v", behaviours)
	}
	assets := obj(behaviours[0])
	if assets["PathPattern"] != "/assets/*" || assets["CachePolicyId"] != cachingOptimized || len(list(assets["AllowedMethods"])) != 2 ||
		assets["ViewerProtocolPolicy"] != "redirect-to-https" {
		t.Errorf("assets behaviour %v", assets)
	}
	bucketID, bucket := siteResource(t, siteTmpl, "AWS::S3::Bucket")
	oacID, oac := siteResource(t, siteTmpl, "AWS::CloudFront::OriginAccessControl")
	if got := obj(oac.Properties["OriginAccessControlConfig"]); got["OriginAccessControlOriginType"] != "s3" ||
		got["SigningBehavior"] != "always" || got["SigningProtocol"] != "sigv4" {
		t.Errorf("origin access control %v", got)
	}
	for _, o := range list(config["Origins"]) {
		o := obj(o)
		if o["Id"] != assets["TargetOriginId"] {
			continue
		}
		if !refersTo(o["DomainName"], bucketID) || !refersTo(o["OriginAccessControlId"], oacID) ||
			obj(o["S3OriginConfig"])["OriginAccessIdentity"] != "" {
			t.Errorf("assets origin %v", o)
		}
	}
	if len(ofTypeIn(siteTmpl, "AWS::CloudFront::CloudFrontOriginAccessIdentity")) != 0 {
		t.Error("a legacy origin access identity")
	}
	if got := obj(bucket.Properties["PublicAccessBlockConfiguration"]); len(got) != 4 ||
		got["BlockPublicAcls"] != true || got["BlockPublicPolicy"] != true || got["IgnorePublicAcls"] != true || got["RestrictPublicBuckets"] != true {
		t.Errorf("bucket public access %v", got)
	}
	_, policy := siteResource(t, siteTmpl, "AWS::S3::BucketPolicy")
	readers, tls := 0, false
	for _, s := range list(obj(policy.Properties["PolicyDocument"])["Statement"]) {
		s := obj(s)
		raw, _ := json.Marshal(s)
		switch {
		case s["Effect"] == "Deny" && obj(obj(s["Condition"])["Bool"])["aws:SecureTransport"] == "false":
			tls = true
		case s["Effect"] == "Allow":
			readers++
			if obj(s["Principal"])["Service"] != "cloudfront.amazonaws.com" || s["Action"] != "s3:GetObject" ||
				!strings.Contains(string(raw), "AWS:SourceArn") {
				t.Errorf("bucket policy lets %s", raw)
			}
		}
	}
	if readers != 1 || !tls {
		t.Errorf("bucket policy: %d readers, TLS enforced %v", readers, tls)
	}
}

// The assets folder is deployed under assets/ and CloudFront's copies are cleared on each deployment.
func TestSiteAssetsAreDeployedFromTheRepository(t *testing.T) {
	synthesiseSite(t)
	bucketID, _ := siteResource(t, siteTmpl, "AWS::S3::Bucket")
	distID, _ := siteResource(t, siteTmpl, "AWS::CloudFront::Distribution")
	_, deployment := siteResource(t, siteTmpl, "Custom::CDKBucketDeployment")
	p := deployment.Properties
	if p["DestinationBucketKeyPrefix"] != AssetsPrefix || !refersTo(p["DestinationBucketName"], bucketID) ||
		!refersTo(p["DistributionId"], distID) || !reflect.DeepEqual(p["DistributionPaths"], []any{"/assets/*"}) {
		t.Errorf("deployment %v", p)
	}
}

// The web ACL is in us-east-1 with scope CLOUDFRONT, blocks an IP address over the rate limit, and is the
// distribution's.
func TestSiteFirewall(t *testing.T) {
	synthesiseSite(t)
	if region := *site.Firewall.Region(); region != FirewallRegion {
		t.Errorf("firewall in %s, want %s", region, FirewallRegion)
	}
	if region := *site.Stack.Region(); region != testRegion {
		t.Errorf("site in %s, want the housing stack's %s", region, testRegion)
	}
	assertTemplate(t, func() {
		firewallTemplate.HasResourceProperties(jsii.String("AWS::WAFv2::WebACL"), &map[string]any{
			"Scope":         "CLOUDFRONT",
			"DefaultAction": map[string]any{"Allow": map[string]any{}},
			"Rules": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
				"Name": "RateLimitPerIp", "Priority": 0, "Action": map[string]any{"Block": map[string]any{}},
				"Statement": map[string]any{"RateBasedStatement": map[string]any{
					"Limit": DefaultSiteRateLimit, "AggregateKeyType": "IP", "EvaluationWindowSec": 300,
				}},
			})}),
		})
	})
	// the distribution reads the ACL's ARN from the firewall stack's output in us-east-1
	ref := obj(obj(distributionConfig(t)["WebACLId"])["Fn::GetStackOutput"])
	output := obj(firewallTmpl.Outputs[fmt.Sprint(ref["OutputName"])])
	aclID, _ := siteResource(t, firewallTmpl, "AWS::WAFv2::WebACL")
	if ref["Region"] != FirewallRegion || ref["StackName"] != *site.Firewall.StackName() ||
		!reflect.DeepEqual(output["Value"], map[string]any{"Fn::GetAtt": []any{aclID, "Arn"}}) {
		t.Errorf("distribution's web ACL %v, firewall output %v", ref, output)
	}
}

func TestSiteSecurityHeaders(t *testing.T) {
	synthesiseSite(t)
	_, policy := siteResource(t, siteTmpl, "AWS::CloudFront::ResponseHeadersPolicy")
	headers := obj(obj(policy.Properties["ResponseHeadersPolicyConfig"])["SecurityHeadersConfig"])
	hsts := obj(headers["StrictTransportSecurity"])
	if hsts["AccessControlMaxAgeSec"] != float64(730*24*3600) || hsts["IncludeSubdomains"] != true || hsts["Override"] != true {
		t.Errorf("HSTS %v", hsts)
	}
	if obj(headers["FrameOptions"])["FrameOption"] != "DENY" || obj(headers["ContentTypeOptions"])["Override"] != true ||
		obj(headers["ReferrerPolicy"])["ReferrerPolicy"] != "strict-origin-when-cross-origin" {
		t.Errorf("headers %v", headers)
	}
	// the pages' own policy (per page, stricter) wins; this one covers the assets
	if csp := obj(headers["ContentSecurityPolicy"]); csp["Override"] != false || !strings.Contains(csp["ContentSecurityPolicy"].(string), "frame-ancestors 'none'") {
		t.Errorf("CSP %v", csp)
	}
}

func TestSiteURLIsAnOutput(t *testing.T) {
	synthesiseSite(t)
	distID, _ := siteResource(t, siteTmpl, "AWS::CloudFront::Distribution")
	value, _ := json.Marshal(obj(siteTmpl.Outputs["SiteUrl"])["Value"])
	if !strings.Contains(string(value), `"https://"`) || !strings.Contains(string(value), `"Fn::GetAtt":["`+distID+`","DomainName"]`) {
		t.Errorf("SiteUrl %s", value)
	}
}

// cdk-nag: no unsuppressed AwsSolutions error on either stack, and no warning.
func TestSiteCdkNagAwsSolutions(t *testing.T) {
	synthesiseSite(t)
	for _, e := range siteNagErrors {
		t.Error(e)
	}
	for _, w := range siteWarnings {
		t.Error(w)
	}
}

func TestSiteNeedsAnExplicitRegion(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "explicit region") {
			t.Errorf("recovered %v", r)
		}
	}()
	NewSite(awscdk.NewApp(nil), "NoRegion", &SiteProps{})
}

func ofTypeIn(tmpl cfnTemplate, cfnType string) []string {
	var ids []string
	for id, r := range tmpl.Resources {
		if r.Type == cfnType {
			ids = append(ids, id)
		}
	}
	return ids
}
