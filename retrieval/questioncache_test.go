package retrieval

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestQuestionCachePersistsWhatWasUsed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.json")
	c, err := OpenQuestionCache(path)
	if err != nil {
		t.Fatal(err)
	}
	a := CachedQuestions{Answered: []string{"how do I move segments?"}, Unanswered: []string{"can I move segments back?"}}
	b := CachedQuestions{Answered: []string{"what is a journey?"}}
	c.Put("a", a)
	c.Put("b", b)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	// The next run reads both; it uses only a and adds c, so b, which the
	// corpus no longer has, is dropped at its save.
	c, err = OpenQuestionCache(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get("a"); !ok || !reflect.DeepEqual(got, a) {
		t.Fatalf("a = %+v, %v after reopening", got, ok)
	}
	c.Put("c", b)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	c, err = OpenQuestionCache(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("b"); ok || c.Len() != 2 {
		t.Errorf("after a save that used a and c: b cached %v, %d entries; want b dropped", ok, c.Len())
	}
}

func TestQuestionCacheThatOnlyReadWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.json")
	c, _ := OpenQuestionCache(path)
	c.Put("a", CachedQuestions{Answered: []string{"q"}})
	c.Put("b", CachedQuestions{Answered: []string{"q"}})
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	reader, err := OpenQuestionCache(path)
	if err != nil {
		t.Fatal(err)
	}
	reader.Get("a")
	if err := reader.Save(); err != nil {
		t.Fatal(err)
	}
	again, _ := OpenQuestionCache(path)
	if again.Len() != 2 {
		t.Errorf("a cache that only read pruned the file to %d entries", again.Len())
	}
}

func TestQuestionCacheRefusesACorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "questions.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"sections":{"a":`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := OpenQuestionCache(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "delete it") {
		t.Errorf("err = %v, want one naming the file and what to do", err)
	}
}
