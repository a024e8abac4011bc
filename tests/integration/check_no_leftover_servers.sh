#!/bin/bash
# ctest "nothing left behind" check: fails if a fixture's redis-server (or valkey-server) outlived its test.
#
# Fixture servers run with --dir (and so their cwd) inside /tmp/rfx-<owner pid>-XXXXXX and with the
# owner, the test process that started them, as their parent. A live redis-server there whose
# parent is not the owner has leaked (its test ended, it got re-parented). Servers whose parent is
# their owner belong to a test that is still running (a parallel ctest, another build dir) and are
# left alone. Zombies are dead already (init reaps them late) and are skipped.
# Stale fixture dirs (owner gone) are only reported: RESPIO_KEEP_FIXTURE_DIRS keeps them on purpose.
status=0
for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    comm=$(cat "$proc/comm" 2>/dev/null) || continue
    case "$comm" in redis-server | valkey-server) ;; *) continue ;; esac
    stat=$(cat "$proc/stat" 2>/dev/null) || continue
    rest=${stat##*) }          # after "pid (comm) ": "state ppid ..."
    state=${rest%% *}
    rest=${rest#* }
    ppid=${rest%% *}
    [ "$state" = Z ] && continue
    cwd=$(readlink "$proc/cwd" 2>/dev/null)
    cmdline=$(tr '\0' ' ' < "$proc/cmdline" 2>/dev/null)
    where=
    case "$cwd" in /tmp/rfx-*) where=$cwd ;; esac
    if [ -z "$where" ]; then
        case "$cmdline" in *" /tmp/rfx-"*) where=$(grep -o '/tmp/rfx-[^ ]*' <<<"$cmdline" | head -n1) ;; esac
    fi
    [ -n "$where" ] || continue
    owner=${where#/tmp/rfx-}
    owner=${owner%%-*}
    if [ "$ppid" = "$owner" ]; then
        echo "in use: $comm pid $pid of running process $owner ($where)"
        continue
    fi
    echo "LEFTOVER: $comm pid $pid (parent $ppid, fixture owner $owner) in $where: $cmdline"
    status=1
done
for dir in /tmp/rfx-*; do
    [ -d "$dir" ] || continue
    owner=${dir#/tmp/rfx-}
    owner=${owner%%-*}
    [ -d "/proc/$owner" ] || echo "note: stale fixture dir $dir (process $owner is gone)"
done
[ $status = 0 ] && echo "no leftover redis-server/valkey-server processes"
exit $status
