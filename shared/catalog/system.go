package catalog

import "slices"

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
	IndexLists     = "lists"     // list entries: gsi1pk = kind#filter values#shard, gsi1sk = received time#ref: staff lists, reports
	IndexListsDue  = "listsDue"  // the same entries by earliest open deadline: gsi1pk, gsi4sk = due date#ref (overdue lists)
	IndexByEvent   = "byEvent"   // unfiltered list entries: gsi2pk = kind#event#shard (ASB#closed, REGISTER#band-A), gsi2sk = time or priority
	IndexByContact = "byContact" // gsi3pk = hashed verified contact (ASB-7) or a find key (an application's FIND#email|postcode#hash, a complainant's FIND#complainant#hash), gsi3sk = received time
	IndexDeadlines = "deadlines" // sparse: only open deadline items carry duePk/dueSk
	DeadlinesPK    = "OPEN#"     // prefix of the deadlines index's write shards, OPEN#<n>: open deadlines sorted by due date
)

// Staff groups (Cognito user pool groups).
const (
	GroupASBOfficer         = "asb-officer"
	GroupASBManager         = "asb-manager"
	GroupComplaintsOfficer  = "complaints-officer"
	GroupComplaintsManager  = "complaints-manager"
	GroupAllocationsOfficer = "allocations-officer"
	// GroupHousingSolutionsManager decides reviews of reduced priority on the housing register (source 001: the
	// Housing Solutions Manager, with the Social Welfare Panel); the register's rules name the same team
	// (register.ManagerTeam).
	GroupHousingSolutionsManager = "housing-solutions-manager"
	// GroupInformationGovernance handles subject access requests (UK GDPR Art 15): the data protection officer's
	// team, the only staff who see every record about a person at once (subjectaccess.Group).
	GroupInformationGovernance = "information-governance"
)

// SubjectAccessFunction serves the information governance team's subject access requests.
const SubjectAccessFunction = "subject-access"

// RetentionJobFunction is the daily retention job (UK GDPR Art 5(1)(e)).
const RetentionJobFunction = "retention-job"

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
	return Catalog{Tables: tables(), Queues: queues(), Functions: functions(), Settings: settings()}
}

