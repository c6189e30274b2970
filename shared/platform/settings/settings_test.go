package settings

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// fakeSSM holds parameters and counts the calls made to it.
type fakeSSM struct {
	params map[string]string
	calls  [][]string
}

func (f *fakeSSM) GetParameters(_ context.Context, in *ssm.GetParametersInput, _ ...func(*ssm.Options)) (*ssm.GetParametersOutput, error) {
	f.calls = append(f.calls, slices.Clone(in.Names))
	out := &ssm.GetParametersOutput{}
	for _, n := range in.Names {
		if v, ok := f.params[n]; ok {
			out.Parameters = append(out.Parameters, types.Parameter{Name: aws.String(n), Value: aws.String(v)})
		} else {
			out.InvalidParameters = append(out.InvalidParameters, n)
		}
	}
	return out, nil
}

func TestSettingsComeFromTheEnvironmentLocally(t *testing.T) {
	t.Setenv("HOMES_COUNT", "12000")
	fake := &fakeSSM{}
	got, err := Read(context.Background(), func() ParameterAPI { return fake }, "HOMES_COUNT")
	if err != nil || got["HOMES_COUNT"] != "12000" || len(fake.calls) != 0 {
		t.Fatalf("%v %v, calls %v", got, err, fake.calls)
	}
}

func TestSettingsComeFromSSMInOneCall(t *testing.T) {
	t.Setenv("HOMES_COUNT_PARAMETER", "/Housing/config/homesCount")
	t.Setenv("TEAM_MAILBOXES_PARAMETER", "/Housing/config/mailboxes/teams")
	fake := &fakeSSM{params: map[string]string{"/Housing/config/homesCount": "11850", "/Housing/config/mailboxes/teams": `{"a":"b"}`}}
	got, err := Read(context.Background(), func() ParameterAPI { return fake }, "HOMES_COUNT", "TEAM_MAILBOXES")
	if err != nil || got["HOMES_COUNT"] != "11850" || got["TEAM_MAILBOXES"] != `{"a":"b"}` {
		t.Fatalf("%v %v", got, err)
	}
	if len(fake.calls) != 1 {
		t.Errorf("%d calls to SSM, want 1", len(fake.calls))
	}
}

func TestMissingSettingsAreNamed(t *testing.T) {
	t.Setenv("LANDLORD_NAME_PARAMETER", "/Housing/config/landlord/name")
	_, err := Read(context.Background(), func() ParameterAPI { return &fakeSSM{} }, "LANDLORD_NAME")
	if err == nil || !strings.Contains(err.Error(), "no parameter /Housing/config/landlord/name") {
		t.Errorf("err %v", err)
	}
	_, err = Read(context.Background(), func() ParameterAPI { return &fakeSSM{} }, "NOTIFY_TEMPLATES")
	if err == nil || !strings.Contains(err.Error(), "NOTIFY_TEMPLATES (or NOTIFY_TEMPLATES_PARAMETER)") {
		t.Errorf("err %v", err)
	}
}
