package register

import "fmt"

// maxStarsInKey bounds the stars written in a priority key (4 is the most HR-S can give).
const maxStarsInKey = 99

// PriorityKey is the priority list's DynamoDB sort key: ascending string order is band (emergency, A, B,
// reduced), then stars (most first), then effective date (oldest first), then reference (a stable tie-break,
// so pages never skip or repeat). Encoding, fixed width where order matters:
//
//	<BandRank, 1 digit>#<99 - stars, 2 digits>#<effective date YYYY-MM-DD>#<reference>
//
// e.g. Band A, 2 stars, effective 2026-11-23: "1#97#2026-11-23#HR-…". A decision with no band ranks 9.
func PriorityKey(ref string, d Decision) string {
	stars := min(max(d.Stars, 0), maxStarsInKey)
	effective := ""
	if d.EffectiveDate != nil {
		effective = d.EffectiveDate.String()
	}
	return fmt.Sprintf("%d#%02d#%s#%s", BandRank(d.BandName()), maxStarsInKey-stars, effective, ref)
}
