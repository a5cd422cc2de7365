package retrieval

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/corpus"
)

func TestExperiment(t *testing.T) {
	path := os.Getenv("DEVQ")
	if path == "" {
		t.Skip()
	}
	c, _ := corpus.Default()
	ix, err := Build(context.Background(), c, NewLocalEmbedder(0), nil)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	sc := bufio.NewScanner(f)
	sc.Scan()
	for _, mode := range []Mode{Fused, LexicalOnly, DenseOnly} {
		f.Seek(0, 0)
		sc = bufio.NewScanner(f)
		sc.Scan()
		var n, r1, r3 int
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			rank, _ := ix.Search(context.Background(), Query{Text: cols[1], K: 3, Mode: mode})
			var top []string
			cov := 0.0
			for _, r := range rank.Results {
				top = append(top, r.Section.Anchor)
			}
			if len(rank.Results) > 0 {
				cov = rank.Results[0].Coverage
				if mode == Fused && os.Getenv("C") != "" {
					fmt.Printf("SIG %s ans=%s cov=%.2f dense=%.3f lex=%.2f  %s\n", cols[0], cols[4], cov, rank.Results[0].Dense, rank.Results[0].Lexical, cols[1])
				}
			}
			if cols[2] == "-" {
				if mode == Fused {
					fmt.Printf("NEG %s cov=%.2f %s\n", cols[0], cov, cols[1])
				}
				continue
			}
			n++
			exp := strings.Split(cols[2], "|")
			hit := -1
			for i, a := range top {
				for _, e := range exp {
					if a == e && hit < 0 {
						hit = i
					}
				}
			}
			if hit == 0 {
				r1++
			}
			if hit >= 0 && hit < 3 {
				r3++
			}
			if mode == Fused && os.Getenv("V") != "" {
				if hit != 0 {
					fmt.Printf("MISS %s (hit=%d cov=%.2f) %s\n   got %v\n", cols[0], hit, cov, cols[1], top)
				} else {
					fmt.Printf("ok   %s cov=%.2f\n", cols[0], cov)
				}
			}
		}
		fmt.Printf("%s: R@1 %.2f R@3 %.2f (n=%d)\n", mode, float64(r1)/float64(n), float64(r3)/float64(n), n)
	}
}
