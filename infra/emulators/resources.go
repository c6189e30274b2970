package emulators

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	stypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"

	"github.com/councilhousing/backend/shared/catalog"
)

// Region and Account are what the local cloud pretends to be.
const (
	Region  = "eu-west-2"
	Account = "000000000000"
)

// Config is an AWS configuration with dummy credentials for the emulators.
func Config() aws.Config {
	return aws.Config{Region: Region, Credentials: credentials.NewStaticCredentialsProvider("local", "local", "")}
}

// Clients returns SDK clients pointed at the emulators.
func Clients(dynamoEndpoint, sqsEndpoint string) (*dynamodb.Client, *sqs.Client) {
	cfg := Config()
	ddb := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(dynamoEndpoint) })
	q := sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(sqsEndpoint) })
	return ddb, q
}

// Resources are the real names of the catalog's tables and the URLs of its queues.
type Resources struct {
	Tables map[string]string // logical name -> table name
	Queues map[string]string // queue name -> URL
	DLQs   map[string]string // queue name -> its DLQ's URL
}

// Env is the environment a function gets for these resources (catalog.TableEnv/QueueEnv names) plus the
// endpoint and credential variables the SDK reads.
func (r Resources) Env(dynamoEndpoint, sqsEndpoint string) map[string]string {
	env := map[string]string{
		"AWS_ENDPOINT_URL_DYNAMODB": dynamoEndpoint, "AWS_ENDPOINT_URL_SQS": sqsEndpoint,
		"AWS_REGION": Region, "AWS_DEFAULT_REGION": Region, "AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
	}
	for logical, name := range r.Tables {
		env[catalog.TableEnv(logical)] = name
	}
	for name, url := range r.Queues {
		env[catalog.QueueEnv(name)] = url
	}
	return env
}

// CreateResources creates the catalog's tables (with their indexes and TTL) and queues (each with its DLQ and
// redrive policy) as the stack does, with suffix appended to every name. Existing ones are kept.
func CreateResources(ctx context.Context, cat catalog.Catalog, ddb *dynamodb.Client, q *sqs.Client, suffix string) (Resources, error) {
	res := Resources{Tables: map[string]string{}, Queues: map[string]string{}, DLQs: map[string]string{}}
	for _, t := range cat.Tables {
		name := t.Name + suffix
		if err := createTable(ctx, ddb, t, name); err != nil {
			return res, err
		}
		res.Tables[t.Name] = name
	}
	for _, queue := range cat.Queues {
		url, dlq, err := createQueue(ctx, q, queue, cat.VisibilityTimeoutSec(queue.Name), suffix)
		if err != nil {
			return res, err
		}
		res.Queues[queue.Name], res.DLQs[queue.Name] = url, dlq
	}
	return res, nil
}

func createTable(ctx context.Context, ddb *dynamodb.Client, t catalog.Table, name string) error {
	in := tableInput(t, name)
	_, err := ddb.CreateTable(ctx, in)
	var exists *dtypes.ResourceInUseException
	switch {
	case errors.As(err, &exists):
		if err := addMissingIndexes(ctx, ddb, in); err != nil {
			return fmt.Errorf("indexes of %s: %w", name, err)
		}
	case err != nil:
		return fmt.Errorf("create table %s: %w", name, err)
	}
	// No TTL on the emulated tables: DynamoDB Local deletes expired items by the wall clock, while the local
	// cloud's clock may be pinned days away (tests pin it), so it would delete a session or a lease the code still
	// counts as live. Expiry is enforced where items are read (their expiresAt against the request's time); in
	// AWS, TTL (the stack sets it from the catalog's TTLAttribute) only tidies up.
	return nil
}

