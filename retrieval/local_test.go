package retrieval

import (
	"context"
	"hash/fnv"
	"math"
	"slices"
	"testing"
)

// referenceVector is the local embedder as first written, with hash/fnv
// and every feature and trigram cut out as a string of its own: what the
// allocation-free version must reproduce bit for bit, since the index's
// vectors and the question's must stay comparable with earlier builds.
func referenceVector(dim int, text string) []float32 {
	v := make([]float32, dim)
	add := func(feature string, weight float64) {
		h := fnv.New64a()
		h.Write([]byte(feature))
		sum := h.Sum64()
		if sum>>63 == 1 {
			weight = -weight
		}
		v[sum%uint64(dim)] += float32(weight)
	}
	trigrams := func(word string) []string {
		r := []rune("^" + word + "$")
		if len(r) <= 3 {
			return []string{string(r)}
		}
		var out []string
		for i := 0; i+3 <= len(r); i++ {
			out = append(out, string(r[i:i+3]))
		}
		return out
	}
	toks := tokens(text)
	for i, t := range toks {
		add("w:"+t.term, wordFeature)
		if i > 0 {
			add("p:"+toks[i-1].term+" "+t.term, pairFeature)
		}
		grams := trigrams(t.word)
		w := trigramFeature / math.Sqrt(float64(len(grams)))
		for _, g := range grams {
			add("g:"+g, w)
		}
	}
	return unit(v)
}

func TestLocalEmbedderMatchesReference(t *testing.T) {
	texts := []string{
		"Can I request an extension for outbound marketing?",
		"a b c", "x", "RTJ", "e-mail and real-time journeys, D365",
		"Können wir die Abschaltung verschieben? prórroga, délai, 期限を延長できますか",
		"naïve café façade — “quoted” ‘words’",
		"", "   ", "?!",
		"\xff\xfe broken bytes \xc3 in text",
	}
	e := NewLocalEmbedder(0)
	for _, text := range texts {
		want := referenceVector(DefaultLocalDim, text)
		got, err := e.Embed(context.Background(), []string{text})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got[0], want) {
			t.Errorf("Embed(%q) differs from the reference", text)
		}
		ws := words(text)
		if fromWords := e.embedWords(contentTokensOf(ws, stemAll(ws))); !slices.Equal(fromWords, want) {
			t.Errorf("embedWords(%q) differs from the reference", text)
		}
	}
}
