package dynamo

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/app/residentaccess"
	"github.com/councilhousing/backend/shared/rules/asb"
	"github.com/councilhousing/backend/shared/rules/casefile"
	"github.com/councilhousing/backend/shared/rules/complaints"
	"github.com/councilhousing/backend/shared/rules/contact"
	"github.com/councilhousing/backend/shared/rules/register"
)

// Lookup items: an item of the byContact index carries one key (gsi3pk), and a record's case and contact items
// carry theirs already (the ASB-7 reporter key, a complainant's email and phone, an applicant's postcode and
// email). The other ways staff find a record are small items of their own in the record's partition,
//
//	pk = <KIND>#<reference>   sk = FIND#<field>   gsi3pk = FIND#<KIND>#<field>#<hash>   gsi3sk = <received time>#<ref>
//
// holding the hash of the normalised value and nothing else (no personal text): FIND#postcode (the reporter's,
// complainant's postcode), FIND#phone (an ASB reporter's phone, an applicant's) and, for ASB, FIND#location (the
// postcode of where the behaviour happens, under the same key as a person's postcode). A contact's lookups are
// written in the same transaction as the contact item (Records.ContactLookups), the location's with the case's
// list entries (asbItems); a rectified phone moves them (ContactEditor.Rectify); the anonymiser deletes them with
// the contact (retention.go). They sort after the history, so Load never reads them.
const SKFind = "FIND#"

// Fields of lookup items.
const (
	LookupPostcode = "postcode"
	LookupPhone    = "phone"
	LookupLocation = "location" // an ASB case's location: its sort key; its index key is LookupKey(ASB, LookupPostcode, ...)
)

// LookupKey is the byContact partition of a kind's lookup item: e.g. "FIND#ASB#postcode#<hash>".
func LookupKey(kind casefile.Kind, field, hash string) string {
	return "FIND#" + KindKey(kind) + "#" + field + "#" + hash
}

// PostcodeHash is the hash a postcode is looked up by (registercases.PostcodeKey: upper case, no spaces), for
// every kind; "" for none.
func PostcodeHash(postcode string) string { return registercases.PostcodeKey(postcode) }

// PhoneHash is the hash a phone is looked up by (residentaccess.KeysOf: the +44 form, as the console's find
// and the resident sign-in normalise it); "" for none.
func PhoneHash(phone string) string {
	_, h := residentaccess.KeysOf(contact.Details{Phone: phone})
	return h
}

// lookupItems are a record's lookup items by sort key: one per field given a value (field -> its hash; a field
// without one has no item).
func lookupItems(kind casefile.Kind, ref string, received time.Time, hashes map[string]string) map[string]map[string]types.AttributeValue {
	out := map[string]map[string]types.AttributeValue{}
	for sk, h := range hashes {
		if h == "" {
			continue
		}
		field := sk
		if sk == LookupLocation {
			field = LookupPostcode
		}
		out[SKFind+sk] = map[string]types.AttributeValue{"pk": S(CaseKey(kind, ref)), "sk": S(SKFind + sk),
			AttrContactPK: S(LookupKey(kind, field, h)), AttrContactSK: S(ReceivedKey(received, ref))}
	}
	return out
}

// asbContactLookups: an ASB reporter's postcode and phone (the ASB-7 reporter key is their email when they gave
// one, so a phone needs its own key).
func asbContactLookups(c asb.Case, r asb.Reporter) map[string]map[string]types.AttributeValue {
	return lookupItems(casefile.ASB, c.Reference, c.ReceivedAt, map[string]string{LookupPostcode: PostcodeHash(r.Postcode), LookupPhone: PhoneHash(r.Phone)})
}

// complaintContactLookups: a complainant's postcode (their email and phone are on the case and contact items).
func complaintContactLookups(c complaints.Complaint, ct complaints.Contact) map[string]map[string]types.AttributeValue {
	return lookupItems(casefile.Complaint, c.Reference, c.ReceivedAt, map[string]string{LookupPostcode: PostcodeHash(ct.Postcode)})
}

// applicationContactLookups: an applicant's phone (their postcode and email are on the case and contact items).
func applicationContactLookups(r register.Record, c register.Contact) map[string]map[string]types.AttributeValue {
	return lookupItems(casefile.Application, r.Reference, r.ReceivedAt, map[string]string{LookupPhone: PhoneHash(c.Phone)})
}
