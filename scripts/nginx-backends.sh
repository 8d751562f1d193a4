#!/usr/bin/env bash
# nginx backends for the topology scripts (sourced by lb-topology.sh and cluster-topology.sh): one nginx per
# backend namespace PREFIX-B, answering "B" on PORT, its files under DIR/B.
#
#   nginx_backends_start PREFIX DIR PORT "OPTIONS" B...   start them all and wait until each accepts (5 s at most)
#   nginx_backend_run PREFIX DIR B                        start B's nginx again with the files written; no wait
#
# OPTIONS, any of: log        an access log per backend (DIR/B/access.log: a line a request)
#                  keepalive  keep client connections open (long-lived clients send many requests on one)
#                  ipv6       listen on IPv6 too

nginx_backend_run() {
  local p=$1 dir=$2 b=$3
  # In a subshell: not a job of the caller's shell, so stopping it later prints nothing there.
  (ip netns exec "$p-$b" nginx -e "$dir/$b/error.log" -p "$dir/$b" -c "$dir/$b/nginx.conf" </dev/null >/dev/null 2>&1 &)
}

nginx_backends_start() {
  local p=$1 dir=$2 port=$3 options=" $4 " b _ up access keepalive listen6
  shift 4
  for b in "$@"; do
    mkdir -p "$dir/$b"
    access="access_log off;" keepalive="keepalive_timeout 0;" listen6=""
    [[ $options == *" log "* ]] && access="access_log $dir/$b/access.log;" && : > "$dir/$b/access.log"
    [[ $options == *" keepalive "* ]] && keepalive="keepalive_timeout 600s; keepalive_requests 1000000;"
    [[ $options == *" ipv6 "* ]] && listen6="listen [::]:$port backlog=4096;"
    cat > "$dir/$b/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $dir/$b/nginx.pid;
error_log $dir/$b/error.log warn;
events { worker_connections 8192; }
http {
    $access
    client_body_temp_path $dir/$b/body;
    proxy_temp_path $dir/$b/proxy;
    fastcgi_temp_path $dir/$b/fastcgi;
    uwsgi_temp_path $dir/$b/uwsgi;
    scgi_temp_path $dir/$b/scgi;
    $keepalive
    server {
        listen $port backlog=4096;
        $listen6
        location / { default_type text/plain; return 200 "$b\n"; }
    }
}
EOF
    nginx_backend_run "$p" "$dir" "$b"
  done
  for _ in $(seq 50); do
    up=0
    for b in "$@"; do
      # A bare connection, not a request: access logs count only the clients' requests.
      ip netns exec "$p-$b" timeout 1 bash -c ": </dev/tcp/127.0.0.1/$port" 2>/dev/null && up=$((up + 1))
    done
    [ $up = $# ] && return 0
    sleep 0.1
  done
  echo "nginx-backends.sh: nginx did not start in every backend (see $dir/*/error.log)" >&2
  return 1
}
