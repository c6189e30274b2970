package catalog

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Every folder under functions/ has a catalog entry, and every entry has a folder with a main.go.
func TestCatalogMatchesFunctionFolders(t *testing.T) {
	root := repoRoot(t)
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, e := range entries {
		if e.IsDir() {
			folders = append(folders, e.Name())
		}
	}
	sys := System()
	for _, name := range folders {
		if _, ok := sys.Function(name); !ok {
			t.Errorf("functions/%s has no catalog entry", name)
		}
	}
	for _, f := range sys.Functions {
		if !slices.Contains(folders, f.Name) {
			t.Errorf("catalog entry %s has no folder functions/%s", f.Name, f.Name)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, f.Dir(), "main.go")); err != nil {
			t.Errorf("%s: %v", f.Dir(), err)
		}
	}
}

func TestSystemIsConsistent(t *testing.T) {
	if err := System().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateCatchesMistakes(t *testing.T) {
	bad := Catalog{
		Tables: []Table{{Name: "cases", PartitionKey: "pk"}},
		Queues: []Queue{{Name: "q", MaxReceiveCount: 3, MaxAgeMinutes: 5}},
		Functions: []Function{
			{Name: "a", MemoryMB: 128, TimeoutSec: 3, Tables: map[string]Access{"nope": Read},
				Routes: []Route{{Method: "GET", Path: "/x", Auth: Staff}}},
			{Name: "a", MemoryMB: 64, TimeoutSec: 3, SendsTo: []string{"missing"},
				Routes: []Route{{Method: "GET", Path: "/x", Auth: Public}},
				Queue:  &QueueTrigger{Queue: "q", BatchSize: 20, MaxConcurrency: 1}},
		},
	}
	err := bad.Validate()
	if err == nil {
		t.Fatal("expected problems")
	}
	for _, want := range []string{"declared twice", "unknown table nope", "unknown queue missing", "claimed by", "name their groups", "batch size", "memory 64"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

// A bearer-secret route names the secret its token is compared with, one of its function's; no other route names one.
func TestBearerRoutesNameTheirFunctionsSecret(t *testing.T) {
	bad := Catalog{Tables: []Table{{Name: "cases", PartitionKey: "pk"}}, Functions: []Function{
		{Name: "a", MemoryMB: 128, TimeoutSec: 3, Routes: []Route{{Method: "POST", Path: "/a", Auth: Bearer}}},
		{Name: "b", MemoryMB: 128, TimeoutSec: 3, Routes: []Route{{Method: "POST", Path: "/b", Auth: Bearer, Secret: "NOT_MINE"}}},
		{Name: "c", MemoryMB: 128, TimeoutSec: 3, Secrets: []Secret{{Env: "TOKEN"}}, Routes: []Route{{Method: "POST", Path: "/c", Auth: Public, Secret: "TOKEN"}}},
	}}
	err := bad.Validate()
	for _, route := range []string{"POST /a", "POST /b", "POST /c"} {
		if err == nil || !strings.Contains(err.Error(), "route "+route+": bearer-secret routes, and only they, name one of their function's secrets") {
			t.Errorf("%s not refused: %v", route, err)
		}
	}
	f, _ := System().Function(NotifyReceiptsFunction)
	if len(f.Routes) != 1 || f.Routes[0].Auth != Bearer || f.Routes[0].Secret != NotifyCallbackToken.Env || len(f.SendsTo) != 0 ||
		len(f.Tables) != 1 || f.Tables[CasesTable] != ReadWrite || len(f.Settings) != 0 {
		t.Errorf("notify-receipts: %+v", f)
	}
}

func TestEnvironmentNamesTablesAndQueues(t *testing.T) {
	f, _ := System().Function("ooh-intake")
	env := f.Environment(func(t string) string { return "tbl-" + t }, func(q string) string { return "url-" + q })
	if env["IDEMPOTENCY_TABLE"] != "tbl-idempotency" || env["OOH_CALLS_QUEUE_URL"] != "url-ooh-calls" {
		t.Fatalf("env = %v", env)
	}
}

func TestVisibilityTimeoutIsSixTimesConsumerTimeout(t *testing.T) {
	sys := System()
	for _, q := range sys.Queues {
		if f, ok := sys.Consumer(q.Name); ok && sys.VisibilityTimeoutSec(q.Name) < 6*f.TimeoutSec {
			t.Errorf("%s: visibility %d < 6 x %d", q.Name, sys.VisibilityTimeoutSec(q.Name), f.TimeoutSec)
		}
	}
}

func TestSettingsAreDeclaredOnceAndReadAsDeclared(t *testing.T) {
	sys := System()
	bad := sys
	bad.Settings = append(slices.Clone(sys.Settings), Setting{Name: "homesCount", Env: "HOMES", Kind: Count},
		Setting{Name: "landlord", Env: "LANDLORD", Kind: Text}, Setting{Name: "x", Env: "X", Kind: Mailboxes},
		Setting{Name: "bad name", Env: "Y", Kind: "colour"})
	bad.Functions = append(slices.Clone(sys.Functions), Function{Name: "reader", MemoryMB: 128, TimeoutSec: 3,
		Settings: []Setting{{Name: "undeclared", Env: "UNDECLARED", Kind: Text}}})
	err := bad.Validate()
	if err == nil {
		t.Fatal("expected problems")
	}
	for _, want := range []string{"setting homesCount (HOMES) declared twice", "landlord cannot also be the group of landlord.name",
		"x: a mailboxes setting lists its RequiredKeys", `setting "bad name"`, `unknown kind "colour"`, "reads setting undeclared"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestSettingParameterNames(t *testing.T) {
	if got := LandlordName.ParameterName("/HousingServices/config"); got != "/HousingServices/config/landlord/name" {
		t.Errorf("parameter %s", got)
	}
	if got := HomesCount.ParameterName("/Test/config/"); got != "/Test/config/homesCount" {
		t.Errorf("parameter %s", got)
	}
}

// Each queue declares when its oldest message means someone must act; referrals within 15 minutes (issue 17).
func TestQueuesDeclareTheirMaximumAge(t *testing.T) {
	for _, q := range System().Queues {
		if q.MaxAgeMinutes < 1 {
			t.Errorf("%s: no MaxAgeMinutes (the system's queues say theirs rather than take the default)", q.Name)
		}
	}
	if (Queue{}).AgeAlarmMinutes() != DefaultMaxAgeMinutes {
		t.Error("default age")
	}
	if q, _ := System().Queue(ReferralsQueue); q.MaxAgeMinutes != 15 {
		t.Errorf("referrals: %d minutes, want 15", q.MaxAgeMinutes)
	}
}

// Every queue has its consumer in the stack: a message nobody takes is lost when it expires (issue 13: the
// referrals queue had none).
func TestEveryQueueHasAConsumer(t *testing.T) {
	sys := System()
	for _, q := range sys.Queues {
		if _, ok := sys.Consumer(q.Name); !ok {
			t.Errorf("nothing consumes %s", q.Name)
		}
	}
	if f, _ := sys.Consumer(ReferralsQueue); f.Name != "referral-sender" {
		t.Errorf("referrals consumed by %q", f.Name)
	}
}

// The run-time lookups (built once per process, shared) answer what a fresh System does.
func TestRunTimeLookupsMatchTheSystem(t *testing.T) {
	sys := System()
	routes := 0
	for _, f := range sys.Functions {
		got := MustFunction(f.Name)
		if !reflect.DeepEqual(got, f) {
			t.Errorf("MustFunction(%s) differs from System's", f.Name)
		}
		for _, r := range f.Routes {
			routes++
			if g, ok := RouteGroups()[r.RouteKey()]; !ok || !slices.Equal(g, r.Groups) {
				t.Errorf("RouteGroups()[%s] = %v, %v; want %v", r.RouteKey(), g, ok, r.Groups)
			}
		}
	}
	if len(RouteGroups()) != routes || routes == 0 {
		t.Errorf("RouteGroups has %d routes, the system %d", len(RouteGroups()), routes)
	}
	if !slices.Equal(StaffGroups(), sys.Groups()) || len(StaffGroups()) == 0 {
		t.Errorf("StaffGroups() = %v, want %v", StaffGroups(), sys.Groups())
	}
}
