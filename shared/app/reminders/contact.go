package reminders

import "github.com/councilhousing/backend/shared/app/notification"

// Contact is how a resident reminder reaches the resident. It is read from the case's CONTACT item
// (pk = <KIND>#<ref>, sk = CONTACT; see shared/dynamo), in either of these shapes:
//
//	{email, phone, preferredContact, language}                   the fields at the top level, or
//	{applicant: {email, phone, preferredContact, language}, ...}  under "applicant" (register applications),
//	{complainant: {...}, ...} or {reporter: {...}, ...}           under "complainant" (complaints) or "reporter" (ASB)
//
// All four are strings; attribute names are exactly these (lower camel case). preferredContact is one of email,
// sms, phone, letter (absent: email when an email is known, else SMS); language is a code such as "en", "cy",
// "pl" (absent: English). Other fields of the item (name, address, household...) are ignored and never copied.
type Contact struct {
	Email            string `dynamodbav:"email"`
	Phone            string `dynamodbav:"phone"`
	PreferredContact string `dynamodbav:"preferredContact"`
	Language         string `dynamodbav:"language"`
}

// ContactItem is the CONTACT item as stored: the fields at the top level or under the person's role.
type ContactItem struct {
	Contact
	Applicant   *Contact `dynamodbav:"applicant"`
	Complainant *Contact `dynamodbav:"complainant"`
	Reporter    *Contact `dynamodbav:"reporter"`
}

// Person is the resident the item describes.
func (c ContactItem) Person() Contact {
	for _, p := range []*Contact{c.Applicant, c.Complainant, c.Reporter} {
		if p != nil {
			return *p
		}
	}
	return c.Contact
}

// Reachable says whether any electronic channel or a letter preference is known. A resident with neither (an
// anonymous reporter, ASB-2) is not written to.
func (c Contact) Reachable() bool {
	return c.Email != "" || c.Phone != "" || c.PreferredContact == "letter"
}

// Recipient is the notification recipient; the notifier chooses the channel from it.
func (c Contact) Recipient() notification.Recipient {
	return notification.Recipient{Role: notification.Resident, Email: c.Email, Phone: c.Phone,
		PreferredContact: c.PreferredContact, Language: c.Language}
}
