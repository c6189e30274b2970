package coldstart

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/councilhousing/backend/shared/catalog"
)

// fn has one secret and two settings, as a catalog entry declares them.
var fn = catalog.Function{
	Name:     "coldstart-test",
	Secrets:  []catalog.Secret{{Env: "TEST_API_KEY"}},
	Settings: []catalog.Setting{catalog.HomesCount, catalog.TeamMailboxes},
	SendsTo:  []string{catalog.NotificationsQueue},
}

// TestHelperInit is the function's main when run by the tests below: it prints what Init read.
func TestHelperInit(t *testing.T) {
	if os.Getenv("COLDSTART_HELPER") != "1" {
		t.Skip("run by the other tests")
	}
	d := Init(fn)
	fmt.Printf("secret=%s homes=%d mailboxes=%s queue=%s boxes=%d\n", d.MustSecret("TEST_API_KEY"), d.IntSetting(catalog.HomesCount),
		d.Setting(catalog.TeamMailboxes), d.Queues.URLs[catalog.NotificationsQueue], len(d.MapSetting(catalog.TeamMailboxes)))
	os.Exit(0)
}

func initProcess(t *testing.T, env ...string) (string, int) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperInit$")
	cmd.Env = append([]string{"COLDSTART_HELPER=1", "AWS_REGION=eu-west-2", "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local",
		"AWS_ENDPOINT_URL=http://127.0.0.1:1", "NOTIFICATIONS_QUEUE_URL=http://127.0.0.1:1/000000000000/notifications"}, env...)
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}

func TestInitReadsSecretsAndSettingsFromTheEnvironmentLocally(t *testing.T) {
	out, code := initProcess(t, "TEST_API_KEY=k1", "HOMES_COUNT=12000", `TEAM_MAILBOXES={"asb":"asb@example.org"}`)
	if code != 0 || !strings.Contains(out, `secret=k1 homes=12000 mailboxes={"asb":"asb@example.org"} queue=http://127.0.0.1:1/000000000000/notifications boxes=1`) {
		t.Fatalf("exit %d: %s", code, out)
	}
}

// TestInitReadsThemFromAWS: the secret from Secrets Manager and the settings from SSM (stand-ins on loopback).
func TestInitReadsThemFromAWS(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("X-Amz-Target") {
		case "secretsmanager.GetSecretValue":
			_, _ = w.Write([]byte(`{"SecretString":"k2"}`))
		case "AmazonSSM.GetParameters":
			_, _ = w.Write([]byte(`{"Parameters":[{"Name":"/h","Value":"11850"},{"Name":"/m","Value":"{}"}],"InvalidParameters":[]}`))
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	out, code := initProcess(t, "TEST_API_KEY_ARN=arn:secret", "HOMES_COUNT_PARAMETER=/h", "TEAM_MAILBOXES_PARAMETER=/m",
		"AWS_ENDPOINT_URL_SSM="+srv.URL, "AWS_ENDPOINT_URL_SECRETS_MANAGER="+srv.URL)
	if code != 0 || !strings.Contains(out, "secret=k2 homes=11850 mailboxes={}") {
		t.Fatalf("exit %d: %s", code, out)
	}
}

// TestInitExitsNamingWhatIsMissing: a setting or secret that cannot be read ends the init (exit 1) with a log
// line naming it.
func TestInitExitsNamingWhatIsMissing(t *testing.T) {
	for _, c := range []struct {
		env  []string
		want string
	}{
		{[]string{"TEST_API_KEY=k1", "HOMES_COUNT=12000"}, "TEAM_MAILBOXES (or TEAM_MAILBOXES_PARAMETER)"},
		{[]string{"HOMES_COUNT=12000", "TEAM_MAILBOXES={}"}, "env=TEST_API_KEY"},
		{[]string{"AWS_MAX_ATTEMPTS=1", "TEST_API_KEY_ARN=arn:secret", "HOMES_COUNT=12000", "TEAM_MAILBOXES={}"}, "env=TEST_API_KEY"}, // Secrets Manager unreachable
		{[]string{"TEST_API_KEY=k1", "HOMES_COUNT=many", "TEAM_MAILBOXES={}"}, "env=HOMES_COUNT"},
		{[]string{"TEST_API_KEY=k1", "HOMES_COUNT=1", "TEAM_MAILBOXES=asb@example.org"}, "env=TEAM_MAILBOXES"}, // not a JSON object (MapSetting)
		{[]string{"AWS_ACCESS_KEY_ID=", "TEST_API_KEY=k1", "HOMES_COUNT=1", "TEAM_MAILBOXES={}"}, "AWS_ACCESS_KEY_ID"},
	} {
		out, code := initProcess(t, c.env...)
		if code != 1 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, want 1 naming %s: %s", c.env, code, c.want, out)
		}
	}
}
