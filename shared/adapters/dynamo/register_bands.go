package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/councilhousing/backend/shared/app/registercases"
	"github.com/councilhousing/backend/shared/catalog"
)

// CountBands counts each band's active applications: a Select COUNT query of every shard of the band's priority
// partition (REGISTER#<band>#<shard> in byEvent), all bands and shards in parallel (4 bands x ListShards = 16
// queries), returning counts and no items.
//
// Cost: a count is not free. DynamoDB charges a COUNT query for the index entries it reads, as if it returned
// them: half a read unit per 4 KB (index reads are eventually consistent), 1 MB per request before it pages.
// A priority entry is a list entry with its summary (about 0.5 KB), so a register of 10,000 active applications
// reads about 5 MB: some 600 read units and a handful of requests per report, a fraction of a penny on demand.
// That is fine for a report a few people open a few times a day; a page opened by everyone on every visit would
// want a counter kept by the writes instead (each change that moves an application between bands adding and
// taking one, in its transaction).
func (a Applications) CountBands(ctx context.Context) (map[string]int, error) {
	type part struct {
		band  string
		shard int
	}
	var parts []part
	for _, b := range registercases.Bands {
		for shard := range ListShards {
			parts = append(parts, part{b, shard})
		}
	}
	counts := make([]int, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			in := queryInput(a.Store.Cases, catalog.IndexByEvent, AttrEventPK+" = :pk",
				map[string]types.AttributeValue{":pk": S(Sharded(BandKey(p.band), strconv.Itoa(p.shard)))})
			in.Select = types.SelectCount
			for {
				out, err := a.Store.DB.Query(ctx, in)
				if err != nil {
					errs[i] = fmt.Errorf("count band %s: %w", p.band, err)
					return
				}
				counts[i] += int(out.Count)
				if out.LastEvaluatedKey == nil {
					return
				}
				in.ExclusiveStartKey = out.LastEvaluatedKey
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(registercases.Bands))
	for i, p := range parts {
		out[p.band] += counts[i]
	}
	return out, nil
}
