package catalog

// The system's tables, queues and functions. Change them here and both `make synth` and `make run` follow.

const (
	CasesTable       = "cases"
	IdempotencyTable = "idempotency"

	OOHCallsQueue      = "ooh-calls"
	NotificationsQueue = "notifications"
	ReferralsQueue     = "referrals"
)

// Index names on the cases table (single-table design; see shared/dynamo for the key layout).
const (
	IndexByKind     = "byKind"    // gsi1pk = record kind (e.g. ASB), gsi1sk = received time#ref: lists and monthly/annual reports
	IndexByEvent    = "byEvent"   // gsi2pk = kind#event (e.g. ASB#closed, REGISTER#band-A), gsi2sk = time or priority key
	IndexByContact  = "byContact" // gsi3pk = hashed verified contact, gsi3sk = received time (ASB-7)
	IndexDeadlines  = "deadlines" // sparse: only open deadline items carry duePk/dueSk
	DeadlinesPK     = "OPEN"      // the deadlines index's one partition: open deadlines sorted by due date
	defaultHomes    = "12000"     // homes managed (source 002: approximately 12,000), for NM01 and CH01
	staffTeamEmails = `{"asb-officer":"asb-team@council.example","asb-manager":"asb-managers@council.example","complaints-officer":"complaints@council.example","complaints-manager":"complaints-managers@council.example","allocations-officer":"allocations@council.example"}`
)

// Staff groups (Cognito user pool groups).
const (
	GroupASBOfficer         = "asb-officer"
	GroupASBManager         = "asb-manager"
	GroupComplaintsOfficer  = "complaints-officer"
	GroupComplaintsManager  = "complaints-manager"
	GroupAllocationsOfficer = "allocations-officer"
)

// LocalWebhookSecret is the out-of-hours webhook secret `make run` uses unless OOH_WEBHOOK_SECRET is set. It is
// the Standard Webhooks specification's example secret, so examples can be checked by hand; never used in AWS.
const LocalWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// PageTokenKey is the secret that signs a function's pagination tokens, so a tampered or foreign token is
// refused (400) before it reaches DynamoDB. Generated per function by the stack; nobody needs to set it.
var PageTokenKey = Secret{Env: "PAGE_TOKEN_KEY", Description: "Signs this function's pagination tokens (generated; rotate freely: old tokens then answer 400)",
	LocalDefault: "local-page-token-key-not-for-production"}

// LocalNotifyAPIKey is the GOV.UK Notify key the local cloud's Notify stand-in accepts (name-serviceid-secret).
const LocalNotifyAPIKey = "local-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"

// System is the catalog of this back end.
func System() Catalog {
	return Catalog{Tables: tables(), Queues: queues(), Functions: functions()}
}

func tables() []Table {
	return []Table{
		{
			Name: CasesTable, PartitionKey: "pk", SortKey: "sk",
			Purpose: "Single table: register applications, ASB cases, complaints, their timelines and open deadlines.",
			GSIs: []GSI{
				{Name: IndexByKind, PartitionKey: "gsi1pk", SortKey: "gsi1sk", Purpose: "records of one kind by time received"},
				{Name: IndexByEvent, PartitionKey: "gsi2pk", SortKey: "gsi2sk", Purpose: "records by an event or priority (closed by date, register priority list)"},
				{Name: IndexByContact, PartitionKey: "gsi3pk", SortKey: "gsi3sk", Purpose: "reports by the same verified contact (ASB-7)"},
				{Name: IndexDeadlines, PartitionKey: "duePk", SortKey: "dueSk", Purpose: "open deadlines by due date (sparse)"},
			},
		},
		{
			Name: IdempotencyTable, PartitionKey: "pk", TTLAttribute: "expiresAt",
			Purpose: "Idempotency keys, webhook ids and reminder markers, expiring by TTL.",
		},
	}
}

