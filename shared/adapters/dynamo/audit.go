package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/console"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// StaffAudit records the console's searches and report views (console.AuditLog), beside the case views
// (views.go). Each is one item put once, in the partition of its London day and a shard of the member of staff:
//
//	pk = AUDIT#<London date>#<shard>   sk = <time>#<staff id>#<search|report>#<random>
//
// so the writes of a day spread over AuditShards partitions (one partition takes about 1,000 writes a second;
// the console makes a few a minute), no partition grows beyond a day, and a day's audit is AuditShards key
// queries (Day), one person's day one. A search holds how it was made and the references found, by kind, and
// their counts: never what was typed. A report view holds which report, its period and the format.
type StaffAudit struct{ Store *Store }

var _ console.AuditLog = StaffAudit{}

// AuditShards is how many partitions a day's audit is written across (by the member of staff's id).
const AuditShards = 4

// PKAudit is the prefix of the audit's partitions.
const PKAudit = "AUDIT#"

// AuditKey is the partition of a member of staff's audit records of a London day.
func AuditKey(day workdays.Date, staffID string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(staffID))
	return auditShard(day, int(h.Sum32()%AuditShards))
}

func auditShard(day workdays.Date, n int) string {
	return PKAudit + day.String() + "#" + strconv.Itoa(n)
}

// AuditEntry is one audit record as stored.
type AuditEntry struct {
	What      string              `dynamodbav:"what"` // search | report
	At        string              `dynamodbav:"at"`
	StaffID   string              `dynamodbav:"staffId"`
	StaffName string              `dynamodbav:"staffName"`
	How       string              `dynamodbav:"how,omitempty"`    // a search's: reference, postcode, email, phone
	Found     map[string][]string `dynamodbav:"found,omitempty"`  // a search's references found, by kind
	Counts    map[string]int      `dynamodbav:"counts,omitempty"` // and how many of each kind
	Report    string              `dynamodbav:"report,omitempty"` // a report view's
	Period    string              `dynamodbav:"period,omitempty"`
	Format    string              `dynamodbav:"format,omitempty"`
}

// RecordSearch puts a search's record.
func (a StaffAudit) RecordSearch(ctx context.Context, s console.Search) error {
	e := AuditEntry{What: "search", How: s.How, Found: map[string][]string{}, Counts: map[string]int{}}
	for _, f := range s.Found {
		if e.Counts[string(f.Kind)] = len(f.Refs); len(f.Refs) > 0 {
			e.Found[string(f.Kind)] = f.Refs
		}
	}
	return a.put(ctx, s.By.ID, s.By.Name, s.At, e)
}

// RecordReportView puts a report view's record.
func (a StaffAudit) RecordReportView(ctx context.Context, v console.ReportView) error {
	return a.put(ctx, v.By.ID, v.By.Name, v.At, AuditEntry{What: "report", Report: v.Report, Period: v.Period, Format: v.Format})
}

func (a StaffAudit) put(ctx context.Context, id, name string, at time.Time, e AuditEntry) error {
	var suffix [4]byte
	_, _ = rand.Read(suffix[:])
	e.At, e.StaffID, e.StaffName = TimeKey(at), id, name
	item, err := Marshal(e)
	if err != nil {
		return err
	}
	item["pk"], item["sk"] = S(AuditKey(workdays.DateOf(at), id)), S(TimeKey(at)+"#"+id+"#"+e.What+"#"+hex.EncodeToString(suffix[:]))
	if _, err := a.Store.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: &a.Store.Cases, Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}); err != nil {
		return fmt.Errorf("audit record: %w", err)
	}
	return nil
}

// Day reads a London day's audit records, every shard by key (never a scan), in time order within each shard.
func (a StaffAudit) Day(ctx context.Context, day workdays.Date) ([]AuditEntry, error) {
	var out []AuditEntry
	for n := range AuditShards {
		items, err := a.Store.NewQuery(queryInput(a.Store.Cases, "", "pk = :pk", map[string]types.AttributeValue{":pk": S(auditShard(day, n))})).All(ctx)
		if err != nil {
			return nil, err
		}
		entries, err := UnmarshalAll[AuditEntry](items)
		if err != nil {
			return nil, err
		}
		out = append(out, entries...)
	}
	return out, nil
}
