package dynamo

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/retention"
)

// Complaints is the complaints adapter: versioned records plus the staff list and the annual report's range,
// both read from list entries that carry the complaint's facts without its text (complaints.Facts).
type Complaints struct {
	Records[complaints.Complaint, complaints.Contact]
}

var _ complaintcases.Store = Complaints{}

var complaintDims = []string{"status"}

// ComplaintListing is how complaints appear in the staff list and the annual report: besides the status lists,
// a complaint is in the list of every financial year it had an event in (fy=<year>, ReportYears), so the CH-10
// report of a year reads one key and finds a complaint received in March and answered in April in both years.
var ComplaintListing = Listing[complaints.Complaint]{
	Kind: casefile.Complaint, Ref: func(c complaints.Complaint) string { return c.Reference }, Dims: complaintDims,
	Values:  func(c complaints.Complaint) map[string]string { return map[string]string{"status": c.Status} },
	Summary: func(c complaints.Complaint) any { return c.Facts() },
	Sort:    func(c complaints.Complaint) string { return ReceivedKey(c.ReceivedAt, c.Reference) },
	Extra: func(c complaints.Complaint, shard string) map[string]types.AttributeValue {
		return endedEntry(retention.ComplaintEnded(c))
	},
	Also: func(c complaints.Complaint) []string {
		var out []string
		for _, y := range c.ReportYears() {
			out = append(out, FinancialYearDim+"="+strconv.Itoa(y))
		}
		return out
	},
}

// FinancialYearDim names a complaint's financial-year lists (ComplaintListing.Also).
const FinancialYearDim = "fy"

// ComplaintYearQuery is the read of the complaints with an event in the financial year starting in April of year.
func ComplaintYearQuery(year int) ListQuery {
	return ListQuery{Index: catalog.IndexLists, PKAttr: AttrListPK, SKAttr: AttrListSK,
		Key: ListKey(casefile.Complaint, []string{FinancialYearDim}, map[string]string{FinancialYearDim: strconv.Itoa(year)})}
}

// NewComplaints is the complaints adapter over store.
func NewComplaints(store *Store) Complaints {
	return Complaints{Records[complaints.Complaint, complaints.Contact]{
		Store: store, Kind: casefile.Complaint, ContactIndexes: complaintFindKeys, ContactLookups: complaintContactLookups, // the complainant's find keys (residentaccess.go, lookups.go)
		Ref:       func(c complaints.Complaint) string { return c.Reference },
		Deadlines: complaints.OpenDeadlines,
		Lists:     ComplaintListing.Items,
	}}
}

// ComplaintListQuery is the list read for a status ("" for every complaint), newest first.
func ComplaintListQuery(status string) ListQuery {
	return ListQuery{Index: catalog.IndexLists, PKAttr: AttrListPK, SKAttr: AttrListSK, Newest: true,
		Key: ListKey(casefile.Complaint, complaintDims, map[string]string{"status": status})}
}

// List pages through complaints newest first, optionally of one status: one key whatever the filter.
func (c Complaints) List(ctx context.Context, status string, limit int, token string) ([]complaints.Complaint, string, error) {
	items, next, _, err := c.Store.ListPage(ctx, ComplaintListQuery(status), limit, token)
	if err != nil {
		return nil, "", err
	}
	cs, err := Summaries[complaints.Complaint](items)
	return cs, next, err
}

// ReceivedBetween reads the facts of the complaints received in [from, to): a range of the unfiltered list.
func (c Complaints) ReceivedBetween(ctx context.Context, from, to time.Time) ([]complaints.Complaint, error) {
	return between[complaints.Complaint](ctx, c.Store, catalog.IndexLists, AttrListPK, AttrListSK, ListKey(casefile.Complaint, nil, nil), from, to)
}

// InFinancialYear reads the facts of every complaint with an event in the financial year starting in April of
// year (CH-10): the year's list (fy=<year>, on every shard) and, for complaints stored before the year lists
// existed and not changed since, the year's range of receipt dates; each complaint once. Both reads are of small
// list entries by key condition, never a scan.
func (c Complaints) InFinancialYear(ctx context.Context, year int) ([]complaints.Complaint, error) {
	items, err := c.Store.ListAll(ctx, ComplaintYearQuery(year))
	if err != nil {
		return nil, err
	}
	active, err := Summaries[complaints.Complaint](items)
	if err != nil {
		return nil, err
	}
	from, to := complaints.FinancialYear(year)
	received, err := c.ReceivedBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(active))
	for _, x := range active {
		seen[x.Reference] = true
	}
	for _, x := range received {
		if !seen[x.Reference] {
			active = append(active, x)
		}
	}
	return active, nil
}

// The annual report's self-assessment (CH-10, source 004 §8.1) is one item per financial year, apart from any case
// (schema.go): pk = COMPLAINTS-REPORT#<year>, sk = SELF-ASSESSMENT, with a version for optimistic locking.
const (
	PKComplaintsReport = "COMPLAINTS-REPORT#"
	SKSelfAssessment   = "SELF-ASSESSMENT"
)

// selfAssessmentItem is the stored self-assessment with its version.
type selfAssessmentItem struct {
	complaints.SelfAssessment
	Version int `dynamodbav:"version"`
}

// SelfAssessment reads the year's self-assessment (nil when none was recorded) and its version: one read.
func (c Complaints) SelfAssessment(ctx context.Context, year int) (*complaints.SelfAssessment, int, error) {
	var it selfAssessmentItem
	found, err := c.Store.Get(ctx, PKComplaintsReport+strconv.Itoa(year), SKSelfAssessment, &it)
	if err != nil || !found {
		return nil, 0, err
	}
	return &it.SelfAssessment, it.Version, nil
}

// SaveSelfAssessment writes the year's self-assessment if it is still at readVersion (0: none yet); another
// manager's recording in between is a 409.
func (c Complaints) SaveSelfAssessment(ctx context.Context, sa complaints.SelfAssessment, readVersion int) error {
	item, err := Item(PKComplaintsReport+strconv.Itoa(sa.Year), SKSelfAssessment, selfAssessmentItem{SelfAssessment: sa, Version: readVersion + 1}, nil)
	if err != nil {
		return err
	}
	put := c.Store.PutNew(item)
	if readVersion > 0 {
		put = c.Store.PutVersioned(item, readVersion)
	}
	if err := c.Store.Write(ctx, []types.TransactWriteItem{put}); err != nil {
		if errors.Is(err, ErrConditionFailed) {
			return StaleWrite()
		}
		return err
	}
	return nil
}
