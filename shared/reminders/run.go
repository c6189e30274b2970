package reminders

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/infra/catalog"
	"github.com/councilhousing/backend/shared/casefile"
	"github.com/councilhousing/backend/shared/dynamo"
	"github.com/councilhousing/backend/shared/notification"
	"github.com/councilhousing/backend/shared/queue"
	"github.com/councilhousing/backend/shared/workdays"
)

// Runner is the deadline-reminders function.
type Runner struct {
	Store     *dynamo.Store
	Queues    queue.Sender
	Mailboxes Mailboxes
}

// Summary is what a run did (the function's result).
type Summary struct {
	Today            string  `json:"today"`
	Skipped          string  `json:"skipped,omitempty"`
	OpenDue          int     `json:"openDeadlinesInWindow"`
	Sent             int     `json:"sent"`
	AlreadySent      int     `json:"alreadySent"`
	NoContact        int     `json:"noContact"`
	ConsumedCapacity float64 `json:"consumedCapacity"`
}

// claimTTL keeps a reminder's "sent" marker long enough to cover retries of the same day's run.
const claimTTL = 8 * 24 * time.Hour

// Run sends the morning's reminders. "Today" is the London day of the EventBridge event's time (the scheduled
// time in AWS, the local cloud's clock locally), never the function's own clock.
func (r Runner) Run(ctx context.Context, ev events.EventBridgeEvent) (Summary, error) {
	today := workdays.DateOf(ev.Time)
	w := WindowFor(today)
	sum := Summary{Today: today.String(), Skipped: w.Why}
	if w.Skip {
		return sum, nil
	}
	deadlines, consumed, err := r.Due(ctx, w.Until)
	if err != nil {
		return sum, err
	}
	sum.OpenDue, sum.ConsumedCapacity = len(deadlines), consumed
	var failed []error
	for _, rem := range Plan(w, deadlines, r.Mailboxes) {
		switch outcome, err := r.send(ctx, rem, today, ev.Time); {
		case err != nil:
			failed = append(failed, err)
		case outcome == "sent":
			sum.Sent++
		case outcome == "already":
			sum.AlreadySent++
		default:
			sum.NoContact++
		}
	}
	slog.InfoContext(ctx, "reminders", "today", sum.Today, "due", sum.OpenDue, "sent", sum.Sent, "alreadySent", sum.AlreadySent, "failed", len(failed))
	return sum, errors.Join(failed...)
}

// Due reads the open deadlines due on or before until by key condition only (one partition of the sparse
// deadlines index, sorted by due date), page by page: its cost grows with the deadlines due, not with the cases.
func (r Runner) Due(ctx context.Context, until workdays.Date) ([]casefile.Deadline, float64, error) {
	in := &dynamodb.QueryInput{
		TableName: &r.Store.Cases, IndexName: aws.String(catalog.IndexDeadlines),
		KeyConditionExpression: aws.String("duePk = :open AND dueSk <= :until"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":open": dynamo.S(catalog.DeadlinesPK), ":until": dynamo.S(until.String() + "#~"),
		},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	q := r.Store.NewQuery(in)
	items, err := q.All(ctx)
	if err != nil {
		return nil, 0, err
	}
	ds, err := dynamo.UnmarshalAll[casefile.Deadline](items)
	return ds, q.Consumed, err
}

// send claims the reminder for the day, then queues it; a failed send releases the claim so a retry sends it.
func (r Runner) send(ctx context.Context, rem Reminder, today workdays.Date, at time.Time) (string, error) {
	if rem.To.Role == notification.Resident {
		to, ok, err := r.resident(ctx, rem.Deadline)
		if err != nil || !ok {
			return "no-contact", err
		}
		rem.To = to
	}
	if rem.To.Email == "" && rem.To.Phone == "" {
		return "no-contact", nil
	}
	key := "reminder#" + rem.ID
	fresh, err := r.Store.Claim(ctx, key, claimTTL, at)
	if err != nil || !fresh {
		return "already", err
	}
	msg := notification.Request{ID: rem.ID, Template: Template(rem), CaseKind: rem.Deadline.CaseKind, CaseRef: rem.Deadline.CaseRef,
		To: rem.To, Personalisation: Personalisation(rem, today), RequestedAt: at.UTC()}
	if err := r.Queues.Send(ctx, catalog.NotificationsQueue, queue.Message{Type: notification.QueueMessageType, Body: msg}); err != nil {
		if rerr := r.Store.Release(ctx, key); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return "", fmt.Errorf("reminder %s: %w", rem.ID, err)
	}
	return "sent", nil
}

// resident reads the contact a resident reminder goes to, from the case's CONTACT item (the applicant of a
// register application, the complainant of a complaint, or an ASB reporter).
func (r Runner) resident(ctx context.Context, d casefile.Deadline) (notification.Recipient, bool, error) {
	var c struct {
		Applicant   *contactFields `dynamodbav:"applicant"`
		Complainant *contactFields `dynamodbav:"complainant"`
		contactFields
	}
	found, err := r.Store.Get(ctx, dynamo.CaseKey(d.CaseKind, d.CaseRef), dynamo.SKContact, &c)
	if err != nil || !found {
		return notification.Recipient{}, false, err
	}
	who := c.contactFields
	if c.Applicant != nil {
		who = *c.Applicant
	} else if c.Complainant != nil {
		who = *c.Complainant
	}
	if who.PreferredContact == "" {
		who.PreferredContact = "email"
	}
	to := notification.Recipient{Role: notification.Resident, Email: who.Email, Phone: who.Phone, PreferredContact: who.PreferredContact, Language: who.Language}
	return to, who.Email != "" || who.Phone != "", nil
}

type contactFields struct {
	Email            string `dynamodbav:"email"`
	Phone            string `dynamodbav:"phone"`
	PreferredContact string `dynamodbav:"preferredContact"`
	Language         string `dynamodbav:"language"`
}
