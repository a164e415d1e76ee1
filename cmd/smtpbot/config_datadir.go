package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/smtpcodes/smtpbot/bot"
)

// imageUID is the user the Docker image runs as (USER in the Dockerfile;
// packaging_test.go checks that the two agree).
const imageUID = 65532

// checkDataDir makes sure the bot can keep its preference store in dir
// before anything connects, so a folder it may not write stops start-up with
// what to do about it, not with a bare "permission denied". It returns the
// folder's absolute path, for the log. An empty dir keeps preferences in
// memory and needs no folder.
func checkDataDir(dir string) (string, error) {
	if dir == "" {
		return "", nil
	}
	// Relative paths are shown absolute: in the image, DATA_DIR=data from a
	// copied .env is /data, and the message should say so.
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return abs, dataDirError(abs, err)
	}
	// An existing store must open for writing; otherwise the folder must
	// take a new file, which a probe shows.
	f, err := os.OpenFile(filepath.Join(dir, bot.StoreFile), os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		if f, err = os.CreateTemp(dir, ".smtpbot-write-check-*"); err == nil {
			defer os.Remove(f.Name())
		}
	}
	if err != nil {
		return abs, dataDirError(abs, err)
	}
	return abs, f.Close()
}

// dataDirError says what is wrong with the data folder and what to do, with
// the folder named once (a *fs.PathError names its own path again).
func dataDirError(dir string, err error) error {
	cause := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		cause = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("DATA_DIR %s: the bot, running as UID %d, may not write there (%v). "+
			"The Docker image runs as UID %d: use a named volume (-v smtpbot-data:/data), "+
			"or give a bind-mounted folder to that user (sudo chown -R %d:%d FOLDER). "+
			"Outside Docker, set DATA_DIR to a folder you can write",
			dir, os.Getuid(), cause, imageUID, imageUID, imageUID)
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("DATA_DIR %s is on a read-only file system: mount it read-write, or use a named volume (-v smtpbot-data:/data)", dir)
	}
	return fmt.Errorf("DATA_DIR %s: %v", dir, err)
}
