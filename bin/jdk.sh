# Sourced by bin/doorman and bin/example: sets and exports JAVA_HOME to a JDK 21 or newer, or exits saying so.

# The major version from the JDK's release file (no JVM start), else from the JVM itself.
java_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "$v"
}
pick_jdk() {
  local candidate on_path=""
  command -v java >/dev/null 2>&1 && on_path=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  for candidate in "${JAVA_HOME:-}" "$on_path" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
JAVA_HOME=$(pick_jdk) || { echo "Doorman needs JDK 21 or newer: install one, or point JAVA_HOME at it." >&2; exit 1; }
export JAVA_HOME
