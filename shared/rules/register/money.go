package register

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Money is an amount in whole pence, so thresholds compare exactly and nothing overflows: it is sent and shown
// in pounds, as a JSON number or a decimal string with at most two decimal places ("300", 300.5, "300.50").
// Anything else (a negative amount, a third decimal place, 1e200) is refused when the request is read.
type Money int64

// moneyText is pounds with up to 9 digits and up to 2 decimal places: at most £999,999,999.99, far inside int64
// pence; the rules set lower maximums (MaxHousingDebt, MaxWeeklyRent).
var moneyText = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$`) })

// ParseMoney reads pounds ("300", "300.5", "300.50") as pence.
func ParseMoney(s string) (Money, bool) {
	if !moneyText().MatchString(s) {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	pounds, _ := strconv.ParseInt(whole, 10, 64)
	pence, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	return Money(pounds*100 + pence), true
}

// UnmarshalJSON accepts a number or a string of pounds; the decoder names the field of a refused value.
func (m *Money) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil // as for every JSON field: null leaves the value alone
	}
	text := strings.Trim(string(b), `"`)
	parsed, ok := ParseMoney(text)
	if !ok {
		return &json.UnmarshalTypeError{Value: "amount " + text, Type: reflect.TypeOf(Money(0))}
	}
	*m = parsed
	return nil
}

// MarshalJSON writes pounds with two decimal places, as a JSON number.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.decimal()), nil }

// JSONDescription is what a request must send for a Money field (shown in the field's error).
func (Money) JSONDescription() string {
	return "an amount in pounds with at most 2 decimal places, e.g. 300 or 300.50"
}

func (m Money) decimal() string { return fmt.Sprintf("%d.%02d", m/100, m%100) }

// String is the amount as letters show it, e.g. "£300.50".
func (m Money) String() string { return "£" + m.decimal() }

// Pounds is the amount in whole pounds, rounded down (for limits stated in pounds).
func (m Money) Pounds() int64 { return int64(m) / 100 }
