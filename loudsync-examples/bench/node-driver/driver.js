'use strict';
// A load driver on Node's `ws`, written from PROTOCOL.md and independent of LoudSync's own load
// generator, so that the "defaults" figures of docs/BENCHMARKS.md do not rest on the project's
// own client. One process; guests spread over loopback source addresses (127.0.1.1 and up).
//
//   node driver.js --url ws://127.0.0.1:8080/ --session ABC123 [--guests 1000] [--addresses 250]
//                  [--wave 50] [--idle 60] [--broadcasts 200] [--host-pid PID] [--label L] [--csv F]
//
// Phases, each printed as one summary line at the end:
//   join       guests connect and JOIN in waves of --wave (the next wave once the previous one is
//              welcomed); the clock stops when every guest's member list holds everyone.
//   idle       --idle seconds of heartbeats (every heartbeatIntervalMs of WELCOME, each guest at its
//              own phase) and PONGs to the host's PINGs: the host's CPU (from /proc/PID/stat) and,
//              at the end, its resident memory (VmRSS).
//   broadcast  guest 0 sends CHAT "<round>:<send time>"; the host relays it to everyone; a round
//              ends when the last receiver has it, and the next starts 100 ms later. Reported:
//              p50, p99 and worst time to the last receiver.

const fs = require('fs');
const WebSocket = require('ws');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const URL = option('--url', 'ws://127.0.0.1:8080/');
const SESSION = option('--session', 'ABC123');
const GUESTS = Number(option('--guests', '1000'));
const ADDRESSES = Number(option('--addresses', '250'));
const WAVE = Number(option('--wave', '50'));
const IDLE_S = Number(option('--idle', '60'));
const BROADCASTS = Number(option('--broadcasts', '200'));
const HOST_PID = option('--host-pid', null);
const LABEL = option('--label', 'node');
const CSV = option('--csv', null);
const TIMEOUT_MS = Number(option('--timeout', '600')) * 1000;

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms, monotonic
const envelope = (type, payload) => JSON.stringify({ type, timestamp: Date.now(), payload });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function fail(message) {
  console.error(`node-driver: ${message}`);
  process.exit(1);
}

