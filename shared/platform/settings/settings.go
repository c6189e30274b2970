// Package settings reads a function's deployment settings at cold start: from the environment locally, from
// SSM Parameter Store in AWS, in one signed GetParameters call per ten parameters (awsenv.Service: the SDK's
// SSM client is not linked, its generated schemas alone took about 3 ms of every cold start).
package settings

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/councilhousing/backend/shared/platform/awsenv"
)

// ParameterAPI is the one SSM call Read makes: the values of the named parameters that exist, and the names
// of those that do not.
type ParameterAPI interface {
	GetParameters(ctx context.Context, names []string) (values map[string]string, invalid []string, err error)
}

// FromSSM reads the settings named by their environment variables (see Read), from SSM Parameter Store in the
// region and with the credentials of cfg (AWS_ENDPOINT_URL_SSM overrides the endpoint).
func FromSSM(ctx context.Context, cfg aws.Config, envs ...string) (map[string]string, error) {
	return Read(ctx, SSM(cfg), envs...)
}

// SSM is Parameter Store's GetParameters (awsJson1_1), as the SDK sends it: the values as stored (no
// decryption: the stack stores the settings as String parameters).
func SSM(cfg aws.Config) ParameterAPI {
	return ssm{awsenv.Service{Config: cfg, Name: "ssm", EnvName: "SSM", Target: "AmazonSSM", JSONVersion: "1.1"}}
}

type ssm struct{ svc awsenv.Service }

func (s ssm) GetParameters(ctx context.Context, names []string) (map[string]string, []string, error) {
	var out struct {
		Parameters []struct {
			Name  string
			Value string
		}
		InvalidParameters []string
	}
	if err := s.svc.Call(ctx, "GetParameters", struct{ Names []string }{names}, &out); err != nil {
		return nil, nil, err
	}
	values := make(map[string]string, len(out.Parameters))
	for _, p := range out.Parameters {
		values[p.Name] = p.Value
	}
	return values, out.InvalidParameters, nil
}

// Read reads a function's deployment settings, named by their environment variables: the variable itself
// when set (the local cloud passes the configuration's values), else the SSM parameter named in env+"_PARAMETER"
// (AWS). The parameters are fetched together at cold start, in one GetParameters call per ten; a setting with
// neither, or a parameter SSM does not have, is an error naming each of them.
func Read(ctx context.Context, api ParameterAPI, envs ...string) (map[string]string, error) {
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
		found, invalid, err := api.GetParameters(ctx, batch)
		if err != nil {
			return nil, fmt.Errorf("settings from SSM: %w", err)
		}
		if len(invalid) > 0 {
			return nil, fmt.Errorf("settings: SSM has no parameter %s", strings.Join(invalid, ", "))
		}
		for name, v := range found {
			if env, ok := wanted[name]; ok {
				values[env] = v
			}
		}
	}
	for name, env := range wanted {
		if _, ok := values[env]; !ok {
			return nil, fmt.Errorf("settings: SSM did not return %s", name)
		}
	}
	return values, nil
}
