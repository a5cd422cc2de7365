package retrieval

import (
	"regexp"
	"strings"

	"github.com/kljensen/snowball/english"

	"github.com/faqbot/faqbot/internal/literal"
)

// What a question asks for decides both which passages rank first (a "when"
// question wants the passage with the date) and which sentence is quoted,
// and whether a section can answer at all (a price question needs a price).
// This file is the one vocabulary of answer types and of the times, amounts
// and prices text states, for ranking, quoting and answerability alike.

// AnswerTypes are the kinds of answer a question asks for; a question may
// ask for several ("when, and what does it cost?").
type AnswerTypes uint8

const (
	// TimeAnswer: when, by what date, how long, until when.
	TimeAnswer AnswerTypes = 1 << iota
	// AmountAnswer: how many, how much, what limit.
	AmountAnswer
	// PriceAnswer: what it costs.
	PriceAnswer
	// ProcedureAnswer: how to do something, step by step.
	ProcedureAnswer
	// ReasonAnswer: why.
	ReasonAnswer
	// ExactAnswer: the question wants the precise value ("exactly when",
	// "which month"); "a few months" or "sometime" does not answer it.
	ExactAnswer
	// DurationAnswer: a time asked as a span ("how long", "how soon"),
	// which "two weeks" answers as well as a date does.
	DurationAnswer
)

// Has reports whether t includes u.
func (t AnswerTypes) Has(u AnswerTypes) bool { return t&u != 0 }

var (
	asksTime   = literal.MustCompile(`\b(when|what date|which date|what day|which day|what month|which month|(?:exact|precise|specific) (?:date|day|month)|deadline|cut-?off date|how long|how soon|until when|by when|timeline|timeframe|eta|wann|bis wann|wie lange|wanneer|hoe lang|quand|jusqu'à quand|combien de temps|cuándo|cuando|hasta cuándo|cuánto tiempo|quando|fecha|data exata|data esatta|(?:welche[rnms]?|in welchem) (?:monat|tag|datum)|welke (?:maand|dag|datum)|quel(?:le)? (?:mois|jour|date)|qu[ée] (?:mes|d[ií]a|fecha)|qual (?:m[êe]s|data|dia)|quale (?:mese|giorno|data))\b`)
	asksPrice  = literal.MustCompile(`\b(price|pricing|prices|cost|costs|costing|how much (?:does|do|is|will|would) (?:it|this|that|they|\w+) (?:cost|be)|pay|paying|charge|charged|fee|fees|billed|billing|per (?:contact|message|month|user)|kosten|preis|kost|prijs|prix|coût|coûte|precio|cuesta|coste|costo)\b`)
	asksAmount = literal.MustCompile(`\b(how many|how much|how big|how large|what(?:'s| is) the (?:limit|max\w*|cap|number|size)|limit|limits|maximum|max|capacity|wie viele|hoeveel|combien|cu[áa]nt[oa]s|quant[ie]|quant[oa]s|(?:more|fewer|less) than \d[\d,.]*[km]?|over \d[\d,.]*[km]?|at least \d[\d,.]*[km]?|up to \d[\d,.]*[km]?|mehr als \d[\d,.]*[km]?|meer dan \d[\d,.]*[km]?|plus de \d[\d,.]*[km]?|m[áa]s de \d[\d,.]*[km]?|pi[uù] di \d[\d,.]*[km]?|mais de \d[\d,.]*[km]?)\b`)
	asksSteps  = literal.MustCompile(`\b(how (?:do|can|should|would|could) (?:i|we|you)|how to|steps?|step by step|walk (?:me|us) through|configure|set ?up|setup|wie (?:kann|können|richte)|hoe (?:kan|moet|stel)|comment (?:faire|configurer|créer|puis-je)|cómo (?:puedo|hago|configuro|creo))\b`)
	asksWhy    = literal.MustCompile(`\b(why|how come|warum|waarom|pourquoi|por qué)\b`)
	asksSpan   = literal.MustCompile(`\b(how long|how soon|how much time|how many (?:days|weeks|months|years)|wie lange|hoe lang|combien de temps|cu[áa]nto tiempo)\b`)
	asksExact  = literal.MustCompile(`\b(exact|exactly|precise|precisely|specific date|which month|what month|which day|what day|on what date|genau|genaue\w*|precies|exacte|exactement|pr[ée]cis\w*|exacta|exacto|exactamente|concreta|exata|esatta|(?:welche[rnms]?|in welchem) monat|welke maand|quel mois|qu[ée] mes|qual m[êe]s|quale mese)\b`)
	// amountUnit is what a "how many" question counts: "how many days'
	// notice", "how many emails per hour".
	amountUnit = literal.MustCompile(`\b(?:how many|how much|number of|wie viele|hoeveel|combien de|cu[áa]nt[oa]s)\s+(?:more\s+|extra\s+|of\s+)?([a-z\p{L}]+)`)
)

// AmountUnit returns what a question asks to count ("days", "contacts"),
// or "" when it asks for no count of a thing.
func AmountUnit(question string) string {
	m := amountUnit.FindStringSubmatch(strings.ToLower(question))
	if m == nil {
		return ""
	}
	return m[1]
}