/** utime + stime of the host in clock ticks (100 per second on Linux), or NaN without a pid. */
function hostTicks() {
  if (!HOST_PID) return NaN;
  const stat = fs.readFileSync(`/proc/${HOST_PID}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function hostRssMiB() {
  if (!HOST_PID) return NaN;
  const line = fs.readFileSync(`/proc/${HOST_PID}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

class Guest {
  constructor(index) {
    this.index = index;
    this.deviceId = `node-${index}`;
    this.members = new Set();
    this.welcomed = false;
    this.onChat = null;
  }

  connect() {
    const n = this.index % ADDRESSES;
    const localAddress = `127.0.${1 + (n >> 8)}.${1 + (n & 0xff)}`;
    return new Promise((resolve) => {
      this.ws = new WebSocket(URL, { localAddress, perMessageDeflate: false });
      this.ws.once('open', resolve);
      this.ws.once('error', (e) => fail(`${this.deviceId}: ${e.message}`));
      this.ws.on('message', (data) => this.receive(data));
      this.ws.on('close', (code) => {
        if (!stopping) fail(`${this.deviceId} closed with ${code}`);
      });
    });
  }

  join() {
    this.send('JOIN', { sessionId: SESSION, deviceId: this.deviceId, deviceName: `Node ${this.index}`, version: '1.0.0' });
    return new Promise((resolve) => { this.welcome = resolve; });
  }

  send(type, payload) {
    this.ws.send(envelope(type, payload));
  }

  receive(data) {
    const msg = JSON.parse(data);
    const p = msg.payload || {};
    switch (msg.type) {
      case 'WELCOME':
        this.welcomed = true;
        this.heartbeatMs = p.heartbeatIntervalMs || 5000;
        this.welcome();
        break;
      case 'MEMBER_LIST':
        this.members = new Set(p.members.map((m) => m.id));
        break;
      case 'MEMBER_JOINED':
        this.members.add(p.member.id);
        break;
      case 'MEMBER_LEFT':
        this.members.delete(p.deviceId);
        break;
      case 'PING':
        this.send('PONG', { pingTimestamp: msg.timestamp });
        break;
      case 'CHAT':
        if (this.onChat) this.onChat(this, p.text);
        break;
      case 'ERROR':
        fail(`${this.deviceId}: ERROR ${p.code} ${p.message}`);
        break;
      default:
        break; // MEMBER_UPDATED, PONG and the rest: nothing to follow
    }
  }

  startHeartbeats() {
    const beat = () => this.send('HEARTBEAT', { deviceId: this.deviceId });
    // Each guest at its own phase, as phones that joined at different moments would be.
    this.phase = setTimeout(() => {
      beat();
      this.timer = setInterval(beat, this.heartbeatMs);
    }, Math.floor(Math.random() * this.heartbeatMs));
  }
}

let stopping = false;

async function until(condition, what) {
  const deadline = now() + TIMEOUT_MS;
  while (!condition()) {
    if (now() > deadline) fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const guests = Array.from({ length: GUESTS }, (_, i) => new Guest(i));
  const joinStart = now();
  for (let i = 0; i < GUESTS; i += WAVE) {
    const wave = guests.slice(i, i + WAVE);
    await Promise.all(wave.map((g) => g.connect()));
    await Promise.all(wave.map((g) => g.join()));
    wave.forEach((g) => g.startHeartbeats());
  }
  const everyone = GUESTS + 1;
  await until(() => guests.every((g) => g.members.size === everyone), 'every member list to hold everyone');
  const joinMs = now() - joinStart;

  await sleep(2000);
  const ticks0 = hostTicks();
  const idle0 = now();
  await sleep(IDLE_S * 1000);
  const idleCpu = (hostTicks() - ticks0) / 100 / ((now() - idle0) / 1000);
  const rss = hostRssMiB();

  const lastReceiver = [];
  for (let round = 0; round < BROADCASTS; round++) {
    let received = 0;
    let last = 0;
    const sent = now();
    const done = new Promise((resolve) => {
      for (const g of guests) {
        g.onChat = (guest, text) => {
          if (text.startsWith(`${round}:`)) {
            last = now();
            if (++received === GUESTS) resolve();
          }
        };
      }
    });
    guests[0].send('CHAT', { text: `${round}:${sent}` });
    await Promise.race([done, sleep(TIMEOUT_MS).then(() => fail(`broadcast ${round} incomplete: ${received}`))]);
    lastReceiver.push(last - sent);
    await sleep(100);
  }
  lastReceiver.sort((a, b) => a - b);
  const p50 = BROADCASTS ? percentile(lastReceiver, 50) : NaN;
  const p99 = BROADCASTS ? percentile(lastReceiver, 99) : NaN;
  const worst = BROADCASTS ? lastReceiver[lastReceiver.length - 1] : NaN;

  const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  console.log(`${LABEL}: guests ${GUESTS} | join ${f(joinMs / 1000, 2)} s (waves of ${WAVE})`
    + ` | idle host CPU ${f(idleCpu * 100, 2)} % of a core | host RSS ${f(rss, 0)} MiB`
    + ` | broadcast to last receiver p50 ${f(p50)} ms p99 ${f(p99)} ms worst ${f(worst)} ms (${BROADCASTS} rounds)`);
  if (CSV) {
    if (!fs.existsSync(CSV)) {
      fs.writeFileSync(CSV, 'label,guests,join_s,idle_cpu_pct,rss_mib,bcast_p50_ms,bcast_p99_ms,bcast_worst_ms\n');
    }
    fs.appendFileSync(CSV, [LABEL, GUESTS, f(joinMs / 1000, 2), f(idleCpu * 100, 2), f(rss, 0), f(p50), f(p99), f(worst)]
      .join(',') + '\n');
  }
  stopping = true;
  guests.forEach((g) => g.ws.terminate());
  process.exit(0);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
