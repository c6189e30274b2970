package dynamo

import (
	"context"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/apperr"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/register"
	"github.com/councilhousing/backend/shared/rules/retention"
)

// Applications is the housing register adapter: versioned records; the officers' lists and the priority list,
// read from the list entries of each application (listing.go: one per combination of its status, decided band
// and officer; the unfiltered one also in its band's priority partition of byEvent, sorted by its priority
// key, while the application is active); and the find keys, under the hashes of the applicant's normalised
// postcode (on the case item) and email address (on the contact item) in the byContact index, written with the
// item they are on in the same transaction as the change that sets the contact.
type Applications struct {
	Records[register.Record, register.Contact]
}

var _ registercases.Store = Applications{}

// applicationDims are the officers' list filters: a list filtered on any combination of them is one key.
var applicationDims = []string{"status", "band", "officer"}

// ApplicationListing is how applications appear in the lists: each entry carries a summary of the decision
// (registercases.Summary), never the application's answers or the contact.
var ApplicationListing = Listing[register.Record]{
	Kind: casefile.Application, Ref: func(r register.Record) string { return r.Reference }, Dims: applicationDims,
	Values: func(r register.Record) map[string]string {
		officer := ""
		if r.Council.Officer != nil {
			officer = r.Council.Officer.ID
		}
		return map[string]string{"status": r.Decision.Status, "band": r.Decision.BandName(), "officer": officer}
	},
	Summary: func(r register.Record) any { return registercases.SummaryOf(r) },
	Sort:    func(r register.Record) string { return ReceivedKey(r.ReceivedAt, r.Reference) },
	Extra: func(r register.Record, shard string) map[string]types.AttributeValue {
		key, listed := register.PriorityKey(r.Reference, r.Decision)
		if !listed {
			return endedEntry(retention.ApplicationEnded(r)) // off the register: in its ended list instead
		}
		return map[string]types.AttributeValue{AttrEventPK: S(Sharded(BandKey(r.Decision.BandName()), shard)), AttrEventSK: S(key)}
	},
}

// NewApplications is the housing register adapter over store.
func NewApplications(store *Store) Applications {
	return Applications{Records[register.Record, register.Contact]{
		Store: store, Kind: casefile.Application,
		Ref:            func(r register.Record) string { return r.Reference },
		Deadlines:      register.OpenDeadlines,
		Lists:          ApplicationListing.Items,
		Contact:        applicationContact,
		ContactIndexes: applicationFindKeys,
		ContactLookups: applicationContactLookups, // the applicant's phone (lookups.go)
	}}
}

// applicationContact is the contact a change leaves the application with: the one put back into it
// (register.Record.SetContact, before a change of circumstances), else nil (the stored one is kept). A loaded
// record has no applicant: the contact is stored apart.
func applicationContact(r register.Record) *register.Contact {
	if r.Application.Applicant.Name == "" {
		return nil
	}
	c := register.ContactOf(r.Application)
	return &c
}

// FindKey is the byContact partition of an application's find key: e.g. "FIND#email#<hash>" (the hash of the
// normalised value; the value itself is never in a key).
func FindKey(field, hash string) string { return "FIND#" + field + "#" + hash }

// applicationFindKeys are the find keys of an application's contact: its postcode's on the case item, its
// email address's on the contact item (one key per item in the byContact index), each sorted by receipt.
func applicationFindKeys(r register.Record, c register.Contact) (onCase, onContact map[string]types.AttributeValue) {
	sk := S(ReceivedKey(r.ReceivedAt, r.Reference))
	if h := registercases.PostcodeKey(c.Postcode); h != "" {
		onCase = map[string]types.AttributeValue{AttrContactPK: S(FindKey(registercases.FindByPostcode, h)), AttrContactSK: sk}
	}
	if h := registercases.EmailKey(c.Email); h != "" {
		onContact = map[string]types.AttributeValue{AttrContactPK: S(FindKey(registercases.FindByEmail, h)), AttrContactSK: sk}
	}
	return onCase, onContact
}

// PriorityList pages through one band's active applications in priority order, merged over the shards. An
// application that leaves the active register (or its band) loses its entry's keys with the same change.
func (a Applications) PriorityList(ctx context.Context, band string, limit int, token string) ([]registercases.Summary, string, error) {
	q := ListQuery{Index: catalog.IndexByEvent, PKAttr: AttrEventPK, SKAttr: AttrEventSK, Key: BandKey(band)}
	items, next, _, err := a.Store.ListPage(ctx, q, limit, token)
	if err != nil {
		return nil, "", err
	}
	out, err := Summaries[registercases.Summary](items)
	return out, next, err
}

// ApplicationListQuery is the list read for a filter: one key of the lists index, newest first, or oldest
// first (the queue awaiting verification).
func ApplicationListQuery(f registercases.Filter) ListQuery {
	key := ListKey(casefile.Application, applicationDims, map[string]string{"status": f.Status, "band": f.Band, "officer": f.Officer})
	return ListQuery{Index: catalog.IndexLists, PKAttr: AttrListPK, SKAttr: AttrListSK, Key: key, Newest: !f.OldestFirst}
}

// List pages through the applications of a filter: a query of at most limit small entries on each shard, however
// many applications there are.
func (a Applications) List(ctx context.Context, f registercases.Filter, limit int, token string) ([]registercases.Summary, string, error) {
	items, next, _, err := a.Store.ListPage(ctx, ApplicationListQuery(f), limit, token)
	if err != nil {
		return nil, "", err
	}
	out, err := Summaries[registercases.Summary](items)
	return out, next, err
}

// Find pages through the applications whose contact has the key, newest first: one query of the byContact
// index (keys only: the partition key names the application) and a read of each application's head.
func (a Applications) Find(ctx context.Context, key registercases.FindKey, limit int, token string) ([]registercases.Summary, string, error) {
	in := queryInput(a.Store.Cases, catalog.IndexByContact, AttrContactPK+" = :pk", map[string]types.AttributeValue{":pk": S(FindKey(key.Field, key.Hash))})
	in.ScanIndexForward = aws.Bool(false)
	items, next, err := a.Store.NewQuery(in).Page(ctx, limit, token)
	if err != nil {
		return nil, "", err
	}
	prefix := CaseKey(casefile.Application, "")
	found := make([]*registercases.Summary, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		ref, ok := strings.CutPrefix(str(it["pk"]), prefix)
		if !ok {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := a.Load(ctx, ref)
			switch {
			case apperr.CodeOf(err) == apperr.NotFound: // the index is eventually consistent: skip it
			case err != nil:
				errs[i] = err
			default:
				s := registercases.SummaryOf(st.Case)
				found[i] = &s
			}
		}()
	}
	wg.Wait()
	out := make([]registercases.Summary, 0, len(items))
	for i := range items {
		if errs[i] != nil {
			return nil, "", errs[i]
		}
		if found[i] != nil {
			out = append(out, *found[i])
		}
	}
	return out, next, nil
}
