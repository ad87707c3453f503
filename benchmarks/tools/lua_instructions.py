#!/usr/bin/env python3
"""Instructions redis-server executes per EVALSHA of a rate-limit script: a cost measure that a loaded,
shared machine does not disturb (wall-clock usec_per_call spreads by +-30 % there; these counts repeat
within 0.2 %). Start a redis-server under callgrind, then run this against it:

  valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p.out redis-server --port 6480 --save '' &
  python3 lua_instructions.py 6480 <pid of that redis-server> 3000 /tmp/cg gcra=gcra_one.lua gw=gateway.lua ...

Each argument NAME=FILE loads FILE and sends, pipelined 100 at a time, the arguments the library sends for
NAME's first part (gcra, swc, tb, fw: 10^6 per second; gcradebt, gcrarej, tbdebt, tbrej: see ARGS; gw: Spring Cloud Gateway's script, 10^6/s; one:
`return 1`). Per script: 1,000 warm-up calls, callgrind_control --zero, N calls, callgrind_control --dump;
prints the dump's instruction total / N. The counts include the server's own work per call (reading the
request, writing the reply) and a little background work (serverCron); compare scripts within one run.
"""
import glob, os, socket, subprocess, sys

ARGS = {
    'gcra': (1, ['5', '1000000', '1', '1', '1']),
    # GCRA with debt carried between calls (10^6 per 1,000 s: each call adds 1 ms, calls come faster)
    'gcradebt': (1, ['5', '1000000', '1000', '1', '1']),
    # GCRA refusing (10 per hour)
    'gcrarej': (1, ['5', '10', '360000000', '1', '1']),
    'swc': (1, ['3', '1000000', '1000000', '0', '1']),
    'tb': (1, ['4', '1000000', '1', '1', '1']),
    # token bucket not full between calls (10^6 per 1,000 s: a call takes 1 ms of refill, calls come faster)
    'tbdebt': (1, ['4', '1000000', '1000', '1', '1']),
    # token bucket refusing (10 per hour)
    'tbrej': (1, ['4', '10', '360000000', '1', '1']),
    'fw': (1, ['1', '1000000', '1000000', '0', '1']),
    'gw': (2, ['1000000', '1000000', '', '1']),
    'one': (1, ['5', '1000000', '1', '1', '1']),
}

# Job-queue enqueue of one plain job (generated id, no delay, priority 0, default name, no headers), with the
# arguments RedisJobQueues sends: 'enq' the composed enqueue script (prelude + lease + enqueue.lua, as
# QueueScripts.ENQUEUE sends it: give its text with the clock rewrite, see queue_scripts.sh-like export), 'enqone' the flat
# enqueue-one.lua; a 'h' suffix ('enqh', 'enqoneh') adds a 60-byte headers value (a trace context). Each call gets a
# new job id, so every call writes a job (a repeated id would measure the replay path).
PAYLOAD = '{"to":"a@example.com","subject":"Hi"}'
HEADERS = '{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b71"}'


def enqueue_args(kind, name, seq):
    base = 'rp:queue:{%s}' % name
    keys = [base + ':wait', base + ':delayed', base + ':marker', base + ':meta']
    job = 'job-%08d' % seq
    headers = HEADERS if kind.endswith('h') else ''
    if kind.startswith('enqone'):
        args = [job, '1764790000000', PAYLOAD] + ([headers] if headers else [])
    else:
        args = [base, '1', job, 'default', PAYLOAD, '0', '0', '0', '', '', headers, '', '0', '1764790000000', '1']
    return keys, args


class Connection:

    def __init__(self, port):
        self.sock = socket.create_connection(('127.0.0.1', port))
        self.file = self.sock.makefile('rb')

    @staticmethod
    def encode(*args):
        out = [b'*%d\r\n' % len(args)]
        for arg in args:
            arg = arg.encode() if isinstance(arg, str) else str(arg).encode()
            out.append(b'$%d\r\n%s\r\n' % (len(arg), arg))
        return b''.join(out)

    def read(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b'+':
            return rest.decode()
        if kind == b'-':
            return RuntimeError(rest.decode())
        if kind == b':':
            return int(rest)
        if kind == b'$':
            n = int(rest)
            return None if n < 0 else self.file.read(n + 2)[:-2].decode()
        if kind == b'*':
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError('unexpected reply %r' % line)

    def call(self, *args):
        self.sock.sendall(self.encode(*args))
        return self.read()


def run(connection, sha, kind, name, calls, batch=100):
    if kind.startswith('enq'):
        reply = None
        for start in range(0, calls, batch):
            payload = b''.join(connection.encode('EVALSHA', sha, 4, *keys, *args) for keys, args in
                               (enqueue_args(kind, name, run.seq + i) for i in range(batch)))
            run.seq += batch
            connection.sock.sendall(payload)
            for _ in range(batch):
                reply = connection.read()
            if isinstance(reply, Exception):
                raise reply
        return reply
    nkeys, args = ARGS[kind]
    keys = ['{c}:%s:%d' % (name, i) for i in range(nkeys)]
    payload = connection.encode('EVALSHA', sha, nkeys, *keys, *args) * batch
    reply = None
    for _ in range(calls // batch):
        connection.sock.sendall(payload)
        for _ in range(batch):
            reply = connection.read()
        if isinstance(reply, Exception):
            raise reply
    return reply


run.seq = 0


def total(prefix, pid):
    dumps = glob.glob('%s.%d.out.*' % (prefix, pid))
    latest = max(dumps, key=lambda f: int(f.rsplit('.', 1)[1]))
    with open(latest) as dump:
        for line in dump:
            if line.startswith(('summary:', 'totals:')):
                return int(line.split()[1])
    raise RuntimeError('no totals in ' + latest)


def main():
    port, pid, calls, prefix = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    connection = Connection(port)
    for spec in sys.argv[5:]:
        name, path = spec.split('=', 1)
        kind = name.split('.')[0]
        with open(path) as script:
            sha = connection.call('SCRIPT', 'LOAD', script.read())
        run(connection, sha, kind, name, 1000)
        subprocess.run(['callgrind_control', '-z', str(pid)], capture_output=True, check=True)
        reply = run(connection, sha, kind, name, calls)
        subprocess.run(['callgrind_control', '-d', name, str(pid)], capture_output=True, check=True)
        print('%-24s %9.0f instructions per call   last reply %s' % (name, total(prefix, pid) / calls, reply),
              flush=True)


if __name__ == '__main__':
    main()
