package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Claim takes key for the claim TTL and reports whether it was free: the
// first delivery of a platform event wins, across restarts and replicas.
// An expired claim is free again. It implements bot.Claims.
func (s *Store) Claim(ctx context.Context, key string) (bool, error) {
	if key == "" {
		return true, nil // nothing tells deliveries apart
	}
	now := s.now()
	n, err := s.exec(ctx, committed, claimSQL,
		claimKey(key), millis(now), millis(now.Add(-s.opts.ClaimTTL)))
	if err != nil {
		return false, fmt.Errorf("claim: %w", err)
	}
	return n == 1, nil
}

// Release frees key. It implements bot.Claims.
func (s *Store) Release(ctx context.Context, key string) error {
	if _, err := s.exec(ctx, committed, `DELETE FROM claims WHERE claim_key = $1`, claimKey(key)); err != nil {
		return fmt.Errorf("release claim: %w", err)
	}
	return nil
}

// claimKey bounds what a key takes in the table: long keys, and keys a
// text column cannot hold, are hashed.
func claimKey(key string) string {
	if len(key) <= 200 && utf8.ValidString(key) && !strings.ContainsRune(key, 0) {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(sum[:])
}
