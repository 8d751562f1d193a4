#!/usr/bin/env bash
# resilient-nexthops.sh: a router-side helper that gives every VIP route a kernel *resilient* next-hop group, kept in
# step with the multipath routes BIRD exports. Neither BIRD nor FRR installs resilient groups for BGP routes, and
# a plain multipath route rehashes about a third of the flows whenever a node joins; a resilient group moves only
# the leaving node's flows, and on a join only buckets that carried no packet for IDLE seconds.
#
# BIRD's kernel protocol exports the VIP routes into a side table (`kernel table TABLE;`), not the main one. This
# helper follows that table (`ip monitor route`, then `ip -j route show table TABLE`) and, for every route there,
# keeps in the main table:
#   ip nexthop replace id NH via GATEWAY dev DEV             (one per node link, reused)
#   ip nexthop replace id GROUP group NH1/NH2/... type resilient buckets B idle_timer IDLE unbalanced_timer 0
#   ip route replace VIP nhid GROUP proto PROTO
# A route that leaves the side table (every node withdrew it) leaves the main table; its group stays, so that when
# the VIP comes back (a flap of every session) its buckets are where they were. Its main-table routes carry
# protocol PROTO: routes without it are never touched, and a restarted helper
# takes over the groups of those with it, so no flow moves. Next-hop ids are taken from FIRST_ID on, skipping ids
# in use.
#
# Usage: resilient-nexthops.sh [--table TABLE] [--buckets B] [--idle-timer SECONDS] [--first-id ID] [--proto N] [--once]
#   --table       the side table BIRD exports into (default 100)
#   --buckets     buckets per group (default 128; fixed for a group's life)
#   --idle-timer  seconds a bucket must carry no packet before a joining node may take it (default 30)
#   --first-id    the first next-hop id to use (default 1000)
#   --proto       the routing protocol number its main-table routes carry (default 241)
#   --once        sync once and exit (default: sync, then follow the side table until SIGTERM/SIGINT)
# Run it in the router's network namespace (ip netns exec ROUTER ...), as root, in a process group of its own
# (setsid): stopping it stops its `ip monitor`. On exit it leaves the main table as it is (the routes keep
# forwarding; they are no longer updated). Needs iproute2 with nexthop objects (5.3+; resilient groups: 5.13
# kernel) and jq. A group of one node protects no join: the kernel marks buckets busy only for routes of more
# than one path, so the next node to join takes half of the buckets, live flows included. See docs/scale-out.md.
set -euo pipefail

TABLE=100 BUCKETS=128 IDLE=30 FIRST_ID=1000 PROTO=241 ONCE=0
usage() { sed -n '/^# Usage:/,/^#   --once/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --table) TABLE=${2:-}; shift 2 ;;
    --buckets) BUCKETS=${2:-}; shift 2 ;;
    --idle-timer) IDLE=${2:-}; shift 2 ;;
    --first-id) FIRST_ID=${2:-}; shift 2 ;;
    --proto) PROTO=${2:-}; shift 2 ;;
    --once) ONCE=1; shift ;;
    -h|--help) usage ;;
    *) echo "resilient-nexthops.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
for v in TABLE BUCKETS IDLE FIRST_ID PROTO; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "resilient-nexthops.sh: --${v,,} '${!v}': give a whole number" >&2; exit 2; }
done
[ "$TABLE" -ge 1 ] && [ "$TABLE" -ne 254 ] && [ "$TABLE" -ne 255 ] \
  || { echo "resilient-nexthops.sh: --table $TABLE: give the side table BIRD exports into, not main (254) or local (255)" >&2; exit 2; }
