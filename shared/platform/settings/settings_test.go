package settings

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/platform/awsenv"
)

// fakeSSM holds parameters and counts the calls made to it.
type fakeSSM struct {
	params map[string]string
	calls  [][]string
}

func (f *fakeSSM) GetParameters(_ context.Context, names []string) (map[string]string, []string, error) {
	f.calls = append(f.calls, slices.Clone(names))
	found, invalid := map[string]string{}, []string(nil)
	for _, n := range names {
		if v, ok := f.params[n]; ok {
			found[n] = v
		} else {
			invalid = append(invalid, n)
		}
	}
	return found, invalid, nil
}

func TestSettingsComeFromTheEnvironmentLocally(t *testing.T) {
	t.Setenv("HOMES_COUNT", "12000")
	fake := &fakeSSM{}
	got, err := Read(context.Background(), fake, "HOMES_COUNT")
	if err != nil || got["HOMES_COUNT"] != "12000" || len(fake.calls) != 0 {
		t.Fatalf("%v %v, calls %v", got, err, fake.calls)
	}
}

func TestSettingsComeFromSSMInOneCall(t *testing.T) {
	t.Setenv("HOMES_COUNT_PARAMETER", "/Housing/config/homesCount")
	t.Setenv("TEAM_MAILBOXES_PARAMETER", "/Housing/config/mailboxes/teams")
	fake := &fakeSSM{params: map[string]string{"/Housing/config/homesCount": "11850", "/Housing/config/mailboxes/teams": `{"a":"b"}`}}
	got, err := Read(context.Background(), fake, "HOMES_COUNT", "TEAM_MAILBOXES")
	if err != nil || got["HOMES_COUNT"] != "11850" || got["TEAM_MAILBOXES"] != `{"a":"b"}` {
		t.Fatalf("%v %v", got, err)
	}
	if len(fake.calls) != 1 {
		t.Errorf("%d calls to SSM, want 1", len(fake.calls))
	}
}

func TestMissingSettingsAreNamed(t *testing.T) {
	t.Setenv("LANDLORD_NAME_PARAMETER", "/Housing/config/landlord/name")
	_, err := Read(context.Background(), &fakeSSM{}, "LANDLORD_NAME")
	if err == nil || !strings.Contains(err.Error(), "no parameter /Housing/config/landlord/name") {
		t.Errorf("err %v", err)
	}
	_, err = Read(context.Background(), &fakeSSM{}, "NOTIFY_TEMPLATES")
	if err == nil || !strings.Contains(err.Error(), "NOTIFY_TEMPLATES (or NOTIFY_TEMPLATES_PARAMETER)") {
		t.Errorf("err %v", err)
	}
}

// TestFromSSMSpeaksParameterStoresProtocol checks the request on the wire: a SigV4-signed awsJson1_1 POST
// of AmazonSSM.GetParameters with the names, and the answer read back, against a stand-in on loopback.
func TestFromSSMSpeaksParameterStoresProtocol(t *testing.T) {
	var got struct{ Names []string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &got)
		if r.Header.Get("X-Amz-Target") != "AmazonSSM.GetParameters" || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
			!strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/") ||
			!strings.Contains(r.Header.Get("Authorization"), "/eu-west-2/ssm/aws4_request") || r.Header.Get("X-Amz-Security-Token") != "session" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"InvalidSignatureException","message":"bad request"}`))
			return
		}
		_, _ = w.Write([]byte(`{"Parameters":[{"Name":"/Housing/config/homesCount","Type":"String","Value":"11850","Version":1}],"InvalidParameters":[]}`))
	}))
	defer srv.Close()
	t.Setenv("AWS_REGION", "eu-west-2")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "session")
	t.Setenv("AWS_ENDPOINT_URL_SSM", srv.URL)
	t.Setenv("HOMES_COUNT_PARAMETER", "/Housing/config/homesCount")
	cfg, err := awsenv.Config()
	if err != nil {
		t.Fatal(err)
	}
	values, err := FromSSM(context.Background(), cfg, "HOMES_COUNT")
	if err != nil || values["HOMES_COUNT"] != "11850" || !slices.Equal(got.Names, []string{"/Housing/config/homesCount"}) {
		t.Fatalf("%v %v (names sent %v)", values, err, got.Names)
	}
}

// TestSSMErrorsAreNamed: an error answer (here a throttle retried until the attempts run out) names the code.
func TestSSMErrorsAreNamed(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"ThrottlingException","message":"Rate exceeded"}`))
	}))
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_ENDPOINT_URL_SSM", srv.URL)
	t.Setenv("AWS_MAX_ATTEMPTS", "2")
	t.Setenv("HOMES_COUNT_PARAMETER", "/Housing/config/homesCount")
	cfg, err := awsenv.Config()
	if err != nil {
		t.Fatal(err)
	}
	_, err = FromSSM(context.Background(), cfg, "HOMES_COUNT")
	if err == nil || !strings.Contains(err.Error(), "ThrottlingException: Rate exceeded") || calls != 2 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
}