// Deployment settings: what a council gives for its own deployment (infra/config/example.json shows every one).
// The values live in the configuration file, never here: `make deploy` refuses placeholders and example
// addresses, and says which setting is missing.
var (
	AlarmEmail = Setting{Name: "alarmEmail", Env: "ALARM_EMAIL", Kind: Email,
		Description: "Mailbox that receives every CloudWatch alarm of the service (SNS email subscription: confirm the first email)"}
	HomesCount = Setting{Name: "homesCount", Env: "HOMES_COUNT", Kind: Count,
		Description: "Homes managed, the denominator of the complaints and ASB measures per 1,000 homes (NM01, CH01)"}
	LandlordName = Setting{Name: "landlord.name", Env: "LANDLORD_NAME", Kind: Text,
		Description: "The landlord's name as residents know it, for letters and messages"}
	LandlordAddress = Setting{Name: "landlord.address", Env: "LANDLORD_ADDRESS", Kind: Text,
		Description: "The landlord's postal address for residents' correspondence"}
	LandlordPhone = Setting{Name: "landlord.phone", Env: "LANDLORD_PHONE", Kind: Phone,
		Description: "The landlord's phone number for residents"}
	LandlordEmail = Setting{Name: "landlord.email", Env: "LANDLORD_EMAIL", Kind: Email,
		Description: "The landlord's email address for residents"}
	TeamMailboxes = Setting{Name: "mailboxes.teams", Env: "TEAM_MAILBOXES", Kind: Mailboxes,
		Description: "Shared mailbox of each staff group (and optionally of officer ids) for deadline reminders",
		RequiredKeys: []string{GroupASBOfficer, GroupASBManager, GroupComplaintsOfficer, GroupComplaintsManager, GroupAllocationsOfficer,
			GroupHousingSolutionsManager, GroupInformationGovernance}}
	DutyOfficerMailbox = Setting{Name: "mailboxes.dutyOfficer", Env: "DUTY_OFFICER_MAILBOX", Kind: Email,
		Description: "The duty officer's mailbox: an immediate alert of every high-risk or crime-in-progress ASB report, at any hour (ASB-4, ASB-6)"}
	DutyOfficerPhone = Setting{Name: "mailboxes.dutyOfficerPhone", Env: "DUTY_OFFICER_PHONE", Kind: Mobile,
		Description: "The duty officer's mobile: the same immediate alert by text, so it is seen at night and at weekends (ASB-4, ASB-6)"}
	PartnerMailboxes = Setting{Name: "mailboxes.partners", Env: "PARTNER_MAILBOXES", Kind: Mailboxes,
		Description:  "Mailbox of each ASB-6 referral kind: the council partner (hate incidents) and safeguarding",
		RequiredKeys: []string{"partner", "safeguarding"}}
	NotifyTemplates = Setting{Name: "notifyTemplates", Env: "NOTIFY_TEMPLATES", Kind: Templates,
		Description: "GOV.UK Notify template id of each template, channel and (optionally) language: " +
			`"<template>.<channel>" or "<template>.<language>.<channel>" (English is the fallback)`,
		RequiredKeys: notifyTemplateKeys}
	SiteURL = Setting{Name: "site.url", Env: "SITE_URL", Kind: Text,
		Description: "The site's address (https://, the council domain attached to the CloudFront distribution): the staff console's sign-in callback and sign-out URLs are on it"}
	RetentionASBCaseClosed = Setting{Name: "retention.asbCaseClosed", Env: "RETENTION_ASB_CASE_CLOSED", Kind: Period, Default: "P6Y",
		Description: "How long a closed ASB case's personal data is kept after closure (and a case merged into another, after its merge: its own retention entry, outcome merged)",
		Reason:      "Limitation Act 1980: claims about how a case was handled (negligence, injunction or possession proceedings) can be brought for six years"}
	RetentionComplaintClosed = Setting{Name: "retention.complaintClosed", Env: "RETENTION_COMPLAINT_CLOSED", Kind: Period, Default: "P6Y",
		Description: "How long a closed complaint's personal data is kept after the final response",
		Reason:      "Limitation Act 1980 (six years for claims); covers the Housing Ombudsman's 12-month window and the annual self-assessment (CH-10)"}
	RetentionApplicationClosed = Setting{Name: "retention.applicationClosed", Env: "RETENTION_APPLICATION_CLOSED", Kind: Period, Default: "P2Y",
		Description: "How long a register application closed without housing (withdrawn, cancelled, refused) is kept (and one decided ineligible or not qualifying, after that decision: its own retention entry, outcome refused)",
		Reason:      "Covers a review of the decision (Housing Act 1996 s.166A(9)), a complaint to the Ombudsman and a judicial review"}
	RetentionApplicationHoused = Setting{Name: "retention.applicationHoused", Env: "RETENTION_APPLICATION_HOUSED", Kind: Period, Default: "P6Y",
		Description: "How long a register application that ended in an offer accepted is kept after the tenancy started",
		Reason:      "The allocation can be challenged for six years (Limitation Act 1980); the tenancy file keeps what the tenancy needs"}
)

func settings() []Setting {
	return []Setting{AlarmEmail, HomesCount, LandlordName, LandlordAddress, LandlordPhone, LandlordEmail,
		TeamMailboxes, DutyOfficerMailbox, DutyOfficerPhone, PartnerMailboxes, NotifyTemplates, SiteURL,
		RetentionASBCaseClosed, RetentionComplaintClosed, RetentionApplicationClosed, RetentionApplicationHoused}
}

