package retrieval

// TextFacts are the kinds of answer a text states, and its words, worked
// out once for a text that is asked about again and again: a section's,
// for every question it comes first for.
type TextFacts struct {
	// time, date, amount and price say what holdsTime and the dates,
	// amounts and prices patterns find in the text.
	time, date, amount, price bool
	words, stems              []string
}

// FactsOf works out the facts of text.
func FactsOf(text string) TextFacts {
	ws := words(text)
	return TextFacts{
		time: holdsTime(text), date: dates.MatchString(text),
		amount: amounts.MatchString(text), price: prices.MatchString(text),
		words: ws, stems: stemAll(ws),
	}
}

// Holds is Holds of the text.
func (f TextFacts) Holds(t AnswerTypes) bool {
	switch {
	case t.Has(TimeAnswer) && !f.time,
		t.Has(TimeAnswer) && t.Has(ExactAnswer) && !f.date,
		t.Has(AmountAnswer) && !f.amount,
		t.Has(PriceAnswer) && !f.price:
		return false
	}
	return true
}

// HoldsAmountOf is HoldsAmountOf of the text.
func (f TextFacts) HoldsAmountOf(unit string) bool {
	return holdsAmountOf(f.words, f.stems, unit)
}
