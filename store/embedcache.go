package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"
)

// The shared embedding cache: replicas on one database embed a passage
// once between them. Vectors are keyed by model and a hash of the text
// (retrieval's cache keys), stored as little-endian float32.
const (
	// vectorBatch bounds the keys or rows of one statement.
	vectorBatch = 200
	// maxVectorDims bounds a vector: embedding models stay far below.
	maxVectorDims = 16 << 10
	// embeddingTTL is how long a vector no build used is kept.
	embeddingTTL = 30 * 24 * time.Hour
	// touchAfter is how stale a vector's last use may get before a build
	// that uses it writes the time again: builds are rare, writes are not
	// free.
	touchAfter = 24 * time.Hour
)

// Vectors returns the cached vectors of model for the keys it has; a key
// it lacks is absent from the map. It implements retrieval.SharedVectors.
func (s *Store) Vectors(ctx context.Context, model string, keys []string) (map[string][]float32, error) {
	out := make(map[string][]float32, len(keys))
	now := s.now()
	for start := 0; start < len(keys); start += vectorBatch {
		batch := keys[start:min(start+vectorBatch, len(keys))]
		args := append([]any{model}, strArgs(batch)...)
		if err := s.readVectors(ctx, out, `SELECT text_hash, vector FROM embeddings WHERE model = $1 AND text_hash IN (`+
			placeholders(2, len(batch))+`)`, args...); err != nil {
			return nil, fmt.Errorf("read shared embeddings: %w", err)
		}
		args = append(args, millis(now), millis(now.Add(-touchAfter)))
		if _, err := s.exec(ctx, committed, `UPDATE embeddings SET at = $`+fmt.Sprint(len(batch)+2)+
			` WHERE model = $1 AND text_hash IN (`+placeholders(2, len(batch))+`) AND at < $`+fmt.Sprint(len(batch)+3), args...); err != nil {
			return nil, fmt.Errorf("touch shared embeddings: %w", err)
		}
	}
	return out, nil
}

func (s *Store) readVectors(ctx context.Context, out map[string][]float32, query string, args ...any) error {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var raw []byte
		if err := rows.Scan(&key, &raw); err != nil {
			return err
		}
		if v, ok := decodeVector(raw); ok {
			out[key] = v
		}
	}
	return rows.Err()
}

// PutVectors adds vectors of model to the cache; keys it has already keep
// their vectors. It implements retrieval.SharedVectors.
func (s *Store) PutVectors(ctx context.Context, model string, vecs map[string][]float32) error {
	type row struct {
		key string
		vec []byte
	}
	rows := make([]row, 0, len(vecs))
	for k, v := range vecs {
		if len(v) == 0 || len(v) > maxVectorDims || len(k) > maxRef {
			continue
		}
		rows = append(rows, row{k, encodeVector(v)})
	}
	at := millis(s.now())
	for start := 0; start < len(rows); start += vectorBatch {
		batch := rows[start:min(start+vectorBatch, len(rows))]
		var values strings.Builder
		args := []any{model, at}
		for i, r := range batch {
			if i > 0 {
				values.WriteString(", ")
			}
			fmt.Fprintf(&values, "($1, $%d, $%d, $2)", len(args)+1, len(args)+2)
			args = append(args, r.key, r.vec)
		}
		if _, err := s.exec(ctx, committed, `INSERT INTO embeddings (model, text_hash, vector, at) VALUES `+values.String()+
			` ON CONFLICT (model, text_hash) DO NOTHING`, args...); err != nil {
			return fmt.Errorf("share embeddings: %w", err)
		}
	}
	return nil
}

// pruneEmbeddings deletes vectors no build has used for embeddingTTL.
func (s *Store) pruneEmbeddings(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM embeddings WHERE at < $1`, millis(s.now().Add(-embeddingTTL)))
	return err
}

func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// decodeVector reads a stored vector; a malformed one is not used.
func decodeVector(b []byte) ([]float32, bool) {
	if len(b) == 0 || len(b)%4 != 0 || len(b) > 4*maxVectorDims {
		return nil, false
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, true
}

// placeholders is "$from, $from+1, …", n of them.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

func strArgs(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
