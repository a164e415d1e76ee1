package bot

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"go.etcd.io/bbolt"
)

// SavedLanguages reads every language choice from the preferences file in
// dataDir (user id → tag), for moving them to a shared store. It opens the
// file read-only and fails, saying why, while a bot holds it.
func SavedLanguages(dataDir string) (map[string]string, error) {
	file := filepath.Join(dataDir, StoreFile)
	db, err := bbolt.Open(file, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("%s is locked: stop the bot that uses it, then copy", file)
	}
	if err != nil {
		return nil, fmt.Errorf("preferences file: %w", err)
	}
	defer db.Close()
	out := map[string]string{}
	err = db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(languagesBucket)
		if b == nil {
			return nil // a file no choice was ever saved in
		}
		return b.ForEach(func(k, v []byte) error {
			if len(v) > 0 {
				out[string(k)] = string(v)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	return out, nil
}
