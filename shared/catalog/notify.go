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