// HoldsAmountOf reports whether text states a number of unit: a number
// within three words before the unit ("10 million contacts", "two
// weeks"). Word forms count ("contact" for "contacts").
func HoldsAmountOf(text, unit string) bool {
	return holdsAmountOf(words(text), nil, unit)
}

// holdsAmountOf is HoldsAmountOf for a text's words, and their stems when
// known (nil: stemmed here).
func holdsAmountOf(ws, stems []string, unit string) bool {
	stem := english.Stem(unit, true)
	for i, w := range ws {
		if stems != nil {
			if stems[i] != stem {
				continue
			}
		} else if english.Stem(w, true) != stem {
			continue
		}
		for j := max(0, i-3); j < i; j++ {
			if isNumberWord(ws[j]) {
				return true
			}
		}
	}
	return false
}

func isNumberWord(w string) bool {
	if w == "" {
		return false
	}
	if w[0] >= '0' && w[0] <= '9' {
		return true
	}
	switch w {
	case "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "hundred", "thousand", "million", "billion", "unlimited":
		return true
	}
	return false
}

// TypeOf returns the kinds of answer a question asks for. Each pattern
// runs only when the question holds one of the words it needs (literal):
// most questions ask one kind of thing, and seven regular expressions over
// every question cost more than the rest of understanding it.
func TypeOf(question string) AnswerTypes {
	// Lower-cased text against lower-case patterns: case-insensitive
	// matching costs several times more.
	question = strings.ToLower(question)
	var t AnswerTypes
	if asksTime.MatchString(question) {
		t |= TimeAnswer
	}
	if asksSpan.MatchString(question) {
		t |= TimeAnswer | DurationAnswer
	}
	if asksPrice.MatchString(question) {
		t |= PriceAnswer
	} else if asksAmount.MatchString(question) {
		t |= AmountAnswer
	}
	if asksSteps.MatchString(question) {
		t |= ProcedureAnswer
	}
	if asksWhy.MatchString(question) {
		t |= ReasonAnswer
	}
	if asksExact.MatchString(question) {
		t |= ExactAnswer
	}
	return t
}

var (
	// dates are the absolute dates text writes: "June 30, 2025", "June 2025".
	dates = literal.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December)( \d{1,2})?, ?(\d{4})\b|\b(January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b`)
	// durations are spans of time: "two weeks", "30 days", "a few months".
	durations = regexp.MustCompile(`(?i)\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|couple of|several|a|an) (?:more |additional |extra )?(days?|weeks?|months?|quarters?|years?)\b`)
	// amounts are numbers that count something: "100 million", "10 million
	// contacts", "300 million interactions".
	amounts = regexp.MustCompile(`(?i)\b(\d[\d,.]*\s*(thousand|million|billion|k|m)?|unlimited|no limit)\b`)
	// prices are amounts of money.
	prices = regexp.MustCompile(`(?i)([$€£]\s?\d|\b\d[\d,.]*\s?(usd|eur|gbp|dollars?|euros?)\b|\bfree of charge\b|\bno (additional |extra )?cost\b|\bat no cost\b)`)
)

// Spans returns where text states answers of the types in t (dates and
// durations, amounts, prices), as byte ranges.
func Spans(text string, t AnswerTypes) [][]int {
	var out [][]int
	if t.Has(TimeAnswer) {
		out = append(out, dates.FindAllStringIndex(text, -1)...)
		out = append(out, durations.FindAllStringIndex(text, -1)...)
	}
	if t.Has(AmountAnswer) {
		out = append(out, amounts.FindAllStringIndex(text, -1)...)
	}
	if t.Has(PriceAnswer) {
		out = append(out, prices.FindAllStringIndex(text, -1)...)
	}
	return out
}

// HoldsDate reports whether text states an absolute date: the best answer
// to "when?", which a span of time only answers relative to something.
func HoldsDate(text string) bool { return dates.MatchString(text) }

// Dates returns the absolute dates in text, as written.
func Dates(text string) []string {
	if !strings.ContainsAny(text, "0123456789") {
		return nil // every date here has a year
	}
	return dates.FindAllString(text, -1)
}

// Holds reports whether text holds an answer of every type in t: a date or
// a duration for time, a number for amounts, an amount of money for
// prices. Procedures and reasons are judged by content, not form, so they
// always hold.
func Holds(text string, t AnswerTypes) bool {
	if t.Has(TimeAnswer) && !holdsTime(text) {
		return false
	}
	// An exact time is a date, not "a few months after".
	if t.Has(TimeAnswer) && t.Has(ExactAnswer) && !dates.MatchString(text) {
		return false
	}
	if t.Has(AmountAnswer) && !amounts.MatchString(text) {
		return false
	}
	if t.Has(PriceAnswer) && !prices.MatchString(text) {
		return false
	}
	return true
}

// holdsTime reports a date or a duration. Both need a digit or a unit
// word, which a cheap check rules out for most passages before the regular
// expressions run.
func holdsTime(text string) bool {
	if !strings.ContainsAny(text, "0123456789") && !containsUnit(text) {
		return false
	}
	return dates.MatchString(text) || durations.MatchString(text)
}

func containsUnit(text string) bool {
	for _, u := range []string{"day", "week", "month", "quarter", "year"} {
		if strings.Contains(text, u) {
			return true
		}
	}
	return false
}
