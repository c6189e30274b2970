package dynamo

import (
	"hash/fnv"
	"strconv"
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
//	pk = <KIND>#<reference>      sk = LIST#<filters>        list entries: the case's Summary, one per combination of
//	                                                        its filter values (listing.go); they sort after the history
//	pk = <KIND>#<reference>      sk = NOTIFY#<id>           a notification's delivery lease
//	pk = <KIND>#<reference>      sk = ITEM#<kind>#<id>      a case's items of their own (casework.Item: e.g. an ASB
//	                                                        further incident), bounded, after the history; the id's
//	                                                        number zero-padded (ItemKey), so a kind pages newest first
//	pk = ASB#<reference>         sk = MATCH#<name>          an open ASB case's match keys (ASB-9), gone when it closes
//	pk = <KIND>#<reference>      sk = FIND#<field>          a lookup item: one hashed find key and nothing else (lookups.go):
//	                                                        FIND#postcode (an ASB reporter's, a complainant's), FIND#phone
//	                                                        (an ASB reporter's, an applicant's), FIND#location (an ASB case's
//	                                                        location postcode); written with the contact (or, for the location,
//	                                                        the case) in its transaction, moved by a rectification, deleted
//	                                                        by the anonymiser
//	pk = OUTBOX#<shard>          sk = <time>#<message id>   messages stored with a change, not yet delivered (outbox.go)
//	pk = ONCE#<scope>#<id>       sk = ONCE                  once-only keys (e.g. an out-of-hours call id)
//	pk = COMPLAINTS-REPORT#<year>  sk = SELF-ASSESSMENT     the landlord's section of a year's complaints report (complaints.go)
//	pk = SUBJECT-ACCESS#<ref>    a subject access request (UK GDPR Art 15), a case like the others: CASE, EVENT#, DEADLINE#,
//	                             LIST# (by status), no CONTACT item (subjectaccess.go)
//	pk = DIGEST#<recipient key>  sk = EVENT#...#note#<id> | NOTIFY#<id>   a staff digest's record and lease (notifications.go)
//	pk = VIEWS#<KIND>#<reference>  sk = <London date>#<staff id>   who opened a case in the staff console on a
//	                             day: first and last time and how often (views.go); one item per person a day
//	pk = AUDIT#<London date>#<n>  sk = <time>#<staff id>#<search|report>#<random>   a console search (how, the references
//	                             found by kind and their counts; never what was typed) or report view (which report,
//	                             period, format) (audit.go); n = a hash of the staff id mod AuditShards (4): a day's
//	                             writes spread over 4 partitions, none grows beyond its day; kept, like VIEWS#
//	pk = NOTIFIED#<notification id>  sk = NOTIFIED          where a notification is recorded (its case or digest),
//	                                 sk = RECEIPT#<Notify id>#<status>   and each delivery receipt recorded (receipts.go)
//	pk = RETENTION#<ended key>   sk = SHARD#<n>             where the retention job stopped in an ended list (retention.go)
//	pk = RETENTION-RUN#<year>    sk = <time>#<run id>       the retention job's record of each run (counts, no reference)
//
// Indexes (attribute names):
//
//	lists      gsi1pk = <KIND>#<filters>#<shard>      gsi1sk = <received time>#<ref>   staff lists, monthly/annual reports
//	listsDue   gsi1pk (the same)                      gsi4sk = <earliest due>#<ref>    overdue lists (open cases only)
//	byEvent    gsi2pk = <KIND>#closed#<shard> | REGISTER#<band>#<shard>  gsi2sk = <time>#<ref> | priority key
//	           gsi2pk = EndedKey: <KIND>#closed#<shard> | APPLICATION#housed#<shard>  gsi2sk = <ended time>#<ref>
//	                    | APPLICATION#refused#<shard> | ASB#merged#<shard> (not in the closed list the ASB report reads)
//	                                                  an ended record's LIST#all entry, for the retention job
//	byContact  gsi3pk = REPORTER#<hashed contact>     gsi3sk = <received time>          ASB-7 repeat reporters (keys only)
//	           gsi3pk = MATCH#<hashed match key>      gsi3sk = <received time>#<ref>   an open ASB case with the same problem
//	byEvent    gsi2pk = <KIND>#<dated list>#<shard>   gsi2sk = <time>#<ref>            an item's dated list (ASB#incident)
//	           gsi3pk = FIND#postcode#<hash> (on an application's CASE item) | FIND#email#<hash> (on its CONTACT item)
//	                                                  gsi3sk = <received time>#<ref>   find an application, never a scan
//	           gsi3pk = FIND#complainant#<hash> (a complaint's: its email's on the CASE item, its phone's on the CONTACT item)
//	                                                  gsi3sk = <received time>#<ref>   a resident's complaints (residentaccess.go)
//	           gsi3pk = FIND#<KIND>#postcode#<hash> | FIND#<KIND>#phone#<hash> (on FIND# lookup items: ASB and COMPLAINT
//	                    postcodes, ASB and APPLICATION phones)  gsi3sk = <received time>#<ref>   find by postcode or phone
//	deadlines  duePk  = OPEN#<shard> (DeadlinePK)     dueSk  = <due>#<kind>#<ref>#<name>
//
// Idempotency table (pk; expiresAt is its TTL attribute): besides idempotency keys, webhook ids and markers,
//
//	pk = SESSION#<SHA-256 of the cookie's session id>   a resident page session: "data" (JSON), expiresAt (sessions.go)
//	pk = SIGNIN#<SHA-256 of the session id>             a one-time sign-in code: its hash, attempts left, expiresAt
//	pk = STAFF-SESSION#<SHA-256 of the session id>      a staff console session (the same shape; sessions.go)
//	pk = SIGNIN-COUNT#<contact key>#<hour>              codes sent to one contact in one hour (n), expiresAt (residentaccess.go)
//
// Only list entries (small, fixed-size summaries) carry gsi1, gsi2 and gsi4; case, contact and lookup items carry
// gsi3 alone, and only its hashed keys (a normalised email, phone or postcode is never stored in clear in a key).
// A case's head (CASE, CONTACT, DEADLINE#) sorts before EVENT#, so Load reads it with one bounded query.
const (
	SKCase     = "CASE"
	SKContact  = "CONTACT"
	SKEvent    = "EVENT#"
	SKDeadline = "DEADLINE#"
	SKLease    = "NOTIFY#"
	SKOnce     = "ONCE"

	PKSession = "SESSION#" // resident page sessions in the idempotency table (SessionKey)
	PKSignIn  = "SIGNIN#"  // one-time sign-in codes in the idempotency table (SignInKey)
	// PKStaffSession: staff console sessions in the idempotency table (Sessions.Prefix)
	PKStaffSession = "STAFF-SESSION#"

	PKOutbox = "OUTBOX" // the outbox's partitions are OUTBOX#0 .. OUTBOX#<OutboxShards-1> (OutboxPK)

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

// EndedKey is the byEvent partition (without its shard) of a kind's records that ended with an outcome, sorted by
// when they ended: the retention job's list (retention.go). ASB's closed cases are its closed list; an application
// closed because its applicant was housed has its own list (a longer period), as have an application refused
// (ineligible, not qualifying) and an ASB case merged into another (never in the closed list the report counts).
func EndedKey(kind casefile.Kind, outcome string) string {
	if outcome == "" || outcome == "closed" {
		return ClosedKey(kind)
	}
	return KindKey(kind) + "#" + outcome
}

// BandKey is the byEvent partition of one band of the housing register.
func BandKey(band string) string { return "REGISTER#" + band }

// DatedKey is the byEvent partition (without its shard) of a kind's dated list of items, e.g. "ASB#incident".
func DatedKey(kind casefile.Kind, name string) string { return KindKey(kind) + "#" + name }

// MatchKey is the byContact partition of an open ASB case's match key (by the hash of the normalised key).
func MatchKey(hash string) string { return "MATCH#" + hash }

// SubjectIndexKey is the byContact partition of a person reported on ASB cases (by the hash of asb.SubjectKey).
func SubjectIndexKey(hash string) string { return "SUBJECT#" + hash }

// ReporterKey is the byContact partition of a reporter (by the hash of their normalised contact).
func ReporterKey(hash string) string { return "REPORTER#" + hash }

// SessionKey is the idempotency table key of a resident page session, by the hash of its id.
func SessionKey(idHash string) string { return PKSession + idHash }

// SignInKey is the idempotency table key of a one-time sign-in code, by the hash of its session's id.
func SignInKey(idHash string) string { return PKSignIn + idHash }

// SignInCountKey is the idempotency table key counting the sign-in codes of one contact (by its hashed key) in
// the hour starting at hour.
func SignInCountKey(contactKey string, hour time.Time) string {
	return "SIGNIN-COUNT#" + contactKey + "#" + hour.UTC().Format("2006-01-02T15")
}

// OnceKey is the partition of a once-only key.
func OnceKey(scope, id string) string { return "ONCE#" + scope + "#" + id }

// TimeKey is a time as it sorts in a key: RFC 3339 in UTC with nanoseconds.
func TimeKey(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// ReceivedKey sorts a case by when it was received, then by reference.
func ReceivedKey(at time.Time, ref string) string { return TimeKey(at) + "#" + ref }

// The deadlines index is write-sharded: a deadline's partition is DeadlinesPK + <n> ("OPEN#0".."OPEN#7"), n a hash of
// its case and name, so the open deadlines spread evenly and each shard is sorted by due date; the morning query
// reads every shard in parallel with the same key condition (ReminderTables.DueBy).
//
// DeadlineShards = 8 sustains 8 x DynamoDB's per-partition limits on the index: 8,000 deadline writes a second
// (1,000 WCU a partition; a deadline's index entry is about 260 bytes, 1 WCU) and 24,000 RCU a second of reads
// (3,000 a partition; eventually consistent, 8 KB per RCU: some 95,000 deadlines a second a shard, 760,000 in
// all). The one partition it replaces (duePk = OPEN) sustained 1,000 writes and 3,000 RCU a second. The morning
// run's queries (one per shard, in parallel, 1 MB a page, and one of the former partition) read 633 RCU for
// 20,000 deadlines due (BenchmarkReminderRun), about 80 RCU a shard; with 20 due, 4.5 RCU whatever else is open.
const (
	DeadlinesPK    = catalog.DeadlinesPK
	DeadlineShards = 8
)

// DeadlinePK is the deadlines index partition of a deadline: DeadlinesPK + the FNV-1a hash of its case kind,
// reference and name, modulo DeadlineShards: it depends only on which deadline it is, never on its date.
func DeadlinePK(d casefile.Deadline) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(string(d.CaseKind) + "#" + d.CaseRef + "#" + d.Name))
	return DeadlineShard(int(h.Sum32() % DeadlineShards))
}

// DeadlineShard is the partition key of shard n of the deadlines index.
func DeadlineShard(n int) string { return DeadlinesPK + strconv.Itoa(n) }
