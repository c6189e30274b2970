package dynamo

import (
	"strings"
	"time"

	"github.com/councilhousing/backend/shared/catalog"
	"github.com/councilhousing/backend/shared/rules/casefile"
)

// The single-table design, defined here once. Table and index names come from the catalog (shared/catalog),
// which the CDK stack and the local cloud also read.
//
// Cases table (pk, sk):
//
//	pk = <KIND>#<reference>      sk = CASE                  the case ("data"), "version", "tokenHash", index keys
//	pk = <KIND>#<reference>      sk = CONTACT               contact.Details at the top level, plus the kind's extras
//	pk = <KIND>#<reference>      sk = EVENT#<time>#<n>      timeline entries (CH-9, HR-D)
//	pk = <KIND>#<reference>      sk = DEADLINE#<name>       open deadlines, in the sparse deadlines index
//	pk = <KIND>#<reference>      sk = NOTIFY#<id>           a notification's delivery lease
//	pk = OUTBOX                  sk = <time>#<message id>   messages stored with a change, not yet delivered
//	pk = ONCE#<scope>#<id>       sk = ONCE                  once-only keys (e.g. an out-of-hours call id)
//
// Indexes (attribute names):
//
//	byKind     gsi1pk = ListKey(kind)                 gsi1sk = <received time>#<ref>   lists, monthly/annual reports
//	byEvent    gsi2pk = <KIND>#closed | REGISTER#<band>  gsi2sk = <time>#<ref> | priority key
//	byContact  gsi3pk = REPORTER#<hashed contact>     gsi3sk = <received time>          ASB-7 repeat reporters
//	deadlines  duePk  = OPEN                          dueSk  = <due>#<kind>#<ref>#<name>
const (
	SKCase     = "CASE"
	SKContact  = "CONTACT"
	SKEvent    = "EVENT#"
	SKDeadline = "DEADLINE#"
	SKLease    = "NOTIFY#"
	SKOnce     = "ONCE"

	PKOutbox = "OUTBOX"

	AttrKindPK, AttrKindSK       = "gsi1pk", "gsi1sk"
	AttrEventPK, AttrEventSK     = "gsi2pk", "gsi2sk"
	AttrContactPK, AttrContactSK = "gsi3pk", "gsi3sk"
	AttrDuePK, AttrDueSK         = "duePk", "dueSk"
)

// CaseKey is the partition key of a case: e.g. "ASB#ASB-7K3M-9QXD".
func CaseKey(kind casefile.Kind, ref string) string { return KindKey(kind) + "#" + ref }

// KindKey is a kind's key in the byKind index and its prefix elsewhere: "ASB", "COMPLAINT", "APPLICATION".
func KindKey(kind casefile.Kind) string { return strings.ToUpper(string(kind)) }

// ClosedKey is the byEvent partition of a kind's closed cases.
func ClosedKey(kind casefile.Kind) string { return KindKey(kind) + "#closed" }

// BandKey is the byEvent partition of one band of the housing register.
func BandKey(band string) string { return "REGISTER#" + band }

// ReporterKey is the byContact partition of a reporter (by the hash of their normalised contact).
func ReporterKey(hash string) string { return "REPORTER#" + hash }

// OnceKey is the partition of a once-only key.
func OnceKey(scope, id string) string { return "ONCE#" + scope + "#" + id }

// TimeKey is a time as it sorts in a key: RFC 3339 in UTC with nanoseconds.
func TimeKey(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// ReceivedKey sorts a case by when it was received, then by reference.
func ReceivedKey(at time.Time, ref string) string { return TimeKey(at) + "#" + ref }

// DeadlinesPK is the deadlines index's one partition: open deadlines sorted by due date.
const DeadlinesPK = catalog.DeadlinesPK
