package reminders

import (
	"github.com/councilhousing/backend/shared/app/notification"
	"github.com/councilhousing/backend/shared/rules/contact"
)

// recipient is the resident a reminder is for, from the case's contact details (the one shape every case kind
// stores: contact.Details); nil when the resident cannot be written to (an anonymous reporter, ASB-2).
func recipient(d contact.Details) *notification.Recipient {
	if !d.Reachable() {
		return nil
	}
	to := notification.ToResident(d)
	return &to
}
