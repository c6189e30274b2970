// Package settings reads a function's deployment settings at cold start. Only the functions whose catalog entry
// lists settings import it, so only they link the SSM client.
package settings

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// ParameterAPI is the one SSM call Read makes.
type ParameterAPI interface {
	GetParameters(ctx context.Context, in *ssm.GetParametersInput, optFns ...func(*ssm.Options)) (*ssm.GetParametersOutput, error)
}

// FromSSM reads the settings named by their environment variables (see Read), with an SSM client made from cfg
// only when one is needed.
func FromSSM(ctx context.Context, cfg aws.Config, envs ...string) (map[string]string, error) {
	return Read(ctx, func() ParameterAPI { return ssm.NewFromConfig(cfg) }, envs...)
}

// Read reads a function's deployment settings, named by their environment variables: the variable itself
// when set (the local cloud passes the configuration's values), else the SSM parameter named in env+"_PARAMETER"
// (AWS). The parameters are fetched together at cold start, in one GetParameters call per ten; a setting with
// neither, or a parameter SSM does not have, is an error naming each of them.
func Read(ctx context.Context, api func() ParameterAPI, envs ...string) (map[string]string, error) {
	values, wanted := map[string]string{}, map[string]string{} // parameter name -> env
	var missing []string
	for _, env := range envs {
		if v := os.Getenv(env); v != "" {
			values[env] = v
		} else if name := os.Getenv(env + "_PARAMETER"); name != "" {
			wanted[name] = env
		} else {
			missing = append(missing, env+" (or "+env+"_PARAMETER)")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("settings not configured: %s", strings.Join(missing, ", "))
	}
	names := make([]string, 0, len(wanted))
	for name := range wanted {
		names = append(names, name)
	}
	sort.Strings(names)
	for len(names) > 0 {
		batch := names[:min(10, len(names))]
		names = names[len(batch):]
		out, err := api().GetParameters(ctx, &ssm.GetParametersInput{Names: batch})
		if err != nil {
			return nil, fmt.Errorf("settings from SSM: %w", err)
		}
		if len(out.InvalidParameters) > 0 {
			return nil, fmt.Errorf("settings: SSM has no parameter %s", strings.Join(out.InvalidParameters, ", "))
		}
		for _, p := range out.Parameters {
			values[wanted[aws.ToString(p.Name)]] = aws.ToString(p.Value)
		}
	}
	for name, env := range wanted {
		if _, ok := values[env]; !ok {
			return nil, fmt.Errorf("settings: SSM did not return %s", name)
		}
	}
	return values, nil
}