// notifyTemplateKeys are the Notify templates a deployment must map: every message a resident may receive, by
// email and by text, the staff reminder digest, by email (staff are reached by email only), the duty officer's
// immediate alert, by email and text (ASB-4, ASB-6), a resident's sign-in code, by email or text (to the contact they
// typed: never by post), and each kind of ASB-6 referral, by email to its partner
// mailbox. The names are shared/app/notification's and shared/app/referralsender's; the catalog test keeps the
// lists in step. Written out, so they are static data rather than built at every cold start (issue 10).
var notifyTemplateKeys = []string{
	"asb-report-received.email", "asb-report-received.sms",
	"complaint-received.email", "complaint-received.sms",
	"complaint-escalated.email", "complaint-escalated.sms",
	"complaint-letter.email", "complaint-letter.sms",
	"application-decision.email", "application-decision.sms",
	"emergency-two-weeks-left.email", "emergency-two-weeks-left.sms",
	"asb-duty-alert.email", "asb-duty-alert.sms",
	"resident-sign-in-code.email", "resident-sign-in-code.sms",
	"asb-appointment.email", "asb-appointment.sms",
	"asb-action-plan.email", "asb-action-plan.sms",
	"asb-review.email", "asb-review.sms",
	"asb-case-review-outcome.email", "asb-case-review-outcome.sms",
	"asb-case-closed.email", "asb-case-closed.sms",
	"asb-referral-partner.email", "asb-referral-safeguarding.email", // one per referral kind
	// residents who prefer post: a letter through Notify's letter API (staff and partners are never written to by post)
	"asb-report-received.letter", "complaint-received.letter", "complaint-escalated.letter", "complaint-letter.letter", "application-decision.letter", "emergency-two-weeks-left.letter", "asb-appointment.letter", "asb-action-plan.letter", "asb-review.letter", "asb-case-review-outcome.letter", "asb-case-closed.letter",
	"reminder-digest.email", // one digest a day to each staff address
}

