package stack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/councilhousing/backend/infra/config"
	"github.com/councilhousing/backend/shared/catalog"
)

// Helpers for the assertion tests: one synthesis of the stack (jsii starts one node process), shared by every
// test as an assertions.Template and as plain Go maps for checks that follow references.

const testAccount, testRegion = "123456789012", "eu-west-2"

var (
	sys      = catalog.System()
	cfg      config.Config // the checked-in example configuration
	template assertions.Template
	tmpl     cfnTemplate
	// nagErrors are the unsuppressed AwsSolutions errors on the stack; canaryErrors those on a deliberately
	// non-compliant stack, which prove the pack really runs against this CDK version.
	nagErrors, canaryErrors, stackWarnings []string
)

type cfnTemplate struct {
	Resources map[string]cfnResource `json:"Resources"`
	Outputs   map[string]any         `json:"Outputs"`
}

type cfnResource struct {
	Type                string         `json:"Type"`
	Properties          map[string]any `json:"Properties"`
	DeletionPolicy      string         `json:"DeletionPolicy"`
	UpdateReplacePolicy string         `json:"UpdateReplacePolicy"`
}

func TestMain(m *testing.M) { os.Exit(synthesiseOnceAndRun(m)) }

func synthesiseOnceAndRun(m *testing.M) int {
	defer jsii.Close()
	dist := fakeDist()
	defer os.RemoveAll(dist)
	var err error
	cfg, err = config.Example(repoRoot())
	must(err)
	context := cdkJSONContext()
	// cdk.json turns error annotations into a failed synthesis; here they stay annotations, so TestCdkNag can
	// list each finding instead of TestMain panicking.
	(*context)["@aws-cdk/core:annotationsInValidationReport"] = false
	app := awscdk.NewApp(&awscdk.AppProps{Context: context})
	stack := NewHousingStack(app, "Test", &HousingStackProps{
		StackProps: awscdk.StackProps{Env: &awscdk.Environment{Account: jsii.String(testAccount), Region: jsii.String(testRegion)}},
		Catalog:    sys, Config: cfg, DistDir: dist,
	})
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{}), nil)

	template = assertions.Template_FromStack(stack, nil)
	raw, err := json.Marshal(template.ToJSON())
	must(err)
	must(json.Unmarshal(raw, &tmpl))
	nagErrors = errors(stack)
	stackWarnings = messages(assertions.Annotations_FromStack(stack).FindWarning(jsii.String("*"), assertions.Match_AnyValue()))
	canaryErrors = errors(nagCanary())
	return m.Run()
}

// nagCanary is a stack with a queue that has no DLQ, checked by the AwsSolutions pack in an app of its own.
func nagCanary() awscdk.Stack {
	app := awscdk.NewApp(nil)
	canary := awscdk.NewStack(app, jsii.String("NagCanary"), nil)
	awssqs.NewQueue(canary, jsii.String("NoDeadLetterQueue"), nil)
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{}), nil)
	app.Synth(nil)
	return canary
}

func errors(stack awscdk.Stack) []string {
	return messages(assertions.Annotations_FromStack(stack).FindError(jsii.String("*"), assertions.Match_AnyValue()))
}

// fakeDist is a dist folder with a placeholder bootstrap per catalog function, so tests need no Lambda build.
func fakeDist() string {
	dist, err := os.MkdirTemp("", "housing-dist-")
	must(err)
	for _, f := range sys.Functions {
		must(os.MkdirAll(filepath.Join(dist, f.Name), 0o755))
		must(os.WriteFile(filepath.Join(dist, f.Name, "bootstrap"), []byte("#!/bin/sh\n"), 0o755))
	}
	return dist
}

