#!/usr/bin/env bash
# usage: check_install.sh BUILD_DIR CONSUMER_SRC PYTHON PYTHON_INSTALL_DIR
set -euo pipefail
build=$1 consumer=$2 python=${3:-} pydir=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" > "$work/install.log"
echo "installed into $prefix"

# C++ and C through the CMake package.
cmake -S "$consumer" -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" > "$work/configure.log"
cmake --build "$work/consumer" > "$work/build.log"
"$work/consumer/consumer_cxx" "$work/cxx.db"
LD_LIBRARY_PATH="$prefix/lib:$prefix/lib/x86_64-linux-gnu" "$work/consumer/consumer_c" "$work/c-cmake.db"

# C through pkg-config.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
cc -std=c99 -Wall -Wextra -Werror "$consumer/consumer.c" $(pkg-config --cflags --libs patron) -o "$work/consumer_pc"
LD_LIBRARY_PATH="$(pkg-config --variable=libdir patron)" "$work/consumer_pc" "$work/c-pc.db"

# The patron command.
"$prefix/bin/patron" --version > /dev/null
printf 'First Name,Surname,E-mail\nAna,Silva,ana@example.com\n' > "$work/guests.csv"
"$prefix/bin/patron" import customers "$work/guests.csv" --db "$work/cli.db" --quiet > /dev/null
"$prefix/bin/patron" identify ana@example.com --db "$work/cli.db" > /dev/null

# Python package, with its stubs and marker.
if [ -n "$python" ]; then
  pkg="$prefix/$pydir/patron"
  for f in __init__.py clv.py errors.py py.typed _patron.pyi; do
    test -f "$pkg/$f" || { echo "missing $pkg/$f"; exit 1; }
  done
  ls "$pkg"/_patron*.so > /dev/null
  PYTHONPATH="$prefix/$pydir" "$python" -c "
import patron, sys
db = patron.open(sys.argv[1])
c = db.customers.create(first_name='Ana', last_name='Silva', email='ana@example.com')
assert db.customers.find_by_email('ANA@example.com').id == c.id
print('python ok', c.number)
" "$work/py.db"
fi
echo "install check passed"
