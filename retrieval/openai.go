package retrieval

import (
	"context"
	"fmt"
	"strings"

	"github.com/sashabaranov/go-openai"
)

// OpenAIEmbedder embeds through any server that speaks OpenAI's embeddings
// API: OpenAI, Azure OpenAI (the model name is the deployment), Ollama, vLLM.
// Retries belong to the client's HTTP transport.
type OpenAIEmbedder struct {
	client *openai.Client
	model  string
	batch  int
}

// DefaultEmbeddingBatch stays well under OpenAI's 2,048 inputs per request
// and keeps each request small enough to retry cheaply.
const DefaultEmbeddingBatch = 256

// NewOpenAIEmbedder embeds with model through client, batch inputs per call
// (DefaultEmbeddingBatch when batch <= 0).
func NewOpenAIEmbedder(client *openai.Client, model string, batch int) *OpenAIEmbedder {
	if batch <= 0 {
		batch = DefaultEmbeddingBatch
	}
	return &OpenAIEmbedder{client: client, model: model, batch: batch}
}

// Name implements Embedder.
func (e *OpenAIEmbedder) Name() string { return "openai:" + e.model }

// Embed implements Embedder.
func (e *OpenAIEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.batch {
		batch := texts[start:min(start+e.batch, len(texts))]
		input := make([]string, len(batch))
		for i, t := range batch {
			// OpenAI recommends single-line inputs; empty input is an error.
			input[i] = strings.Join(strings.Fields(t), " ")
			if input[i] == "" {
				input[i] = "-"
			}
		}
		resp, err := e.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
			Input: input,
			Model: openai.EmbeddingModel(e.model),
		})
		if err != nil {
			return nil, fmt.Errorf("embeddings %s (%d inputs): %w", e.model, len(input), err)
		}
		vecs := make([][]float32, len(batch))
		for _, d := range resp.Data {
			if d.Index < 0 || d.Index >= len(batch) || len(d.Embedding) == 0 {
				return nil, fmt.Errorf("embeddings %s: bad item index %d", e.model, d.Index)
			}
			vecs[d.Index] = unit(d.Embedding)
		}
		for i, v := range vecs {
			if v == nil {
				return nil, fmt.Errorf("embeddings %s: no vector for input %d", e.model, start+i)
			}
		}
		out = append(out, vecs...)
	}
	return out, nil
}
