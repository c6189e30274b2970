package dynamo

import (
	"context"
	"time"

	"github.com/councilhousing/backend/shared/app/complaintcases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

// Complaints is the complaints adapter: versioned records plus the staff list and the annual report's range,
// both read from list entries that carry the complaint's facts without its text (complaints.Facts).
type Complaints struct {
	Records[complaints.Complaint, complaints.Contact]
}

var _ complaintcases.Store = Complaints{}

var complaintDims = []string{"status"}

// ComplaintListing is how complaints appear in the staff list and the annual report.
var ComplaintListing = Listing[complaints.Complaint]{
	Kind: casefile.Complaint, Ref: func(c complaints.Complaint) string { return c.Reference }, Dims: complaintDims,
	Values:  func(c complaints.Complaint) map[string]string { return map[string]string{"status": c.Status} },
	Summary: func(c complaints.Complaint) any { return c.Facts() },
	Sort:    func(c complaints.Complaint) string { return ReceivedKey(c.ReceivedAt, c.Reference) },
}

// NewComplaints is the complaints adapter over store.
func NewComplaints(store *Store) Complaints {
	return Complaints{Records[complaints.Complaint, complaints.Contact]{
		Store: store, Kind: casefile.Complaint,
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
