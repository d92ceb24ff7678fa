#!/usr/bin/env bash
# Runs the sample application behind a web server on this machine, everything in a fresh
# temporary directory that is removed on exit (Ctrl-C):
#   sample-app/deploy/run.sh nginx       nginx, application on a UNIX socket      (nginx-unix.conf)
#   sample-app/deploy/run.sh nginx-tcp   nginx, application on TCP with keepalive (nginx-tcp.conf)
#   sample-app/deploy/run.sh lighttpd    lighttpd starting the application itself (lighttpd.conf)
#   sample-app/deploy/run.sh apache      Apache mod_proxy_fcgi, UNIX socket      (apache.conf)
# PORT (default 8080) is the HTTP port, FCGI_PORT (default 9000) the application's TCP port.
# Needs the application jar: ./mvnw -q -pl sample-app -am package -DskipTests
set -euo pipefail
# Debian installs the web servers in sbin, which a non-root PATH often lacks.
PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

kind=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
port=${PORT:-8080}
fcgi_port=${FCGI_PORT:-9000}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
java=$(command -v "$java") || { echo "java not found" >&2; exit 1; }
jar=$(ls "$here"/../target/sample-app-*.jar 2>/dev/null | grep -v -e '-tests\.jar$' | head -n 1) || true
if [ -z "$jar" ]; then
	echo "No application jar; build it with: ./mvnw -q -pl sample-app -am package -DskipTests" >&2
	exit 1
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/fastcgi-sample-XXXXXX")
# Web server workers run as another user (nobody, www-data) and must reach the socket in here.
chmod 755 "$dir"
mkdir "$dir/logs" "$dir/www" "$dir/tmp" "$dir/run"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait || true
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Copies a template into $dir with its placeholders filled in.
fill() {
	sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@FCGI_PORT@|$fcgi_port|g" \
		-e "s|@JAVA@|$java|g" -e "s|@JAR@|$jar|g" "$here/$1" >"$dir/$1"
}

# Starts the application on a socket of its own and waits for it to listen there.
start_app() {
	# The web server's workers run as another user (nobody, www-data) and must be able to connect:
	# fastcgi.socket-permissions=666 lets them. A production setup gives the socket a shared group
	# instead: --fastcgi.socket-permissions=660 --fastcgi.socket-group=www-data. (No effect on TCP.)
	"$java" -jar "$jar" --fastcgi.socket="$1" --fastcgi.socket-permissions=666 >"$dir/logs/app.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 600); do
		grep -q "Started SampleApplication" "$dir/logs/app.log" && return
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "The application did not start:" >&2
	cat "$dir/logs/app.log" >&2
	exit 1
}

case "$kind" in
nginx)
	start_app "unix:$dir/app.sock"
	fill nginx-unix.conf
	nginx -p "$dir/" -e "$dir/logs/error.log" -c "$dir/nginx-unix.conf" -g 'daemon off;' &
	;;
nginx-tcp)
	start_app "tcp:127.0.0.1:$fcgi_port"
	fill nginx-tcp.conf
	nginx -p "$dir/" -e "$dir/logs/error.log" -c "$dir/nginx-tcp.conf" -g 'daemon off;' &
	;;
lighttpd)
	fill fastcgi-sample.sh
	chmod +x "$dir/fastcgi-sample.sh"
	fill lighttpd.conf
	lighttpd -D -f "$dir/lighttpd.conf" &
	;;
apache)
	start_app "unix:$dir/app.sock"
	fill apache.conf
	apache2 -f "$dir/apache.conf" -DFOREGROUND &
	;;
*)
	sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
pids+=($!)

echo "Files and logs in $dir"
echo "Open http://127.0.0.1:$port/ (Ctrl-C stops everything)"
wait -n "${pids[@]}"
