package secrets

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/councilhousing/backend/shared/platform/awsenv"
)

func TestSecretsComeFromTheEnvironmentLocally(t *testing.T) {
	t.Setenv("OOH_WEBHOOK_SECRET", "whsec_local")
	got, err := Read(context.Background(), awsConfig(t, "http://127.0.0.1:1"), "OOH_WEBHOOK_SECRET")
	if err != nil || got != "whsec_local" {
		t.Fatalf("%q %v", got, err)
	}
	t.Setenv("OOH_WEBHOOK_SECRET", "")
	t.Setenv("OOH_WEBHOOK_SECRET_ARN", "")
	if _, err := Read(context.Background(), awsConfig(t, "http://127.0.0.1:1"), "OOH_WEBHOOK_SECRET"); err == nil ||
		!strings.Contains(err.Error(), "set OOH_WEBHOOK_SECRET or OOH_WEBHOOK_SECRET_ARN") {
		t.Errorf("err %v", err)
	}
}

// TestSecretsComeFromSecretsManagerInAWS checks the request on the wire (a signed awsJson1_1
// secretsmanager.GetSecretValue of the ARN) against a stand-in on loopback, and that its errors name the secret.
func TestSecretsComeFromSecretsManagerInAWS(t *testing.T) {
	const arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notify-api-key-AbCdEf"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-Amz-Target") != "secretsmanager.GetSecretValue" || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
			!strings.Contains(r.Header.Get("Authorization"), "/eu-west-2/secretsmanager/aws4_request") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if string(body) != `{"SecretId":"`+arn+`"}` {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}`))
			return
		}
		_, _ = w.Write([]byte(`{"ARN":"` + arn + `","Name":"notify-api-key","SecretString":"key-123","VersionId":"v1"}`))
	}))
	defer srv.Close()
	t.Setenv("NOTIFY_API_KEY", "")
	t.Setenv("NOTIFY_API_KEY_ARN", arn)
	got, err := Read(context.Background(), awsConfig(t, srv.URL), "NOTIFY_API_KEY")
	if err != nil || got != "key-123" {
		t.Fatalf("%q %v", got, err)
	}
	t.Setenv("NOTIFY_API_KEY_ARN", arn+"-other")
	_, err = Read(context.Background(), awsConfig(t, srv.URL), "NOTIFY_API_KEY")
	if err == nil || !strings.Contains(err.Error(), "secret NOTIFY_API_KEY") || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Errorf("err %v", err)
	}
}

func awsConfig(t *testing.T, endpoint string) aws.Config {
	t.Setenv("AWS_REGION", "eu-west-2")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint)
	cfg, err := awsenv.Config()
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
