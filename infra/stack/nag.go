package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/councilhousing/backend/shared/catalog"
)

// cdk-nag findings that are deliberate, each suppressed on the one resource it concerns (never stack-wide)
// with the reason. The tests run the AwsSolutions pack and fail on any finding not listed here.

var openRouteReasons = map[catalog.Auth]string{
	catalog.Public:   "Public form: anyone may submit a report, complaint or application; the function validates the body and the stage is throttled.",
	catalog.Resident: "Residents have no accounts: the function checks the record's access token and answers 404 to a wrong one, so references cannot be probed.",
	catalog.Webhook:  "The out-of-hours answering service cannot obtain Cognito tokens: the function verifies its Standard Webhooks signature and rejects replays.",
	catalog.Bearer:   "GOV.UK Notify cannot obtain Cognito tokens: it sends the bearer token we set in its callback settings, which the function compares with its secret in constant time (401 otherwise).",
}

func suppressOpenRoute(route awsapigatewayv2.HttpRoute, auth catalog.Auth) {
	suppress(route, "AwsSolutions-APIG4", openRouteReasons[auth])
}

// suppressFunctionRoleFindings covers the two wildcards CDK grants put in a function's role, both still scoped.
func suppressFunctionRoleFindings(role awsiam.Role) {
	suppress(role, "AwsSolutions-IAM5",
		"Resource <table>/index/* lets the function query its own tables' indexes (and no other table's); "+
			"Resource * is only for xray:PutTraceSegments/PutTelemetryRecords, which have no resource-level permissions.",
		&cdknag.RegexAppliesTo{Regex: jsii.String(`/^Resource::<\w+Table\w+\.Arn>\/index\/\*$/`)}, "Resource::*")
}

func suppressManualRotation(secret awssecretsmanager.Secret) {
	suppress(secret, "AwsSolutions-SMG4",
		"Shared with a third party (the answering service's webhook signing secret, the GOV.UK Notify API key, the bearer "+
			"token of Notify's callbacks): rotated by operators together with that party, so there is no rotation function to run.")
}

// suppress records one finding's reason on construct and its children; appliesTo narrows it to the listed
// findings (for rules such as IAM5 that report each wildcard separately).
func suppress(construct any, rule, reason string, appliesTo ...any) {
	s := &cdknag.NagPackSuppression{Id: jsii.String(rule), Reason: jsii.String(reason)}
	if len(appliesTo) > 0 {
		s.AppliesTo = &appliesTo
	}
	cdknag.NagSuppressions_AddResourceSuppressions(construct, &[]*cdknag.NagPackSuppression{s}, jsii.Bool(true))
}