func tables() []Table {
	return []Table{
		{
			Name: CasesTable, PartitionKey: "pk", SortKey: "sk",
			Purpose: "Single table: register applications, ASB cases, complaints, their timelines and open deadlines.",
			GSIs: []GSI{
				{Name: IndexLists, PartitionKey: "gsi1pk", SortKey: "gsi1sk", Purpose: "list entries by kind and filter values, newest first (sharded)"},
				{Name: IndexListsDue, PartitionKey: "gsi1pk", SortKey: "gsi4sk", Purpose: "the same list entries by earliest open deadline (overdue lists)"},
				{Name: IndexByEvent, PartitionKey: "gsi2pk", SortKey: "gsi2sk", Purpose: "list entries by an event or priority (closed by date, register priority list; sharded)"},
				{Name: IndexByContact, PartitionKey: "gsi3pk", SortKey: "gsi3sk", Purpose: "reports by the same verified contact (ASB-7): counted, so keys only", KeysOnly: true},
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
		{Name: OOHCallsQueue, MaxReceiveCount: 3, MaxAgeMinutes: 15, Purpose: "Out-of-hours calls accepted by the webhook, waiting to become ASB cases (ASB-10)."},
		{Name: NotificationsQueue, MaxReceiveCount: 3, MaxAgeMinutes: 30, Purpose: "Emails and texts to residents and officers, sent through GOV.UK Notify."},
		// a referral is for safeguarding or a hate incident: the partner teams must have it within 15 minutes
		{Name: ReferralsQueue, MaxReceiveCount: 3, MaxAgeMinutes: 15, Purpose: "Partner and safeguarding referrals (ASB-6), emailed " +
			"through GOV.UK Notify by referral-sender: someone may be at risk, so phone the safeguarding team or the council partner now."},
	}
}

var asbStaff = []string{GroupASBOfficer, GroupASBManager}
var complaintsStaff = []string{GroupComplaintsOfficer, GroupComplaintsManager}
var allocationsStaff = []string{GroupAllocationsOfficer}

// registerReaders read applications: the allocations officers and the Housing Solutions Manager.
var registerReaders = []string{GroupAllocationsOfficer, GroupHousingSolutionsManager}

// ResidentWebFunction serves the resident pages (GET / is its start page).
const ResidentWebFunction = "resident-web"

// residentPages are the resident pages' routes: the start page, each journey's pages (GET shows a page, POST
// answers it) and the help pages. {page} is a page of the journey; an unknown one is a 404 page.
var residentPageRoutes = []Route{
	{Method: "GET", Path: "/", Auth: Public, Page: true},
	{Method: "GET", Path: "/report-asb/{page}", Auth: Public, Page: true}, {Method: "POST", Path: "/report-asb/{page}", Auth: Public, Page: true},
	{Method: "GET", Path: "/complain/{page}", Auth: Public, Page: true}, {Method: "POST", Path: "/complain/{page}", Auth: Public, Page: true},
	{Method: "GET", Path: "/apply/{page}", Auth: Public, Page: true}, {Method: "POST", Path: "/apply/{page}", Auth: Public, Page: true},
	{Method: "GET", Path: "/progress/{page}", Auth: Public, Page: true}, {Method: "POST", Path: "/progress/{page}", Auth: Public, Page: true},
	{Method: "GET", Path: "/help/{page}", Auth: Public, Page: true},
}

// StaffWebFunction serves the staff console (GET /staff is the signed-in officer's work queue).
const StaffWebFunction = "staff-web"

// LocalStaffClientID is the console's client id at the local cloud's OpenID provider stand-in.
const LocalStaffClientID = "local-staff-console"

// staffPages are the staff console's routes: sign-in (to the provider and back), sign-out, the work queue, find,
// and each case kind's page with its actions as forms. They are page routes (public at the gateway): the
// console keeps its own sessions, and each page and action is allowed only to the groups of the JSON route it
// mirrors (shared/transport/staffweb).
var staffPageRoutes = []Route{
	{Method: "GET", Path: "/staff", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/sign-in", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/callback", Auth: Public, Page: true},
	{Method: "POST", Path: "/staff/sign-out", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/signed-out", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/find", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/complaints/{reference}", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/log-complaint", Auth: Public, Page: true},
	{Method: "POST", Path: "/staff/log-complaint", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/complaints/{reference}/{action}", Auth: Public, Page: true},
	{Method: "POST", Path: "/staff/complaints/{reference}/{action}", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/applications/{reference}", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/applications/{reference}/{action}", Auth: Public, Page: true},
	{Method: "POST", Path: "/staff/applications/{reference}/{action}", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/asb/{reference}", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/asb/{reference}/{action}", Auth: Public, Page: true},
	{Method: "POST", Path: "/staff/asb/{reference}/{action}", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/reports", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/reports/asb", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/reports/complaints", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/reports/register", Auth: Public, Page: true},
	{Method: "GET", Path: "/staff/reports/complaints/self-assessment", Auth: Public, Page: true},
	{Method: "POST", Path: "/staff/reports/complaints/self-assessment", Auth: Public, Page: true},
}

// functionTable is the system's functions: written as literals of constants (no helper calls), so the compiler
// lays it out as static data and a cold start builds nothing (issue 10). Read only: functions copies it.
var functionTable = []Function{
	{
		Name: "asb-report", Description: "ASB reports from the public and ASB case management (RULES ASB)",
		MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 2,
		Routes: []Route{
			{Method: "POST", Path: "/asb/reports", Auth: Public},
			{Method: "GET", Path: "/asb/reports/{reference}", Auth: Resident},
			{Method: "GET", Path: "/asb/cases", Auth: Staff, Groups: asbStaff},
			{Method: "GET", Path: "/asb/cases/{reference}", Auth: Staff, Groups: asbStaff},
			{Method: "GET", Path: "/asb/cases/{reference}/timeline", Auth: Staff, Groups: asbStaff},
			// a case's casework records, each kind read by key in its partition, newest first (issue 13)
			{Method: "GET", Path: "/asb/cases/{reference}/subjects", Auth: Staff, Groups: asbStaff},
			{Method: "GET", Path: "/asb/cases/{reference}/witnesses", Auth: Staff, Groups: asbStaff},
			{Method: "GET", Path: "/asb/cases/{reference}/evidence", Auth: Staff, Groups: asbStaff},
			{Method: "GET", Path: "/asb/cases/{reference}/costs", Auth: Staff, Groups: asbStaff},
			{Method: "GET", Path: "/asb/cases/{reference}/diary", Auth: Staff, Groups: asbStaff},
			{Method: "GET", Path: "/asb/cases/{reference}/incidents", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/acknowledgement", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/assignment", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/appointment", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/risk-assessment", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/actions", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/actions/{actionId}/completion", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/contacts", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/closure", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/reopening", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/merger", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/reclassification", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/incidents/{incidentId}/unlinking", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/reports/{reference}/case-review", Auth: Resident},
			{Method: "POST", Path: "/asb/cases/{reference}/case-review/outcome", Auth: Staff, Groups: []string{GroupASBManager}},
			{Method: "POST", Path: "/asb/cases/{reference}/action-plan/agreement", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/reports/{reference}/satisfaction", Auth: Resident},
			{Method: "POST", Path: "/asb/cases/{reference}/subjects", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/witnesses", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/evidence", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/cases/{reference}/costs", Auth: Staff, Groups: asbStaff},
			{Method: "POST", Path: "/asb/reports/{reference}/diary", Auth: Resident},
			{Method: "GET", Path: "/reports/asb", Auth: Staff, Groups: []string{GroupASBManager}},
		},
		Settings: []Setting{HomesCount, DutyOfficerMailbox, DutyOfficerPhone},
		Secrets:  []Secret{PageTokenKey},
		Tables:   map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
		SendsTo:  []string{ReferralsQueue, NotificationsQueue},
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
		Queue:    &QueueTrigger{Queue: OOHCallsQueue, BatchSize: 10, MaxConcurrency: 2},
		Settings: []Setting{DutyOfficerMailbox, DutyOfficerPhone},
		Tables:   map[string]Access{CasesTable: ReadWrite},
		SendsTo:  []string{ReferralsQueue, NotificationsQueue},
	},
	{
		Name: "complaint-escalation", Description: "Complaints under the Housing Ombudsman's Complaint Handling Code (RULES CH)",
		MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 2,
		Routes: []Route{
			{Method: "POST", Path: "/complaints", Auth: Public},
			{Method: "GET", Path: "/complaints/{reference}", Auth: Resident},
			{Method: "POST", Path: "/complaints/{reference}/escalation", Auth: Resident},
			{Method: "GET", Path: "/complaints", Auth: Staff, Groups: complaintsStaff},
			{Method: "GET", Path: "/complaints/{reference}/record", Auth: Staff, Groups: complaintsStaff},
			{Method: "GET", Path: "/complaints/{reference}/timeline", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/acknowledgement", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/extension", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/response", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/refusal", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/service-request", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/related-points", Auth: Staff, Groups: complaintsStaff},
			{Method: "GET", Path: "/reports/complaints", Auth: Staff, Groups: []string{GroupComplaintsManager}},
			{Method: "POST", Path: "/complaints/logged", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/escalation-on-behalf", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/clarification", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/clarification-answer", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/actions/{actionId}/completion", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/adjustments", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/restriction", Auth: Staff, Groups: []string{GroupComplaintsManager}},
			{Method: "POST", Path: "/complaints/{reference}/service-request/completion", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/keep-informed", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/complaints/{reference}/letters/{letterNumber}/sent-in-format", Auth: Staff, Groups: complaintsStaff},
			{Method: "POST", Path: "/reports/complaints/self-assessment", Auth: Staff, Groups: []string{GroupComplaintsManager}},
		},
		Settings: []Setting{HomesCount, LandlordName, LandlordAddress, LandlordPhone, LandlordEmail},
		Secrets:  []Secret{PageTokenKey},
		Tables:   map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
		SendsTo:  []string{NotificationsQueue},
	},
	{
		Name: "register-application", Description: "Housing register eligibility, applications and banding with reasons (RULES HR)",
		MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 2,
		Routes: []Route{
			{Method: "POST", Path: "/register/eligibility", Auth: Public},
			{Method: "POST", Path: "/register/applications", Auth: Public},
			{Method: "GET", Path: "/register/applications/{reference}", Auth: Resident},
			{Method: "POST", Path: "/register/applications/{reference}/circumstances", Auth: Resident},
			{Method: "POST", Path: "/register/applications/{reference}/review-request", Auth: Resident},
			{Method: "GET", Path: "/register/applications", Auth: Staff, Groups: registerReaders},
			{Method: "GET", Path: "/register/applications/{reference}/record", Auth: Staff, Groups: registerReaders},
			{Method: "GET", Path: "/register/applications/{reference}/timeline", Auth: Staff, Groups: registerReaders},
			{Method: "POST", Path: "/register/applications/{reference}/claims", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/decisions", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/medical-award", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/debt", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/unacceptable-behaviour", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/debt-exceptions", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/removal", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/closure", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/assignment", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/offers", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/statutory-review", Auth: Staff, Groups: allocationsStaff},
			{Method: "POST", Path: "/register/applications/{reference}/review-decision", Auth: Staff, Groups: []string{GroupHousingSolutionsManager}},
			{Method: "GET", Path: "/register/priority-list", Auth: Staff, Groups: allocationsStaff},
			{Method: "GET", Path: "/reports/register", Auth: Staff, Groups: registerReaders},
		},
		Secrets: []Secret{PageTokenKey},
		Tables:  map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
		SendsTo: []string{NotificationsQueue},
	},
	{
		Name: "deadline-reminders", Description: "Weekday 07:00 reminders of deadlines due soon, due today and overdue",
		MemoryMB: 256, TimeoutSec: 60, LocalConcurrency: 1,
		Schedules: []Schedule{{Name: "deadline-reminders-weekday-morning", Cron: "cron(0 7 ? * MON-FRI *)"}},
		Settings:  []Setting{TeamMailboxes},
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
		Queue:    &QueueTrigger{Queue: NotificationsQueue, BatchSize: 10, MaxConcurrency: 2},
		Env:      map[string]string{"NOTIFY_BASE_URL": "https://api.notifications.service.gov.uk"},
		Settings: []Setting{NotifyTemplates},
		LocalEnv: map[string]string{"NOTIFY_BASE_URL": "{{LOCAL_URL}}/_local/notify"},
		Secrets:  []Secret{{Env: "NOTIFY_API_KEY", Description: "GOV.UK Notify API key (name-serviceid-secret)", LocalDefault: LocalNotifyAPIKey}},
		Tables:   map[string]Access{CasesTable: ReadWrite},
	},
	{
		// its own Notify API key (a second key of the same Notify service), so either can be revoked alone
		Name: "referral-sender", Description: "Emails ASB-6 referrals to the partner and safeguarding mailboxes through GOV.UK Notify and records them on the case timeline",
		MemoryMB: 256, TimeoutSec: 30, LocalConcurrency: 1,
		Queue:    &QueueTrigger{Queue: ReferralsQueue, BatchSize: 10, MaxConcurrency: 2},
		Env:      map[string]string{"NOTIFY_BASE_URL": "https://api.notifications.service.gov.uk"},
		Settings: []Setting{PartnerMailboxes, TeamMailboxes, NotifyTemplates},
		LocalEnv: map[string]string{"NOTIFY_BASE_URL": "{{LOCAL_URL}}/_local/notify"},
		Secrets:  []Secret{{Env: "NOTIFY_API_KEY", Description: "GOV.UK Notify API key for referrals (name-serviceid-secret)", LocalDefault: LocalNotifyAPIKey}},
		Tables:   map[string]Access{CasesTable: ReadWrite},
	},
	{
		// the resident pages: thin HTML transports over the same application services as the JSON API
		Name: ResidentWebFunction, Description: "Resident pages: report ASB, make a complaint, apply to the housing register, check progress",
		MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 2,
		Routes: residentPageRoutes,
		Settings: []Setting{LandlordName, LandlordAddress, LandlordPhone, LandlordEmail, DutyOfficerMailbox, DutyOfficerPhone,
			RetentionASBCaseClosed, RetentionComplaintClosed, RetentionApplicationClosed, RetentionApplicationHoused},
		Tables:  map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
		SendsTo: []string{ReferralsQueue, NotificationsQueue},
	},
	{
		// the staff console: HTML pages over the same application services as the JSON API, signed in through
		// the staff user pool's managed login (locally, the local cloud's stand-in)
		Name: StaffWebFunction, Description: "Staff console: work queue, find, case pages and their actions as forms",
		MemoryMB: 256, TimeoutSec: 10, LocalConcurrency: 1, StaffSignIn: true,
		Routes:   staffPageRoutes,
		Settings: []Setting{HomesCount, LandlordName, LandlordAddress, LandlordPhone, LandlordEmail, SiteURL, DutyOfficerMailbox, DutyOfficerPhone},
		Secrets:  []Secret{PageTokenKey},
		LocalEnv: map[string]string{
			StaffSignInIssuerEnv: "{{LOCAL_URL}}/_local/oidc", StaffSignInClientEnv: LocalStaffClientID,
			StaffSignInAuthorizeEnv: "{{LOCAL_URL}}/_local/oidc/authorize", StaffSignInTokenEnv: "{{LOCAL_URL}}/_local/oidc/token",
			StaffSignInKeysEnv: "{{LOCAL_URL}}/_local/oidc/jwks.json", StaffSignInLogoutEnv: "{{LOCAL_URL}}/_local/oidc/logout",
			StaffSiteURLEnv: "{{LOCAL_URL}}",
		},
		Tables:  map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
		SendsTo: []string{ReferralsQueue, NotificationsQueue}, // an ASB reclassification's or merger's referral (ASB-6)
	},
	{
		// its own small function: the one route GOV.UK Notify calls, with the cases table and its bearer token only
		Name: NotifyReceiptsFunction, Description: "GOV.UK Notify's delivery receipts: records delivered and failed notifications on the case timeline",
		MemoryMB: 128, TimeoutSec: 5, LocalConcurrency: 1,
		Routes:  []Route{{Method: "POST", Path: "/webhooks/govuk-notify/delivery-receipts", Auth: Bearer, Secret: NotifyCallbackToken.Env}},
		Secrets: []Secret{NotifyCallbackToken},
		Tables:  map[string]Access{CasesTable: ReadWrite},
	},
	{
		// subject access requests (UK GDPR Art 15): reads every kind of case, for the information governance team only
		Name: SubjectAccessFunction, Description: "Subject access requests: log, export a person's records across ASB, complaints and the register, erase or rectify on request, complete",
		MemoryMB: 256, TimeoutSec: 30, LocalConcurrency: 1,
		Routes: []Route{
			{Method: "POST", Path: "/subject-access-requests", Auth: Staff, Groups: []string{GroupInformationGovernance}},
			{Method: "GET", Path: "/subject-access-requests/{reference}", Auth: Staff, Groups: []string{GroupInformationGovernance}},
			{Method: "POST", Path: "/subject-access-requests/{reference}/export", Auth: Staff, Groups: []string{GroupInformationGovernance}},
			{Method: "POST", Path: "/subject-access-requests/{reference}/completion", Auth: Staff, Groups: []string{GroupInformationGovernance}},
			{Method: "POST", Path: "/subject-access-requests/{reference}/erasure", Auth: Staff, Groups: []string{GroupInformationGovernance}},
			{Method: "POST", Path: "/subject-access-requests/{reference}/rectification", Auth: Staff, Groups: []string{GroupInformationGovernance}},
		},
		Settings: []Setting{RetentionASBCaseClosed, RetentionComplaintClosed, RetentionApplicationClosed, RetentionApplicationHoused},
		Secrets:  []Secret{PageTokenKey}, // signs an export's nextToken (an export in parts)
		Tables:   map[string]Access{CasesTable: ReadWrite, IdempotencyTable: ReadWrite},
	},
	{
		// UK GDPR Art 5(1)(e): anonymises the records whose retention period ended; the cases table only, no queue
		Name: RetentionJobFunction, Description: "Daily retention job: anonymises records whose retention period has ended, keeping the reports' figures",
		MemoryMB: 256, TimeoutSec: 300, LocalConcurrency: 1,
		Schedules: []Schedule{{Name: "retention-job-daily", Cron: "cron(30 2 * * ? *)"}},
		Settings:  []Setting{RetentionASBCaseClosed, RetentionComplaintClosed, RetentionApplicationClosed, RetentionApplicationHoused},
		Tables:    map[string]Access{CasesTable: ReadWrite},
	},
}

// functions are the system's functions, for a catalog callers may change.
func functions() []Function { return slices.Clone(functionTable) }
