package register

import "fmt"

// maxStarsInKey bounds the stars written in a priority key (4 is the most HR-S can give).
const maxStarsInKey = 99

// PriorityKey is the priority list's DynamoDB sort key, and whether the application is on the priority list at
// all: only active applications are (registered, with a band that rests on decided facts; Decision.Active).
// Ascending string order is band (emergency, A, B, reduced), then decided stars (most first), then effective date
// (oldest first), then reference (a stable tie-break, so pages never skip or repeat). Encoding, fixed width where
// order matters:
//
//	<BandRank, 1 digit>#<99 - stars, 2 digits>#<effective date YYYY-MM-DD>#<reference>
//
// e.g. Band A, 2 stars, effective 2026-11-23: "1#97#2026-11-23#HR-…".
func PriorityKey(ref string, d Decision) (string, bool) {
	if !d.Active() || d.EffectiveDate == nil {
		return "", false
	}
	stars := min(max(d.Stars, 0), maxStarsInKey)
	return fmt.Sprintf("%d#%02d#%s#%s", BandRank(d.BandName()), maxStarsInKey-stars, d.EffectiveDate, ref), true
}
