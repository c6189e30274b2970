package registercases

import (
	"context"
	"time"

	"github.com/councilhousing/backend/shared/app/casework"
	"github.com/councilhousing/backend/shared/rules/workdays"
)

// BandReport is a member of staff asking how large the housing register is, band by band, now.
type BandReport struct {
	By casework.Staff
	At time.Time
}

// BandSize is one band's number of active applications.
type BandSize struct {
	Band         string
	Applications int
}

// RegisterSize is the active register by band on a London day: the applications on each band's priority list
// (register.PriorityKey: active, with a band resting on decided facts), highest need first.
type RegisterSize struct {
	AsOf  workdays.Date
	Bands []BandSize // every band of Bands, in its order, none left out for having no applications
	Total int
}

// BandSizes counts the active applications of each band (Store.CountBands: a count of each band's priority
// list, reading no application).
func (s Service) BandSizes(ctx context.Context, q BandReport) (RegisterSize, error) {
	if err := q.By.Check(readers...); err != nil {
		return RegisterSize{}, err
	}
	counts, err := s.Store.CountBands(ctx)
	if err != nil {
		return RegisterSize{}, err
	}
	out := RegisterSize{AsOf: workdays.DateOf(q.At), Bands: make([]BandSize, 0, len(Bands))}
	for _, b := range Bands {
		out.Bands = append(out.Bands, BandSize{Band: b, Applications: counts[b]})
		out.Total += counts[b]
	}
	return out, nil
}