[ "$BUCKETS" -ge 1 ] && [ "$BUCKETS" -le 65535 ] || { echo "resilient-nexthops.sh: --buckets $BUCKETS: give 1 to 65535" >&2; exit 2; }
[ "$FIRST_ID" -ge 1 ] || { echo "resilient-nexthops.sh: --first-id 0: give 1 or more" >&2; exit 2; }
[ "$PROTO" -ge 5 ] && [ "$PROTO" -le 255 ] || { echo "resilient-nexthops.sh: --proto $PROTO: give a protocol number of 5 to 255 that nothing else uses (default 241)" >&2; exit 2; }
command -v jq >/dev/null || { echo "resilient-nexthops.sh: jq is not installed" >&2; exit 1; }

declare -A GROUP_OF=()   # "VIP" -> the group id its main-table route uses
declare -A MEMBERS_OF=() # "VIP" -> "NH1/NH2/..." as last set
declare -A ROUTED=()     # "VIP" -> 1 while its main-table route exists
declare -A HOP_ID=()     # "GATEWAY@DEV" -> next-hop id
NEXT_ID=$FIRST_ID ID="" SIDE=""

log() { printf '%s resilient-nexthops: %s\n' "$(date +%H:%M:%S.%3N)" "$*"; }

# The ids nexthop objects hold now, space-separated with a space at both ends (read once per pass that needs one).
USED_IDS=""
# Sets ID to a next-hop id no nexthop object holds yet.
free_id() {
  [ -n "$USED_IDS" ] || USED_IDS=" $(ip -j nexthop show 2>/dev/null | jq -r '[.[].id] | join(" ")') "
  while [[ $USED_IDS == *" $NEXT_ID "* ]]; do NEXT_ID=$((NEXT_ID + 1)); done
  ID=$NEXT_ID
  USED_IDS+="$ID "
  NEXT_ID=$((NEXT_ID + 1))
}

