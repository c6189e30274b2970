package register

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
)

// FuzzMoney: a money field of a request (housingDebt.amount, weeklyRent) read from any JSON value never panics;
// what it accepts is a non-negative amount below £1,000,000,000 equal, to the penny, to the pounds sent (checked
// with exact rational arithmetic), which is written back as a JSON number that reads back the same; what it
// refuses is a type error naming the field. Every amount in whole pence, written as pounds with two decimal
// places, is accepted.
func FuzzMoney(f *testing.F) {
	for _, s := range []string{`300`, `300.5`, `"300.50"`, `0`, `"0.01"`, `999999999.99`, `1000000000`, `1e200`, `1E2`, `-1`, `"-0"`,
		`300.505`, `0.001`, `"300"`, `"\"300\""`, `""`, `"  300"`, `null`, `true`, `[]`, `{}`, `"1,000"`, `"£300"`, `00.5`, `"00.5"`,
		`9223372036854775807`, `"9223372036854775807.99"`, `0.10000000000000000001`, `"1_000"`, `"\u0033\u0030\u0030"`, `"300\u0000"`} {
		f.Add(s, int64(30050))
	}
	f.Add(`1e-400`, int64(-1))
	f.Add(`"NaN"`, int64(99999999999))

	f.Fuzz(func(t *testing.T, value string, pence int64) {
		var got struct {
			Debt struct {
				Amount Money `json:"amount"`
			} `json:"debt"`
		}
		got.Debt.Amount = -7 // a sentinel: null leaves the value alone
		err := json.Unmarshal([]byte(`{"debt":{"amount":`+value+`}}`), &got)
		m := got.Debt.Amount
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return // not JSON: the decoder refuses it before Money sees it
		case err != nil:
			if !errors.As(err, &typeErr) || typeErr.Field != "debt.amount" {
				t.Fatalf("%s: refused with %T %v, not a type error naming debt.amount", value, err, err)
			}
			return
		case strings.TrimSpace(value) == "null":
			if m != -7 {
				t.Fatalf("null changed the amount to %d", m)
			}
			return
		}
		if m < 0 || m >= 1_000_000_000*100 {
			t.Fatalf("%s: accepted as %d pence", value, m)
		}
		var text string
		if json.Unmarshal([]byte(value), &text) != nil {
			text = strings.TrimSpace(value)
		}
		pounds, ok := new(big.Rat).SetString(text)
		if !ok || pounds.Cmp(new(big.Rat).SetFrac64(int64(m), 100)) != 0 {
			t.Fatalf("%s: accepted as %d pence, which is not the amount sent", value, m)
		}
		out, err := json.Marshal(m)
		var back Money
		if err != nil || !json.Valid(out) || json.Unmarshal(out, &back) != nil || back != m || m.String() != "£"+string(out) {
			t.Fatalf("%d pence written as %s (%v) reads back as %d", m, out, err, back)
		}

		// Every amount in whole pence up to the maximum, written as pounds and pence, is accepted exactly.
		p := Money(pence % (1_000_000_000 * 100))
		if p < 0 {
			p = -p
		}
		for _, s := range []string{fmt.Sprintf("%d.%02d", p/100, p%100), fmt.Sprintf(`"%d.%02d"`, p/100, p%100)} {
			var back Money
			if err := json.Unmarshal([]byte(s), &back); err != nil || back != p {
				t.Fatalf("%s read as %d (%v), want %d", s, back, err, p)
			}
		}
	})
}
