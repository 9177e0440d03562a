package retrieve

// Ruled reports whether the rules decide the question without weighing the
// evidence: it names only years outside those the reports cover, or years
// the passages it could quote are all of others (OtherYears), names never
// reported together, or an entity no report names.
func (r Retrieval) Ruled() bool {
	return r.TimeMiss || len(r.OtherYears) > 0 || r.Unconnected || len(r.Unnamed) > 0
}

// Abstains reports whether a retrieval is too weak to answer from: it found
// nothing, the rules decide against it (Ruled), its best window lacks the
// asked-for detail (Lacks), or the abstention model (Params.Abstention)
// gives the evidence a probability of answering below Params.AbstainBelow.
func (r Retrieval) Abstains() bool {
	return len(r.Passages) == 0 || r.Ruled() || r.Lacks() || r.Support < r.below
}

// Lacks reports whether the best window holds neither what the question
// asks for (a number for "how large", a person for "who": no sub-question
// served) nor all of its focus: the Secretariat's opening in Beijing,
// without a budget or a figure, does not say how large its budget was. The
// model weighs each alone; together they leave nothing to answer with.
func (r Retrieval) Lacks() bool {
	return r.Evidence.Answer == 0 && r.Evidence.Missing > 0
}
