package awsenv

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	smithy "github.com/aws/smithy-go"
)

func setCreds(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLOCAL")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
}

func TestConfigComesFromTheLambdaEnvironment(t *testing.T) {
	setCreds(t)
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	cfg, err := Config()
	if err != nil || cfg.Region != DefaultRegion {
		t.Fatalf("region %q, %v", cfg.Region, err)
	}
	t.Setenv("AWS_DEFAULT_REGION", "eu-west-1")
	if cfg, _ = Config(); cfg.Region != "eu-west-1" {
		t.Errorf("region %q, want AWS_DEFAULT_REGION", cfg.Region)
	}
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_SESSION_TOKEN", "token")
	t.Setenv("AWS_MAX_ATTEMPTS", "5")
	cfg, err = Config()
	if err != nil || cfg.Region != "us-east-1" || cfg.RetryMaxAttempts != 5 {
		t.Fatalf("%+v %v", cfg, err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || creds.AccessKeyID != "AKIDLOCAL" || creds.SecretAccessKey != "secret" || creds.SessionToken != "token" {
		t.Errorf("credentials %+v %v", creds, err)
	}
}

func TestConfigFailsWithoutCredentialsOrWithBadRetrySettings(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	if _, err := Config(); err == nil || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("err %v", err)
	}
	setCreds(t)
	t.Setenv("AWS_MAX_ATTEMPTS", "many")
	if _, err := Config(); err == nil || !strings.Contains(err.Error(), "AWS_MAX_ATTEMPTS") {
		t.Errorf("err %v", err)
	}
}

func TestEndpointOverridesAsTheSDKReadsThem(t *testing.T) {
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "")
	t.Setenv("AWS_ENDPOINT_URL", "http://all")
	t.Setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://sm")
	t.Setenv("AWS_ENDPOINT_URL_SSM", "")
	if Endpoint("SECRETS_MANAGER") != "http://sm" || Endpoint("Secrets Manager") != "http://sm" || Endpoint("SSM") != "http://all" {
		t.Errorf("%q %q", Endpoint("SECRETS_MANAGER"), Endpoint("SSM"))
	}
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
	if Endpoint("SECRETS_MANAGER") != "" {
		t.Error("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignored")
	}
	t.Setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_SQS", "")
	setCreds(t)
	t.Setenv("AWS_REGION", "eu-west-2")
	cfg, _ := Config()
	if got := (Service{Config: cfg, Name: "sqs", EnvName: "SQS"}).Endpoint(); got != "https://sqs.eu-west-2.amazonaws.com" {
		t.Errorf("endpoint %q", got)
	}
}

// TestServiceSignsRetriesAndReadsErrors: a SigV4-signed awsJson POST; a 500 is retried; the answer is decoded;
// a query-compatible error carries the query protocol's code and fault.
func TestServiceSignsRetriesAndReadsErrors(t *testing.T) {
	var calls int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		body, _ := io.ReadAll(r.Body)
		auth := r.Header.Get("Authorization")
		switch {
		case !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/") || !strings.Contains(auth, "/eu-west-2/sqs/aws4_request") ||
			!strings.Contains(auth, "x-amz-target"):
			w.WriteHeader(http.StatusForbidden)
		case r.Header.Get("X-Amz-Target") == "AmazonSQS.Broken":
			w.Header().Set("X-Amzn-Query-Error", "AWS.SimpleQueueService.NonExistentQueue;Sender")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}`))
		case calls == 1:
			w.WriteHeader(http.StatusInternalServerError)
		case r.Header.Get("X-Amz-Target") != "AmazonSQS.Echo" || r.Header.Get("Content-Type") != "application/x-amz-json-1.0" ||
			r.Header.Get("X-Amzn-Query-Mode") != "true" || string(body) != `{"Value":"hello"}`:
			w.WriteHeader(http.StatusBadRequest)
		default:
			_, _ = w.Write([]byte(`{"Value":"hello back"}`))
		}
	}))
	defer srv.Close()
	setCreds(t)
	t.Setenv("AWS_REGION", "eu-west-2")
	t.Setenv("AWS_ENDPOINT_URL_SQS", srv.URL)
	cfg, err := Config()
	if err != nil {
		t.Fatal(err)
	}
	svc := Service{Config: cfg, Name: "sqs", EnvName: "SQS", Target: "AmazonSQS", JSONVersion: "1.0", QueryCompatible: true}
	var out struct{ Value string }
	if err := svc.Call(context.Background(), "Echo", struct{ Value string }{"hello"}, &out); err != nil || out.Value != "hello back" || calls != 2 {
		t.Fatalf("%+v %v after %d calls", out, err, calls)
	}
	err = svc.Call(context.Background(), "Broken", struct{}{}, nil)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AWS.SimpleQueueService.NonExistentQueue" || apiErr.ErrorFault() != smithy.FaultClient ||
		apiErr.ErrorMessage() != "The specified queue does not exist." {
		t.Fatalf("err %v", err)
	}
}
