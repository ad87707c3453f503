// BullMQ side of the queue benchmark: the same measurements as QueueBenchmark's, on the same redis-server.
// Usage: node bullmq-bench.mjs <port> <backlog> <enqueues> [all|enqueue] [rounds]
// (bullmq and ioredis resolved from NODE_PATH; "enqueue": only the 1- and 16-producer enqueue rows, <rounds> times)
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const [port, backlog, enqueues] = process.argv.slice(2, 5).map(Number);
const only = process.argv[5] ?? 'all';
const enqueueRounds = Number(process.argv[6] ?? 3);
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const admin = new IORedis(connection);
const payload = { enqueuedNanos: 0, dueNanos: 0, to: 'someone@example.com', subject: 'Hello' };

async function commands() {
  const info = await admin.info('commandstats');
  let total = 0;
  for (const line of info.split('\n')) {
    const m = /^cmdstat_(\w+):calls=(\d+)/.exec(line);
    if (m && !['info', 'ping', 'hello', 'client', 'select'].includes(m[1])) total += Number(m[2]);
  }
  return total;
}
async function cpu() {
  const info = await admin.info('cpu');
  let total = 0;
  for (const line of info.split('\n')) {
    const m = /^used_cpu_(sys|user):([\d.]+)/.exec(line);
    if (m) total += Number(m[2]);
  }
  return total;
}
const now = () => Number(process.hrtime.bigint()) / 1e9;
const rows = [];
const row = (what, value) => { rows.push(`| ${what} | ${value} |`); console.error(`  ${what}: ${value}`); };
const fmt = (n) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });

async function parallel(n, producers, task) {
  let next = 0;
  const start = now();
  await Promise.all(Array.from({ length: producers }, async () => {
    while (next < n) { next++; await task(); }
  }));
  return n / (now() - start);
}

if (only === 'enqueue') {
  const q1 = new Queue('enq1', { connection });
  const q16 = new Queue('enq16', { connection });
  const r1 = []; const r16 = [];
  for (let round = 1; round <= enqueueRounds; round++) {
    r1.push(await parallel(enqueues, 1, () => q1.add('job', payload)));
    r16.push(await parallel(enqueues, 16, () => q16.add('job', payload)));
    row(`round ${round}: enqueue, 1 producer (jobs/s)`, fmt(r1[r1.length - 1]));
    row(`round ${round}: enqueue, 16 producers (jobs/s)`, fmt(r16[r16.length - 1]));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  row(`enqueue, 1 producer (jobs/s), median of ${enqueueRounds}`, fmt(median(r1)));
  row(`enqueue, 16 producers (jobs/s), median of ${enqueueRounds}`, fmt(median(r16)));
  console.log(rows.join('\n'));
  process.exit(0);
}

const q1 = new Queue('enq1', { connection });
row('enqueue, 1 producer (jobs/s)', fmt(await parallel(enqueues / 4, 1, () => q1.add('job', payload))));
const q16 = new Queue('enq16', { connection });
row('enqueue, 16 producers (jobs/s)', fmt(await parallel(enqueues, 16, () => q16.add('job', payload))));
const qb = new Queue('enqb', { connection });
const bulk = Array.from({ length: 100 }, () => ({ name: 'job', data: payload }));
let start = now();
for (let i = 0; i < enqueues; i += 100) await qb.addBulk(bulk);
row('enqueue, batches of 100 (jobs/s)', fmt(enqueues / (now() - start)));

async function processBacklog(name, concurrency) {
  const queue = new Queue(name, { connection });
  for (let i = 0; i < backlog; i += 100) await queue.addBulk(bulk);
  const c0 = await commands(); const cpu0 = await cpu();
  start = now();
  let done = 0;
  await new Promise((resolve) => {
    const worker = new Worker(name, async () => {}, { connection, concurrency });
    worker.on('completed', () => { if (++done === backlog) { worker.close().then(resolve); } });
  });
  const rate = backlog / (now() - start);
  const perJob = ((await commands()) - c0) / backlog;
  const cpuPerJob = ((await cpu()) - cpu0) * 1e6 / backlog;
  row(`process a ${backlog}-job backlog of no-op jobs, concurrency ${concurrency} (jobs/s)`, fmt(rate));
  row(`  Redis commands per job processed, concurrency ${concurrency}`, fmt(perJob));
  row(`  Redis CPU per job processed, concurrency ${concurrency} (µs)`, fmt(cpuPerJob));
}
await processBacklog('c1', 1);
await processBacklog('c16', 16);

{
  const queue = new Queue('both', { connection });
  const c0 = await commands(); const cpu0 = await cpu();
  start = now();
  let done = 0;
  const finished = new Promise((resolve) => {
    const worker = new Worker('both', async () => {}, { connection, concurrency: 16 });
    worker.on('completed', () => { if (++done === enqueues) { worker.close().then(resolve); } });
  });
  await parallel(enqueues, 4, () => queue.add('job', payload));
  await finished;
  row('enqueue (4 producers) and process (concurrency 16) at once (jobs/s)', fmt(enqueues / (now() - start)));
  row('  Redis commands per job enqueued and processed', fmt(((await commands()) - c0) / enqueues));
  row('  Redis CPU per job enqueued and processed (µs)', fmt(((await cpu()) - cpu0) * 1e6 / enqueues));
}
{
  await admin.flushall();
  const queue = new Queue('mem', { connection });
  await queue.pause();
  const before = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))[1]);
  for (let i = 0; i < 10000; i += 100) await queue.addBulk(bulk);
  const after = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))[1]);
  row('Redis memory per waiting job (bytes)', fmt((after - before) / 10000));
}
console.log(rows.join('\n'));
process.exit(0);
