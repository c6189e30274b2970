package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
)

// SignInCodes keeps the resident pages' one-time codes in the idempotency table, each item expiring by its TTL:
// the code of a session (SignInKey: its hash, the contact it proves, tries left) and the count of codes sent to
// a contact in an hour (SignInCountKey). Every operation is one request on one key.
type SignInCodes struct{ Store *Store }

var _ residentaccess.Codes = SignInCodes{}

type signInItem struct {
	Key      string `dynamodbav:"pk"`
	Hash     string `dynamodbav:"codeHash"`
	Contact  string `dynamodbav:"contact"`
	Ref      string `dynamodbav:"ref,omitempty"`
	Attempts int    `dynamodbav:"attempts"`
	Expires  int64  `dynamodbav:"expiresAt"` // epoch seconds: the table's TTL attribute
}

// Allow adds one to the contact's count for the hour unless it has reached limit (a conditional update).
func (c SignInCodes) Allow(ctx context.Context, contactKey string, hour time.Time, limit int) (bool, error) {
	_, err := c.Store.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &c.Store.Idempotency,
		Key:                       map[string]types.AttributeValue{"pk": S(SignInCountKey(contactKey, hour))},
		UpdateExpression:          aws.String("SET expiresAt = :exp ADD n :one"),
		ConditionExpression:       aws.String("attribute_not_exists(n) OR n < :limit"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":exp": N(hour.Add(2 * time.Hour).Unix()), ":one": N(1), ":limit": N(int64(limit))}})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sign-in count: %w", err)
	}
	return true, nil
}

// Put stores the session's code (replacing an earlier one) and the messages that send it in one transaction.
func (c SignInCodes) Put(ctx context.Context, code residentaccess.Code, messages []casework.Message) error {
	item, err := Marshal(signInItem{Key: SignInKey(code.Session), Hash: code.Hash, Contact: code.Contact, Ref: code.Ref,
		Attempts: code.Attempts, Expires: code.Expires.Unix()})
	if err != nil {
		return err
	}
	out, err := c.Store.OutboxWrites(messages...)
	if err != nil {
		return err
	}
	writes := append([]types.TransactWriteItem{{Put: &types.Put{TableName: &c.Store.Idempotency, Item: item}}}, out...)
	if err := c.Store.Write(ctx, writes); err != nil {
		return fmt.Errorf("sign-in code: %w", err)
	}
	return nil
}

// Attempt takes one try: a conditional decrement that succeeds only while the code is live and has tries left,
// returning the code as it was.
func (c SignInCodes) Attempt(ctx context.Context, session string, now time.Time) (residentaccess.Code, bool, error) {
	out, err := c.Store.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &c.Store.Idempotency,
		Key:                       map[string]types.AttributeValue{"pk": S(SignInKey(session))},
		UpdateExpression:          aws.String("SET attempts = attempts - :one"),
		ConditionExpression:       aws.String("attempts > :zero AND expiresAt > :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": N(1), ":zero": N(0), ":now": N(now.Unix())},
		ReturnValues:              types.ReturnValueAllOld})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return residentaccess.Code{}, false, nil
	}
	if err != nil {
		return residentaccess.Code{}, false, fmt.Errorf("sign-in attempt: %w", err)
	}
	var it signInItem
	if err := Unmarshal(out.Attributes, &it); err != nil {
		return residentaccess.Code{}, false, err
	}
	return residentaccess.Code{Session: session, Hash: it.Hash, Contact: it.Contact, Ref: it.Ref, Attempts: it.Attempts,
		Expires: time.Unix(it.Expires, 0)}, true, nil
}

// Use deletes the session's code if it still has hash: a conditional delete, so a code signs in once.
func (c SignInCodes) Use(ctx context.Context, session, hash string) (bool, error) {
	_, err := c.Store.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &c.Store.Idempotency,
		Key:                       map[string]types.AttributeValue{"pk": S(SignInKey(session))},
		ConditionExpression:       aws.String("codeHash = :h"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":h": S(hash)}})
	var failed *types.ConditionalCheckFailedException
	if errors.As(err, &failed) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("sign-in use: %w", err)
	}
	return true, nil
}

// ComplainantKey is the byContact partition of a complainant's email address or phone (by its hashed key,
// residentaccess.KeysOf).
func ComplainantKey(hash string) string { return FindKey("complainant", hash) }

