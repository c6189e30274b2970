package console

import (
	"context"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/rules/register"
)

// RegisterList pages through register applications by status (registercases.Service.List: one list key read by
// key, the read behind GET /register/applications?status=...).
type RegisterList interface {
	List(ctx context.Context, q registercases.List) ([]registercases.Summary, string, error)
}

// MaxAwaitingVerification is the page of applications awaiting verification the queue shows, oldest first.
const MaxAwaitingVerification = 20

// awaitingVerification adds the register's queue: the applications awaiting verification, oldest first (the
// longest waiting are the first to check).
func (s Service) awaitingVerification(ctx context.Context, q QueueRequest, out *Queue) error {
	if !q.AwaitingVerification || s.Register == nil {
		return nil
	}
	apps, next, err := s.Register.List(ctx, registercases.List{By: q.By, Order: registercases.OrderOldest, Limit: MaxAwaitingVerification,
		Filter: registercases.Filter{Status: register.StatusAwaitingVerification}})
	if err != nil {
		return err
	}
	out.AwaitingVerification, out.MoreAwaitingVerification = apps, next != ""
	return nil
}
