package catalog

// GOV.UK Notify's side of the catalog that is not a function's: the bearer token its delivery receipts carry, and
// the letter templates of residents who prefer post.

// NotifyReceiptsFunction is the function that takes GOV.UK Notify's delivery receipts (its callback route).
const NotifyReceiptsFunction = "notify-receipts"

// LocalNotifyCallbackToken is the bearer token `make run` expects on delivery receipts unless NOTIFY_CALLBACK_TOKEN
// is set; the local Notify stand-in sends it (POST /_local/notify/receipts). Never used in AWS.
const LocalNotifyCallbackToken = "local-notify-callback-token-not-for-production"

// NotifyCallbackToken is the bearer token GOV.UK Notify puts on every delivery receipt: a value we choose, set in
// Notify's dashboard (API integration, Callbacks) and in this secret. Notify wants at least 10 characters.
var NotifyCallbackToken = Secret{Env: "NOTIFY_CALLBACK_TOKEN",
	Description:  "Bearer token GOV.UK Notify sends with its delivery receipts (the same value as in Notify's callback settings)",
	LocalDefault: LocalNotifyCallbackToken}

// letterTemplates are the templates a resident may be sent, so each has a letter template for residents whose
// preferred contact is "letter" (sent through Notify's letter API to their postal address). Staff, the duty
// officer and the partner teams are written to by email (and the duty officer by text), never by post.
func letterTemplates() []string {
	return []string{"asb-report-received", "complaint-received", "complaint-escalated", "complaint-letter",
		"application-decision", "emergency-two-weeks-left",
		"asb-appointment", "asb-action-plan", "asb-review", "asb-case-review-outcome", "asb-case-closed"} // keeping an ASB reporter informed
}

// letterKeys are the letter templates' keys in notifyTemplates: "<template>.letter".
func letterKeys() []string {
	var keys []string
	for _, t := range letterTemplates() {
		keys = append(keys, t+".letter")
	}
	return keys
}