// complaintFindKeys are the find keys of a complaint's contact: the complainant's email address's on the case
// item and their phone's on the contact item (one key per item in the byContact index), sorted by receipt.
func complaintFindKeys(c complaints.Complaint, contact complaints.Contact) (onCase, onContact map[string]types.AttributeValue) {
	sk := S(ReceivedKey(c.ReceivedAt, c.Reference))
	email, phone := residentaccess.KeysOf(contact.Details)
	if email != "" {
		onCase = map[string]types.AttributeValue{AttrContactPK: S(ComplainantKey(email)), AttrContactSK: sk}
	}
	if phone != "" {
		onContact = map[string]types.AttributeValue{AttrContactPK: S(ComplainantKey(phone)), AttrContactSK: sk}
	}
	return onCase, onContact
}

// ContactDirectory finds a resident's records by key in the byContact index (keys only; never a scan), newest
// first: ASB cases by the ASB-7 reporter key (the report's email address, or its phone when it gave no email;
// further reports joined to a case count too) and the reporter's phone (lookups.go), complaints by the
// complainant's email address or phone, and register applications by the applicant's email address or phone.
// FindPostcode finds each kind by a postcode: an ASB case by its reporter's or its location's, a complaint by
// its complainant's, an application by its applicant's.
type ContactDirectory struct{ Store *Store }

var _ residentaccess.Directory = ContactDirectory{}

// directoryLookup is one key query of the directory: the records of one kind under one byContact key.
type directoryLookup struct {
	kind casefile.Kind
	pk   string
}

// Find runs one query per key the contact can be found under (in parallel), at most limit records of each kind.
func (d ContactDirectory) Find(ctx context.Context, c residentaccess.Contact, limit int) ([]residentaccess.Found, error) {
	lookups := []directoryLookup{{casefile.ASB, ReporterKey(c.Key())}, {casefile.Complaint, ComplainantKey(c.Key())}}
	if h := registercases.EmailKey(c.Email()); h != "" {
		lookups = append(lookups, directoryLookup{casefile.Application, FindKey(registercases.FindByEmail, h)})
	}
	if c.Phone() != "" { // the same hash as PhoneHash: the +44 form's
		lookups = append(lookups, directoryLookup{casefile.ASB, LookupKey(casefile.ASB, LookupPhone, c.Key())},
			directoryLookup{casefile.Application, LookupKey(casefile.Application, LookupPhone, c.Key())})
	}
	return d.find(ctx, lookups, limit)
}

// FindPostcode finds the records of each kind under a postcode (normalised and hashed: PostcodeHash), at most
// limit of each kind; nothing for a postcode that is empty.
func (d ContactDirectory) FindPostcode(ctx context.Context, postcode string, limit int) ([]residentaccess.Found, error) {
	h := PostcodeHash(postcode)
	if h == "" {
		return nil, nil
	}
	return d.find(ctx, []directoryLookup{{casefile.ASB, LookupKey(casefile.ASB, LookupPostcode, h)},
		{casefile.Complaint, LookupKey(casefile.Complaint, LookupPostcode, h)},
		{casefile.Application, FindKey(registercases.FindByPostcode, h)}}, limit)
}

// find runs the lookups in parallel, each one query of at most limit keys, and keeps each record once and at
// most limit of each kind, in the order of the lookups.
func (d ContactDirectory) find(ctx context.Context, lookups []directoryLookup, limit int) ([]residentaccess.Found, error) {
	found := make([][]residentaccess.Found, len(lookups))
	errs := make([]error, len(lookups))
	var wg sync.WaitGroup
	for i, l := range lookups {
		wg.Go(func() {
			in := queryInput(d.Store.Cases, catalog.IndexByContact, AttrContactPK+" = :pk", map[string]types.AttributeValue{":pk": S(l.pk)})
			in.ScanIndexForward, in.Limit = aws.Bool(false), aws.Int32(int32(limit))
			out, err := d.Store.DB.Query(ctx, in)
			if err != nil {
				errs[i] = fmt.Errorf("find by contact: %w", err)
				return
			}
			prefix := CaseKey(l.kind, "")
			for _, it := range out.Items {
				if ref, ok := strings.CutPrefix(str(it["pk"]), prefix); ok {
					found[i] = append(found[i], residentaccess.Found{Kind: l.kind, Ref: ref})
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var all []residentaccess.Found
	seen, perKind := map[residentaccess.Found]bool{}, map[casefile.Kind]int{}
	for _, f := range found {
		for _, x := range f {
			if !seen[x] && perKind[x.Kind] < limit {
				seen[x] = true
				perKind[x.Kind]++
				all = append(all, x)
			}
		}
	}
	return all, nil
}