// cdkJSONContext is the repository's cdk.json context (feature flags), so the tests check the template that
// `cdk synth` produces rather than one built with older defaults.
func cdkJSONContext() *map[string]any {
	raw, err := os.ReadFile(filepath.Join(repoRoot(), "cdk.json"))
	must(err)
	var cdkJSON struct {
		Context map[string]any `json:"context"`
	}
	must(json.Unmarshal(raw, &cdkJSON))
	return &cdkJSON.Context
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func messages(found *[]*cxapi.SynthesisMessage) []string {
	var out []string
	for _, m := range *found {
		out = append(out, fmt.Sprintf("%s: %v", *m.Id, m.Entry.Data))
	}
	return out
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// assertTemplate runs an assertions.Template check, which panics on a mismatch, as a test failure.
func assertTemplate(t *testing.T, check func()) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Error(r)
		}
	}()
	check()
}

// idOf is the logical ID CDK gave the construct with this id (the id plus an 8-character hash).
func idOf(t *testing.T, constructID string) string {
	t.Helper()
	pattern := regexp.MustCompile("^" + constructID + "[0-9A-F]{8}$")
	var ids []string
	for id := range tmpl.Resources {
		if pattern.MatchString(id) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("construct %s: logical IDs %v", constructID, ids)
	}
	return ids[0]
}

func resource(t *testing.T, constructID string) cfnResource {
	t.Helper()
	return tmpl.Resources[idOf(t, constructID)]
}

func ofType(cfnType string) map[string]cfnResource {
	out := map[string]cfnResource{}
	for id, r := range tmpl.Resources {
		if r.Type == cfnType {
			out[id] = r
		}
	}
	return out
}

// refsIn lists the logical IDs v points at through Ref or Fn::GetAtt, at any depth.
func refsIn(v any) []string {
	var refs []string
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok && !strings.HasPrefix(ref, "AWS::") {
			refs = append(refs, ref)
		}
		if att, ok := v["Fn::GetAtt"].([]any); ok && len(att) > 0 {
			refs = append(refs, att[0].(string))
		}
		for _, child := range v {
			refs = append(refs, refsIn(child)...)
		}
	case []any:
		for _, child := range v {
			refs = append(refs, refsIn(child)...)
		}
	}
	slices.Sort(refs)
	return slices.Compact(refs)
}

func refersTo(v any, logicalID string) bool { return slices.Contains(refsIn(v), logicalID) }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func list(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

func stringList(v any) []string {
	var out []string
	for _, s := range list(v) {
		out = append(out, fmt.Sprint(s))
	}
	return out
}

func sortedSet(items []string) []string {
	out := slices.Clone(items)
	sort.Strings(out)
	return slices.Compact(out)
}

// statement is one Allow/Deny of an identity policy attached to a role.
type statement struct {
	Effect    string
	Actions   []string
	Resources any
}

// roleStatements are the statements of every AWS::IAM::Policy attached to the role.
func roleStatements(roleID string) []statement {
	var out []statement
	for _, p := range ofType("AWS::IAM::Policy") {
		if !refersTo(p.Properties["Roles"], roleID) {
			continue
		}
		for _, s := range list(obj(p.Properties["PolicyDocument"])["Statement"]) {
			s := obj(s)
			out = append(out, statement{Effect: fmt.Sprint(s["Effect"]), Actions: stringList(s["Action"]), Resources: s["Resource"]})
		}
	}
	return out
}

// functionRoleID is the logical ID of the role the catalog function runs as.
func functionRoleID(t *testing.T, fn string) string {
	t.Helper()
	refs := refsIn(resource(t, logicalID(fn)+"Function").Properties["Role"])
	if len(refs) != 1 {
		t.Fatalf("%s: role %v", fn, refs)
	}
	return refs[0]
}

// actionsOn are the actions fn's role is allowed on the resource with this logical ID.
func actionsOn(t *testing.T, fn, logicalID string) []string {
	var actions []string
	for _, s := range roleStatements(functionRoleID(t, fn)) {
		if s.Effect == "Allow" && refersTo(s.Resources, logicalID) {
			actions = append(actions, s.Actions...)
		}
	}
	return sortedSet(actions)
}
