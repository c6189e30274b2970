package emulators

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/councilhousing/backend/shared/catalog"
)

func TestMain(m *testing.M) { Main(m) }

// The emulators hold exactly the catalog's tables (with indexes, without TTL sweeping) and queues (with DLQ redrive).
func TestFreshSetMatchesCatalog(t *testing.T) {
	set := Shared(t).Fresh(t)
	ctx := context.Background()
	for _, tbl := range catalog.System().Tables {
		out, err := set.DDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(set.Tables[tbl.Name])})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(out.Table.GlobalSecondaryIndexes); got != len(tbl.GSIs) {
			t.Errorf("%s: %d indexes, catalog has %d", tbl.Name, got, len(tbl.GSIs))
		}
		// no TTL sweeping locally (createTable says why): the wall clock would delete items a pinned clock still
		// counts as live
		ttl, err := set.DDB.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(set.Tables[tbl.Name])})
		if err == nil && ttl.TimeToLiveDescription != nil && ttl.TimeToLiveDescription.TimeToLiveStatus == dtypes.TimeToLiveStatusEnabled {
			t.Errorf("%s: TTL is enabled on an emulated table", tbl.Name)
		}
	}
	for _, q := range catalog.System().Queues {
		attrs, err := set.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(set.Queues[q.Name]), AttributeNames: []sqstypes.QueueAttributeName{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		if attrs.Attributes["RedrivePolicy"] == "" {
			t.Errorf("%s has no redrive policy", q.Name)
		}
	}
	if set.Vars["CASES_TABLE"] == "" || set.Vars["OOH_CALLS_QUEUE_URL"] == "" {
		t.Errorf("env: %v", set.Vars)
	}
}

// Creating the resources again keeps the data and brings the definitions in line with a changed catalog, as a
// second `make run` on kept DynamoDB files does.
func TestCreateResourcesIsIdempotent(t *testing.T) {
	env := Shared(t)
	ctx := context.Background()
	cat := catalog.Catalog{
		Tables: []catalog.Table{{Name: "things", PartitionKey: "pk", TTLAttribute: "expiresAt"}},
		Queues: []catalog.Queue{{Name: "jobs", MaxReceiveCount: 2}},
	}
	suffix := UniqueSuffix()
	first, err := CreateResources(ctx, cat, env.DDB, env.SQS, suffix)
	env.DeleteWhenDone(t, first)
	if err != nil {
		t.Fatal(err)
	}
	cat.Tables[0].GSIs = []catalog.GSI{{Name: "byOwner", PartitionKey: "owner", SortKey: "at"}}
	cat.Queues[0].MaxReceiveCount = 5
	again, err := CreateResources(ctx, cat, env.DDB, env.SQS, suffix)
	if err != nil {
		t.Fatal(err)
	}
	if again.Queues["jobs"] != first.Queues["jobs"] || again.DLQs["jobs"] != first.DLQs["jobs"] || again.Tables["things"] != first.Tables["things"] {
		t.Fatalf("names changed: %+v then %+v", first, again)
	}
	table, err := env.DDB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(again.Tables["things"])})
	if err != nil || len(table.Table.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("index not added: %v %v", table, err)
	}
	attrs, err := env.SQS.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(again.Queues["jobs"]),
		AttributeNames: []sqstypes.QueueAttributeName{"RedrivePolicy", "VisibilityTimeout"}})
	if err != nil || !strings.Contains(attrs.Attributes["RedrivePolicy"], `"maxReceiveCount":5`) || attrs.Attributes["VisibilityTimeout"] != "30" {
		t.Fatalf("queue attributes: %v %v", attrs, err)
	}
}

func TestStartExplainsWhatIsMissingOrBusy(t *testing.T) {
	ctx := context.Background()
	if _, err := StartDynamoDB(ctx, t.TempDir(), 1, ""); err == nil || !strings.Contains(err.Error(), "make tools") {
		t.Errorf("missing jar: %v", err)
	}
	if _, err := StartSQS(ctx, t.TempDir(), 1); err == nil || !strings.Contains(err.Error(), "make tools") {
		t.Errorf("missing package: %v", err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	root, _ := Root()
	if _, err := StartSQS(ctx, root, busy.Addr().(*net.TCPAddr).Port); err == nil || !strings.Contains(err.Error(), "something else is listening") {
		t.Errorf("busy port: %v", err)
	}
}

// Changing a message's visibility is not a receive (the launcher corrects the emulator on this), so a message
// made visible again at once is delivered maxReceiveCount times before it moves to the DLQ.
func TestVisibilityChangeIsNotAReceive(t *testing.T) {
	env := Shared(t)
	ctx := context.Background()
	res, err := CreateResources(ctx, catalog.Catalog{Queues: []catalog.Queue{{Name: "jobs", MaxReceiveCount: 2}}}, env.DDB, env.SQS, UniqueSuffix())
	env.DeleteWhenDone(t, res)
	if err != nil {
		t.Fatal(err)
	}
	url := aws.String(res.Queues["jobs"])
	if _, err := env.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: url, MessageBody: aws.String("m")}); err != nil {
		t.Fatal(err)
	}
	var counts []string
	for range 2 {
		out, err := env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: url, WaitTimeSeconds: 3, AttributeNames: []sqstypes.QueueAttributeName{"All"}})
		if err != nil || len(out.Messages) != 1 {
			t.Fatalf("receive %d: %v %v", len(counts)+1, out, err)
		}
		counts = append(counts, out.Messages[0].Attributes["ApproximateReceiveCount"])
		if _, err := env.SQS.ChangeMessageVisibility(ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: url, ReceiptHandle: out.Messages[0].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
			t.Fatal(err)
		}
	}
	if counts[0] != "1" || counts[1] != "2" {
		t.Fatalf("receive counts %v, want [1 2]", counts)
	}
	out, err := env.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(res.DLQs["jobs"]), WaitTimeSeconds: 3})
	if err != nil || len(out.Messages) != 1 {
		t.Fatalf("DLQ after two receives: %v %v", out, err)
	}
}

// A free port can be taken by another test binary's emulator before ours binds it; the other one then answers
// there. An emulator is up only when it is the one answering: DynamoDB Local's JSON error, the SQS emulator's XML.
func TestUpOnlyWhenTheRightEmulatorAnswers(t *testing.T) {
	dynamo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken"}`))
	}))
	defer dynamo.Close()
	sqs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`<ErrorResponse><Error><Code>UnsupportedOperation</Code></Error></ErrorResponse>`))
	}))
	defer sqs.Close()
	up := func(url string, ours func(*http.Response, []byte) bool) bool {
		return (&Process{Endpoint: url, done: make(chan struct{}), ours: ours}).Up()
	}
	if !up(dynamo.URL, isDynamoDB) || up(sqs.URL, isDynamoDB) {
		t.Error("DynamoDB Local: up only when DynamoDB answers")
	}
	if !up(sqs.URL, isSQS) || up(dynamo.URL, isSQS) {
		t.Error("the SQS emulator: up only when it answers")
	}
}
