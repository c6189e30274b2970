package register

import "fmt"

// outstanding lists, in plain language, what the council must check or decide before each claim counts: the
// claimed circumstances not yet verified or decided, a medical or welfare need waiting for the adviser, star
// claims that meet their criteria but are not verified, and declared debt the council has not confirmed.
func outstanding(a Application, c Council) []Outstanding {
	var out []Outstanding
	add := func(claim, rule, text string) {
		out = append(out, Outstanding{Claim: claim, Rule: rule, Text: text + " (" + rule + ")."})
	}
	f := factsOf(a, c, decidedMode)
	for _, ci := range f.circumstances {
		if ci.state != pending {
			continue
		}
		if ci.Proof == CouncilDecided {
			add(ci.Code.Code, ci.Rule, fmt.Sprintf("%s must decide whether you are %s before it counts", capital(ci.by), ci.Text))
		} else {
			add(ci.Code.Code, ci.Rule, fmt.Sprintf("Before it counts that you are %s, the council must check %s", ci.Text, ci.Evidence))
		}
	}
	if f.medicalPending {
		add(ClaimMedical, "HR-M", "The independent medical adviser must assess the medical or welfare need you told us about; their award decides the band")
	}
	if f.seekingWorkClaimed && f.seekingWork == pending {
		add(ClaimSeekingWork, "HR-S", "The council must verify with Jobcentre Plus that you are actively seeking work before its star counts")
	}
	if cc := f.communityContribution; cc != nil && f.ccState == pending && len(ccShortfalls(*cc, f.age)) == 0 {
		add(ClaimCommunityContribution, "HR-CC", "The council must check the letter from the manager of the organisation you volunteer with before its star counts")
	}
	if w := f.working; w != nil && f.workingState == pending && len(workingShortfalls(*w)) == 0 {
		add(ClaimWorking, "HR-W", "The council must check your evidence of work (payslips, P45 and P60, tax returns, bank statements and a letter from your employer) before its star counts")
	}
	if debtOwed(f.debt) && !f.debtConfirmed {
		add(ClaimHousingDebt, "HR-U", fmt.Sprintf("The council must confirm the housing debt of %s you told us about, and any repayment plan, with the landlord before an offer can be made", f.debt.Amount))
	}
	return out
}
