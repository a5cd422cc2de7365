package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// AskerPolicy says how user IDs (askers, clickers) are recorded
// (FAQBOT_ASKER_IDS).
type AskerPolicy string

const (
	// AskerHash keeps a keyed hash: the same person has the same value, so
	// repeat askers and `faqbot forget` work, but the value names no one
	// without the install's salt.
	AskerHash AskerPolicy = "hash"
	// AskerRaw keeps the platform's user ID.
	AskerRaw AskerPolicy = "raw"
	// AskerNone keeps nothing.
	AskerNone AskerPolicy = "none"
)

func (p AskerPolicy) valid() bool { return p == AskerHash || p == AskerRaw || p == AskerNone }

// ParseAskerPolicy reads a FAQBOT_ASKER_IDS value; "" is the default.
func ParseAskerPolicy(s string) (AskerPolicy, error) {
	p := AskerPolicy(s)
	if s == "" {
		p = AskerHash
	}
	if !p.valid() {
		return "", fmt.Errorf("%q is not hash, raw or none", s)
	}
	return p, nil
}

const saltName = "asker_salt"

// loadSalt returns the install's salt, made at the first start. Replicas
// starting together agree: the first insert wins.
func (s *Store) loadSalt(ctx context.Context) ([]byte, error) {
	var fresh [32]byte
	_, _ = rand.Read(fresh[:])
	if _, err := s.exec(ctx, synced, `INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
		saltName, hex.EncodeToString(fresh[:])); err != nil {
		return nil, fmt.Errorf("asker salt: %w", err)
	}
	var v string
	if err := s.w.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = $1`, saltName).Scan(&v); err != nil {
		return nil, fmt.Errorf("asker salt: %w", err)
	}
	salt, err := hex.DecodeString(v)
	if err != nil || len(salt) < 16 {
		return nil, fmt.Errorf("asker salt: meta holds a bad value")
	}
	return salt, nil
}

// Asker is how the store records the user ID id under its policy.
func (s *Store) Asker(id string) string {
	if id == "" {
		return ""
	}
	switch s.opts.AskerIDs {
	case AskerRaw:
		return cut(id, maxRef)
	case AskerNone:
		return ""
	}
	return s.hash(id)
}

// hash is HMAC-SHA256(salt, id), hex, cut to 128 bits.
func (s *Store) hash(id string) string {
	m := hmac.New(sha256.New, s.salt)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// forms are every value id may have been recorded as, whatever the policy
// was at the time.
func (s *Store) forms(id string) []any {
	return []any{s.hash(id), cut(id, maxRef)}
}
