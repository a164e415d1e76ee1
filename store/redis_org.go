package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

func (r *Redis) orgTeamsKey(enterprise string) string {
	return r.prefix + "{" + InstallationID{EnterpriseID: enterprise}.key() + "}:teams"
}

// LinkTeam implements Languages with SADD.
func (r *Redis) LinkTeam(ctx context.Context, enterprise, team string) error {
	if enterprise == "" || team == "" {
		return fmt.Errorf("%w: link team: empty enterprise or team", ErrInvalid)
	}
	return r.wrap("link team", r.c.SAdd(ctx, r.orgTeamsKey(enterprise), team).Err())
}

// DeleteEnterpriseLanguages implements Languages. Each team's choices
// live in the team's own slot, so they are deleted one team at a time,
// each unlinked once its choices are gone: a call cut short leaves the
// rest linked for the next call (a redelivered uninstall) to finish.
func (r *Redis) DeleteEnterpriseLanguages(ctx context.Context, enterprise string) error {
	if enterprise == "" {
		return fmt.Errorf("%w: delete enterprise languages: empty enterprise", ErrInvalid)
	}
	key := r.orgTeamsKey(enterprise)
	teams, err := r.c.SMembers(ctx, key).Result()
	if err != nil {
		return r.wrap("delete enterprise languages", err)
	}
	for _, team := range teams {
		if err := r.c.Unlink(ctx, r.teamKey(team, "lang")).Err(); err != nil {
			return r.wrap("delete enterprise languages", err)
		}
		if err := r.c.SRem(ctx, key, team).Err(); err != nil {
			return r.wrap("delete enterprise languages", err)
		}
	}
	return nil
}

// Expiring implements Installations from the install-expiry index, each
// entry checked against the installation it names (which may have been
// replaced or deleted since it was indexed).
func (r *Redis) Expiring(ctx context.Context, before time.Time, max int) ([]Installation, error) {
	count := int64(max)
	if max <= 0 {
		count = -1
	}
	keys, err := r.c.ZRangeByScore(ctx, r.expiryKey(), &redis.ZRangeBy{
		Min: "-inf", Max: "(" + strconv.FormatInt(before.UnixMilli(), 10), Count: count,
	}).Result()
	if err != nil {
		return nil, r.wrap("expiring installations", err)
	}
	var out []Installation
	for _, k := range keys {
		id, ok := parseInstallationKey(k)
		if !ok {
			continue
		}
		inst, err := r.Installation(ctx, id)
		if errors.Is(err, ErrNotFound) {
			// Deleted between the two commands of a delete that was cut short.
			_ = r.c.ZRem(ctx, r.expiryKey(), k).Err()
			continue
		}
		if err != nil {
			return nil, err
		}
		if expiresBefore(inst, before) {
			out = append(out, inst)
		}
	}
	return soonest(out, max), nil
}

// parseInstallationKey reads an id back from InstallationID.key(): a team
// key yields the team alone (Installation finds it by team).
func parseInstallationKey(k string) (InstallationID, bool) {
	switch {
	case strings.HasPrefix(k, "T:") && len(k) > 2:
		return InstallationID{TeamID: k[2:]}, true
	case strings.HasPrefix(k, "E:") && len(k) > 2:
		return InstallationID{EnterpriseID: k[2:]}, true
	}
	return InstallationID{}, false
}
