// Package decision holds the shape every rule-based decision shares: the rules that produced it, in plain
// language (RULES.md HR-D and the issues' "reasons" fields).
package decision

// Reason is one rule that contributed to a decision, by RULES.md id, with a plain-language explanation.
type Reason struct {
	Rule string `json:"rule" dynamodbav:"rule"`
	Text string `json:"text" dynamodbav:"text"`
}

// Reasons collects reasons in order.
type Reasons []Reason

// Add appends a reason.
func (r *Reasons) Add(rule, text string) { *r = append(*r, Reason{Rule: rule, Text: text}) }

// Has reports whether a rule id is among the reasons.
func (r Reasons) Has(rule string) bool {
	for _, x := range r {
		if x.Rule == rule {
			return true
		}
	}
	return false
}
