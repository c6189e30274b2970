package dynamo

import (
	"github.com/councilhousing/backend/shared/app/subjectaccess"
	"github.com/councilhousing/backend/shared/rules/casefile"
	sar "github.com/councilhousing/backend/shared/rules/subjectaccess"
)

// SubjectAccessRequests stores subject access requests as cases of their own (pk SUBJECT-ACCESS#<reference>): the
// request, its timeline (every export, the completion), its deadline in the deadlines index and a list entry by
// status. It holds no contact item: the requester's identifiers are the request itself.
type SubjectAccessRequests struct {
	Records[sar.Request, struct{}]
}

var _ subjectaccess.Store = SubjectAccessRequests{}

// SubjectAccessSummary is a request as a list shows it: no identifier of the requester.
type SubjectAccessSummary struct {
	Reference string `json:"reference"`
	Status    string `json:"status"`
	Received  string `json:"receivedOn"`
	Due       string `json:"dueOn"`
}

// SubjectAccessListing lists requests by status, oldest received first within each.
var SubjectAccessListing = Listing[sar.Request]{
	Kind: casefile.SubjectAccess, Ref: func(r sar.Request) string { return r.Reference }, Dims: []string{"status"},
	Values: func(r sar.Request) map[string]string { return map[string]string{"status": r.Status} },
	Summary: func(r sar.Request) any {
		return SubjectAccessSummary{Reference: r.Reference, Status: r.Status, Received: r.ReceivedOn.String(), Due: r.DueOn.String()}
	},
	Sort: func(r sar.Request) string { return ReceivedKey(r.LoggedAt, r.Reference) },
}

// NewSubjectAccessRequests is the subject access adapter over store.
func NewSubjectAccessRequests(store *Store) SubjectAccessRequests {
	return SubjectAccessRequests{Records[sar.Request, struct{}]{
		Store: store, Kind: casefile.SubjectAccess,
		Ref:       func(r sar.Request) string { return r.Reference },
		Deadlines: sar.OpenDeadlines,
		Lists:     SubjectAccessListing.Items,
	}}
}