// tableInput is the table as the stack defines it: on-demand, string keys, every index projecting ALL.
func tableInput(t catalog.Table, name string) *dynamodb.CreateTableInput {
	attrs := map[string]bool{}
	in := &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: dtypes.BillingModePayPerRequest}
	keys := func(pk, sk string) []dtypes.KeySchemaElement {
		ks := []dtypes.KeySchemaElement{{AttributeName: aws.String(pk), KeyType: dtypes.KeyTypeHash}}
		if sk != "" {
			ks = append(ks, dtypes.KeySchemaElement{AttributeName: aws.String(sk), KeyType: dtypes.KeyTypeRange})
		}
		for _, a := range []string{pk, sk} {
			if a != "" && !attrs[a] {
				attrs[a] = true
				in.AttributeDefinitions = append(in.AttributeDefinitions, dtypes.AttributeDefinition{AttributeName: aws.String(a), AttributeType: dtypes.ScalarAttributeTypeS})
			}
		}
		return ks
	}
	in.KeySchema = keys(t.PartitionKey, t.SortKey)
	for _, g := range t.GSIs {
		projection := dtypes.ProjectionTypeAll
		if g.KeysOnly {
			projection = dtypes.ProjectionTypeKeysOnly
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, dtypes.GlobalSecondaryIndex{
			IndexName: aws.String(g.Name), KeySchema: keys(g.PartitionKey, g.SortKey),
			Projection: &dtypes.Projection{ProjectionType: projection},
		})
	}
	return in
}

// addMissingIndexes adds to a table kept from an earlier `make run` the indexes the catalog has gained since.
func addMissingIndexes(ctx context.Context, ddb *dynamodb.Client, want *dynamodb.CreateTableInput) error {
	out, err := ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: want.TableName})
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, g := range out.Table.GlobalSecondaryIndexes {
		have[aws.ToString(g.IndexName)] = true
	}
	for _, g := range want.GlobalSecondaryIndexes {
		if have[aws.ToString(g.IndexName)] {
			continue
		}
		_, err := ddb.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: want.TableName, AttributeDefinitions: want.AttributeDefinitions,
			GlobalSecondaryIndexUpdates: []dtypes.GlobalSecondaryIndexUpdate{{Create: &dtypes.CreateGlobalSecondaryIndexAction{
				IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection}}}})
		if err != nil {
			return fmt.Errorf("add index %s: %w", aws.ToString(g.IndexName), err)
		}
	}
	return nil
}

func createQueue(ctx context.Context, q *sqs.Client, queue catalog.Queue, visibility int, suffix string) (url, dlqURL string, err error) {
	dlqURL, err = ensureQueue(ctx, q, queue.DLQName()+suffix, map[string]string{
		string(stypes.QueueAttributeNameMessageRetentionPeriod): "1209600"})
	if err != nil {
		return "", "", err
	}
	attrs, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(dlqURL),
		AttributeNames: []stypes.QueueAttributeName{stypes.QueueAttributeNameQueueArn}})
	if err != nil {
		return "", "", err
	}
	redrive := fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":%d}`, attrs.Attributes["QueueArn"], queue.MaxReceiveCount)
	url, err = ensureQueue(ctx, q, queue.Name+suffix, map[string]string{
		string(stypes.QueueAttributeNameRedrivePolicy):     redrive,
		string(stypes.QueueAttributeNameVisibilityTimeout): strconv.Itoa(visibility),
	})
	return url, dlqURL, err
}

// ensureQueue creates a queue, or brings an existing one's attributes in line with the catalog.
func ensureQueue(ctx context.Context, q *sqs.Client, name string, attrs map[string]string) (string, error) {
	out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err == nil {
		return aws.ToString(out.QueueUrl), nil
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || !strings.Contains(apiErr.ErrorCode(), "QueueAlreadyExists") && !strings.Contains(apiErr.ErrorCode(), "QueueNameExists") {
		return "", fmt.Errorf("create queue %s: %w", name, err)
	}
	got, err := q.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("queue %s: %w", name, err)
	}
	if _, err := q.SetQueueAttributes(ctx, &sqs.SetQueueAttributesInput{QueueUrl: got.QueueUrl, Attributes: attrs}); err != nil {
		return "", fmt.Errorf("queue %s: %w", name, err)
	}
	return aws.ToString(got.QueueUrl), nil
}
