package complaintsapi

import (
	"context"
	"log/slog"
)

func logQueueFailure(ctx context.Context, ref string, err error) {
	slog.ErrorContext(ctx, "notification not queued", "reference", ref, "error", err.Error())
}