func queues() []Queue {
	return []Queue{
		{Name: OOHCallsQueue, MaxReceiveCount: 3, Purpose: "Out-of-hours calls accepted by the webhook, waiting to become ASB cases (ASB-10)."},
		{Name: NotificationsQueue, MaxReceiveCount: 3, Purpose: "Emails and texts to residents and officers, sent through GOV.UK Notify."},
		{Name: ReferralsQueue, MaxReceiveCount: 3, Purpose: "Partner and safeguarding referrals (ASB-6) for the partner teams' systems to collect."},
	}
}

var asbStaff = []string{GroupASBOfficer, GroupASBManager}
var complaintsStaff = []string{GroupComplaintsOfficer, GroupComplaintsManager}
var allocationsStaff = []string{GroupAllocationsOfficer}

func staff(method, path string, groups ...string) Route {
	return Route{Method: method, Path: path, Auth: Staff, Groups: groups}
}

func functions() []Function {
	return []Function{
		{
			Name: "asb-report", Description: "ASB reports from the public and ASB case management (RULES ASB)",
			MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 2,
			Routes: []Route{
				{Method: "POST", Path: "/asb/reports", Auth: Public},
				{Method: "GET", Path: "/asb/reports/{reference}", Auth: Resident},
				staff("GET", "/asb/cases", asbStaff...),
				staff("GET", "/asb/cases/{reference}", asbStaff...),
				staff("POST", "/asb/cases/{reference}/acknowledgement", asbStaff...),
				staff("POST", "/asb/cases/{reference}/assignment", asbStaff...),
				staff("POST", "/asb/cases/{reference}/appointment", asbStaff...),
				staff("POST", "/asb/cases/{reference}/risk-assessment", asbStaff...),
				staff("POST", "/asb/cases/{reference}/actions", asbStaff...),
				staff("POST", "/asb/cases/{reference}/actions/{actionId}/completion", asbStaff...),
				staff("POST", "/asb/cases/{reference}/contacts", asbStaff...),
				staff("POST", "/asb/cases/{reference}/closure", asbStaff...),
				staff("POST", "/asb/cases/{reference}/reopening", asbStaff...),
				staff("GET", "/reports/asb", GroupASBManager),
			},
			Env:     map[string]string{"HOMES_COUNT": defaultHomes},
			Secrets: []Secret{PageTokenKey},
			Tables:  map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
			SendsTo: []string{ReferralsQueue, NotificationsQueue},
		},
		{
			Name: "ooh-intake", Description: "Out-of-hours line webhook: verify the signature, queue the call (ASB-10)",
			MemoryMB: 128, TimeoutSec: 5, LocalConcurrency: 2,
			Routes:  []Route{{Method: "POST", Path: "/webhooks/out-of-hours", Auth: Webhook}},
			Secrets: []Secret{{Env: "OOH_WEBHOOK_SECRET", Description: "Standard Webhooks signing secret shared with the answering service", LocalDefault: LocalWebhookSecret}},
			Tables:  map[string]Access{IdempotencyTable: ReadWrite},
			SendsTo: []string{OOHCallsQueue},
		},
		{
			Name: "ooh-processor", Description: "Turns queued out-of-hours calls into ASB cases timed from the call (ASB-10)",
			MemoryMB: 256, TimeoutSec: 20, LocalConcurrency: 1,
			Queue:   &QueueTrigger{Queue: OOHCallsQueue, BatchSize: 10, MaxConcurrency: 2},
			Tables:  map[string]Access{CasesTable: ReadWrite},
			SendsTo: []string{ReferralsQueue, NotificationsQueue},
		},
		{
			Name: "complaint-escalation", Description: "Complaints under the Housing Ombudsman's Complaint Handling Code (RULES CH)",
			MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 2,
			Routes: []Route{
				{Method: "POST", Path: "/complaints", Auth: Public},
				{Method: "GET", Path: "/complaints/{reference}", Auth: Resident},
				{Method: "POST", Path: "/complaints/{reference}/escalation", Auth: Resident},
				staff("GET", "/complaints", complaintsStaff...),
				staff("GET", "/complaints/{reference}/record", complaintsStaff...),
				staff("POST", "/complaints/{reference}/acknowledgement", complaintsStaff...),
				staff("POST", "/complaints/{reference}/extension", complaintsStaff...),
				staff("POST", "/complaints/{reference}/response", complaintsStaff...),
				staff("POST", "/complaints/{reference}/refusal", complaintsStaff...),
				staff("POST", "/complaints/{reference}/service-request", complaintsStaff...),
				staff("POST", "/complaints/{reference}/related-points", complaintsStaff...),
				staff("GET", "/reports/complaints", GroupComplaintsManager),
			},
			Env:     map[string]string{"HOMES_COUNT": defaultHomes},
			Secrets: []Secret{PageTokenKey},
			Tables:  map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
			SendsTo: []string{NotificationsQueue},
		},
		{
			Name: "register-application", Description: "Housing register eligibility, applications and banding with reasons (RULES HR)",
			MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 2,
			Routes: []Route{
				{Method: "POST", Path: "/register/eligibility", Auth: Public},
				{Method: "POST", Path: "/register/applications", Auth: Public},
				{Method: "GET", Path: "/register/applications/{reference}", Auth: Resident},
				staff("GET", "/register/applications/{reference}/record", allocationsStaff...),
				staff("POST", "/register/applications/{reference}/medical-award", allocationsStaff...),
				staff("POST", "/register/applications/{reference}/offers", allocationsStaff...),
				staff("POST", "/register/applications/{reference}/debt", allocationsStaff...),
				staff("POST", "/register/applications/{reference}/verification", allocationsStaff...),
				staff("GET", "/register/priority-list", allocationsStaff...),
			},
			Secrets: []Secret{PageTokenKey},
			Tables:  map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
			SendsTo: []string{NotificationsQueue},
		},
		{
			Name: "deadline-reminders", Description: "Weekday 07:00 reminders of deadlines due soon, due today and overdue",
			MemoryMB: 256, TimeoutSec: 60, LocalConcurrency: 1,
			Schedules: []Schedule{{Name: "deadline-reminders-weekday-morning", Cron: "cron(0 7 ? * MON-FRI *)"}},
			Env:       map[string]string{"TEAM_MAILBOXES": staffTeamEmails},
			Tables:    map[string]Access{CasesTable: Read, IdempotencyTable: ReadWrite},
			SendsTo:   []string{NotificationsQueue},
		},
		{
			Name: "outbox-relay", Description: "Re-delivers queued messages whose first delivery failed (transactional outbox)",
			MemoryMB: 128, TimeoutSec: 60, LocalConcurrency: 1,
			Schedules: []Schedule{{Name: "outbox-relay-every-5-minutes", Cron: "cron(0/5 * * * ? *)"}},
			Tables:    map[string]Access{CasesTable: ReadWrite},
			SendsTo:   []string{ReferralsQueue, NotificationsQueue},
		},
		{
			Name: "notifier", Description: "Sends emails and texts through GOV.UK Notify and records them on the case timeline",
			MemoryMB: 256, TimeoutSec: 30, LocalConcurrency: 1,
			Queue: &QueueTrigger{Queue: NotificationsQueue, BatchSize: 10, MaxConcurrency: 2},
			Env: map[string]string{
				"NOTIFY_BASE_URL":  "https://api.notifications.service.gov.uk",
				"NOTIFY_TEMPLATES": "{}", // template name[.language].channel -> Notify template id, set per deployment
			},
			LocalEnv: map[string]string{"NOTIFY_BASE_URL": "{{LOCAL_URL}}/_local/notify"},
			Secrets:  []Secret{{Env: "NOTIFY_API_KEY", Description: "GOV.UK Notify API key (name-serviceid-secret)", LocalDefault: LocalNotifyAPIKey}},
			Tables:   map[string]Access{CasesTable: ReadWrite},
		},
	}
}
