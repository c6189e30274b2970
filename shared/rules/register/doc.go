// Package register is the housing register's allocation scheme (RULES.md HR, source 001), as pure rules: inputs
// in, decision with reasons out; no I/O, no clock (callers pass the time of each change).
//
// # Claims and decisions
//
// A Record holds three things:
//
//   - Application: what the applicant declares on the public form, and later by a change of circumstances. Its
//     circumstance codes, medical or welfare needs, housing debt and star claims (seeking work, community
//     contribution, working household) are claims. The public type has no field for a medical award, a
//     verification, a council decision, a finding, a debt exception or a refusal: the JSON API decodes the public
//     body straight into it and refuses unknown fields.
//   - Council: what the council has checked and decided, changed only by officers' transitions. Each circumstance
//     code is either self-declared-with-evidence (an officer verifies or rejects the claim with a note:
//     VerifyClaim) or council-decided (homelessness acceptance and priority need, decant, emergency landlord
//     transfer, HHSRS hazards confirmed by the Private Sector Housing Team, MAPPA, child at risk, foster or
//     adoption agreement, ...: RecordCouncilDecision); Code.Proof says which. Star claims are verified like
//     self-declared circumstances; the independent adviser's award (RecordMedicalAward) settles medical and
//     welfare needs; the debt as confirmed (UpdateDebt) replaces the declared one; HR-U findings, HR-U1
//     exceptions, HR-R findings (as council decisions), offers, reviews, the assigned officer and the closure are
//     the council's too.
//   - Decision: Assess of both. It runs the same rules twice: over the claims as made (Provisional: band, stars,
//     reasons) and over decided facts only (Band, Stars, Offerable, Reasons). Outstanding lists, in plain
//     language, what the council must check or decide before each claim counts.
//
// Adverse facts count at once, whoever states them: declared housing debt reduces priority in both runs, and
// stops offers until the council has confirmed it.
//
// # Statuses
//
// awaiting-verification (a need is claimed, none is decided: no priority list, no offers), registered (the
// active register: the band rests on decided facts; the only status on the priority list, PriorityKey, and the
// only one that can be offerable), not-qualifying (HR-E2), ineligible (HR-E1), closed (withdrawn, housed, no
// longer eligible) and removed (HR-E3). A new application is awaiting verification, or not qualifying or
// ineligible.
//
// # Transitions
//
// Each change is a method `func (r *Record) Verb(in Input, by casefile.Actor, at time.Time) (casefile.Event,
// error)`: it validates the input (apperr.Invalid with every field named by its JSON path) and the state
// (apperr.Conflict citing the rule), changes the record, re-assesses it as of the London day of at, and returns
// the timeline event (who, when, what, the old and new status, band, stars and offerability, the provisional
// band, the reasons and what is outstanding; HR-D). It appends nothing itself. Officers: VerifyClaim,
// RecordCouncilDecision, RecordMedicalAward, UpdateDebt, RecordBehaviour, RecordDebtException, Remove, Close,
// Assign, RecordOffer (refused while HR-U applies, while the medical award was over 12 months old at the offer
// and not reviewed, or unless the application is active: CanOffer), RecordStatutoryReview. The Housing Solutions
// Manager: DecideReview. The applicant: ChangeCircumstances, RequestReview.
//
// OpenDeadlines are a record's open deadlines (casefile.Deadline): the end of the Emergency period (make a
// direct offer), the resident's two-weeks-left message, a further direct offer after a statutory review found
// one unsuitable, the medical review, and the manager's review of reduced priority.
package register
