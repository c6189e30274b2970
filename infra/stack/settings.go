package stack

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsssm"
	"github.com/aws/jsii-runtime-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// The deployment's settings live in SSM Parameter Store, one standard String parameter per catalog setting under
// /<stack name>/config/ (e.g. /HousingServices/config/landlord/name), with the configuration's value. A function
// gets the names of the parameters it reads (<ENV>_PARAMETER) and may read only those; it fetches them together
// at cold start (shared/platform/settings.Read). Secrets stay in Secrets Manager.

// parameterRoot is where this stack's settings live.
func (b *builder) parameterRoot() string { return "/" + *b.stack.StackName() + "/config" }

func (b *builder) parameter(s catalog.Setting) awsssm.StringParameter {
	description := s.Description
	if s.Default != "" {
		description += fmt.Sprintf(" (default %s: %s)", s.Default, s.Reason)
	}
	return awsssm.NewStringParameter(b.stack, jsii.String("Setting"+logicalID(strings.ReplaceAll(s.Name, ".", "-"))), &awsssm.StringParameterProps{
		ParameterName: jsii.String(s.ParameterName(b.parameterRoot())),
		StringValue:   jsii.String(b.props.Config.Value(s)),
		Description:   jsii.String(description),
		Tier:          awsssm.ParameterTier_STANDARD,
	})
}

// settingsEnv names the function's parameters, and adds SETTINGS_VERSION, a digest of their values: a deploy that
// changes a value changes the function's configuration too, so no warm instance keeps the old value.
func (b *builder) settingsEnv(f catalog.Function, env map[string]string) {
	if len(f.Settings) == 0 {
		return
	}
	digest := sha256.New()
	for _, s := range f.Settings {
		env[s.Env+"_PARAMETER"] = *b.parameters[s.Name].ParameterName()
		fmt.Fprintf(digest, "%s=%s\n", s.Name, b.props.Config.Value(s))
	}
	env["SETTINGS_VERSION"] = hex.EncodeToString(digest.Sum(nil))[:12]
}