# Sets SIDE to every route of the side table, one a line: "VIP GATEWAY@DEV,GATEWAY@DEV,..." (next hops sorted).
# A table that does not exist yet (BIRD exported nothing so far) is empty; any other failure fails, so that a
# pass never takes an unreadable table for an empty one.
read_side() {
  local family out all=""
  for family in -4 -6; do
    if ! out=$(ip "$family" -j route show table "$TABLE" 2>&1); then
      [[ $out == *"does not exist"* ]] || { log "cannot read table $TABLE: ${out//$'\n'/ }"; return 1; }
      out='[]'
    fi
    all+="$out"
  done
  SIDE=$(jq -rs 'add | .[] | select(.dst != null and .dst != "default")
      | [.dst, ([(.nexthops // [{gateway: .gateway, dev: .dev}])[] | select(.gateway != null and .dev != null) | "\(.gateway)@\(.dev)"] | sort | join(","))]
      | select(.[1] != "") | join(" ")' <<<"$all")
}

# At start: the groups a previous run left behind (main-table routes of protocol PROTO) are taken over, so their
# buckets (and the flows they carry) stay where they are; the first pass removes those no longer in the side table.
# Lines "VIP GROUP NH/NH/... NH=GATEWAY@DEV ...".
adopt() {
  local vip group members hops hop
  while read -r vip group members hops; do
    [ -n "$vip" ] || continue
    GROUP_OF[$vip]=$group MEMBERS_OF[$vip]=$members ROUTED[$vip]=1
    for hop in $hops; do HOP_ID[${hop#*=}]=${hop%%=*}; done
    log "$vip: took over group $group of $members"
  done < <({ ip -j nexthop show 2>/dev/null || echo '[]'; ip -4 -j route show proto "$PROTO" 2>/dev/null || echo '[]'; ip -6 -j route show proto "$PROTO" 2>/dev/null || echo '[]'; } |
    jq -rs '
      (.[0] | map({key: (.id | tostring), value: .}) | from_entries) as $nh
      | (.[1] + .[2])[] | select(.nhid != null and $nh[.nhid | tostring].type == "resilient")
      | $nh[.nhid | tostring] as $g | [$g.group[].id | tostring] as $m
      | [.dst, (.nhid | tostring), ($m | join("/"))] + [$m[] | "\(.)=\($nh[.].gateway)@\($nh[.].dev)"] | join(" ")' 2>/dev/null || true)
}

# One pass: every side-table route has its group and main-table route; routes gone from it are removed. The
# changes go to the kernel in one `ip -force -batch` (every line tried); if one fails (objects removed behind
# this helper's back), what the kernel holds is taken over again and the caller makes another pass.
sync_routes() {
  local vip hops hop members group gw dev commands="" changes=()
  declare -A seen=()
  USED_IDS=""
  read_side || return 1
  while read -r vip hops; do
    [ -n "$vip" ] || continue
    seen[$vip]=1
    members=""
    for hop in ${hops//,/ }; do
      if [ -z "${HOP_ID[$hop]:-}" ]; then
        gw=${hop%@*} dev=${hop#*@}
        free_id
        HOP_ID[$hop]=$ID
        commands+="nexthop replace id $ID via $gw dev $dev"$'\n'
      fi
      members+="${members:+/}${HOP_ID[$hop]}"
    done
    [ "${MEMBERS_OF[$vip]:-}" != "$members" ] || [ -z "${ROUTED[$vip]:-}" ] || continue
    group=${GROUP_OF[$vip]:-}
    if [ -z "$group" ]; then free_id; group=$ID; fi
    if [ "${MEMBERS_OF[$vip]:-}" != "$members" ]; then
      commands+="nexthop replace id $group group $members type resilient buckets $BUCKETS idle_timer $IDLE unbalanced_timer 0"$'\n'
    fi
    commands+="route replace $vip nhid $group proto $PROTO"$'\n'
    GROUP_OF[$vip]=$group MEMBERS_OF[$vip]=$members ROUTED[$vip]=1
    changes+=("$vip: group $group of $members (${hops//,/ })")
  done <<<"$SIDE"
  for vip in "${!ROUTED[@]}"; do
    [ -z "${seen[$vip]:-}" ] || continue
    commands+="route del $vip nhid ${GROUP_OF[$vip]}"$'\n'
    changes+=("$vip: withdrawn by every node; route removed, group ${GROUP_OF[$vip]} kept for its return")
    unset "ROUTED[$vip]"
  done
  # Next hops this helper made that no group holds any more (a node gone).
  local used=" ${MEMBERS_OF[*]//\// } " key
  for key in "${!HOP_ID[@]}"; do
    [[ $used == *" ${HOP_ID[$key]} "* ]] && continue
    commands+="nexthop del id ${HOP_ID[$key]}"$'\n'
    unset "HOP_ID[$key]"
  done
  [ -n "$commands" ] || return 0
  if ! ip -force -batch - <<<"$commands"; then
    log "the kernel refused a change (objects changed behind this helper's back?); taking over what the kernel holds, then a new pass"
    GROUP_OF=() MEMBERS_OF=() HOP_ID=() ROUTED=()
    adopt
    return 1
  fi
  for vip in "${changes[@]}"; do log "$vip"; done
}

adopt
if [ "$ONCE" = 1 ]; then
  sync_routes || sync_routes
  exit 0
fi

# Follow the side table: the monitor runs first, so no change between the first sync and the loop is missed.
# iproute2 cannot filter `ip monitor route` by table: every line naming it starts a pass (a few `ip` and `jq` runs).
MONITOR_PID=""
stop() { trap - EXIT INT TERM; [ -z "$MONITOR_PID" ] || kill "$MONITOR_PID" 2>/dev/null || true; exit 0; }
trap stop EXIT INT TERM
exec {EVENTS}< <(exec ip monitor route)
MONITOR_PID=$!
log "following table $TABLE (buckets $BUCKETS, idle_timer $IDLE s, unbalanced_timer 0)"
sync_routes || sync_routes || true
while IFS= read -r line <&"$EVENTS"; do
  [[ $line == *" table $TABLE "* || $line == *" table $TABLE" ]] || continue
  # A multipath change arrives as several lines; take what else is already queued before syncing.
  while IFS= read -r -t 0.005 line <&"$EVENTS"; do :; done
  sync_routes || sync_routes || true
done
log "ip monitor ended"
