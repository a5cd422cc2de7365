package retrieval

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

// sourceFunc is a QuestionSource that records which sections it was asked
// about.
type sourceFunc struct {
	asked []string
	fn    func(sections []*corpus.Section) (QuestionSet, error)
}

func (s *sourceFunc) Questions(_ context.Context, sections []*corpus.Section) (QuestionSet, error) {
	for _, sec := range sections {
		s.asked = append(s.asked, sec.Key())
	}
	return s.fn(sections)
}

// each gives every section it is asked about one answered and one
// unanswered question naming who wrote them.
func each(who string) func([]*corpus.Section) (QuestionSet, error) {
	return func(sections []*corpus.Section) (QuestionSet, error) {
		set := QuestionSet{Answered: map[string][]string{}, Unanswered: map[string][]string{}}
		for _, s := range sections {
			set.Answered[s.Key()] = []string{who + " asks about " + s.Anchor}
			set.Unanswered[s.Key()] = []string{who + " near miss for " + s.Anchor}
		}
		return set, nil
	}
}

func TestChainQuestionsAsksThenOnlyForWhatFirstLeaves(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	sections := c.Sections()
	covered := map[string]bool{sections[0].Key(): true, sections[2].Key(): true}
	first := &sourceFunc{fn: func(secs []*corpus.Section) (QuestionSet, error) {
		set := QuestionSet{Answered: map[string][]string{}, Unanswered: map[string][]string{"": {"shipped near miss"}}}
		for _, s := range secs {
			if covered[s.Key()] {
				set.Answered[s.Key()] = []string{"shipped asks about " + s.Anchor}
			}
		}
		// Unanswered questions alone do not cover a section.
		set.Unanswered[sections[1].Key()] = []string{"shipped near miss for " + sections[1].Anchor}
		return set, nil
	}}
	then := &sourceFunc{fn: each("model")}

	set, err := ChainQuestions(first, then).Questions(context.Background(), sections)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.asked) != len(sections) {
		t.Errorf("first asked about %d sections, want all %d", len(first.asked), len(sections))
	}
	if len(then.asked) != len(sections)-2 || slices.Contains(then.asked, sections[0].Key()) || slices.Contains(then.asked, sections[2].Key()) {
		t.Errorf("then asked about %v; want every section but the two first covers", then.asked)
	}
	for _, s := range sections {
		want := "model"
		if covered[s.Key()] {
			want = "shipped"
		}
		if got := set.Answered[s.Key()]; len(got) != 1 || !strings.HasPrefix(got[0], want) {
			t.Errorf("%s: answered %v, want %s's", s.Anchor, got, want)
		}
	}
	if got := set.Unanswered[sections[1].Key()]; len(got) != 2 {
		t.Errorf("unanswered for %s = %v, want first's and then's", sections[1].Anchor, got)
	}
	if got := set.Unanswered[""]; len(got) != 1 {
		t.Errorf("unanswered for no section = %v", got)
	}
}

func TestChainQuestionsSkipsThenWhenFirstCoversAll(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	first := &sourceFunc{fn: each("shipped")}
	then := &sourceFunc{fn: each("model")}
	if _, err := ChainQuestions(first, then).Questions(context.Background(), c.Sections()); err != nil {
		t.Fatal(err)
	}
	if len(then.asked) != 0 {
		t.Errorf("then asked about %d sections first covered", len(then.asked))
	}
}

func TestChainQuestionsKeepsWhatAFailingSourceGave(t *testing.T) {
	c, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	sections := c.Sections()
	errFirst, errThen := errors.New("first broke"), errors.New("model down")
	first := &sourceFunc{fn: func([]*corpus.Section) (QuestionSet, error) { return QuestionSet{}, errFirst }}
	then := &sourceFunc{fn: func(secs []*corpus.Section) (QuestionSet, error) {
		set, _ := each("model")(secs[:1])
		return set, errThen
	}}
	set, err := ChainQuestions(first, then).Questions(context.Background(), sections)
	if !errors.Is(err, errFirst) || !errors.Is(err, errThen) {
		t.Errorf("err = %v, want both sources' errors", err)
	}
	if len(then.asked) != len(sections) {
		t.Errorf("then asked about %d of %d sections after first failed", len(then.asked), len(sections))
	}
	if len(set.Answered) != 1 || len(set.Answered[sections[0].Key()]) != 1 {
		t.Errorf("answered = %v, want the one section then could give", set.Answered)
	}

	// A store built from such a source still serves, with what it got.
	store := NewStore(NewLocalEmbedder(0), StoreOptions{Questions: ChainQuestions(first, then)})
	if _, err := store.Load(context.Background(), c); err != nil {
		t.Fatalf("a failing question source failed the load: %v", err)
	}
}
