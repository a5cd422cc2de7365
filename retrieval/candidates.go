package retrieval

// candidate is a section a search considers, with the best scores its
// passages and questions reached.
type candidate struct {
	section        int32
	lexical, dense float64
	// qlexical, qdense and qoverlap are the best scores of the section's
	// questions.
	qlexical, qdense, qoverlap float64
	timeMatch                  float64
	// score is the fused score fuse ranks by.
	score float64
	hits  []passageHit
	// answeredTop and unansweredTop are the largest overlaps of the
	// section's answered questions and of the near misses that resemble
	// it, for vote.
	answeredTop, unansweredTop topShares
}

// passageHit is a passage of a candidate with its score on each side.
type passageHit struct {
	passage        int32
	lexical, dense float64
}

// hit returns the candidate's entry for passage p, adding it when new. A
// candidate has at most the passages both sides rank, a few dozen, so a
// scan finds them.
func (c *candidate) hit(p int32) *passageHit {
	for i := range c.hits {
		if c.hits[i].passage == p {
			return &c.hits[i]
		}
	}
	c.hits = append(c.hits, passageHit{passage: p})
	return &c.hits[len(c.hits)-1]
}

// candidates are the sections one search considers, in the order found.
type candidates struct {
	// slot is, by section, 1 + the candidate's position in list, or 0.
	slot []int32
	list []candidate
	// noneTop are the largest overlaps of the unanswered questions that
	// resemble no section.
	noneTop topShares
	// answered and unanswered hold the pools' overlap hits, kept here to
	// be reused by the next search.
	answered, unanswered []overlapHit
}

// newCandidates returns an empty set for a search of ix. The slots, one
// per section, are reused across searches: a large corpus has tens of
// thousands of sections and a search touches a few hundred.
func (ix *Index) newCandidates() *candidates {
	cs := ix.candidatePool.Get().(*candidates)
	if len(cs.slot) != len(ix.sections) {
		cs.slot = make([]int32, len(ix.sections))
	}
	return cs
}

// releaseCandidates clears what a search used and keeps it for the next.
// The results hold no reference to it, and its entries no pointers that
// would keep anything else alive.
func (ix *Index) releaseCandidates(cs *candidates) {
	for i := range cs.list {
		cs.slot[cs.list[i].section] = 0
	}
	cs.list, cs.noneTop = cs.list[:0], topShares{}
	ix.candidatePool.Put(cs)
}

// of returns the candidate for section s, adding it when new. The pointer
// is valid until the next call.
func (cs *candidates) of(s int32) *candidate {
	i := cs.slot[s]
	if i == 0 {
		// An entry left from an earlier search lends its hits' storage.
		var hits []passageHit
		if len(cs.list) < cap(cs.list) {
			hits = cs.list[:len(cs.list)+1][len(cs.list)].hits[:0]
		}
		cs.list = append(cs.list, candidate{section: s, hits: hits})
		i = int32(len(cs.list))
		cs.slot[s] = i
	}
	return &cs.list[i-1]
}

// find returns the candidate for section s, or nil.
func (cs *candidates) find(s int32) *candidate {
	if s < 0 || cs.slot[s] == 0 {
		return nil
	}
	return &cs.list[cs.slot[s]-1]
}

// vote gives each candidate the largest overlaps of the questions near the
// asked one: its answered questions (hits in answers), the near misses
// that resemble it and those that resemble no section (hits in
// unanswered).
func (cs *candidates) vote(answers *questionPool, answered []overlapHit, unanswers *questionPool, unanswered []overlapHit) {
	for _, h := range answered {
		if c := cs.find(answers.section[h.doc]); c != nil {
			c.answeredTop.add(h.share)
		}
	}
	for _, h := range unanswered {
		s := unanswers.section[h.doc]
		if s < 0 {
			cs.noneTop.add(h.share)
		} else if c := cs.find(s); c != nil {
			c.unansweredTop.add(h.share)
		}
	}
}

// topShares keeps the voteNeighbours largest shares seen, largest first.
type topShares struct {
	v [voteNeighbours]float64
	n int
}

func (t *topShares) add(x float64) {
	i := t.n
	switch {
	case t.n < len(t.v):
		t.n++
	case x > t.v[t.n-1]:
		i = t.n - 1
	default:
		return
	}
	for ; i > 0 && t.v[i-1] < x; i-- {
		t.v[i] = t.v[i-1]
	}
	t.v[i] = x
}

// values returns the shares, largest first.
func (t *topShares) values() []float64 { return t.v[:t.n] }
